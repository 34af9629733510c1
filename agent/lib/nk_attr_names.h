/* SPDX-License-Identifier: GPL-2.0 */
/* Names of enum natkeep_attr, for error messages. */
#ifndef NK_ATTR_NAMES_H
#define NK_ATTR_NAMES_H

/* "interval_ms" for NATKEEP_A_INTERVAL_MS, ...; NULL when unknown. */
const char *nk_attr_name(unsigned int type);

#endif

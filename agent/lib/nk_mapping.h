/* SPDX-License-Identifier: GPL-2.0 */
/* Public mappings (enum natkeep_mapping_source, struct nk_mapping) as text. */
#ifndef NK_MAPPING_H
#define NK_MAPPING_H

#include <stddef.h>

#include "nk_flow.h"

/* "stun", "via", or NULL for a source without a name. */
const char *nk_mapping_source_name(unsigned int source);

/* "203.0.113.7:40123" or "[2001:db8::7]:40123". */
void nk_mapping_format(const struct nk_mapping *mapping, char *buf, size_t len);

#endif

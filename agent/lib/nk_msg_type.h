/* SPDX-License-Identifier: GPL-2.0 */
/* Names of enum natkeep_msg_type, as X_KeepAliveMsgType spells them. */
#ifndef NK_MSG_TYPE_H
#define NK_MSG_TYPE_H

/* "keep-alive", ..., or NULL for a value without a name. */
const char *nk_msg_type_name(unsigned int type);

/* The enum value, or -1 for an unknown name. */
int nk_msg_type_from_name(const char *name);

/* "keep-alive|empty|stun|custom|options|notify", for usage messages. */
const char *nk_msg_type_choices(void);

#endif

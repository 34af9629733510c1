/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ServerChangeHook: a command run (without waiting for it) each time an
 * account's current server or state changes, so that the gateway's call
 * handling sends INVITE and SUBSCRIBE where the account is registered.
 * Environment: NATKEEP_ACCOUNT (SP1), NATKEEP_STATE (registered, ...),
 * NATKEEP_SERVER (ADDR:PORT, empty when none), NATKEEP_SERVER_HOST (its
 * DNS name), NATKEEP_SECONDARY (ADDR:PORT or empty), NATKEEP_AOR.
 */
#ifndef NKD_HOOK_H
#define NKD_HOOK_H

#include "account.h"

void nkd_hook_run(const char *command, const struct nkd_account *acct,
		  const char *state);
/* Reap hook processes that ended (on SIGCHLD). */
void nkd_hook_reap(void);

#endif

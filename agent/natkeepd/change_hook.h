/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ServerChangeHook: a command run (without waiting for it) each time an
 * account's current server, secondary or state changes, so that the
 * gateway's call handling sends INVITE and SUBSCRIBE where the account is
 * registered. One run per account at a time (agent.c): changes during a
 * run make one more run after it, with the state then.
 * Environment: NATKEEP_ACCOUNT (SP1), NATKEEP_STATE (registered, ...),
 * NATKEEP_SERVER (ADDR:PORT, empty when none), NATKEEP_SERVER_HOST (its
 * DNS name), NATKEEP_SECONDARY (ADDR:PORT or empty), NATKEEP_AOR.
 */
#ifndef NKD_CHANGE_HOOK_H
#define NKD_CHANGE_HOOK_H

#include "account.h"

/* Starts command; its pid, or 0 when there is none or it cannot start. */
pid_t nkd_hook_run(const char *command, const struct nkd_account *acct,
		   const char *state);
/* Reaps hook processes that ended (on SIGCHLD), telling ended of each. */
void nkd_hook_reap(void (*ended)(pid_t pid, void *ctx), void *ctx);

#endif

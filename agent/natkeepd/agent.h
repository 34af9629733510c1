/* SPDX-License-Identifier: GPL-2.0 */
/* The daemon as a whole: its configuration, accounts and what they share. */
#ifndef NKD_AGENT_H
#define NKD_AGENT_H

#include "account.h"
#include "config.h"
#include "handover.h"

/* natkeepd's exit status after SIGUSR2: handed over, to be started again. */
#define NKD_EXIT_HANDED_OVER	75

struct nkd_agent {
	su_root_t *root;
	struct nkd_config cfg;
	struct nkd_account *accounts[NKD_MAX_ACCOUNTS];
	/* A reload waits for an old account to let go of its port. */
	bool pending_start[NKD_MAX_ACCOUNTS];
	/* Accounts shut down, freed by the loop (not inside sofia's callback). */
	struct nkd_account *gone[NKD_MAX_ACCOUNTS];
	bool terminating;
	int exit_code;
	/* What the last natkeepd left (StateFile); kept: what we keep there. */
	struct nkd_saved_account saved[NKD_MAX_ACCOUNTS];
	bool keep_state;
	unsigned int opening;		/* accounts whose first socket is not open yet */
};

/* Connect to natkeep.ko (or wait for it, unless RequireModule); 0 or -1. */
int nkd_agent_open_kernel(struct nkd_agent *agent);
/*
 * Take over what the last natkeepd left, start every enabled account, and
 * tell systemd natkeepd is ready.
 */
void nkd_agent_start(struct nkd_agent *agent);
/* SIGHUP: a file that loads replaces the configuration; a bad one is refused. */
void nkd_agent_reload(struct nkd_agent *agent);
/* SIGTERM: un-register every account, then natkeepd exits. */
void nkd_agent_terminate(struct nkd_agent *agent);
/* SIGUSR2: leave registrations and flows to the next natkeepd, and exit. */
void nkd_agent_hand_over(struct nkd_agent *agent);
/* SIGCHLD: a ServerChangeHook ended. */
void nkd_agent_children_exited(struct nkd_agent *agent);
/* The local addresses or routes changed (a netwatch callback; ctx the agent). */
void nkd_agent_network_changed(void *ctx);
/* Free the accounts that stopped; from the loop, outside sofia's callbacks. */
void nkd_agent_reap_gone(struct nkd_agent *agent);
/* Terminating, and every account stopped: the loop ends. */
bool nkd_agent_done(const struct nkd_agent *agent);

/* The account's primary or state changed: log it, run the hook. */
void nkd_agent_account_changed(struct nkd_agent *agent, struct nkd_account *acct);
/* Something the next natkeepd would take over changed: save it now. */
void nkd_agent_state_changed(struct nkd_agent *agent);
/* The account's first socket is open and what it took over is adopted. */
void nkd_agent_account_opened(struct nkd_agent *agent, struct nkd_account *acct);
/* The account stopped: no registration left, its socket to be closed. */
void nkd_agent_account_gone(struct nkd_agent *agent, struct nkd_account *acct);

#endif

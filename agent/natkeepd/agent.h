/* SPDX-License-Identifier: GPL-2.0 */
/* The daemon as a whole: its event loop, configuration and accounts. */
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

/* The account's primary or state changed: log it, run the hook. */
void nkd_agent_account_changed(struct nkd_agent *agent, struct nkd_account *acct);
/* Something the next natkeepd would take over changed: save it now. */
void nkd_agent_state_changed(struct nkd_agent *agent);
/* The account's first socket is open and what it took over is adopted. */
void nkd_agent_account_opened(struct nkd_agent *agent, struct nkd_account *acct);
/* The account stopped: no registration left, its socket to be closed. */
void nkd_agent_account_gone(struct nkd_agent *agent, struct nkd_account *acct);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIP that sofia drops before natkeepd sees it (unparsable, failing its
 * sanity checks): counted from nta's statistics of the account's socket
 * and of the local UA's proxy, and told in one log line per period that
 * had some, so that garbage is visible without a line per datagram.
 */
#ifndef NKD_MALFORMED_H
#define NKD_MALFORMED_H

#include <stdint.h>

#include <sofia-sip/nta.h>
#include <sofia-sip/su_wait.h>

#define NKD_MALFORMED_PERIOD_MS	10000

struct nkd_malformed {
	const char *name;		/* the account's, for the log */
	su_timer_t *timer;
	nta_agent_t *agents[2];		/* the socket, the proxy (or NULL) */
	uint64_t seen[2];		/* nta's counts at the last look */
	uint64_t total;			/* since natkeepd started the account */
};

/* Looks every period; agents may change (a reopened socket) meanwhile. */
int nkd_malformed_start(struct nkd_malformed *m, su_root_t *root, const char *name);
void nkd_malformed_watch(struct nkd_malformed *m, unsigned int i, nta_agent_t *agent);
void nkd_malformed_stop(struct nkd_malformed *m);

#endif

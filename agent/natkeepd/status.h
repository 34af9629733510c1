/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `natkeepctl account show` prints: per account its state, each
 * candidate server with its state (primary, secondary, fallback-candidate,
 * failed, trying, candidate), last error, last register and expiry, the
 * Contact and public mapping, and the keep-alive flow's stats from the
 * module. As text for people or as JSON for scripts.
 */
#ifndef NKD_STATUS_H
#define NKD_STATUS_H

#include <stdbool.h>
#include <stdio.h>

#include "agent.h"

/* The state name of a server, as status shows it. */
const char *nkd_server_state(const struct nkd_account *acct,
			     const struct nkd_server *s, int64_t now);

void nkd_status_write(const struct nkd_agent *agent, FILE *out, bool json);

#endif

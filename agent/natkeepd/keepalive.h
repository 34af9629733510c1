/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An account's keep-alive flows in natkeep.ko: one per registered server
 * (primary and secondary), from the account's SIP port, with its
 * X_KeepAlive* settings; or one towards X_KeepAliveServer when set. The
 * flows' events: a new public mapping re-registers, an unanswered OPTIONS
 * or NOTIFY keep-alive, its miss confirmed, fails the server over.
 */
#ifndef NKD_KEEPALIVE_H
#define NKD_KEEPALIVE_H

#include "account.h"

/* Make the flows match the registrations (after any change). */
void nkd_keepalive_sync(struct nkd_account *acct);
/* Delete reg's flow (not when handing over: the next natkeepd keeps it). */
void nkd_keepalive_drop(struct nkd_registration *reg);
/* Delete a flow from one of our ports that no account claims. */
void nkd_keepalive_delete_orphan(uint32_t flow_id);
/* Delete every flow of the account. */
void nkd_keepalive_delete_all(struct nkd_account *acct);
/*
 * A module event; false if the flow is not the account's. One of its
 * flows deleted by someone else is created again.
 */
bool nkd_keepalive_event(struct nkd_account *acct, int cmd, const struct nk_flow *flow);
/* Events were lost: each flow's mapping and liveness read again, as events. */
void nkd_keepalive_resync(struct nkd_account *acct);
/* The flow spec for a keep-alive towards remote. */
void nkd_keepalive_flow_spec(const struct nkd_account *acct,
			     const struct nk_endpoint *remote, struct nk_flow *flow);
/* The types whose silence fails a server over (OBi): options and notify. */
bool nkd_keepalive_tells_liveness(uint8_t msg_type);
/* reg's server missed a keep-alive and its confirmation: fail over. */
void nkd_keepalive_fail_over(struct nkd_registration *reg);

#endif

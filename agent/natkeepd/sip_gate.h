/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which requests the account's socket takes: those of the account's
 * servers (X_AcceptSipFromRegistrarOnly), and in-dialog ones from the
 * proxies that record-routed a dialog the relay carried; none with a Via
 * maddr. The rest is dropped unanswered: a scanner learns nothing of the
 * gateway, and no answer of ours can be aimed (by Via maddr or sent-by)
 * at anyone else.
 */
#ifndef NKD_SIP_GATE_H
#define NKD_SIP_GATE_H

#include <stdbool.h>

#include <sofia-sip/nta.h>

#include <sofia-sip/url.h>

#include "nk_addr.h"

/* Dropped requests: a log line per this many ms at most (a flood too). */
#define NKD_GATE_LOG_PERIOD_MS	10000

struct nkd_account;

/* One of the account's servers: a candidate, a redirect's, the keep-alives'. */
bool nkd_account_knows_server(const struct nkd_account *acct, const struct nk_endpoint *ep);

/* The sender of a message nta received (false: none known). */
bool nkd_msg_source(msg_t *msg, struct nk_endpoint *ep);
/* A URL's HOST:PORT (5060 if none) as an endpoint; false if no address. */
bool nkd_url_endpoint(const url_t *u, struct nk_endpoint *ep);
/* The same of a URI string ("sip:HOST:PORT;..."), parsed on the stack. */
bool nkd_uri_endpoint(const char *uri, struct nk_endpoint *ep);
/* The same address, whatever the ports. */
bool nkd_same_address(const struct nk_endpoint *a, const struct nk_endpoint *b);

/*
 * A request no transaction matched, before nta makes one: true if it may
 * in; false if it is to be dropped (counted, and logged: the first, then
 * a line every 10 s at most).
 */
bool nkd_sip_gate_admits(struct nkd_account *acct, msg_t *msg, const sip_t *sip);

/*
 * A dialog's route set, as the relay saw it go by: its proxies (those
 * named by address) may send the dialog's requests, a BYE for one, though
 * no DNS lookup of the account named them.
 */
void nkd_sip_gate_learn_route(struct nkd_account *acct, const sip_record_route_t *rr);

#endif

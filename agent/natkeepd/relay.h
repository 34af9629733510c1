/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The account's SIP edge (X_LocalProxy): a transaction-stateful proxy, on
 * sofia's nta, between the gateway's own SIP UA and the account's socket.
 * The UA's requests leave from the socket whose NAT mapping natkeep.ko
 * keeps, to the account's current server, with natkeepd's Via and
 * Record-Route; requests that reach the registered Contact from the
 * account's servers go to the UA. The UA is configured
 * (X_LocalUserAgent) or learned from its REGISTER, which natkeepd answers
 * itself. SDP and media pass untouched.
 */
#ifndef NKD_RELAY_H
#define NKD_RELAY_H

#include <stdbool.h>
#include <stdint.h>

#include <sofia-sip/nta.h>

struct nkd_account;
struct nkd_relay;
struct nkd_json;
struct nkd_saved_account;

/* What account show reports. */
struct nkd_relay_counters {
	uint64_t from_ua;		/* requests from the UA relayed out */
	uint64_t to_ua;			/* requests from the servers relayed in */
	uint64_t refused;		/* on the listener, from another than the UA */
	uint64_t rejected;		/* answered by natkeepd (no UA, no server...) */
	uint64_t calls;			/* INVITEs answered 2xx, either way */
};

/* Opens the listener for the UA; NULL (and a log line) if it cannot. */
struct nkd_relay *nkd_relay_create(struct nkd_account *acct);
void nkd_relay_destroy(struct nkd_relay *relay);

/* The account's socket opened (again): the relay sends from it. */
void nkd_relay_attach(struct nkd_relay *relay, nta_agent_t *wan);
/* It is about to close: every transaction through it ends. */
void nkd_relay_detach(struct nkd_relay *relay);

/*
 * A request from one of the account's servers (its gate let it in:
 * sip_gate.h); returns the status to answer (0: answered, or to be).
 */
int nkd_relay_from_server(struct nkd_relay *relay, nta_incoming_t *irq,
			  const sip_t *sip);

/* What the next natkeepd takes over: the UA's registration (handover.h). */
void nkd_relay_save(const struct nkd_relay *relay, struct nkd_saved_account *out);
/* The UA's registration the last natkeepd left, still running. */
void nkd_relay_adopt(struct nkd_relay *relay, const struct nkd_saved_account *saved);

/* The listener's nta agent (its statistics). */
nta_agent_t *nkd_relay_lan(const struct nkd_relay *relay);

/* For account show. */
const char *nkd_relay_listen(const struct nkd_relay *relay);
/* The UA's Contact ("" unknown) and how it is known ("config", "register"). */
const char *nkd_relay_user_agent(const struct nkd_relay *relay, const char **how);
unsigned int nkd_relay_in_flight(const struct nkd_relay *relay);
const struct nkd_relay_counters *nkd_relay_counters(const struct nkd_relay *relay);

#endif

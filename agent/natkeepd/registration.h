/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One REGISTER with one server, nta transactions on the account's socket:
 * digest authentication (a realm that challenges the credentials it was
 * answered with again is an error), redirects (at most 5 in a row), 423's
 * Min-Expires, the Contact and Via with the public mapping, refreshes
 * between a half and three quarters of the granted time, and un-REGISTER. Outcomes go to the
 * account's redundancy state machine.
 */
#ifndef NKD_REGISTRATION_H
#define NKD_REGISTRATION_H

#include "account.h"

#define NKD_MAX_REDIRECTS	5

/*
 * The flag nta sets on the responses it makes itself (on a timeout, an
 * ICMP error): NTA_INTERNAL_MSG of sofia-sip's nta_internal.h, which is
 * not installed.
 */
#define NKD_NTA_INTERNAL_MSG	(1 << 15)

/* nta's own response, not the server's (which may fill in no rport). */
static inline bool nkd_response_is_nta_own(const sip_t *sip)
{
	return !sip || (sip->sip_flags & NKD_NTA_INTERNAL_MSG);
}

/*
 * However the servers answer, an account sends at most NKD_REGISTER_BURST
 * REGISTERs at once, then one per NKD_REGISTER_EVERY_MS (challenge answers
 * included, un-REGISTERs not): a REGISTER over the limit waits its turn.
 * The refreshes of two servers at the shortest RegisterExpires (10 s),
 * each answering a challenge, take 0.8 a second.
 */
#define NKD_REGISTER_BURST	10
#define NKD_REGISTER_EVERY_MS	1000
/* How often the log may say that REGISTERs are held back. */
#define NKD_REGISTER_LOG_PERIOD_MS	60000

struct nkd_registration *nkd_reg_find(struct nkd_account *acct, uint32_t server_id);

/* REGISTER with server id (its target t). Returns NULL when out of handles. */
struct nkd_registration *nkd_reg_begin(struct nkd_account *acct, uint32_t server_id,
				       const struct nkd_target *t);

/* Ends it: un-REGISTER first if registered and unregister, else at once. */
void nkd_reg_end(struct nkd_registration *reg, bool unregister);

/* The socket closes: every registration ends at once, nothing sent. */
void nkd_reg_close_all(struct nkd_account *acct);

/* A new public mapping (from STUN or Via): register the new Contact now. */
void nkd_reg_set_mapping(struct nkd_registration *reg, const struct nk_endpoint *mapping);

/* Our Via towards the server: the advertised address, ;rport asked for. */
void nkd_reg_via(const struct nkd_registration *reg, char *buf, size_t len);
/* What the server should see us as: the public mapping, else our address. */
const struct nk_endpoint *nkd_reg_advertised(const struct nkd_registration *reg);
/*
 * Where the account's calls go: the primary's address, or the server a
 * redirect sent its REGISTERs to. NULL without a primary.
 */
const struct nk_endpoint *nkd_reg_current_server(const struct nkd_account *acct);
/* Registrations in use (any state). */
unsigned int nkd_reg_count(const struct nkd_account *acct);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Contacts that registrars hold for an account, as far as their last
 * 200s said, one entry per registrar: kept across the account's
 * registrations, since a new socket (our address changed) starts new ones,
 * whose first REGISTER removes what the old one left.
 *
 * A registrar drops a binding when the expiry its 200 granted runs out, so
 * an entry past that is gone; when every entry is taken, the one that runs
 * out first gives way (its binding then lives at most until it expires, as
 * if it had never been held). Registrars that leave DNS cannot fill the
 * table for good.
 */
#ifndef NKD_HELD_CONTACTS_H
#define NKD_HELD_CONTACTS_H

#include <stdint.h>

#include "server.h"

struct nkd_held_contact {
	struct nk_endpoint server;
	uint64_t until_ms;			/* the registrar drops it then */
	char contact[NK_SIP_HOST_MAX + 160];	/* "": none */
};

struct nkd_held_contacts {
	struct nkd_held_contact entries[NKD_MAX_SERVERS];
};

/* The Contact @server still holds at @now_ms, or NULL. */
const char *nkd_held_get(const struct nkd_held_contacts *held,
			 const struct nk_endpoint *server, uint64_t now_ms);

/*
 * @server holds @contact for @expires_s from @now_ms (a 200 to REGISTER);
 * "" or 0 s: it holds nothing (a 200 to the un-REGISTER).
 */
void nkd_held_set(struct nkd_held_contacts *held, const struct nk_endpoint *server,
		  const char *contact, unsigned int expires_s, uint64_t now_ms);

#endif

// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>

#include "held_contacts.h"

static bool held_live(const struct nkd_held_contact *h, uint64_t now_ms)
{
	return h->contact[0] && h->until_ms > now_ms;
}

/* The index of @server's live entry, or -1. */
static int held_index(const struct nkd_held_contacts *held,
		      const struct nk_endpoint *server, uint64_t now_ms)
{
	for (int i = 0; i < NKD_MAX_SERVERS; i++) {
		const struct nkd_held_contact *h = &held->entries[i];

		if (held_live(h, now_ms) && nkd_endpoint_equal(&h->server, server))
			return i;
	}
	return -1;
}

const char *nkd_held_get(const struct nkd_held_contacts *held,
			 const struct nk_endpoint *server, uint64_t now_ms)
{
	int i = held_index(held, server, now_ms);

	return i < 0 ? NULL : held->entries[i].contact;
}

/* A free entry (none held, or run out), else the one that runs out first. */
static struct nkd_held_contact *held_slot(struct nkd_held_contacts *held, uint64_t now_ms)
{
	struct nkd_held_contact *first = &held->entries[0];

	for (size_t i = 0; i < NKD_MAX_SERVERS; i++) {
		struct nkd_held_contact *h = &held->entries[i];

		if (!held_live(h, now_ms))
			return h;
		if (h->until_ms < first->until_ms)
			first = h;
	}
	return first;
}

void nkd_held_set(struct nkd_held_contacts *held, const struct nk_endpoint *server,
		  const char *contact, unsigned int expires_s, uint64_t now_ms)
{
	int i = held_index(held, server, now_ms);
	struct nkd_held_contact *h = i < 0 ? NULL : &held->entries[i];

	if (!contact[0] || !expires_s) {
		if (h)
			h->contact[0] = '\0';
		return;
	}
	if (!h)
		h = held_slot(held, now_ms);
	h->server = *server;
	h->until_ms = now_ms + (uint64_t)expires_s * 1000;
	snprintf(h->contact, sizeof(h->contact), "%s", contact);
}

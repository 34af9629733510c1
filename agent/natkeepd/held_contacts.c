// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>

#include "held_contacts.h"

static bool held_live(const struct nkd_held_contact *h, uint64_t now_ms)
{
	return h->contact[0] && h->until_ms > now_ms;
}

static struct nkd_held_contact *held_find(const struct nkd_held_contacts *held,
					  const struct nk_endpoint *server,
					  uint64_t now_ms)
{
	for (size_t i = 0; i < NKD_MAX_SERVERS; i++) {
		const struct nkd_held_contact *h = &held->entries[i];

		if (held_live(h, now_ms) && nkd_endpoint_equal(&h->server, server))
			return (struct nkd_held_contact *)h;
	}
	return NULL;
}

const char *nkd_held_get(const struct nkd_held_contacts *held,
			 const struct nk_endpoint *server, uint64_t now_ms)
{
	const struct nkd_held_contact *h = held_find(held, server, now_ms);

	return h ? h->contact : NULL;
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
	struct nkd_held_contact *h = held_find(held, server, now_ms);

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

// SPDX-License-Identifier: GPL-2.0
/*
 * What natkeepd remembers of the Contacts registrars hold for an account:
 * found again by registrar until the binding's expiry, forgotten on an
 * un-REGISTER, and a full table giving way to new registrars.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include "held_contacts.h"
#include "runner.h"

static struct nk_endpoint registrar(unsigned int n)
{
	struct nk_endpoint ep = { .family = AF_INET, .port = 5060 };

	ep.addr.v4.s_addr = htonl(0x0a030000 + n);	/* 10.3.0.n */
	return ep;
}

static void a_contact_is_found_by_registrar_until_it_expires(void)
{
	struct nkd_held_contacts held = { 0 };
	struct nk_endpoint a = registrar(11), b = registrar(12);
	struct nk_endpoint other_port = a;

	other_port.port = 5070;
	nkd_held_set(&held, &a, "<sip:alice@198.51.100.1:20001>", 600, 1000);
	CHECK_STR(nkd_held_get(&held, &a, 1000), "<sip:alice@198.51.100.1:20001>");
	CHECK_STR(nkd_held_get(&held, &a, 600999), "<sip:alice@198.51.100.1:20001>");
	CHECK(!nkd_held_get(&held, &a, 601000));
	CHECK(!nkd_held_get(&held, &b, 1000));
	CHECK(!nkd_held_get(&held, &other_port, 1000));
}

static void a_refresh_replaces_the_contact_and_its_expiry(void)
{
	struct nkd_held_contacts held = { 0 };
	struct nk_endpoint a = registrar(11);

	nkd_held_set(&held, &a, "<sip:alice@198.51.100.1:20001>", 60, 0);
	nkd_held_set(&held, &a, "<sip:alice@198.51.100.1:20002>", 60, 50000);
	CHECK_STR(nkd_held_get(&held, &a, 100000), "<sip:alice@198.51.100.1:20002>");
	/* One entry, not two: the registrar's earlier Contact is gone. */
	nkd_held_set(&held, &a, "", 0, 100000);
	CHECK(!nkd_held_get(&held, &a, 100000));
}

static void an_unregister_forgets_only_its_registrar(void)
{
	struct nkd_held_contacts held = { 0 };
	struct nk_endpoint a = registrar(11), b = registrar(12);

	nkd_held_set(&held, &a, "<sip:alice@198.51.100.1:20001>", 600, 0);
	nkd_held_set(&held, &b, "<sip:alice@198.51.100.1:20001>", 600, 0);
	nkd_held_set(&held, &a, "", 0, 10);
	CHECK(!nkd_held_get(&held, &a, 10));
	CHECK_STR(nkd_held_get(&held, &b, 10), "<sip:alice@198.51.100.1:20001>");
	/* A 200 granting no time holds nothing either. */
	nkd_held_set(&held, &b, "<sip:alice@198.51.100.1:20003>", 0, 20);
	CHECK(!nkd_held_get(&held, &b, 20));
}

static void a_full_table_gives_way_to_a_new_registrar(void)
{
	struct nkd_held_contacts held = { 0 };
	struct nk_endpoint late = registrar(200);
	unsigned int i;

	/* Registrar i's binding runs out at 1000 + i s: 0's first. */
	for (i = 0; i < NKD_MAX_SERVERS; i++) {
		struct nk_endpoint r = registrar(i);

		nkd_held_set(&held, &r, "<sip:alice@198.51.100.1:20001>", 1000 + i, 0);
	}
	nkd_held_set(&held, &late, "<sip:alice@198.51.100.1:20009>", 600, 5000);
	CHECK_STR(nkd_held_get(&held, &late, 5000), "<sip:alice@198.51.100.1:20009>");
	for (i = 0; i < NKD_MAX_SERVERS; i++) {
		struct nk_endpoint r = registrar(i);

		/* The one that ran out first gave way; the others stay. */
		CHECK_INT(nkd_held_get(&held, &r, 5000) != NULL, i != 0);
	}
}

static void an_expired_entry_is_reused_before_any_live_one(void)
{
	struct nkd_held_contacts held = { 0 };
	struct nk_endpoint late = registrar(200), r5 = registrar(5);
	unsigned int i;

	for (i = 0; i < NKD_MAX_SERVERS; i++) {
		struct nk_endpoint r = registrar(i);

		nkd_held_set(&held, &r, "<sip:alice@198.51.100.1:20001>",
			     i == 5 ? 10 : 1000, 0);
	}
	/* 5's binding ran out at 10 s: its entry is free, 0's stays. */
	nkd_held_set(&held, &late, "<sip:alice@198.51.100.1:20009>", 600, 20000);
	CHECK(nkd_held_get(&held, &late, 20000));
	CHECK(!nkd_held_get(&held, &r5, 20000));
	for (i = 0; i < NKD_MAX_SERVERS; i++) {
		struct nk_endpoint r = registrar(i);

		if (i != 5)
			CHECK(nkd_held_get(&held, &r, 20000));
	}
}

static void a_long_contact_is_cut_not_overrun(void)
{
	struct nkd_held_contacts held = { 0 };
	struct nk_endpoint a = registrar(11);
	char big[2 * sizeof(held.entries[0].contact)];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	nkd_held_set(&held, &a, big, 600, 0);
	CHECK_INT(strlen(nkd_held_get(&held, &a, 0)), sizeof(held.entries[0].contact) - 1);
}

static const struct test_case cases[] = {
	TEST_CASE(a_contact_is_found_by_registrar_until_it_expires),
	TEST_CASE(a_refresh_replaces_the_contact_and_its_expiry),
	TEST_CASE(an_unregister_forgets_only_its_registrar),
	TEST_CASE(a_full_table_gives_way_to_a_new_registrar),
	TEST_CASE(an_expired_entry_is_reused_before_any_live_one),
	TEST_CASE(a_long_contact_is_cut_not_overrun),
};
TEST_SUITE(held_contacts_suite, cases);

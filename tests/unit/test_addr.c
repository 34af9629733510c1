// SPDX-License-Identifier: GPL-2.0
/* Endpoint parsing and formatting (agent/lib/nk_addr.c). */
#include <arpa/inet.h>
#include <sys/socket.h>

#include "nk_addr.h"
#include "nk_array.h"
#include "runner.h"

static void parses_ipv4_endpoint(void)
{
	struct nk_endpoint ep;
	char err[128] = "";

	CHECK_INT(nk_endpoint_parse("10.0.0.2:5060", &ep, err, sizeof(err)), 0);
	CHECK_INT(ep.family, AF_INET);
	CHECK_INT(ep.port, 5060);
	CHECK_INT(ntohl(ep.addr.v4.s_addr), 0x0a000002);
}

static void parses_ipv6_endpoint_in_brackets(void)
{
	struct nk_endpoint ep;
	struct in6_addr want;
	char err[128] = "";

	CHECK_INT(nk_endpoint_parse("[2001:db8::1]:65535", &ep, err, sizeof(err)), 0);
	CHECK_INT(ep.family, AF_INET6);
	CHECK_INT(ep.port, 65535);
	inet_pton(AF_INET6, "2001:db8::1", &want);
	CHECK(!memcmp(&ep.addr.v6, &want, sizeof(want)));
}

static void accepts_unspecified_and_mapped(void)
{
	struct nk_endpoint ep;
	char err[128];

	CHECK_INT(nk_endpoint_parse("0.0.0.0:1", &ep, err, sizeof(err)), 0);
	CHECK_INT(nk_endpoint_parse("[::]:5060", &ep, err, sizeof(err)), 0);
	CHECK_INT(nk_endpoint_parse("[::ffff:10.0.0.1]:5060", &ep, err, sizeof(err)), 0);
	CHECK_INT(ep.family, AF_INET6);
}

/* Every bad input fails, and the message quotes what was wrong. */
static void rejects_bad_endpoints(void)
{
	static const struct {
		const char *text;
		const char *message_part;
	} cases[] = {
		{ "10.0.0.1", "missing port" },
		{ "10.0.0.1:", "bad port \"\"" },
		{ "10.0.0.1:0", "bad port \"0\"" },
		{ "10.0.0.1:65536", "bad port \"65536\"" },
		{ "10.0.0.1:99999999", "bad port" },
		{ "10.0.0.1:-1", "bad port \"-1\"" },
		{ "10.0.0.1:+5", "bad port \"+5\"" },
		{ "10.0.0.1: 5", "bad port \" 5\"" },
		{ "10.0.0.1:50x", "bad port \"50x\"" },
		{ "10.0.0.256:5060", "bad IPv4 address \"10.0.0.256\"" },
		{ "host.example:5060", "bad IPv4 address \"host.example\"" },
		{ ":5060", "bad IPv4 address" },
		{ "", "missing port" },
		{ "garbage", "missing port" },
		{ "2001:db8::1:5060", "[ADDR]:PORT" },
		{ "2001:db8::1", "[ADDR]:PORT" },
		{ "[2001:db8::1]", "expected [ADDR]:PORT" },
		{ "[2001:db8::1]5060", "expected [ADDR]:PORT" },
		{ "[2001:db8::1:5060", "missing ']'" },
		{ "[]:5060", "bad IPv6 address" },
		{ "[10.0.0.1]:5060", "bad IPv6 address \"10.0.0.1\"" },
		{ "[fe80::1%eth0]:5060", "bad IPv6 address" },
		{ "[::1]:0", "bad port \"0\"" },
		{ "[::1]:65536", "bad port \"65536\"" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct nk_endpoint ep;
		char err[160] = "";

		if (nk_endpoint_parse(cases[i].text, &ep, err, sizeof(err)) != -1)
			test_fail(__FILE__, __LINE__, "\"%s\" was accepted", cases[i].text);
		CHECK_CONTAINS(err, cases[i].message_part);
		/* The whole token is named, so users see which argument it was. */
		CHECK_CONTAINS(err, cases[i].text);
	}
}

static void formats_endpoints(void)
{
	struct nk_endpoint ep;
	char err[128], text[NK_ENDPOINT_STRLEN];

	nk_endpoint_parse("192.168.1.10:5060", &ep, err, sizeof(err));
	nk_endpoint_format(ep.family, &ep.addr, ep.port, text, sizeof(text));
	CHECK_STR(text, "192.168.1.10:5060");
	nk_endpoint_parse("[2001:DB8:0:0::1]:5061", &ep, err, sizeof(err));
	nk_endpoint_format(ep.family, &ep.addr, ep.port, text, sizeof(text));
	CHECK_STR(text, "[2001:db8::1]:5061");
	nk_addr_format(ep.family, &ep.addr, text, sizeof(text));
	CHECK_STR(text, "2001:db8::1");
	nk_addr_format(12345, &ep.addr, text, sizeof(text));
	CHECK_STR(text, "?");
}

static void longest_ipv6_endpoint_fits(void)
{
	struct nk_endpoint ep;
	const char *longest = "[ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255]:65535";
	char err[128], text[NK_ENDPOINT_STRLEN];

	CHECK_INT(nk_endpoint_parse(longest, &ep, err, sizeof(err)), 0);
	nk_endpoint_format(ep.family, &ep.addr, ep.port, text, sizeof(text));
	CHECK_STR(text, "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:65535");
}

static void names_families(void)
{
	CHECK_STR(nk_family_name(AF_INET), "inet");
	CHECK_STR(nk_family_name(AF_INET6), "inet6");
	CHECK(nk_family_name(AF_UNIX) == NULL);
	CHECK_INT(nk_addr_len(AF_INET), 4);
	CHECK_INT(nk_addr_len(AF_INET6), 16);
	CHECK_INT(nk_addr_len(0), 0);
}

static const struct test_case cases[] = {
	TEST_CASE(parses_ipv4_endpoint),
	TEST_CASE(parses_ipv6_endpoint_in_brackets),
	TEST_CASE(accepts_unspecified_and_mapped),
	TEST_CASE(rejects_bad_endpoints),
	TEST_CASE(formats_endpoints),
	TEST_CASE(longest_ipv6_endpoint_fits),
	TEST_CASE(names_families),
};
TEST_SUITE(addr_suite, cases);

// SPDX-License-Identifier: GPL-2.0
/* SIP responses to keep-alives, IP literals (kmod/proto/sip_parse.c). */
#include <arpa/inet.h>
#include <stdlib.h>

#include "nk_array.h"
#include "proto_vectors.h"
#include "runner.h"

/* Parse from a heap copy of the exact size, no NUL: ASan sees overreads. */
static int parse_exact(const char *text, size_t len, struct nk_sip_response *rsp)
{
	char *copy = malloc(len ? len : 1);
	int r;

	memcpy(copy, text, len);
	r = nk_sip_parse_response(copy, len, rsp);
	/* The spans point into the message: check them before it goes. */
	if (!r && rsp->call_id)
		CHECK(rsp->call_id >= copy && rsp->call_id + rsp->call_id_len <= copy + len);
	if (!r && rsp->cseq_method)
		CHECK(rsp->cseq_method >= copy &&
		      rsp->cseq_method + rsp->cseq_method_len <= copy + len);
	if (!r && rsp->branch)
		CHECK(rsp->branch >= copy && rsp->branch + rsp->branch_len <= copy + len);
	if (!r) {
		/* Re-point them at the caller's text, which outlives the copy. */
		if (rsp->call_id)
			rsp->call_id = text + (rsp->call_id - copy);
		if (rsp->cseq_method)
			rsp->cseq_method = text + (rsp->cseq_method - copy);
		if (rsp->branch)
			rsp->branch = text + (rsp->branch - copy);
	}
	free(copy);
	return r;
}

static bool span_is(const char *p, size_t len, const char *want)
{
	return p && len == strlen(want) && !memcmp(p, want, len);
}

/* @a is the address @ip (and port @port, unless negative). */
static void check_addr(const char *name, const char *what,
		       const struct nk_proto_addr *a, const char *ip, int port)
{
	bool v6 = strchr(ip, ':');
	uint8_t want[16] = { 0 };

	CHECK_INT(inet_pton(v6 ? AF_INET6 : AF_INET, ip, want), 1);
	if (a->family != (v6 ? NK_PROTO_AF_INET6 : NK_PROTO_AF_INET) ||
	    memcmp(a->addr, want, v6 ? 16 : 4) || (port >= 0 && a->port != port))
		test_fail(__FILE__, __LINE__, "%s: %s is not %s port %d (family %u port %u)",
			  name, what, ip, port, a->family, a->port);
}

static void check_span(const char *name, const char *what, const char *p,
		       size_t len, const char *want)
{
	if (!want ? p != NULL : !span_is(p, len, want))
		test_fail(__FILE__, __LINE__, "%s: %s is \"%.*s\", expected \"%s\"",
			  name, what, (int)(p ? len : 6), p ? p : "(null)",
			  want ? want : "(null)");
}

/* A shared vector (tests/vectors/proto_vectors.h), as KUnit checks it too. */
static void check_vector(const struct nk_sip_vector *v)
{
	struct nk_sip_response rsp;
	struct nk_proto_addr map;
	int r = parse_exact(v->text, v->len, &rsp);

	if (r != v->result) {
		test_fail(__FILE__, __LINE__, "%s: parse gives %d, expected %d",
			  v->name, r, v->result);
		return;
	}
	if (r)
		return;
	if (rsp.status != v->status)
		test_fail(__FILE__, __LINE__, "%s: status %u", v->name, rsp.status);
	check_span(v->name, "Call-ID", rsp.call_id, rsp.call_id_len, v->call_id);
	if (rsp.has_cseq != !!v->cseq_method)
		test_fail(__FILE__, __LINE__, "%s: has_cseq %d", v->name, rsp.has_cseq);
	else if (rsp.has_cseq && rsp.cseq != v->cseq)
		test_fail(__FILE__, __LINE__, "%s: CSeq %u", v->name, rsp.cseq);
	else if (rsp.has_cseq)
		check_span(v->name, "CSeq method", rsp.cseq_method,
			   rsp.cseq_method_len, v->cseq_method);
	if (rsp.has_sent_by != !!v->sent_by.ip)
		test_fail(__FILE__, __LINE__, "%s: has_sent_by %d", v->name, rsp.has_sent_by);
	else if (rsp.has_sent_by)
		check_addr(v->name, "sent-by", &rsp.sent_by, v->sent_by.ip, v->sent_by.port);
	if (rsp.has_received != !!v->received)
		test_fail(__FILE__, __LINE__, "%s: has_received %d", v->name, rsp.has_received);
	else if (rsp.has_received)
		check_addr(v->name, "received", &rsp.received, v->received, -1);
	if (rsp.has_rport != v->has_rport || (rsp.has_rport && rsp.rport != v->rport))
		test_fail(__FILE__, __LINE__, "%s: rport %d %u", v->name, rsp.has_rport, rsp.rport);
	if (v->branch)
		check_span(v->name, "branch", rsp.branch, rsp.branch_len,
			   v->branch[0] ? v->branch : NULL);
	if (nk_sip_response_mapping(&rsp, &map) != !!v->mapping.ip)
		test_fail(__FILE__, __LINE__, "%s: mapping given or not", v->name);
	else if (v->mapping.ip)
		check_addr(v->name, "mapping", &map, v->mapping.ip, v->mapping.port);
}

DEFINE_CHECK_TOPIC(nk_sip_vectors, check_vector)

static void every_shared_vector(void)
{
	check_topic("");
}

static void kamailio_200_to_options(void)
{
	check_topic("kamailio 200");
}

/* Asterisk (chan_pjsip) challenging a REGISTER. */
static void asterisk_401(void)
{
	check_topic("Asterisk 401");
}

static void compact_form(void)
{
	check_topic("compact form");
}

/* The top Via is the first value of the first Via header. */
static void first_via_value_counts(void)
{
	check_topic("top Via:");
}

static void folded_headers(void)
{
	check_topic("folded lines");
}

static void header_names_ignore_case(void)
{
	check_topic("names in any case");
}

static void bare_lf_line_ends(void)
{
	check_topic("bare LF");
}

/* Without rport=, no mapping: the NAT's port is unknown. */
static void missing_rport(void)
{
	check_topic("no rport:");
}

/* rport without received: the address did not change, the port did. */
static void rport_without_received(void)
{
	check_topic("rport without received:");
}

static void ipv6_received(void)
{
	check_topic("IPv6:");
}

/* Via params with values of every form, and the first rport counts. */
static void via_param_forms(void)
{
	check_topic("Via params");
}

static void status_codes(void)
{
	check_topic("status:");
	check_topic("bad status line:");
}

static void malformed_headers(void)
{
	check_topic("bad header:");
	check_topic("garbage:");
}

static void cseq_limits(void)
{
	check_topic("CSeq:");
}

/* What follows the empty line is the body: a Via there is no Via. */
static void via_in_body_is_ignored(void)
{
	check_topic("body:");
}

/* Every prefix of a real response: no read past the end, and -1. */
static void every_truncation(void)
{
	struct nk_sip_response rsp;
	size_t len, full = strlen(nk_sip_kamailio_200);

	for (len = 0; len < full; len++)
		if (parse_exact(nk_sip_kamailio_200, len, &rsp) != -1)
			test_fail(__FILE__, __LINE__, "prefix of %zu accepted", len);
	CHECK_INT(parse_exact(nk_sip_kamailio_200, full, &rsp), 0);
}

/*
 * The first bytes of a longer message, as the hook reads them: every
 * prefix that holds the status line parses, and each field is either
 * there whole or not at all; the whole message gives the full parse.
 */
static void every_cut(void)
{
	const char *text = nk_sip_kamailio_200;
	size_t len, full = strlen(text), status_end = strchr(text, '\n') + 1 - text;
	struct nk_sip_response rsp, whole;

	CHECK_INT(nk_sip_parse_response(text, full, &whole), 0);
	for (len = 0; len <= full; len++) {
		char *copy = malloc(len ? len : 1);
		int r;

		memcpy(copy, text, len);
		r = nk_sip_parse_response_head(copy, len, &rsp);
		if (r != (len < status_end ? -1 : 0)) {
			test_fail(__FILE__, __LINE__, "cut at %zu gives %d", len, r);
		} else if (!r) {
			if (rsp.call_id && (rsp.call_id_len != whole.call_id_len ||
					    memcmp(rsp.call_id, whole.call_id_len ? copy +
						   (whole.call_id - text) : "", rsp.call_id_len)))
				test_fail(__FILE__, __LINE__, "cut at %zu: partial Call-ID", len);
			if (rsp.has_cseq && rsp.cseq != whole.cseq)
				test_fail(__FILE__, __LINE__, "cut at %zu: CSeq %u", len, rsp.cseq);
			if (rsp.branch && rsp.branch_len != whole.branch_len)
				test_fail(__FILE__, __LINE__, "cut at %zu: partial branch", len);
			if (rsp.has_rport && rsp.rport != whole.rport)
				test_fail(__FILE__, __LINE__, "cut at %zu: rport %u", len, rsp.rport);
		}
		free(copy);
	}
	/* All of it: the same as the whole message's parse. */
	CHECK_INT(nk_sip_parse_response_head(text, full, &rsp), 0);
	CHECK(rsp.call_id == whole.call_id && rsp.branch == whole.branch &&
	      rsp.has_cseq && rsp.rport == whole.rport);
}

/* A header folded on past the cut is not taken: it may go on. */
static void cut_inside_a_fold(void)
{
	static const char text[] = "SIP/2.0 200 OK\r\n"
				   "Via: SIP/2.0/UDP 192.0.2.1;rport=1\r\n"
				   " ;received=203.0.113.1\r\n";
	static const char malformed[] = "SIP/2.0 200 OK\r\nVia: x\r\nCall-ID: y\r\n";
	struct nk_sip_response rsp;

	CHECK_INT(nk_sip_parse_response_head(text, strlen(text), &rsp), 0);
	CHECK(!rsp.has_sent_by && !rsp.has_rport);
	CHECK_INT(nk_sip_parse_response(text, strlen(text), &rsp), -1);
	/* Malformed within the bytes read is still malformed. */
	CHECK_INT(nk_sip_parse_response_head(malformed, strlen(malformed), &rsp), -1);
}

/* A deterministic generator, so that failures repeat. */
static uint32_t next_random(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

/* 1 MiB of junk, of header lines, and of one long value. */
static void one_mebibyte_of_junk(void)
{
	size_t len = 1 << 20, i;
	char *buf = malloc(len);
	struct nk_sip_response rsp;
	uint32_t state = 1;

	for (i = 0; i < len; i++)
		buf[i] = (char)next_random(&state);
	CHECK_INT(parse_exact(buf, len, &rsp), -1);

	memcpy(buf, "SIP/2.0 200 OK\r\n", 16);
	CHECK_INT(parse_exact(buf, len, &rsp), -1);

	/* Headers all the way, never ending. */
	for (i = 16; i + 8 <= len; i += 8)
		memcpy(buf + i, "X: y\r\n  ", 8);
	CHECK_INT(parse_exact(buf, len, &rsp), -1);

	/* One Via value of a megabyte of params, well formed. */
	memcpy(buf + 16, "Via: SIP/2.0/UDP 192.0.2.1", 26);
	for (i = 42; i + 4 <= len - 4; i += 4)
		memcpy(buf + i, ";a=b", 4);
	memcpy(buf + len - 4 - (len - 4 - 42) % 4, "\r\n\r\n", 4);
	CHECK_INT(parse_exact(buf, len - (len - 4 - 42) % 4, &rsp), 0);
	CHECK(rsp.has_sent_by);
	free(buf);
}

static void mapping_needs_rport_and_address(void)
{
	struct nk_sip_response rsp;
	struct nk_proto_addr map;

	memset(&rsp, 0, sizeof(rsp));
	CHECK(!nk_sip_response_mapping(&rsp, &map));
	rsp.has_rport = true;
	rsp.rport = 5060;
	CHECK(!nk_sip_response_mapping(&rsp, &map));
	rsp.has_sent_by = true;
	rsp.sent_by.family = NK_PROTO_AF_INET;
	rsp.sent_by.port = 1;
	CHECK(nk_sip_response_mapping(&rsp, &map));
	CHECK_INT(map.port, 5060);
}

/* IP literals against inet_pton, and the forms it refuses too. */
static void ip_literals(void)
{
	static const char *const v4[] = {
		"0.0.0.0", "192.0.2.1", "255.255.255.255", "10.0.0.1",
	};
	static const char *const v6[] = {
		"::", "::1", "1::", "2001:db8::", "1:2:3:4:5:6:7:8",
		"1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1::8", "1:2::7:8",
		"::ffff:192.0.2.1", "1:2:3:4:5:6:1.2.3.4", "64:ff9b::192.0.2.33",
		"FE80::ABCD", "fe80:0:0:0:0:0:0:1", "0:0:0:0:0:0:0:0",
		"2001:DB8:0:0:8:800:200C:417A", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		"::0.0.0.0", "1:2:3:4:5::1.2.3.4",
	};
	static const char *const bad[] = {
		"", "1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.04", "01.2.3.4",
		"1.2.3.4 ", " 1.2.3.4", "1..2.3", "1.2.3.", "a.b.c.d", "1.2.3.-4",
		":", ":::", "1:::2", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7",
		"12345::", "::1:", ":1::", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3",
		"::1.2.3.256", "g::", "1::2%eth0", "1:2:3:4:5:6:7:8::",
		"::1:2:3:4:5:6:7:8", "1:2:3:4:5:6::1.2.3.4", "::1.2.3.4:5",
		"::01.2.3.4", "[::1]", "1:2:3:4:5:6:7:8:", ":1:2:3:4:5:6:7:8",
		"::ffff:1.2.3.4.5", "1.2.3.4::",
	};
	struct nk_proto_addr a;
	uint8_t want[16];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(v4); i++) {
		inet_pton(AF_INET, v4[i], want);
		if (!nk_sip_parse_ip(v4[i], strlen(v4[i]), &a) ||
		    a.family != NK_PROTO_AF_INET || memcmp(a.addr, want, 4) ||
		    a.port)
			test_fail(__FILE__, __LINE__, "\"%s\" misparsed", v4[i]);
	}
	for (i = 0; i < ARRAY_SIZE(v6); i++) {
		CHECK_INT(inet_pton(AF_INET6, v6[i], want), 1);
		if (!nk_sip_parse_ip(v6[i], strlen(v6[i]), &a) ||
		    a.family != NK_PROTO_AF_INET6 || memcmp(a.addr, want, 16))
			test_fail(__FILE__, __LINE__, "\"%s\" misparsed", v6[i]);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (nk_sip_parse_ip(bad[i], strlen(bad[i]), &a))
			test_fail(__FILE__, __LINE__, "\"%s\" accepted", bad[i]);
		if (inet_pton(AF_INET, bad[i], want) == 1 ||
		    inet_pton(AF_INET6, bad[i], want) == 1)
			test_fail(__FILE__, __LINE__, "inet_pton takes \"%s\"", bad[i]);
	}
	/* Only @len bytes count: what follows is not read. */
	CHECK(nk_sip_parse_ip("192.0.2.1999", 9, &a));
	CHECK(nk_sip_parse_ip("::1]:5060", 3, &a));
}

static void ports(void)
{
	uint16_t port = 0;

	CHECK(nk_sip_parse_port("1", 1, &port));
	CHECK_INT(port, 1);
	CHECK(nk_sip_parse_port("65535", 5, &port));
	CHECK_INT(port, 65535);
	CHECK(nk_sip_parse_port("05060", 5, &port));
	CHECK_INT(port, 5060);
	CHECK(!nk_sip_parse_port("0", 1, &port));
	CHECK(!nk_sip_parse_port("65536", 5, &port));
	CHECK(!nk_sip_parse_port("99999", 5, &port));
	CHECK(!nk_sip_parse_port("005060", 6, &port));
	CHECK(!nk_sip_parse_port("", 0, &port));
	CHECK(!nk_sip_parse_port("+1", 2, &port));
	CHECK(!nk_sip_parse_port("1 ", 2, &port));
}

/* Inputs the fuzzers found are kept here (none so far). */

static const struct test_case cases[] = {
	TEST_CASE(kamailio_200_to_options),
	TEST_CASE(asterisk_401),
	TEST_CASE(compact_form),
	TEST_CASE(first_via_value_counts),
	TEST_CASE(folded_headers),
	TEST_CASE(header_names_ignore_case),
	TEST_CASE(bare_lf_line_ends),
	TEST_CASE(missing_rport),
	TEST_CASE(rport_without_received),
	TEST_CASE(ipv6_received),
	TEST_CASE(via_param_forms),
	TEST_CASE(status_codes),
	TEST_CASE(malformed_headers),
	TEST_CASE(cseq_limits),
	TEST_CASE(via_in_body_is_ignored),
	TEST_CASE(every_truncation),
	TEST_CASE(every_cut),
	TEST_CASE(cut_inside_a_fold),
	TEST_CASE(one_mebibyte_of_junk),
	TEST_CASE(mapping_needs_rport_and_address),
	TEST_CASE(ip_literals),
	TEST_CASE(ports),
	TEST_CASE(every_shared_vector),
};

TEST_SUITE(sip_parse_suite, cases);

// SPDX-License-Identifier: GPL-2.0
/* SIP responses to keep-alives, IP literals (kmod/proto/sip_parse.c). */
#include <arpa/inet.h>
#include <stdlib.h>

#include "runner.h"
#include "sip.h"

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
	if (!r) {
		/* Re-point them at the caller's text, which outlives the copy. */
		if (rsp->call_id)
			rsp->call_id = text + (rsp->call_id - copy);
		if (rsp->cseq_method)
			rsp->cseq_method = text + (rsp->cseq_method - copy);
	}
	free(copy);
	return r;
}

static int parse(const char *text, struct nk_sip_response *rsp)
{
	return parse_exact(text, strlen(text), rsp);
}

static bool span_is(const char *p, size_t len, const char *want)
{
	return p && len == strlen(want) && !memcmp(p, want, len);
}

#define CHECK_SPAN(p, len, want) do { \
	if (!span_is(p, len, want)) \
		test_fail(__FILE__, __LINE__, "%s is \"%.*s\", expected \"%s\"", \
			  #p, (int)(p ? len : 6), p ? p : "(null)", want); \
} while (0)

static void check_v4(const struct nk_proto_addr *a, const char *text,
		     uint16_t port, int line)
{
	uint8_t want[4];

	inet_pton(AF_INET, text, want);
	if (a->family != NK_PROTO_AF_INET || a->port != port ||
	    memcmp(a->addr, want, 4))
		test_fail(__FILE__, line, "not %s port %u (family %u port %u)",
			  text, port, a->family, a->port);
}

static void check_v6(const struct nk_proto_addr *a, const char *text,
		     uint16_t port, int line)
{
	uint8_t want[16];

	inet_pton(AF_INET6, text, want);
	if (a->family != NK_PROTO_AF_INET6 || a->port != port ||
	    memcmp(a->addr, want, 16))
		test_fail(__FILE__, line, "not %s port %u (family %u port %u)",
			  text, port, a->family, a->port);
}

#define CHECK_V4(a, text, port) check_v4(a, text, port, __LINE__)
#define CHECK_V6(a, text, port) check_v6(a, text, port, __LINE__)

/* kamailio 5.6 answering OPTIONS from behind a NAT (sl_send_reply). */
static const char kamailio_200[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 192.168.1.20:5060;rport=40312;branch=z9hG4bK776asdhds;received=203.0.113.7\r\n"
	"From: <sip:1001@sip.example.com>;tag=1928301774\r\n"
	"To: <sip:1001@sip.example.com>;tag=a6c85cf2b1e0ff8d4e5c3a1b2d3c4e5f-4f1a\r\n"
	"Call-ID: a84b4c76e66710\r\n"
	"CSeq: 1 OPTIONS\r\n"
	"Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, NOTIFY, SUBSCRIBE\r\n"
	"Accept: */*\r\n"
	"Accept-Encoding: \r\n"
	"Accept-Language: en\r\n"
	"Supported: \r\n"
	"Server: kamailio (5.6.3 (x86_64/linux))\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

static void kamailio_200_to_options(void)
{
	struct nk_sip_response rsp;
	struct nk_proto_addr map;

	CHECK_INT(parse(kamailio_200, &rsp), 0);
	CHECK_INT(rsp.status, 200);
	CHECK_SPAN(rsp.call_id, rsp.call_id_len, "a84b4c76e66710");
	CHECK(rsp.has_cseq);
	CHECK_INT(rsp.cseq, 1);
	CHECK_SPAN(rsp.cseq_method, rsp.cseq_method_len, "OPTIONS");
	CHECK(rsp.has_sent_by);
	CHECK_V4(&rsp.sent_by, "192.168.1.20", 5060);
	CHECK(rsp.has_received);
	CHECK_V4(&rsp.received, "203.0.113.7", 0);
	CHECK(rsp.has_rport);
	CHECK_INT(rsp.rport, 40312);
	CHECK(nk_sip_response_mapping(&rsp, &map));
	CHECK_V4(&map, "203.0.113.7", 40312);
}

/* Asterisk (chan_pjsip) challenging a REGISTER. */
static void asterisk_401(void)
{
	static const char msg[] =
		"SIP/2.0 401 Unauthorized\r\n"
		"Via: SIP/2.0/UDP 10.0.0.5:5060;rport=5060;received=198.51.100.20;branch=z9hG4bKPj0b7e5b4c-2b5f-4c1e-9d0e-6f1a2b3c4d5e\r\n"
		"Call-ID: 4b5c6d7e-8f90-1a2b-3c4d-5e6f7a8b9c0d\r\n"
		"From: \"1001\" <sip:1001@pbx.example.org>;tag=6f4d2a1b-3c5e-4f7a-8b9c-0d1e2f3a4b5c\r\n"
		"To: <sip:1001@pbx.example.org>;tag=z9hG4bKPj0b7e5b4c-2b5f-4c1e-9d0e-6f1a2b3c4d5e\r\n"
		"CSeq: 7 REGISTER\r\n"
		"WWW-Authenticate: Digest realm=\"asterisk\",nonce=\"1700000000/0123456789abcdef0123456789abcdef\",opaque=\"5a3c2b1d0e9f8a7b\",algorithm=md5,qop=\"auth\"\r\n"
		"Server: Asterisk PBX 18.10.0\r\n"
		"Content-Length:  0\r\n"
		"\r\n";
	struct nk_sip_response rsp;
	struct nk_proto_addr map;

	CHECK_INT(parse(msg, &rsp), 0);
	CHECK_INT(rsp.status, 401);
	CHECK_SPAN(rsp.call_id, rsp.call_id_len, "4b5c6d7e-8f90-1a2b-3c4d-5e6f7a8b9c0d");
	CHECK_INT(rsp.cseq, 7);
	CHECK_SPAN(rsp.cseq_method, rsp.cseq_method_len, "REGISTER");
	CHECK(nk_sip_response_mapping(&rsp, &map));
	CHECK_V4(&map, "198.51.100.20", 5060);
}

static void compact_form(void)
{
	static const char msg[] =
		"SIP/2.0 200 OK\r\n"
		"v: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKnashds8;rport=1024;received=203.0.113.9\r\n"
		"f: <sip:1001@example.com>;tag=1\r\n"
		"t: <sip:1001@example.com>;tag=2\r\n"
		"i: f81d4fae-7dec-11d0-a765-00a0c91e6bf6@192.0.2.10\r\n"
		"CSeq: 2 NOTIFY\r\n"
		"l: 0\r\n"
		"\r\n";
	struct nk_sip_response rsp;
	struct nk_proto_addr map;

	CHECK_INT(parse(msg, &rsp), 0);
	CHECK_SPAN(rsp.call_id, rsp.call_id_len,
		   "f81d4fae-7dec-11d0-a765-00a0c91e6bf6@192.0.2.10");
	CHECK(nk_sip_response_mapping(&rsp, &map));
	CHECK_V4(&map, "203.0.113.9", 1024);
}

/* The top Via is the first value of the first Via header. */
static void first_via_value_counts(void)
{
	static const char one_header[] =
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP 192.0.2.10:5060;rport=1111;received=203.0.113.1;branch=z9hG4bK1 , "
		"SIP/2.0/UDP 10.9.9.9:5060;rport=2222;received=198.51.100.2;branch=z9hG4bK2\r\n"
		"Via: SIP/2.0/UDP 10.8.8.8;rport=3333;received=198.51.100.3\r\n"
		"Call-ID: x\r\n"
		"CSeq: 1 OPTIONS\r\n"
		"\r\n";
	static const char two_headers[] =
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP 192.0.2.10:5060;rport=1111;received=203.0.113.1\r\n"
		"Call-ID: x\r\n"
		"via: SIP/2.0/UDP 10.9.9.9:5060;rport=2222;received=bogus\r\n"
		"\r\n";
	struct nk_sip_response rsp;
	struct nk_proto_addr map;

	CHECK_INT(parse(one_header, &rsp), 0);
	CHECK(nk_sip_response_mapping(&rsp, &map));
	CHECK_V4(&map, "203.0.113.1", 1111);
	/* The later Via headers are not even looked at. */
	CHECK_INT(parse(two_headers, &rsp), 0);
	CHECK(nk_sip_response_mapping(&rsp, &map));
	CHECK_V4(&map, "203.0.113.1", 1111);
	CHECK(!rsp.has_cseq);
}

static void folded_headers(void)
{
	static const char msg[] =
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP\r\n"
		"  192.0.2.10 : 5062\r\n"
		" ;rport = 4000\r\n"
		"\t;received=203.0.113.4;branch=z9hG4bKx\r\n"
		"Call-ID:\r\n"
		" folded@host\r\n"
		"CSeq:\r\n"
		" 42\r\n"
		"\tNOTIFY\r\n"
		"\r\n";
	struct nk_sip_response rsp;
	struct nk_proto_addr map;

	CHECK_INT(parse(msg, &rsp), 0);
	CHECK_V4(&rsp.sent_by, "192.0.2.10", 5062);
	CHECK(nk_sip_response_mapping(&rsp, &map));
	CHECK_V4(&map, "203.0.113.4", 4000);
	CHECK_SPAN(rsp.call_id, rsp.call_id_len, "folded@host");
	CHECK_INT(rsp.cseq, 42);
	CHECK_SPAN(rsp.cseq_method, rsp.cseq_method_len, "NOTIFY");
}

static void header_names_ignore_case(void)
{
	static const char msg[] =
		"sip/2.0 200 OK\r\n"
		"VIA: SIP/2.0/UDP 192.0.2.10;RPORT=7000;Received=203.0.113.5\r\n"
		"call-id: abc\r\n"
		"cseq: 9 OPTIONS\r\n"
		"\r\n";
	struct nk_sip_response rsp;
	struct nk_proto_addr map;

	CHECK_INT(parse(msg, &rsp), 0);
	CHECK_SPAN(rsp.call_id, rsp.call_id_len, "abc");
	CHECK_INT(rsp.cseq, 9);
	CHECK(nk_sip_response_mapping(&rsp, &map));
	CHECK_V4(&map, "203.0.113.5", 7000);
}

static void bare_lf_line_ends(void)
{
	static const char msg[] =
		"SIP/2.0 200 OK\n"
		"Via: SIP/2.0/UDP 192.0.2.10;rport=7000;received=203.0.113.5\n"
		"Call-ID: abc\n"
		"\n";
	struct nk_sip_response rsp;
	struct nk_proto_addr map;

	CHECK_INT(parse(msg, &rsp), 0);
	CHECK(nk_sip_response_mapping(&rsp, &map));
	CHECK_V4(&map, "203.0.113.5", 7000);
}

/* Without rport=, no mapping: the NAT's port is unknown. */
static void missing_rport(void)
{
	static const char *const msgs[] = {
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.168.1.20:5060;received=203.0.113.7;branch=z9hG4bK1\r\n\r\n",
		/* rport without a value: the server ignored RFC 3581 */
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.168.1.20:5060;rport;received=203.0.113.7\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.168.1.20:5060;received=203.0.113.7;rport\r\n\r\n",
	};
	struct nk_sip_response rsp;
	struct nk_proto_addr map;
	size_t i;

	for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		CHECK_INT(parse(msgs[i], &rsp), 0);
		CHECK(rsp.has_received);
		CHECK(!rsp.has_rport);
		CHECK(!nk_sip_response_mapping(&rsp, &map));
	}
}

/* rport without received: the address did not change, the port did. */
static void rport_without_received(void)
{
	static const char ip[] =
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 203.0.113.7:5060;rport=5999\r\n\r\n";
	static const char name[] =
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP phone.example.com:5060;rport=5999\r\n\r\n";
	struct nk_sip_response rsp;
	struct nk_proto_addr map;

	CHECK_INT(parse(ip, &rsp), 0);
	CHECK(nk_sip_response_mapping(&rsp, &map));
	CHECK_V4(&map, "203.0.113.7", 5999);
	/* A host name tells no address. */
	CHECK_INT(parse(name, &rsp), 0);
	CHECK(!rsp.has_sent_by);
	CHECK(rsp.has_rport);
	CHECK(!nk_sip_response_mapping(&rsp, &map));
}

static void ipv6_received(void)
{
	static const char bare[] =
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP [2001:db8::10]:5060;rport=5062;received=2001:db8:ffff::7;branch=z9hG4bK1\r\n"
		"\r\n";
	static const char bracketed[] =
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP [2001:db8::10];received=[2001:db8:ffff::7];rport=5062\r\n"
		"\r\n";
	static const char sent_by_only[] =
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP [2001:db8::10]:5060;rport=5062\r\n"
		"\r\n";
	struct nk_sip_response rsp;
	struct nk_proto_addr map;

	CHECK_INT(parse(bare, &rsp), 0);
	CHECK_V6(&rsp.sent_by, "2001:db8::10", 5060);
	CHECK(nk_sip_response_mapping(&rsp, &map));
	CHECK_V6(&map, "2001:db8:ffff::7", 5062);
	CHECK_INT(parse(bracketed, &rsp), 0);
	CHECK_V6(&rsp.sent_by, "2001:db8::10", 0);
	CHECK(nk_sip_response_mapping(&rsp, &map));
	CHECK_V6(&map, "2001:db8:ffff::7", 5062);
	CHECK_INT(parse(sent_by_only, &rsp), 0);
	CHECK(nk_sip_response_mapping(&rsp, &map));
	CHECK_V6(&map, "2001:db8::10", 5062);
}

/* Via params with values of every form, and the first rport counts. */
static void via_param_forms(void)
{
	static const char msg[] =
		"SIP/2.0 200 OK\r\n"
		"Via: SIP / 2.0 / UDP 192.0.2.10:5060 ; maddr=[2001:db8::1] ;x=\"a;b,\\\"c\" ;ttl=1"
		";rport=1000;rport=2000;received=203.0.113.1;received=203.0.113.2;lr\r\n"
		"\r\n";
	struct nk_sip_response rsp;
	struct nk_proto_addr map;

	CHECK_INT(parse(msg, &rsp), 0);
	CHECK(nk_sip_response_mapping(&rsp, &map));
	CHECK_V4(&map, "203.0.113.1", 1000);
}

static void status_codes(void)
{
	static const struct {
		const char *line;
		unsigned int status;
	} good[] = {
		{ "SIP/2.0 100 Trying\r\n\r\n", 100 },
		{ "SIP/2.0 699 Whatever\r\n\r\n", 699 },
		{ "SIP/2.0 183 Session Progress\r\n\r\n", 183 },
		{ "SIP/2.0 200 \r\n\r\n", 200 },
		{ "SIP/2.0 200\r\n\r\n", 200 },
		{ "SIP/2.0 503 Service \xc3\xa9 Unavailable\r\n\r\n", 503 },
	};
	static const char *const bad[] = {
		"SIP/2.0 099 Low\r\n\r\n", "SIP/2.0 700 High\r\n\r\n",
		"SIP/2.0 1000 OK\r\n\r\n", "SIP/2.0 20 OK\r\n\r\n",
		"SIP/2.0 2OO OK\r\n\r\n", "SIP/2.0  200 OK\r\n\r\n",
		"SIP/2.0 -20 OK\r\n\r\n", "SIP/2.0 200OK\r\n\r\n",
		"SIP/3.0 200 OK\r\n\r\n", "SIP/2.00 200 OK\r\n\r\n",
		"HTTP/1.1 200 OK\r\n\r\n", "OPTIONS sip:a SIP/2.0\r\n\r\n",
		"SIP/2.0 200 O\x01K\r\n\r\n", "SIP/2.0 200 OK\rVia: x\r\n\r\n",
		"", "\r\n\r\n", "SIP/2.0 200 OK", "SIP/2.0 200 OK\r\n",
		"SIP/2.0\r\n\r\n", " SIP/2.0 200 OK\r\n\r\n",
	};
	struct nk_sip_response rsp;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		CHECK_INT(parse(good[i].line, &rsp), 0);
		CHECK_INT(rsp.status, good[i].status);
		CHECK(!rsp.call_id);
		CHECK(!rsp.has_cseq);
		CHECK(!rsp.has_received);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i], &rsp) != -1)
			test_fail(__FILE__, __LINE__, "bad case %zu accepted", i);
}

static void malformed_headers(void)
{
	static const char *const bad[] = {
		/* header without colon */
		"SIP/2.0 200 OK\r\nVia SIP/2.0/UDP 192.0.2.1\r\n\r\n",
		"SIP/2.0 200 OK\r\nCall-ID: a\r\nJunk\r\n\r\n",
		/* a continuation with nothing to continue */
		"SIP/2.0 200 OK\r\n folded\r\n\r\n",
		/* no empty line at the end */
		"SIP/2.0 200 OK\r\nCall-ID: a\r\n",
		"SIP/2.0 200 OK\r\nCall-ID: a\r\n\r",
		"SIP/2.0 200 OK\r\nCall-ID: a\r\n folded",
		/* empty name */
		"SIP/2.0 200 OK\r\n: value\r\n\r\n",
		/* Via: bad protocol, host, port, params, received, rport */
		"SIP/2.0 200 OK\r\nVia:\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0 192.0.2.1\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP192.0.2.1\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1:\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1:0\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1:65536\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP [2001:db8::1\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP [192.0.2.1]\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1 x\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;=1\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;x=\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;x=\"open\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;x=\"esc\\\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;received\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;received=nat.example.com\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;received=203.0.113.256\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;received=2001:db8::1::2\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;rport=0\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;rport=65536\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;rport=99999999999999999999\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;rport=12ab\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;rport=-1\r\n\r\n",
		"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;rport=\r\n\r\n",
		/* Call-ID empty or with white space inside */
		"SIP/2.0 200 OK\r\nCall-ID:  \r\n\r\n",
		"SIP/2.0 200 OK\r\nCall-ID: a b\r\n\r\n",
		/* CSeq: overflow, no number, no method, junk after */
		"SIP/2.0 200 OK\r\nCSeq: 4294967296 OPTIONS\r\n\r\n",
		"SIP/2.0 200 OK\r\nCSeq: 99999999999999999999 OPTIONS\r\n\r\n",
		"SIP/2.0 200 OK\r\nCSeq: OPTIONS\r\n\r\n",
		"SIP/2.0 200 OK\r\nCSeq: 1\r\n\r\n",
		"SIP/2.0 200 OK\r\nCSeq: 1OPTIONS\r\n\r\n",
		"SIP/2.0 200 OK\r\nCSeq: -1 OPTIONS\r\n\r\n",
		"SIP/2.0 200 OK\r\nCSeq: 1 OPTIONS x\r\n\r\n",
	};
	struct nk_sip_response rsp;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (parse(bad[i], &rsp) != -1)
			test_fail(__FILE__, __LINE__, "bad case %zu accepted:\n%s", i, bad[i]);
}

static void cseq_limits(void)
{
	struct nk_sip_response rsp;

	CHECK_INT(parse("SIP/2.0 200 OK\r\nCSeq: 4294967295 OPTIONS\r\n\r\n", &rsp), 0);
	CHECK(rsp.has_cseq);
	CHECK_INT(rsp.cseq, 4294967295u);
	CHECK_INT(parse("SIP/2.0 200 OK\r\nCSeq: 0000000000000000000001 NOTIFY\r\n\r\n",
			&rsp), 0);
	CHECK_INT(rsp.cseq, 1);
	CHECK_INT(parse("SIP/2.0 200 OK\r\nCSeq: 0 X\r\n\r\n", &rsp), 0);
	CHECK_INT(rsp.cseq, 0);
}

/* What follows the empty line is the body: a Via there is no Via. */
static void via_in_body_is_ignored(void)
{
	static const char msg[] =
		"SIP/2.0 200 OK\r\n"
		"Call-ID: abc\r\n"
		"Content-Type: message/sipfrag\r\n"
		"Content-Length: 86\r\n"
		"\r\n"
		"Via: SIP/2.0/UDP 192.0.2.10:5060;rport=1111;received=203.0.113.1\r\n"
		"CSeq: 5 OPTIONS\r\n";
	struct nk_sip_response rsp;
	struct nk_proto_addr map;

	CHECK_INT(parse(msg, &rsp), 0);
	CHECK(!rsp.has_received);
	CHECK(!rsp.has_rport);
	CHECK(!rsp.has_cseq);
	CHECK(!nk_sip_response_mapping(&rsp, &map));
	/* Not even looked at: junk in the body does not matter. */
	CHECK_INT(parse("SIP/2.0 200 OK\r\n\r\nVia\x01\xff no colon", &rsp), 0);
}

/* Every prefix of a real response: no read past the end, and -1. */
static void every_truncation(void)
{
	struct nk_sip_response rsp;
	size_t len, full = strlen(kamailio_200);

	for (len = 0; len < full; len++)
		if (parse_exact(kamailio_200, len, &rsp) != -1)
			test_fail(__FILE__, __LINE__, "prefix of %zu accepted", len);
	CHECK_INT(parse_exact(kamailio_200, full, &rsp), 0);
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

	for (i = 0; i < sizeof(v4) / sizeof(v4[0]); i++) {
		inet_pton(AF_INET, v4[i], want);
		if (!nk_sip_parse_ip(v4[i], strlen(v4[i]), &a) ||
		    a.family != NK_PROTO_AF_INET || memcmp(a.addr, want, 4) ||
		    a.port)
			test_fail(__FILE__, __LINE__, "\"%s\" misparsed", v4[i]);
	}
	for (i = 0; i < sizeof(v6) / sizeof(v6[0]); i++) {
		CHECK_INT(inet_pton(AF_INET6, v6[i], want), 1);
		if (!nk_sip_parse_ip(v6[i], strlen(v6[i]), &a) ||
		    a.family != NK_PROTO_AF_INET6 || memcmp(a.addr, want, 16))
			test_fail(__FILE__, __LINE__, "\"%s\" misparsed", v6[i]);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
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
	TEST_CASE(one_mebibyte_of_junk),
	TEST_CASE(mapping_needs_rport_and_address),
	TEST_CASE(ip_literals),
	TEST_CASE(ports),
};

TEST_SUITE(sip_parse_suite, cases);

// SPDX-License-Identifier: GPL-2.0
/* SIP keep-alive requests and the checks of their strings (kmod/proto/sip_build.c). */
#include <stdlib.h>

#include "runner.h"
#include "sip.h"

/* Build into an exact-size heap buffer (ASan sees any overrun), as text. */
static char *build(const struct nk_sip_request *req, const char *via_host,
		   uint16_t via_port, const char *branch, uint32_t cseq)
{
	size_t len = nk_sip_build_request(NULL, 0, req, via_host, via_port,
					  branch, cseq);
	char *exact = malloc(len), *text = malloc(len + 1);

	CHECK_INT(nk_sip_build_request(exact, len, req, via_host, via_port,
				       branch, cseq), len);
	memcpy(text, exact, len);
	text[len] = '\0';
	free(exact);
	return text;
}

static const struct nk_sip_request options_req = {
	.method = "OPTIONS",
	.host = "sip.example.com",
	.from_user = "1001",
	.from_domain = "sip.example.com",
	.call_id = "a84b4c76e66710",
	.from_tag = "1928301774",
};

static void builds_options(void)
{
	char *text = build(&options_req, "192.168.1.20", 5060, "776asdhds", 1);

	CHECK_STR(text,
		  "OPTIONS sip:sip.example.com SIP/2.0\r\n"
		  "Via: SIP/2.0/UDP 192.168.1.20:5060;rport;branch=z9hG4bK776asdhds\r\n"
		  "Max-Forwards: 70\r\n"
		  "From: <sip:1001@sip.example.com>;tag=1928301774\r\n"
		  "To: <sip:1001@sip.example.com>\r\n"
		  "Call-ID: a84b4c76e66710\r\n"
		  "CSeq: 1 OPTIONS\r\n"
		  "Contact: <sip:1001@192.168.1.20:5060>\r\n"
		  "Content-Length: 0\r\n"
		  "\r\n");
	free(text);
}

static void builds_notify_with_user_agent(void)
{
	struct nk_sip_request req = {
		.method = "NOTIFY",
		.event = "keep-alive",
		.host = "192.0.2.1:5070",
		.from_user = "alice",
		.from_domain = "voip.example.net",
		.user_agent = "natkeep/0.1",
		.call_id = "3848276298220188511@natkeep",
		.from_tag = "9fxced76sl",
	};
	char *text = build(&req, "10.0.0.2", 5062, "4b43c2ff8", 4294967295u);

	CHECK_STR(text,
		  "NOTIFY sip:192.0.2.1:5070 SIP/2.0\r\n"
		  "Via: SIP/2.0/UDP 10.0.0.2:5062;rport;branch=z9hG4bK4b43c2ff8\r\n"
		  "Max-Forwards: 70\r\n"
		  "From: <sip:alice@voip.example.net>;tag=9fxced76sl\r\n"
		  "To: <sip:alice@192.0.2.1:5070>\r\n"
		  "Call-ID: 3848276298220188511@natkeep\r\n"
		  "CSeq: 4294967295 NOTIFY\r\n"
		  "Contact: <sip:alice@10.0.0.2:5062>\r\n"
		  "Event: keep-alive\r\n"
		  "Subscription-State: active\r\n"
		  "User-Agent: natkeep/0.1\r\n"
		  "Content-Length: 0\r\n"
		  "\r\n");
	free(text);
}

/* mtd=PING;user=echo: the user goes into the Request-URI and To. */
static void builds_custom_ping_with_user(void)
{
	struct nk_sip_request req = options_req;
	char *text;

	req.method = "PING";
	req.ruri_user = "echo";
	req.user_agent = "OBi/1.0 (natkeep)";
	text = build(&req, "192.168.1.20", 5060, "1", 0);
	CHECK_STR(text,
		  "PING sip:echo@sip.example.com SIP/2.0\r\n"
		  "Via: SIP/2.0/UDP 192.168.1.20:5060;rport;branch=z9hG4bK1\r\n"
		  "Max-Forwards: 70\r\n"
		  "From: <sip:1001@sip.example.com>;tag=1928301774\r\n"
		  "To: <sip:echo@sip.example.com>\r\n"
		  "Call-ID: a84b4c76e66710\r\n"
		  "CSeq: 0 PING\r\n"
		  "Contact: <sip:1001@192.168.1.20:5060>\r\n"
		  "User-Agent: OBi/1.0 (natkeep)\r\n"
		  "Content-Length: 0\r\n"
		  "\r\n");
	free(text);
}

/* mtd=PING alone: no userid in the Request-URI, To takes From's. */
static void builds_custom_ping_without_user(void)
{
	struct nk_sip_request req = options_req;
	char *text;

	req.method = "PING";
	req.ruri_user = "";	/* as a parsed custom spec leaves it */
	req.user_agent = "";
	text = build(&req, "192.168.1.20", 5060, "2", 7);
	CHECK_STR(text,
		  "PING sip:sip.example.com SIP/2.0\r\n"
		  "Via: SIP/2.0/UDP 192.168.1.20:5060;rport;branch=z9hG4bK2\r\n"
		  "Max-Forwards: 70\r\n"
		  "From: <sip:1001@sip.example.com>;tag=1928301774\r\n"
		  "To: <sip:1001@sip.example.com>\r\n"
		  "Call-ID: a84b4c76e66710\r\n"
		  "CSeq: 7 PING\r\n"
		  "Contact: <sip:1001@192.168.1.20:5060>\r\n"
		  "Content-Length: 0\r\n"
		  "\r\n");
	free(text);
}

static void builds_ipv6_via(void)
{
	struct nk_sip_request req = options_req;
	char *bracketed, *bare;

	req.host = "[2001:db8::1]";
	bracketed = build(&req, "[2001:db8::10]", 5060, "b6", 2);
	CHECK_STR(bracketed,
		  "OPTIONS sip:[2001:db8::1] SIP/2.0\r\n"
		  "Via: SIP/2.0/UDP [2001:db8::10]:5060;rport;branch=z9hG4bKb6\r\n"
		  "Max-Forwards: 70\r\n"
		  "From: <sip:1001@sip.example.com>;tag=1928301774\r\n"
		  "To: <sip:1001@[2001:db8::1]>\r\n"
		  "Call-ID: a84b4c76e66710\r\n"
		  "CSeq: 2 OPTIONS\r\n"
		  "Contact: <sip:1001@[2001:db8::10]:5060>\r\n"
		  "Content-Length: 0\r\n"
		  "\r\n");
	/* A bare IPv6 via_host gets its brackets. */
	bare = build(&req, "2001:db8::10", 5060, "b6", 2);
	CHECK_STR(bare, bracketed);
	free(bracketed);
	free(bare);
}

/* Too small a buffer: the needed length, and no byte past cap written. */
static void cap_too_small(void)
{
	char buf[600];
	size_t need, cap;

	need = nk_sip_build_request(NULL, 0, &options_req, "192.168.1.20",
				    5060, "776asdhds", 1);
	CHECK_INT(need, 304);
	for (cap = 0; cap < need; cap += 7) {
		memset(buf, '#', sizeof(buf));
		CHECK_INT(nk_sip_build_request(buf, cap, &options_req,
					       "192.168.1.20", 5060,
					       "776asdhds", 1), need);
		CHECK_INT(buf[cap], '#');
		CHECK_INT(buf[need], '#');
	}
	memset(buf, '#', sizeof(buf));
	CHECK_INT(nk_sip_build_request(buf, need - 1, &options_req,
				       "192.168.1.20", 5060, "776asdhds", 1),
		  need);
	CHECK_INT(buf[need - 1], '#');
	/* A bigger buffer: the request, and nothing after it (no NUL). */
	memset(buf, '#', sizeof(buf));
	CHECK_INT(nk_sip_build_request(buf, sizeof(buf), &options_req,
				       "192.168.1.20", 5060, "776asdhds", 1),
		  need);
	CHECK(!memcmp(buf + need - 4, "\r\n\r\n#", 5));
}

static void valid_tokens(void)
{
	static const char *const good[] = {
		"OPTIONS", "NOTIFY", "PING", "keep-alive", "x", "a.b!c%d*e_f+g`h'i~j",
		"12345678901234567890123456789012",	/* 32 */
	};
	static const char *const bad[] = {
		"", "NOT IFY", "NOTIFY\r\n", "NOTIFY\n", "a:b", "a;b", "a=b", "a/b",
		"a\"b", "a<b", "\xc3\xa9", "a\tb",
		"123456789012345678901234567890123",	/* 33 */
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!nk_sip_valid_token(good[i]))
			test_fail(__FILE__, __LINE__, "\"%s\" refused", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (nk_sip_valid_token(bad[i]))
			test_fail(__FILE__, __LINE__, "\"%s\" accepted", bad[i]);
	CHECK(!nk_sip_valid_token(NULL));
}

static void valid_users(void)
{
	static const char *const good[] = {
		"1001", "alice", "+15551234567", "a.b_c-d!e~f*g'h(i)j",
		"&=+$,;?/", "%41lice", "%aF",
		"1234567890123456789012345678901234567890123456789012345678901234",
	};
	static const char *const bad[] = {
		"", "al ice", "alice@", "a:b", "a\r\nb", "%4", "%", "%zz", "%4g",
		"<a>", "a\"b", "\xc3\xa9", "a#b", "a[b]",
		"12345678901234567890123456789012345678901234567890123456789012345",
	};
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!nk_sip_valid_user(good[i]))
			test_fail(__FILE__, __LINE__, "\"%s\" refused", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (nk_sip_valid_user(bad[i]))
			test_fail(__FILE__, __LINE__, "\"%s\" accepted", bad[i]);
	CHECK(!nk_sip_valid_user(NULL));
}

static void valid_hosts(void)
{
	static const char *const good[] = {
		"sip.example.com", "sip.example.com.", "example", "a-b.c-d.example",
		"sip.example.com:5060", "192.0.2.1", "192.0.2.1:5060", "0.0.0.0",
		"[2001:db8::1]", "[2001:db8::1]:5061", "[::1]", "[::ffff:192.0.2.1]",
		"1.example.com", "x.y2k", "a:65535",
	};
	static const char *const bad[] = {
		"", ".", "a..b", ".a", "-a.com", "a-.com", "a.-b", "a_b.com",
		"a.1", "1.2.3", "192.0.2.256", "192.0.2.1.", "01.2.3.4",
		"2001:db8::1", "[2001:db8::1", "[192.0.2.1]", "[]", "[::1]x",
		"[::1]:", "a:", "a:0", "a:65536", "a:123456", "a:50x", "a:-1",
		"host name", "host\r\n", "a.com:5060:1", "a@b",
	};
	char longest[NK_SIP_HOST_MAX + 2];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!nk_sip_valid_host(good[i]))
			test_fail(__FILE__, __LINE__, "\"%s\" refused", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (nk_sip_valid_host(bad[i]))
			test_fail(__FILE__, __LINE__, "\"%s\" accepted", bad[i]);
	CHECK(!nk_sip_valid_host(NULL));

	/* 255 characters of labels of 63: fits; one more does not. */
	memset(longest, 'a', sizeof(longest));
	longest[63] = longest[127] = longest[191] = '.';
	longest[NK_SIP_HOST_MAX] = '\0';
	CHECK(nk_sip_valid_host(longest));
	longest[NK_SIP_HOST_MAX] = 'a';
	longest[NK_SIP_HOST_MAX + 1] = '\0';
	CHECK(!nk_sip_valid_host(longest));
	/* A label of 64. */
	memset(longest, 'a', 64);
	strcpy(longest + 64, ".com");
	CHECK(!nk_sip_valid_host(longest));
}

static void valid_texts(void)
{
	static const char *const good[] = {
		"natkeep/0.1", "OBi/1.0 (linux; x86_64)", " ", "~",
		"caf\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xc2\xa0",
		"\xed\x9f\xbf", "\xf4\x8f\xbf\xbf",
	};
	static const char *const bad[] = {
		"", "a\r\nb", "a\nb", "a\rb", "a\tb", "\x7f", "\x01",
		"\xc3", "\xc3(", "\xc0\xaf", "\xc1\xbf",	/* cut, overlong */
		"\xe0\x80\xaf", "\xed\xa0\x80",		/* overlong, surrogate */
		"\xf4\x90\x80\x80", "\xf5\x80\x80\x80",	/* over U+10FFFF */
		"\xc2\x85", "\x80", "\xbf", "\xfe", "\xff",	/* C1, stray */
		"\xe2\x82", "\xf0\x9f\x98",
	};
	char longest[NK_SIP_TEXT_MAX + 2];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!nk_sip_valid_text(good[i]))
			test_fail(__FILE__, __LINE__, "case %zu refused", i);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (nk_sip_valid_text(bad[i]))
			test_fail(__FILE__, __LINE__, "case %zu accepted", i);
	CHECK(!nk_sip_valid_text(NULL));
	memset(longest, 'x', sizeof(longest));
	longest[NK_SIP_TEXT_MAX] = '\0';
	CHECK(nk_sip_valid_text(longest));
	longest[NK_SIP_TEXT_MAX] = 'x';
	longest[NK_SIP_TEXT_MAX + 1] = '\0';
	CHECK(!nk_sip_valid_text(longest));
}

/*
 * The checks stop reading at their limit: a string of exactly max + 1
 * bytes without a NUL is refused without a read past it.
 */
static void checks_read_no_further_than_their_limit(void)
{
	char *s = malloc(NK_SIP_HOST_MAX + 1);

	memset(s, 'a', NK_SIP_HOST_MAX + 1);
	CHECK(!nk_sip_valid_host(s));
	CHECK(!nk_sip_valid_user(s));
	CHECK(!nk_sip_valid_token(s));
	CHECK(!nk_sip_valid_text(s));
	free(s);
}

static const struct test_case cases[] = {
	TEST_CASE(builds_options),
	TEST_CASE(builds_notify_with_user_agent),
	TEST_CASE(builds_custom_ping_with_user),
	TEST_CASE(builds_custom_ping_without_user),
	TEST_CASE(builds_ipv6_via),
	TEST_CASE(cap_too_small),
	TEST_CASE(valid_tokens),
	TEST_CASE(valid_users),
	TEST_CASE(valid_hosts),
	TEST_CASE(valid_texts),
	TEST_CASE(checks_read_no_further_than_their_limit),
};

TEST_SUITE(sip_build_suite, cases);

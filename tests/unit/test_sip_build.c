// SPDX-License-Identifier: GPL-2.0
/* SIP keep-alive requests and the checks of their strings (kmod/proto/sip_build.c). */
#include <stdlib.h>

#include "nk_array.h"
#include "proto_vectors.h"
#include "runner.h"

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

/* A shared vector (tests/vectors/proto_vectors.h), as KUnit checks it too. */
static void check_vector(const struct nk_sip_build_vector *v)
{
	char *text = build(&v->req, v->via_host, v->via_port, v->branch, v->cseq);

	if (strcmp(text, v->text))
		test_fail(__FILE__, __LINE__, "%s:\n  got:      \"%s\"\n  expected: \"%s\"",
			  v->name, text, v->text);
	free(text);
}

DEFINE_CHECK_TOPIC(nk_sip_build_vectors, check_vector)

static void every_shared_vector(void)
{
	check_topic("");
}

/* The OPTIONS request of the shared vectors. */
static const struct nk_sip_request *const options_req = &nk_sip_build_vectors[0].req;

static void builds_options(void)
{
	check_topic("OPTIONS");
}

static void builds_notify_with_user_agent(void)
{
	check_topic("NOTIFY with");
}

/* mtd=PING;user=echo: the user goes into the Request-URI and To. */
static void builds_custom_ping_with_user(void)
{
	check_topic("custom PING with a user");
}

/* mtd=PING alone: no userid in the Request-URI, To takes From's. */
static void builds_custom_ping_without_user(void)
{
	check_topic("custom PING without");
}

static void builds_ipv6_via(void)
{
	check_topic("IPv6 Via");
}

/* Too small a buffer: the needed length, and no byte past cap written. */
static void cap_too_small(void)
{
	char buf[600];
	size_t need, cap;

	need = nk_sip_build_request(NULL, 0, options_req, "192.168.1.20",
				    5060, "776asdhds", 1);
	CHECK_INT(need, 304);
	for (cap = 0; cap < need; cap += 7) {
		memset(buf, '#', sizeof(buf));
		CHECK_INT(nk_sip_build_request(buf, cap, options_req,
					       "192.168.1.20", 5060,
					       "776asdhds", 1), need);
		CHECK_INT(buf[cap], '#');
		CHECK_INT(buf[need], '#');
	}
	memset(buf, '#', sizeof(buf));
	CHECK_INT(nk_sip_build_request(buf, need - 1, options_req,
				       "192.168.1.20", 5060, "776asdhds", 1),
		  need);
	CHECK_INT(buf[need - 1], '#');
	/* A bigger buffer: the request, and nothing after it (no NUL). */
	memset(buf, '#', sizeof(buf));
	CHECK_INT(nk_sip_build_request(buf, sizeof(buf), options_req,
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

	for (i = 0; i < ARRAY_SIZE(good); i++)
		if (!nk_sip_valid_token(good[i]))
			test_fail(__FILE__, __LINE__, "\"%s\" refused", good[i]);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
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

	for (i = 0; i < ARRAY_SIZE(good); i++)
		if (!nk_sip_valid_user(good[i]))
			test_fail(__FILE__, __LINE__, "\"%s\" refused", good[i]);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
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

	for (i = 0; i < ARRAY_SIZE(good); i++)
		if (!nk_sip_valid_host(good[i]))
			test_fail(__FILE__, __LINE__, "\"%s\" refused", good[i]);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
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

	for (i = 0; i < ARRAY_SIZE(good); i++)
		if (!nk_sip_valid_text(good[i]))
			test_fail(__FILE__, __LINE__, "case %zu refused", i);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
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
	TEST_CASE(every_shared_vector),
};

TEST_SUITE(sip_build_suite, cases);

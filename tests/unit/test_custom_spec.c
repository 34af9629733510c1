// SPDX-License-Identifier: GPL-2.0
/* X_CustomKeepAliveMsg parse (kmod/proto/custom_spec.c). */
#include <stdlib.h>

#include "custom_spec.h"
#include "runner.h"

/* Parse from a heap copy of the exact size, no NUL: ASan sees overreads. */
static int parse_exact(const char *spec, size_t len, struct nk_custom_spec *out,
		       const char **err)
{
	char *copy = malloc(len ? len : 1);
	int r;

	memcpy(copy, spec, len);
	r = nk_custom_spec_parse(copy, len, out, err);
	free(copy);
	return r;
}

static int parse(const char *spec, struct nk_custom_spec *out, const char **err)
{
	return parse_exact(spec, strlen(spec), out, err);
}

/* The guide's own example, with its placeholders filled in. */
static void obi_example(void)
{
	struct nk_custom_spec s;
	const char *err = "unset";

	CHECK_INT(parse("mtd=NOTIFY;event=whatever;user=anyone", &s, &err), 0);
	CHECK(err == NULL);
	CHECK_STR(s.method, "NOTIFY");
	CHECK_STR(s.event, "whatever");
	CHECK_STR(s.user, "anyone");
}

static void notify_defaults_to_keep_alive(void)
{
	struct nk_custom_spec s;
	const char *err;

	CHECK_INT(parse("mtd=NOTIFY", &s, &err), 0);
	CHECK_STR(s.method, "NOTIFY");
	CHECK_STR(s.event, "keep-alive");
	CHECK_STR(s.user, "");
}

/* "NOTIFY may be replaced by any other (e.g. PING)": then no event. */
static void other_methods_have_no_event(void)
{
	static const char *const specs[] = {
		"mtd=PING", "mtd=OPTIONS", "mtd=INFO;", "mtd=notify", "mtd=X-KEEPALIVE",
	};
	struct nk_custom_spec s;
	const char *err;
	size_t i;

	for (i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		CHECK_INT(parse(specs[i], &s, &err), 0);
		CHECK_STR(s.event, "");
		CHECK_STR(s.user, "");
	}
	CHECK_STR(s.method, "X-KEEPALIVE");
}

static void fields_in_any_order(void)
{
	struct nk_custom_spec s;
	const char *err;

	CHECK_INT(parse("user=echo;mtd=PING;", &s, &err), 0);
	CHECK_STR(s.method, "PING");
	CHECK_STR(s.user, "echo");
	CHECK_INT(parse("event=ka;user=%2Bme;mtd=NOTIFY", &s, &err), 0);
	CHECK_STR(s.method, "NOTIFY");
	CHECK_STR(s.event, "ka");
	CHECK_STR(s.user, "%2Bme");
}

/* Only @len bytes count; what follows them is never read. */
static void no_nul_needed(void)
{
	static const char text[] = "mtd=PINGPONG;user=x";
	struct nk_custom_spec s;
	const char *err;

	CHECK_INT(parse_exact(text, 8, &s, &err), 0);
	CHECK_STR(s.method, "PING");
	CHECK_STR(s.user, "");
}

static void longest_fields_fit(void)
{
	char spec[200];
	struct nk_custom_spec s;
	const char *err;

	strcpy(spec, "mtd=NOTIFY;event=");
	memset(spec + strlen(spec), 'e', 32);
	strcpy(spec + 17 + 32, ";user=");
	memset(spec + strlen(spec), 'u', 64);
	spec[17 + 32 + 6 + 64] = '\0';
	CHECK_INT(parse(spec, &s, &err), 0);
	CHECK_INT(strlen(s.event), 32);
	CHECK_INT(strlen(s.user), 64);
}

/* Each error, with the exact message that names the field at fault. */
static void errors_name_the_field(void)
{
	static const struct {
		const char *spec;
		const char *err;
	} cases[] = {
		{ "", "custom spec: mtd: missing (the SIP method is required)" },
		{ "user=bob", "custom spec: mtd: missing (the SIP method is required)" },
		{ "event=x;user=bob", "custom spec: mtd: missing (the SIP method is required)" },
		{ "mtd=NOTIFY;foo=bar", "custom spec: unknown field (expected mtd, event or user)" },
		{ "method=PING", "custom spec: unknown field (expected mtd, event or user)" },
		{ "MTD=PING", "custom spec: unknown field (expected mtd, event or user)" },
		{ "mtd =PING", "custom spec: unknown field (expected mtd, event or user)" },
		{ "=PING", "custom spec: unknown field (expected mtd, event or user)" },
		{ ";mtd=PING", "custom spec: empty field (two ';' in a row?)" },
		{ "mtd=PING;;", "custom spec: empty field (two ';' in a row?)" },
		{ "mtd", "custom spec: mtd: no '=' and value" },
		{ "mtd=NOTIFY;event", "custom spec: event: no '=' and value" },
		{ "mtd=PING;user", "custom spec: user: no '=' and value" },
		{ "mtd=", "custom spec: mtd: empty value" },
		{ "mtd=NOTIFY;event=", "custom spec: event: empty value" },
		{ "mtd=PING;user=", "custom spec: user: empty value" },
		{ "mtd=PING;mtd=PING", "custom spec: mtd: given more than once" },
		{ "mtd=NOTIFY;event=a;event=b", "custom spec: event: given more than once" },
		{ "user=a;mtd=PING;user=b", "custom spec: user: given more than once" },
		{ "mtd=PING;event=keep-alive", "custom spec: event: only allowed with mtd=NOTIFY" },
		{ "event=x;mtd=OPTIONS", "custom spec: event: only allowed with mtd=NOTIFY" },
		{ "mtd=notify;event=x", "custom spec: event: only allowed with mtd=NOTIFY" },
		{ "mtd=PI NG", "custom spec: mtd: bad characters (a SIP method is a token)" },
		{ "mtd= PING", "custom spec: mtd: bad characters (a SIP method is a token)" },
		{ "mtd=PING\r\nX: y", "custom spec: mtd: bad characters (a SIP method is a token)" },
		{ "mtd=NOTIFY;event=a:b", "custom spec: event: bad characters (an event is a SIP token)" },
		{ "mtd=PING;user=a@b", "custom spec: user: bad characters (not a SIP userid)" },
		{ "mtd=PING;user=a b", "custom spec: user: bad characters (not a SIP userid)" },
		{ "mtd=PING;user=%zz", "custom spec: user: bad characters (not a SIP userid)" },
		{ "mtd=123456789012345678901234567890123",
		  "custom spec: mtd: too long (at most 32 characters)" },
		{ "mtd=NOTIFY;event=123456789012345678901234567890123",
		  "custom spec: event: too long (at most 32 characters)" },
		{ "mtd=PING;user=12345678901234567890123456789012345678901234567890123456789012345",
		  "custom spec: user: too long (at most 64 characters)" },
	};
	struct nk_custom_spec s;
	const char *err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err = NULL;
		if (parse(cases[i].spec, &s, &err) != -1)
			test_fail(__FILE__, __LINE__, "\"%s\" accepted", cases[i].spec);
		CHECK_STR(err, cases[i].err);
	}
}

/* A NUL inside the value must not cut it short unnoticed. */
static void nul_inside_is_refused(void)
{
	struct nk_custom_spec s;
	const char *err;

	CHECK_INT(parse_exact("mtd=PI\0NG", 9, &s, &err), -1);
	CHECK_STR(err, "custom spec: mtd: bad characters (a SIP method is a token)");
	CHECK_INT(parse_exact("mtd=PING;user=a\0", 16, &s, &err), -1);
	CHECK_STR(err, "custom spec: user: bad characters (not a SIP userid)");
	CHECK_INT(parse_exact("mtd\0=PING", 9, &s, &err), -1);
	CHECK_STR(err, "custom spec: unknown field (expected mtd, event or user)");
}

static void too_long(void)
{
	char spec[NK_CUSTOM_SPEC_MAX + 1];
	struct nk_custom_spec s;
	const char *err;

	memset(spec, 'a', sizeof(spec));
	memcpy(spec, "mtd=PING;user=", 14);
	CHECK_INT(parse_exact(spec, sizeof(spec), &s, &err), -1);
	CHECK_STR(err, "custom spec: too long (at most 256 characters)");
	/* At the limit, the fields are checked instead. */
	CHECK_INT(parse_exact(spec, NK_CUSTOM_SPEC_MAX, &s, &err), -1);
	CHECK_STR(err, "custom spec: user: too long (at most 64 characters)");
}

/* What a parse gives, the builder's own checks accept. */
static void parsed_fields_are_valid(void)
{
	struct nk_custom_spec s;
	const char *err;

	CHECK_INT(parse("mtd=NOTIFY;user=echo", &s, &err), 0);
	CHECK(nk_sip_valid_token(s.method));
	CHECK(nk_sip_valid_token(s.event));
	CHECK(nk_sip_valid_user(s.user));
}

static const struct test_case cases[] = {
	TEST_CASE(obi_example),
	TEST_CASE(notify_defaults_to_keep_alive),
	TEST_CASE(other_methods_have_no_event),
	TEST_CASE(fields_in_any_order),
	TEST_CASE(no_nul_needed),
	TEST_CASE(longest_fields_fit),
	TEST_CASE(errors_name_the_field),
	TEST_CASE(nul_inside_is_refused),
	TEST_CASE(too_long),
	TEST_CASE(parsed_fields_are_valid),
};

TEST_SUITE(custom_spec_suite, cases);

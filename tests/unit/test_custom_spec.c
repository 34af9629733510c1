// SPDX-License-Identifier: GPL-2.0
/* X_CustomKeepAliveMsg parse (kmod/proto/custom_spec.c). */
#include <stdlib.h>

#include "nk_array.h"
#include "proto_vectors.h"
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

/* A shared vector (tests/vectors/proto_vectors.h), as KUnit checks it too. */
static void check_vector(const struct nk_custom_spec_vector *v)
{
	struct nk_custom_spec s;
	const char *err = "unset";
	int r = parse_exact(v->text, v->len, &s, &err);

	if (v->err) {
		if (r != -1 || !err || strcmp(err, v->err))
			test_fail(__FILE__, __LINE__, "%s: gives %d \"%s\", expected \"%s\"",
				  v->name, r, err ? err : "(null)", v->err);
		return;
	}
	if (r || err) {
		test_fail(__FILE__, __LINE__, "%s: refused: %s", v->name, err ? err : "(null)");
		return;
	}
	if (strcmp(s.method, v->method) || strcmp(s.event, v->event) ||
	    strcmp(s.user, v->user))
		test_fail(__FILE__, __LINE__, "%s: gives \"%s\" \"%s\" \"%s\"",
			  v->name, s.method, s.event, s.user);
	/* What a parse gives, the request builder's own checks accept. */
	if (!nk_sip_valid_token(s.method) ||
	    (s.event[0] && !nk_sip_valid_token(s.event)) ||
	    (s.user[0] && !nk_sip_valid_user(s.user)))
		test_fail(__FILE__, __LINE__, "%s: the builder refuses a field", v->name);
}

DEFINE_CHECK_TOPIC(nk_custom_spec_vectors, check_vector)

static void every_shared_vector(void)
{
	check_topic("");
}

/* The guide's own example, with its placeholders filled in. */
static void obi_example(void)
{
	check_topic("OBi example");
}

static void notify_defaults_to_keep_alive(void)
{
	check_topic("NOTIFY defaults");
}

/* "NOTIFY may be replaced by any other (e.g. PING)": then no event. */
static void other_methods_have_no_event(void)
{
	check_topic("other method:");
}

static void fields_in_any_order(void)
{
	check_topic("any order:");
}

/* Only @len bytes count; what follows them is never read. */
static void no_nul_needed(void)
{
	check_topic("only len bytes");
}

static void longest_fields_fit(void)
{
	check_topic("longest event");
}

/* Each error, with the exact message that names the field at fault. */
static void errors_name_the_field(void)
{
	check_topic("error:");
}

/* A NUL inside the value must not cut it short unnoticed. */
static void nul_inside_is_refused(void)
{
	check_topic("error: mtd=PI<NUL>NG");
	check_topic("error: mtd=PING;user=a<NUL>");
	check_topic("error: mtd<NUL>=PING");
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
	TEST_CASE(every_shared_vector),
};

TEST_SUITE(custom_spec_suite, cases);

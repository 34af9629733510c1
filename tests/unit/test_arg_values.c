// SPDX-License-Identifier: GPL-2.0
/* Keyword values of natkeepctl (natkeepctl/arg_values.c). */
#include <linux/natkeep.h>

#include "arg_values.h"
#include "custom_spec.h"
#include "runner.h"
#include "sip.h"

static void u32_decimal_and_hex(void)
{
	uint32_t value = 0;

	CHECK_INT(nkctl_parse_u32("0", &value), 0);
	CHECK_INT(value, 0);
	CHECK_INT(nkctl_parse_u32("4294967295", &value), 0);
	CHECK_INT(value, 4294967295u);
	CHECK_INT(nkctl_parse_u32("0x10", &value), 0);
	CHECK_INT(value, 16);
	CHECK_INT(nkctl_parse_u32("0XfFfFfFfF", &value), 0);
	CHECK_INT(value, 0xffffffffu);
	/* 010 is ten, not octal eight: marks are written in decimal or hex. */
	CHECK_INT(nkctl_parse_u32("010", &value), 0);
	CHECK_INT(value, 10);
	CHECK_INT(nkctl_parse_u32("4294967296", &value), -1);
	CHECK_INT(nkctl_parse_u32("0x100000000", &value), -1);
	CHECK_INT(nkctl_parse_u32("", &value), -1);
	CHECK_INT(nkctl_parse_u32("0x", &value), -1);
	CHECK_INT(nkctl_parse_u32("-1", &value), -1);
	CHECK_INT(nkctl_parse_u32(" 1", &value), -1);
	CHECK_INT(nkctl_parse_u32("1k", &value), -1);
	CHECK_INT(nkctl_parse_u32("99999999999999999999999", &value), -1);
}

static void intervals_with_units(void)
{
	uint32_t ms = 0;
	char err[160] = "";

	CHECK_INT(nkctl_parse_interval("1000", &ms, err, sizeof(err)), 0);
	CHECK_INT(ms, 1000);
	CHECK_INT(nkctl_parse_interval("500ms", &ms, err, sizeof(err)), 0);
	CHECK_INT(ms, 500);
	CHECK_INT(nkctl_parse_interval("20s", &ms, err, sizeof(err)), 0);
	CHECK_INT(ms, 20000);
	CHECK_INT(nkctl_parse_interval("10", &ms, err, sizeof(err)), 0);
	CHECK_INT(nkctl_parse_interval("3600s", &ms, err, sizeof(err)), 0);
	CHECK_INT(ms, NATKEEP_INTERVAL_MAX_MS);

	CHECK_INT(nkctl_parse_interval("9", &ms, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "\"9\" out of range 10ms..3600000ms");
	CHECK_INT(nkctl_parse_interval("3601s", &ms, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "3601s");
	CHECK_INT(nkctl_parse_interval("4294967295s", &ms, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "out of range");
	CHECK_INT(nkctl_parse_interval("1.5s", &ms, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "invalid interval \"1.5s\"");
	CHECK_INT(nkctl_parse_interval("ms", &ms, err, sizeof(err)), -1);
	CHECK_INT(nkctl_parse_interval("s", &ms, err, sizeof(err)), -1);
	CHECK_INT(nkctl_parse_interval("20m", &ms, err, sizeof(err)), -1);
	CHECK_INT(nkctl_parse_interval("", &ms, err, sizeof(err)), -1);
}

static void dscp_numbers_and_names(void)
{
	uint8_t dscp = 0;
	char err[160] = "";

	CHECK_INT(nkctl_parse_dscp("0", &dscp, err, sizeof(err)), 0);
	CHECK_INT(dscp, 0);
	CHECK_INT(nkctl_parse_dscp("63", &dscp, err, sizeof(err)), 0);
	CHECK_INT(dscp, 63);
	CHECK_INT(nkctl_parse_dscp("ef", &dscp, err, sizeof(err)), 0);
	CHECK_INT(dscp, 46);
	CHECK_INT(nkctl_parse_dscp("CS3", &dscp, err, sizeof(err)), 0);
	CHECK_INT(dscp, 24);
	CHECK_INT(nkctl_parse_dscp("af41", &dscp, err, sizeof(err)), 0);
	CHECK_INT(dscp, 34);
	CHECK_INT(nkctl_parse_dscp("64", &dscp, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "invalid dscp \"64\"");
	CHECK_INT(nkctl_parse_dscp("0x10", &dscp, err, sizeof(err)), -1);
	CHECK_INT(nkctl_parse_dscp("af44", &dscp, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "af44");
}

static void marks_flow_ids_and_types(void)
{
	uint32_t value = 0;
	uint8_t type = 0;
	char err[160] = "";

	CHECK_INT(nkctl_parse_mark("0x10", &value, err, sizeof(err)), 0);
	CHECK_INT(value, 16);
	CHECK_INT(nkctl_parse_mark("-5", &value, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "invalid mark \"-5\"");
	CHECK_INT(nkctl_parse_flow_id("7", &value, err, sizeof(err)), 0);
	CHECK_INT(value, 7);
	CHECK_INT(nkctl_parse_flow_id("0", &value, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "invalid flow id \"0\"");
	CHECK_INT(nkctl_parse_msg_type("notify", &type, err, sizeof(err)), 0);
	CHECK_INT(type, NATKEEP_MSG_NOTIFY);
	CHECK_INT(nkctl_parse_msg_type("ping", &type, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "invalid type \"ping\", expected keep-alive|empty");
}

static void timeouts_and_misses(void)
{
	uint32_t ms = 1;
	uint8_t misses = 0;
	char err[160] = "";

	CHECK_INT(nkctl_parse_timeout("2s", &ms, err, sizeof(err)), 0);
	CHECK_INT(ms, 2000);
	CHECK_INT(nkctl_parse_timeout("750ms", &ms, err, sizeof(err)), 0);
	CHECK_INT(ms, 750);
	CHECK_INT(nkctl_parse_timeout("1", &ms, err, sizeof(err)), 0);
	CHECK_INT(ms, 1);
	CHECK_INT(nkctl_parse_timeout("0", &ms, err, sizeof(err)), 0);	/* the default */
	CHECK_INT(ms, 0);
	CHECK_INT(nkctl_parse_timeout("3600s", &ms, err, sizeof(err)), 0);
	CHECK_INT(nkctl_parse_timeout("3601s", &ms, err, sizeof(err)), -1);
	CHECK_STR(err, "timeout \"3601s\" out of range 0ms..3600000ms");
	CHECK_INT(nkctl_parse_timeout("2 s", &ms, err, sizeof(err)), -1);
	CHECK_STR(err, "invalid timeout \"2 s\", expected milliseconds (e.g. 2000, 500ms, 2s)");
	CHECK_INT(nkctl_parse_timeout("", &ms, err, sizeof(err)), -1);

	CHECK_INT(nkctl_parse_misses("1", &misses, err, sizeof(err)), 0);
	CHECK_INT(misses, 1);
	CHECK_INT(nkctl_parse_misses("255", &misses, err, sizeof(err)), 0);
	CHECK_INT(misses, 255);
	CHECK_INT(nkctl_parse_misses("0", &misses, err, sizeof(err)), -1);
	CHECK_STR(err, "invalid misses \"0\", expected 1..255");
	CHECK_INT(nkctl_parse_misses("256", &misses, err, sizeof(err)), -1);
	CHECK_INT(nkctl_parse_misses("0x3", &misses, err, sizeof(err)), -1);
	CHECK_INT(nkctl_parse_misses("", &misses, err, sizeof(err)), -1);
}

static void sip_strings(void)
{
	char host[NK_SIP_HOST_MAX + 1], user[NK_SIP_USER_MAX + 1];
	char text[NK_SIP_TEXT_MAX + 1], big[NK_SIP_HOST_MAX + 2];
	char err[200] = "";

	CHECK_INT(nkctl_parse_sip_host("registrar.example.com:5070", host, err, sizeof(err)), 0);
	CHECK_STR(host, "registrar.example.com:5070");
	CHECK_INT(nkctl_parse_sip_host("[2001:db8::1]", host, err, sizeof(err)), 0);
	CHECK_INT(nkctl_parse_sip_host("", host, err, sizeof(err)), 0);	/* the default */
	CHECK_STR(host, "");
	CHECK_INT(nkctl_parse_sip_host("a b", host, err, sizeof(err)), -1);
	CHECK_STR(err, "invalid host \"a b\", expected a host name, IPv4 address or"
		  " [IPv6] address, with an optional :port");
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_INT(nkctl_parse_sip_host(big, host, err, sizeof(err)), -1);
	CHECK_STR(err, "host is too long (256 bytes, at most 255)");
	for (size_t i = 1; i < NK_SIP_HOST_MAX; i += 2)
		big[i] = '.';		/* a.a.a...a: labels of one letter */
	big[NK_SIP_HOST_MAX] = '\0';	/* 255 bytes, the limit */
	CHECK_INT(nkctl_parse_sip_host(big, host, err, sizeof(err)), 0);
	CHECK_INT(strlen(host), NK_SIP_HOST_MAX);
	memset(big, 'a', sizeof(big) - 1);

	CHECK_INT(nkctl_parse_sip_from_domain("example.com", host, err, sizeof(err)), 0);
	CHECK_STR(host, "example.com");
	CHECK_INT(nkctl_parse_sip_from_domain("ex\r\nample", host, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "invalid from-domain \"ex");

	CHECK_INT(nkctl_parse_sip_from_user("1001", user, err, sizeof(err)), 0);
	CHECK_STR(user, "1001");
	CHECK_INT(nkctl_parse_sip_from_user("alice%40home", user, err, sizeof(err)), 0);
	CHECK_INT(nkctl_parse_sip_from_user("", user, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "invalid from-user \"\", expected a SIP userid");
	CHECK_INT(nkctl_parse_sip_from_user("al ice", user, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "invalid from-user \"al ice\"");
	big[NK_SIP_USER_MAX + 1] = '\0';
	CHECK_INT(nkctl_parse_sip_from_user(big, user, err, sizeof(err)), -1);
	CHECK_STR(err, "from-user is too long (65 bytes, at most 64)");

	CHECK_INT(nkctl_parse_sip_user_agent("OBi202 natkeep/0.2", text, err, sizeof(err)), 0);
	CHECK_STR(text, "OBi202 natkeep/0.2");
	CHECK_INT(nkctl_parse_sip_user_agent("", text, err, sizeof(err)), 0);
	CHECK_STR(text, "");
	CHECK_INT(nkctl_parse_sip_user_agent("a\nb", text, err, sizeof(err)), -1);
	CHECK_STR(err, "invalid user-agent \"a\nb\", expected printable text");
}

static void custom_specs_as_the_module_parses_them(void)
{
	char spec[NK_CUSTOM_SPEC_MAX + 1], big[NK_CUSTOM_SPEC_MAX + 10];
	char err[200] = "";

	CHECK_INT(nkctl_parse_custom_spec("mtd=PING", spec, err, sizeof(err)), 0);
	CHECK_STR(spec, "mtd=PING");
	CHECK_INT(nkctl_parse_custom_spec("mtd=NOTIFY;event=check-sync;user=bob", spec,
					  err, sizeof(err)), 0);
	CHECK_STR(spec, "mtd=NOTIFY;event=check-sync;user=bob");
	CHECK_INT(nkctl_parse_custom_spec("mtd=OPTIONS;event=x", spec, err, sizeof(err)), -1);
	CHECK_STR(err, "spec \"mtd=OPTIONS;event=x\": custom spec: event: only allowed"
		  " with mtd=NOTIFY");
	CHECK_INT(nkctl_parse_custom_spec("", spec, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "spec \"\": custom spec: mtd");
	CHECK_INT(nkctl_parse_custom_spec("user=bob", spec, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "spec \"user=bob\": custom spec: mtd");
	memset(big, 'P', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "mtd=", 4);
	CHECK_INT(nkctl_parse_custom_spec(big, spec, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "spec of 265 bytes: custom spec: too long");
}

static const struct test_case cases[] = {
	TEST_CASE(u32_decimal_and_hex),
	TEST_CASE(intervals_with_units),
	TEST_CASE(dscp_numbers_and_names),
	TEST_CASE(marks_flow_ids_and_types),
	TEST_CASE(timeouts_and_misses),
	TEST_CASE(sip_strings),
	TEST_CASE(custom_specs_as_the_module_parses_them),
};
TEST_SUITE(arg_values_suite, cases);

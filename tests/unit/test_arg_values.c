// SPDX-License-Identifier: GPL-2.0
/* Keyword values of natkeepctl (natkeepctl/arg_values.c). */
#include <linux/natkeep.h>

#include "arg_values.h"
#include "runner.h"

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

static const struct test_case cases[] = {
	TEST_CASE(u32_decimal_and_hex),
	TEST_CASE(intervals_with_units),
	TEST_CASE(dscp_numbers_and_names),
	TEST_CASE(marks_flow_ids_and_types),
};
TEST_SUITE(arg_values_suite, cases);

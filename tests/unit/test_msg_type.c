// SPDX-License-Identifier: GPL-2.0
/* Message type names (agent/lib/nk_msg_type.c). */
#include <linux/natkeep.h>

#include "nk_array.h"
#include "nk_msg_type.h"
#include "runner.h"

static void names_every_type_both_ways(void)
{
	static const struct {
		unsigned int type;
		const char *name;
	} table[] = {
		{ NATKEEP_MSG_KEEPALIVE, "keep-alive" },
		{ NATKEEP_MSG_EMPTY, "empty" },
		{ NATKEEP_MSG_STUN, "stun" },
		{ NATKEEP_MSG_CUSTOM, "custom" },
		{ NATKEEP_MSG_OPTIONS, "options" },
		{ NATKEEP_MSG_NOTIFY, "notify" },
	};
	size_t i;

	CHECK_INT(ARRAY_SIZE(table), NATKEEP_MSG_MAX);
	for (i = 0; i < ARRAY_SIZE(table); i++) {
		CHECK_STR(nk_msg_type_name(table[i].type), table[i].name);
		CHECK_INT(nk_msg_type_from_name(table[i].name), table[i].type);
		CHECK_CONTAINS(nk_msg_type_choices(), table[i].name);
	}
}

static void rejects_unknown_types(void)
{
	CHECK(nk_msg_type_name(NATKEEP_MSG_UNSPEC) == NULL);
	CHECK(nk_msg_type_name(NATKEEP_MSG_MAX + 1) == NULL);
	CHECK(nk_msg_type_name(255) == NULL);
	CHECK_INT(nk_msg_type_from_name("keepalive"), -1);
	CHECK_INT(nk_msg_type_from_name("Keep-Alive"), -1);
	CHECK_INT(nk_msg_type_from_name(""), -1);
}

static const struct test_case cases[] = {
	TEST_CASE(names_every_type_both_ways),
	TEST_CASE(rejects_unknown_types),
};
TEST_SUITE(msg_type_suite, cases);

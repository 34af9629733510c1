// SPDX-License-Identifier: GPL-2.0
/* The JSON writer (natkeepctl/json_writer.c). */
#include <stdlib.h>

#include "json_writer.h"
#include "runner.h"

static void compact_nesting_and_escapes(void)
{
	struct json_writer jw;
	struct capture cap;
	char *text;

	capture_start(&cap);
	json_writer_init(&jw, cap.out, false);
	json_array_start(&jw);
	json_object_start(&jw);
	json_kv_string(&jw, "s", "a\"b\\c\n\x01");
	json_key(&jw, "empty");
	json_array_start(&jw);
	json_array_end(&jw);
	json_kv_bool(&jw, "f", false);
	json_object_end(&jw);
	json_uint(&jw, 18446744073709551615ULL);
	json_null(&jw);
	json_array_end(&jw);
	text = capture_end(&cap);
	CHECK_STR(text, "[{\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"empty\":[],\"f\":false},"
			"18446744073709551615,null]");
	free(text);
}

static void pretty_array_of_objects(void)
{
	struct json_writer jw;
	struct capture cap;
	char *text;

	capture_start(&cap);
	json_writer_init(&jw, cap.out, true);
	json_array_start(&jw);
	json_object_start(&jw);
	json_kv_uint(&jw, "id", 1);
	json_key(&jw, "list");
	json_array_start(&jw);
	json_uint(&jw, 2);
	json_array_end(&jw);
	json_object_end(&jw);
	json_object_start(&jw);
	json_object_end(&jw);
	json_array_end(&jw);
	text = capture_end(&cap);
	CHECK_STR(text,
		  "[\n"
		  "    {\n"
		  "        \"id\": 1,\n"
		  "        \"list\": [\n"
		  "            2\n"
		  "        ]\n"
		  "    },\n"
		  "    {}\n"
		  "]");
	free(text);
}

static void empty_top_level_array(void)
{
	struct json_writer jw;
	struct capture cap;
	char *text;

	capture_start(&cap);
	json_writer_init(&jw, cap.out, true);
	json_array_start(&jw);
	json_array_end(&jw);
	text = capture_end(&cap);
	CHECK_STR(text, "[]");
	free(text);
}

static const struct test_case cases[] = {
	TEST_CASE(compact_nesting_and_escapes),
	TEST_CASE(pretty_array_of_objects),
	TEST_CASE(empty_top_level_array),
};
TEST_SUITE(json_writer_suite, cases);

// SPDX-License-Identifier: GPL-2.0
/* Histogram bucket bounds and labels, durations (nk_lateness.c, nk_duration.c). */
#include <linux/natkeep.h>

#include "nk_array.h"
#include "nk_duration.h"
#include "nk_lateness.h"
#include "runner.h"

static void bucket_bounds_follow_the_header(void)
{
	uint64_t upper = 0;
	unsigned int b;

	CHECK_INT(nk_lateness_lower_ns(0), 0);
	CHECK(nk_lateness_upper_ns(0, &upper));
	CHECK_INT(upper, 1024);
	CHECK_INT(nk_lateness_lower_ns(1), 1024);
	CHECK(nk_lateness_upper_ns(1, &upper));
	CHECK_INT(upper, 2048);
	/* Buckets tile the line: each starts where the previous ends. */
	for (b = 1; b < NATKEEP_LATENESS_BUCKETS; b++) {
		CHECK(nk_lateness_upper_ns(b - 1, &upper));
		CHECK_INT(nk_lateness_lower_ns(b), upper);
	}
	CHECK_INT(nk_lateness_lower_ns(NATKEEP_LATENESS_BUCKETS - 1), 1ULL << 32);
	CHECK(!nk_lateness_upper_ns(NATKEEP_LATENESS_BUCKETS - 1, &upper));
}

static void bucket_labels(void)
{
	static const char *const want[NATKEEP_LATENESS_BUCKETS] = {
		"<1us", "1us-2us", "2us-4.1us", "4.1us-8.2us", "8.2us-16us",
		"16us-33us", "33us-66us", "66us-131us", "131us-262us",
		"262us-524us", "524us-1ms", "1ms-2.1ms", "2.1ms-4.2ms",
		"4.2ms-8.4ms", "8.4ms-17ms", "17ms-34ms", "34ms-67ms",
		"67ms-134ms", "134ms-268ms", "268ms-537ms", "537ms-1.1s",
		"1.1s-2.1s", "2.1s-4.3s", ">=4.3s",
	};
	char label[32];
	unsigned int b;

	for (b = 0; b < NATKEEP_LATENESS_BUCKETS; b++) {
		nk_lateness_label(b, label, sizeof(label));
		CHECK_STR(label, want[b]);
	}
}

static void durations_for_people(void)
{
	static const struct {
		uint64_t ns;
		const char *text;
	} cases[] = {
		{ 0, "0ns" }, { 999, "999ns" }, { 1000, "1us" }, { 1024, "1us" },
		{ 1050, "1.1us" }, { 9949, "9.9us" }, { 9950, "10us" },
		{ 12345, "12us" }, { 999499, "999us" }, { 999500, "1ms" },
		{ 999999, "1ms" }, { 1500000, "1.5ms" }, { 4294967296ULL, "4.3s" },
		{ 3600000000000ULL, "3600s" },
	};
	char text[32];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		nk_duration_format(cases[i].ns, text, sizeof(text));
		CHECK_STR(text, cases[i].text);
	}
}

static void durations_in_seconds(void)
{
	char text[32];

	nk_duration_format_seconds(530000000, text, sizeof(text));
	CHECK_STR(text, "0.53s");
	nk_duration_format_seconds(4999999, text, sizeof(text));
	CHECK_STR(text, "0.00s");
	nk_duration_format_seconds(5000000, text, sizeof(text));
	CHECK_STR(text, "0.01s");
	nk_duration_format_seconds(61995000000ULL, text, sizeof(text));
	CHECK_STR(text, "62.00s");
}

static const struct test_case cases[] = {
	TEST_CASE(bucket_bounds_follow_the_header),
	TEST_CASE(bucket_labels),
	TEST_CASE(durations_for_people),
	TEST_CASE(durations_in_seconds),
};
TEST_SUITE(lateness_suite, cases);

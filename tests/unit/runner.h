/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny test runner: each test is a function; CHECK_* record failures and
 * go on, so one run shows every broken expectation.
 */
#ifndef TEST_RUNNER_H
#define TEST_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "nk_array.h"

struct test_case {
	const char *name;
	void (*run)(void);
};

struct test_suite {
	const char *name;
	const struct test_case *cases;
	size_t count;
};

#define TEST_CASE(fn) { #fn, fn }
#define TEST_SUITE(var, cases_array) \
	const struct test_suite var = { #var, cases_array, \
		ARRAY_SIZE(cases_array) }

void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define CHECK(cond) do { \
	if (!(cond)) \
		test_fail(__FILE__, __LINE__, "%s", #cond); \
} while (0)

#define CHECK_INT(actual, expected) do { \
	long long a_ = (long long)(actual), e_ = (long long)(expected); \
	if (a_ != e_) \
		test_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", \
			  #actual, a_, e_); \
} while (0)

#define CHECK_STR(actual, expected) do { \
	const char *a_ = (actual), *e_ = (expected); \
	if (!a_ || !e_ || strcmp(a_, e_)) \
		test_fail(__FILE__, __LINE__, "%s\n  got:      \"%s\"\n  expected: \"%s\"", \
			  #actual, a_ ? a_ : "(null)", e_ ? e_ : "(null)"); \
} while (0)

/* Substring check, for error messages that must name the bad token. */
#define CHECK_CONTAINS(haystack, needle) do { \
	const char *h_ = (haystack), *n_ = (needle); \
	if (!h_ || !strstr(h_, n_)) \
		test_fail(__FILE__, __LINE__, "\"%s\" does not contain \"%s\"", \
			  h_ ? h_ : "(null)", n_); \
} while (0)

/* Captures what a function prints to a FILE *; free() the result. */
struct capture {
	FILE *out;
	char *text;
	size_t len;
};
void capture_start(struct capture *cap);
char *capture_end(struct capture *cap);

/*
 * Defines check_topic(topic): check_fn() on each element of vectors[] (the
 * shared vectors, tests/vectors) whose name begins with topic. A topic that
 * names no vector fails: a renamed vector must not silently go unchecked.
 */
#define DEFINE_CHECK_TOPIC(vectors, check_fn) \
static void check_topic(const char *topic) \
{ \
	size_t n = 0; \
 \
	for (size_t i = 0; i < ARRAY_SIZE(vectors); i++) { \
		if (strncmp((vectors)[i].name, topic, strlen(topic))) \
			continue; \
		check_fn(&(vectors)[i]); \
		n++; \
	} \
	if (!n) \
		test_fail(__FILE__, __LINE__, "no vector of topic \"%s\"", topic); \
}

#endif

// SPDX-License-Identifier: GPL-2.0
/* Kernel error messages (natkeepctl/report.c). */
#include <errno.h>

#include "report.h"
#include "runner.h"

static void strerror_extack_and_attribute(void)
{
	struct nk_error err = { .code = -EINVAL, .msg = "interval too short",
				.has_offset = true, .offset = 36,
				.attr_name = "interval_ms" };
	char text[256];

	nkctl_format_kernel_error(&err, text, sizeof(text));
	CHECK_STR(text, "Invalid argument: interval too short (attribute interval_ms)");
}

static void strerror_alone_and_offset_without_name(void)
{
	struct nk_error err = { .code = -EEXIST };
	char text[256];

	nkctl_format_kernel_error(&err, text, sizeof(text));
	CHECK_STR(text, "File exists");

	err = (struct nk_error){ .code = -ERANGE, .msg = "m", .has_offset = true, .offset = 80 };
	nkctl_format_kernel_error(&err, text, sizeof(text));
	CHECK_STR(text, "Numerical result out of range: m (at offset 80 of the request)");
}

static void missing_attribute(void)
{
	struct nk_error err = { .code = -EINVAL, .has_missing = true,
				.missing_type = 10, .missing_name = "msg_type" };
	char text[256], small[12];

	nkctl_format_kernel_error(&err, text, sizeof(text));
	CHECK_STR(text, "Invalid argument (missing attribute msg_type)");
	/* Truncation is safe. */
	nkctl_format_kernel_error(&err, small, sizeof(small));
	CHECK_STR(small, "Invalid arg");
}

static const struct test_case cases[] = {
	TEST_CASE(strerror_extack_and_attribute),
	TEST_CASE(strerror_alone_and_offset_without_name),
	TEST_CASE(missing_attribute),
};
TEST_SUITE(report_suite, cases);

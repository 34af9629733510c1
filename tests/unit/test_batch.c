// SPDX-License-Identifier: GPL-2.0
/* natkeepctl -b: lines, places, stop or go on (natkeepctl/batch.c). */
#include <stdlib.h>

#include "batch.h"
#include "nkctl.h"
#include "report.h"
#include "runner.h"

/* What the commands saw, one "word|word..." line each. */
struct ran {
	struct capture log;
};

/* "ok ..." succeeds, "kernel ..." fails as a refusal, "usage ..." as a bad line. */
static int fake_command(void *data, int argc, char **argv)
{
	struct ran *ran = data;
	int i;

	for (i = 0; i < argc; i++)
		fprintf(ran->log.out, "%s%s", i ? "|" : "", argv[i]);
	fputc('\n', ran->log.out);
	if (!strcmp(argv[0], "kernel")) {
		nkctl_error("flow add: File exists");
		return NKCTL_EXIT_FAILURE;
	}
	if (!strcmp(argv[0], "usage")) {
		nkctl_error("unknown object \"usage\"");
		return NKCTL_EXIT_USAGE;
	}
	return NKCTL_EXIT_OK;
}

struct result {
	int ret;
	char *ran;	/* the commands' words */
	char *errors;	/* the messages */
};

static struct result batch(const char *text, size_t len, bool force)
{
	struct capture errors;
	struct result r;
	struct ran ran;
	FILE *in = fmemopen((void *)text, len, "r");

	capture_start(&ran.log);
	capture_start(&errors);
	nkctl_report_to(errors.out);
	r.ret = nkctl_batch_run(in, "cmds.txt", force, fake_command, &ran);
	nkctl_report_to(NULL);
	fclose(in);
	r.ran = capture_end(&ran.log);
	r.errors = capture_end(&errors);
	return r;
}

static struct result batch_str(const char *text, bool force)
{
	return batch(text, strlen(text), force);
}

static void result_free(struct result *r)
{
	free(r->ran);
	free(r->errors);
}

static void every_command_runs_in_order(void)
{
	struct result r = batch_str("# created by the benchmark\n"
				    "\n"
				    "ok flow add local 10.0.0.1:5060 remote 10.0.0.2:5060\n"
				    "   \t\n"
				    "  # indented comment\n"
				    "ok flow set id 1 user-agent \"OBi 202\" host \"\"\n"
				    "ok flow del id 1", false);

	CHECK_INT(r.ret, NKCTL_EXIT_OK);
	CHECK_STR(r.ran, "ok|flow|add|local|10.0.0.1:5060|remote|10.0.0.2:5060\n"
		  "ok|flow|set|id|1|user-agent|OBi 202|host|\n"
		  "ok|flow|del|id|1\n");
	CHECK_STR(r.errors, "");
	result_free(&r);

	/* Nothing to do is success. */
	r = batch_str("", false);
	CHECK_INT(r.ret, NKCTL_EXIT_OK);
	CHECK_STR(r.ran, "");
	result_free(&r);
}

static void stops_at_the_first_failure_with_its_code(void)
{
	struct result r = batch_str("ok 1\n# two\nkernel 3\nok 4\n", false);

	CHECK_INT(r.ret, NKCTL_EXIT_FAILURE);
	CHECK_STR(r.ran, "ok|1\nkernel|3\n");
	CHECK_STR(r.errors, "natkeepctl: cmds.txt:3: flow add: File exists\n");
	result_free(&r);

	r = batch_str("ok 1\nusage 2\nok 3\n", false);
	CHECK_INT(r.ret, NKCTL_EXIT_USAGE);
	CHECK_STR(r.ran, "ok|1\nusage|2\n");
	CHECK_STR(r.errors, "natkeepctl: cmds.txt:2: unknown object \"usage\"\n");
	result_free(&r);
}

static void force_runs_everything_and_fails_with_1(void)
{
	struct result r = batch_str("ok 1\nusage 2\nkernel 3\nok 4\n", true);

	CHECK_INT(r.ret, NKCTL_EXIT_FAILURE);
	CHECK_STR(r.ran, "ok|1\nusage|2\nkernel|3\nok|4\n");
	CHECK_STR(r.errors, "natkeepctl: cmds.txt:2: unknown object \"usage\"\n"
		  "natkeepctl: cmds.txt:3: flow add: File exists\n");
	result_free(&r);

	r = batch_str("ok 1\nok 2\n", true);
	CHECK_INT(r.ret, NKCTL_EXIT_OK);
	result_free(&r);
}

static void a_line_that_cannot_be_split_is_a_usage_error(void)
{
	struct result r = batch_str("ok 1\nok user-agent \"OBi 202\nok 3\n", false);

	CHECK_INT(r.ret, NKCTL_EXIT_USAGE);
	CHECK_STR(r.ran, "ok|1\n");
	CHECK_STR(r.errors, "natkeepctl: cmds.txt:2: unterminated double quote (column 15)\n");
	result_free(&r);

	r = batch_str("ok 1\nok 'a\nok 3\n", true);
	CHECK_INT(r.ret, NKCTL_EXIT_FAILURE);
	CHECK_STR(r.ran, "ok|1\nok|3\n");
	CHECK_CONTAINS(r.errors, "cmds.txt:2: unterminated single quote");
	result_free(&r);

	r = batch("ok 1\nok \0 2\nok 3\n", 17, true);
	CHECK_INT(r.ret, NKCTL_EXIT_FAILURE);
	CHECK_STR(r.ran, "ok|1\nok|3\n");
	CHECK_STR(r.errors, "natkeepctl: cmds.txt:2: NUL byte (column 4)\n");
	result_free(&r);
}

static void backslash_newline_goes_on(void)
{
	struct result r = batch_str("ok flow add local 10.0.0.1:5060 \\\n"
				    "   remote 10.0.0.2:5060 user-agent 'a\\'\n"
				    "kernel one\n"
				    "usage \\\n"
				    "x\n", true);

	/* The place of a failure is where its command starts. */
	CHECK_INT(r.ret, NKCTL_EXIT_FAILURE);
	CHECK_STR(r.ran, "ok|flow|add|local|10.0.0.1:5060|remote|10.0.0.2:5060|user-agent|a\\\n"
		  "kernel|one\n"
		  "usage|x\n");
	CHECK_STR(r.errors, "natkeepctl: cmds.txt:3: flow add: File exists\n"
		  "natkeepctl: cmds.txt:4: unknown object \"usage\"\n");
	result_free(&r);

	r = batch_str("ok 1\nok 2 \\\n", false);
	CHECK_INT(r.ret, NKCTL_EXIT_USAGE);
	CHECK_STR(r.ran, "ok|1\n");
	CHECK_STR(r.errors, "natkeepctl: cmds.txt:2: the last line ends with a backslash\n");
	result_free(&r);
}

static void crlf_and_a_last_line_without_newline(void)
{
	struct result r = batch_str("ok 1\r\nok 2\r\nok 3", false);

	CHECK_INT(r.ret, NKCTL_EXIT_OK);
	CHECK_STR(r.ran, "ok|1\nok|2\nok|3\n");
	result_free(&r);
}

static void long_lines(void)
{
	size_t len = 1 << 20, i;
	char *text = malloc(len + 16);
	struct result r;

	/* "ok xxxx...x\nok 2\n": a 1 MiB word, not cut. */
	memcpy(text, "ok ", 3);
	memset(text + 3, 'x', len);
	memcpy(text + 3 + len, "\nok 2\n", 7);
	r = batch_str(text, false);
	CHECK_INT(r.ret, NKCTL_EXIT_OK);
	CHECK_INT(strlen(r.ran), 3 + len + 1 + 5);
	for (i = 3; i < 3 + len && r.ran[i] == 'x'; i++)
		;
	CHECK_INT(i, 3 + len);
	CHECK_STR(r.ran + 3 + len, "\nok|2\n");
	result_free(&r);
	free(text);
}

static void messages_outside_a_batch_have_no_place(void)
{
	struct capture errors;
	char *text;

	capture_start(&errors);
	nkctl_report_to(errors.out);
	nkctl_error("flow del: %s", "No such file or directory");
	nkctl_report_set_place("-", 12);
	nkctl_error("in a batch");
	fputs("error: from natkeepd\n", nkctl_error_start_foreign());
	nkctl_report_set_place(NULL, 0);
	fputs("error: from natkeepd\n", nkctl_error_start_foreign());
	nkctl_report_to(NULL);
	text = capture_end(&errors);
	CHECK_STR(text, "natkeepctl: flow del: No such file or directory\n"
		  "natkeepctl: -:12: in a batch\n"
		  "natkeepctl: -:12: error: from natkeepd\n"
		  "error: from natkeepd\n");
	free(text);
}

static const struct test_case cases[] = {
	TEST_CASE(every_command_runs_in_order),
	TEST_CASE(stops_at_the_first_failure_with_its_code),
	TEST_CASE(force_runs_everything_and_fails_with_1),
	TEST_CASE(a_line_that_cannot_be_split_is_a_usage_error),
	TEST_CASE(backslash_newline_goes_on),
	TEST_CASE(crlf_and_a_last_line_without_newline),
	TEST_CASE(long_lines),
	TEST_CASE(messages_outside_a_batch_have_no_place),
};
TEST_SUITE(batch_suite, cases);

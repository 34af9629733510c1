// SPDX-License-Identifier: GPL-2.0
/* Global options (natkeepctl/options.c). */
#include "options.h"
#include "runner.h"

static enum nkctl_options_result run(int argc, char **argv, struct nkctl_opts *opts,
				     int *used, char *err)
{
	*used = -1;
	return nkctl_options_parse(argc, argv, opts, used, err, 128);
}

static void json_and_pretty(void)
{
	char *argv[] = { "natkeepctl", "-j", "--pretty", "flow", "show" };
	struct nkctl_opts opts;
	char err[128];
	int used;

	CHECK_INT(run(5, argv, &opts, &used, err), NKCTL_OPTIONS_RUN);
	CHECK(opts.json);
	CHECK(opts.pretty);
	CHECK_INT(used, 3);
}

static void pretty_implies_json_and_single_dash_long_names(void)
{
	char *argv[] = { "natkeepctl", "-pretty", "monitor" };
	char *argv2[] = { "natkeepctl", "-json" };
	struct nkctl_opts opts;
	char err[128];
	int used;

	CHECK_INT(run(3, argv, &opts, &used, err), NKCTL_OPTIONS_RUN);
	CHECK(opts.json);
	CHECK_INT(used, 2);
	CHECK_INT(run(2, argv2, &opts, &used, err), NKCTL_OPTIONS_RUN);
	CHECK(opts.json);
	CHECK(!opts.pretty);
	CHECK_INT(used, 2);
}

static void help_version_and_errors(void)
{
	char *help[] = { "natkeepctl", "--help" };
	char *version[] = { "natkeepctl", "-V", "flow" };
	char *bad[] = { "natkeepctl", "-j", "--frob", "flow" };
	struct nkctl_opts opts;
	char err[128];
	int used;

	CHECK_INT(run(2, help, &opts, &used, err), NKCTL_OPTIONS_HELP);
	CHECK_INT(run(3, version, &opts, &used, err), NKCTL_OPTIONS_VERSION);
	CHECK_INT(run(4, bad, &opts, &used, err), NKCTL_OPTIONS_ERROR);
	CHECK_STR(err, "unknown option \"--frob\"");
}

static const struct test_case cases[] = {
	TEST_CASE(json_and_pretty),
	TEST_CASE(pretty_implies_json_and_single_dash_long_names),
	TEST_CASE(help_version_and_errors),
};
TEST_SUITE(options_suite, cases);

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

static void batch_and_force(void)
{
	char *batch[] = { "natkeepctl", "-j", "-force", "-b", "flows.txt" };
	char *spelled[] = { "natkeepctl", "--batch", "-", "--force" };
	char *plain[] = { "natkeepctl", "-batch", "-" };
	struct nkctl_opts opts;
	char err[128];
	int used;

	CHECK_INT(run(5, batch, &opts, &used, err), NKCTL_OPTIONS_RUN);
	CHECK(opts.json);
	CHECK(opts.force);
	CHECK_STR(opts.batch, "flows.txt");
	CHECK(!opts.session);
	CHECK_INT(used, 5);
	CHECK_INT(run(4, spelled, &opts, &used, err), NKCTL_OPTIONS_RUN);
	CHECK_STR(opts.batch, "-");
	CHECK(opts.force);
	CHECK_INT(run(3, plain, &opts, &used, err), NKCTL_OPTIONS_RUN);
	CHECK_STR(opts.batch, "-");
	CHECK(!opts.force);
}

static void batch_errors(void)
{
	char *no_file[] = { "natkeepctl", "-b" };
	char *twice[] = { "natkeepctl", "-b", "a", "-b", "b" };
	char *object[] = { "natkeepctl", "-b", "a", "flow", "show" };
	char *force_alone[] = { "natkeepctl", "-force", "flow", "del", "id", "1" };
	struct nkctl_opts opts;
	char err[128];
	int used;

	CHECK_INT(run(2, no_file, &opts, &used, err), NKCTL_OPTIONS_ERROR);
	CHECK_STR(err, "\"-b\" needs a FILE (\"-\" for stdin)");
	CHECK_INT(run(5, twice, &opts, &used, err), NKCTL_OPTIONS_ERROR);
	CHECK_STR(err, "\"-b\" given twice");
	CHECK_INT(run(5, object, &opts, &used, err), NKCTL_OPTIONS_ERROR);
	CHECK_STR(err, "a batch takes its commands from a, not \"flow\"");
	CHECK_INT(run(6, force_alone, &opts, &used, err), NKCTL_OPTIONS_ERROR);
	CHECK_CONTAINS(err, "-force");
}

static const struct test_case cases[] = {
	TEST_CASE(json_and_pretty),
	TEST_CASE(pretty_implies_json_and_single_dash_long_names),
	TEST_CASE(help_version_and_errors),
	TEST_CASE(batch_and_force),
	TEST_CASE(batch_errors),
};
TEST_SUITE(options_suite, cases);

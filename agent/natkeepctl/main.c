// SPDX-License-Identifier: GPL-2.0
/*
 * natkeepctl: show, add, change and delete natkeep's keep-alive flows, and
 * watch their events. "natkeepctl [OPTIONS] OBJECT [COMMAND [ARGS]]", or
 * such commands from a file: "natkeepctl [OPTIONS] -b FILE".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/natkeep.h>

#include "batch.h"
#include "genl_session.h"
#include "nk_array.h"
#include "nkctl.h"
#include "options.h"
#include "report.h"

static const struct nkctl_object objects[] = {
	{ "flow",	nkctl_flow_run,		nkctl_flow_usage },
	{ "stats",	nkctl_stats_run,	nkctl_stats_usage },
	{ "account",	nkctl_account_run,	nkctl_account_usage },
	{ "monitor",	nkctl_monitor_run,	nkctl_monitor_usage },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: natkeepctl [OPTIONS] OBJECT [COMMAND [ARGS]]\n"
		"       natkeepctl [OPTIONS] [ -force ] -b[atch] FILE\n"
		"       natkeepctl help | --help | --version\n"
		"OBJECT := flow | stats | monitor | account   (\"flow\" alone shows all flows)\n"
		"OPTIONS := { -j[son] | -p[retty] | -V[ersion] | -h[elp] }\n"
		"  -j  JSON output    -p  pretty-printed JSON (implies -j)\n"
		"  -b FILE  run the commands of FILE (\"-\": stdin), one a line, as they\n"
		"           would follow OPTIONS, on one netlink socket; \"#\" comments,\n"
		"           sh quoting; stops at the first that fails (its status)\n"
		"  -force   with -b: run every line; status 1 if any failed\n\n");
	for (i = 0; i < ARRAY_SIZE(objects); i++) {
		objects[i].usage(out);
		fputc('\n', out);
	}
	fprintf(out, "See natkeepctl(8).\n");
}

/* argv[0] is the object: a command of the command line or of a batch. */
static int run_object(const struct nkctl_opts *opts, int argc, char **argv)
{
	char message[128];
	size_t i;

	if (!strcmp(argv[0], "help")) {
		usage(stdout);
		return NKCTL_EXIT_OK;
	}
	if (opts->session && !strcmp(argv[0], "monitor")) {
		nkctl_error("monitor cannot run in a batch: it runs until interrupted");
		return NKCTL_EXIT_USAGE;
	}
	for (i = 0; i < ARRAY_SIZE(objects); i++)
		if (!strcmp(argv[0], objects[i].name))
			return objects[i].run(opts, argc - 1, argv + 1);
	snprintf(message, sizeof(message), "unknown object \"%s\"", argv[0]);
	return nkctl_usage_error(NULL, message);
}

static int run_batch_command(void *data, int argc, char **argv)
{
	return run_object(data, argc, argv);
}

static int run_batch(struct nkctl_opts *opts)
{
	struct nkctl_genl_session session = { 0 };
	FILE *in = stdin;
	int ret;

	if (strcmp(opts->batch, "-")) {
		in = fopen(opts->batch, "re");
		if (!in) {
			nkctl_error("cannot open %s: %s", opts->batch, strerror(errno));
			return NKCTL_EXIT_FAILURE;
		}
	}
	opts->session = &session;
	ret = nkctl_batch_run(in, opts->batch, opts->force, run_batch_command, opts);
	nkctl_genl_session_end(&session);
	opts->session = NULL;
	if (in != stdin)
		fclose(in);
	return ret;
}

int main(int argc, char **argv)
{
	struct nkctl_opts opts;
	char message[128];
	int first;

	switch (nkctl_options_parse(argc, argv, &opts, &first, message, sizeof(message))) {
	case NKCTL_OPTIONS_HELP:
		usage(stdout);
		return NKCTL_EXIT_OK;
	case NKCTL_OPTIONS_VERSION:
		printf("natkeepctl %s (generic netlink family %s version %d)\n",
		       NATKEEP_VERSION, NATKEEP_GENL_NAME, NATKEEP_GENL_VERSION);
		return NKCTL_EXIT_OK;
	case NKCTL_OPTIONS_ERROR:
		return nkctl_usage_error(NULL, message);
	case NKCTL_OPTIONS_RUN:
		break;
	}
	if (opts.batch)
		return run_batch(&opts);
	if (first >= argc) {
		usage(stderr);
		return NKCTL_EXIT_USAGE;
	}
	return run_object(&opts, argc - first, argv + first);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * natkeepctl: show, add, change and delete natkeep's keep-alive flows, and
 * watch their events. "natkeepctl [OPTIONS] OBJECT [COMMAND [ARGS]]".
 */
#include <stdio.h>
#include <string.h>
#include <linux/natkeep.h>

#include "nkctl.h"
#include "options.h"
#include "report.h"

#ifndef NATKEEP_VERSION
#define NATKEEP_VERSION "0.1.0"
#endif

static const struct nkctl_object objects[] = {
	{ "flow",	nkctl_flow_run,		nkctl_flow_usage },
	{ "account",	nkctl_account_run,	nkctl_account_usage },
	{ "monitor",	nkctl_monitor_run,	nkctl_monitor_usage },
};

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: natkeepctl [OPTIONS] OBJECT [COMMAND [ARGS]]\n"
		"       natkeepctl help | --help | --version\n"
		"OBJECT := flow | monitor | account   (\"flow\" alone shows all flows)\n"
		"OPTIONS := { -j[son] | -p[retty] | -V[ersion] | -h[elp] }\n"
		"  -j  JSON output    -p  pretty-printed JSON (implies -j)\n\n");
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		objects[i].usage(out);
		fputc('\n', out);
	}
	fprintf(out, "See natkeepctl(8).\n");
}

int main(int argc, char **argv)
{
	struct nkctl_opts opts;
	char message[128];
	int first;
	size_t i;

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
	if (first >= argc) {
		usage(stderr);
		return NKCTL_EXIT_USAGE;
	}
	if (!strcmp(argv[first], "help")) {
		usage(stdout);
		return NKCTL_EXIT_OK;
	}
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		if (!strcmp(argv[first], objects[i].name))
			return objects[i].run(&opts, argc - first - 1, argv + first + 1);
	snprintf(message, sizeof(message), "unknown object \"%s\"", argv[first]);
	return nkctl_usage_error(NULL, message);
}

// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "options.h"

static bool is_option(const char *arg, const char *short_name, const char *long_name)
{
	/* iproute2 users also type "-json"; accept one or two dashes. */
	return (short_name && !strcmp(arg, short_name)) || !strcmp(arg, long_name) ||
	       !strcmp(arg, long_name + 1);
}

enum nkctl_options_result nkctl_options_parse(int argc, char **argv,
					      struct nkctl_opts *opts, int *used,
					      char *err, size_t errlen)
{
	int i;

	memset(opts, 0, sizeof(*opts));
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "--")) {
			i++;
			break;
		}
		if (is_option(arg, "-j", "--json")) {
			opts->json = true;
		} else if (is_option(arg, "-p", "--pretty")) {
			opts->json = true;
			opts->pretty = true;
		} else if (is_option(arg, "-h", "--help")) {
			return NKCTL_OPTIONS_HELP;
		} else if (is_option(arg, "-V", "--version")) {
			return NKCTL_OPTIONS_VERSION;
		} else if (is_option(arg, "-b", "--batch")) {
			if (opts->batch) {
				snprintf(err, errlen, "\"%s\" given twice", arg);
				return NKCTL_OPTIONS_ERROR;
			}
			if (++i >= argc) {
				snprintf(err, errlen, "\"%s\" needs a FILE (\"-\" for stdin)", arg);
				return NKCTL_OPTIONS_ERROR;
			}
			opts->batch = argv[i];
		} else if (is_option(arg, NULL, "--force")) {
			opts->force = true;
		} else {
			snprintf(err, errlen, "unknown option \"%s\"", arg);
			return NKCTL_OPTIONS_ERROR;
		}
	}
	if (opts->force && !opts->batch) {
		snprintf(err, errlen, "\"-force\" is for a batch: -force -b FILE");
		return NKCTL_OPTIONS_ERROR;
	}
	if (opts->batch && i < argc) {
		snprintf(err, errlen, "a batch takes its commands from %s, not \"%s\"",
			 opts->batch, argv[i]);
		return NKCTL_OPTIONS_ERROR;
	}
	*used = i;
	return NKCTL_OPTIONS_RUN;
}

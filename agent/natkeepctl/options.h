/* SPDX-License-Identifier: GPL-2.0 */
/* natkeepctl's global options, before the object. */
#ifndef NKCTL_OPTIONS_H
#define NKCTL_OPTIONS_H

#include <stddef.h>

#include "nkctl.h"

enum nkctl_options_result {
	NKCTL_OPTIONS_RUN,	/* go on with argv[*used] as the object */
	NKCTL_OPTIONS_HELP,
	NKCTL_OPTIONS_VERSION,
	NKCTL_OPTIONS_ERROR,	/* err says which option */
};

/*
 * Reads -j/--json, -p/--pretty (implies -j), -h/--help, -V/--version,
 * -b/--batch FILE and --force (-force needs -b, and -b takes no object)
 * from argv[1...]; *used is the index of the first argument after them.
 */
enum nkctl_options_result nkctl_options_parse(int argc, char **argv,
					      struct nkctl_opts *opts, int *used,
					      char *err, size_t errlen);

#endif

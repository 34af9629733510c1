/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "natkeepctl -b FILE": read the commands, one a line, and run them in
 * turn. What a line does is the caller's (cmd); here are the file format,
 * the places in messages and the exit status.
 */
#ifndef NKCTL_BATCH_H
#define NKCTL_BATCH_H

#include <stdbool.h>
#include <stdio.h>

/* Runs one command, argv[0] its object (argc >= 1); returns its exit code. */
typedef int (*nkctl_batch_cmd_t)(void *data, int argc, char **argv);

/*
 * Runs every command of in, named name in messages ("natkeepctl:
 * NAME:LINE: ..."): lines of any length; blank lines and comments (see
 * nkctl_tokenize) are skipped, and a line ending in a backslash goes on on
 * the next (the place is the line where the command starts).
 *
 * Without force, stops at the first command that fails and returns its
 * exit code; with force, runs them all and returns NKCTL_EXIT_FAILURE if
 * any failed. A line that cannot be split (an unterminated quote) fails
 * with NKCTL_EXIT_USAGE; a read error ends the batch with
 * NKCTL_EXIT_FAILURE.
 */
int nkctl_batch_run(FILE *in, const char *name, bool force,
		    nkctl_batch_cmd_t cmd, void *data);

#endif

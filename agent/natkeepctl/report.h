/* SPDX-License-Identifier: GPL-2.0 */
/* Error messages of natkeepctl, on stderr, with the exit code they imply. */
#ifndef NKCTL_REPORT_H
#define NKCTL_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "nk_ack.h"

/*
 * The batch line being run, named in every message as "FILE:LINE: "; file
 * NULL when natkeepctl runs the command line's own command.
 */
void nkctl_report_set_place(const char *file, unsigned long line);

/* Where the messages go: stderr, or NULL for it; tests capture them. */
void nkctl_report_to(FILE *out);

/* "natkeepctl: [FILE:LINE: ]message\n", the form of every error. */
void nkctl_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * For messages that are not natkeepctl's own (natkeepd's replies): the
 * stream to write them to, after "natkeepctl: FILE:LINE: " in a batch.
 */
FILE *nkctl_error_start_foreign(void);

/*
 * "<strerror>: <extack message> (attribute <name>)", the parts that are
 * known; for the kernel's refusals.
 */
void nkctl_format_kernel_error(const struct nk_error *err, char *buf, size_t len);

/* "natkeepctl: message", a hint to the help, returns NKCTL_EXIT_USAGE. */
int nkctl_usage_error(const char *object, const char *message);

/* "natkeepctl: <what>: <kernel error>", returns NKCTL_EXIT_FAILURE. */
int nkctl_kernel_error(const char *what, const struct nk_error *err);

/* Failure to open: explains a missing module. Returns NKCTL_EXIT_FAILURE. */
int nkctl_open_error(const struct nk_error *err);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* Error messages of natkeepctl, on stderr, with the exit code they imply. */
#ifndef NKCTL_REPORT_H
#define NKCTL_REPORT_H

#include <stddef.h>

#include "nk_ack.h"

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

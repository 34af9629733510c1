// SPDX-License-Identifier: GPL-2.0
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/natkeep.h>

#include "nkctl.h"

void nkctl_format_kernel_error(const struct nk_error *err, char *buf, size_t len)
{
	int used = snprintf(buf, len, "%s", strerror(-err->code));

	if (err->msg[0] && used >= 0 && (size_t)used < len)
		used += snprintf(buf + used, len - (size_t)used, ": %s", err->msg);
	if (err->attr_name && used >= 0 && (size_t)used < len)
		used += snprintf(buf + used, len - (size_t)used, " (attribute %s)",
				 err->attr_name);
	else if (err->has_offset && used >= 0 && (size_t)used < len)
		used += snprintf(buf + used, len - (size_t)used,
				 " (at offset %u of the request)", err->offset);
	if (err->has_missing && used >= 0 && (size_t)used < len) {
		if (err->missing_name)
			snprintf(buf + used, len - (size_t)used,
				 " (missing attribute %s)", err->missing_name);
		else
			snprintf(buf + used, len - (size_t)used,
				 " (missing attribute %u)", err->missing_type);
	}
}

int nkctl_usage_error(const char *object, const char *message)
{
	fprintf(stderr, "natkeepctl: %s\n", message);
	if (object)
		fprintf(stderr, "Try \"natkeepctl %s help\".\n", object);
	else
		fprintf(stderr, "Try \"natkeepctl help\".\n");
	return NKCTL_EXIT_USAGE;
}

int nkctl_kernel_error(const char *what, const struct nk_error *err)
{
	char text[512];

	nkctl_format_kernel_error(err, text, sizeof(text));
	if (what)
		fprintf(stderr, "natkeepctl: %s: %s\n", what, text);
	else
		fprintf(stderr, "natkeepctl: %s\n", text);
	return NKCTL_EXIT_FAILURE;
}

int nkctl_open_error(const struct nk_error *err)
{
	if (err->code == -ENOENT) {
		fprintf(stderr,
			"natkeepctl: the natkeep kernel module is not loaded "
			"(generic netlink family \"%s\" not found)\n"
			"Load it with: modprobe natkeep\n", NATKEEP_GENL_NAME);
		return NKCTL_EXIT_FAILURE;
	}
	return nkctl_kernel_error("cannot talk to natkeep", err);
}

// SPDX-License-Identifier: GPL-2.0
#include "report.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <linux/natkeep.h>

#include "nkctl.h"

/* natkeepctl runs one command at a time: one place, one stream. */
static const char *place_file;
static unsigned long place_line;
static FILE *report_out;

void nkctl_report_set_place(const char *file, unsigned long line)
{
	place_file = file;
	place_line = line;
}

void nkctl_report_to(FILE *out)
{
	report_out = out;
}

static FILE *out_stream(void)
{
	return report_out ? report_out : stderr;
}

static void print_place(FILE *out)
{
	if (place_file)
		fprintf(out, "%s:%lu: ", place_file, place_line);
}

void nkctl_error(const char *fmt, ...)
{
	FILE *out = out_stream();
	va_list ap;

	fputs("natkeepctl: ", out);
	print_place(out);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

FILE *nkctl_error_start_foreign(void)
{
	FILE *out = out_stream();

	if (place_file) {
		fputs("natkeepctl: ", out);
		print_place(out);
	}
	return out;
}

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
	nkctl_error("%s", message);
	if (object)
		fprintf(out_stream(), "Try \"natkeepctl %s help\".\n", object);
	else
		fprintf(out_stream(), "Try \"natkeepctl help\".\n");
	return NKCTL_EXIT_USAGE;
}

int nkctl_kernel_error(const char *what, const struct nk_error *err)
{
	char text[512];

	nkctl_format_kernel_error(err, text, sizeof(text));
	if (what)
		nkctl_error("%s: %s", what, text);
	else
		nkctl_error("%s", text);
	return NKCTL_EXIT_FAILURE;
}

int nkctl_open_error(const struct nk_error *err)
{
	if (err->code == -ENOENT) {
		nkctl_error("the natkeep kernel module is not loaded "
			    "(generic netlink family \"%s\" not found)", NATKEEP_GENL_NAME);
		fprintf(out_stream(), "Load it with: modprobe natkeep\n");
		return NKCTL_EXIT_FAILURE;
	}
	return nkctl_kernel_error("cannot talk to natkeep", err);
}

// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include <time.h>

#include "log.h"

static bool log_stderr = true;
static enum nkd_log_level log_level = NKD_LOG_INFO;

void nkd_log_open(bool to_stderr, enum nkd_log_level level)
{
	log_stderr = to_stderr;
	log_level = level;
	if (!to_stderr)
		openlog("natkeepd", LOG_PID, LOG_DAEMON);
}

void nkd_log_set_level(enum nkd_log_level level)
{
	log_level = level;
}

void nkd_log(enum nkd_log_level level, const char *fmt, ...)
{
	static const int priority[] = {
		[NKD_LOG_ERR] = LOG_ERR, [NKD_LOG_WARNING] = LOG_WARNING,
		[NKD_LOG_NOTICE] = LOG_NOTICE, [NKD_LOG_INFO] = LOG_INFO,
		[NKD_LOG_DEBUG] = LOG_DEBUG,
	};
	static const char *const names[] = {
		[NKD_LOG_ERR] = "error", [NKD_LOG_WARNING] = "warning",
		[NKD_LOG_NOTICE] = "notice", [NKD_LOG_INFO] = "info",
		[NKD_LOG_DEBUG] = "debug",
	};
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	if (log_stderr) {
		struct timespec ts;

		/* Wall-clock seconds: tests line the log up with captures. */
		clock_gettime(CLOCK_REALTIME, &ts);
		fprintf(stderr, "%ld.%03ld natkeepd %s: ", (long)ts.tv_sec,
			ts.tv_nsec / 1000000, names[level]);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		vsyslog(priority[level], fmt, ap);
	}
	va_end(ap);
}

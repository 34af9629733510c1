// SPDX-License-Identifier: GPL-2.0
/* sofia-sip's log lines into natkeepd's, rate-limited (see sofia_log.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sofia-sip/su_log.h>

#include "clock.h"
#include "log.h"
#include "sofia_log.h"

static struct {
	char line[512];		/* sofia writes a line in pieces */
	size_t len;
	int64_t period_start;
	unsigned int lines;	/* logged in this period */
	unsigned long long left_out;
} sofia;

static void line_done(void)
{
	int64_t now = nkd_now_ms();

	if (now - sofia.period_start >= NKD_SOFIA_LOG_PERIOD_MS) {
		if (sofia.left_out)
			nkd_notice("sofia-sip: %llu more lines left out of the log",
				   sofia.left_out);
		sofia.period_start = now;
		sofia.lines = 0;
		sofia.left_out = 0;
	}
	if (sofia.lines++ < NKD_SOFIA_LOG_BURST)
		nkd_notice("sofia-sip: %s", sofia.line);
	else
		sofia.left_out++;
	sofia.len = 0;
	sofia.line[0] = '\0';
}

static void logger(void *stream, char const *fmt, va_list ap)
{
	char piece[sizeof(sofia.line)];
	const char *p = piece;

	(void)stream;
	vsnprintf(piece, sizeof(piece), fmt, ap);
	while (*p) {
		size_t n = strcspn(p, "\n");
		size_t room = sizeof(sofia.line) - 1 - sofia.len;
		size_t take = n < room ? n : room;

		memcpy(sofia.line + sofia.len, p, take);
		sofia.len += take;
		sofia.line[sofia.len] = '\0';
		p += n;
		if (*p == '\n') {
			line_done();
			p++;
		}
	}
}

void nkd_sofia_log_start(void)
{
	/* The logs of nta, tport and sres have no logger of their own. */
	su_log_redirect(su_log_default, logger, NULL);
}

// SPDX-License-Identifier: GPL-2.0
/* natkeepd's clock (see clock.h). */
#include <time.h>
#include <sofia-sip/su_time.h>

#include "clock.h"

/* Seconds from 1900 (su_time_t's NTP epoch) to 1970. */
#define NTP_EPOCH	2208988800UL

/*
 * sofia-sip's hook on su_time() (su_time0.c: "hooks for testing timing and
 * timers"): it is handed the wall-clock time read and may replace it. It is
 * exported by libsofia-sip-ua but declared in no header.
 */
extern void (*_su_time)(su_time_t *tv);

static struct timespec wall_at_start, mono_at_start;

int64_t nkd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void steady_time(su_time_t *tv)
{
	struct timespec now;
	int64_t us;

	clock_gettime(CLOCK_MONOTONIC, &now);
	us = ((int64_t)now.tv_sec - mono_at_start.tv_sec) * 1000000 +
	     (now.tv_nsec - mono_at_start.tv_nsec) / 1000 + wall_at_start.tv_nsec / 1000;
	tv->tv_sec = (unsigned long)(wall_at_start.tv_sec + NTP_EPOCH + us / 1000000);
	tv->tv_usec = (unsigned long)(us % 1000000);
}

void nkd_clock_steady_sofia(void)
{
	clock_gettime(CLOCK_REALTIME, &wall_at_start);
	clock_gettime(CLOCK_MONOTONIC, &mono_at_start);
	_su_time = steady_time;
}

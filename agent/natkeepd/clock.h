/* SPDX-License-Identifier: GPL-2.0 */
/*
 * natkeepd's clock: CLOCK_MONOTONIC, for its own deadlines and sofia-sip's
 * timers alike. A gateway without an RTC boots in 1970 and NTP steps the
 * wall clock by decades; timers on it would fire all at once, or decades
 * late.
 */
#ifndef NKD_CLOCK_H
#define NKD_CLOCK_H

#include <stdint.h>

/* Milliseconds on CLOCK_MONOTONIC. */
int64_t nkd_now_ms(void);

/*
 * Makes sofia-sip's clock (su_time(), so su_now(): every su_timer, nta's
 * retransmissions and timeouts, the resolver's TTLs) monotonic: the wall
 * clock at this call, advanced by CLOCK_MONOTONIC since. Call once, before
 * su_init().
 */
void nkd_clock_steady_sofia(void);

#endif

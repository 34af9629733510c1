// SPDX-License-Identifier: GPL-2.0
#include <linux/math64.h>
#include <linux/time64.h>

#include "schedule.h"

/*
 * The length of the next interval in ns. With @randomize it is drawn from
 * 80 % to 100 % of @interval_ms (RFC 5626, 4.4.1), so that flows created
 * together do not send together; @rnd is a uniform random u32, passed in so
 * that the bounds can be tested. Microsecond steps keep the span in a u32.
 */
u64 nk_interval_ns(u32 interval_ms, bool randomize, u32 rnd)
{
	u64 full_us = (u64)interval_ms * USEC_PER_MSEC;
	u64 span_us, offset_us;

	if (!randomize)
		return full_us * NSEC_PER_USEC;

	span_us = div_u64(full_us, 5);
	offset_us = ((u64)rnd * (span_us + 1)) >> 32;
	return (full_us - span_us + offset_us) * NSEC_PER_USEC;
}

/*
 * The due time of the send after the one due at @due and sent at @sent,
 * @interval_ns later. After a stall longer than an interval the sends
 * missed are skipped, not sent in a burst: a fixed schedule keeps its
 * grid (the next multiple of the interval after @sent, as timerfd does),
 * a randomised one, which has no grid, starts again from @sent.
 */
s64 nk_next_due_ns(s64 due, s64 sent, u64 interval_ns, bool randomize)
{
	s64 next = due + interval_ns;

	if (next > sent)
		return next;
	if (randomize)
		return sent + interval_ns;
	return due + (div64_u64(sent - due, interval_ns) + 1) * interval_ns;
}

// SPDX-License-Identifier: GPL-2.0
#include <linux/compiler.h>
#include <linux/limits.h>
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

static unsigned int nk_load_window(u64 t_ns)
{
	return div_u64(t_ns, NK_LOAD_WINDOW_NS) % NK_LOAD_WINDOWS;
}

/*
 * A flow whose next send is at @next_send_ns joins (@delta 1) or leaves
 * (-1) @load. The caller serialises the writes; readers take a hint.
 */
void nk_load_count(u16 *load, s64 next_send_ns, int delta)
{
	u16 *n = &load[nk_load_window(next_send_ns)];

	/* Saturated counts only make the choice less informed. */
	if (delta > 0 && *n < U16_MAX)
		WRITE_ONCE(*n, *n + 1);
	else if (delta < 0 && *n)
		WRITE_ONCE(*n, *n - 1);
}

/*
 * Of two intervals drawn for the send after the one due at @due_ns, the
 * one whose window holds fewer flows. Random times alone put about three
 * times the mean in the busiest window at a few sends a window; the less
 * loaded of two choices brings that close to the mean.
 */
u64 nk_load_pick_ns(const u16 *load, s64 due_ns, u64 a_ns, u64 b_ns)
{
	if (READ_ONCE(load[nk_load_window(due_ns + b_ns)]) <
	    READ_ONCE(load[nk_load_window(due_ns + a_ns)]))
		return b_ns;
	return a_ns;
}

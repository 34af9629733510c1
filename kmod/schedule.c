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

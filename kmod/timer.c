// SPDX-License-Identifier: GPL-2.0
#include <linux/random.h>

#include "compat.h"
#include "flow.h"
#include "schedule.h"
#include "timer.h"
#include "xmit.h"

static u64 nk_next_interval_ns(const struct nk_flow *flow)
{
	const struct nk_flow_params *p = &flow->params;

	return nk_interval_ns(p->interval_ms, p->randomize,
			      p->randomize ? get_random_u32() : 0);
}

static enum hrtimer_restart nk_expired_send(struct hrtimer *timer)
{
	struct nk_flow *flow = container_of(timer, struct nk_flow, timer);
	ktime_t due = hrtimer_get_expires(timer);
	ktime_t sent_at, next;
	int err;

	err = nk_xmit(flow, &sent_at);
	nk_stats_record_send(&flow->stats, ktime_to_ns(sent_at),
			     ktime_to_ns(ktime_sub(sent_at, due)), !err);

	/* After a stall longer than an interval, resume from now, no burst. */
	next = ktime_add_ns(due, nk_next_interval_ns(flow));
	if (ktime_before(next, sent_at))
		next = ktime_add_ns(sent_at, nk_next_interval_ns(flow));
	hrtimer_set_expires(timer, next);
	return HRTIMER_RESTART;
}

void nk_timers_init(struct nk_flow *flow)
{
	hrtimer_setup(&flow->timer, nk_expired_send, CLOCK_MONOTONIC,
		      HRTIMER_MODE_ABS_SOFT);
}

/* A new flow sends its first keep-alive one interval after creation. */
ktime_t nk_timers_first_expiry(const struct nk_flow *flow)
{
	return ktime_add_ns(ktime_get(), nk_next_interval_ns(flow));
}

void nk_timers_start(struct nk_flow *flow, ktime_t first)
{
	hrtimer_start(&flow->timer, first, HRTIMER_MODE_ABS_SOFT);
}

/* Stops the timer, waiting for a running callback; returns the next expiry. */
ktime_t nk_timers_stop(struct nk_flow *flow)
{
	hrtimer_cancel(&flow->timer);
	return hrtimer_get_expires(&flow->timer);
}

s64 nk_timers_next_send_ns(const struct nk_flow *flow)
{
	return max_t(s64, ktime_to_ns(hrtimer_expires_remaining(&flow->timer)), 0);
}

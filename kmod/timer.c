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

/* Send the keep-alive due at @due, and count it. */
static ktime_t nk_send(struct nk_flow *flow, ktime_t due)
{
	struct nk_payload_send send;
	ktime_t sent_at;
	int err;

	err = nk_xmit(flow, &send, &sent_at);
	nk_stats_record_send(&flow->stats, ktime_to_ns(sent_at),
			     ktime_to_ns(ktime_sub(sent_at, due)), !err);
	if (!err && nk_payload_answered(&flow->payload))
		nk_peer_request_sent(flow, &send, sent_at);
	return sent_at;
}

/*
 * One timer per flow serves two deadlines: the next send, and the response
 * timeout of the request in flight, whichever comes first.
 */
static enum hrtimer_restart nk_expired(struct hrtimer *timer)
{
	struct nk_flow *flow = container_of(timer, struct nk_flow, timer);
	bool answered = nk_payload_answered(&flow->payload);
	ktime_t now = ktime_get();
	ktime_t due = flow->next_send;
	ktime_t expires;

	/* Only requests that get answers have a timeout to look after. */
	if (answered)
		nk_peer_check_timeout(flow, now);
	if (!ktime_before(now, due)) {
		ktime_t sent_at = nk_send(flow, due);
		ktime_t next = ktime_add_ns(due, nk_next_interval_ns(flow));

		/* After a stall longer than an interval, resume from now, no burst. */
		if (ktime_before(next, sent_at))
			next = ktime_add_ns(sent_at, nk_next_interval_ns(flow));
		WRITE_ONCE(flow->next_send, next);
	}
	expires = flow->next_send;
	if (answered)
		expires = min(expires, nk_peer_deadline(flow));
	hrtimer_set_expires(timer, expires);
	return HRTIMER_RESTART;
}

void nk_timers_init(struct nk_flow *flow)
{
	hrtimer_setup(&flow->timer, nk_expired, CLOCK_MONOTONIC,
		      HRTIMER_MODE_ABS_SOFT);
}

/* A new flow sends its first keep-alive one interval after creation. */
ktime_t nk_timers_first_expiry(const struct nk_flow *flow)
{
	return ktime_add_ns(ktime_get(), nk_next_interval_ns(flow));
}

void nk_timers_start(struct nk_flow *flow, ktime_t first)
{
	flow->next_send = first;
	hrtimer_start(&flow->timer, first, HRTIMER_MODE_ABS_SOFT);
}

/* Stops the timer, waiting for a running callback; returns the next send. */
ktime_t nk_timers_stop(struct nk_flow *flow)
{
	hrtimer_cancel(&flow->timer);
	return flow->next_send;
}

s64 nk_timers_next_send_ns(const struct nk_flow *flow)
{
	s64 left = ktime_to_ns(ktime_sub(READ_ONCE(flow->next_send),
					 ktime_get()));

	return max_t(s64, left, 0);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * A flow's hrtimer expires in hard irq context and only hands the flow to
 * this CPU's send tasklet, a HI_SOFTIRQ one: HI runs first in every softirq
 * pass, at the interrupt's exit, and (up to 6.1 at least) is never deferred
 * to ksoftirqd. A soft hrtimer that sends from its callback waits instead
 * behind NET_RX (HRTIMER_SOFTIRQ comes after it) and, once a packet flood
 * has woken ksoftirqd, behind the scheduler: make bench measures both.
 */
#include <linux/interrupt.h>
#include <linux/llist.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/wait_bit.h>

#include "compat.h"
#include "flow.h"
#include "schedule.h"
#include "timer.h"
#include "xmit.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

static bool softirq_timers;
module_param(softirq_timers, bool, 0644);
MODULE_PARM_DESC(softirq_timers,
		 "Flows created from now on send from a soft hrtimer's callback, natkeep 0.1's way (kept to compare, make bench; default N)");

/*
 * nk_flow.timer_flags, changed under nk_flow.timer_lock: the hard irq
 * callback, the tasklet and nk_timers_stop() agree through it on whether
 * the timer may be armed again and whether a queue still holds the flow.
 */
enum {
	NK_TIMER_SOFT,		/* soft hrtimer, sends from its callback */
	NK_TIMER_QUEUED,	/* in a send queue, or being sent */
	NK_TIMER_STOPPING,	/* no more queueing, no more arming */
};

struct nk_send_queue {
	struct llist_head flows;	/* filled in hard irq context */
	struct tasklet_struct tasklet;
};

static DEFINE_PER_CPU(struct nk_send_queue, nk_send_queues);

static u64 nk_next_interval_ns(const struct nk_flow *flow)
{
	const struct nk_flow_params *p = &flow->params;

	return nk_interval_ns(p->interval_ms, p->randomize,
			      p->randomize ? get_random_u32() : 0);
}

/*
 * How late a randomised flow's timer may fire: a thousandth of the
 * interval, at most 1 ms. Timers due within that much of each other then
 * share one interrupt and one tasklet run (at 100 000 flows, a few per
 * interrupt), while the sends stay spread (the RFC 5626 window is 20 % of
 * the interval). A fixed schedule gets none: it asked for its times.
 */
static u64 nk_timer_slack_ns(const struct nk_flow *flow)
{
	const struct nk_flow_params *p = &flow->params;

	if (!p->randomize)
		return 0;
	return min_t(u64, (u64)p->interval_ms * NSEC_PER_USEC, NSEC_PER_MSEC);
}

/* Send the keep-alive due at @due, and count it. */
static ktime_t nk_send(struct nk_flow *flow, ktime_t due)
{
	struct nk_payload_send send;
	ktime_t sent_at;
	int err;

	/* 0.1's soft timers are measured as they were: no spare skb. */
	err = nk_xmit(flow, &send, &sent_at,
		      !test_bit(NK_TIMER_SOFT, &flow->timer_flags));
	trace_natkeep_send(flow, due, sent_at, err);
	nk_stats_record_send(&flow->stats, ktime_to_ns(sent_at),
			     ktime_to_ns(ktime_sub(sent_at, due)), !err);
	if (!err && nk_payload_answered(&flow->payload))
		nk_peer_request_sent(flow, &send, sent_at);
	return sent_at;
}

/*
 * One timer per flow serves two deadlines: the next send, and the response
 * timeout of the request in flight, whichever comes first. Returns when the
 * timer must expire next. Runs in softirq context, never concurrently with
 * itself for one flow.
 */
static ktime_t nk_expire(struct nk_flow *flow)
{
	bool answered = nk_payload_answered(&flow->payload);
	ktime_t now = ktime_get();
	ktime_t due = flow->next_send;
	ktime_t expires;

	/* Only requests that get answers have a timeout to look after. */
	if (answered)
		nk_peer_check_timeout(flow, now);
	if (!ktime_before(now, due)) {
		ktime_t sent_at = nk_send(flow, due);

		WRITE_ONCE(flow->next_send,
			   nk_next_due_ns(due, sent_at, nk_next_interval_ns(flow),
					  flow->params.randomize));
	}
	expires = flow->next_send;
	if (answered)
		expires = min(expires, nk_peer_deadline(flow));
	return expires;
}

static enum hrtimer_restart nk_soft_expired(struct hrtimer *timer)
{
	struct nk_flow *flow = container_of(timer, struct nk_flow, timer);

	hrtimer_set_expires(timer, nk_expire(flow));
	return HRTIMER_RESTART;
}

/* Hard irq context: queue the flow for this CPU's send tasklet, no more. */
static enum hrtimer_restart nk_hard_expired(struct hrtimer *timer)
{
	struct nk_flow *flow = container_of(timer, struct nk_flow, timer);
	struct nk_send_queue *queue = this_cpu_ptr(&nk_send_queues);

	raw_spin_lock(&flow->timer_lock);
	if (!test_bit(NK_TIMER_STOPPING, &flow->timer_flags)) {
		__set_bit(NK_TIMER_QUEUED, &flow->timer_flags);
		llist_add(&flow->due, &queue->flows);
		tasklet_hi_schedule(&queue->tasklet);
	}
	raw_spin_unlock(&flow->timer_lock);
	return HRTIMER_NORESTART;
}

/* Send (or time out) each flow whose timer expired, then arm it again. */
static void nk_send_queued(struct tasklet_struct *tasklet)
{
	struct nk_send_queue *queue = from_tasklet(queue, tasklet, tasklet);
	struct llist_node *due = llist_del_all(&queue->flows);
	struct nk_flow *flow, *next;
	unsigned long irqflags;

	/* In the order they expired. */
	llist_for_each_entry_safe(flow, next, llist_reverse_order(due), due) {
		ktime_t expires = 0;

		if (!test_bit(NK_TIMER_STOPPING, &flow->timer_flags))
			expires = nk_expire(flow);
		raw_spin_lock_irqsave(&flow->timer_lock, irqflags);
		clear_bit_unlock(NK_TIMER_QUEUED, &flow->timer_flags);
		if (!test_bit(NK_TIMER_STOPPING, &flow->timer_flags))
			hrtimer_start_range_ns(&flow->timer, expires,
					       nk_timer_slack_ns(flow),
					       HRTIMER_MODE_ABS_HARD);
		raw_spin_unlock_irqrestore(&flow->timer_lock, irqflags);
		/*
		 * The barrier orders the clear before the waiter check (see
		 * wake_up_var()); the flow is freed only after a grace period,
		 * so not before this tasklet ends.
		 */
		smp_mb();
		wake_up_var(&flow->timer_flags);
	}
	nk_xmit_refill();
}

static enum hrtimer_mode nk_timer_mode(const struct nk_flow *flow)
{
	return test_bit(NK_TIMER_SOFT, &flow->timer_flags) ?
		HRTIMER_MODE_ABS_SOFT : HRTIMER_MODE_ABS_HARD;
}

void nk_timers_init(struct nk_flow *flow)
{
	raw_spin_lock_init(&flow->timer_lock);
	if (READ_ONCE(softirq_timers)) {
		__set_bit(NK_TIMER_SOFT, &flow->timer_flags);
		hrtimer_setup(&flow->timer, nk_soft_expired, CLOCK_MONOTONIC,
			      HRTIMER_MODE_ABS_SOFT);
	} else {
		hrtimer_setup(&flow->timer, nk_hard_expired, CLOCK_MONOTONIC,
			      HRTIMER_MODE_ABS_HARD);
	}
}

/*
 * A new flow sends its first keep-alive one interval after creation; a
 * randomised one at a uniformly random time within the first interval, so
 * that flows created together (an agent's start, a batch) are spread from
 * their first send on, not only after a few rounds of 80..100 %.
 */
ktime_t nk_timers_first_expiry(const struct nk_flow *flow)
{
	u64 interval = nk_next_interval_ns(flow);

	if (flow->params.randomize)
		interval = mul_u64_u32_shr(interval, get_random_u32(), 32) + 1;
	return ktime_add_ns(ktime_get(), interval);
}

void nk_timers_start(struct nk_flow *flow, ktime_t first)
{
	bool soft = test_bit(NK_TIMER_SOFT, &flow->timer_flags);

	flow->next_send = first;
	hrtimer_start_range_ns(&flow->timer, first,
			       soft ? 0 : nk_timer_slack_ns(flow),
			       nk_timer_mode(flow));
}

/*
 * Stops the timer for good, waiting for a send in progress; returns the
 * next send. Sleeps. Once STOPPING is set nothing arms the timer or queues
 * the flow again; what remains is a callback running now and a queue that
 * still holds the flow.
 */
ktime_t nk_timers_stop(struct nk_flow *flow)
{
	raw_spin_lock_irq(&flow->timer_lock);
	__set_bit(NK_TIMER_STOPPING, &flow->timer_flags);
	raw_spin_unlock_irq(&flow->timer_lock);
	hrtimer_cancel(&flow->timer);
	wait_var_event(&flow->timer_flags,
		       !test_bit_acquire(NK_TIMER_QUEUED, &flow->timer_flags));
	return flow->next_send;
}

s64 nk_timers_next_send_ns(const struct nk_flow *flow)
{
	s64 left = ktime_to_ns(ktime_sub(READ_ONCE(flow->next_send),
					 ktime_get()));

	return max_t(s64, left, 0);
}

void nk_timers_module_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct nk_send_queue *queue = per_cpu_ptr(&nk_send_queues, cpu);

		init_llist_head(&queue->flows);
		tasklet_setup(&queue->tasklet, nk_send_queued);
	}
}

/* After every flow has stopped: nothing can queue a send any more. */
void nk_timers_module_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		tasklet_kill(&per_cpu_ptr(&nk_send_queues, cpu)->tasklet);
	nk_xmit_free_spares();
}

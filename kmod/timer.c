// SPDX-License-Identifier: GPL-2.0
/*
 * Flows wait in their CPU's timer queue, a timerqueue (rbtree) ordered by
 * when each must be served. One hrtimer per queue expires, in hard irq
 * context, at the first of them and only schedules the queue's tasklet, a
 * HI_SOFTIRQ one: HI runs first in every softirq pass, at the interrupt's
 * exit, and (up to 6.1 at least) is never deferred to ksoftirqd. The tasklet
 * sends what is due, arms the hrtimer again and builds, in advance, the
 * next packet of the flow the hrtimer now waits for: at its due time only
 * the IP layer's part of the send is left. A soft hrtimer that sent from
 * its callback would wait behind NET_RX (HRTIMER_SOFTIRQ comes after it)
 * and, once a packet flood has woken ksoftirqd, behind the scheduler.
 *
 * On PREEMPT_RT softirqs run in threads (ksoftirqd), the tasklet too; the
 * hrtimer still expires in hard irq context (a _HARD mode), where it takes
 * no lock: every lock here is a spinlock_t, a sleeping one there, taken
 * only by the tasklet, the netfilter hook and process context.
 *
 * One queue per CPU instead of an hrtimer per flow: a flow carries a 32-byte
 * rbtree node instead of a 64-byte hrtimer and a lock and list of its own.
 *
 * More due than a CPU can send (flows x rate beyond it): since HI is never
 * deferred to ksoftirqd, a run that rescheduled itself would never let the
 * CPU schedule again (a VM with 20 000 flows every 10 ms hung that way). A
 * run stops after a budget of sends or of time, and the queue waits as long
 * again before the next: natkeep takes at most about half of a CPU, the
 * flows are late (and skip what they missed, schedule.c) instead.
 */
#include <linux/interrupt.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timerqueue.h>
#include <linux/wait_bit.h>

#include "compat.h"
#include "cpu_time.h"
#include "flow.h"
#include "schedule.h"
#include "timer.h"
#include "xmit.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

/* nk_flow.timer_state, changed under its queue's lock. */
enum {
	NK_TIMER_IDLE,		/* not started */
	NK_TIMER_QUEUED,	/* in its queue's tree */
	NK_TIMER_SENDING,	/* taken out by the queue's run */
	NK_TIMER_STOPPING,	/* stopped while sending: not to be queued again */
	NK_TIMER_STOPPED,	/* for good: the node is free for the rcu head */
};

/* Flows served per lock hold; sends and time a run may take. */
#define NK_TIMER_BATCH	16	/* at most BITS_PER_LONG */
#define NK_TIMER_BUDGET	(8 * NK_TIMER_BATCH)
#define NK_TIMER_BUDGET_NS	(2 * NSEC_PER_MSEC)

/* The most slack any flow gets (nk_timer_slack_ns()). */
#define NK_TIMER_SLACK_MAX_NS	NSEC_PER_MSEC

/* A flow's next keep-alive, built ahead of its due time. */
struct nk_ahead {
	struct nk_flow *flow;		/* NULL: none */
	struct nk_xmit_packet pkt;
};

struct nk_timer_queue {
	spinlock_t lock;		/* the tree, timer_state, the next packet */
	struct timerqueue_head flows;	/* by latest acceptable service time */
	struct hrtimer timer;
	struct tasklet_struct tasklet;
	/* The first flow's next keep-alive, built in advance. */
	struct nk_ahead ahead;
	/* The flows in the tree by the window of next_send (schedule.h). */
	u16 *load;
};

static DEFINE_PER_CPU(struct nk_timer_queue, nk_timer_queues);

static struct nk_timer_queue *nk_queue_of(const struct nk_flow *flow)
{
	return per_cpu_ptr(&nk_timer_queues, flow->timer_cpu);
}

/* A flow's interval, drawn from 80..100 % if it is randomised. */
static u64 nk_draw_interval_ns(const struct nk_flow *flow)
{
	const struct nk_flow_params *p = &flow->params;

	return nk_interval_ns(p->interval_ms, p->randomize,
			      p->randomize ? get_random_u32() : 0);
}

/* Queue lock held: @flow joins (@delta 1) or leaves (-1) the tree. */
static void nk_queue_load(struct nk_timer_queue *queue,
			  const struct nk_flow *flow, int delta)
{
	nk_load_count(queue->load, ktime_to_ns(flow->next_send), delta);
}

/*
 * The interval after the send due at @due: a randomised flow's is the less
 * loaded, in its queue, of two drawn (the counts read without the lock: a
 * hint).
 */
static u64 nk_next_interval_ns(const struct nk_flow *flow, ktime_t due)
{
	u64 a = nk_draw_interval_ns(flow);

	if (!flow->params.randomize)
		return a;
	return nk_load_pick_ns(nk_queue_of(flow)->load, ktime_to_ns(due), a,
			       nk_draw_interval_ns(flow));
}

/*
 * How late a randomised flow may be served: a thousandth of the interval,
 * at most 1 ms. Flows due within that much of each other then share one
 * interrupt and one tasklet run (at 100 000 flows, a few per interrupt),
 * while the sends stay spread (the RFC 5626 window is 20 % of the
 * interval). A fixed schedule gets none: it asked for its times.
 */
static u64 nk_timer_slack_ns(const struct nk_flow *flow)
{
	const struct nk_flow_params *p = &flow->params;

	if (!p->randomize)
		return 0;
	return min_t(u64, (u64)p->interval_ms * NSEC_PER_USEC,
		     NK_TIMER_SLACK_MAX_NS);
}

/* When the flow is due: the node's key is that plus its slack. */
static ktime_t nk_timer_due(const struct nk_flow *flow)
{
	return ktime_sub_ns(flow->timer_node.expires, nk_timer_slack_ns(flow));
}

/*
 * Send the keep-alive due at @due, and count it: @pkt if it was built in
 * advance, else one built now. @deadline: the response timeout of the
 * request it makes, if any.
 */
static ktime_t nk_send(struct nk_flow *flow, ktime_t due,
		       struct nk_xmit_packet *pkt, ktime_t *deadline)
{
	struct nk_peer_send ps = { .handed = false };
	ktime_t sent_at;
	s64 late;
	int err;

	if (pkt && pkt->skb)
		err = nk_xmit_send(flow, pkt, &sent_at, &ps);
	else
		err = nk_xmit(flow, &sent_at, &ps);
	trace_natkeep_send(flow, due, sent_at, err);
	late = ktime_to_ns(ktime_sub(sent_at, due));
	nk_stats_record_send(flow->nn->stats, late, !err);
	*deadline = nk_peer_sent(flow, &ps, sent_at, late, !err);
	return sent_at;
}

/*
 * A flow's place in the queue serves two deadlines: the next send, and the
 * response timeout of the request in flight, whichever comes first; @pkt:
 * its next packet if built in advance (consumed by a send). Returns when
 * the flow is due next. Softirq context, never concurrently with itself
 * for one flow.
 */
static ktime_t nk_expire(struct nk_flow *flow, ktime_t now,
			 struct nk_xmit_packet *pkt)
{
	ktime_t due = flow->next_send;
	ktime_t deadline = KTIME_MAX;

	/* Only requests that get answers have a timeout to look after. */
	if (nk_flow_payload(flow)->answered)
		deadline = nk_peer_check_timeout(flow, now);
	if (!ktime_before(now, due)) {
		ktime_t sent_at = nk_send(flow, due, pkt, &deadline);

		WRITE_ONCE(flow->next_send,
			   nk_next_due_ns(due, sent_at,
					  nk_next_interval_ns(flow, due),
					  flow->params.randomize));
	}
	return min(flow->next_send, deadline);
}

/* Queue lock held. */
static void nk_queue_insert(struct nk_timer_queue *queue, struct nk_flow *flow,
			    ktime_t due)
{
	flow->timer_node.expires = ktime_add_ns(due, nk_timer_slack_ns(flow));
	flow->timer_state = NK_TIMER_QUEUED;
	timerqueue_add(&queue->flows, &flow->timer_node);
	nk_queue_load(queue, flow, 1);
}

/*
 * Queue lock held. Arm the queue's hrtimer for its first flow, on this
 * CPU: soft expiry when it is due, hard when its slack is up.
 */
static void nk_queue_arm(struct nk_timer_queue *queue)
{
	struct timerqueue_node *first = timerqueue_getnext(&queue->flows);
	struct nk_flow *flow;

	if (!first)
		return;
	flow = container_of(first, struct nk_flow, timer_node);
	hrtimer_start_range_ns(&queue->timer, nk_timer_due(flow),
			       nk_timer_slack_ns(flow), HRTIMER_MODE_ABS_PINNED_HARD);
}

/* Queue lock held: @flow's packet built ahead, if it has one, to @out. */
static void nk_queue_take_ahead(struct nk_timer_queue *queue,
				const struct nk_flow *flow,
				struct nk_ahead *out)
{
	if (queue->ahead.flow != flow)
		return;
	*out = queue->ahead;
	queue->ahead.flow = NULL;
	queue->ahead.pkt.skb = NULL;
}

/*
 * Queue lock held. Take out up to NK_TIMER_BATCH flows that are due at
 * @now: those whose slack is up, and those after them in the tree (within
 * the largest slack) that are due already. A packet built ahead goes with
 * its flow, to @ahead.
 */
static unsigned int nk_queue_take_due(struct nk_timer_queue *queue,
				      ktime_t now, struct nk_flow **batch,
				      struct nk_ahead *ahead)
{
	ktime_t horizon = ktime_add_ns(now, NK_TIMER_SLACK_MAX_NS);
	struct timerqueue_node *node, *next;
	unsigned int n = 0;

	for (node = timerqueue_getnext(&queue->flows);
	     node && n < NK_TIMER_BATCH && !ktime_after(node->expires, horizon);
	     node = next) {
		struct nk_flow *flow = container_of(node, struct nk_flow,
						    timer_node);

		next = timerqueue_iterate_next(node);
		if (ktime_after(nk_timer_due(flow), now))
			continue;
		timerqueue_del(&queue->flows, node);
		nk_queue_load(queue, flow, -1);
		flow->timer_state = NK_TIMER_SENDING;
		nk_queue_take_ahead(queue, flow, ahead);
		batch[n++] = flow;
	}
	return n;
}

/*
 * Each flow of a served batch goes back in the queue, or stops: the waiter
 * in nk_timers_stop() is woken once the lock is dropped. A flow is freed
 * only after a grace period, so not before this softirq ends. A packet
 * built ahead, unless sent (its flow was served for a response timeout
 * only), goes back with its flow: nothing built another meanwhile, the
 * queue's run being the only builder.
 */
static void nk_queue_put_back(struct nk_timer_queue *queue,
			      struct nk_flow **batch, const ktime_t *expires,
			      unsigned int n, struct nk_ahead *ahead)
{
	unsigned long stopped = 0;
	unsigned int i;

	spin_lock(&queue->lock);
	for (i = 0; i < n; i++) {
		struct nk_flow *flow = batch[i];

		if (flow->timer_state == NK_TIMER_STOPPING) {
			/* Pairs with nk_timers_stop(): the send is over. */
			smp_store_release(&flow->timer_state, NK_TIMER_STOPPED);
			__set_bit(i, &stopped);
		} else {
			nk_queue_insert(queue, flow, expires[i]);
			if (flow == ahead->flow && ahead->pkt.skb) {
				queue->ahead = *ahead;
				ahead->pkt.skb = NULL;
			}
		}
	}
	spin_unlock(&queue->lock);
	if (ahead->pkt.skb)
		nk_xmit_discard(&ahead->pkt);
	for_each_set_bit(i, &stopped, NK_TIMER_BATCH)
		wake_up_var(&batch[i]->timer_state);
}

/*
 * Queue lock held, a run's budget spent: nothing is served before @until
 * (the first flow goes then if it is due by then).
 */
static void nk_queue_pause(struct nk_timer_queue *queue, ktime_t until)
{
	struct timerqueue_node *first = timerqueue_getnext(&queue->flows);
	struct nk_flow *flow;

	if (!first)
		return;
	flow = container_of(first, struct nk_flow, timer_node);
	if (ktime_after(nk_timer_due(flow), until))
		nk_queue_arm(queue);
	else
		hrtimer_start(&queue->timer, until, HRTIMER_MODE_ABS_PINNED_HARD);
}

/*
 * Queue lock held, the hrtimer armed: build the first flow's next keep-alive
 * now, so that when it is due only the IP layer's part of the send is left
 * between the timer's interrupt and the packet (the route lookup and the
 * packet's construction were most of it; make bench measures the rest).
 * One flow per queue: the one the hrtimer waits for.
 */
static void nk_queue_build_next(struct nk_timer_queue *queue)
{
	struct timerqueue_node *first = timerqueue_getnext(&queue->flows);
	struct nk_flow *flow;

	if (!first)
		return;
	flow = container_of(first, struct nk_flow, timer_node);
	if (flow == queue->ahead.flow)
		return;
	if (queue->ahead.flow) {
		nk_xmit_discard(&queue->ahead.pkt);
		queue->ahead.flow = NULL;
	}
	/* A failure is left to the send, which tries again and counts it. */
	if (!nk_xmit_build(flow, &queue->ahead.pkt))
		queue->ahead.flow = flow;
}

/*
 * Serve what is due, a batch at a time with the lock dropped for the
 * sends, then arm the queue's hrtimer: for the first flow, or, when the
 * budget ran out with more due, after as long as this run took; and build
 * the first flow's next packet. Returns when it began (for
 * nk_cpu_time_add(): no clock read before the sends).
 */
static ktime_t nk_queue_run(struct nk_timer_queue *queue)
{
	struct nk_flow *batch[NK_TIMER_BATCH];
	ktime_t expires[NK_TIMER_BATCH];
	ktime_t start = ktime_get(), now = start;
	unsigned int served = 0, n, i;

	spin_lock(&queue->lock);
	for (;;) {
		struct nk_ahead ahead = { .flow = NULL };

		n = nk_queue_take_due(queue, now, batch, &ahead);
		if (!n)
			break;
		spin_unlock(&queue->lock);
		/* A flow stopped meanwhile (deleted, replaced) sends no more. */
		for (i = 0; i < n; i++)
			if (READ_ONCE(batch[i]->timer_state) != NK_TIMER_STOPPING)
				expires[i] = nk_expire(batch[i], ktime_get(),
						       batch[i] == ahead.flow ?
						       &ahead.pkt : NULL);
		nk_queue_put_back(queue, batch, expires, n, &ahead);
		served += n;
		now = ktime_get();
		spin_lock(&queue->lock);
		if (served >= NK_TIMER_BUDGET ||
		    ktime_to_ns(ktime_sub(now, start)) >= NK_TIMER_BUDGET_NS) {
			nk_queue_pause(queue, ktime_add(now, ktime_sub(now, start)));
			nk_queue_build_next(queue);
			spin_unlock(&queue->lock);
			return start;
		}
	}
	nk_queue_arm(queue);
	nk_queue_build_next(queue);
	spin_unlock(&queue->lock);
	return start;
}

/* Hard irq context: hand the queue to its tasklet, no more. */
static enum hrtimer_restart nk_hard_expired(struct hrtimer *timer)
{
	struct nk_timer_queue *queue = container_of(timer, struct nk_timer_queue,
						    timer);

	tasklet_hi_schedule(&queue->tasklet);
	return HRTIMER_NORESTART;
}

static void nk_tasklet_run(struct tasklet_struct *tasklet)
{
	struct nk_timer_queue *queue = from_tasklet(queue, tasklet, tasklet);
	ktime_t start = nk_queue_run(queue);

	nk_xmit_refill();
	nk_cpu_time_add(start);
}

void nk_timers_init(struct nk_flow *flow)
{
	flow->timer_state = NK_TIMER_IDLE;
	timerqueue_init(&flow->timer_node);
}

/*
 * A new flow sends its first keep-alive one interval after creation; a
 * randomised one at a uniformly random time within the first interval, so
 * that flows created together (an agent's start, a batch) are spread from
 * their first send on, not only after a few rounds of 80..100 %.
 */
ktime_t nk_timers_first_expiry(const struct nk_flow *flow)
{
	u64 interval = nk_draw_interval_ns(flow);

	if (flow->params.randomize)
		interval = mul_u64_u32_shr(interval, get_random_u32(), 32) + 1;
	return ktime_add_ns(ktime_get(), interval);
}

/* The flow joins this CPU's queue: its hrtimer stays on this CPU. */
void nk_timers_start(struct nk_flow *flow, ktime_t first)
{
	struct nk_timer_queue *queue;

	flow->next_send = first;
	local_bh_disable();
	flow->timer_cpu = smp_processor_id();
	queue = nk_queue_of(flow);
	spin_lock(&queue->lock);
	nk_queue_insert(queue, flow, first);
	if (timerqueue_getnext(&queue->flows) == &flow->timer_node)
		nk_queue_arm(queue);
	spin_unlock(&queue->lock);
	local_bh_enable();
}

static bool nk_timer_stopped(struct nk_flow *flow)
{
	/* Pairs with nk_queue_put_back(): nothing touches the flow after. */
	return smp_load_acquire(&flow->timer_state) == NK_TIMER_STOPPED;
}

/*
 * Stops the timer, waiting for a send in progress; returns the next send.
 * Sleeps. The queue's hrtimer is left armed: expiring with nothing due is
 * harmless, and this may run on another CPU than the one it is pinned to.
 * Afterwards the node is free for the flow's rcu head, or for
 * nk_timers_start() again as long as that is not used.
 */
ktime_t nk_timers_stop(struct nk_flow *flow)
{
	struct nk_timer_queue *queue = nk_queue_of(flow);
	struct nk_ahead ahead = { .flow = NULL };

	spin_lock_bh(&queue->lock);
	nk_queue_take_ahead(queue, flow, &ahead);
	switch (flow->timer_state) {
	case NK_TIMER_QUEUED:
		timerqueue_del(&queue->flows, &flow->timer_node);
		nk_queue_load(queue, flow, -1);
		fallthrough;
	case NK_TIMER_IDLE:
		flow->timer_state = NK_TIMER_STOPPED;
		break;
	case NK_TIMER_SENDING:
		/* Read without the lock by nk_queue_run(). */
		WRITE_ONCE(flow->timer_state, NK_TIMER_STOPPING);
		break;
	}
	spin_unlock_bh(&queue->lock);
	if (ahead.pkt.skb)
		nk_xmit_discard(&ahead.pkt);
	wait_var_event(&flow->timer_state, nk_timer_stopped(flow));
	return flow->next_send;
}

/* Stopped, or being stopped: the flow is being deleted or replaced. */
bool nk_timers_stopping(const struct nk_flow *flow)
{
	return READ_ONCE(flow->timer_state) >= NK_TIMER_STOPPING;
}

s64 nk_timers_next_send_ns(const struct nk_flow *flow)
{
	s64 left = ktime_to_ns(ktime_sub(READ_ONCE(flow->next_send),
					 ktime_get()));

	return max_t(s64, left, 0);
}

int nk_timer_queues_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct nk_timer_queue *queue = per_cpu_ptr(&nk_timer_queues, cpu);

		spin_lock_init(&queue->lock);
		timerqueue_init_head(&queue->flows);
		hrtimer_setup(&queue->timer, nk_hard_expired, CLOCK_MONOTONIC,
			      HRTIMER_MODE_ABS_PINNED_HARD);
		tasklet_setup(&queue->tasklet, nk_tasklet_run);
	}
	/* Every queue set up first: the exit below cancels them all. */
	for_each_possible_cpu(cpu) {
		struct nk_timer_queue *queue = per_cpu_ptr(&nk_timer_queues, cpu);

		queue->load = kcalloc(NK_LOAD_WINDOWS, sizeof(u16), GFP_KERNEL);
		if (!queue->load) {
			nk_timer_queues_uninit();
			return -ENOMEM;
		}
	}
	return 0;
}

/* After every flow has stopped: the queues are empty. */
void nk_timer_queues_uninit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct nk_timer_queue *queue = per_cpu_ptr(&nk_timer_queues, cpu);

		/* A late run of the tasklet finds the queue empty: no arming. */
		hrtimer_cancel(&queue->timer);
		tasklet_kill(&queue->tasklet);
		/* Each flow's stop took its next packet. */
		if (WARN_ON_ONCE(queue->ahead.flow))
			nk_xmit_discard(&queue->ahead.pkt);
		kfree(queue->load);
		queue->load = NULL;
	}
	nk_xmit_free_spares();
}

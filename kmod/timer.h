/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A flow's timer: its place in a per-CPU timer queue, absolute expiry on
 * the flow's own schedule (each send is due the last one's due time plus an
 * interval, so lateness does not accumulate into drift). It is also served
 * at the response timeout of the keep-alive request in flight. The queue's
 * hrtimer expires in hard irq context and the sends run in the queue's HI
 * tasklet (timer.c says why).
 */
#ifndef _NK_TIMER_H
#define _NK_TIMER_H

#include <linux/ktime.h>

struct nk_flow;

int nk_timer_queues_init(void);
void nk_timer_queues_uninit(void);
void nk_timers_init(struct nk_flow *flow);
void nk_timers_start(struct nk_flow *flow, ktime_t first);
ktime_t nk_timers_first_expiry(const struct nk_flow *flow);
ktime_t nk_timers_stop(struct nk_flow *flow);
bool nk_timers_stopping(const struct nk_flow *flow);
s64 nk_timers_next_send_ns(const struct nk_flow *flow);

#endif /* _NK_TIMER_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arithmetic of a flow's schedule: how long the next interval is, when
 * the next send is due after a late one, and which of two random intervals
 * lands in the less loaded time window. Pure functions, so that KUnit can
 * check them.
 */
#ifndef _NK_SCHEDULE_H
#define _NK_SCHEDULE_H

#include <linux/time64.h>
#include <linux/types.h>

/*
 * A CPU's load: its flows counted by the 10 ms window of their next send,
 * in a ring of windows (40.96 s: the windows of longer intervals alias,
 * which only makes the choice less informed).
 */
#define NK_LOAD_WINDOW_NS	(10 * NSEC_PER_MSEC)
#define NK_LOAD_WINDOWS		4096

u64 nk_interval_ns(u32 interval_ms, bool randomize, u32 rnd);
s64 nk_next_due_ns(s64 due, s64 sent, u64 interval_ns, bool randomize);
void nk_load_count(u16 *load, s64 next_send_ns, int delta);
u64 nk_load_pick_ns(const u16 *load, s64 due_ns, u64 a_ns, u64 b_ns);

#endif /* _NK_SCHEDULE_H */

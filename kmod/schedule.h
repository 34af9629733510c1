/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arithmetic of a flow's schedule: how long the next interval is, and
 * when the next send is due after a late one. Pure functions, so that KUnit
 * can check them.
 */
#ifndef _NK_SCHEDULE_H
#define _NK_SCHEDULE_H

#include <linux/types.h>

u64 nk_interval_ns(u32 interval_ms, bool randomize, u32 rnd);
s64 nk_next_due_ns(s64 due, s64 sent, u64 interval_ns, bool randomize);

#endif /* _NK_SCHEDULE_H */

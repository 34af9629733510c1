/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The arithmetic of a flow's schedule: how long the next interval is. A pure
 * function, so that KUnit can check its bounds.
 */
#ifndef _NK_SCHEDULE_H
#define _NK_SCHEDULE_H

#include <linux/types.h>

u64 nk_interval_ns(u32 interval_ms, bool randomize, u32 rnd);

#endif /* _NK_SCHEDULE_H */

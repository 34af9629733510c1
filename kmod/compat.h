/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shims for the kernel API changes between Debian 12's 6.1 and newer
 * kernels, kept in one place so that the rest of the module reads as
 * current code.
 */
#ifndef _NK_COMPAT_H
#define _NK_COMPAT_H

#include <linux/version.h>
#include <linux/hrtimer.h>

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 13, 0)
static inline void hrtimer_setup(struct hrtimer *timer,
				 enum hrtimer_restart (*function)(struct hrtimer *),
				 clockid_t clock_id, enum hrtimer_mode mode)
{
	hrtimer_init(timer, clock_id, mode);
	timer->function = function;
}
#endif

#endif /* _NK_COMPAT_H */

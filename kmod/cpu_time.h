/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CPU time natkeep's timer queues take to send, per CPU, measured
 * around each run and read from debugfs (natkeep/cpu_time): what the
 * scheduler's and /proc/stat's accounting cannot show, since the sends run
 * in softirq context between ticks. make bench's CPU figure is read here.
 */
#ifndef _NK_CPU_TIME_H
#define _NK_CPU_TIME_H

#include <linux/ktime.h>

/* From a queue's run (softirq), on its CPU: it began at @start. */
void nk_cpu_time_add(ktime_t start);
void nk_cpu_time_init(void);
void nk_cpu_time_uninit(void);

#endif /* _NK_CPU_TIME_H */

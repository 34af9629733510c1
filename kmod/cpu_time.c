// SPDX-License-Identifier: GPL-2.0
/*
 * Per CPU, the nanoseconds and the number of timer queue runs, kept with
 * u64_stats_sync so that 32-bit gateways read them whole. One clock read
 * per run, after its sends (the run's own first read is its start), not
 * per send: a run serves every flow then due.
 *
 * debugfs natkeep/cpu_time, one line per possible CPU: "CPU NS RUNS".
 */
#include <linux/debugfs.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>
#include <linux/timekeeping.h>
#include <linux/u64_stats_sync.h>

#include "cpu_time.h"

struct nk_cpu_time {
	struct u64_stats_sync syncp;
	u64_stats_t ns;
	u64_stats_t runs;
};

static DEFINE_PER_CPU(struct nk_cpu_time, nk_cpu_time);
static struct dentry *nk_debugfs_dir;

void nk_cpu_time_add(ktime_t start)
{
	struct nk_cpu_time *t = this_cpu_ptr(&nk_cpu_time);
	u64 took = ktime_to_ns(ktime_sub(ktime_get(), start));

	u64_stats_update_begin(&t->syncp);
	u64_stats_add(&t->ns, took);
	u64_stats_inc(&t->runs);
	u64_stats_update_end(&t->syncp);
}

static int nk_cpu_time_show(struct seq_file *seq, void *unused)
{
	unsigned int cpu, start;

	for_each_possible_cpu(cpu) {
		struct nk_cpu_time *t = per_cpu_ptr(&nk_cpu_time, cpu);
		u64 ns, runs;

		do {
			start = u64_stats_fetch_begin(&t->syncp);
			ns = u64_stats_read(&t->ns);
			runs = u64_stats_read(&t->runs);
		} while (u64_stats_fetch_retry(&t->syncp, start));
		seq_printf(seq, "%u %llu %llu\n", cpu, ns, runs);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nk_cpu_time);

void nk_cpu_time_init(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(&nk_cpu_time, cpu)->syncp);
	/* Without debugfs natkeep works the same: nothing to check. */
	nk_debugfs_dir = debugfs_create_dir("natkeep", NULL);
	debugfs_create_file("cpu_time", 0444, nk_debugfs_dir, NULL,
			    &nk_cpu_time_fops);
}

void nk_cpu_time_uninit(void)
{
	debugfs_remove_recursive(nk_debugfs_dir);
}

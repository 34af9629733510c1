// SPDX-License-Identifier: GPL-2.0
#include <linux/bitops.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "stats.h"

/* Bucket b >= 1 holds [2^(b + 9), 2^(b + 10)) ns; see the uapi header. */
unsigned int nk_lateness_bucket(s64 lateness_ns)
{
	int bucket;

	if (lateness_ns <= 0)
		return 0;
	bucket = fls64(lateness_ns) - NATKEEP_LATENESS_SHIFT;
	return clamp(bucket, 0, NATKEEP_LATENESS_BUCKETS - 1);
}

void nk_stats_record_send(struct nk_net_stats __percpu *net_stats,
			  s64 lateness_ns, bool ok)
{
	struct nk_net_stats *ns = this_cpu_ptr(net_stats);
	u64 late = max_t(s64, lateness_ns, 0);

	u64_stats_update_begin(&ns->syncp);
	u64_stats_inc(ok ? &ns->tx_packets : &ns->tx_errors);
	if (late > u64_stats_read(&ns->lateness_max_ns))
		u64_stats_set(&ns->lateness_max_ns, late);
	u64_stats_inc(&ns->lateness[nk_lateness_bucket(late)]);
	u64_stats_update_end(&ns->syncp);
}

struct nk_net_stats __percpu *nk_net_stats_alloc(void)
{
	struct nk_net_stats __percpu *net_stats;
	int cpu;

	net_stats = alloc_percpu_gfp(struct nk_net_stats, GFP_KERNEL_ACCOUNT);
	if (!net_stats)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(net_stats, cpu)->syncp);
	return net_stats;
}

/* The sum over CPUs (the largest lateness of any). */
void nk_net_stats_read(struct nk_net_stats __percpu *net_stats,
		       struct nk_stats_snapshot *snap)
{
	int cpu, b;

	memset(snap, 0, sizeof(*snap));
	for_each_possible_cpu(cpu) {
		const struct nk_net_stats *ns = per_cpu_ptr(net_stats, cpu);
		struct nk_stats_snapshot one;
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&ns->syncp);
			one.tx_packets = u64_stats_read(&ns->tx_packets);
			one.tx_errors = u64_stats_read(&ns->tx_errors);
			one.lateness_max_ns = u64_stats_read(&ns->lateness_max_ns);
			for (b = 0; b < NATKEEP_LATENESS_BUCKETS; b++)
				one.lateness[b] = u64_stats_read(&ns->lateness[b]);
		} while (u64_stats_fetch_retry(&ns->syncp, start));
		snap->tx_packets += one.tx_packets;
		snap->tx_errors += one.tx_errors;
		snap->lateness_max_ns = max(snap->lateness_max_ns,
					    one.lateness_max_ns);
		for (b = 0; b < NATKEEP_LATENESS_BUCKETS; b++)
			snap->lateness[b] += one.lateness[b];
	}
}

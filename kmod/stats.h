/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-flow send statistics. The flow's hrtimer callback is the only writer;
 * netlink readers take a snapshot. u64_stats_sync keeps 64-bit counters
 * whole on 32-bit gateways and costs nothing on 64-bit ones.
 */
#ifndef _NK_STATS_H
#define _NK_STATS_H

#include <linux/natkeep.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

struct nk_flow_stats {
	struct u64_stats_sync syncp;
	u64_stats_t tx_packets;
	u64_stats_t tx_errors;
	u64_stats_t last_tx_ns;		/* ktime_get() of the last send; 0: none */
	u64_stats_t lateness_max_ns;
	u32 lateness[NATKEEP_LATENESS_BUCKETS];	/* saturating counts */
};

struct nk_flow_stats_snapshot {
	u64 tx_packets;
	u64 tx_errors;
	u64 last_tx_ns;
	u64 lateness_max_ns;
	u64 lateness[NATKEEP_LATENESS_BUCKETS];
};

unsigned int nk_lateness_bucket(s64 lateness_ns);
void nk_stats_init(struct nk_flow_stats *stats);
void nk_stats_record_send(struct nk_flow_stats *stats, u64 sent_at_ns,
			  s64 lateness_ns, bool ok);
void nk_stats_read(const struct nk_flow_stats *stats,
		   struct nk_flow_stats_snapshot *snap);
void nk_stats_carry_over(struct nk_flow_stats *to,
			 const struct nk_flow_stats *from);

#endif /* _NK_STATS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A network namespace's send statistics: the counters over all its flows
 * (deleted ones included) and the lateness histogram. Lateness is the
 * host's more than any flow's (timer interrupt, softirq load), and a
 * histogram per flow would be a third of a flow's memory: a flow keeps its
 * counters and its worst lateness only (peer.h). Per CPU, written by the
 * flows' timers on their CPU, summed by readers. u64_stats_sync keeps the
 * 64-bit counters whole on 32-bit gateways and costs nothing on 64-bit
 * ones.
 */
#ifndef _NK_STATS_H
#define _NK_STATS_H

#include <linux/natkeep.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

struct nk_net_stats {
	struct u64_stats_sync syncp;
	u64_stats_t tx_packets;
	u64_stats_t tx_errors;
	u64_stats_t lateness_max_ns;
	u64_stats_t lateness[NATKEEP_LATENESS_BUCKETS];
};

struct nk_stats_snapshot {
	u64 tx_packets;
	u64 tx_errors;
	u64 lateness_max_ns;
	u64 lateness[NATKEEP_LATENESS_BUCKETS];
};

unsigned int nk_lateness_bucket(s64 lateness_ns);

struct nk_net_stats __percpu *nk_net_stats_alloc(void);
/* From a flow's timer (softirq): a send, @lateness_ns late, @ok or failed. */
void nk_stats_record_send(struct nk_net_stats __percpu *net_stats,
			  s64 lateness_ns, bool ok);
void nk_net_stats_read(struct nk_net_stats __percpu *net_stats,
		       struct nk_stats_snapshot *snap);

#endif /* _NK_STATS_H */

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

void nk_stats_init(struct nk_flow_stats *stats)
{
	memset(stats, 0, sizeof(*stats));
	u64_stats_init(&stats->syncp);
}

/* Called from the flow's hrtimer callback only: the one writer. */
void nk_stats_record_send(struct nk_flow_stats *stats, u64 sent_at_ns,
			  s64 lateness_ns, bool ok)
{
	u32 *bucket = &stats->lateness[nk_lateness_bucket(lateness_ns)];
	u64 late = max_t(s64, lateness_ns, 0);

	u64_stats_update_begin(&stats->syncp);
	if (ok)
		u64_stats_inc(&stats->tx_packets);
	else
		u64_stats_inc(&stats->tx_errors);
	u64_stats_set(&stats->last_tx_ns, sent_at_ns);
	if (late > u64_stats_read(&stats->lateness_max_ns))
		u64_stats_set(&stats->lateness_max_ns, late);
	u64_stats_update_end(&stats->syncp);

	if (*bucket != U32_MAX)
		WRITE_ONCE(*bucket, *bucket + 1);
}

void nk_stats_read(const struct nk_flow_stats *stats,
		   struct nk_flow_stats_snapshot *snap)
{
	unsigned int start;
	int i;

	do {
		start = u64_stats_fetch_begin(&stats->syncp);
		snap->tx_packets = u64_stats_read(&stats->tx_packets);
		snap->tx_errors = u64_stats_read(&stats->tx_errors);
		snap->last_tx_ns = u64_stats_read(&stats->last_tx_ns);
		snap->lateness_max_ns = u64_stats_read(&stats->lateness_max_ns);
	} while (u64_stats_fetch_retry(&stats->syncp, start));

	for (i = 0; i < NATKEEP_LATENESS_BUCKETS; i++)
		snap->lateness[i] = READ_ONCE(stats->lateness[i]);
}

/* A changed flow keeps its history: @from's writer must have stopped. */
void nk_stats_carry_over(struct nk_flow_stats *to,
			 const struct nk_flow_stats *from)
{
	struct u64_stats_sync syncp = to->syncp;

	*to = *from;
	to->syncp = syncp;
}

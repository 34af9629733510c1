/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Send statistics as the kernel reports them (NATKEEP_A_STATS): a flow's,
 * or a network namespace's over all its flows (NATKEEP_CMD_STATS_GET, the
 * only one with the lateness histogram).
 */
#ifndef NK_STATS_H
#define NK_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/natkeep.h>
#include <libmnl/libmnl.h>

struct nk_flow_stats {
	uint64_t tx_packets;
	uint64_t tx_errors;
	bool has_last_tx_age;	/* absent before the first send */
	uint64_t last_tx_age_ns;
	uint64_t lateness_max_ns;
	bool has_lateness;	/* the histogram: namespaces only */
	uint64_t lateness[NATKEEP_LATENESS_BUCKETS];
	uint64_t rx_responses;
	bool has_rtt_last;	/* absent before the first response */
	uint64_t rtt_last_ns;
	bool has_rtt_smoothed;	/* absent before the first response */
	uint64_t rtt_smoothed_ns;
	uint32_t misses;	/* in a row, now */
	uint64_t misses_total;
	uint64_t mapping_changes;
};

/* A STATS_GET reply. */
struct nk_ns_stats {
	bool has_flows;
	uint32_t flows;		/* now */
	bool has_stats;
	struct nk_flow_stats stats;	/* since the module was loaded */
};

/*
 * Fills stats from the NATKEEP_A_STATS nest attr. Unknown attributes are
 * skipped (newer modules). Returns 0 or -EBADMSG with the reason in err.
 */
int nk_stats_parse_nest(const struct nlattr *attr, struct nk_flow_stats *stats,
			char *err, size_t errlen);

/* Fills ns from a STATS_GET reply; 0 or -EBADMSG with the reason in err. */
int nk_ns_stats_parse(const struct nlmsghdr *nlh, struct nk_ns_stats *ns,
		      char *err, size_t errlen);

#endif

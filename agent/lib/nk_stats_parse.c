// SPDX-License-Identifier: GPL-2.0
/* Reading NATKEEP_A_STATS, of a flow or of a namespace. */
#include "nk_stats.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nk_attr_walk.h"

struct stats_state {
	struct nk_flow_stats *stats;
	char *err;
	size_t errlen;
};

static int visit_lateness(const struct nlattr *attr, void *data)
{
	struct stats_state *st = data;
	unsigned int type = mnl_attr_get_type(attr);

	/*
	 * Type b + 1 is bucket b; NATKEEP_LATENESS_PAD (0) is alignment
	 * padding; anything else is from the future.
	 */
	if (type == NATKEEP_LATENESS_PAD || type > NATKEEP_LATENESS_BUCKETS)
		return 0;
	if (mnl_attr_get_payload_len(attr) != sizeof(uint64_t))
		return nk_attr_bad_length(st->err, st->errlen, "lateness bucket", attr);
	st->stats->lateness[type - 1] = mnl_attr_get_u64(attr);
	return 0;
}

static int visit_stats(const struct nlattr *attr, void *data)
{
	struct stats_state *st = data;
	struct nk_flow_stats *stats = st->stats;
	uint64_t *target;

	switch (mnl_attr_get_type(attr)) {
	case NATKEEP_STATS_TX_PACKETS:
		target = &stats->tx_packets;
		break;
	case NATKEEP_STATS_TX_ERRORS:
		target = &stats->tx_errors;
		break;
	case NATKEEP_STATS_LAST_TX_AGE_NS:
		target = &stats->last_tx_age_ns;
		stats->has_last_tx_age = true;
		break;
	case NATKEEP_STATS_LATENESS_MAX_NS:
		target = &stats->lateness_max_ns;
		break;
	case NATKEEP_STATS_LATENESS:
		stats->has_lateness = true;
		if (nk_attr_walk_nested(attr, visit_lateness, st)) {
			if (!st->err[0])
				snprintf(st->err, st->errlen, "malformed lateness histogram");
			return -EBADMSG;
		}
		return 0;
	case NATKEEP_STATS_RX_RESPONSES:
		target = &stats->rx_responses;
		break;
	case NATKEEP_STATS_RTT_LAST_NS:
		target = &stats->rtt_last_ns;
		stats->has_rtt_last = true;
		break;
	case NATKEEP_STATS_RTT_SMOOTHED_NS:
		target = &stats->rtt_smoothed_ns;
		stats->has_rtt_smoothed = true;
		break;
	case NATKEEP_STATS_MISSES:
		/* The one u32 of the set. */
		if (mnl_attr_get_payload_len(attr) != sizeof(uint32_t))
			return nk_attr_bad_length(st->err, st->errlen, "of stats", attr);
		stats->misses = mnl_attr_get_u32(attr);
		return 0;
	case NATKEEP_STATS_MISSES_TOTAL:
		target = &stats->misses_total;
		break;
	case NATKEEP_STATS_MAPPING_CHANGES:
		target = &stats->mapping_changes;
		break;
	default:
		return 0;
	}
	if (mnl_attr_get_payload_len(attr) != sizeof(uint64_t))
		return nk_attr_bad_length(st->err, st->errlen, "of stats", attr);
	*target = mnl_attr_get_u64(attr);
	return 0;
}

int nk_stats_parse_nest(const struct nlattr *attr, struct nk_flow_stats *stats,
			char *err, size_t errlen)
{
	struct stats_state st = { .stats = stats, .err = err, .errlen = errlen };

	if (!nk_attr_walk_nested(attr, visit_stats, &st))
		return 0;
	if (errlen && !err[0])
		snprintf(err, errlen, "malformed stats");
	return -EBADMSG;
}

struct ns_state {
	struct nk_ns_stats *ns;
	char *err;
	size_t errlen;
};

static int visit_ns(const struct nlattr *attr, void *data)
{
	struct ns_state *st = data;

	switch (mnl_attr_get_type(attr)) {
	case NATKEEP_A_FLOWS:
		if (mnl_attr_get_payload_len(attr) != sizeof(uint32_t))
			return nk_attr_bad_length(st->err, st->errlen, "flows", attr);
		st->ns->flows = mnl_attr_get_u32(attr);
		st->ns->has_flows = true;
		return 0;
	case NATKEEP_A_STATS:
		st->ns->has_stats = true;
		return nk_stats_parse_nest(attr, &st->ns->stats, st->err,
					   st->errlen);
	default:
		return 0;
	}
}

int nk_ns_stats_parse(const struct nlmsghdr *nlh, struct nk_ns_stats *ns,
		      char *err, size_t errlen)
{
	struct ns_state st = { .ns = ns, .err = err, .errlen = errlen };

	memset(ns, 0, sizeof(*ns));
	if (errlen)
		err[0] = '\0';
	if (nk_attr_walk_genl(nlh, visit_ns, &st)) {
		if (errlen && !err[0])
			snprintf(err, errlen, "truncated or malformed attribute");
		return -EBADMSG;
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/* Reading a flow message from the kernel into a struct nk_flow. */
#include "nk_flow.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "nk_attr_names.h"
#include "nk_attr_walk.h"

struct parse_state {
	struct nk_flow *flow;
	char *err;
	size_t errlen;
	size_t local_addr_len;
	size_t remote_addr_len;
};

static int bad_length(struct parse_state *st, const char *what,
		      const struct nlattr *attr)
{
	snprintf(st->err, st->errlen, "attribute %s has length %u",
		 what, (unsigned int)mnl_attr_get_payload_len(attr));
	return -EBADMSG;
}

static int check_len(struct parse_state *st, const struct nlattr *attr,
		     size_t len)
{
	if (mnl_attr_get_payload_len(attr) == len)
		return 0;
	return bad_length(st, nk_attr_name(mnl_attr_get_type(attr)), attr);
}

static int visit_lateness(const struct nlattr *attr, void *data)
{
	struct parse_state *st = data;
	unsigned int type = mnl_attr_get_type(attr);

	/*
	 * Type b + 1 is bucket b; NATKEEP_LATENESS_PAD (0) is alignment
	 * padding; anything else is from the future.
	 */
	if (type == NATKEEP_LATENESS_PAD || type > NATKEEP_LATENESS_BUCKETS)
		return 0;
	if (mnl_attr_get_payload_len(attr) != sizeof(uint64_t))
		return bad_length(st, "lateness bucket", attr);
	st->flow->stats.lateness[type - 1] = mnl_attr_get_u64(attr);
	return 0;
}

static int visit_stats(const struct nlattr *attr, void *data)
{
	struct parse_state *st = data;
	struct nk_flow_stats *stats = &st->flow->stats;
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
		if (nk_attr_walk_nested(attr, visit_lateness, st)) {
			if (!st->err[0])
				snprintf(st->err, st->errlen, "malformed lateness histogram");
			return -EBADMSG;
		}
		return 0;
	default:
		return 0;
	}
	if (mnl_attr_get_payload_len(attr) != sizeof(uint64_t))
		return bad_length(st, "of stats", attr);
	*target = mnl_attr_get_u64(attr);
	return 0;
}

static int visit_flow(const struct nlattr *attr, void *data)
{
	struct parse_state *st = data;
	struct nk_flow *flow = st->flow;
	unsigned int type = mnl_attr_get_type(attr);
	size_t len = mnl_attr_get_payload_len(attr);
	int err = 0;

	switch (type) {
	case NATKEEP_A_FLOW_ID:
		err = check_len(st, attr, sizeof(uint32_t));
		flow->id = err ? 0 : mnl_attr_get_u32(attr);
		flow->fields |= NK_FLOW_ID;
		break;
	case NATKEEP_A_FAMILY:
		err = check_len(st, attr, sizeof(uint16_t));
		flow->family = err ? 0 : mnl_attr_get_u16(attr);
		flow->fields |= NK_FLOW_FAMILY;
		break;
	case NATKEEP_A_LOCAL_ADDR:
	case NATKEEP_A_REMOTE_ADDR: {
		/* The family may come later: check the length after the walk. */
		bool local = type == NATKEEP_A_LOCAL_ADDR;

		if (len != 4 && len != 16)
			return bad_length(st, nk_attr_name(type), attr);
		memcpy(local ? flow->local_addr.bytes : flow->remote_addr.bytes,
		       mnl_attr_get_payload(attr), len);
		*(local ? &st->local_addr_len : &st->remote_addr_len) = len;
		flow->fields |= local ? NK_FLOW_LOCAL_ADDR : NK_FLOW_REMOTE_ADDR;
		break;
	}
	case NATKEEP_A_LOCAL_PORT:
		err = check_len(st, attr, sizeof(uint16_t));
		flow->local_port = err ? 0 : mnl_attr_get_u16(attr);
		flow->fields |= NK_FLOW_LOCAL_PORT;
		break;
	case NATKEEP_A_REMOTE_PORT:
		err = check_len(st, attr, sizeof(uint16_t));
		flow->remote_port = err ? 0 : mnl_attr_get_u16(attr);
		flow->fields |= NK_FLOW_REMOTE_PORT;
		break;
	case NATKEEP_A_INTERVAL_MS:
		err = check_len(st, attr, sizeof(uint32_t));
		flow->interval_ms = err ? 0 : mnl_attr_get_u32(attr);
		flow->fields |= NK_FLOW_INTERVAL;
		break;
	case NATKEEP_A_RANDOMIZE:
		err = check_len(st, attr, sizeof(uint8_t));
		flow->randomize = err ? false : mnl_attr_get_u8(attr) != 0;
		flow->fields |= NK_FLOW_RANDOMIZE;
		break;
	case NATKEEP_A_MSG_TYPE:
		err = check_len(st, attr, sizeof(uint8_t));
		flow->msg_type = err ? 0 : mnl_attr_get_u8(attr);
		flow->fields |= NK_FLOW_MSG_TYPE;
		break;
	case NATKEEP_A_MARK:
		err = check_len(st, attr, sizeof(uint32_t));
		flow->mark = err ? 0 : mnl_attr_get_u32(attr);
		flow->fields |= NK_FLOW_MARK;
		break;
	case NATKEEP_A_DSCP:
		err = check_len(st, attr, sizeof(uint8_t));
		flow->dscp = err ? 0 : mnl_attr_get_u8(attr);
		flow->fields |= NK_FLOW_DSCP;
		break;
	case NATKEEP_A_NEXT_SEND_NS:
		err = check_len(st, attr, sizeof(uint64_t));
		flow->next_send_ns = err ? 0 : mnl_attr_get_u64(attr);
		flow->fields |= NK_FLOW_NEXT_SEND;
		break;
	case NATKEEP_A_STATS:
		err = nk_attr_walk_nested(attr, visit_stats, st);
		if (err && !st->err[0])
			snprintf(st->err, st->errlen, "malformed stats");
		flow->fields |= NK_FLOW_STATS;
		break;
	default:
		/* NATKEEP_A_PAD, or an attribute of a newer module. */
		break;
	}
	return err ? -EBADMSG : 0;
}

static int check_addr_len(struct parse_state *st, size_t got, const char *what)
{
	size_t want = nk_addr_len(st->flow->family);

	if (!got || got == want)
		return 0;
	snprintf(st->err, st->errlen, "%s has %zu bytes, family %u needs %zu",
		 what, got, st->flow->family, want);
	return -EBADMSG;
}

int nk_flow_parse(const struct nlmsghdr *nlh, struct nk_flow *flow,
		  char *err, size_t errlen)
{
	struct parse_state st = {
		.flow = flow, .err = err, .errlen = errlen,
	};
	int ret;

	memset(flow, 0, sizeof(*flow));
	if (errlen)
		err[0] = '\0';
	ret = nk_attr_walk_genl(nlh, visit_flow, &st);
	if (ret) {
		if (!err[0])
			snprintf(err, errlen, "truncated or malformed attribute");
		return -EBADMSG;
	}
	if ((st.local_addr_len || st.remote_addr_len) &&
	    !nk_addr_len(flow->family)) {
		snprintf(err, errlen, "addresses without a known family (%u)", flow->family);
		return -EBADMSG;
	}
	if (check_addr_len(&st, st.local_addr_len, "local_addr") ||
	    check_addr_len(&st, st.remote_addr_len, "remote_addr"))
		return -EBADMSG;
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The userspace view of a flow: one field per attribute of linux/natkeep.h,
 * and a mask saying which were given (in a request) or received (in a reply).
 */
#ifndef NK_FLOW_H
#define NK_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/natkeep.h>
#include <libmnl/libmnl.h>

#include "nk_addr.h"

enum nk_flow_field {
	NK_FLOW_ID		= 1u << 0,
	NK_FLOW_FAMILY		= 1u << 1,
	NK_FLOW_LOCAL_ADDR	= 1u << 2,
	NK_FLOW_LOCAL_PORT	= 1u << 3,
	NK_FLOW_REMOTE_ADDR	= 1u << 4,
	NK_FLOW_REMOTE_PORT	= 1u << 5,
	NK_FLOW_INTERVAL	= 1u << 6,
	NK_FLOW_RANDOMIZE	= 1u << 7,
	NK_FLOW_MSG_TYPE	= 1u << 8,
	NK_FLOW_MARK		= 1u << 9,
	NK_FLOW_DSCP		= 1u << 10,
	NK_FLOW_NEXT_SEND	= 1u << 11,
	NK_FLOW_STATS		= 1u << 12,
};

/* What FLOW_NEW must carry. */
#define NK_FLOW_NEW_REQUIRED (NK_FLOW_FAMILY | NK_FLOW_LOCAL_ADDR | \
	NK_FLOW_LOCAL_PORT | NK_FLOW_REMOTE_ADDR | NK_FLOW_REMOTE_PORT | \
	NK_FLOW_INTERVAL | NK_FLOW_MSG_TYPE)

/* What a FLOW_SET may change. */
#define NK_FLOW_CHANGEABLE (NK_FLOW_NEW_REQUIRED | NK_FLOW_RANDOMIZE | \
	NK_FLOW_MARK | NK_FLOW_DSCP)

struct nk_flow_stats {
	uint64_t tx_packets;
	uint64_t tx_errors;
	bool has_last_tx_age;	/* absent before the first send */
	uint64_t last_tx_age_ns;
	uint64_t lateness_max_ns;
	uint64_t lateness[NATKEEP_LATENESS_BUCKETS];
};

struct nk_flow {
	uint32_t fields;	/* enum nk_flow_field */
	uint32_t id;
	uint16_t family;
	union nk_inet_addr local_addr;
	uint16_t local_port;
	union nk_inet_addr remote_addr;
	uint16_t remote_port;
	uint32_t interval_ms;
	bool randomize;
	uint8_t msg_type;
	uint32_t mark;
	uint8_t dscp;
	uint64_t next_send_ns;
	struct nk_flow_stats stats;
};

static inline bool nk_flow_has(const struct nk_flow *flow, uint32_t fields)
{
	return (flow->fields & fields) == fields;
}

/*
 * Appends the set request fields of flow (everything but next send and
 * stats) as attributes to nlh, in a buffer of buflen bytes. Returns 0,
 * -EMSGSIZE when they do not fit, -EINVAL for an address without a family.
 */
int nk_flow_put(struct nlmsghdr *nlh, size_t buflen, const struct nk_flow *flow);

/*
 * Fills flow from a FLOW_NEW/SET/DEL/GET message. Strict about lengths and
 * the address family; unknown attributes are skipped (newer modules).
 * Returns 0 or -EBADMSG with the reason in err.
 */
int nk_flow_parse(const struct nlmsghdr *nlh, struct nk_flow *flow,
		  char *err, size_t errlen);

#endif

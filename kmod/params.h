/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A flow's parameters as userspace gives them, and their netlink form: the
 * attribute policy, the parse (with an extack message for every rejection)
 * and the fill of replies. Kept apart from the flow table so that KUnit can
 * test the validation on its own.
 */
#ifndef _NK_PARAMS_H
#define _NK_PARAMS_H

#include <linux/in6.h>
#include <linux/natkeep.h>
#include <linux/types.h>
#include <net/netlink.h>

union nk_addr {
	__be32 ip;
	struct in6_addr ip6;
};

/*
 * What identifies a flow for a packet: the hash key of the flow table, so
 * it must be memset() to zero before it is filled (no stray padding bytes).
 */
struct nk_flow_key {
	union nk_addr local;
	union nk_addr remote;
	__be16 local_port;
	__be16 remote_port;
	u16 family;
};

struct nk_flow_params {
	struct nk_flow_key key;
	u32 interval_ms;
	u32 mark;
	u8 msg_type;
	u8 dscp;
	bool randomize;
};

extern const struct nla_policy nk_flow_policy[NATKEEP_A_MAX + 1];

int nk_params_parse(struct nlattr **tb, struct nk_flow_params *params,
		    bool create, struct netlink_ext_ack *extack);
int nk_params_fill(struct sk_buff *skb, const struct nk_flow_params *params);
bool nk_params_same_schedule(const struct nk_flow_params *a,
			     const struct nk_flow_params *b);

#endif /* _NK_PARAMS_H */

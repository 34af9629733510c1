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
#include <linux/stddef.h>
#include <linux/types.h>
#include <net/netlink.h>

#include "addr.h"
#include "payload.h"
#include "proto/custom_spec.h"
#include "proto/sip.h"

/*
 * What identifies a flow for a packet: the hash key of the flow table. An
 * address shorter than the union is zero-padded: memset() a key first.
 */
struct nk_flow_key {
	union nk_addr local;
	union nk_addr remote;
	__be16 local_port;
	__be16 remote_port;
	u16 family;
};

/* The bytes hashed and compared: not the padding after family. */
#define NK_FLOW_KEY_LEN	offsetofend(struct nk_flow_key, family)

/*
 * What SIP keep-alives need to be valid requests. Only flows given any of
 * it carry it: this is the flow's own SIP text.
 */
struct nk_sip_params {
	char host[NK_SIP_HOST_MAX + 1];		/* "": the remote address */
	char from_user[NK_SIP_USER_MAX + 1];
	char from_domain[NK_SIP_HOST_MAX + 1];	/* "": the host */
	char user_agent[NK_SIP_TEXT_MAX + 1];	/* "": none */
	char spec[NK_CUSTOM_SPEC_MAX + 1];	/* X_CustomKeepAliveMsg as given */
	struct nk_custom_spec custom;		/* and parsed */
	struct nk_sip_message msg;		/* built by the flow's payload */
};

struct nk_flow_params {
	struct nk_flow_key key;
	u32 interval_ms;
	u32 mark;
	u32 response_timeout_ms;		/* 0: the default */
	u8 msg_type;
	u8 dscp;
	u8 miss_limit;
	bool randomize:1;
	bool stun_fingerprint:1;
	struct nk_sip_params *sip;		/* owned; NULL: none given */
};

extern const struct nla_policy nk_flow_policy[NATKEEP_A_MAX + 1];

int nk_params_parse(struct nlattr **tb, struct nk_flow_params *params,
		    bool create, struct netlink_ext_ack *extack);
int nk_params_copy(struct nk_flow_params *to, const struct nk_flow_params *from);
void nk_params_release(struct nk_flow_params *params);
int nk_params_fill(struct sk_buff *skb, const struct nk_flow_params *params);
bool nk_params_same_schedule(const struct nk_flow_params *a,
			     const struct nk_flow_params *b);
bool nk_params_same_key(const struct nk_flow_params *a,
			const struct nk_flow_params *b);
u32 nk_params_response_timeout_ms(const struct nk_flow_params *params);

#endif /* _NK_PARAMS_H */

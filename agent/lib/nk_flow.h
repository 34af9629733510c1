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
#include "nk_stats.h"
/* The string limits the module enforces (kmod/proto, shared with it). */
#include "custom_spec.h"
#include "sip.h"

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
	NK_FLOW_SIP_HOST	= 1u << 13,
	NK_FLOW_SIP_FROM_USER	= 1u << 14,
	NK_FLOW_SIP_FROM_DOMAIN	= 1u << 15,
	NK_FLOW_SIP_USER_AGENT	= 1u << 16,
	NK_FLOW_CUSTOM_SPEC	= 1u << 17,
	NK_FLOW_STUN_FINGERPRINT = 1u << 18,
	NK_FLOW_RESPONSE_TIMEOUT = 1u << 19,
	NK_FLOW_MISS_LIMIT	= 1u << 20,
	NK_FLOW_MAPPING		= 1u << 21,	/* replies and events */
	NK_FLOW_OLD_MAPPING	= 1u << 22,	/* MAPPING_CHANGED */
	NK_FLOW_PEER_RESPONSIVE	= 1u << 23,	/* replies and events */
};

/* What FLOW_NEW must carry. */
#define NK_FLOW_NEW_REQUIRED (NK_FLOW_FAMILY | NK_FLOW_LOCAL_ADDR | \
	NK_FLOW_LOCAL_PORT | NK_FLOW_REMOTE_ADDR | NK_FLOW_REMOTE_PORT | \
	NK_FLOW_INTERVAL | NK_FLOW_MSG_TYPE)

/* What a FLOW_SET may change. */
#define NK_FLOW_CHANGEABLE (NK_FLOW_NEW_REQUIRED | NK_FLOW_RANDOMIZE | \
	NK_FLOW_MARK | NK_FLOW_DSCP | NK_FLOW_SIP_HOST | NK_FLOW_SIP_FROM_USER | \
	NK_FLOW_SIP_FROM_DOMAIN | NK_FLOW_SIP_USER_AGENT | NK_FLOW_CUSTOM_SPEC | \
	NK_FLOW_STUN_FINGERPRINT | NK_FLOW_RESPONSE_TIMEOUT | NK_FLOW_MISS_LIMIT)

/* A public mapping (NATKEEP_A_MAPPING, NATKEEP_A_OLD_MAPPING). */
struct nk_mapping {
	uint16_t family;	/* AF_INET or AF_INET6 */
	union nk_inet_addr addr;
	uint16_t port;
	uint8_t source;		/* enum natkeep_mapping_source */
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
	/* SIP keep-alives; "" is the module's default. */
	char sip_host[NK_SIP_HOST_MAX + 1];
	char sip_from_user[NK_SIP_USER_MAX + 1];
	char sip_from_domain[NK_SIP_HOST_MAX + 1];
	char sip_user_agent[NK_SIP_TEXT_MAX + 1];
	char custom_spec[NK_CUSTOM_SPEC_MAX + 1];	/* X_CustomKeepAliveMsg */
	bool stun_fingerprint;
	uint32_t response_timeout_ms;	/* 0: the module's default */
	uint8_t miss_limit;
	struct nk_mapping mapping;	/* NK_FLOW_MAPPING */
	struct nk_mapping old_mapping;	/* NK_FLOW_OLD_MAPPING */
	bool peer_responsive;		/* NK_FLOW_PEER_RESPONSIVE */
};

static inline bool nk_flow_has(const struct nk_flow *flow, uint32_t fields)
{
	return (flow->fields & fields) == fields;
}

/*
 * Appends the set request fields of flow (everything but next send, stats,
 * the mappings and peer_responsive) as attributes to nlh, in a buffer of buflen bytes. Returns 0,
 * -EMSGSIZE when they do not fit, -EINVAL for an address without a family.
 */
int nk_flow_put(struct nlmsghdr *nlh, size_t buflen, const struct nk_flow *flow);

/*
 * Fills flow from a FLOW_NEW/SET/DEL/GET message, or from an event
 * (MAPPING_CHANGED, PEER_UNRESPONSIVE, PEER_RESPONSIVE: a flow plus their
 * attributes). Strict about lengths, the address family, strings (NUL-
 * terminated within the attribute, within the module's limits, and valid as
 * the module checks them) and nested mappings; unknown attributes are
 * skipped (newer modules). Returns 0 or -EBADMSG with the reason in err.
 */
int nk_flow_parse(const struct nlmsghdr *nlh, struct nk_flow *flow,
		  char *err, size_t errlen);

#endif

/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * natkeep: kernel keep-alives that hold a SIP signalling socket's NAT
 * binding open. This header is the whole contract between natkeep.ko and
 * userspace (natkeepctl, natkeepd); natkeep.yaml beside it is the same
 * family as a YNL spec.
 *
 * Generic netlink family NATKEEP_GENL_NAME, version NATKEEP_GENL_VERSION.
 * Flows live in a network namespace: every command acts on the namespace of
 * the requesting socket. Commands that change flows need CAP_NET_ADMIN in
 * the user namespace owning that network namespace.
 *
 * A flow sends one UDP keep-alive message from a local address and port (the
 * SIP socket's, so that the packets refresh the SIP socket's own NAT
 * binding, even while that socket is bound) to a remote address and port,
 * every interval.
 *
 * NATKEEP_CMD_FLOW_NEW
 *	Create a flow. Requires NATKEEP_A_FAMILY, NATKEEP_A_LOCAL_ADDR,
 *	NATKEEP_A_LOCAL_PORT, NATKEEP_A_REMOTE_ADDR, NATKEEP_A_REMOTE_PORT,
 *	NATKEEP_A_INTERVAL_MS and NATKEEP_A_MSG_TYPE; NATKEEP_A_RANDOMIZE,
 *	NATKEEP_A_MARK and NATKEEP_A_DSCP are optional. The local address may
 *	be the unspecified address (0.0.0.0 or ::), for a SIP socket bound to
 *	all addresses: the route towards the remote then picks the source.
 *	The reply is a NATKEEP_CMD_FLOW_NEW message describing the flow as
 *	FLOW_GET does, including its NATKEEP_A_FLOW_ID. Fails with EEXIST when a flow with
 *	the same local and remote address and port exists, and with ENOSPC
 *	when the namespace holds the maximum number of flows (module parameter
 *	max_flows).
 *
 * NATKEEP_CMD_FLOW_SET
 *	Change a flow. Requires NATKEEP_A_FLOW_ID; every other attribute of
 *	FLOW_NEW may be given and replaces the current value. A new
 *	NATKEEP_A_FAMILY needs both addresses with it. The reply is a
 *	NATKEEP_CMD_FLOW_SET message describing the flow as FLOW_GET does.
 *	The change is atomic: on any error nothing changes. Counters are kept;
 *	the next send is rescheduled from now if the interval or randomization
 *	changed, and otherwise keeps its time.
 *
 * NATKEEP_CMD_FLOW_DEL
 *	Delete the flow NATKEEP_A_FLOW_ID. The answer is the ACK alone.
 *
 * NATKEEP_CMD_FLOW_GET
 *	With NATKEEP_A_FLOW_ID: the flow. As a dump (NLM_F_DUMP): every flow
 *	of the namespace, in id order. Each message carries every attribute
 *	of FLOW_NEW (the optional ones too, with their defaults) plus
 *	NATKEEP_A_FLOW_ID, NATKEEP_A_NEXT_SEND_NS and NATKEEP_A_STATS.
 *
 * Multicast group NATKEEP_MCGRP_EVENTS: a NATKEEP_CMD_FLOW_NEW,
 * NATKEEP_CMD_FLOW_SET or NATKEEP_CMD_FLOW_DEL message (without stats) each
 * time a flow is created, changed or deleted.
 *
 * Every rejected request carries an extended ACK message saying what is wrong
 * and, where one attribute is at fault, its offset (NLMSGERR_ATTR_OFFS).
 */
#ifndef _UAPI_LINUX_NATKEEP_H
#define _UAPI_LINUX_NATKEEP_H

#define NATKEEP_GENL_NAME	"natkeep"
#define NATKEEP_GENL_VERSION	1
#define NATKEEP_MCGRP_EVENTS	"events"

/* Limits that the module enforces, for the error messages of userspace. */
#define NATKEEP_INTERVAL_MIN_MS	10
#define NATKEEP_INTERVAL_MAX_MS	3600000
#define NATKEEP_DSCP_MAX	63

/*
 * Lateness histogram: bucket 0 counts sends less than 1024 ns late, bucket
 * b (1 <= b < NATKEEP_LATENESS_BUCKETS - 1) those at least 2^(b + 9) and less
 * than 2^(b + 10) ns late, the last bucket everything later.
 */
#define NATKEEP_LATENESS_BUCKETS	24
#define NATKEEP_LATENESS_SHIFT		10
/* Padding inside NATKEEP_STATS_LATENESS, where type b + 1 is bucket b. */
#define NATKEEP_LATENESS_PAD		0

enum natkeep_cmd {
	NATKEEP_CMD_UNSPEC,
	NATKEEP_CMD_FLOW_NEW,
	NATKEEP_CMD_FLOW_SET,
	NATKEEP_CMD_FLOW_DEL,
	NATKEEP_CMD_FLOW_GET,

	__NATKEEP_CMD_MAX
};
#define NATKEEP_CMD_MAX (__NATKEEP_CMD_MAX - 1)

/*
 * The keep-alive message types: X_KeepAliveMsgType of an OBi device.
 * KEEPALIVE sends "keep-alive\r\n", EMPTY a blank line ("\r\n").
 * STUN, CUSTOM, OPTIONS and NOTIFY are reserved for the STUN and SIP
 * keep-alives; a module that cannot build them rejects them with
 * EOPNOTSUPP.
 */
enum natkeep_msg_type {
	NATKEEP_MSG_UNSPEC,
	NATKEEP_MSG_KEEPALIVE,
	NATKEEP_MSG_EMPTY,
	NATKEEP_MSG_STUN,
	NATKEEP_MSG_CUSTOM,
	NATKEEP_MSG_OPTIONS,
	NATKEEP_MSG_NOTIFY,

	__NATKEEP_MSG_MAX
};
#define NATKEEP_MSG_MAX (__NATKEEP_MSG_MAX - 1)

/*
 * Flow attributes.
 *
 * NATKEEP_A_FLOW_ID	u32, the flow's id within its namespace (1 or more;
 *			ids are not reused soon after a delete)
 * NATKEEP_A_FAMILY	u16, AF_INET or AF_INET6: the family of both addresses
 * NATKEEP_A_LOCAL_ADDR	binary, 4 (AF_INET) or 16 (AF_INET6) bytes, network
 *			order: the SIP socket's address (may be unspecified)
 * NATKEEP_A_LOCAL_PORT	u16, host order, 1..65535: the SIP socket's port,
 *			the keep-alives' source port
 * NATKEEP_A_REMOTE_ADDR	binary, as LOCAL_ADDR: the keep-alive server; not
 *			unspecified, not multicast
 * NATKEEP_A_REMOTE_PORT	u16, host order, 1..65535
 * NATKEEP_A_INTERVAL_MS	u32, NATKEEP_INTERVAL_MIN_MS..NATKEEP_INTERVAL_MAX_MS
 * NATKEEP_A_RANDOMIZE	u8, 0 or 1 (default 0): each interval is drawn
 *			uniformly from 80 % to 100 % of NATKEEP_A_INTERVAL_MS
 *			(RFC 5626, 4.4.1)
 * NATKEEP_A_MSG_TYPE	u8, enum natkeep_msg_type
 * NATKEEP_A_MARK	u32, skb mark of the keep-alives (routing by mark on
 *			multi-WAN gateways); 0 or absent: no mark
 * NATKEEP_A_DSCP	u8, 0..63, DSCP of the keep-alives
 * NATKEEP_A_NEXT_SEND_NS	u64, in replies: nanoseconds until the next send
 *			(0 when it is due now)
 * NATKEEP_A_STATS	nested enum natkeep_stats, in replies
 */
enum natkeep_attr {
	NATKEEP_A_UNSPEC,
	NATKEEP_A_PAD,
	NATKEEP_A_FLOW_ID,
	NATKEEP_A_FAMILY,
	NATKEEP_A_LOCAL_ADDR,
	NATKEEP_A_LOCAL_PORT,
	NATKEEP_A_REMOTE_ADDR,
	NATKEEP_A_REMOTE_PORT,
	NATKEEP_A_INTERVAL_MS,
	NATKEEP_A_RANDOMIZE,
	NATKEEP_A_MSG_TYPE,
	NATKEEP_A_MARK,
	NATKEEP_A_DSCP,
	NATKEEP_A_NEXT_SEND_NS,
	NATKEEP_A_STATS,

	__NATKEEP_A_MAX
};
#define NATKEEP_A_MAX (__NATKEEP_A_MAX - 1)

/*
 * Flow statistics, nested in NATKEEP_A_STATS.
 *
 * NATKEEP_STATS_TX_PACKETS	u64, keep-alives handed to the IP layer
 * NATKEEP_STATS_TX_ERRORS	u64, sends that failed (no route, no memory,
 *				dropped by the IP layer or netfilter)
 * NATKEEP_STATS_LAST_TX_AGE_NS	u64, nanoseconds since the last send attempt;
 *				absent before the first
 * NATKEEP_STATS_LATENESS_MAX_NS	u64, the largest lateness seen
 * NATKEEP_STATS_LATENESS	nested: the lateness histogram (actual send
 *				time minus scheduled time). Attribute type b + 1
 *				is a u64 count of bucket b (see
 *				NATKEEP_LATENESS_BUCKETS); empty buckets are
 *				left out. Type NATKEEP_LATENESS_PAD (0) is
 *				padding for 64-bit alignment: skip it.
 */
enum natkeep_stats {
	NATKEEP_STATS_UNSPEC,
	NATKEEP_STATS_PAD,
	NATKEEP_STATS_TX_PACKETS,
	NATKEEP_STATS_TX_ERRORS,
	NATKEEP_STATS_LAST_TX_AGE_NS,
	NATKEEP_STATS_LATENESS_MAX_NS,
	NATKEEP_STATS_LATENESS,

	__NATKEEP_STATS_MAX
};
#define NATKEEP_STATS_MAX (__NATKEEP_STATS_MAX - 1)

#endif /* _UAPI_LINUX_NATKEEP_H */

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
 *	NATKEEP_A_INTERVAL_MS and NATKEEP_A_MSG_TYPE; the types OPTIONS,
 *	NOTIFY and CUSTOM also NATKEEP_A_SIP_FROM_USER, and CUSTOM
 *	NATKEEP_A_CUSTOM_SPEC. Every other attribute below that a request
 *	may carry is optional. The local address may be the unspecified
 *	address (0.0.0.0 or ::), for a SIP socket bound to all addresses: the
 *	route towards the remote then picks the source. The reply is a
 *	NATKEEP_CMD_FLOW_NEW message describing the flow as FLOW_GET does,
 *	including its NATKEEP_A_FLOW_ID. Fails with EEXIST when a flow with
 *	the same local and remote address and port exists; with ENOSPC when
 *	the namespace holds the maximum number of flows (module parameter
 *	max_flows) or, in a namespace owned by a user namespace other than the
 *	initial one, when all such namespaces' flows would send more than
 *	userns_max_rate keep-alives a second; with EPERM in such a namespace
 *	unless userns_flows allows it; with EMSGSIZE when the SIP texts make a
 *	keep-alive longer than 1232 bytes (IPv6's minimum MTU less the IPv6
 *	and UDP headers).
 *
 * NATKEEP_CMD_FLOW_SET
 *	Change a flow. Requires NATKEEP_A_FLOW_ID; every other attribute of
 *	FLOW_NEW may be given and replaces the current value; an empty string
 *	clears an optional string. A new NATKEEP_A_FAMILY needs both
 *	addresses with it. The result must be a valid flow (e.g. an interval
 *	cut below an explicit NATKEEP_A_RESPONSE_TIMEOUT_MS is refused). The
 *	reply is a NATKEEP_CMD_FLOW_SET message describing the flow as
 *	FLOW_GET does.
 *	The change is atomic: on any error nothing changes; it fails as
 *	FLOW_NEW does. Counters are kept, and the mapping unless the family,
 *	an address or a port changed; the next send is rescheduled from now if
 *	the interval or randomization changed, and otherwise keeps its time.
 *
 * NATKEEP_CMD_FLOW_DEL
 *	Delete the flow NATKEEP_A_FLOW_ID. The answer is the ACK alone.
 *
 * NATKEEP_CMD_FLOW_GET
 *	With NATKEEP_A_FLOW_ID: the flow. As a dump (NLM_F_DUMP): every flow
 *	of the namespace, in id order. Each message carries the attributes of
 *	FLOW_NEW (the optional numbers too, with their values in effect:
 *	RESPONSE_TIMEOUT_MS is never 0; strings only when not empty) plus
 *	NATKEEP_A_FLOW_ID, NATKEEP_A_NEXT_SEND_NS, NATKEEP_A_STATS and, once
 *	known, NATKEEP_A_MAPPING and NATKEEP_A_PEER_RESPONSIVE.
 *
 * NATKEEP_CMD_STATS_GET
 *	The namespace's send statistics since the module was loaded, over
 *	all its flows (deleted ones included): NATKEEP_A_FLOWS and
 *	NATKEEP_A_STATS with TX_PACKETS, TX_ERRORS, LATENESS_MAX_NS and the
 *	LATENESS histogram. Lateness is the host's (timer interrupt, softirq
 *	load) more than any flow's, so only the namespace keeps a histogram.
 *
 * Multicast group NATKEEP_MCGRP_EVENTS: a NATKEEP_CMD_FLOW_NEW,
 * NATKEEP_CMD_FLOW_SET or NATKEEP_CMD_FLOW_DEL message (without stats) each
 * time a flow is created, changed or deleted, and:
 *
 * NATKEEP_CMD_MAPPING_CHANGED
 *	The flow's public mapping (the address and port the NAT gives the
 *	SIP socket, as a STUN server or a SIP response's top Via told it) is
 *	new or different: NATKEEP_A_MAPPING is the new one, with its
 *	NATKEEP_MAPPING_SOURCE; NATKEEP_A_OLD_MAPPING the previous one (absent
 *	for the first mapping learned).
 * NATKEEP_CMD_PEER_UNRESPONSIVE
 *	NATKEEP_A_MISS_LIMIT keep-alive requests in a row (STUN, OPTIONS,
 *	NOTIFY, custom) went unanswered within NATKEEP_A_RESPONSE_TIMEOUT_MS.
 *	Sent once, when the limit is reached.
 * NATKEEP_CMD_PEER_RESPONSIVE
 *	An unresponsive flow's peer answered again.
 *
 * Each event carries the flow's attributes as FLOW_GET does; FLOW_NEW,
 * FLOW_SET and FLOW_DEL events without NATKEEP_A_STATS and
 * NATKEEP_A_NEXT_SEND_NS, the others with them (RTT, misses). A flow deleted
 * with its namespace or by rmmod sends no event.
 *
 * Replies the module reads (netfilter LOCAL_IN, IPv4 and IPv6): UDP from a
 * flow's remote address and port to its local address and port. Only the
 * first answer to the flow's last request is taken: a STUN response by its
 * transaction id, a SIP one by its Call-ID, CSeq, method and top Via
 * branch. It tells the round trip time and, if plausible (not unspecified,
 * multicast or broadcast, port not 0), the public mapping: STUN's
 * XOR-MAPPED-ADDRESS, or the top Via's received and rport. A STUN answer
 * to the flow's own request is consumed (it never reaches the SIP socket);
 * everything else goes on untouched. So a flow's events come at most one
 * of each per request it sent.
 *
 * Every request the module rejects carries an extended ACK message saying
 * what is wrong and, where one attribute is at fault, its offset
 * (NLMSGERR_ATTR_OFFS). Generic netlink itself rejects some before the
 * module sees them, without a message: EPERM without CAP_NET_ADMIN in the
 * namespace's user namespace, EOPNOTSUPP for an unknown command, EINVAL
 * for a malformed header.
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
#define NATKEEP_RESPONSE_TIMEOUT_DEFAULT_MS	2000
#define NATKEEP_MISS_LIMIT_DEFAULT	3
#define NATKEEP_SIP_USER_MAX		64	/* SIP_FROM_USER, spec's user */
#define NATKEEP_SIP_HOST_MAX		255	/* SIP_HOST, SIP_FROM_DOMAIN */
#define NATKEEP_SIP_TEXT_MAX		128	/* SIP_USER_AGENT */
#define NATKEEP_CUSTOM_SPEC_MAX		256	/* CUSTOM_SPEC */

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
	NATKEEP_CMD_MAPPING_CHANGED,
	NATKEEP_CMD_PEER_UNRESPONSIVE,
	NATKEEP_CMD_PEER_RESPONSIVE,
	NATKEEP_CMD_STATS_GET,

	__NATKEEP_CMD_MAX
};
#define NATKEEP_CMD_MAX (__NATKEEP_CMD_MAX - 1)

/*
 * The keep-alive message types: X_KeepAliveMsgType of an OBi device.
 * KEEPALIVE sends "keep-alive\r\n", EMPTY a blank line ("\r\n"), STUN a
 * Binding Request (a fresh transaction id each time; FINGERPRINT with
 * NATKEEP_A_STUN_FINGERPRINT). OPTIONS, NOTIFY (Event: keep-alive) and
 * CUSTOM (the method, event and user of NATKEEP_A_CUSTOM_SPEC) send an
 * out-of-dialog SIP request once, never retransmitted: Via with rport and a
 * new branch each time, a Call-ID stable for the flow, CSeq counting up,
 * Max-Forwards, Content-Length: 0. They need NATKEEP_A_SIP_FROM_USER.
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
 * NATKEEP_A_SIP_HOST	string: the host (or host:port) of the Request-URI
 *			and To of SIP keep-alives; default: the remote address
 * NATKEEP_A_SIP_FROM_USER	string: the userid of From (the account's)
 * NATKEEP_A_SIP_FROM_DOMAIN	string: the host of From; default: SIP_HOST
 * NATKEEP_A_SIP_USER_AGENT	string: a User-Agent header; default: none
 * NATKEEP_A_CUSTOM_SPEC	string: X_CustomKeepAliveMsg,
 *			"mtd=METHOD[;event=EVENT][;user=USER]"; the CUSTOM type
 *			needs it
 * NATKEEP_A_STUN_FINGERPRINT	u8, 0 or 1 (default 0): add FINGERPRINT
 * NATKEEP_A_RESPONSE_TIMEOUT_MS	u32, 1..interval: a keep-alive request
 *			not answered within it is a miss; 0 or absent: the
 *			smaller of 2000 and the interval
 * NATKEEP_A_MISS_LIMIT	u8, 1..255 (default 3): misses in a row that make
 *			the peer unresponsive
 * NATKEEP_A_MAPPING	nested enum natkeep_mapping, in replies and events:
 *			the public mapping learned, absent before the first
 * NATKEEP_A_OLD_MAPPING	nested enum natkeep_mapping, in MAPPING_CHANGED
 * NATKEEP_A_PEER_RESPONSIVE	u8, in replies and events of types that
 *			get responses: 1 while the peer answers, 0 once it
 *			missed NATKEEP_A_MISS_LIMIT in a row
 * NATKEEP_A_FLOWS	u32, in STATS_GET replies: the namespace's flows now
 *
 * Strings end with a NUL, their only one, within the attribute; the longest
 * are the NATKEEP_*_MAX below, without the NUL. They may hold only what
 * their SIP syntax allows (no CR or LF), as the module's error message says.
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
	NATKEEP_A_SIP_HOST,
	NATKEEP_A_SIP_FROM_USER,
	NATKEEP_A_SIP_FROM_DOMAIN,
	NATKEEP_A_SIP_USER_AGENT,
	NATKEEP_A_CUSTOM_SPEC,
	NATKEEP_A_STUN_FINGERPRINT,
	NATKEEP_A_RESPONSE_TIMEOUT_MS,
	NATKEEP_A_MISS_LIMIT,
	NATKEEP_A_MAPPING,
	NATKEEP_A_OLD_MAPPING,
	NATKEEP_A_PEER_RESPONSIVE,
	NATKEEP_A_FLOWS,

	__NATKEEP_A_MAX
};
#define NATKEEP_A_MAX (__NATKEEP_A_MAX - 1)

/*
 * Flow statistics, nested in NATKEEP_A_STATS. Sent as u64; a flow's
 * counters stop at 2^32 - 1 (the module keeps them in 32 bits: one send a
 * second for 136 years), a namespace's (STATS_GET) do not.
 *
 * NATKEEP_STATS_TX_PACKETS	u64, keep-alives handed to the IP layer
 * NATKEEP_STATS_TX_ERRORS	u64, sends that failed (no route, no memory,
 *				dropped by the IP layer or netfilter)
 * NATKEEP_STATS_LAST_TX_AGE_NS	u64, nanoseconds since the last send attempt;
 *				absent before the first
 * NATKEEP_STATS_LATENESS_MAX_NS	u64, the largest lateness seen (a
 *				flow's to the microsecond)
 * NATKEEP_STATS_LATENESS	nested, STATS_GET only: the lateness histogram
 *				(actual send time minus scheduled time), the
 *				namespace's sends. Attribute type b + 1
 *				is a u64 count of bucket b (see
 *				NATKEEP_LATENESS_BUCKETS); empty buckets are
 *				left out. Type NATKEEP_LATENESS_PAD (0) is
 *				padding for 64-bit alignment: skip it.
 * NATKEEP_STATS_RX_RESPONSES	u64, responses matched to the flow's own
 *				keep-alive requests
 * NATKEEP_STATS_RTT_LAST_NS	u64, round trip of the last one (to the
 *				microsecond); absent before
 * NATKEEP_STATS_RTT_SMOOTHED_NS	u64, smoothed as TCP's SRTT (RFC 6298,
 *				alpha 1/8); absent before the first response
 * NATKEEP_STATS_MISSES		u32, unanswered requests in a row now (stops
 *				at 255, the highest miss limit)
 * NATKEEP_STATS_MISSES_TOTAL	u64, unanswered requests in all
 * NATKEEP_STATS_MAPPING_CHANGES	u64, times the public mapping changed
 *				(the first mapping learned not counted)
 */
enum natkeep_stats {
	NATKEEP_STATS_UNSPEC,
	NATKEEP_STATS_PAD,
	NATKEEP_STATS_TX_PACKETS,
	NATKEEP_STATS_TX_ERRORS,
	NATKEEP_STATS_LAST_TX_AGE_NS,
	NATKEEP_STATS_LATENESS_MAX_NS,
	NATKEEP_STATS_LATENESS,
	NATKEEP_STATS_RX_RESPONSES,
	NATKEEP_STATS_RTT_LAST_NS,
	NATKEEP_STATS_RTT_SMOOTHED_NS,
	NATKEEP_STATS_MISSES,
	NATKEEP_STATS_MISSES_TOTAL,
	NATKEEP_STATS_MAPPING_CHANGES,

	__NATKEEP_STATS_MAX
};
#define NATKEEP_STATS_MAX (__NATKEEP_STATS_MAX - 1)

/* Where a public mapping came from. */
enum natkeep_mapping_source {
	NATKEEP_MAPPING_SRC_UNSPEC,
	NATKEEP_MAPPING_SRC_STUN,	/* a STUN Binding success response */
	NATKEEP_MAPPING_SRC_VIA,	/* a SIP response's top Via received/rport */

	__NATKEEP_MAPPING_SRC_MAX
};
#define NATKEEP_MAPPING_SRC_MAX (__NATKEEP_MAPPING_SRC_MAX - 1)

/*
 * A public mapping, nested in NATKEEP_A_MAPPING and NATKEEP_A_OLD_MAPPING.
 *
 * NATKEEP_MAPPING_FAMILY	u16, AF_INET or AF_INET6
 * NATKEEP_MAPPING_ADDR		binary, 4 or 16 bytes, network order
 * NATKEEP_MAPPING_PORT		u16, host order
 * NATKEEP_MAPPING_SOURCE	u8, enum natkeep_mapping_source
 */
enum natkeep_mapping {
	NATKEEP_MAPPING_UNSPEC,
	NATKEEP_MAPPING_FAMILY,
	NATKEEP_MAPPING_ADDR,
	NATKEEP_MAPPING_PORT,
	NATKEEP_MAPPING_SOURCE,

	__NATKEEP_MAPPING_MAX
};
#define NATKEEP_MAPPING_MAX (__NATKEEP_MAPPING_MAX - 1)

#endif /* _UAPI_LINUX_NATKEEP_H */

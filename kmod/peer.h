/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a flow's sends did (counters, the last send's time, the worst
 * lateness) and what it learns from its peer's replies: whether its
 * keep-alive requests are answered (round trip times, misses in a row,
 * responsive or not) and the public mapping the NAT gives its local port
 * (from STUN or a SIP response's top Via). Written from the flow's timer and from the
 * netfilter hook on any CPU, so a spinlock guards it; events are sent after
 * it is released.
 */
#ifndef _NK_PEER_H
#define _NK_PEER_H

#include <linux/ktime.h>
#include <linux/spinlock_types.h>

#include "params.h"
#include "proto/sip.h"
#include "proto/stun.h"

struct nk_flow;
struct nk_payload_send;

struct nk_mapping {
	union nk_addr addr;
	u16 port;		/* host order */
	u8 family;		/* 0: none learned yet */
	u8 source;		/* enum natkeep_mapping_source */
};

/*
 * What the sends and the replies told: kept across a flow change, copied
 * for readers. Counters are 32-bit and stop at their top (at one send a
 * second that is 136 years; the namespace's are 64-bit, stats.h), round
 * trips and lateness in microseconds: make bench's memory target counts
 * every byte of a flow.
 */
struct nk_peer_state {
	ktime_t last_send;	/* of the last send attempt; 0: none yet */
	u32 tx_packets;		/* handed to the IP layer */
	u32 tx_errors;		/* failed sends */
	u32 lateness_max_us;
	u32 misses_total;
	u32 responses;
	u32 rtt_last_us;	/* 0: no response yet */
	u32 rtt_smoothed_us;
	u32 mapping_changes;
	struct nk_mapping mapping;
	u8 misses;		/* in a row (the limit is at most 255) */
	bool unresponsive;
	/* The last request sent: not carried over (its Call-ID or id is the old flow's). */
	bool pending;		/* neither answered nor timed out yet; sent at last_send */
	bool sent_any;
};

struct nk_peer {
	spinlock_t lock;	/* guards all below: timer and hook write */
	u32 seq;		/* the last request's number: SIP CSeq, STUN (nk_stun_txid) */
	struct nk_peer_state state;
};

void nk_peer_init(struct nk_peer *peer);
void nk_peer_carry_over(struct nk_peer *to, struct nk_peer *from);
void nk_peer_read(struct nk_peer *peer, struct nk_peer_state *snap);

/*
 * From the flow's timer: a send at @at, @late_ns late, @ok or failed; and
 * the response timeout at @now. Both return the deadline of the request in
 * flight after them (KTIME_MAX: none).
 */
ktime_t nk_peer_sent(struct nk_flow *flow, const struct nk_payload_send *send,
		     ktime_t at, s64 late_ns, bool ok);
ktime_t nk_peer_check_timeout(struct nk_flow *flow, ktime_t now);

/* From the netfilter hook. */
bool nk_peer_stun_response(struct nk_flow *flow,
			   const struct nk_stun_response *rsp, ktime_t now);
void nk_peer_sip_response(struct nk_flow *flow,
			  const struct nk_sip_response *rsp, ktime_t now);
void nk_peer_mapping_seen(struct nk_flow *flow,
			  const struct nk_proto_addr *addr, u8 source);

#endif /* _NK_PEER_H */

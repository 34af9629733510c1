/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a flow learns from its peer's replies: whether its keep-alive
 * requests are answered (round trip times, misses in a row, responsive or
 * not) and the public mapping the NAT gives its local port (from STUN or a
 * SIP response's top Via). Written from the flow's timer and from the
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
	u16 family;		/* 0: none learned yet */
	u16 port;		/* host order */
	u8 source;		/* enum natkeep_mapping_source */
};

/* What the replies told: kept across a flow change, copied for readers. */
struct nk_peer_state {
	bool unresponsive;
	u32 misses;		/* in a row */
	u64 misses_total;
	u64 responses;
	u64 rtt_last_ns;	/* 0: no response yet */
	u64 rtt_smoothed_ns;
	struct nk_mapping mapping;
	u64 mapping_changes;
};

struct nk_peer {
	spinlock_t lock;	/* guards all below: timer and hook write */
	/* The last request sent, to match its response. */
	bool pending;		/* neither answered nor timed out yet */
	bool sent_any;
	ktime_t sent_at;
	u8 txid[NK_STUN_TXID_LEN];
	u32 cseq;
	struct nk_peer_state state;
};

void nk_peer_init(struct nk_peer *peer);
void nk_peer_carry_over(struct nk_peer *to, struct nk_peer *from);
void nk_peer_read(struct nk_peer *peer, struct nk_peer_state *snap);

/* From the flow's timer. */
void nk_peer_request_sent(struct nk_flow *flow,
			  const struct nk_payload_send *send, ktime_t at);
void nk_peer_check_timeout(struct nk_flow *flow, ktime_t now);
ktime_t nk_peer_deadline(struct nk_flow *flow);

/* From the netfilter hook. */
bool nk_peer_stun_response(struct nk_flow *flow,
			   const struct nk_stun_response *rsp, ktime_t now);
void nk_peer_sip_response(struct nk_flow *flow,
			  const struct nk_sip_response *rsp, ktime_t now);
void nk_peer_mapping_seen(struct nk_flow *flow,
			  const struct nk_proto_addr *addr, u8 source);

#endif /* _NK_PEER_H */

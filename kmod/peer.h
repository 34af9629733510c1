/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a flow's sends did (counters, the last send's time, the worst
 * lateness) and what it learns from its peer's replies: whether its
 * keep-alive requests are answered (round trip times, misses in a row,
 * responsive or not) and the public mapping the NAT gives its local port
 * (from STUN or a SIP response's top Via). Written from the flow's timer and from the
 * netfilter hook on any CPU, always with BH disabled, so a plain spinlock
 * guards it; events are sent after it is released.
 */
#ifndef _NK_PEER_H
#define _NK_PEER_H

#include <linux/ktime.h>
#include <linux/spinlock_types.h>

#include "params.h"
#include "proto/sip.h"
#include "proto/stun.h"

struct nk_flow;

struct nk_mapping {
	union nk_addr addr;
	u16 port;		/* host order */
	u8 family;		/* 0: none learned yet */
	u8 source;		/* enum natkeep_mapping_source */
};

/*
 * What the sends and the replies told: kept across a flow change, copied
 * for readers. Counters are 32-bit and stop at their top (at one send a
 * second that is 136 years; the namespace's are 64-bit, stats.h), and
 * times are in microseconds: they keep a flow at 192 bytes, 21 to a page.
 */
struct nk_peer_state {
	u32 last_send_us;	/* nk_peer_stamp() of the last send attempt */
	u32 tx_packets;		/* handed to the IP layer; the last request's number */
	u32 tx_errors;		/* failed sends */
	u32 lateness_max_us;
	u32 misses_total;
	u32 responses;
	u32 rtt_last_us;	/* 0: no response yet */
	u32 rtt_smoothed_us;
	u32 mapping_changes;
	struct nk_mapping mapping;
	u8 misses;		/* in a row (the limit is at most 255) */
	bool unresponsive:1;
	/* The last request sent: not carried over (its Call-ID or id is the old flow's). */
	bool pending:1;		/* neither answered nor timed out yet; sent at last_send_us */
	bool sent_any:1;
	bool answered:1;	/* its answer came, in time or late: one is taken */
};

struct nk_peer {
	spinlock_t lock;	/* guards all below: timer and hook write */
	struct nk_peer_state state;
};

/*
 * Send times are the low 32 bits of CLOCK_MONOTONIC in microseconds. A
 * flow attempts a send at least once an interval, at most an hour
 * (NATKEEP_INTERVAL_MAX_MS), well inside the 71 minutes they take to wrap:
 * the age of the last send is exact modulo 2^32.
 */
static inline u32 nk_peer_stamp(ktime_t t)
{
	return (u32)ktime_to_us(t);
}

/* Microseconds from the last send attempt to @now. */
static inline u32 nk_peer_since_last_send_us(const struct nk_peer_state *st,
					     ktime_t now)
{
	return nk_peer_stamp(now) - st->last_send_us;
}

static inline bool nk_peer_attempted(const struct nk_peer_state *st)
{
	return st->tx_packets || st->tx_errors;
}

/*
 * The number of the request about to be sent (SIP CSeq, STUN transaction
 * id, nk_stun_txid): the sends that reach the IP layer are counted, so it
 * is tx_packets once this one has; it stops with the counter. Only the
 * flow's timer writes tx_packets, and it is the caller: no lock.
 */
static inline u32 nk_peer_next_seq(const struct nk_peer *peer)
{
	u32 sent = peer->state.tx_packets;

	return sent == U32_MAX ? sent : sent + 1;
}

void nk_peer_init(struct nk_peer *peer);
void nk_peer_carry_over(struct nk_peer *to, struct nk_peer *from,
			bool same_key);
void nk_peer_read(struct nk_peer *peer, struct nk_peer_state *snap);

/* What a send changed before it was handed over: nk_peer_sending(). */
struct nk_peer_send {
	bool handed;		/* it reached nk_peer_sending() */
	bool lost;		/* it made the pending request missed */
	/* As they were before: restored if the send fails. */
	bool pending, sent_any, answered;
	u32 tx_packets;
};

/*
 * From the flow's timer: a send at @at, before it is handed to the IP layer
 * and after, @late_ns late, @ok or failed; and the response timeout at
 * @now. nk_peer_sent() and the timeout return the deadline of the request
 * in flight after them (KTIME_MAX: none).
 */
void nk_peer_sending(struct nk_flow *flow, ktime_t at, struct nk_peer_send *ps);
ktime_t nk_peer_sent(struct nk_flow *flow, const struct nk_peer_send *ps,
		     ktime_t at, s64 late_ns, bool ok);
ktime_t nk_peer_check_timeout(struct nk_flow *flow, ktime_t now);

/*
 * From the netfilter hook: a response at the flow's port, and the public
 * mapping it tells (NULL: none). Only the first answer to the flow's last
 * request counts: it makes the peer responsive, and its mapping, if new,
 * the flow's. So every event answers a request the flow sent, and no
 * sender makes more than one an interval. Both return whether the
 * response is to the flow's request (a STUN one is then consumed).
 */
bool nk_peer_stun_response(struct nk_flow *flow,
			   const struct nk_stun_response *rsp,
			   const struct nk_proto_addr *mapping, ktime_t now);
bool nk_peer_sip_response(struct nk_flow *flow,
			  const struct nk_sip_response *rsp,
			  const struct nk_proto_addr *mapping, ktime_t now);

#endif /* _NK_PEER_H */

// SPDX-License-Identifier: GPL-2.0
#include <linux/math64.h>
#include <linux/natkeep.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "flow.h"
#include "netlink.h"
#include "payload.h"
#include "peer.h"

void nk_peer_init(struct nk_peer *peer)
{
	/* Send times wrap after 71 minutes: a flow must send before (peer.h). */
	BUILD_BUG_ON((u64)NATKEEP_INTERVAL_MAX_MS * USEC_PER_MSEC >= U32_MAX);
	memset(peer, 0, sizeof(*peer));
	spin_lock_init(&peer->lock);
}

/*
 * A changed flow, not yet published, keeps what it learned. The request in
 * flight belongs to the old flow's payload (its Call-ID) and is forgotten;
 * so is the mapping if the key changed: it was another binding's.
 */
void nk_peer_carry_over(struct nk_peer *to, struct nk_peer *from,
			bool same_key)
{
	nk_peer_read(from, &to->state);
	to->state.pending = false;
	to->state.sent_any = false;
	to->state.answered = false;
	if (!same_key)
		memset(&to->state.mapping, 0, sizeof(to->state.mapping));
}

void nk_peer_read(struct nk_peer *peer, struct nk_peer_state *snap)
{
	spin_lock_bh(&peer->lock);
	*snap = peer->state;
	spin_unlock_bh(&peer->lock);
}

static void nk_count(u32 *counter)
{
	if (*counter != U32_MAX)
		(*counter)++;
}

/* The pending request went unanswered; true when that made the peer unresponsive. */
static bool nk_peer_miss(struct nk_peer *peer, u8 miss_limit)
{
	struct nk_peer_state *st = &peer->state;

	st->pending = false;
	if (st->misses != U8_MAX)
		st->misses++;
	nk_count(&st->misses_total);
	if (st->unresponsive || st->misses < miss_limit)
		return false;
	st->unresponsive = true;
	return true;
}

/* A response to the pending request; true when the peer came back. */
static bool nk_peer_answered(struct nk_peer *peer, ktime_t now)
{
	struct nk_peer_state *st = &peer->state;
	u32 rtt = max(nk_peer_since_last_send_us(st, now), 1U);
	bool back = st->unresponsive;

	st->pending = false;
	nk_count(&st->responses);
	st->misses = 0;
	st->unresponsive = false;
	st->rtt_last_us = rtt;
	/* RFC 6298: SRTT = 7/8 SRTT + 1/8 R. */
	if (st->rtt_smoothed_us)
		st->rtt_smoothed_us += ((s64)rtt - st->rtt_smoothed_us) / 8;
	else
		st->rtt_smoothed_us = rtt;
	return back;
}

/*
 * Peer lock held: when the request in flight times out, as seen at @now;
 * KTIME_MAX: none. Counted from the microsecond of the send, so that it is
 * the same at every @now and a timer woken at it finds it passed.
 */
static ktime_t nk_peer_deadline(struct nk_flow *flow, ktime_t now)
{
	const struct nk_peer_state *st = &flow->peer.state;
	u32 timeout_ms = nk_params_response_timeout_ms(&flow->params);
	s64 now_us = ktime_to_us(now);
	s64 sent_us;

	if (!st->pending)
		return KTIME_MAX;
	/* nk_peer_stamp(now) is now_us's low 32 bits: one division. */
	sent_us = now_us - (u32)((u32)now_us - st->last_send_us);
	return ns_to_ktime((sent_us + (s64)timeout_ms * USEC_PER_MSEC) *
			   NSEC_PER_USEC);
}

/*
 * Peer lock held: a send attempt at @at. Every one, answered type or not,
 * sets last_send_us; a new request (or a failed send) while one is pending
 * counts that one missed: a randomised interval may come before its
 * timeout, and last_send_us, its send time, is about to change. True when
 * that made the peer unresponsive.
 */
static bool nk_peer_attempt(struct nk_flow *flow, ktime_t at)
{
	struct nk_peer_state *st = &flow->peer.state;
	bool lost = st->pending && nk_peer_miss(&flow->peer,
						flow->params.miss_limit);

	st->last_send_us = nk_peer_stamp(at);
	return lost;
}

/*
 * A keep-alive is handed to the IP layer at @at: it counts from now on, for
 * its answer may be read on another CPU before the send returns. What it
 * changes is kept in @ps, for nk_peer_sent() to undo if the send fails.
 */
void nk_peer_sending(struct nk_flow *flow, ktime_t at, struct nk_peer_send *ps)
{
	struct nk_peer_state *st = &flow->peer.state;

	spin_lock(&flow->peer.lock);
	ps->handed = true;
	ps->lost = nk_peer_attempt(flow, at);
	ps->tx_packets = st->tx_packets;
	ps->pending = st->pending;
	ps->sent_any = st->sent_any;
	ps->answered = st->answered;
	nk_count(&st->tx_packets);
	if (nk_flow_payload(flow)->answered) {
		st->pending = true;
		st->sent_any = true;
		st->answered = false;
	}
	spin_unlock(&flow->peer.lock);
}

/*
 * The send attempt at @at is over, @late_ns late, @ok or failed; @ps says
 * whether it reached nk_peer_sending(). A failed send is no request: no
 * answer can come for it, and the last one sent is again the last.
 * Returns the deadline of the request in flight (KTIME_MAX: none).
 */
ktime_t nk_peer_sent(struct nk_flow *flow, const struct nk_peer_send *ps,
		     ktime_t at, s64 late_ns, bool ok)
{
	u64 late_us = div_u64(max_t(s64, late_ns, 0), NSEC_PER_USEC);
	struct nk_peer_state *st = &flow->peer.state;
	struct nk_peer *peer = &flow->peer;
	ktime_t deadline;
	bool lost;

	spin_lock(&peer->lock);
	lost = ps->handed ? ps->lost : nk_peer_attempt(flow, at);
	if (!ok) {
		if (ps->handed) {
			st->tx_packets = ps->tx_packets;
			st->pending = ps->pending;
			st->sent_any = ps->sent_any;
			st->answered = ps->answered;
		}
		nk_count(&st->tx_errors);
	}
	if (late_us > st->lateness_max_us)
		st->lateness_max_us = min_t(u64, late_us, U32_MAX);
	deadline = nk_peer_deadline(flow, at);
	spin_unlock(&peer->lock);
	if (lost)
		nk_netlink_notify_peer(flow, NATKEEP_CMD_PEER_UNRESPONSIVE);
	return deadline;
}

/* A request unanswered by @now is missed; returns the deadline still ahead. */
ktime_t nk_peer_check_timeout(struct nk_flow *flow, ktime_t now)
{
	struct nk_peer *peer = &flow->peer;
	ktime_t deadline;
	bool lost = false;

	spin_lock(&peer->lock);
	if (!ktime_before(now, nk_peer_deadline(flow, now)))
		lost = nk_peer_miss(peer, flow->params.miss_limit);
	deadline = nk_peer_deadline(flow, now);
	spin_unlock(&peer->lock);
	if (lost)
		nk_netlink_notify_peer(flow, NATKEEP_CMD_PEER_UNRESPONSIVE);
	return deadline;
}

/* Peer lock held: @addr as the flow's mapping; true if it is new (@old: before). */
static bool nk_peer_set_mapping(struct nk_peer_state *st,
				const struct nk_proto_addr *addr, u8 source,
				struct nk_mapping *old)
{
	struct nk_mapping seen = {
		.family = addr->family,
		.port = addr->port,
		.source = source,
	};

	memcpy(&seen.addr, addr->addr,
	       addr->family == AF_INET ? sizeof(seen.addr.ip) :
					 sizeof(seen.addr.ip6));
	*old = st->mapping;
	if (old->family == seen.family && old->port == seen.port &&
	    !memcmp(&old->addr, &seen.addr, sizeof(old->addr)))
		return false;
	if (old->family)
		nk_count(&st->mapping_changes);
	st->mapping = seen;
	return true;
}

/* What an answer changed, for the events sent once the lock is dropped. */
struct nk_peer_news {
	bool back;		/* responsive again */
	bool mapped;		/* a new mapping; @old the one before */
	struct nk_mapping old;
};

/* Peer lock held: the first answer to the last request, at @now. */
static void nk_peer_take_answer(struct nk_peer *peer,
				const struct nk_proto_addr *mapping, u8 source,
				ktime_t now, struct nk_peer_news *news)
{
	struct nk_peer_state *st = &peer->state;

	st->answered = true;
	if (st->pending)
		news->back = nk_peer_answered(peer, now);
	if (mapping)
		news->mapped = nk_peer_set_mapping(st, mapping, source,
						   &news->old);
}

static void nk_peer_tell(struct nk_flow *flow, const struct nk_peer_news *news)
{
	if (news->back)
		nk_netlink_notify_peer(flow, NATKEEP_CMD_PEER_RESPONSIVE);
	if (news->mapped)
		nk_netlink_notify_mapping(flow, news->old.family ?
						&news->old : NULL);
}

/*
 * A STUN response for this flow. True when it is to the last request the
 * flow sent (then it is the module's and is consumed), even when it came
 * too late to count as an answer or is a second copy.
 */
bool nk_peer_stun_response(struct nk_flow *flow,
			   const struct nk_stun_response *rsp,
			   const struct nk_proto_addr *mapping, ktime_t now)
{
	struct nk_peer_news news = { .back = false, .mapped = false };
	struct nk_peer *peer = &flow->peer;
	u8 txid[NK_STUN_TXID_LEN];
	bool ours;

	spin_lock(&peer->lock);
	nk_stun_txid(&flow->params, peer->state.tx_packets, txid);
	ours = peer->state.sent_any && !memcmp(txid, rsp->txid, sizeof(txid));
	if (ours && !peer->state.answered)
		nk_peer_take_answer(peer, mapping, NATKEEP_MAPPING_SRC_STUN,
				    now, &news);
	spin_unlock(&peer->lock);
	nk_peer_tell(flow, &news);
	return ours;
}

static bool nk_span_is(const char *span, size_t len, const char *want)
{
	return len == strlen(want) && !memcmp(span, want, len);
}

/* @rsp answers the flow's request number @seq: Call-ID, CSeq, branch. */
static bool nk_sip_answers(const struct nk_flow *flow,
			   const struct nk_sip_response *rsp, u32 seq)
{
	const struct nk_sip_message *msg = &flow->params.sip->msg;
	static const char magic[] = "z9hG4bK";
	char branch[NK_SIP_BRANCH_MAX + 1];

	if (!rsp->has_cseq || rsp->cseq != seq || !rsp->call_id ||
	    !rsp->branch || rsp->branch_len <= sizeof(magic) - 1 ||
	    memcmp(rsp->branch, magic, sizeof(magic) - 1) ||
	    !nk_span_is(rsp->call_id, rsp->call_id_len, msg->call_id) ||
	    !nk_span_is(rsp->cseq_method, rsp->cseq_method_len,
			msg->req.method))
		return false;
	nk_sip_branch(&flow->params, seq, branch);
	return nk_span_is(rsp->branch + sizeof(magic) - 1,
			  rsp->branch_len - (sizeof(magic) - 1), branch);
}

/*
 * A SIP response at the flow's port: taken if it answers our last request.
 * True when it is to a request the flow sent (the last, or its copy).
 */
bool nk_peer_sip_response(struct nk_flow *flow,
			  const struct nk_sip_response *rsp,
			  const struct nk_proto_addr *mapping, ktime_t now)
{
	struct nk_peer_news news = { .back = false, .mapped = false };
	struct nk_peer *peer = &flow->peer;
	bool ours;

	if (!nk_flow_payload(flow)->sip)
		return false;
	spin_lock(&peer->lock);
	ours = peer->state.sent_any &&
	       nk_sip_answers(flow, rsp, peer->state.tx_packets);
	if (ours && !peer->state.answered)
		nk_peer_take_answer(peer, mapping, NATKEEP_MAPPING_SRC_VIA,
				    now, &news);
	spin_unlock(&peer->lock);
	nk_peer_tell(flow, &news);
	return ours;
}

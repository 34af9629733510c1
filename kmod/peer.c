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
 * A changed flow keeps what it learned; the request in flight belongs to
 * the old flow's payload (its Call-ID) and is forgotten.
 */
void nk_peer_carry_over(struct nk_peer *to, struct nk_peer *from)
{
	nk_peer_read(from, &to->state);
	to->state.pending = false;
	to->state.sent_any = false;
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
 * Every send, answered type or not, sets last_send_us. A new request (or a
 * failed send) while one is pending counts that one missed: a randomised
 * interval may come before its timeout, and last_send_us, its send time, is
 * about to change. Returns the new request's deadline (KTIME_MAX: none).
 */
ktime_t nk_peer_sent(struct nk_flow *flow, ktime_t at, s64 late_ns, bool ok)
{
	u64 late_us = div_u64(max_t(s64, late_ns, 0), NSEC_PER_USEC);
	struct nk_peer_state *st = &flow->peer.state;
	struct nk_peer *peer = &flow->peer;
	ktime_t deadline;
	bool lost;

	spin_lock(&peer->lock);
	lost = st->pending && nk_peer_miss(peer, flow->params.miss_limit);
	st->last_send_us = nk_peer_stamp(at);
	nk_count(ok ? &st->tx_packets : &st->tx_errors);
	if (late_us > st->lateness_max_us)
		st->lateness_max_us = min_t(u64, late_us, U32_MAX);
	if (ok && nk_flow_payload(flow)->answered) {
		st->pending = true;
		st->sent_any = true;
	}
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

/*
 * A STUN response for this flow. True when it answers the last request the
 * flow sent (then it is the module's and is consumed), even when it came
 * too late to count as an answer.
 */
bool nk_peer_stun_response(struct nk_flow *flow,
			   const struct nk_stun_response *rsp, ktime_t now)
{
	struct nk_peer *peer = &flow->peer;
	u8 txid[NK_STUN_TXID_LEN];
	bool ours, back = false;

	spin_lock(&peer->lock);
	nk_stun_txid(&flow->params, peer->state.tx_packets, txid);
	ours = peer->state.sent_any && !memcmp(txid, rsp->txid, sizeof(txid));
	if (ours && peer->state.pending)
		back = nk_peer_answered(peer, now);
	spin_unlock(&peer->lock);
	if (back)
		nk_netlink_notify_peer(flow, NATKEEP_CMD_PEER_RESPONSIVE);
	return ours;
}

static bool nk_sip_answers(const struct nk_sip_response *rsp,
			   const char *call_id, const char *method, u32 cseq)
{
	return rsp->has_cseq && rsp->cseq == cseq &&
	       rsp->call_id_len == strlen(call_id) &&
	       !memcmp(rsp->call_id, call_id, rsp->call_id_len) &&
	       rsp->cseq_method_len == strlen(method) &&
	       !memcmp(rsp->cseq_method, method, rsp->cseq_method_len);
}

/* A SIP response at the flow's port: an answer if it is to our request. */
void nk_peer_sip_response(struct nk_flow *flow,
			  const struct nk_sip_response *rsp, ktime_t now)
{
	struct nk_peer *peer = &flow->peer;
	const struct nk_sip_message *msg;
	bool back = false;

	if (!nk_flow_payload(flow)->sip)
		return;
	msg = &flow->params.sip->msg;
	spin_lock(&peer->lock);
	if (peer->state.pending &&
	    nk_sip_answers(rsp, msg->call_id, msg->req.method,
			   peer->state.tx_packets))
		back = nk_peer_answered(peer, now);
	spin_unlock(&peer->lock);
	if (back)
		nk_netlink_notify_peer(flow, NATKEEP_CMD_PEER_RESPONSIVE);
}

/* A peer told the flow its public mapping; a new one is an event. */
void nk_peer_mapping_seen(struct nk_flow *flow,
			  const struct nk_proto_addr *addr, u8 source)
{
	struct nk_peer *peer = &flow->peer;
	struct nk_mapping old, seen = {
		.family = addr->family,
		.port = addr->port,
		.source = source,
	};
	bool changed;

	memcpy(&seen.addr, addr->addr,
	       addr->family == AF_INET ? sizeof(seen.addr.ip) :
					 sizeof(seen.addr.ip6));
	spin_lock(&peer->lock);
	old = peer->state.mapping;
	changed = old.family != seen.family || old.port != seen.port ||
		  memcmp(&old.addr, &seen.addr, sizeof(old.addr));
	if (changed) {
		if (old.family)
			nk_count(&peer->state.mapping_changes);
		peer->state.mapping = seen;
	}
	spin_unlock(&peer->lock);
	if (changed)
		nk_netlink_notify_mapping(flow, old.family ? &old : NULL);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: a flow's peer record (peer.c) as its timer and hook drive it:
 * request numbers, response timeouts, round trips and the last send's age,
 * with send times near the wrap of their 32-bit microsecond stamps.
 */
#include <kunit/test.h>
#include <linux/natkeep.h>
#include <linux/slab.h>

#include "../peer.c"

/* The events peer.c would send, recorded in place of netlink. */
static u8 nk_test_events[8];
static unsigned int nk_test_event_count;
static struct nk_mapping nk_test_old_mapping;

void nk_netlink_notify_peer(struct nk_flow *flow, u8 cmd)
{
	if (nk_test_event_count < ARRAY_SIZE(nk_test_events))
		nk_test_events[nk_test_event_count] = cmd;
	nk_test_event_count++;
}

void nk_netlink_notify_mapping(struct nk_flow *flow,
			       const struct nk_mapping *old)
{
	memset(&nk_test_old_mapping, 0, sizeof(nk_test_old_mapping));
	if (old)
		nk_test_old_mapping = *old;
	nk_netlink_notify_peer(flow, NATKEEP_CMD_MAPPING_CHANGED);
}

/* A send at @at, as the timer makes it: handed over (if it gets so far), then done. */
static ktime_t nk_send_at(struct nk_flow *flow, ktime_t at, bool handed, bool ok)
{
	struct nk_peer_send ps = { .handed = false };

	if (handed)
		nk_peer_sending(flow, at, &ps);
	return nk_peer_sent(flow, &ps, at, 0, ok);
}

/* 300 µs before the send stamps wrap, and not on a microsecond. */
#define NK_T0_US	((6ULL << 32) - 300)
#define NK_T0		ns_to_ktime(NK_T0_US * NSEC_PER_USEC + 123)
#define NK_TIMEOUT_MS	2000

static struct nk_flow *nk_stun_flow(struct kunit *test)
{
	struct nk_flow *flow = kunit_kzalloc(test, sizeof(*flow), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, flow);
	flow->params.key.family = AF_INET;
	flow->params.msg_type = NATKEEP_MSG_STUN;
	flow->params.interval_ms = 20000;
	flow->params.response_timeout_ms = NK_TIMEOUT_MS;
	flow->params.miss_limit = 3;
	nk_peer_init(&flow->peer);
	nk_test_event_count = 0;
	return flow;
}

/* A STUN response carrying the transaction id of request @seq. */
static bool nk_stun_answer(struct nk_flow *flow, u32 seq, ktime_t now)
{
	struct nk_stun_response rsp = { .success = true };

	nk_stun_txid(&flow->params, seq, rsp.txid);
	return nk_peer_stun_response(flow, &rsp, NULL, now);
}

/* The same, telling the mapping 192.0.2.@host:@port. */
static bool nk_stun_answer_mapped(struct nk_flow *flow, u32 seq, u8 host,
				  u16 port, ktime_t now)
{
	struct nk_stun_response rsp = { .success = true };
	struct nk_proto_addr mapped = {
		.family = AF_INET,
		.port = port,
		.addr = { 192, 0, 2, host },
	};

	nk_stun_txid(&flow->params, seq, rsp.txid);
	return nk_peer_stun_response(flow, &rsp, &mapped, now);
}

static struct nk_flow *nk_options_flow(struct kunit *test)
{
	struct nk_flow *flow = nk_stun_flow(test);

	flow->params.msg_type = NATKEEP_MSG_OPTIONS;
	flow->params.sip = kunit_kzalloc(test, sizeof(*flow->params.sip),
					 GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, flow->params.sip);
	strscpy(flow->params.sip->msg.call_id, "c0ffee@natkeep",
		sizeof(flow->params.sip->msg.call_id));
	flow->params.sip->msg.req.method = "OPTIONS";
	return flow;
}

/*
 * A SIP response to request @seq (Call-ID, CSeq and branch as the flow
 * sent them, unless @call_id or @branch say otherwise) with a Via telling
 * the mapping 192.0.2.@host:@port.
 */
static void nk_sip_answer(struct nk_flow *flow, u32 seq, const char *call_id,
			  const char *branch, u8 host, u16 port, ktime_t now)
{
	char ours[sizeof("z9hG4bK") + NK_SIP_BRANCH_MAX];
	struct nk_sip_response rsp = {
		.status = 200,
		.has_cseq = true,
		.cseq = seq,
		.cseq_method = "OPTIONS",
		.cseq_method_len = 7,
	};
	struct nk_proto_addr mapped = {
		.family = AF_INET,
		.port = port,
		.addr = { 192, 0, 2, host },
	};

	if (!branch) {
		strscpy(ours, "z9hG4bK", sizeof(ours));
		nk_sip_branch(&flow->params, seq, ours + 7);
		branch = ours;
	}
	call_id = call_id ?: flow->params.sip->msg.call_id;
	rsp.call_id = call_id;
	rsp.call_id_len = strlen(call_id);
	rsp.branch = branch;
	rsp.branch_len = strlen(branch);
	nk_peer_sip_response(flow, &rsp, &mapped, now);
}

/* The deadline is the send's microsecond plus the timeout, at every look. */
static void nk_test_peer_timeout_across_wrap(struct kunit *test)
{
	struct nk_flow *flow = nk_stun_flow(test);
	ktime_t want = ns_to_ktime((NK_T0_US + NK_TIMEOUT_MS * USEC_PER_MSEC) *
				   NSEC_PER_USEC);

	KUNIT_EXPECT_EQ(test, nk_send_at(flow, NK_T0, true, true), want);
	KUNIT_EXPECT_TRUE(test, flow->peer.state.pending);
	KUNIT_EXPECT_EQ(test, nk_peer_check_timeout(flow, want - 1), want);
	KUNIT_EXPECT_EQ(test, flow->peer.state.misses_total, 0U);
	KUNIT_EXPECT_EQ(test, nk_peer_check_timeout(flow, want), KTIME_MAX);
	KUNIT_EXPECT_EQ(test, flow->peer.state.misses_total, 1U);
	KUNIT_EXPECT_EQ(test, flow->peer.state.misses, 1);
	KUNIT_EXPECT_FALSE(test, flow->peer.state.pending);
	/* Timed out: a late answer is still ours, but no longer an answer. */
	KUNIT_EXPECT_TRUE(test, nk_stun_answer(flow, 1, want + 1));
	KUNIT_EXPECT_EQ(test, flow->peer.state.responses, 0U);
}

static void nk_test_peer_rtt_across_wrap(struct kunit *test)
{
	struct nk_flow *flow = nk_stun_flow(test);
	ktime_t now = ktime_add_us(NK_T0, 1500);

	nk_send_at(flow, NK_T0, true, true);
	KUNIT_EXPECT_FALSE(test, nk_stun_answer(flow, 2, now));
	KUNIT_EXPECT_TRUE(test, flow->peer.state.pending);
	KUNIT_EXPECT_TRUE(test, nk_stun_answer(flow, 1, now));
	KUNIT_EXPECT_FALSE(test, flow->peer.state.pending);
	KUNIT_EXPECT_EQ(test, flow->peer.state.responses, 1U);
	KUNIT_EXPECT_EQ(test, flow->peer.state.rtt_last_us, 1500U);
	KUNIT_EXPECT_EQ(test, flow->peer.state.rtt_smoothed_us, 1500U);
}

/* A request's number counts the sends that left; a failed one reuses it. */
static void nk_test_peer_request_numbers(struct kunit *test)
{
	struct nk_flow *flow = nk_stun_flow(test);
	ktime_t t = NK_T0;

	KUNIT_EXPECT_EQ(test, nk_peer_next_seq(&flow->peer), 1U);
	nk_send_at(flow, t, true, true);
	KUNIT_EXPECT_EQ(test, nk_peer_next_seq(&flow->peer), 2U);
	t = ktime_add_ms(t, 20000);
	nk_send_at(flow, t, false, false);
	KUNIT_EXPECT_EQ(test, flow->peer.state.tx_errors, 1U);
	KUNIT_EXPECT_EQ(test, nk_peer_next_seq(&flow->peer), 2U);
	t = ktime_add_ms(t, 20000);
	nk_send_at(flow, t, true, true);
	KUNIT_EXPECT_TRUE(test, nk_stun_answer(flow, 2, ktime_add_ms(t, 5)));
	KUNIT_EXPECT_EQ(test, flow->peer.state.responses, 1U);

	/* At the counter's top the number stays, and is still answered. */
	flow->peer.state.tx_packets = U32_MAX - 1;
	nk_send_at(flow, ktime_add_ms(t, 20000), true, true);
	KUNIT_EXPECT_EQ(test, nk_peer_next_seq(&flow->peer), U32_MAX);
	nk_send_at(flow, ktime_add_ms(t, 40000), true, true);
	KUNIT_EXPECT_EQ(test, flow->peer.state.tx_packets, U32_MAX);
	KUNIT_EXPECT_TRUE(test, nk_stun_answer(flow, U32_MAX,
					       ktime_add_ms(t, 40005)));
	KUNIT_EXPECT_EQ(test, flow->peer.state.responses, 2U);
}

/* Misses in a row make the peer unresponsive once; an answer brings it back. */
static void nk_test_peer_unresponsive_and_back(struct kunit *test)
{
	struct nk_flow *flow = nk_stun_flow(test);
	ktime_t t = NK_T0;
	int i;

	for (i = 0; i < 3; i++) {
		ktime_t deadline = nk_send_at(flow, t, true, true);

		nk_peer_check_timeout(flow, deadline);
		t = ktime_add_ms(t, 20000);
	}
	KUNIT_EXPECT_TRUE(test, flow->peer.state.unresponsive);
	KUNIT_ASSERT_EQ(test, nk_test_event_count, 1U);
	KUNIT_EXPECT_EQ(test, nk_test_events[0], NATKEEP_CMD_PEER_UNRESPONSIVE);
	nk_send_at(flow, t, true, true);
	KUNIT_EXPECT_TRUE(test, nk_stun_answer(flow, 4, ktime_add_ms(t, 30)));
	KUNIT_EXPECT_FALSE(test, flow->peer.state.unresponsive);
	KUNIT_EXPECT_EQ(test, flow->peer.state.misses, 0);
	KUNIT_ASSERT_EQ(test, nk_test_event_count, 2U);
	KUNIT_EXPECT_EQ(test, nk_test_events[1], NATKEEP_CMD_PEER_RESPONSIVE);
}

/* The last send's age, to the longest interval, across the wrap. */
static void nk_test_peer_last_send_age(struct kunit *test)
{
	struct nk_flow *flow = nk_stun_flow(test);
	const struct nk_peer_state *st = &flow->peer.state;
	u64 longest_us = (u64)NATKEEP_INTERVAL_MAX_MS * USEC_PER_MSEC;

	KUNIT_EXPECT_FALSE(test, nk_peer_attempted(st));
	nk_send_at(flow, NK_T0, false, false);
	KUNIT_EXPECT_TRUE(test, nk_peer_attempted(st));
	KUNIT_EXPECT_EQ(test, nk_peer_since_last_send_us(st, NK_T0), 0U);
	KUNIT_EXPECT_EQ(test,
			nk_peer_since_last_send_us(st, ktime_add_us(NK_T0, longest_us)),
			(u32)longest_us);
}

/*
 * Only the first answer to the last request counts, and it alone may tell
 * the mapping: a second answer, or one to an older request, changes
 * nothing, so no sender makes more than one event a request.
 */
static void nk_test_peer_one_answer_a_request(struct kunit *test)
{
	struct nk_flow *flow = nk_stun_flow(test);
	const struct nk_peer_state *st = &flow->peer.state;
	ktime_t t = NK_T0;

	KUNIT_EXPECT_FALSE(test, nk_stun_answer_mapped(flow, 0, 1, 1000, t));
	KUNIT_EXPECT_EQ(test, st->mapping.family, 0);
	nk_send_at(flow, t, true, true);
	KUNIT_EXPECT_TRUE(test, nk_stun_answer_mapped(flow, 1, 1, 1000,
						      ktime_add_ms(t, 1)));
	KUNIT_EXPECT_EQ(test, st->mapping.port, 1000);
	KUNIT_ASSERT_EQ(test, nk_test_event_count, 1U);
	/* Another copy, with another mapping: still ours, but not taken. */
	KUNIT_EXPECT_TRUE(test, nk_stun_answer_mapped(flow, 1, 2, 2000,
						      ktime_add_ms(t, 2)));
	KUNIT_EXPECT_EQ(test, st->mapping.port, 1000);
	KUNIT_EXPECT_EQ(test, st->responses, 1U);
	KUNIT_EXPECT_EQ(test, nk_test_event_count, 1U);

	/* The next request's answer may change it, once. */
	t = ktime_add_ms(t, 20000);
	nk_send_at(flow, t, true, true);
	KUNIT_EXPECT_FALSE(test, nk_stun_answer_mapped(flow, 1, 3, 3000,
						       ktime_add_ms(t, 1)));
	KUNIT_EXPECT_TRUE(test, nk_stun_answer_mapped(flow, 2, 2, 2000,
						      ktime_add_ms(t, 1)));
	KUNIT_EXPECT_EQ(test, st->mapping.port, 2000);
	KUNIT_EXPECT_EQ(test, st->mapping_changes, 1U);
	KUNIT_ASSERT_EQ(test, nk_test_event_count, 2U);
	KUNIT_EXPECT_EQ(test, nk_test_events[1], NATKEEP_CMD_MAPPING_CHANGED);
	KUNIT_EXPECT_EQ(test, nk_test_old_mapping.port, 1000);
}

/* A SIP answer needs the request's Call-ID, CSeq and branch. */
static void nk_test_peer_sip_answer_matched(struct kunit *test)
{
	struct nk_flow *flow = nk_options_flow(test);
	const struct nk_peer_state *st = &flow->peer.state;
	ktime_t now = ktime_add_ms(NK_T0, 3);

	nk_send_at(flow, NK_T0, true, true);
	nk_sip_answer(flow, 1, "other@natkeep", NULL, 9, 9000, now);
	nk_sip_answer(flow, 1, NULL, "z9hG4bK0123456789abcdef", 9, 9000, now);
	nk_sip_answer(flow, 1, NULL, "z9hG4bK", 9, 9000, now);
	nk_sip_answer(flow, 2, NULL, NULL, 9, 9000, now);
	KUNIT_EXPECT_EQ(test, st->responses, 0U);
	KUNIT_EXPECT_EQ(test, st->mapping.family, 0);
	KUNIT_EXPECT_EQ(test, nk_test_event_count, 0U);

	nk_sip_answer(flow, 1, NULL, NULL, 7, 7000, now);
	KUNIT_EXPECT_EQ(test, st->responses, 1U);
	KUNIT_EXPECT_EQ(test, st->mapping.port, 7000);
	KUNIT_EXPECT_EQ(test, st->mapping.source, NATKEEP_MAPPING_SRC_VIA);
	KUNIT_EXPECT_EQ(test, nk_test_event_count, 1U);
	nk_sip_answer(flow, 1, NULL, NULL, 8, 8000, now);
	KUNIT_EXPECT_EQ(test, st->mapping.port, 7000);
	KUNIT_EXPECT_EQ(test, nk_test_event_count, 1U);
}

/*
 * An answer read on another CPU before the send returns is the new
 * request's; a send the IP layer refused is none, and the request before
 * it stays the last, answered as it was.
 */
static void nk_test_peer_answer_before_the_send_returns(struct kunit *test)
{
	struct nk_flow *flow = nk_stun_flow(test);
	const struct nk_peer_state *st = &flow->peer.state;
	struct nk_peer_send ps = { .handed = false };
	ktime_t t = NK_T0;

	nk_peer_sending(flow, t, &ps);
	KUNIT_EXPECT_TRUE(test, nk_stun_answer(flow, 1, ktime_add_us(t, 1)));
	nk_peer_sent(flow, &ps, t, 0, true);
	KUNIT_EXPECT_EQ(test, st->responses, 1U);
	KUNIT_EXPECT_FALSE(test, st->pending);
	KUNIT_EXPECT_EQ(test, nk_peer_check_timeout(flow, ktime_add_ms(t, 5000)),
			KTIME_MAX);
	KUNIT_EXPECT_EQ(test, st->misses_total, 0U);

	t = ktime_add_ms(t, 20000);
	memset(&ps, 0, sizeof(ps));
	nk_peer_sending(flow, t, &ps);
	nk_peer_sent(flow, &ps, t, 0, false);
	KUNIT_EXPECT_EQ(test, st->tx_packets, 1U);
	KUNIT_EXPECT_EQ(test, st->tx_errors, 1U);
	KUNIT_EXPECT_FALSE(test, st->pending);
	KUNIT_EXPECT_TRUE(test, st->answered);
	KUNIT_EXPECT_EQ(test, nk_peer_next_seq(&flow->peer), 2U);
	/* Request 1 was answered once: another copy is not taken. */
	KUNIT_EXPECT_TRUE(test, nk_stun_answer(flow, 1, ktime_add_ms(t, 1)));
	KUNIT_EXPECT_EQ(test, st->responses, 1U);
}

/* A changed flow keeps its mapping, unless its key changed. */
static void nk_test_peer_carry_over(struct kunit *test)
{
	struct nk_flow *from = nk_stun_flow(test), *to = nk_stun_flow(test);

	nk_send_at(from, NK_T0, true, true);
	nk_stun_answer_mapped(from, 1, 5, 5000, ktime_add_ms(NK_T0, 1));
	nk_peer_carry_over(&to->peer, &from->peer, true);
	KUNIT_EXPECT_EQ(test, to->peer.state.mapping.port, 5000);
	KUNIT_EXPECT_EQ(test, to->peer.state.tx_packets, 1U);
	KUNIT_EXPECT_EQ(test, to->peer.state.responses, 1U);
	KUNIT_EXPECT_FALSE(test, to->peer.state.pending);
	KUNIT_EXPECT_FALSE(test, to->peer.state.sent_any);
	nk_peer_carry_over(&to->peer, &from->peer, false);
	KUNIT_EXPECT_EQ(test, to->peer.state.mapping.family, 0);
	KUNIT_EXPECT_EQ(test, to->peer.state.responses, 1U);
}

static struct kunit_case nk_peer_cases[] = {
	KUNIT_CASE(nk_test_peer_one_answer_a_request),
	KUNIT_CASE(nk_test_peer_sip_answer_matched),
	KUNIT_CASE(nk_test_peer_carry_over),
	KUNIT_CASE(nk_test_peer_answer_before_the_send_returns),
	KUNIT_CASE(nk_test_peer_timeout_across_wrap),
	KUNIT_CASE(nk_test_peer_rtt_across_wrap),
	KUNIT_CASE(nk_test_peer_request_numbers),
	KUNIT_CASE(nk_test_peer_unresponsive_and_back),
	KUNIT_CASE(nk_test_peer_last_send_age),
	{}
};

static struct kunit_suite nk_peer_suite = {
	.name = "natkeep_peer",
	.test_cases = nk_peer_cases,
};

kunit_test_suites(&nk_peer_suite);

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

void nk_netlink_notify_peer(struct nk_flow *flow, u8 cmd)
{
	if (nk_test_event_count < ARRAY_SIZE(nk_test_events))
		nk_test_events[nk_test_event_count] = cmd;
	nk_test_event_count++;
}

void nk_netlink_notify_mapping(struct nk_flow *flow,
			       const struct nk_mapping *old)
{
	nk_netlink_notify_peer(flow, NATKEEP_CMD_MAPPING_CHANGED);
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
	return nk_peer_stun_response(flow, &rsp, now);
}

/* The deadline is the send's microsecond plus the timeout, at every look. */
static void nk_test_peer_timeout_across_wrap(struct kunit *test)
{
	struct nk_flow *flow = nk_stun_flow(test);
	ktime_t want = ns_to_ktime((NK_T0_US + NK_TIMEOUT_MS * USEC_PER_MSEC) *
				   NSEC_PER_USEC);

	KUNIT_EXPECT_EQ(test, nk_peer_sent(flow, NK_T0, 0, true), want);
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

	nk_peer_sent(flow, NK_T0, 0, true);
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
	nk_peer_sent(flow, t, 0, true);
	KUNIT_EXPECT_EQ(test, nk_peer_next_seq(&flow->peer), 2U);
	t = ktime_add_ms(t, 20000);
	nk_peer_sent(flow, t, 0, false);
	KUNIT_EXPECT_EQ(test, flow->peer.state.tx_errors, 1U);
	KUNIT_EXPECT_EQ(test, nk_peer_next_seq(&flow->peer), 2U);
	t = ktime_add_ms(t, 20000);
	nk_peer_sent(flow, t, 0, true);
	KUNIT_EXPECT_TRUE(test, nk_stun_answer(flow, 2, ktime_add_ms(t, 5)));
	KUNIT_EXPECT_EQ(test, flow->peer.state.responses, 1U);

	/* At the counter's top the number stays, and is still answered. */
	flow->peer.state.tx_packets = U32_MAX - 1;
	nk_peer_sent(flow, ktime_add_ms(t, 20000), 0, true);
	KUNIT_EXPECT_EQ(test, nk_peer_next_seq(&flow->peer), U32_MAX);
	nk_peer_sent(flow, ktime_add_ms(t, 40000), 0, true);
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
		ktime_t deadline = nk_peer_sent(flow, t, 0, true);

		nk_peer_check_timeout(flow, deadline);
		t = ktime_add_ms(t, 20000);
	}
	KUNIT_EXPECT_TRUE(test, flow->peer.state.unresponsive);
	KUNIT_ASSERT_EQ(test, nk_test_event_count, 1U);
	KUNIT_EXPECT_EQ(test, nk_test_events[0], NATKEEP_CMD_PEER_UNRESPONSIVE);
	nk_peer_sent(flow, t, 0, true);
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
	nk_peer_sent(flow, NK_T0, 0, false);
	KUNIT_EXPECT_TRUE(test, nk_peer_attempted(st));
	KUNIT_EXPECT_EQ(test, nk_peer_since_last_send_us(st, NK_T0), 0U);
	KUNIT_EXPECT_EQ(test,
			nk_peer_since_last_send_us(st, ktime_add_us(NK_T0, longest_us)),
			(u32)longest_us);
}

static struct kunit_case nk_peer_cases[] = {
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

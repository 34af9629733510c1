// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for natkeep's pure logic: interval randomisation and the
 * spreading of sends over load windows, lateness histogram, payload
 * templates and the netlink attribute validation. The code under test is
 * compiled into this module from the module's own files.
 */
#include <kunit/test.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <asm/unaligned.h>

#include "../params.c"
#include "../payload.c"
#include "../payload_sip.c"
#include "../payload_stun.c"
#include "../schedule.c"
#include "../stats.c"

/* Interval randomisation: RFC 5626 asks for 80 % to 100 % of the interval. */

static void nk_test_interval_fixed(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, nk_interval_ns(20, false, 0), 20 * NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, nk_interval_ns(20, false, U32_MAX),
			20 * NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, nk_interval_ns(NATKEEP_INTERVAL_MAX_MS, false, 7),
			(u64)NATKEEP_INTERVAL_MAX_MS * NSEC_PER_MSEC);
}

static void nk_test_interval_random_bounds(struct kunit *test)
{
	static const u32 intervals[] = {
		NATKEEP_INTERVAL_MIN_MS, 20, 999, 30000, NATKEEP_INTERVAL_MAX_MS,
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(intervals); i++) {
		u64 full = (u64)intervals[i] * NSEC_PER_MSEC;

		/* The extremes of the random input reach the extremes. */
		KUNIT_EXPECT_EQ(test, nk_interval_ns(intervals[i], true, 0),
				full * 4 / 5);
		KUNIT_EXPECT_EQ(test, nk_interval_ns(intervals[i], true, U32_MAX),
				full);
	}
}

static void nk_test_interval_random_spread(struct kunit *test)
{
	u64 full = 20000ULL * NSEC_PER_MSEC, lo = full, hi = 0, v;
	int i;

	for (i = 0; i < 10000; i++) {
		v = nk_interval_ns(20000, true, get_random_u32());
		KUNIT_ASSERT_GE(test, v, full * 4 / 5);
		KUNIT_ASSERT_LE(test, v, full);
		lo = min(lo, v);
		hi = max(hi, v);
	}
	/* 10000 draws cover nearly the whole 4 s span. */
	KUNIT_EXPECT_LT(test, lo, full * 4 / 5 + 10 * NSEC_PER_MSEC);
	KUNIT_EXPECT_GT(test, hi, full - 10 * NSEC_PER_MSEC);
}

/* On time or late by less than an interval: one interval after the due time. */
static void nk_test_next_due_on_schedule(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, nk_next_due_ns(1000, 1000, 100, false), 1100);
	KUNIT_EXPECT_EQ(test, nk_next_due_ns(1000, 1099, 100, false), 1100);
	KUNIT_EXPECT_EQ(test, nk_next_due_ns(1000, 1099, 100, true), 1100);
}

/* A stall: the sends missed are skipped; a fixed schedule keeps its grid. */
static void nk_test_next_due_after_stall(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, nk_next_due_ns(1000, 1100, 100, false), 1200);
	KUNIT_EXPECT_EQ(test, nk_next_due_ns(1000, 1350, 100, false), 1400);
	KUNIT_EXPECT_EQ(test, nk_next_due_ns(1000, 1350, 100, true), 1450);
	KUNIT_EXPECT_EQ(test, nk_next_due_ns(0, 3600LL * NSEC_PER_SEC,
					     20 * NSEC_PER_MSEC, false),
			3600LL * NSEC_PER_SEC + 20 * NSEC_PER_MSEC);
}

/* Counts go up and down by window, saturate, and never go below zero. */
static void nk_test_load_count(struct kunit *test)
{
	u16 *load = kunit_kcalloc(test, NK_LOAD_WINDOWS, sizeof(u16), GFP_KERNEL);
	s64 t = 5 * NK_LOAD_WINDOW_NS + 1;

	KUNIT_ASSERT_NOT_NULL(test, load);
	nk_load_count(load, t, 1);
	nk_load_count(load, t + NK_LOAD_WINDOW_NS - 2, 1);
	KUNIT_EXPECT_EQ(test, load[5], 2);
	/* The ring: 40.96 s later is the same window. */
	nk_load_count(load, t + (s64)NK_LOAD_WINDOWS * NK_LOAD_WINDOW_NS, -1);
	KUNIT_EXPECT_EQ(test, load[5], 1);
	nk_load_count(load, t, -1);
	nk_load_count(load, t, -1);
	KUNIT_EXPECT_EQ(test, load[5], 0);
	load[6] = U16_MAX;
	nk_load_count(load, 6 * NK_LOAD_WINDOW_NS, 1);
	KUNIT_EXPECT_EQ(test, load[6], U16_MAX);
}

/* Of two intervals, the one landing in the emptier window; a tie: the first. */
static void nk_test_load_pick(struct kunit *test)
{
	u16 *load = kunit_kcalloc(test, NK_LOAD_WINDOWS, sizeof(u16), GFP_KERNEL);
	u64 a = 3 * NK_LOAD_WINDOW_NS, b = 7 * NK_LOAD_WINDOW_NS;

	KUNIT_ASSERT_NOT_NULL(test, load);
	KUNIT_EXPECT_EQ(test, nk_load_pick_ns(load, 0, a, b), a);
	load[3] = 2;
	KUNIT_EXPECT_EQ(test, nk_load_pick_ns(load, 0, a, b), b);
	load[7] = 3;
	KUNIT_EXPECT_EQ(test, nk_load_pick_ns(load, 0, a, b), a);
}

/*
 * 20 000 sends drawn over 400 windows: the busiest window, with the less
 * loaded of two draws, stays near the mean (50), well below where one
 * draw puts it.
 */
static void nk_test_load_spreads(struct kunit *test)
{
	u16 *one = kunit_kcalloc(test, NK_LOAD_WINDOWS, sizeof(u16), GFP_KERNEL);
	u16 *two = kunit_kcalloc(test, NK_LOAD_WINDOWS, sizeof(u16), GFP_KERNEL);
	unsigned int i, max_one = 0, max_two = 0;

	KUNIT_ASSERT_NOT_NULL(test, one);
	KUNIT_ASSERT_NOT_NULL(test, two);
	for (i = 0; i < 20000; i++) {
		u64 a = nk_interval_ns(20000, true, get_random_u32());
		u64 b = nk_interval_ns(20000, true, get_random_u32());

		nk_load_count(one, a, 1);
		nk_load_count(two, nk_load_pick_ns(two, 0, a, b), 1);
	}
	for (i = 0; i < NK_LOAD_WINDOWS; i++) {
		max_one = max_t(unsigned int, max_one, one[i]);
		max_two = max_t(unsigned int, max_two, two[i]);
	}
	kunit_info(test, "busiest window: %u with one draw, %u with two\n",
		   max_one, max_two);
	KUNIT_EXPECT_LE(test, max_two, 60);
	KUNIT_EXPECT_LT(test, max_two, max_one);
}

static struct kunit_case nk_schedule_cases[] = {
	KUNIT_CASE(nk_test_interval_fixed),
	KUNIT_CASE(nk_test_interval_random_bounds),
	KUNIT_CASE(nk_test_interval_random_spread),
	KUNIT_CASE(nk_test_next_due_on_schedule),
	KUNIT_CASE(nk_test_next_due_after_stall),
	KUNIT_CASE(nk_test_load_count),
	KUNIT_CASE(nk_test_load_pick),
	KUNIT_CASE(nk_test_load_spreads),
	{}
};

static struct kunit_suite nk_schedule_suite = {
	.name = "natkeep_schedule",
	.test_cases = nk_schedule_cases,
};

/* Lateness histogram: log2 buckets in ns, as the uapi header documents. */

struct nk_bucket_case {
	s64 lateness_ns;
	unsigned int bucket;
};

static const struct nk_bucket_case nk_bucket_cases[] = {
	{ -5, 0 }, { 0, 0 }, { 1, 0 }, { 1023, 0 },
	{ 1024, 1 }, { 2047, 1 }, { 2048, 2 },
	{ 1000000, 10 },		/* 1 ms: [2^19, 2^20) */
	{ (1LL << 31) - 1, 21 }, { 1LL << 31, 22 }, { (1LL << 32) - 1, 22 },
	{ 1LL << 32, NATKEEP_LATENESS_BUCKETS - 1 },
	{ S64_MAX, NATKEEP_LATENESS_BUCKETS - 1 },
};

static void nk_bucket_desc(const struct nk_bucket_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%lld ns", c->lateness_ns);
}

KUNIT_ARRAY_PARAM(nk_bucket, nk_bucket_cases, nk_bucket_desc);

static void nk_test_lateness_bucket(struct kunit *test)
{
	const struct nk_bucket_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, nk_lateness_bucket(c->lateness_ns), c->bucket);
}

static void nk_test_stats_record(struct kunit *test)
{
	struct nk_net_stats __percpu *net_stats = nk_net_stats_alloc();
	struct nk_stats_snapshot snap;

	KUNIT_ASSERT_NOT_NULL(test, net_stats);
	/* Softirq context, as from a flow's timer: this CPU's counters. */
	local_bh_disable();
	nk_stats_record_send(net_stats, 500, true);
	nk_stats_record_send(net_stats, 3000, true);
	nk_stats_record_send(net_stats, 1500, false);
	nk_stats_record_send(net_stats, -20, true);	/* early: 0 late */
	local_bh_enable();
	nk_net_stats_read(net_stats, &snap);
	KUNIT_EXPECT_EQ(test, snap.tx_packets, 3ULL);
	KUNIT_EXPECT_EQ(test, snap.tx_errors, 1ULL);
	KUNIT_EXPECT_EQ(test, snap.lateness_max_ns, 3000ULL);
	KUNIT_EXPECT_EQ(test, snap.lateness[0], 2ULL);
	KUNIT_EXPECT_EQ(test, snap.lateness[1], 1ULL);
	KUNIT_EXPECT_EQ(test, snap.lateness[2], 1ULL);
	free_percpu(net_stats);
}

static struct kunit_case nk_stats_cases[] = {
	KUNIT_CASE_PARAM(nk_test_lateness_bucket, nk_bucket_gen_params),
	KUNIT_CASE(nk_test_stats_record),
	{}
};

static struct kunit_suite nk_stats_suite = {
	.name = "natkeep_stats",
	.test_cases = nk_stats_cases,
};

/* Payload templates: the exact bytes of each message type. */

/* Prepare and write request @seq as xmit does, from 10.0.0.2:5060. */
static unsigned int nk_payload_send_one(struct kunit *test,
					const struct nk_flow_params *params,
					u32 seq, struct nk_payload_send *send,
					u8 *buf, size_t size)
{
	const struct nk_payload_ops *ops = nk_payload_ops(params->msg_type);
	unsigned int len;

	memset(send, 0, sizeof(*send));
	send->family = AF_INET;
	send->saddr.ip = htonl(0x0a000002);
	send->sport = htons(5060);
	send->seq = seq;
	len = ops->prepare(params, send);
	KUNIT_ASSERT_LT(test, len, (unsigned int)size);
	memset(buf, 0xa5, size);
	ops->write(params, send, buf, len);
	/* Nothing is written past the message. */
	KUNIT_EXPECT_EQ(test, buf[len], 0xa5);
	buf[len] = '\0';
	return len;
}

/* A flow 10.0.0.2:5060 -> 192.0.2.1:5060 of @type; @sip may be NULL. */
static void nk_payload_params(struct nk_flow_params *p, u8 type,
			      struct nk_sip_params *sip)
{
	memset(p, 0, sizeof(*p));
	p->key.family = AF_INET;
	p->key.local.ip = htonl(0x0a000002);
	p->key.remote.ip = htonl(0xc0000201);
	p->key.local_port = htons(5060);
	p->key.remote_port = htons(5060);
	p->msg_type = type;
	p->sip = sip;
}

static void nk_expect_text_payload(struct kunit *test, u8 type,
				   const char *want)
{
	struct nk_payload_send send;
	struct nk_flow_params params;
	u8 buf[64];
	unsigned int len;

	nk_payload_params(&params, type, NULL);
	KUNIT_ASSERT_EQ(test, nk_payload_init(&params, NULL), 0);
	len = nk_payload_send_one(test, &params, 1, &send, buf, sizeof(buf));
	KUNIT_ASSERT_EQ(test, len, (unsigned int)strlen(want));
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, len), 0);
	KUNIT_EXPECT_FALSE(test, nk_payload_ops(params.msg_type)->answered);
}

static void nk_test_payload_keepalive(struct kunit *test)
{
	nk_expect_text_payload(test, NATKEEP_MSG_KEEPALIVE, "keep-alive\r\n");
}

static void nk_test_payload_empty(struct kunit *test)
{
	nk_expect_text_payload(test, NATKEEP_MSG_EMPTY, "\r\n");
}

/* A Binding Request with a new transaction id each time. */
static void nk_test_payload_stun(struct kunit *test)
{
	struct nk_payload_send send, again;
	struct nk_flow_params params;
	u8 buf[64], first_txid[NK_STUN_TXID_LEN], txid[NK_STUN_TXID_LEN];
	unsigned int len;

	nk_payload_params(&params, NATKEEP_MSG_STUN, NULL);
	KUNIT_ASSERT_EQ(test, nk_payload_init(&params, NULL), 0);
	KUNIT_EXPECT_TRUE(test, nk_payload_ops(params.msg_type)->answered);
	len = nk_payload_send_one(test, &params, 1, &send, buf, sizeof(buf));
	KUNIT_ASSERT_EQ(test, len, (unsigned int)NK_STUN_HEADER_LEN);
	KUNIT_EXPECT_EQ(test, buf[0], 0x00);	/* Binding Request */
	KUNIT_EXPECT_EQ(test, buf[1], 0x01);
	KUNIT_EXPECT_EQ(test, buf[2] << 8 | buf[3], 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(buf + 4), NK_STUN_MAGIC_COOKIE);
	KUNIT_EXPECT_EQ(test, memcmp(buf + 8, send.txid, NK_STUN_TXID_LEN), 0);
	memcpy(first_txid, send.txid, sizeof(first_txid));
	nk_payload_send_one(test, &params, 2, &again, buf, sizeof(buf));
	KUNIT_EXPECT_NE(test, memcmp(first_txid, again.txid, NK_STUN_TXID_LEN), 0);
	/* Numbered requests: the id is the number's, for the response match. */
	nk_stun_txid(&params, send.seq, txid);
	KUNIT_EXPECT_EQ(test, memcmp(txid, first_txid, NK_STUN_TXID_LEN), 0);

	params.stun_fingerprint = true;
	KUNIT_ASSERT_EQ(test, nk_payload_init(&params, NULL), 0);
	len = nk_payload_send_one(test, &params, 1, &send, buf, sizeof(buf));
	KUNIT_ASSERT_EQ(test, len, (unsigned int)NK_STUN_REQUEST_MAX_LEN);
	KUNIT_EXPECT_EQ(test, buf[2] << 8 | buf[3], 8);
	KUNIT_EXPECT_EQ(test, buf[20] << 8 | buf[21], 0x8028);	/* FINGERPRINT */
}

static struct nk_sip_params *nk_sip_params_new(struct kunit *test,
					       const char *spec)
{
	struct nk_sip_params *sip = kunit_kzalloc(test, sizeof(*sip), GFP_KERNEL);
	const char *err = NULL;

	KUNIT_ASSERT_NOT_NULL(test, sip);
	strscpy(sip->from_user, "alice", sizeof(sip->from_user));
	if (spec) {
		strscpy(sip->spec, spec, sizeof(sip->spec));
		KUNIT_ASSERT_EQ(test, nk_custom_spec_parse(spec, strlen(spec),
							   &sip->custom, &err),
				0);
	}
	return sip;
}

static const char nk_options_start[] =
	"OPTIONS sip:192.0.2.1 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.2:5060;rport;branch=z9hG4bK";

/* The request line, the Via from the packet's source, CSeq and Call-ID. */
static void nk_test_payload_options(struct kunit *test)
{
	struct nk_sip_params *sip = nk_sip_params_new(test, NULL);
	struct nk_payload_send send, again;
	struct nk_flow_params params;
	static char buf[1024], second[1024];

	nk_payload_params(&params, NATKEEP_MSG_OPTIONS, sip);
	KUNIT_ASSERT_EQ(test, nk_payload_init(&params, NULL), 0);
	KUNIT_EXPECT_TRUE(test, nk_payload_ops(params.msg_type)->answered);
	nk_payload_send_one(test, &params, 1, &send, buf, sizeof(buf));
	KUNIT_EXPECT_TRUE(test, str_has_prefix(buf, nk_options_start));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\r\nFrom: <sip:alice@192.0.2.1>;tag="));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\r\nTo: <sip:alice@192.0.2.1>\r\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\r\nCSeq: 1 OPTIONS\r\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\r\nMax-Forwards: 70\r\n"));
	KUNIT_EXPECT_NULL(test, strstr(buf, "Event:"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\r\nContent-Length: 0\r\n\r\n"));
	KUNIT_EXPECT_TRUE(test, str_has_prefix(strstr(buf, "Call-ID: ") + 9,
					       sip->msg.call_id));
	KUNIT_EXPECT_STREQ(test, sip->msg.req.method, "OPTIONS");

	/* Next request: CSeq 2, a new branch, the same Call-ID. */
	nk_payload_send_one(test, &params, 2, &again, second, sizeof(second));
	KUNIT_EXPECT_STRNEQ(test, send.branch, again.branch);
	KUNIT_EXPECT_NOT_NULL(test, strstr(second, "\r\nCSeq: 2 OPTIONS\r\n"));
	KUNIT_EXPECT_TRUE(test, str_has_prefix(strstr(second, "Call-ID: ") + 9,
					       sip->msg.call_id));
}

static void nk_test_payload_notify(struct kunit *test)
{
	struct nk_sip_params *sip = nk_sip_params_new(test, NULL);
	struct nk_payload_send send;
	struct nk_flow_params params;
	static char buf[1024];

	strscpy(sip->host, "sip.example.test", sizeof(sip->host));
	strscpy(sip->user_agent, "natkeep test", sizeof(sip->user_agent));
	nk_payload_params(&params, NATKEEP_MSG_NOTIFY, sip);
	KUNIT_ASSERT_EQ(test, nk_payload_init(&params, NULL), 0);
	nk_payload_send_one(test, &params, 1, &send, buf, sizeof(buf));
	KUNIT_EXPECT_TRUE(test, str_has_prefix(buf, "NOTIFY sip:sip.example.test SIP/2.0\r\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\r\nEvent: keep-alive\r\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\r\nUser-Agent: natkeep test\r\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\r\nTo: <sip:alice@sip.example.test>\r\n"));
}

/* X_CustomKeepAliveMsg: the user goes into the Request-URI and To. */
static void nk_test_payload_custom(struct kunit *test)
{
	struct nk_sip_params *sip = nk_sip_params_new(test, "mtd=PING;user=bob");
	struct nk_payload_send send;
	struct nk_flow_params params;
	static char buf[1024];

	nk_payload_params(&params, NATKEEP_MSG_CUSTOM, sip);
	params.key.remote_port = htons(5070);
	KUNIT_ASSERT_EQ(test, nk_payload_init(&params, NULL), 0);
	nk_payload_send_one(test, &params, 1, &send, buf, sizeof(buf));
	KUNIT_EXPECT_TRUE(test, str_has_prefix(buf, "PING sip:bob@192.0.2.1:5070 SIP/2.0\r\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\r\nTo: <sip:bob@192.0.2.1:5070>\r\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\r\nCSeq: 1 PING\r\n"));
	KUNIT_EXPECT_NULL(test, strstr(buf, "Event:"));
}

static void nk_test_payload_unknown(struct kunit *test)
{
	struct nk_flow_params params;
	struct netlink_ext_ack extack = {};
	u8 type;

	for (type = 0; type <= NATKEEP_MSG_MAX + 1; type++) {
		bool known = type != NATKEEP_MSG_UNSPEC &&
			     type <= NATKEEP_MSG_MAX;

		KUNIT_EXPECT_EQ(test, !!nk_payload_ops_get(type), known);
		if (known)
			continue;
		nk_payload_params(&params, type, NULL);
		KUNIT_EXPECT_EQ(test, nk_payload_init(&params, &extack),
				-EOPNOTSUPP);
		KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	}
}

static struct kunit_case nk_payload_cases[] = {
	KUNIT_CASE(nk_test_payload_keepalive),
	KUNIT_CASE(nk_test_payload_empty),
	KUNIT_CASE(nk_test_payload_stun),
	KUNIT_CASE(nk_test_payload_options),
	KUNIT_CASE(nk_test_payload_notify),
	KUNIT_CASE(nk_test_payload_custom),
	KUNIT_CASE(nk_test_payload_unknown),
	{}
};

static struct kunit_suite nk_payload_suite = {
	.name = "natkeep_payload",
	.test_cases = nk_payload_cases,
};

/*
 * Attribute validation: requests are built as netlink attributes in an skb,
 * parsed with the module's policy, then handed to nk_params_parse().
 */

struct nk_req {
	struct sk_buff *skb;
	struct nlattr *tb[NATKEEP_A_MAX + 1];
	struct netlink_ext_ack extack;
};

static struct nk_req *nk_req_new(struct kunit *test)
{
	struct nk_req *req = kunit_kzalloc(test, sizeof(*req), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, req);
	req->skb = alloc_skb(1024, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req->skb);
	return req;
}

static void nk_req_free(struct nk_req *req)
{
	kfree_skb(req->skb);
}

/*
 * A valid IPv4 FLOW_NEW, 10.0.0.2:5060 -> 192.0.2.1:5060 every 1000 ms,
 * without the attribute of type @skip (0: with all).
 */
static void nk_req_put_valid4_but(struct nk_req *req, int skip)
{
	__be32 local = htonl(0x0a000002), remote = htonl(0xc0000201);
	struct sk_buff *skb = req->skb;

	if (skip != NATKEEP_A_FAMILY)
		nla_put_u16(skb, NATKEEP_A_FAMILY, AF_INET);
	if (skip != NATKEEP_A_LOCAL_ADDR)
		nla_put(skb, NATKEEP_A_LOCAL_ADDR, 4, &local);
	if (skip != NATKEEP_A_LOCAL_PORT)
		nla_put_u16(skb, NATKEEP_A_LOCAL_PORT, 5060);
	if (skip != NATKEEP_A_REMOTE_ADDR)
		nla_put(skb, NATKEEP_A_REMOTE_ADDR, 4, &remote);
	if (skip != NATKEEP_A_REMOTE_PORT)
		nla_put_u16(skb, NATKEEP_A_REMOTE_PORT, 5060);
	if (skip != NATKEEP_A_INTERVAL_MS)
		nla_put_u32(skb, NATKEEP_A_INTERVAL_MS, 1000);
	if (skip != NATKEEP_A_MSG_TYPE)
		nla_put_u8(skb, NATKEEP_A_MSG_TYPE, NATKEEP_MSG_KEEPALIVE);
}

static void nk_req_put_valid4(struct nk_req *req)
{
	nk_req_put_valid4_but(req, 0);
}

/* Policy then parse, as the genetlink core and the doit handlers do. */
static int nk_req_parse(struct nk_req *req, struct nk_flow_params *p,
			bool create)
{
	int err;

	err = nla_parse(req->tb, NATKEEP_A_MAX, (struct nlattr *)req->skb->data,
			req->skb->len, nk_flow_policy, &req->extack);
	if (err)
		return err;
	return nk_params_parse(req->tb, p, create, &req->extack);
}

static void nk_test_params_valid(struct kunit *test)
{
	struct nk_req *req = nk_req_new(test);
	struct nk_flow_params p;

	nk_req_put_valid4(req);
	nla_put_u8(req->skb, NATKEEP_A_RANDOMIZE, 1);
	nla_put_u32(req->skb, NATKEEP_A_MARK, 0x10);
	nla_put_u8(req->skb, NATKEEP_A_DSCP, 46);
	KUNIT_ASSERT_EQ(test, nk_req_parse(req, &p, true), 0);
	KUNIT_EXPECT_EQ(test, p.key.family, AF_INET);
	KUNIT_EXPECT_EQ(test, p.key.local.ip, htonl(0x0a000002));
	KUNIT_EXPECT_EQ(test, p.key.remote.ip, htonl(0xc0000201));
	KUNIT_EXPECT_EQ(test, p.key.local_port, htons(5060));
	KUNIT_EXPECT_EQ(test, p.interval_ms, 1000U);
	KUNIT_EXPECT_TRUE(test, p.randomize);
	KUNIT_EXPECT_EQ(test, p.mark, 0x10U);
	KUNIT_EXPECT_EQ(test, p.dscp, 46);
	KUNIT_EXPECT_EQ(test, p.msg_type, NATKEEP_MSG_KEEPALIVE);
	KUNIT_EXPECT_EQ(test, p.miss_limit, NATKEEP_MISS_LIMIT_DEFAULT);
	/* The default timeout, 2 s, is cut to an interval of 1 s. */
	KUNIT_EXPECT_EQ(test, nk_params_response_timeout_ms(&p), 1000U);
	nk_params_release(&p);
	nk_req_free(req);
}

/* What fill writes, parse reads back the same. */
static void nk_test_params_round_trip(struct kunit *test)
{
	struct nk_req *req = nk_req_new(test);
	struct nk_flow_params in, out;

	/* Zeroed first: the struct is compared whole, padding included. */
	memset(&in, 0, sizeof(in));
	in.key.family = AF_INET6;
	in.key.remote.ip6 = in6addr_loopback;
	in.key.local_port = htons(5070);
	in.key.remote_port = htons(65535);
	in.interval_ms = NATKEEP_INTERVAL_MAX_MS;
	in.mark = 0xffffffff;
	in.msg_type = NATKEEP_MSG_EMPTY;
	in.dscp = NATKEEP_DSCP_MAX;
	in.randomize = true;
	in.stun_fingerprint = true;
	in.response_timeout_ms = 1234;
	in.miss_limit = 255;

	KUNIT_ASSERT_EQ(test, nk_params_fill(req->skb, &in), 0);
	KUNIT_ASSERT_EQ(test, nk_req_parse(req, &out, true), 0);
	KUNIT_EXPECT_EQ(test, memcmp(&out, &in, sizeof(in)), 0);
	nk_req_free(req);
}

/* The SIP text too, the parsed custom spec included. */
static void nk_test_params_round_trip_sip(struct kunit *test)
{
	struct nk_sip_params *sip = nk_sip_params_new(test,
						      "mtd=NOTIFY;event=check-sync;user=bob");
	struct nk_req *req = nk_req_new(test);
	struct nk_flow_params in, out;

	strscpy(sip->host, "[2001:db8::1]:5070", sizeof(sip->host));
	strscpy(sip->from_domain, "voip.example.test", sizeof(sip->from_domain));
	strscpy(sip->user_agent, "OBi/natkeep 1.0", sizeof(sip->user_agent));
	nk_payload_params(&in, NATKEEP_MSG_CUSTOM, sip);
	in.interval_ms = 30000;
	in.miss_limit = 3;
	in.response_timeout_ms = 2000;

	KUNIT_ASSERT_EQ(test, nk_params_fill(req->skb, &in), 0);
	KUNIT_ASSERT_EQ(test, nk_req_parse(req, &out, true), 0);
	KUNIT_ASSERT_NOT_NULL(test, out.sip);
	KUNIT_EXPECT_EQ(test, memcmp(out.sip, sip, sizeof(*sip)), 0);
	KUNIT_EXPECT_STREQ(test, out.sip->custom.event, "check-sync");
	KUNIT_EXPECT_STREQ(test, out.sip->custom.user, "bob");
	nk_params_release(&out);
	nk_req_free(req);
}

/* A change applies only the attributes given. */
static void nk_test_params_change(struct kunit *test)
{
	struct nk_req *req = nk_req_new(test);
	struct nk_flow_params p, before;

	nk_req_put_valid4(req);
	KUNIT_ASSERT_EQ(test, nk_req_parse(req, &p, true), 0);
	before = p;
	kfree_skb(req->skb);
	req->skb = alloc_skb(256, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, req->skb);
	nla_put_u32(req->skb, NATKEEP_A_INTERVAL_MS, 20);
	KUNIT_ASSERT_EQ(test, nk_req_parse(req, &p, false), 0);
	KUNIT_EXPECT_EQ(test, p.interval_ms, 20U);
	KUNIT_EXPECT_FALSE(test, nk_params_same_schedule(&p, &before));
	p.interval_ms = before.interval_ms;
	KUNIT_EXPECT_EQ(test, memcmp(&p, &before, sizeof(p)), 0);
	nk_params_release(&p);
	nk_req_free(req);
}

/* Each bad request: how it differs from a valid one, the error, the text. */
struct nk_bad_case {
	const char *name;
	void (*mutate)(struct sk_buff *skb);
	bool create;
	int err;
	const char *msg;		/* NULL: the policy's own message */
	int bad_attr;			/* 0: none expected */
};

static void nk_put_interval_low(struct sk_buff *skb)
{
	nla_put_u32(skb, NATKEEP_A_INTERVAL_MS, NATKEEP_INTERVAL_MIN_MS - 1);
}

static void nk_put_interval_high(struct sk_buff *skb)
{
	nla_put_u32(skb, NATKEEP_A_INTERVAL_MS, NATKEEP_INTERVAL_MAX_MS + 1);
}

static void nk_put_family_bad(struct sk_buff *skb)
{
	nla_put_u16(skb, NATKEEP_A_FAMILY, AF_UNIX);
}

static void nk_put_family_v6_with_v4_addrs(struct sk_buff *skb)
{
	struct in6_addr a = IN6ADDR_LOOPBACK_INIT;

	nla_put_u16(skb, NATKEEP_A_FAMILY, AF_INET6);
	nla_put(skb, NATKEEP_A_LOCAL_ADDR, 4, &a);
	nla_put(skb, NATKEEP_A_REMOTE_ADDR, 16, &a);
}

static void nk_put_remote_oversized(struct sk_buff *skb)
{
	u8 big[20] = {};

	nla_put(skb, NATKEEP_A_REMOTE_ADDR, sizeof(big), big);
}

static void nk_put_remote_any(struct sk_buff *skb)
{
	__be32 any = 0;

	nla_put(skb, NATKEEP_A_REMOTE_ADDR, 4, &any);
}

static void nk_put_remote_multicast(struct sk_buff *skb)
{
	__be32 mc = htonl(0xe0000001);

	nla_put(skb, NATKEEP_A_REMOTE_ADDR, 4, &mc);
}

static void nk_put_port_zero(struct sk_buff *skb)
{
	nla_put_u16(skb, NATKEEP_A_LOCAL_PORT, 0);
}

static void nk_put_port_as_u32(struct sk_buff *skb)
{
	nla_put_u32(skb, NATKEEP_A_REMOTE_PORT, 5060);
}

static void nk_put_type_unknown(struct sk_buff *skb)
{
	nla_put_u8(skb, NATKEEP_A_MSG_TYPE, NATKEEP_MSG_MAX + 1);
}

static void nk_put_type_options_alone(struct sk_buff *skb)
{
	nla_put_u8(skb, NATKEEP_A_MSG_TYPE, NATKEEP_MSG_OPTIONS);
}

static void nk_put_type_custom_no_spec(struct sk_buff *skb)
{
	nla_put_u8(skb, NATKEEP_A_MSG_TYPE, NATKEEP_MSG_CUSTOM);
	nla_put_string(skb, NATKEEP_A_SIP_FROM_USER, "alice");
}

static void nk_put_custom_spec_bad(struct sk_buff *skb)
{
	nla_put_string(skb, NATKEEP_A_CUSTOM_SPEC, "mtd=OPTIONS;event=x");
}

static void nk_put_from_user_crlf(struct sk_buff *skb)
{
	nla_put_string(skb, NATKEEP_A_SIP_FROM_USER, "al\r\nice");
}

static void nk_put_host_unterminated(struct sk_buff *skb)
{
	nla_put(skb, NATKEEP_A_SIP_HOST, 4, "host");
}

static void nk_put_user_agent_long(struct sk_buff *skb)
{
	char ua[NK_SIP_TEXT_MAX + 2];

	memset(ua, 'a', sizeof(ua) - 1);
	ua[sizeof(ua) - 1] = '\0';
	nla_put_string(skb, NATKEEP_A_SIP_USER_AGENT, ua);
}

static void nk_put_timeout_over_interval(struct sk_buff *skb)
{
	nla_put_u32(skb, NATKEEP_A_RESPONSE_TIMEOUT_MS, 1001);
}

static void nk_put_miss_limit_zero(struct sk_buff *skb)
{
	nla_put_u8(skb, NATKEEP_A_MISS_LIMIT, 0);
}

static void nk_put_dscp_high(struct sk_buff *skb)
{
	nla_put_u8(skb, NATKEEP_A_DSCP, NATKEEP_DSCP_MAX + 1);
}

static void nk_put_randomize_two(struct sk_buff *skb)
{
	nla_put_u8(skb, NATKEEP_A_RANDOMIZE, 2);
}

/* Raw, so that no padding attribute comes first on 32-bit-aligned arches. */
static void nk_put_read_only_stats(struct sk_buff *skb)
{
	u64 next = 1;

	nla_put(skb, NATKEEP_A_NEXT_SEND_NS, sizeof(next), &next);
}

static void nk_put_unknown_attr(struct sk_buff *skb)
{
	nla_put_u32(skb, NATKEEP_A_MAX + 1, 1);
}

static void nk_put_family_alone(struct sk_buff *skb)
{
	nla_put_u16(skb, NATKEEP_A_FAMILY, AF_INET6);
}

static const struct nk_bad_case nk_bad_cases[] = {
	{ "interval too short", nk_put_interval_low, true, -ERANGE,
	  "interval out of range (10..3600000 ms)", NATKEEP_A_INTERVAL_MS },
	{ "interval too long", nk_put_interval_high, true, -ERANGE,
	  "interval out of range (10..3600000 ms)", NATKEEP_A_INTERVAL_MS },
	{ "family AF_UNIX", nk_put_family_bad, true, -EAFNOSUPPORT,
	  "address family must be AF_INET (2) or AF_INET6 (10)",
	  NATKEEP_A_FAMILY },
	{ "IPv6 family, IPv4 address", nk_put_family_v6_with_v4_addrs, true,
	  -EINVAL,
	  "local address length does not match the address family (4 bytes for AF_INET, 16 for AF_INET6)",
	  NATKEEP_A_LOCAL_ADDR },
	{ "oversized address", nk_put_remote_oversized, true, -EINVAL,
	  "remote address length does not match the address family (4 bytes for AF_INET, 16 for AF_INET6)",
	  NATKEEP_A_REMOTE_ADDR },
	{ "remote unspecified", nk_put_remote_any, true, -EINVAL,
	  "remote address must be a unicast address", NATKEEP_A_REMOTE_ADDR },
	{ "remote multicast", nk_put_remote_multicast, true, -EINVAL,
	  "remote address must be a unicast address", NATKEEP_A_REMOTE_ADDR },
	{ "port 0", nk_put_port_zero, true, -EINVAL, "port must be 1..65535",
	  NATKEEP_A_LOCAL_PORT },
	{ "port of the wrong size", nk_put_port_as_u32, true, -EINVAL, NULL,
	  NATKEEP_A_REMOTE_PORT },
	{ "unknown message type", nk_put_type_unknown, true, -EINVAL,
	  "unknown message type", NATKEEP_A_MSG_TYPE },
	{ "options without a From user", nk_put_type_options_alone, true,
	  -EINVAL, "SIP keep-alives (options, notify, custom) need a From user",
	  NATKEEP_A_MSG_TYPE },
	{ "custom without a spec", nk_put_type_custom_no_spec, true, -EINVAL,
	  "the custom type needs a custom spec", NATKEEP_A_MSG_TYPE },
	{ "custom spec: event with OPTIONS", nk_put_custom_spec_bad, true,
	  -EINVAL, "custom spec: event: only allowed with mtd=NOTIFY",
	  NATKEEP_A_CUSTOM_SPEC },
	{ "From user with CRLF", nk_put_from_user_crlf, true, -EINVAL,
	  "SIP From user: characters a SIP userid may not hold",
	  NATKEEP_A_SIP_FROM_USER },
	{ "string without its NUL", nk_put_host_unterminated, true, -EINVAL,
	  "a string attribute must end with its only NUL", NATKEEP_A_SIP_HOST },
	{ "User-Agent too long", nk_put_user_agent_long, true, -ERANGE,
	  "SIP User-Agent: longer than 128 bytes", NATKEEP_A_SIP_USER_AGENT },
	{ "response timeout over the interval", nk_put_timeout_over_interval,
	  true, -EINVAL, "response timeout longer than the interval",
	  NATKEEP_A_RESPONSE_TIMEOUT_MS },
	{ "miss limit 0", nk_put_miss_limit_zero, true, -ERANGE,
	  "miss limit must be 1..255", NATKEEP_A_MISS_LIMIT },
	{ "DSCP 64", nk_put_dscp_high, true, -ERANGE,
	  "DSCP out of range (0..63)", NATKEEP_A_DSCP },
	{ "randomize 2", nk_put_randomize_two, true, -EINVAL,
	  "randomize must be 0 or 1", NATKEEP_A_RANDOMIZE },
	{ "read-only attribute", nk_put_read_only_stats, true, -EINVAL, NULL,
	  NATKEEP_A_NEXT_SEND_NS },
	{ "unknown attribute", nk_put_unknown_attr, true, -EINVAL, NULL, 0 },
	{ "family change without addresses", nk_put_family_alone, false,
	  -EINVAL,
	  "a new address family needs both the local and the remote address",
	  NATKEEP_A_FAMILY },
};

static void nk_bad_desc(const struct nk_bad_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(nk_bad, nk_bad_cases, nk_bad_desc);

/*
 * The bad attribute is put after a valid request (for a change: alone, on
 * top of the valid flow's parameters); nla_parse() keeps the last of
 * duplicate attributes, as the genetlink core does.
 */
static void nk_test_params_bad(struct kunit *test)
{
	const struct nk_bad_case *c = test->param_value;
	struct nk_req *req = nk_req_new(test);
	struct nk_flow_params p;

	nk_req_put_valid4(req);
	if (!c->create) {
		KUNIT_ASSERT_EQ(test, nk_req_parse(req, &p, true), 0);
		kfree_skb(req->skb);
		req->skb = alloc_skb(256, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, req->skb);
	}
	c->mutate(req->skb);
	KUNIT_EXPECT_EQ(test, nk_req_parse(req, &p, c->create), c->err);
	nk_params_release(&p);
	if (c->msg)
		KUNIT_EXPECT_STREQ(test, req->extack._msg, c->msg);
	else
		KUNIT_EXPECT_NOT_NULL(test, req->extack._msg);
	if (c->bad_attr) {
		KUNIT_ASSERT_NOT_NULL(test, req->extack.bad_attr);
		KUNIT_EXPECT_EQ(test, nla_type(req->extack.bad_attr),
				c->bad_attr);
	}
	nk_req_free(req);
}

static void nk_test_params_missing(struct kunit *test)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(nk_required_attrs); i++) {
		struct nk_req *req = nk_req_new(test);
		struct nk_flow_params p;

		nk_req_put_valid4_but(req, nk_required_attrs[i].type);
		KUNIT_EXPECT_EQ(test, nk_req_parse(req, &p, true), -EINVAL);
		nk_params_release(&p);
		KUNIT_EXPECT_STREQ(test, req->extack._msg,
				   nk_required_attrs[i].missing_msg);
		KUNIT_EXPECT_EQ(test, req->extack.miss_type,
				(u32)nk_required_attrs[i].type);
		nk_req_free(req);
	}
}

static struct kunit_case nk_params_cases[] = {
	KUNIT_CASE(nk_test_params_valid),
	KUNIT_CASE(nk_test_params_round_trip),
	KUNIT_CASE(nk_test_params_round_trip_sip),
	KUNIT_CASE(nk_test_params_change),
	KUNIT_CASE_PARAM(nk_test_params_bad, nk_bad_gen_params),
	KUNIT_CASE(nk_test_params_missing),
	{}
};

static struct kunit_suite nk_params_suite = {
	.name = "natkeep_params",
	.test_cases = nk_params_cases,
};

kunit_test_suites(&nk_schedule_suite, &nk_stats_suite, &nk_payload_suite,
		  &nk_params_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for natkeep");

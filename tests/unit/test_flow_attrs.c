// SPDX-License-Identifier: GPL-2.0
/* Flow attributes: build (nk_flow_put.c), parse (nk_flow_parse.c), and walk. */
#include <arpa/inet.h>
#include <errno.h>
#include <sys/socket.h>

#include "nk_attr_walk.h"
#include "nk_msg.h"
#include "runner.h"
#include "test_util.h"

static char buf[NK_MSG_BUF_LEN];

static void check_same_flow(const struct nk_flow *got, const struct nk_flow *want)
{
	CHECK_INT(got->fields, want->fields);
	CHECK_INT(got->id, want->id);
	CHECK_INT(got->family, want->family);
	CHECK(!memcmp(&got->local_addr, &want->local_addr, nk_addr_len(want->family)));
	CHECK(!memcmp(&got->remote_addr, &want->remote_addr, nk_addr_len(want->family)));
	CHECK_INT(got->local_port, want->local_port);
	CHECK_INT(got->remote_port, want->remote_port);
	CHECK_INT(got->interval_ms, want->interval_ms);
	CHECK_INT(got->randomize, want->randomize);
	CHECK_INT(got->msg_type, want->msg_type);
	CHECK_INT(got->mark, want->mark);
	CHECK_INT(got->dscp, want->dscp);
	CHECK_INT(got->next_send_ns, want->next_send_ns);
	CHECK(!memcmp(&got->stats, &want->stats, sizeof(got->stats)));
}

static void flow_new_round_trip_ipv4(void)
{
	struct nk_flow want, got;
	struct nlmsghdr *nlh;
	char err[128];

	test_flow_config(&want);
	want.fields &= ~NK_FLOW_ID;	/* FLOW_NEW has no id */
	want.id = 0;
	nlh = nk_msg_start(buf, TEST_FAMILY_ID, NLM_F_REQUEST | NLM_F_ACK,
			   NATKEEP_CMD_FLOW_NEW, NATKEEP_GENL_VERSION);
	CHECK_INT(nk_flow_put(nlh, sizeof(buf), &want), 0);
	CHECK_INT(nk_msg_cmd(nlh), NATKEEP_CMD_FLOW_NEW);
	CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), 0);
	check_same_flow(&got, &want);
}

static void flow_get_round_trip_with_stats(void)
{
	struct nk_flow want, got;
	char err[128];

	test_flow_full(&want);
	CHECK_INT(nk_flow_parse(test_reply_for(buf, sizeof(buf), &want), &got,
				err, sizeof(err)), 0);
	check_same_flow(&got, &want);
}

static void round_trip_ipv6_and_no_last_send(void)
{
	struct nk_flow want, got;
	char err[128];

	test_flow_full(&want);
	want.family = AF_INET6;
	inet_pton(AF_INET6, "::", &want.local_addr.v6);
	inet_pton(AF_INET6, "2001:db8::5", &want.remote_addr.v6);
	want.stats.has_last_tx_age = false;
	want.stats.last_tx_age_ns = 0;
	CHECK_INT(nk_flow_parse(test_reply_for(buf, sizeof(buf), &want), &got,
				err, sizeof(err)), 0);
	check_same_flow(&got, &want);
	CHECK(!got.stats.has_last_tx_age);
}

static void puts_only_the_set_fields(void)
{
	struct nk_flow flow = { 0 }, got;
	struct nlmsghdr *nlh;
	char err[128];

	flow.fields = NK_FLOW_ID | NK_FLOW_INTERVAL;
	flow.id = 7;
	flow.interval_ms = 20;
	nlh = nk_msg_start(buf, TEST_FAMILY_ID, 0, NATKEEP_CMD_FLOW_SET, 1);
	CHECK_INT(nk_flow_put(nlh, sizeof(buf), &flow), 0);
	/* genl header + two 8-byte u32 attributes */
	CHECK_INT(nlh->nlmsg_len, MNL_NLMSG_HDRLEN + 4 + 8 + 8);
	CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), 0);
	CHECK_INT(got.fields, NK_FLOW_ID | NK_FLOW_INTERVAL);
	CHECK_INT(got.id, 7);
	CHECK_INT(got.interval_ms, 20);
}

static void put_refuses_address_without_family(void)
{
	struct nk_flow flow = { 0 };
	struct nlmsghdr *nlh = nk_msg_start(buf, TEST_FAMILY_ID, 0, NATKEEP_CMD_FLOW_SET, 1);

	flow.fields = NK_FLOW_ID | NK_FLOW_LOCAL_ADDR;
	CHECK_INT(nk_flow_put(nlh, sizeof(buf), &flow), -EINVAL);
}

static void put_reports_a_full_buffer(void)
{
	struct nk_flow flow;
	char small[40];
	struct nlmsghdr *nlh = nk_msg_start(small, TEST_FAMILY_ID, 0, NATKEEP_CMD_FLOW_NEW, 1);

	test_flow_config(&flow);
	CHECK_INT(nk_flow_put(nlh, sizeof(small), &flow), -EMSGSIZE);
	CHECK(nlh->nlmsg_len <= sizeof(small));
}

static void skips_unknown_and_pad_attributes(void)
{
	struct nk_flow want, got;
	struct nlmsghdr *nlh;
	char err[128];

	test_flow_config(&want);
	nlh = test_reply_for(buf, sizeof(buf), &want);
	mnl_attr_put_u32(nlh, NATKEEP_A_MAX + 5, 0xdeadbeef);	/* a newer module's */
	mnl_attr_put(nlh, NATKEEP_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, 0x7fff, 1);
	CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), 0);
	check_same_flow(&got, &want);
}

/* Appends a raw attribute with a payload of len bytes. */
static void put_raw(struct nlmsghdr *nlh, uint16_t type, size_t len)
{
	static const uint8_t zeros[32];

	mnl_attr_put(nlh, type, len, zeros);
}

static struct nlmsghdr *empty_reply(void)
{
	return nk_msg_start(buf, TEST_FAMILY_ID, 0, NATKEEP_CMD_FLOW_GET, 1);
}

static void rejects_wrong_attribute_lengths(void)
{
	static const struct {
		uint16_t type;
		size_t len;
		const char *message_part;
	} cases[] = {
		{ NATKEEP_A_FLOW_ID, 2, "flow_id" },
		{ NATKEEP_A_FLOW_ID, 8, "flow_id" },
		{ NATKEEP_A_FAMILY, 4, "family" },
		{ NATKEEP_A_LOCAL_PORT, 4, "local_port" },
		{ NATKEEP_A_REMOTE_PORT, 1, "remote_port" },
		{ NATKEEP_A_INTERVAL_MS, 2, "interval_ms" },
		{ NATKEEP_A_RANDOMIZE, 4, "randomize" },
		{ NATKEEP_A_MSG_TYPE, 0, "msg_type" },
		{ NATKEEP_A_MARK, 8, "mark" },
		{ NATKEEP_A_DSCP, 2, "dscp" },
		{ NATKEEP_A_NEXT_SEND_NS, 4, "next_send_ns" },
		{ NATKEEP_A_LOCAL_ADDR, 5, "local_addr" },
		{ NATKEEP_A_REMOTE_ADDR, 0, "remote_addr" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nlmsghdr *nlh = empty_reply();
		struct nk_flow got;
		char err[128] = "";

		put_raw(nlh, cases[i].type, cases[i].len);
		CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), -EBADMSG);
		CHECK_CONTAINS(err, cases[i].message_part);
	}
}

static void rejects_address_of_the_other_family(void)
{
	struct nk_flow flow, got;
	struct nlmsghdr *nlh;
	char err[128];

	test_flow_config(&flow);	/* AF_INET addresses... */
	nlh = test_reply_for(buf, sizeof(buf), &flow);
	/* ... and a later FAMILY attribute saying AF_INET6. */
	mnl_attr_put_u16(nlh, NATKEEP_A_FAMILY, AF_INET6);
	CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), -EBADMSG);
	CHECK_CONTAINS(err, "local_addr has 4 bytes");

	nlh = empty_reply();
	put_raw(nlh, NATKEEP_A_LOCAL_ADDR, 4);
	CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), -EBADMSG);
	CHECK_CONTAINS(err, "family");
}

static void rejects_truncated_attributes(void)
{
	struct nk_flow flow, got;
	struct nlmsghdr *nlh;
	struct nlattr *last;
	char err[128];
	size_t cut;

	test_flow_full(&flow);
	/* Cut the message at every length short of its end: never a crash,
	 * always either a clean parse of fewer attributes or an error. */
	nlh = test_reply_for(buf, sizeof(buf), &flow);
	for (cut = MNL_NLMSG_HDRLEN + 4; cut < nlh->nlmsg_len; cut++) {
		uint32_t full = nlh->nlmsg_len;
		int ret;

		nlh->nlmsg_len = (uint32_t)cut;
		ret = nk_flow_parse(nlh, &got, err, sizeof(err));
		nlh->nlmsg_len = full;
		if (ret != 0 && ret != -EBADMSG)
			test_fail(__FILE__, __LINE__, "cut at %zu: returned %d", cut, ret);
	}

	/* An attribute whose length runs past the message. */
	nlh = empty_reply();
	mnl_attr_put_u32(nlh, NATKEEP_A_FLOW_ID, 3);
	last = (struct nlattr *)((char *)nlh + nlh->nlmsg_len - 8);
	last->nla_len = 12;
	CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), -EBADMSG);

	/* An attribute length below the header size. */
	last->nla_len = 2;
	CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), -EBADMSG);

	/* Two stray bytes after the last attribute. */
	nlh = empty_reply();
	mnl_attr_put_u32(nlh, NATKEEP_A_FLOW_ID, 3);
	nlh->nlmsg_len += 2;
	CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), -EBADMSG);

	/* A message too short for the genl header. */
	nlh = empty_reply();
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
	CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), -EBADMSG);
	CHECK_INT(nk_msg_cmd(nlh), -1);
}

static void rejects_bad_nested_stats(void)
{
	struct nk_flow got;
	struct nlmsghdr *nlh;
	struct nlattr *nest, *inner;
	char err[128];

	/* A stats counter of the wrong size. */
	nlh = empty_reply();
	nest = mnl_attr_nest_start(nlh, NATKEEP_A_STATS);
	mnl_attr_put_u32(nlh, NATKEEP_STATS_TX_PACKETS, 1);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), -EBADMSG);
	CHECK_CONTAINS(err, "stats");

	/* A histogram bucket of the wrong size. */
	nlh = empty_reply();
	nest = mnl_attr_nest_start(nlh, NATKEEP_A_STATS);
	inner = mnl_attr_nest_start(nlh, NATKEEP_STATS_LATENESS);
	mnl_attr_put_u16(nlh, 1, 1);
	mnl_attr_nest_end(nlh, inner);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), -EBADMSG);
	CHECK_CONTAINS(err, "lateness");

	/* A nested attribute running past its nest. */
	nlh = empty_reply();
	nest = mnl_attr_nest_start(nlh, NATKEEP_A_STATS);
	mnl_attr_put_u64(nlh, NATKEEP_STATS_TX_ERRORS, 1);
	mnl_attr_nest_end(nlh, nest);
	((struct nlattr *)mnl_attr_get_payload(nest))->nla_len = 40;
	CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), -EBADMSG);
}

static void histogram_skips_padding_and_future_buckets(void)
{
	struct nk_flow got;
	struct nlmsghdr *nlh = empty_reply();
	struct nlattr *nest, *inner;
	char err[128];

	nest = mnl_attr_nest_start(nlh, NATKEEP_A_STATS);
	inner = mnl_attr_nest_start(nlh, NATKEEP_STATS_LATENESS);
	mnl_attr_put_u64(nlh, 1, 10);
	mnl_attr_put_u64(nlh, NATKEEP_LATENESS_BUCKETS, 20);
	mnl_attr_put_u64(nlh, NATKEEP_LATENESS_BUCKETS + 1, 30);
	/* Alignment padding, as 32-bit kernels put it between the u64s. */
	mnl_attr_put(nlh, NATKEEP_LATENESS_PAD, 0, NULL);
	mnl_attr_nest_end(nlh, inner);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), 0);
	CHECK_INT(got.stats.lateness[0], 10);
	CHECK_INT(got.stats.lateness[NATKEEP_LATENESS_BUCKETS - 1], 20);
	CHECK(nk_flow_has(&got, NK_FLOW_STATS));
}

static int count_attr(const struct nlattr *attr, void *data)
{
	(void)attr;
	(*(int *)data)++;
	return 0;
}

static void walk_visits_each_attribute(void)
{
	struct nk_flow flow;
	int count = 0;

	test_flow_config(&flow);
	CHECK_INT(nk_attr_walk_genl(test_reply_for(buf, sizeof(buf), &flow),
				    count_attr, &count), 0);
	CHECK_INT(count, 11);
	CHECK_INT(nk_attr_walk(buf, 0, count_attr, &count), 0);
}

static const struct test_case cases[] = {
	TEST_CASE(flow_new_round_trip_ipv4),
	TEST_CASE(flow_get_round_trip_with_stats),
	TEST_CASE(round_trip_ipv6_and_no_last_send),
	TEST_CASE(puts_only_the_set_fields),
	TEST_CASE(put_refuses_address_without_family),
	TEST_CASE(put_reports_a_full_buffer),
	TEST_CASE(skips_unknown_and_pad_attributes),
	TEST_CASE(rejects_wrong_attribute_lengths),
	TEST_CASE(rejects_address_of_the_other_family),
	TEST_CASE(rejects_truncated_attributes),
	TEST_CASE(rejects_bad_nested_stats),
	TEST_CASE(histogram_skips_padding_and_future_buckets),
	TEST_CASE(walk_visits_each_attribute),
};
TEST_SUITE(flow_attrs_suite, cases);

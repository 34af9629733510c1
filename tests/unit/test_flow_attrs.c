// SPDX-License-Identifier: GPL-2.0
/* Flow attributes: build (nk_flow_put.c), parse (nk_flow_parse.c), and walk. */
#include <arpa/inet.h>
#include <errno.h>
#include <sys/socket.h>

#include "nk_array.h"
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
	CHECK_STR(got->sip_host, want->sip_host);
	CHECK_STR(got->sip_from_user, want->sip_from_user);
	CHECK_STR(got->sip_from_domain, want->sip_from_domain);
	CHECK_STR(got->sip_user_agent, want->sip_user_agent);
	CHECK_STR(got->custom_spec, want->custom_spec);
	CHECK_INT(got->stun_fingerprint, want->stun_fingerprint);
	CHECK_INT(got->response_timeout_ms, want->response_timeout_ms);
	CHECK_INT(got->miss_limit, want->miss_limit);
	CHECK(!memcmp(&got->mapping, &want->mapping, sizeof(got->mapping)));
	CHECK(!memcmp(&got->old_mapping, &want->old_mapping, sizeof(got->old_mapping)));
	CHECK_INT(got->peer_responsive, want->peer_responsive);
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
		{ NATKEEP_A_STUN_FINGERPRINT, 4, "stun_fingerprint" },
		{ NATKEEP_A_RESPONSE_TIMEOUT_MS, 8, "response_timeout_ms" },
		{ NATKEEP_A_MISS_LIMIT, 2, "miss_limit" },
		{ NATKEEP_A_PEER_RESPONSIVE, 0, "peer_responsive" },
		/* Strings: all zeros is an empty string, no bytes is no string. */
		{ NATKEEP_A_SIP_HOST, 0, "sip_host is not NUL-terminated" },
		{ NATKEEP_A_CUSTOM_SPEC, 0, "custom_spec is not NUL-terminated" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
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
	CHECK(got.stats.has_lateness);
	CHECK(nk_flow_has(&got, NK_FLOW_STATS));
}

/* A STATS_GET reply: the namespace's flows and stats, histogram included. */
static void namespace_stats_parse(void)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest, *inner;
	struct nk_ns_stats ns;
	char err[128];

	nlh = nk_msg_start(buf, TEST_FAMILY_ID, 0, NATKEEP_CMD_STATS_GET, 1);
	mnl_attr_put_u32(nlh, NATKEEP_A_FLOWS, 7);
	nest = mnl_attr_nest_start(nlh, NATKEEP_A_STATS);
	mnl_attr_put_u64(nlh, NATKEEP_STATS_TX_PACKETS, 500);
	mnl_attr_put_u64(nlh, NATKEEP_STATS_TX_ERRORS, 3);
	mnl_attr_put_u64(nlh, NATKEEP_STATS_LATENESS_MAX_NS, 9000);
	inner = mnl_attr_nest_start(nlh, NATKEEP_STATS_LATENESS);
	mnl_attr_put_u64(nlh, 4, 490);
	mnl_attr_put_u64(nlh, 5, 13);
	mnl_attr_nest_end(nlh, inner);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(nk_ns_stats_parse(nlh, &ns, err, sizeof(err)), 0);
	CHECK(ns.has_flows && ns.has_stats && ns.stats.has_lateness);
	CHECK_INT(ns.flows, 7);
	CHECK_INT(ns.stats.tx_packets, 500);
	CHECK_INT(ns.stats.tx_errors, 3);
	CHECK_INT(ns.stats.lateness_max_ns, 9000);
	CHECK_INT(ns.stats.lateness[3], 490);
	CHECK_INT(ns.stats.lateness[4], 13);
	CHECK_INT(ns.stats.lateness[0], 0);

	/* A flow count of the wrong size names the attribute. */
	nlh = nk_msg_start(buf, TEST_FAMILY_ID, 0, NATKEEP_CMD_STATS_GET, 1);
	mnl_attr_put_u16(nlh, NATKEEP_A_FLOWS, 7);
	CHECK_INT(nk_ns_stats_parse(nlh, &ns, err, sizeof(err)), -EBADMSG);
	CHECK_CONTAINS(err, "flows");

	/* A bad bucket inside the stats. */
	nlh = nk_msg_start(buf, TEST_FAMILY_ID, 0, NATKEEP_CMD_STATS_GET, 1);
	nest = mnl_attr_nest_start(nlh, NATKEEP_A_STATS);
	inner = mnl_attr_nest_start(nlh, NATKEEP_STATS_LATENESS);
	mnl_attr_put_u32(nlh, 2, 1);
	mnl_attr_nest_end(nlh, inner);
	mnl_attr_nest_end(nlh, nest);
	CHECK_INT(nk_ns_stats_parse(nlh, &ns, err, sizeof(err)), -EBADMSG);
	CHECK_CONTAINS(err, "lateness");
}

static void sip_flow_round_trip(void)
{
	struct nk_flow want, got;
	struct nlmsghdr *nlh;
	char err[128];

	/* FLOW_NEW: the request fields only. */
	test_flow_sip(&want);
	want.fields &= NK_FLOW_CHANGEABLE;
	want.fields &= ~(uint32_t)NK_FLOW_ID;
	want.id = 0;
	want.next_send_ns = 0;
	memset(&want.stats, 0, sizeof(want.stats));
	memset(&want.mapping, 0, sizeof(want.mapping));
	want.peer_responsive = false;
	want.msg_type = NATKEEP_MSG_CUSTOM;
	strcpy(want.custom_spec, "mtd=NOTIFY;event=check-sync;user=bob");
	nlh = nk_msg_start(buf, TEST_FAMILY_ID, NLM_F_REQUEST | NLM_F_ACK,
			   NATKEEP_CMD_FLOW_NEW, NATKEEP_GENL_VERSION);
	CHECK_INT(nk_flow_put(nlh, sizeof(buf), &want), 0);
	CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), 0);
	check_same_flow(&got, &want);
	/* Flows to not fit in a small buffer any more. */
	CHECK(nlh->nlmsg_len < 1200);
}

static void sip_reply_with_mapping_peer_and_new_stats(void)
{
	struct nk_flow want, got;
	char err[128];

	test_flow_sip(&want);
	CHECK_INT(nk_flow_parse(test_reply_for(buf, sizeof(buf), &want), &got,
				err, sizeof(err)), 0);
	CHECK_STR(err, "");
	check_same_flow(&got, &want);
	CHECK(got.stats.has_rtt_last);
	CHECK_INT(got.stats.rtt_smoothed_ns, 1440000);
	CHECK_INT(got.stats.misses, 1);
	CHECK_INT(got.mapping.port, 40123);
}

static void rtts_absent_before_the_first_response(void)
{
	struct nk_flow want, got;
	char err[128];

	test_flow_sip(&want);
	want.stats.has_rtt_last = want.stats.has_rtt_smoothed = false;
	want.stats.rtt_last_ns = want.stats.rtt_smoothed_ns = 0;
	want.fields &= ~(uint32_t)NK_FLOW_MAPPING;
	memset(&want.mapping, 0, sizeof(want.mapping));
	CHECK_INT(nk_flow_parse(test_reply_for(buf, sizeof(buf), &want), &got,
				err, sizeof(err)), 0);
	check_same_flow(&got, &want);
	CHECK(!got.stats.has_rtt_last);
	CHECK(!got.stats.has_rtt_smoothed);
	CHECK(!nk_flow_has(&got, NK_FLOW_MAPPING));
}

static void events_parse_as_flows_with_their_attributes(void)
{
	struct nk_flow want, got;
	struct nlmsghdr *nlh;
	char err[128];

	/* MAPPING_CHANGED: a flow (no stats, no next send), mapping, old one. */
	test_flow_sip(&want);
	want.fields &= ~(uint32_t)(NK_FLOW_STATS | NK_FLOW_NEXT_SEND);
	want.next_send_ns = 0;
	memset(&want.stats, 0, sizeof(want.stats));
	want.fields |= NK_FLOW_OLD_MAPPING;
	want.old_mapping.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::7", &want.old_mapping.addr.v6);
	want.old_mapping.port = 5060;
	want.old_mapping.source = NATKEEP_MAPPING_SRC_STUN;
	nlh = test_message_for(buf, sizeof(buf), NATKEEP_CMD_MAPPING_CHANGED, &want);
	CHECK_INT(nk_msg_cmd(nlh), NATKEEP_CMD_MAPPING_CHANGED);
	CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), 0);
	check_same_flow(&got, &want);

	/* PEER_UNRESPONSIVE: the same flow, no longer responsive. */
	want.fields &= ~(uint32_t)NK_FLOW_OLD_MAPPING;
	memset(&want.old_mapping, 0, sizeof(want.old_mapping));
	want.peer_responsive = false;
	nlh = test_message_for(buf, sizeof(buf), NATKEEP_CMD_PEER_UNRESPONSIVE, &want);
	CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), 0);
	check_same_flow(&got, &want);
	CHECK(nk_flow_has(&got, NK_FLOW_PEER_RESPONSIVE));
	CHECK(!got.peer_responsive);
}

static void strings_stop_at_their_nul(void)
{
	static const char host[] = "sip.example.com\0garbage";
	struct nlmsghdr *nlh = empty_reply();
	struct nk_flow got;
	char err[128];

	mnl_attr_put(nlh, NATKEEP_A_SIP_HOST, sizeof(host), host);
	mnl_attr_put_strz(nlh, NATKEEP_A_SIP_USER_AGENT, "");
	CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), 0);
	CHECK_STR(got.sip_host, "sip.example.com");
	CHECK_STR(got.sip_user_agent, "");
	CHECK(nk_flow_has(&got, NK_FLOW_SIP_HOST | NK_FLOW_SIP_USER_AGENT));
}

static void rejects_bad_strings(void)
{
	char longest[NK_SIP_USER_MAX + 2], longer[NK_SIP_HOST_MAX + 2];
	static const struct {
		uint16_t type;
		const char *value;	/* NULL: the long one */
		const char *message;
	} cases[] = {
		{ NATKEEP_A_SIP_FROM_USER, NULL,
		  "attribute sip_from_user is too long (65 bytes, at most 64)" },
		{ NATKEEP_A_SIP_HOST, NULL,
		  "attribute sip_host is too long (256 bytes, at most 255)" },
		{ NATKEEP_A_SIP_HOST, "bad host", "attribute sip_host is not a valid host" },
		{ NATKEEP_A_SIP_FROM_DOMAIN, "a\r\nb", "attribute sip_from_domain is not a valid host" },
		{ NATKEEP_A_SIP_FROM_USER, "a b", "attribute sip_from_user is not a valid user" },
		{ NATKEEP_A_SIP_USER_AGENT, "x\ry", "attribute sip_user_agent is not a valid text" },
		{ NATKEEP_A_CUSTOM_SPEC, "mtd=OPTIONS;event=x",
		  "attribute custom_spec: custom spec: event: only allowed with mtd=NOTIFY" },
		{ NATKEEP_A_CUSTOM_SPEC, "event=x", "attribute custom_spec: custom spec: mtd" },
	};
	size_t i;

	memset(longest, 'u', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	memset(longer, 'h', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct nlmsghdr *nlh = empty_reply();
		const char *value = cases[i].value;
		struct nk_flow got;
		char err[128] = "";

		if (!value)
			value = cases[i].type == NATKEEP_A_SIP_HOST ? longer : longest;
		mnl_attr_put_strz(nlh, cases[i].type, value);
		CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), -EBADMSG);
		CHECK_CONTAINS(err, cases[i].message);
	}
}

/* Appends a mapping nest of the given parts; addr_len 0 leaves it out. */
static void put_mapping_parts(struct nlmsghdr *nlh, uint16_t type, int family,
			      size_t addr_len, bool port, size_t family_len)
{
	static const uint8_t addr[16] = { 203, 0, 113, 7 };
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	if (family_len == 2)
		mnl_attr_put_u16(nlh, NATKEEP_MAPPING_FAMILY, (uint16_t)family);
	else if (family_len)
		mnl_attr_put_u32(nlh, NATKEEP_MAPPING_FAMILY, (uint32_t)family);
	if (addr_len)
		mnl_attr_put(nlh, NATKEEP_MAPPING_ADDR, addr_len, addr);
	if (port)
		mnl_attr_put_u16(nlh, NATKEEP_MAPPING_PORT, 40123);
	mnl_attr_put_u8(nlh, NATKEEP_MAPPING_SOURCE, NATKEEP_MAPPING_SRC_STUN);
	mnl_attr_put_u32(nlh, NATKEEP_MAPPING_MAX + 1, 7);	/* a newer module's */
	mnl_attr_nest_end(nlh, nest);
}

static void mappings_are_checked(void)
{
	static const struct {
		uint16_t type;
		int family;
		size_t addr_len, family_len;
		bool port;
		const char *message;	/* NULL: accepted */
	} cases[] = {
		{ NATKEEP_A_MAPPING, AF_INET, 4, 2, true, NULL },
		{ NATKEEP_A_OLD_MAPPING, AF_INET6, 16, 2, true, NULL },
		{ NATKEEP_A_MAPPING, AF_INET, 16, 2, true,
		  "attribute mapping addr has 16 bytes, family 2 needs 4" },
		{ NATKEEP_A_OLD_MAPPING, AF_INET, 0, 2, true, "attribute old_mapping without its addr" },
		{ NATKEEP_A_MAPPING, AF_INET, 4, 0, true, "attribute mapping without its family" },
		{ NATKEEP_A_MAPPING, AF_INET, 4, 2, false, "attribute mapping without its port" },
		{ NATKEEP_A_MAPPING, 99, 4, 2, true, "attribute mapping has an unknown family (99)" },
		{ NATKEEP_A_MAPPING, AF_INET, 4, 4, true, "attribute mapping family has length 4" },
		{ NATKEEP_A_MAPPING, AF_INET, 5, 2, true, "attribute mapping addr has length 5" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct nlmsghdr *nlh = empty_reply();
		struct nk_flow got;
		char err[128] = "";
		int ret;

		put_mapping_parts(nlh, cases[i].type, cases[i].family, cases[i].addr_len,
				  cases[i].port, cases[i].family_len);
		ret = nk_flow_parse(nlh, &got, err, sizeof(err));
		if (!cases[i].message) {
			const struct nk_mapping *m = cases[i].type == NATKEEP_A_MAPPING ?
						     &got.mapping : &got.old_mapping;

			CHECK_INT(ret, 0);
			CHECK_STR(err, "");
			CHECK_INT(m->family, cases[i].family);
			CHECK_INT(m->port, 40123);
			CHECK_INT(m->source, NATKEEP_MAPPING_SRC_STUN);
			CHECK_INT(m->addr.bytes[0], 203);
			continue;
		}
		CHECK_INT(ret, -EBADMSG);
		CHECK_CONTAINS(err, cases[i].message);
	}
}

static void rejects_bad_new_stats(void)
{
	static const struct {
		uint16_t type;
		bool wide;	/* u64 where a u32 belongs, or the other way */
	} cases[] = {
		{ NATKEEP_STATS_MISSES, true },
		{ NATKEEP_STATS_RX_RESPONSES, false },
		{ NATKEEP_STATS_RTT_LAST_NS, false },
		{ NATKEEP_STATS_RTT_SMOOTHED_NS, false },
		{ NATKEEP_STATS_MISSES_TOTAL, false },
		{ NATKEEP_STATS_MAPPING_CHANGES, false },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct nlmsghdr *nlh = empty_reply();
		struct nlattr *nest = mnl_attr_nest_start(nlh, NATKEEP_A_STATS);
		struct nk_flow got;
		char err[128] = "";

		if (cases[i].wide)
			mnl_attr_put_u64(nlh, cases[i].type, 1);
		else
			mnl_attr_put_u32(nlh, cases[i].type, 1);
		mnl_attr_nest_end(nlh, nest);
		CHECK_INT(nk_flow_parse(nlh, &got, err, sizeof(err)), -EBADMSG);
		CHECK_CONTAINS(err, "of stats has length");
	}
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
	TEST_CASE(namespace_stats_parse),
	TEST_CASE(walk_visits_each_attribute),
	TEST_CASE(sip_flow_round_trip),
	TEST_CASE(sip_reply_with_mapping_peer_and_new_stats),
	TEST_CASE(rtts_absent_before_the_first_response),
	TEST_CASE(events_parse_as_flows_with_their_attributes),
	TEST_CASE(strings_stop_at_their_nul),
	TEST_CASE(rejects_bad_strings),
	TEST_CASE(mappings_are_checked),
	TEST_CASE(rejects_bad_new_stats),
};
TEST_SUITE(flow_attrs_suite, cases);

// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "nk_msg.h"
#include "test_util.h"

void test_flow_config(struct nk_flow *flow)
{
	memset(flow, 0, sizeof(*flow));
	flow->fields = NK_FLOW_ID | NK_FLOW_FAMILY | NK_FLOW_LOCAL_ADDR |
		       NK_FLOW_LOCAL_PORT | NK_FLOW_REMOTE_ADDR | NK_FLOW_REMOTE_PORT |
		       NK_FLOW_INTERVAL | NK_FLOW_RANDOMIZE | NK_FLOW_MSG_TYPE |
		       NK_FLOW_MARK | NK_FLOW_DSCP;
	flow->id = 3;
	flow->family = AF_INET;
	inet_pton(AF_INET, "10.0.0.2", &flow->local_addr.v4);
	flow->local_port = 5060;
	inet_pton(AF_INET, "10.0.1.1", &flow->remote_addr.v4);
	flow->remote_port = 5060;
	flow->interval_ms = 1000;
	flow->randomize = true;
	flow->msg_type = NATKEEP_MSG_KEEPALIVE;
	flow->mark = 0x10;
	flow->dscp = 46;
}

void test_flow_full(struct nk_flow *flow)
{
	test_flow_config(flow);
	flow->fields |= NK_FLOW_NEXT_SEND | NK_FLOW_STATS;
	flow->next_send_ns = 470000000;
	flow->stats.tx_packets = 120;
	flow->stats.tx_errors = 2;
	flow->stats.has_last_tx_age = true;
	flow->stats.last_tx_age_ns = 530000000;
	flow->stats.lateness_max_ns = 3100;
}

void test_ns_stats(struct nk_ns_stats *ns)
{
	memset(ns, 0, sizeof(*ns));
	ns->has_flows = ns->has_stats = true;
	ns->flows = 2;
	ns->stats.tx_packets = 120;
	ns->stats.tx_errors = 1;
	ns->stats.lateness_max_ns = 3100;
	ns->stats.has_lateness = true;
	ns->stats.lateness[0] = 100;
	ns->stats.lateness[1] = 15;
	ns->stats.lateness[2] = 5;
	ns->stats.lateness[NATKEEP_LATENESS_BUCKETS - 1] = 1;
}

void test_flow_sip(struct nk_flow *flow)
{
	test_flow_full(flow);
	flow->fields |= NK_FLOW_SIP_HOST | NK_FLOW_SIP_FROM_USER | NK_FLOW_SIP_FROM_DOMAIN |
			NK_FLOW_SIP_USER_AGENT | NK_FLOW_CUSTOM_SPEC |
			NK_FLOW_STUN_FINGERPRINT | NK_FLOW_RESPONSE_TIMEOUT |
			NK_FLOW_MISS_LIMIT | NK_FLOW_MAPPING | NK_FLOW_PEER_RESPONSIVE;
	flow->id = 5;
	inet_pton(AF_INET, "192.0.2.10", &flow->remote_addr.v4);
	flow->interval_ms = 25000;
	flow->randomize = false;
	flow->mark = 0;
	flow->dscp = 0;
	flow->msg_type = NATKEEP_MSG_OPTIONS;
	strcpy(flow->sip_host, "registrar.example.com");
	strcpy(flow->sip_from_user, "1001");
	strcpy(flow->sip_from_domain, "example.com");
	strcpy(flow->sip_user_agent, "natkeep \"1.0\"");
	flow->response_timeout_ms = 1500;
	flow->miss_limit = 4;
	flow->mapping.family = AF_INET;
	inet_pton(AF_INET, "203.0.113.7", &flow->mapping.addr.v4);
	flow->mapping.port = 40123;
	flow->mapping.source = NATKEEP_MAPPING_SRC_VIA;
	flow->peer_responsive = true;
	flow->stats.lateness_max_ns = 0;
	flow->stats.rx_responses = 57;
	flow->stats.has_rtt_last = true;
	flow->stats.rtt_last_ns = 1200000;
	flow->stats.has_rtt_smoothed = true;
	flow->stats.rtt_smoothed_ns = 1440000;
	flow->stats.misses = 1;
	flow->stats.misses_total = 6;
	flow->stats.mapping_changes = 2;
}

static void put_mapping(struct nlmsghdr *nlh, uint16_t type, const struct nk_mapping *m)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	mnl_attr_put_u16(nlh, NATKEEP_MAPPING_FAMILY, m->family);
	mnl_attr_put(nlh, NATKEEP_MAPPING_ADDR, nk_addr_len(m->family), m->addr.bytes);
	mnl_attr_put_u16(nlh, NATKEEP_MAPPING_PORT, m->port);
	mnl_attr_put_u8(nlh, NATKEEP_MAPPING_SOURCE, m->source);
	mnl_attr_nest_end(nlh, nest);
}

struct nlmsghdr *test_message_for(void *buf, size_t len, uint8_t cmd,
				  const struct nk_flow *flow)
{
	struct nlmsghdr *nlh = nk_msg_start(buf, TEST_FAMILY_ID, 0, cmd,
					    NATKEEP_GENL_VERSION);
	const struct nk_flow_stats *st = &flow->stats;
	struct nlattr *stats, *hist;
	unsigned int b;

	nk_flow_put(nlh, len, flow);
	if (nk_flow_has(flow, NK_FLOW_NEXT_SEND))
		mnl_attr_put_u64(nlh, NATKEEP_A_NEXT_SEND_NS, flow->next_send_ns);
	if (nk_flow_has(flow, NK_FLOW_MAPPING))
		put_mapping(nlh, NATKEEP_A_MAPPING, &flow->mapping);
	if (nk_flow_has(flow, NK_FLOW_OLD_MAPPING))
		put_mapping(nlh, NATKEEP_A_OLD_MAPPING, &flow->old_mapping);
	if (nk_flow_has(flow, NK_FLOW_PEER_RESPONSIVE))
		mnl_attr_put_u8(nlh, NATKEEP_A_PEER_RESPONSIVE, flow->peer_responsive);
	if (!nk_flow_has(flow, NK_FLOW_STATS))
		return nlh;
	stats = mnl_attr_nest_start(nlh, NATKEEP_A_STATS);
	mnl_attr_put_u64(nlh, NATKEEP_STATS_TX_PACKETS, st->tx_packets);
	mnl_attr_put_u64(nlh, NATKEEP_STATS_TX_ERRORS, st->tx_errors);
	if (st->has_last_tx_age)
		mnl_attr_put_u64(nlh, NATKEEP_STATS_LAST_TX_AGE_NS, st->last_tx_age_ns);
	mnl_attr_put_u64(nlh, NATKEEP_STATS_LATENESS_MAX_NS, st->lateness_max_ns);
	if (st->has_lateness) {
		hist = mnl_attr_nest_start(nlh, NATKEEP_STATS_LATENESS);
		for (b = 0; b < NATKEEP_LATENESS_BUCKETS; b++)
			if (st->lateness[b])
				mnl_attr_put_u64(nlh, (uint16_t)(b + 1), st->lateness[b]);
		mnl_attr_nest_end(nlh, hist);
	}
	mnl_attr_put_u64(nlh, NATKEEP_STATS_RX_RESPONSES, st->rx_responses);
	if (st->has_rtt_last)
		mnl_attr_put_u64(nlh, NATKEEP_STATS_RTT_LAST_NS, st->rtt_last_ns);
	if (st->has_rtt_smoothed)
		mnl_attr_put_u64(nlh, NATKEEP_STATS_RTT_SMOOTHED_NS, st->rtt_smoothed_ns);
	mnl_attr_put_u32(nlh, NATKEEP_STATS_MISSES, st->misses);
	mnl_attr_put_u64(nlh, NATKEEP_STATS_MISSES_TOTAL, st->misses_total);
	mnl_attr_put_u64(nlh, NATKEEP_STATS_MAPPING_CHANGES, st->mapping_changes);
	mnl_attr_nest_end(nlh, stats);
	return nlh;
}

struct nlmsghdr *test_reply_for(void *buf, size_t len, const struct nk_flow *flow)
{
	return test_message_for(buf, len, NATKEEP_CMD_FLOW_GET, flow);
}

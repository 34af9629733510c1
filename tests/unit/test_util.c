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
	flow->stats.lateness[0] = 100;
	flow->stats.lateness[1] = 15;
	flow->stats.lateness[2] = 5;
	flow->stats.lateness[NATKEEP_LATENESS_BUCKETS - 1] = 1;
}

struct nlmsghdr *test_reply_for(void *buf, size_t len, const struct nk_flow *flow)
{
	struct nlmsghdr *nlh = nk_msg_start(buf, TEST_FAMILY_ID, 0,
					    NATKEEP_CMD_FLOW_GET, NATKEEP_GENL_VERSION);
	struct nlattr *stats, *hist;
	unsigned int b;

	nk_flow_put(nlh, len, flow);
	if (nk_flow_has(flow, NK_FLOW_NEXT_SEND))
		mnl_attr_put_u64(nlh, NATKEEP_A_NEXT_SEND_NS, flow->next_send_ns);
	if (!nk_flow_has(flow, NK_FLOW_STATS))
		return nlh;
	stats = mnl_attr_nest_start(nlh, NATKEEP_A_STATS);
	mnl_attr_put_u64(nlh, NATKEEP_STATS_TX_PACKETS, flow->stats.tx_packets);
	mnl_attr_put_u64(nlh, NATKEEP_STATS_TX_ERRORS, flow->stats.tx_errors);
	if (flow->stats.has_last_tx_age)
		mnl_attr_put_u64(nlh, NATKEEP_STATS_LAST_TX_AGE_NS, flow->stats.last_tx_age_ns);
	mnl_attr_put_u64(nlh, NATKEEP_STATS_LATENESS_MAX_NS, flow->stats.lateness_max_ns);
	hist = mnl_attr_nest_start(nlh, NATKEEP_STATS_LATENESS);
	for (b = 0; b < NATKEEP_LATENESS_BUCKETS; b++)
		if (flow->stats.lateness[b])
			mnl_attr_put_u64(nlh, (uint16_t)(b + 1), flow->stats.lateness[b]);
	mnl_attr_nest_end(nlh, hist);
	mnl_attr_nest_end(nlh, stats);
	return nlh;
}

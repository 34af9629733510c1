/* SPDX-License-Identifier: GPL-2.0 */
/* Flows and messages shared by several test files. */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include "nk_flow.h"

#define TEST_FAMILY_ID 0x1d

/* flow 3 10.0.0.2:5060 -> 10.0.1.1:5060, keep-alive every 1000 ms, random,
 * mark 0x10, dscp 46 (only the request fields). */
void test_flow_config(struct nk_flow *flow);

/* test_flow_config plus next send and stats, as FLOW_GET returns it. */
void test_flow_full(struct nk_flow *flow);

/* A namespace's STATS_GET: 2 flows, 120 sent, 1 error, a histogram. */
void test_ns_stats(struct nk_ns_stats *ns);

/*
 * flow 5 10.0.0.2:5060 -> 192.0.2.10:5060, OPTIONS every 25000 ms as
 * 1001@example.com to registrar.example.com with a User-Agent, timeout
 * 1500 ms, 4 misses; mapping 203.0.113.7:40123 from Via, peer responsive,
 * next send and stats with RTTs (as FLOW_GET returns it).
 */
void test_flow_sip(struct nk_flow *flow);

/*
 * A FLOW_GET-style reply for flow (its request fields, next send, stats,
 * mappings, peer_responsive), or a message of command cmd with
 * test_message_for.
 */
struct nlmsghdr *test_reply_for(void *buf, size_t len, const struct nk_flow *flow);
struct nlmsghdr *test_message_for(void *buf, size_t len, uint8_t cmd,
				  const struct nk_flow *flow);

#endif

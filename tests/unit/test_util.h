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

/* A FLOW_GET-style reply for flow (its request fields, next send, stats). */
struct nlmsghdr *test_reply_for(void *buf, size_t len, const struct nk_flow *flow);

#endif

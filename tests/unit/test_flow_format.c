// SPDX-License-Identifier: GPL-2.0
/* Text and JSON output of a flow (natkeepctl/flow_text.c, flow_json.c). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "flow_format.h"
#include "runner.h"
#include "test_util.h"

static char *text_of(const struct nk_flow *flow, const char *prefix)
{
	struct capture cap;

	capture_start(&cap);
	nkctl_flow_print_text(cap.out, flow, prefix);
	return capture_end(&cap);
}

static char *json_of(const struct nk_flow *flow, const char *event, bool pretty)
{
	struct json_writer jw;
	struct capture cap;

	capture_start(&cap);
	json_writer_init(&jw, cap.out, pretty);
	nkctl_flow_print_json(&jw, flow, event);
	return capture_end(&cap);
}

static void text_of_a_full_flow(void)
{
	struct nk_flow flow;
	char *text;

	test_flow_full(&flow);
	text = text_of(&flow, NULL);
	CHECK_STR(text,
		  "flow 3 local 10.0.0.2:5060 remote 10.0.1.1:5060 type keep-alive"
		  " interval 1000ms random mark 0x10 dscp 46\n"
		  "    sent 120 errors 2 last 0.53s ago next in 0.47s\n"
		  "    lateness <1us:100 1us-2us:15 2us-4.1us:5 >=4.3s:1 max 3.1us\n");
	free(text);
}

static void text_leaves_out_defaults_and_empty_histogram(void)
{
	struct nk_flow flow;
	char *text;

	test_flow_full(&flow);
	flow.family = AF_INET6;
	inet_pton(AF_INET6, "::", &flow.local_addr.v6);
	inet_pton(AF_INET6, "2001:db8::5", &flow.remote_addr.v6);
	flow.randomize = false;
	flow.mark = 0;
	flow.dscp = 0;
	flow.msg_type = NATKEEP_MSG_STUN;
	flow.stats = (struct nk_flow_stats){ 0 };
	flow.next_send_ns = 20000000;
	text = text_of(&flow, NULL);
	CHECK_STR(text,
		  "flow 3 local [::]:5060 remote [2001:db8::5]:5060 type stun interval 1000ms\n"
		  "    sent 0 errors 0 last never next in 0.02s\n");
	free(text);
}

static void text_of_events(void)
{
	struct nk_flow flow = { 0 };
	char *text;

	test_flow_config(&flow);
	flow.msg_type = 99;	/* from a newer module */
	text = text_of(&flow, "new ");
	CHECK_STR(text,
		  "new flow 3 local 10.0.0.2:5060 remote 10.0.1.1:5060 type 99"
		  " interval 1000ms random mark 0x10 dscp 46\n");
	free(text);

	flow = (struct nk_flow){ .fields = NK_FLOW_ID, .id = 9 };
	text = text_of(&flow, "del ");
	CHECK_STR(text, "del flow 9\n");
	free(text);
}

static void json_of_a_full_flow(void)
{
	struct nk_flow flow;
	char *text;

	test_flow_full(&flow);
	text = json_of(&flow, NULL, false);
	CHECK_STR(text,
		  "{\"id\":3,\"family\":\"inet\","
		  "\"local\":\"10.0.0.2:5060\",\"local_addr\":\"10.0.0.2\",\"local_port\":5060,"
		  "\"remote\":\"10.0.1.1:5060\",\"remote_addr\":\"10.0.1.1\",\"remote_port\":5060,"
		  "\"interval_ms\":1000,\"random\":true,\"type\":\"keep-alive\","
		  "\"mark\":16,\"dscp\":46,\"next_send_ns\":470000000,"
		  "\"stats\":{\"tx_packets\":120,\"tx_errors\":2,\"last_tx_age_ns\":530000000,"
		  "\"lateness_max_ns\":3100,\"lateness\":["
		  "{\"lower_ns\":0,\"upper_ns\":1024,\"count\":100},"
		  "{\"lower_ns\":1024,\"upper_ns\":2048,\"count\":15},"
		  "{\"lower_ns\":2048,\"upper_ns\":4096,\"count\":5},"
		  "{\"lower_ns\":4294967296,\"upper_ns\":null,\"count\":1}]}}");
	free(text);
}

static void json_event_ipv6_pretty(void)
{
	struct nk_flow flow;
	char *text;

	test_flow_config(&flow);
	flow.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::2", &flow.local_addr.v6);
	inet_pton(AF_INET6, "2001:db8::5", &flow.remote_addr.v6);
	flow.fields &= ~(uint32_t)(NK_FLOW_MARK | NK_FLOW_RANDOMIZE);
	flow.randomize = false;
	flow.mark = 0;
	text = json_of(&flow, "set", true);
	CHECK_STR(text,
		  "{\n"
		  "    \"event\": \"set\",\n"
		  "    \"id\": 3,\n"
		  "    \"family\": \"inet6\",\n"
		  "    \"local\": \"[2001:db8::2]:5060\",\n"
		  "    \"local_addr\": \"2001:db8::2\",\n"
		  "    \"local_port\": 5060,\n"
		  "    \"remote\": \"[2001:db8::5]:5060\",\n"
		  "    \"remote_addr\": \"2001:db8::5\",\n"
		  "    \"remote_port\": 5060,\n"
		  "    \"interval_ms\": 1000,\n"
		  "    \"random\": false,\n"
		  "    \"type\": \"keep-alive\",\n"
		  "    \"mark\": 0,\n"
		  "    \"dscp\": 46\n"
		  "}");
	free(text);
}

static void json_without_sends(void)
{
	struct nk_flow flow = { 0 };
	char *text;

	flow.fields = NK_FLOW_ID | NK_FLOW_STATS;
	flow.id = 1;
	text = json_of(&flow, "del", false);
	CHECK_STR(text,
		  "{\"event\":\"del\",\"id\":1,\"stats\":{\"tx_packets\":0,\"tx_errors\":0,"
		  "\"last_tx_age_ns\":null,\"lateness_max_ns\":0,\"lateness\":[]}}");
	free(text);
}

static const struct test_case cases[] = {
	TEST_CASE(text_of_a_full_flow),
	TEST_CASE(text_leaves_out_defaults_and_empty_histogram),
	TEST_CASE(text_of_events),
	TEST_CASE(json_of_a_full_flow),
	TEST_CASE(json_event_ipv6_pretty),
	TEST_CASE(json_without_sends),
};
TEST_SUITE(flow_format_suite, cases);

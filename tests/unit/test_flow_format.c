// SPDX-License-Identifier: GPL-2.0
/* Text and JSON output of a flow (natkeepctl/flow_text.c, flow_json.c). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "event_format.h"
#include "flow_format.h"
#include "lateness_format.h"
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
		  "    lateness max 3.1us\n");
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
		  "\"mark\":16,\"dscp\":46,\"host\":\"\",\"from_user\":\"\",\"from_domain\":\"\","
		  "\"user_agent\":\"\",\"spec\":\"\",\"fingerprint\":false,"
		  "\"next_send_ns\":470000000,\"mapping\":null,\"peer_responsive\":null,"
		  "\"stats\":{\"tx_packets\":120,\"tx_errors\":2,\"last_tx_age_ns\":530000000,"
		  "\"rx_responses\":0,\"rtt_last_ns\":null,\"rtt_smoothed_ns\":null,"
		  "\"misses\":0,\"misses_total\":0,\"mapping_changes\":0,"
		  "\"lateness_max_ns\":3100}}");
	free(text);
}

static char *ns_text_of(const struct nk_flow_stats *stats)
{
	struct capture cap;

	capture_start(&cap);
	nkctl_lateness_print_text(cap.out, stats);
	return capture_end(&cap);
}

/* The lateness keys alone, in an object. */
static char *ns_json_of(const struct nk_flow_stats *stats)
{
	struct json_writer jw;
	struct capture cap;

	capture_start(&cap);
	json_writer_init(&jw, cap.out, false);
	json_object_start(&jw);
	nkctl_lateness_print_json(&jw, stats);
	json_object_end(&jw);
	return capture_end(&cap);
}

static void lateness_of_a_namespace(void)
{
	struct nk_ns_stats ns;
	char *text;

	test_ns_stats(&ns);
	text = ns_text_of(&ns.stats);
	CHECK_STR(text, "    lateness <1us:100 1us-2us:15 2us-4.1us:5 >=4.3s:1 max 3.1us\n");
	free(text);

	text = ns_json_of(&ns.stats);
	CHECK_STR(text,
		  "{\"lateness_max_ns\":3100,\"lateness\":["
		  "{\"lower_ns\":0,\"upper_ns\":1024,\"count\":100},"
		  "{\"lower_ns\":1024,\"upper_ns\":2048,\"count\":15},"
		  "{\"lower_ns\":2048,\"upper_ns\":4096,\"count\":5},"
		  "{\"lower_ns\":4294967296,\"upper_ns\":null,\"count\":1}]}");
	free(text);

	/* Before any send: no line; an empty histogram is still a key. */
	ns.stats = (struct nk_flow_stats){ .has_lateness = true };
	text = ns_text_of(&ns.stats);
	CHECK_STR(text, "");
	free(text);
	text = ns_json_of(&ns.stats);
	CHECK_STR(text, "{\"lateness_max_ns\":0,\"lateness\":[]}");
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
		  "    \"dscp\": 46,\n"
		  "    \"host\": \"\",\n"
		  "    \"from_user\": \"\",\n"
		  "    \"from_domain\": \"\",\n"
		  "    \"user_agent\": \"\",\n"
		  "    \"spec\": \"\",\n"
		  "    \"fingerprint\": false,\n"
		  "    \"mapping\": null,\n"
		  "    \"peer_responsive\": null\n"
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
		  "\"last_tx_age_ns\":null,\"rx_responses\":0,\"rtt_last_ns\":null,"
		  "\"rtt_smoothed_ns\":null,\"misses\":0,\"misses_total\":0,"
		  "\"mapping_changes\":0,\"lateness_max_ns\":0}}");
	free(text);
}

static void text_of_a_sip_flow(void)
{
	struct nk_flow flow;
	char *text;

	test_flow_sip(&flow);
	text = text_of(&flow, NULL);
	CHECK_STR(text,
		  "flow 5 local 10.0.0.2:5060 remote 192.0.2.10:5060 type options"
		  " interval 25000ms host registrar.example.com from 1001@example.com"
		  " ua \"natkeep \\\"1.0\\\"\" timeout 1500ms misses 4\n"
		  "    sent 120 errors 2 last 0.53s ago next in 0.47s\n"
		  "    mapping 203.0.113.7:40123 (via) changes 2\n"
		  "    peer responsive rtt 1.2ms srtt 1.4ms responses 57 misses 1/4 (total 6)\n");
	free(text);
}

static void text_of_stun_and_custom_flows(void)
{
	struct nk_flow flow;
	char *text;

	/* STUN: fingerprint, default timeout (the interval is shorter than
	 * 2 s), an unanswering peer, no mapping yet, no RTT yet. */
	test_flow_sip(&flow);
	flow.fields &= ~(uint32_t)(NK_FLOW_SIP_HOST | NK_FLOW_SIP_FROM_USER |
				   NK_FLOW_SIP_FROM_DOMAIN | NK_FLOW_SIP_USER_AGENT |
				   NK_FLOW_MAPPING);
	flow.msg_type = NATKEEP_MSG_STUN;
	flow.stun_fingerprint = true;
	flow.interval_ms = 1500;
	flow.response_timeout_ms = 0;
	flow.miss_limit = 3;
	flow.peer_responsive = false;
	flow.stats.has_rtt_last = flow.stats.has_rtt_smoothed = false;
	flow.stats.rx_responses = 0;
	flow.stats.misses = 3;
	flow.stats.misses_total = 3;
	flow.stats.lateness_max_ns = 0;
	text = text_of(&flow, NULL);
	CHECK_STR(text,
		  "flow 5 local 10.0.0.2:5060 remote 192.0.2.10:5060 type stun interval 1500ms"
		  " fingerprint timeout 1500ms misses 3\n"
		  "    sent 120 errors 2 last 0.53s ago next in 0.47s\n"
		  "    peer unresponsive responses 0 misses 3/3 (total 3)\n");
	free(text);

	/* Custom: the spec, From without a domain; no stats (an event). */
	test_flow_sip(&flow);
	flow.fields &= ~(uint32_t)(NK_FLOW_STATS | NK_FLOW_NEXT_SEND | NK_FLOW_MAPPING |
				   NK_FLOW_PEER_RESPONSIVE);
	flow.msg_type = NATKEEP_MSG_CUSTOM;
	strcpy(flow.custom_spec, "mtd=PING");
	flow.sip_host[0] = flow.sip_from_domain[0] = flow.sip_user_agent[0] = '\0';
	text = text_of(&flow, "new ");
	CHECK_STR(text,
		  "new flow 5 local 10.0.0.2:5060 remote 192.0.2.10:5060 type custom"
		  " interval 25000ms from 1001 spec mtd=PING timeout 1500ms misses 4\n");
	free(text);
}

static void text_of_keepalive_hides_response_settings(void)
{
	struct nk_flow flow;
	char *text;

	/* A module that reports the defaults for every flow: a keep-alive
	 * flow's line stays as it was (VM scenarios grep it). */
	test_flow_config(&flow);
	flow.fields |= NK_FLOW_SIP_HOST | NK_FLOW_SIP_FROM_USER | NK_FLOW_SIP_FROM_DOMAIN |
		       NK_FLOW_SIP_USER_AGENT | NK_FLOW_CUSTOM_SPEC |
		       NK_FLOW_STUN_FINGERPRINT | NK_FLOW_RESPONSE_TIMEOUT | NK_FLOW_MISS_LIMIT;
	flow.miss_limit = 3;
	text = text_of(&flow, "set ");
	CHECK_STR(text,
		  "set flow 3 local 10.0.0.2:5060 remote 10.0.1.1:5060 type keep-alive"
		  " interval 1000ms random mark 0x10 dscp 46\n");
	free(text);
}

static void json_of_a_sip_flow(void)
{
	struct nk_flow flow;
	char *text;

	test_flow_sip(&flow);
	flow.fields &= ~(uint32_t)(NK_FLOW_STATS | NK_FLOW_NEXT_SEND);
	text = json_of(&flow, NULL, false);
	CHECK_STR(text,
		  "{\"id\":5,\"family\":\"inet\","
		  "\"local\":\"10.0.0.2:5060\",\"local_addr\":\"10.0.0.2\",\"local_port\":5060,"
		  "\"remote\":\"192.0.2.10:5060\",\"remote_addr\":\"192.0.2.10\",\"remote_port\":5060,"
		  "\"interval_ms\":25000,\"random\":false,\"type\":\"options\",\"mark\":0,\"dscp\":0,"
		  "\"host\":\"registrar.example.com\",\"from_user\":\"1001\","
		  "\"from_domain\":\"example.com\",\"user_agent\":\"natkeep \\\"1.0\\\"\","
		  "\"spec\":\"\",\"fingerprint\":false,\"response_timeout_ms\":1500,\"miss_limit\":4,"
		  "\"mapping\":{\"family\":\"inet\",\"addr\":\"203.0.113.7\",\"port\":40123,"
		  "\"source\":\"via\",\"text\":\"203.0.113.7:40123\"},"
		  "\"peer_responsive\":true}");
	free(text);

	/* The new counters, RTTs present. */
	test_flow_sip(&flow);
	flow.fields = NK_FLOW_ID | NK_FLOW_STATS;
	text = json_of(&flow, NULL, false);
	CHECK_STR(text,
		  "{\"id\":5,\"stats\":{\"tx_packets\":120,\"tx_errors\":2,"
		  "\"last_tx_age_ns\":530000000,\"rx_responses\":57,\"rtt_last_ns\":1200000,"
		  "\"rtt_smoothed_ns\":1440000,\"misses\":1,\"misses_total\":6,"
		  "\"mapping_changes\":2,\"lateness_max_ns\":0}}");
	free(text);
}

static char *event_text(int cmd, const struct nk_flow *flow)
{
	struct capture cap;

	capture_start(&cap);
	nkctl_event_print_text(cap.out, cmd, flow);
	return capture_end(&cap);
}

static char *event_json(int cmd, const struct nk_flow *flow)
{
	struct json_writer jw;
	struct capture cap;

	capture_start(&cap);
	json_writer_init(&jw, cap.out, false);
	nkctl_event_print_json(&jw, cmd, flow);
	return capture_end(&cap);
}

/* The flow of an event: no stats, no next send. */
static void event_flow(struct nk_flow *flow)
{
	test_flow_sip(flow);
	flow->fields &= ~(uint32_t)(NK_FLOW_STATS | NK_FLOW_NEXT_SEND);
}

static void event_names(void)
{
	CHECK_STR(nkctl_event_name(NATKEEP_CMD_FLOW_NEW), "new");
	CHECK_STR(nkctl_event_name(NATKEEP_CMD_FLOW_SET), "set");
	CHECK_STR(nkctl_event_name(NATKEEP_CMD_FLOW_DEL), "del");
	CHECK_STR(nkctl_event_name(NATKEEP_CMD_MAPPING_CHANGED), "mapping");
	CHECK_STR(nkctl_event_name(NATKEEP_CMD_PEER_UNRESPONSIVE), "unresponsive");
	CHECK_STR(nkctl_event_name(NATKEEP_CMD_PEER_RESPONSIVE), "responsive");
	CHECK(nkctl_event_name(NATKEEP_CMD_FLOW_GET) == NULL);
	CHECK(nkctl_event_name(NATKEEP_CMD_MAX + 1) == NULL);
	CHECK(nkctl_event_name(-1) == NULL);
}

static void event_lines(void)
{
	struct nk_flow flow;
	char *text;

	event_flow(&flow);
	text = event_text(NATKEEP_CMD_MAPPING_CHANGED, &flow);
	CHECK_STR(text, "mapping flow 5 (none) -> 203.0.113.7:40123 (via)\n");
	free(text);

	flow.fields |= NK_FLOW_OLD_MAPPING;
	flow.old_mapping = flow.mapping;
	flow.old_mapping.port = 1024;
	flow.mapping.family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::7", &flow.mapping.addr.v6);
	flow.mapping.source = NATKEEP_MAPPING_SRC_STUN;
	text = event_text(NATKEEP_CMD_MAPPING_CHANGED, &flow);
	CHECK_STR(text, "mapping flow 5 203.0.113.7:1024 -> [2001:db8::7]:40123 (stun)\n");
	free(text);

	flow.mapping.source = 9;	/* a newer module's */
	text = event_text(NATKEEP_CMD_MAPPING_CHANGED, &flow);
	CHECK_CONTAINS(text, "-> [2001:db8::7]:40123 (source 9)\n");
	free(text);

	flow.peer_responsive = false;
	text = event_text(NATKEEP_CMD_PEER_UNRESPONSIVE, &flow);
	CHECK_STR(text, "unresponsive flow 5 remote 192.0.2.10:5060 misses 4\n");
	free(text);

	flow.peer_responsive = true;
	text = event_text(NATKEEP_CMD_PEER_RESPONSIVE, &flow);
	CHECK_STR(text, "responsive flow 5 remote 192.0.2.10:5060\n");
	free(text);
	/* Should a module add stats to the event: the RTT. */
	flow.fields |= NK_FLOW_STATS;
	text = event_text(NATKEEP_CMD_PEER_RESPONSIVE, &flow);
	CHECK_STR(text, "responsive flow 5 remote 192.0.2.10:5060 rtt 1.2ms\n");
	free(text);

	/* new/set/del stay one line, whatever mapping or peer state they carry. */
	text = event_text(NATKEEP_CMD_FLOW_SET, &flow);
	CHECK_STR(text,
		  "set flow 5 local 10.0.0.2:5060 remote 192.0.2.10:5060 type options"
		  " interval 25000ms host registrar.example.com from 1001@example.com"
		  " ua \"natkeep \\\"1.0\\\"\" timeout 1500ms misses 4\n");
	free(text);
	flow = (struct nk_flow){ .fields = NK_FLOW_ID, .id = 9 };
	text = event_text(NATKEEP_CMD_FLOW_DEL, &flow);
	CHECK_STR(text, "del flow 9\n");
	free(text);
}

static void event_json_objects(void)
{
	struct nk_flow flow;
	char *text;

	event_flow(&flow);
	flow.fields = NK_FLOW_ID | NK_FLOW_MAPPING;
	text = event_json(NATKEEP_CMD_MAPPING_CHANGED, &flow);
	CHECK_STR(text,
		  "{\"event\":\"mapping\",\"id\":5,\"mapping\":{\"family\":\"inet\","
		  "\"addr\":\"203.0.113.7\",\"port\":40123,\"source\":\"via\","
		  "\"text\":\"203.0.113.7:40123\"},\"old_mapping\":null}");
	free(text);

	flow.fields |= NK_FLOW_OLD_MAPPING;
	flow.old_mapping = flow.mapping;
	flow.old_mapping.source = NATKEEP_MAPPING_SRC_STUN;
	text = event_json(NATKEEP_CMD_MAPPING_CHANGED, &flow);
	CHECK_CONTAINS(text, ",\"old_mapping\":{\"family\":\"inet\",\"addr\":\"203.0.113.7\","
		       "\"port\":40123,\"source\":\"stun\",\"text\":\"203.0.113.7:40123\"}}");
	free(text);

	flow.fields = NK_FLOW_ID | NK_FLOW_MISS_LIMIT | NK_FLOW_PEER_RESPONSIVE;
	flow.peer_responsive = false;
	text = event_json(NATKEEP_CMD_PEER_UNRESPONSIVE, &flow);
	CHECK_STR(text, "{\"event\":\"unresponsive\",\"id\":5,\"miss_limit\":4,"
		  "\"peer_responsive\":false}");
	free(text);

	/* A full event flow: no old_mapping key outside mapping events. */
	event_flow(&flow);
	text = event_json(NATKEEP_CMD_PEER_RESPONSIVE, &flow);
	CHECK_CONTAINS(text, "{\"event\":\"responsive\",\"id\":5,\"family\":\"inet\",");
	CHECK_CONTAINS(text, "\"peer_responsive\":true}");
	CHECK(!strstr(text, "old_mapping"));
	free(text);
}

static const struct test_case cases[] = {
	TEST_CASE(text_of_a_full_flow),
	TEST_CASE(text_leaves_out_defaults_and_empty_histogram),
	TEST_CASE(text_of_events),
	TEST_CASE(json_of_a_full_flow),
	TEST_CASE(lateness_of_a_namespace),
	TEST_CASE(json_event_ipv6_pretty),
	TEST_CASE(json_without_sends),
	TEST_CASE(text_of_a_sip_flow),
	TEST_CASE(text_of_stun_and_custom_flows),
	TEST_CASE(text_of_keepalive_hides_response_settings),
	TEST_CASE(json_of_a_sip_flow),
	TEST_CASE(event_names),
	TEST_CASE(event_lines),
	TEST_CASE(event_json_objects),
};
TEST_SUITE(flow_format_suite, cases);

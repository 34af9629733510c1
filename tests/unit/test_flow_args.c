// SPDX-License-Identifier: GPL-2.0
/* "natkeepctl flow ..." arguments into requests (natkeepctl/flow_args.c). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "flow_args.h"
#include "nk_array.h"
#include "nkctl.h"
#include "runner.h"

/* Splits a command line at spaces and parses it as the flow object's args. */
static int parse(const char *line, struct nkctl_flow_request *req, char *err,
		 size_t errlen)
{
	char copy[512], *argv[32], *word;
	int argc = 0;

	snprintf(copy, sizeof(copy), "%s", line);
	for (word = strtok(copy, " "); word && argc < 32; word = strtok(NULL, " "))
		argv[argc++] = word;
	err[0] = '\0';
	return nkctl_flow_parse_args(argc, argv, req, err, errlen);
}

static void no_command_means_show_all(void)
{
	struct nkctl_flow_request req;
	char err[160];

	CHECK_INT(parse("", &req, err, sizeof(err)), 0);
	CHECK_INT(req.action, NKCTL_FLOW_SHOW);
	CHECK_INT(req.flow.fields, 0);
	CHECK_INT(parse("list", &req, err, sizeof(err)), 0);
	CHECK_INT(req.action, NKCTL_FLOW_SHOW);
	CHECK_INT(parse("show id 12", &req, err, sizeof(err)), 0);
	CHECK_INT(req.flow.fields, NK_FLOW_ID);
	CHECK_INT(req.flow.id, 12);
	CHECK_INT(parse("help", &req, err, sizeof(err)), 0);
	CHECK_INT(req.action, NKCTL_FLOW_HELP);
}

static void add_with_everything(void)
{
	struct nkctl_flow_request req;
	struct nk_flow *flow = &req.flow;
	char err[160];

	CHECK_INT(parse("add local 10.0.0.2:5060 remote 10.0.1.1:5061 interval 20s"
			" type options random mark 0x10 dscp ef from-user 1001", &req, err,
			sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_INT(req.action, NKCTL_FLOW_ADD);
	CHECK_INT(flow->fields, NK_FLOW_NEW_REQUIRED | NK_FLOW_RANDOMIZE |
		  NK_FLOW_MARK | NK_FLOW_DSCP | NK_FLOW_SIP_FROM_USER);
	CHECK_STR(flow->sip_from_user, "1001");
	CHECK_INT(flow->family, AF_INET);
	CHECK_INT(ntohl(flow->local_addr.v4.s_addr), 0x0a000002);
	CHECK_INT(flow->local_port, 5060);
	CHECK_INT(ntohl(flow->remote_addr.v4.s_addr), 0x0a000101);
	CHECK_INT(flow->remote_port, 5061);
	CHECK_INT(flow->interval_ms, 20000);
	CHECK_INT(flow->msg_type, NATKEEP_MSG_OPTIONS);
	CHECK(flow->randomize);
	CHECK_INT(flow->mark, 16);
	CHECK_INT(flow->dscp, 46);
}

static void add_minimal_ipv6(void)
{
	struct nkctl_flow_request req;
	char err[160];

	CHECK_INT(parse("add remote [2001:db8::1]:5060 local [::]:5060 type empty"
			" interval 25000", &req, err, sizeof(err)), 0);
	CHECK_INT(req.flow.fields, NK_FLOW_NEW_REQUIRED);
	CHECK_INT(req.flow.family, AF_INET6);
	CHECK_INT(req.flow.msg_type, NATKEEP_MSG_EMPTY);
}

static void set_changes_only_what_is_given(void)
{
	struct nkctl_flow_request req;
	char err[160];

	CHECK_INT(parse("set id 4 norandom", &req, err, sizeof(err)), 0);
	CHECK_INT(req.action, NKCTL_FLOW_SET);
	CHECK_INT(req.flow.fields, NK_FLOW_ID | NK_FLOW_RANDOMIZE);
	CHECK(!req.flow.randomize);

	CHECK_INT(parse("change id 4 remote [::1]:7 mark 0", &req, err, sizeof(err)), 0);
	CHECK_INT(req.flow.fields, NK_FLOW_ID | NK_FLOW_FAMILY | NK_FLOW_REMOTE_ADDR |
		  NK_FLOW_REMOTE_PORT | NK_FLOW_MARK);
	CHECK_INT(req.flow.family, AF_INET6);
	CHECK_INT(req.flow.mark, 0);
}

static void del_needs_an_id(void)
{
	struct nkctl_flow_request req;
	char err[160];

	CHECK_INT(parse("del id 9", &req, err, sizeof(err)), 0);
	CHECK_INT(req.action, NKCTL_FLOW_DEL);
	CHECK_INT(req.flow.fields, NK_FLOW_ID);
	CHECK_INT(req.flow.id, 9);
	CHECK_INT(parse("delete", &req, err, sizeof(err)), -1);
	CHECK_STR(err, "flow del: \"id\" is required");
}

/* Each usage error fails before anything is sent and names the culprit. */
static void usage_errors(void)
{
	static const struct {
		const char *line;
		const char *message;
	} cases[] = {
		{ "frobnicate", "unknown flow command \"frobnicate\"" },
		{ "show id", "\"id\" needs a value" },
		{ "show id 0", "invalid flow id \"0\"" },
		{ "show id x", "invalid flow id \"x\"" },
		{ "show local 1.2.3.4:5", "unknown argument \"local\" for flow show" },
		{ "add local 10.0.0.2:5060 remote 10.0.1.1:5060 interval 1000",
		  "flow add: \"type\" is required" },
		{ "add remote 10.0.1.1:5060 interval 1000 type stun",
		  "flow add: \"local\" is required" },
		{ "add local 10.0.0.2:5060 remote [::1]:5060 interval 1000 type stun",
		  "remote \"[::1]:5060\" is IPv6 but the other endpoint is IPv4" },
		{ "add local [::1]:5060 remote 10.0.0.1:5060 interval 1000 type stun",
		  "remote \"10.0.0.1:5060\" is IPv4 but the other endpoint is IPv6" },
		{ "add local 10.0.0.2 remote 10.0.1.1:5060 interval 1000 type stun",
		  "\"10.0.0.2\": missing port" },
		{ "add local 10.0.0.2:0 remote 10.0.1.1:5060 interval 1000 type stun",
		  "bad port \"0\"" },
		{ "add local 10.0.0.2:5060 remote 10.0.1.1:5060 interval 5 type stun",
		  "interval \"5\" out of range" },
		{ "add local 10.0.0.2:5060 remote 10.0.1.1:5060 interval 100 type ping",
		  "invalid type \"ping\"" },
		{ "add local 10.0.0.2:5060 local 10.0.0.3:5060", "\"local\" given twice" },
		{ "add id 3 local 10.0.0.2:5060", "unknown argument \"id\" for flow add" },
		{ "add random norandom", "\"norandom\" contradicts an earlier argument" },
		{ "add mark", "\"mark\" needs a value" },
		{ "add dscp 64", "invalid dscp \"64\"" },
		{ "add mark 0x1ffffffff", "invalid mark \"0x1ffffffff\"" },
		{ "add bogus", "unknown argument \"bogus\" for flow add" },
		{ "set id 3", "flow set: nothing to change" },
		{ "set interval 100", "flow set: \"id\" is required" },
		{ "set id 3 interval 100 interval 200", "\"interval\" given twice" },
		{ "set id 3 local 10.0.0.2:5060 remote [::1]:5060", "is IPv6 but" },
		{ "del id 3 mark 1", "unknown argument \"mark\" for flow del" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct nkctl_flow_request req;
		char err[200];

		if (parse(cases[i].line, &req, err, sizeof(err)) != -1)
			test_fail(__FILE__, __LINE__, "\"%s\" was accepted", cases[i].line);
		CHECK_CONTAINS(err, cases[i].message);
	}
}

/* Parses argv as given: for values with spaces, and empty ones. */
static int parse_argv(int argc, char **argv, struct nkctl_flow_request *req,
		      char *err, size_t errlen)
{
	err[0] = '\0';
	return nkctl_flow_parse_args(argc, argv, req, err, errlen);
}

static void add_sip_flows(void)
{
	struct nkctl_flow_request req;
	struct nk_flow *flow = &req.flow;
	char err[200];
	char *options[] = {
		"add", "local", "0.0.0.0:5060", "remote", "192.0.2.10:5060",
		"interval", "25s", "type", "options", "from-user", "1001",
		"from-domain", "example.com", "host", "registrar.example.com:5060",
		"user-agent", "OBi202 natkeep", "timeout", "2s", "misses", "5",
	};

	CHECK_INT(parse_argv(ARRAY_SIZE(options), options, &req,
			     err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_INT(flow->fields, NK_FLOW_NEW_REQUIRED | NK_FLOW_SIP_FROM_USER |
		  NK_FLOW_SIP_FROM_DOMAIN | NK_FLOW_SIP_HOST | NK_FLOW_SIP_USER_AGENT |
		  NK_FLOW_RESPONSE_TIMEOUT | NK_FLOW_MISS_LIMIT);
	CHECK_STR(flow->sip_from_user, "1001");
	CHECK_STR(flow->sip_from_domain, "example.com");
	CHECK_STR(flow->sip_host, "registrar.example.com:5060");
	CHECK_STR(flow->sip_user_agent, "OBi202 natkeep");
	CHECK_INT(flow->response_timeout_ms, 2000);
	CHECK_INT(flow->miss_limit, 5);

	CHECK_INT(parse("add local 10.0.0.2:5060 remote 192.0.2.10:5060 interval 30s"
			" type custom spec mtd=NOTIFY;event=check-sync from-user 1001",
			&req, err, sizeof(err)), 0);
	CHECK_INT(flow->msg_type, NATKEEP_MSG_CUSTOM);
	CHECK_STR(flow->custom_spec, "mtd=NOTIFY;event=check-sync");
	CHECK(nk_flow_has(flow, NK_FLOW_CUSTOM_SPEC));

	CHECK_INT(parse("add local 10.0.0.2:5060 remote 192.0.2.20:3478 interval 20s"
			" type stun fingerprint timeout 500ms", &req, err, sizeof(err)), 0);
	CHECK(flow->stun_fingerprint);
	CHECK(nk_flow_has(flow, NK_FLOW_STUN_FINGERPRINT));
	CHECK_INT(flow->response_timeout_ms, 500);

	/* nofingerprint is the default, harmless with any type. */
	CHECK_INT(parse("add local 10.0.0.2:5060 remote 192.0.2.20:3478 interval 20s"
			" type empty nofingerprint", &req, err, sizeof(err)), 0);
	CHECK(!flow->stun_fingerprint);
	/* timeout equal to the interval is the longest allowed. */
	CHECK_INT(parse("add local 10.0.0.2:5060 remote 192.0.2.20:3478 interval 2s"
			" type stun timeout 2000", &req, err, sizeof(err)), 0);
}

static void set_sip_fields(void)
{
	struct nkctl_flow_request req;
	struct nk_flow *flow = &req.flow;
	char err[200];
	char *clear[] = { "set", "id", "4", "user-agent", "", "host", "" };

	/* "" resets a string to the module's default. */
	CHECK_INT(parse_argv(7, clear, &req, err, sizeof(err)), 0);
	CHECK_INT(flow->fields, NK_FLOW_ID | NK_FLOW_SIP_USER_AGENT | NK_FLOW_SIP_HOST);
	CHECK_STR(flow->sip_user_agent, "");
	CHECK_STR(flow->sip_host, "");

	/* A set may rely on what the flow has: the module checks the rest. */
	CHECK_INT(parse("set id 4 type custom", &req, err, sizeof(err)), 0);
	CHECK_INT(parse("set id 4 type options", &req, err, sizeof(err)), 0);
	CHECK_INT(parse("set id 4 spec mtd=PING", &req, err, sizeof(err)), 0);
	CHECK_INT(parse("set id 4 fingerprint", &req, err, sizeof(err)), 0);
	CHECK_INT(parse("set id 4 timeout 0 misses 255", &req, err, sizeof(err)), 0);
	CHECK_INT(flow->fields, NK_FLOW_ID | NK_FLOW_RESPONSE_TIMEOUT | NK_FLOW_MISS_LIMIT);
	CHECK_INT(flow->response_timeout_ms, 0);
	CHECK_INT(flow->miss_limit, 255);
	CHECK_INT(parse("set id 4 type stun nofingerprint", &req, err, sizeof(err)), 0);
	CHECK_INT(flow->fields, NK_FLOW_ID | NK_FLOW_MSG_TYPE | NK_FLOW_STUN_FINGERPRINT);
}

/* The rules between keywords, with their messages, before anything is sent. */
static void sip_usage_errors(void)
{
#define ADD "add local 10.0.0.2:5060 remote 192.0.2.10:5060 interval 25s "
	static const struct {
		const char *line;
		const char *message;
	} cases[] = {
		{ ADD "type custom from-user 1001", "flow add: type custom needs \"spec\"" },
		{ ADD "type custom spec mtd=PING", "flow add: type custom needs \"from-user\"" },
		{ ADD "type options", "flow add: type options needs \"from-user\"" },
		{ ADD "type notify host example.com", "flow add: type notify needs \"from-user\"" },
		{ ADD "type options from-user 1001 spec mtd=PING",
		  "\"spec\" is only for type custom, not options" },
		{ ADD "type stun spec mtd=PING", "\"spec\" is only for type custom, not stun" },
		{ ADD "type options from-user 1001 fingerprint",
		  "\"fingerprint\" is only for type stun, not options" },
		{ "set id 3 type empty fingerprint", "\"fingerprint\" is only for type stun, not empty" },
		{ "set id 3 type notify spec mtd=PING", "\"spec\" is only for type custom, not notify" },
		{ ADD "type stun timeout 26s", "timeout 26000ms is longer than the interval 25000ms" },
		{ "set id 3 interval 1s timeout 1001", "timeout 1001ms is longer than the interval 1000ms" },
		{ ADD "type custom from-user 1001 spec mtd=OPTIONS;event=x",
		  "spec \"mtd=OPTIONS;event=x\": custom spec: event: only allowed with mtd=NOTIFY" },
		{ ADD "type custom from-user 1001 spec user=bob", "spec \"user=bob\": custom spec: mtd" },
		{ ADD "type options from-user al%zz", "invalid from-user \"al%zz\"" },
		{ ADD "type options from-user 1001 host bad_host!", "invalid host \"bad_host!\"" },
		{ ADD "type options from-user 1001 from-domain a@b", "invalid from-domain \"a@b\"" },
		{ ADD "type stun misses 0", "invalid misses \"0\", expected 1..255" },
		{ ADD "type stun misses 256", "invalid misses \"256\"" },
		{ ADD "type stun timeout soon", "invalid timeout \"soon\"" },
		{ ADD "type stun fingerprint nofingerprint",
		  "\"nofingerprint\" contradicts an earlier argument" },
		{ "set id 3 host a.example host b.example", "\"host\" given twice" },
		{ "set id 3 spec", "\"spec\" needs a value" },
		{ "show id 3 host x", "unknown argument \"host\" for flow show" },
		{ "del id 3 misses 3", "unknown argument \"misses\" for flow del" },
	};
#undef ADD
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct nkctl_flow_request req;
		char err[200];

		if (parse(cases[i].line, &req, err, sizeof(err)) != -1)
			test_fail(__FILE__, __LINE__, "\"%s\" was accepted", cases[i].line);
		CHECK_CONTAINS(err, cases[i].message);
	}
}

static void empty_and_spaced_values(void)
{
	struct nkctl_flow_request req;
	char err[200];
	char *empty_user[] = { "set", "id", "4", "from-user", "" };
	char *empty_spec[] = { "set", "id", "4", "spec", "" };
	char *crlf_ua[] = { "set", "id", "4", "user-agent", "x\r\nVia: evil" };

	CHECK_INT(parse_argv(5, empty_user, &req, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "invalid from-user \"\"");
	CHECK_INT(parse_argv(5, empty_spec, &req, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "spec \"\": custom spec: mtd");
	CHECK_INT(parse_argv(5, crlf_ua, &req, err, sizeof(err)), -1);
	CHECK_CONTAINS(err, "invalid user-agent");
}

static void usage_lists_every_command(void)
{
	struct capture cap;
	char *text;

	capture_start(&cap);
	nkctl_flow_usage(cap.out);
	text = capture_end(&cap);
	CHECK_CONTAINS(text, "flow add local ADDR:PORT remote ADDR:PORT");
	CHECK_CONTAINS(text, "flow set id ID");
	CHECK_CONTAINS(text, "flow del id ID");
	CHECK_CONTAINS(text, "keep-alive|empty|stun|custom|options|notify");
	CHECK_CONTAINS(text, "from-user USER");
	CHECK_CONTAINS(text, "spec SPEC");
	CHECK_CONTAINS(text, "fingerprint | nofingerprint");
	CHECK_CONTAINS(text, "timeout MS");
	CHECK_CONTAINS(text, "mtd=METHOD[;event=EVENT][;user=USER]");
	free(text);
}

static const struct test_case cases[] = {
	TEST_CASE(no_command_means_show_all),
	TEST_CASE(add_with_everything),
	TEST_CASE(add_minimal_ipv6),
	TEST_CASE(set_changes_only_what_is_given),
	TEST_CASE(del_needs_an_id),
	TEST_CASE(usage_errors),
	TEST_CASE(add_sip_flows),
	TEST_CASE(set_sip_fields),
	TEST_CASE(sip_usage_errors),
	TEST_CASE(empty_and_spaced_values),
	TEST_CASE(usage_lists_every_command),
};
TEST_SUITE(flow_args_suite, cases);

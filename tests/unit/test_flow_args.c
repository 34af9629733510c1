// SPDX-License-Identifier: GPL-2.0
/* "natkeepctl flow ..." arguments into requests (natkeepctl/flow_args.c). */
#include <arpa/inet.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "flow_args.h"
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
			" type options random mark 0x10 dscp ef", &req, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_INT(req.action, NKCTL_FLOW_ADD);
	CHECK_INT(flow->fields, NK_FLOW_NEW_REQUIRED | NK_FLOW_RANDOMIZE |
		  NK_FLOW_MARK | NK_FLOW_DSCP);
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

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nkctl_flow_request req;
		char err[200];

		if (parse(cases[i].line, &req, err, sizeof(err)) != -1)
			test_fail(__FILE__, __LINE__, "\"%s\" was accepted", cases[i].line);
		CHECK_CONTAINS(err, cases[i].message);
	}
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
	free(text);
}

static const struct test_case cases[] = {
	TEST_CASE(no_command_means_show_all),
	TEST_CASE(add_with_everything),
	TEST_CASE(add_minimal_ipv6),
	TEST_CASE(set_changes_only_what_is_given),
	TEST_CASE(del_needs_an_id),
	TEST_CASE(usage_errors),
	TEST_CASE(usage_lists_every_command),
};
TEST_SUITE(flow_args_suite, cases);

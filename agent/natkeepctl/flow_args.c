// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/natkeep.h>

#include "arg_values.h"
#include "flow_args.h"
#include "nk_array.h"
#include "nk_msg_type.h"
#include "nkctl.h"

void nkctl_flow_usage(FILE *out)
{
	fprintf(out,
		"Usage: natkeepctl [OPTIONS] flow { show | list } [ id ID ]\n"
		"       natkeepctl [OPTIONS] flow add local ADDR:PORT remote ADDR:PORT\n"
		"                  interval MS type TYPE [ random | norandom ]\n"
		"                  [ mark MARK ] [ dscp DSCP ] [ SIP ] [ RESPONSES ]\n"
		"       natkeepctl [OPTIONS] flow set id ID [ local ADDR:PORT ]\n"
		"                  [ remote ADDR:PORT ] [ interval MS ] [ type TYPE ]\n"
		"                  [ random | norandom ] [ mark MARK ] [ dscp DSCP ]\n"
		"                  [ SIP ] [ RESPONSES ]\n"
		"       natkeepctl [OPTIONS] flow del id ID\n"
		"ADDR:PORT := IPV4:PORT | [IPV6]:PORT\n"
		"MS := 10..3600000, or with a suffix: 500ms, 20s\n"
		"TYPE := %s\n"
		"MARK := u32, decimal or 0x hex\n"
		"DSCP := 0..63 | ef | va | csN | afNN | be\n"
		"SIP := [ from-user USER ] [ from-domain HOST ] [ host HOST ]\n"
		"       [ user-agent TEXT ] [ spec SPEC ] [ fingerprint | nofingerprint ]\n"
		"       (options, notify and custom need from-user; custom needs spec;\n"
		"       fingerprint is for stun; \"\" resets host, from-domain, user-agent)\n"
		"SPEC := mtd=METHOD[;event=EVENT][;user=USER]   (X_CustomKeepAliveMsg)\n"
		"RESPONSES := [ timeout MS ] [ misses 1..255 ]   (timeout 0: the default)\n",
		nk_msg_type_choices());
}

/* Which keywords a command takes; the table drives both parsing and errors. */
enum keyword_id {
	KW_ID, KW_LOCAL, KW_REMOTE, KW_INTERVAL, KW_TYPE,
	KW_RANDOM, KW_NORANDOM, KW_MARK, KW_DSCP,
	KW_HOST, KW_FROM_USER, KW_FROM_DOMAIN, KW_USER_AGENT, KW_SPEC,
	KW_FINGERPRINT, KW_NOFINGERPRINT, KW_TIMEOUT, KW_MISSES,
};

struct keyword {
	const char *name;
	enum keyword_id id;
	bool takes_value;
	uint32_t field;		/* what it sets, to catch repeats */
};

static const struct keyword keywords[] = {
	{ "id",		KW_ID,		true,	NK_FLOW_ID },
	{ "local",	KW_LOCAL,	true,	NK_FLOW_LOCAL_ADDR },
	{ "remote",	KW_REMOTE,	true,	NK_FLOW_REMOTE_ADDR },
	{ "interval",	KW_INTERVAL,	true,	NK_FLOW_INTERVAL },
	{ "type",	KW_TYPE,	true,	NK_FLOW_MSG_TYPE },
	{ "random",	KW_RANDOM,	false,	NK_FLOW_RANDOMIZE },
	{ "norandom",	KW_NORANDOM,	false,	NK_FLOW_RANDOMIZE },
	{ "mark",	KW_MARK,	true,	NK_FLOW_MARK },
	{ "dscp",	KW_DSCP,	true,	NK_FLOW_DSCP },
	{ "host",	KW_HOST,	true,	NK_FLOW_SIP_HOST },
	{ "from-user",	KW_FROM_USER,	true,	NK_FLOW_SIP_FROM_USER },
	{ "from-domain", KW_FROM_DOMAIN, true,	NK_FLOW_SIP_FROM_DOMAIN },
	{ "user-agent",	KW_USER_AGENT,	true,	NK_FLOW_SIP_USER_AGENT },
	{ "spec",	KW_SPEC,	true,	NK_FLOW_CUSTOM_SPEC },
	{ "fingerprint", KW_FINGERPRINT, false,	NK_FLOW_STUN_FINGERPRINT },
	{ "nofingerprint", KW_NOFINGERPRINT, false, NK_FLOW_STUN_FINGERPRINT },
	{ "timeout",	KW_TIMEOUT,	true,	NK_FLOW_RESPONSE_TIMEOUT },
	{ "misses",	KW_MISSES,	true,	NK_FLOW_MISS_LIMIT },
};

#define ALL_KEYWORDS ((1u << (KW_MISSES + 1)) - 1)
#define KW(k) (1u << (k))

struct command {
	const char *names[3];
	enum nkctl_flow_action action;
	uint32_t allowed;	/* KW() bits */
	uint32_t required;	/* KW() bits */
};

static const struct command commands[] = {
	{ { "show", "list", "ls" }, NKCTL_FLOW_SHOW, KW(KW_ID), 0 },
	{ { "add" }, NKCTL_FLOW_ADD, ALL_KEYWORDS & ~KW(KW_ID),
	  KW(KW_LOCAL) | KW(KW_REMOTE) | KW(KW_INTERVAL) | KW(KW_TYPE) },
	{ { "set", "change" }, NKCTL_FLOW_SET, ALL_KEYWORDS, KW(KW_ID) },
	{ { "del", "delete" }, NKCTL_FLOW_DEL, KW(KW_ID), KW(KW_ID) },
	{ { "help" }, NKCTL_FLOW_HELP, 0, 0 },
};

static const struct command *find_command(const char *name)
{
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		for (n = 0; n < 3 && commands[i].names[n]; n++)
			if (!strcmp(name, commands[i].names[n]))
				return &commands[i];
	return NULL;
}

static const struct keyword *find_keyword(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keywords); i++)
		if (!strcmp(name, keywords[i].name))
			return &keywords[i];
	return NULL;
}

static int set_endpoint(struct nk_flow *flow, bool local, const char *text,
			char *err, size_t errlen)
{
	struct nk_endpoint ep;

	if (nk_endpoint_parse(text, &ep, err, errlen))
		return -1;
	if (nk_flow_has(flow, NK_FLOW_FAMILY) && flow->family != ep.family) {
		snprintf(err, errlen,
			 "%s \"%s\" is %s but the other endpoint is %s; use one family",
			 local ? "local" : "remote", text,
			 ep.family == AF_INET ? "IPv4" : "IPv6",
			 ep.family == AF_INET ? "IPv6" : "IPv4");
		return -1;
	}
	flow->family = (uint16_t)ep.family;
	if (local) {
		flow->local_addr = ep.addr;
		flow->local_port = ep.port;
		flow->fields |= NK_FLOW_LOCAL_ADDR | NK_FLOW_LOCAL_PORT;
	} else {
		flow->remote_addr = ep.addr;
		flow->remote_port = ep.port;
		flow->fields |= NK_FLOW_REMOTE_ADDR | NK_FLOW_REMOTE_PORT;
	}
	flow->fields |= NK_FLOW_FAMILY;
	return 0;
}

static int apply_keyword(struct nk_flow *flow, const struct keyword *kw,
			 const char *value, char *err, size_t errlen)
{
	switch (kw->id) {
	case KW_ID:
		return nkctl_parse_flow_id(value, &flow->id, err, errlen);
	case KW_LOCAL:
		return set_endpoint(flow, true, value, err, errlen);
	case KW_REMOTE:
		return set_endpoint(flow, false, value, err, errlen);
	case KW_INTERVAL:
		return nkctl_parse_interval(value, &flow->interval_ms, err, errlen);
	case KW_TYPE:
		return nkctl_parse_msg_type(value, &flow->msg_type, err, errlen);
	case KW_RANDOM:
	case KW_NORANDOM:
		flow->randomize = kw->id == KW_RANDOM;
		return 0;
	case KW_MARK:
		return nkctl_parse_mark(value, &flow->mark, err, errlen);
	case KW_DSCP:
		return nkctl_parse_dscp(value, &flow->dscp, err, errlen);
	case KW_HOST:
		return nkctl_parse_sip_host(value, flow->sip_host, err, errlen);
	case KW_FROM_USER:
		return nkctl_parse_sip_from_user(value, flow->sip_from_user, err, errlen);
	case KW_FROM_DOMAIN:
		return nkctl_parse_sip_from_domain(value, flow->sip_from_domain, err, errlen);
	case KW_USER_AGENT:
		return nkctl_parse_sip_user_agent(value, flow->sip_user_agent, err, errlen);
	case KW_SPEC:
		return nkctl_parse_custom_spec(value, flow->custom_spec, err, errlen);
	case KW_FINGERPRINT:
	case KW_NOFINGERPRINT:
		flow->stun_fingerprint = kw->id == KW_FINGERPRINT;
		return 0;
	case KW_TIMEOUT:
		return nkctl_parse_timeout(value, &flow->response_timeout_ms, err, errlen);
	case KW_MISSES:
		return nkctl_parse_misses(value, &flow->miss_limit, err, errlen);
	}
	return -1;
}

/* The types that send a SIP request, and so need a From userid. */
static bool is_sip_type(uint8_t type)
{
	return type == NATKEEP_MSG_OPTIONS || type == NATKEEP_MSG_NOTIFY ||
	       type == NATKEEP_MSG_CUSTOM;
}

/*
 * What the keywords mean together, as far as this command line tells: a
 * flow set may rely on what the flow has already (the module checks that).
 */
static int check_combination(const struct command *cmd, const struct nk_flow *flow,
			     char *err, size_t errlen)
{
	bool has_type = nk_flow_has(flow, NK_FLOW_MSG_TYPE);
	const char *type = has_type ? nk_msg_type_name(flow->msg_type) : NULL;

	if (has_type && nk_flow_has(flow, NK_FLOW_CUSTOM_SPEC) &&
	    flow->msg_type != NATKEEP_MSG_CUSTOM) {
		snprintf(err, errlen, "\"spec\" is only for type custom, not %s", type);
		return -1;
	}
	if (has_type && nk_flow_has(flow, NK_FLOW_STUN_FINGERPRINT) &&
	    flow->stun_fingerprint && flow->msg_type != NATKEEP_MSG_STUN) {
		snprintf(err, errlen, "\"fingerprint\" is only for type stun, not %s", type);
		return -1;
	}
	if (cmd->action == NKCTL_FLOW_ADD && flow->msg_type == NATKEEP_MSG_CUSTOM &&
	    !nk_flow_has(flow, NK_FLOW_CUSTOM_SPEC)) {
		snprintf(err, errlen, "flow add: type custom needs \"spec\"");
		return -1;
	}
	if (cmd->action == NKCTL_FLOW_ADD && is_sip_type(flow->msg_type) &&
	    !nk_flow_has(flow, NK_FLOW_SIP_FROM_USER)) {
		snprintf(err, errlen, "flow add: type %s needs \"from-user\"", type);
		return -1;
	}
	if (nk_flow_has(flow, NK_FLOW_RESPONSE_TIMEOUT | NK_FLOW_INTERVAL) &&
	    flow->response_timeout_ms > flow->interval_ms) {
		snprintf(err, errlen, "timeout %ums is longer than the interval %ums",
			 flow->response_timeout_ms, flow->interval_ms);
		return -1;
	}
	return 0;
}

static const char *first_missing(uint32_t missing)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keywords); i++)
		if (missing & KW(keywords[i].id))
			return keywords[i].name;
	return "?";
}

int nkctl_flow_parse_args(int argc, char **argv, struct nkctl_flow_request *req,
			  char *err, size_t errlen)
{
	const struct command *cmd;
	uint32_t seen = 0;
	int i;

	memset(req, 0, sizeof(*req));
	if (argc == 0) {
		req->action = NKCTL_FLOW_SHOW;
		return 0;
	}
	cmd = find_command(argv[0]);
	if (!cmd) {
		snprintf(err, errlen, "unknown flow command \"%s\"", argv[0]);
		return -1;
	}
	req->action = cmd->action;
	for (i = 1; i < argc; i++) {
		const struct keyword *kw = find_keyword(argv[i]);
		const char *value = NULL;

		if (!kw || !(cmd->allowed & KW(kw->id))) {
			snprintf(err, errlen, "unknown argument \"%s\" for flow %s",
				 argv[i], cmd->names[0]);
			return -1;
		}
		if (seen & KW(kw->id)) {
			snprintf(err, errlen, "\"%s\" given twice", argv[i]);
			return -1;
		}
		if (req->flow.fields & kw->field) {
			snprintf(err, errlen, "\"%s\" contradicts an earlier argument", argv[i]);
			return -1;
		}
		if (kw->takes_value) {
			if (i + 1 >= argc) {
				snprintf(err, errlen, "\"%s\" needs a value", argv[i]);
				return -1;
			}
			value = argv[++i];
		}
		if (apply_keyword(&req->flow, kw, value, err, errlen))
			return -1;
		req->flow.fields |= kw->field;
		seen |= KW(kw->id);
	}
	if (cmd->required & ~seen) {
		snprintf(err, errlen, "flow %s: \"%s\" is required", cmd->names[0],
			 first_missing(cmd->required & ~seen));
		return -1;
	}
	if (req->action == NKCTL_FLOW_SET && !(seen & ~KW(KW_ID))) {
		snprintf(err, errlen, "flow set: nothing to change");
		return -1;
	}
	return check_combination(cmd, &req->flow, err, errlen);
}

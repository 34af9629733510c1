// SPDX-License-Identifier: GPL-2.0
/* Reading a flow message from the kernel into a struct nk_flow. */
#include "nk_flow.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "nk_attr_names.h"
#include "nk_attr_walk.h"

struct parse_state {
	struct nk_flow *flow;
	char *err;
	size_t errlen;
	size_t local_addr_len;
	size_t remote_addr_len;
};

static int bad_length(struct parse_state *st, const char *what,
		      const struct nlattr *attr)
{
	return nk_attr_bad_length(st->err, st->errlen, what, attr);
}

static int check_len(struct parse_state *st, const struct nlattr *attr,
		     size_t len)
{
	if (mnl_attr_get_payload_len(attr) == len)
		return 0;
	return bad_length(st, nk_attr_name(mnl_attr_get_type(attr)), attr);
}

/*
 * A string attribute: NUL-terminated within its payload (bytes after the NUL
 * are ignored, as the kernel's NLA_NUL_STRING allows), at most max bytes
 * before it, and, unless empty, what valid() accepts. Copied into out
 * (max + 1 bytes).
 */
static int parse_string(struct parse_state *st, const struct nlattr *attr,
			char *out, size_t max, bool (*valid)(const char *),
			const char *what)
{
	const char *payload = mnl_attr_get_payload(attr);
	const char *name = nk_attr_name(mnl_attr_get_type(attr));
	size_t len = mnl_attr_get_payload_len(attr);
	const char *nul = memchr(payload, '\0', len);

	if (!nul) {
		snprintf(st->err, st->errlen, "attribute %s is not NUL-terminated", name);
		return -EBADMSG;
	}
	len = (size_t)(nul - payload);
	if (len > max) {
		snprintf(st->err, st->errlen, "attribute %s is too long (%zu bytes, at most %zu)",
			 name, len, max);
		return -EBADMSG;
	}
	memcpy(out, payload, len + 1);
	if (len && !valid(out)) {
		snprintf(st->err, st->errlen, "attribute %s is not a valid %s", name, what);
		out[0] = '\0';
		return -EBADMSG;
	}
	return 0;
}

/* The spec as the module parses it, with its message on failure. */
static int parse_custom_spec(struct parse_state *st, const struct nlattr *attr)
{
	struct nk_custom_spec spec;
	const char *why = NULL;
	int err = parse_string(st, attr, st->flow->custom_spec, NK_CUSTOM_SPEC_MAX,
			       nk_sip_valid_text, "spec");

	if (err || !st->flow->custom_spec[0])
		return err;
	if (nk_custom_spec_parse(st->flow->custom_spec, strlen(st->flow->custom_spec),
				 &spec, &why)) {
		snprintf(st->err, st->errlen, "attribute custom_spec: %s",
			 why ? why : "invalid custom spec");
		st->flow->custom_spec[0] = '\0';
		return -EBADMSG;
	}
	return 0;
}

struct mapping_state {
	struct parse_state *st;
	struct nk_mapping *mapping;
	const char *name;	/* "mapping" or "old_mapping" */
	bool has_family, has_port;
	size_t addr_len;
};

static int visit_mapping(const struct nlattr *attr, void *data)
{
	struct mapping_state *ms = data;
	struct nk_mapping *mapping = ms->mapping;
	size_t len = mnl_attr_get_payload_len(attr);
	static const size_t want_len[] = {
		[NATKEEP_MAPPING_FAMILY] = sizeof(uint16_t),
		[NATKEEP_MAPPING_PORT] = sizeof(uint16_t),
		[NATKEEP_MAPPING_SOURCE] = sizeof(uint8_t),
	};
	static const char *const field_name[] = {
		[NATKEEP_MAPPING_FAMILY] = "family",
		[NATKEEP_MAPPING_ADDR] = "addr",
		[NATKEEP_MAPPING_PORT] = "port",
		[NATKEEP_MAPPING_SOURCE] = "source",
	};
	unsigned int type = mnl_attr_get_type(attr);

	if (type == NATKEEP_MAPPING_UNSPEC || type > NATKEEP_MAPPING_MAX)
		return 0;	/* a newer module's */
	if (type == NATKEEP_MAPPING_ADDR ? len != 4 && len != 16 : len != want_len[type]) {
		snprintf(ms->st->err, ms->st->errlen, "attribute %s %s has length %zu",
			 ms->name, field_name[type], len);
		return -EBADMSG;
	}
	switch (type) {
	case NATKEEP_MAPPING_FAMILY:
		mapping->family = mnl_attr_get_u16(attr);
		ms->has_family = true;
		break;
	case NATKEEP_MAPPING_ADDR:
		memcpy(mapping->addr.bytes, mnl_attr_get_payload(attr), len);
		ms->addr_len = len;
		break;
	case NATKEEP_MAPPING_PORT:
		mapping->port = mnl_attr_get_u16(attr);
		ms->has_port = true;
		break;
	case NATKEEP_MAPPING_SOURCE:
		mapping->source = mnl_attr_get_u8(attr);
		break;
	}
	return 0;
}

/* A nested mapping: family, address of its length and port are required. */
static int parse_mapping(struct parse_state *st, const struct nlattr *attr,
			 struct nk_mapping *mapping)
{
	struct mapping_state ms = {
		.st = st, .mapping = mapping,
		.name = nk_attr_name(mnl_attr_get_type(attr)),
	};
	const char *missing = NULL;
	size_t want;

	memset(mapping, 0, sizeof(*mapping));
	if (nk_attr_walk_nested(attr, visit_mapping, &ms)) {
		if (!st->err[0])
			snprintf(st->err, st->errlen, "malformed %s", ms.name);
		return -EBADMSG;
	}
	if (!ms.has_family)
		missing = "family";
	else if (!ms.addr_len)
		missing = "addr";
	else if (!ms.has_port)
		missing = "port";
	if (missing) {
		snprintf(st->err, st->errlen, "attribute %s without its %s", ms.name, missing);
		return -EBADMSG;
	}
	want = nk_addr_len(mapping->family);
	if (!want) {
		snprintf(st->err, st->errlen, "attribute %s has an unknown family (%u)",
			 ms.name, mapping->family);
		return -EBADMSG;
	}
	if (ms.addr_len != want) {
		snprintf(st->err, st->errlen, "attribute %s addr has %zu bytes, family %u needs %zu",
			 ms.name, ms.addr_len, mapping->family, want);
		return -EBADMSG;
	}
	return 0;
}

static int visit_flow(const struct nlattr *attr, void *data)
{
	struct parse_state *st = data;
	struct nk_flow *flow = st->flow;
	unsigned int type = mnl_attr_get_type(attr);
	size_t len = mnl_attr_get_payload_len(attr);
	int err = 0;

	switch (type) {
	case NATKEEP_A_FLOW_ID:
		err = check_len(st, attr, sizeof(uint32_t));
		flow->id = err ? 0 : mnl_attr_get_u32(attr);
		flow->fields |= NK_FLOW_ID;
		break;
	case NATKEEP_A_FAMILY:
		err = check_len(st, attr, sizeof(uint16_t));
		flow->family = err ? 0 : mnl_attr_get_u16(attr);
		flow->fields |= NK_FLOW_FAMILY;
		break;
	case NATKEEP_A_LOCAL_ADDR:
	case NATKEEP_A_REMOTE_ADDR: {
		/* The family may come later: check the length after the walk. */
		bool local = type == NATKEEP_A_LOCAL_ADDR;

		if (len != 4 && len != 16)
			return bad_length(st, nk_attr_name(type), attr);
		memcpy(local ? flow->local_addr.bytes : flow->remote_addr.bytes,
		       mnl_attr_get_payload(attr), len);
		*(local ? &st->local_addr_len : &st->remote_addr_len) = len;
		flow->fields |= local ? NK_FLOW_LOCAL_ADDR : NK_FLOW_REMOTE_ADDR;
		break;
	}
	case NATKEEP_A_LOCAL_PORT:
		err = check_len(st, attr, sizeof(uint16_t));
		flow->local_port = err ? 0 : mnl_attr_get_u16(attr);
		flow->fields |= NK_FLOW_LOCAL_PORT;
		break;
	case NATKEEP_A_REMOTE_PORT:
		err = check_len(st, attr, sizeof(uint16_t));
		flow->remote_port = err ? 0 : mnl_attr_get_u16(attr);
		flow->fields |= NK_FLOW_REMOTE_PORT;
		break;
	case NATKEEP_A_INTERVAL_MS:
		err = check_len(st, attr, sizeof(uint32_t));
		flow->interval_ms = err ? 0 : mnl_attr_get_u32(attr);
		flow->fields |= NK_FLOW_INTERVAL;
		break;
	case NATKEEP_A_RANDOMIZE:
		err = check_len(st, attr, sizeof(uint8_t));
		flow->randomize = err ? false : mnl_attr_get_u8(attr) != 0;
		flow->fields |= NK_FLOW_RANDOMIZE;
		break;
	case NATKEEP_A_MSG_TYPE:
		err = check_len(st, attr, sizeof(uint8_t));
		flow->msg_type = err ? 0 : mnl_attr_get_u8(attr);
		flow->fields |= NK_FLOW_MSG_TYPE;
		break;
	case NATKEEP_A_MARK:
		err = check_len(st, attr, sizeof(uint32_t));
		flow->mark = err ? 0 : mnl_attr_get_u32(attr);
		flow->fields |= NK_FLOW_MARK;
		break;
	case NATKEEP_A_DSCP:
		err = check_len(st, attr, sizeof(uint8_t));
		flow->dscp = err ? 0 : mnl_attr_get_u8(attr);
		flow->fields |= NK_FLOW_DSCP;
		break;
	case NATKEEP_A_NEXT_SEND_NS:
		err = check_len(st, attr, sizeof(uint64_t));
		flow->next_send_ns = err ? 0 : mnl_attr_get_u64(attr);
		flow->fields |= NK_FLOW_NEXT_SEND;
		break;
	case NATKEEP_A_STATS:
		err = nk_stats_parse_nest(attr, &flow->stats, st->err, st->errlen);
		flow->fields |= NK_FLOW_STATS;
		break;
	case NATKEEP_A_SIP_HOST:
		err = parse_string(st, attr, flow->sip_host, NK_SIP_HOST_MAX,
				   nk_sip_valid_host, "host");
		flow->fields |= NK_FLOW_SIP_HOST;
		break;
	case NATKEEP_A_SIP_FROM_USER:
		err = parse_string(st, attr, flow->sip_from_user, NK_SIP_USER_MAX,
				   nk_sip_valid_user, "user");
		flow->fields |= NK_FLOW_SIP_FROM_USER;
		break;
	case NATKEEP_A_SIP_FROM_DOMAIN:
		err = parse_string(st, attr, flow->sip_from_domain, NK_SIP_HOST_MAX,
				   nk_sip_valid_host, "host");
		flow->fields |= NK_FLOW_SIP_FROM_DOMAIN;
		break;
	case NATKEEP_A_SIP_USER_AGENT:
		err = parse_string(st, attr, flow->sip_user_agent, NK_SIP_TEXT_MAX,
				   nk_sip_valid_text, "text");
		flow->fields |= NK_FLOW_SIP_USER_AGENT;
		break;
	case NATKEEP_A_CUSTOM_SPEC:
		err = parse_custom_spec(st, attr);
		flow->fields |= NK_FLOW_CUSTOM_SPEC;
		break;
	case NATKEEP_A_STUN_FINGERPRINT:
		err = check_len(st, attr, sizeof(uint8_t));
		flow->stun_fingerprint = err ? false : mnl_attr_get_u8(attr) != 0;
		flow->fields |= NK_FLOW_STUN_FINGERPRINT;
		break;
	case NATKEEP_A_RESPONSE_TIMEOUT_MS:
		err = check_len(st, attr, sizeof(uint32_t));
		flow->response_timeout_ms = err ? 0 : mnl_attr_get_u32(attr);
		flow->fields |= NK_FLOW_RESPONSE_TIMEOUT;
		break;
	case NATKEEP_A_MISS_LIMIT:
		err = check_len(st, attr, sizeof(uint8_t));
		flow->miss_limit = err ? 0 : mnl_attr_get_u8(attr);
		flow->fields |= NK_FLOW_MISS_LIMIT;
		break;
	case NATKEEP_A_MAPPING:
		err = parse_mapping(st, attr, &flow->mapping);
		flow->fields |= NK_FLOW_MAPPING;
		break;
	case NATKEEP_A_OLD_MAPPING:
		err = parse_mapping(st, attr, &flow->old_mapping);
		flow->fields |= NK_FLOW_OLD_MAPPING;
		break;
	case NATKEEP_A_PEER_RESPONSIVE:
		err = check_len(st, attr, sizeof(uint8_t));
		flow->peer_responsive = err ? false : mnl_attr_get_u8(attr) != 0;
		flow->fields |= NK_FLOW_PEER_RESPONSIVE;
		break;
	default:
		/* NATKEEP_A_PAD, or an attribute of a newer module. */
		break;
	}
	return err ? -EBADMSG : 0;
}

static int check_addr_len(struct parse_state *st, size_t got, const char *what)
{
	size_t want = nk_addr_len(st->flow->family);

	if (!got || got == want)
		return 0;
	snprintf(st->err, st->errlen, "%s has %zu bytes, family %u needs %zu",
		 what, got, st->flow->family, want);
	return -EBADMSG;
}

int nk_flow_parse(const struct nlmsghdr *nlh, struct nk_flow *flow,
		  char *err, size_t errlen)
{
	struct parse_state st = {
		.flow = flow, .err = err, .errlen = errlen,
	};
	int ret;

	memset(flow, 0, sizeof(*flow));
	if (errlen)
		err[0] = '\0';
	ret = nk_attr_walk_genl(nlh, visit_flow, &st);
	if (ret) {
		if (!err[0])
			snprintf(err, errlen, "truncated or malformed attribute");
		return -EBADMSG;
	}
	if ((st.local_addr_len || st.remote_addr_len) &&
	    !nk_addr_len(flow->family)) {
		snprintf(err, errlen, "addresses without a known family (%u)", flow->family);
		return -EBADMSG;
	}
	if (check_addr_len(&st, st.local_addr_len, "local_addr") ||
	    check_addr_len(&st, st.remote_addr_len, "remote_addr"))
		return -EBADMSG;
	return 0;
}

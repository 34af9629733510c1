// SPDX-License-Identifier: GPL-2.0
#include <linux/in.h>
#include <linux/ipv6.h>
#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/socket.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include "params.h"
#include "payload.h"

/*
 * Types and lengths only: the ranges are checked in nk_params_parse(), whose
 * messages name the attribute and the range. Read-only attributes (stats,
 * next send) have no entry, so a request carrying them is rejected.
 */
const struct nla_policy nk_flow_policy[NATKEEP_A_MAX + 1] = {
	[NATKEEP_A_FLOW_ID]	= { .type = NLA_U32 },
	[NATKEEP_A_FAMILY]	= { .type = NLA_U16 },
	[NATKEEP_A_LOCAL_ADDR]	= { .type = NLA_BINARY },
	[NATKEEP_A_LOCAL_PORT]	= { .type = NLA_U16 },
	[NATKEEP_A_REMOTE_ADDR]	= { .type = NLA_BINARY },
	[NATKEEP_A_REMOTE_PORT]	= { .type = NLA_U16 },
	[NATKEEP_A_INTERVAL_MS]	= { .type = NLA_U32 },
	[NATKEEP_A_RANDOMIZE]	= { .type = NLA_U8 },
	[NATKEEP_A_MSG_TYPE]	= { .type = NLA_U8 },
	[NATKEEP_A_MARK]	= { .type = NLA_U32 },
	[NATKEEP_A_DSCP]	= { .type = NLA_U8 },
	[NATKEEP_A_SIP_HOST]	= { .type = NLA_BINARY },
	[NATKEEP_A_SIP_FROM_USER] = { .type = NLA_BINARY },
	[NATKEEP_A_SIP_FROM_DOMAIN] = { .type = NLA_BINARY },
	[NATKEEP_A_SIP_USER_AGENT] = { .type = NLA_BINARY },
	[NATKEEP_A_CUSTOM_SPEC]	= { .type = NLA_BINARY },
	[NATKEEP_A_STUN_FINGERPRINT] = { .type = NLA_U8 },
	[NATKEEP_A_RESPONSE_TIMEOUT_MS] = { .type = NLA_U32 },
	[NATKEEP_A_MISS_LIMIT]	= { .type = NLA_U8 },
};

static const struct {
	int type;
	const char *missing_msg;
} nk_required_attrs[] = {
	{ NATKEEP_A_FAMILY, "a new flow needs an address family" },
	{ NATKEEP_A_LOCAL_ADDR, "a new flow needs a local address" },
	{ NATKEEP_A_LOCAL_PORT, "a new flow needs a local port" },
	{ NATKEEP_A_REMOTE_ADDR, "a new flow needs a remote address" },
	{ NATKEEP_A_REMOTE_PORT, "a new flow needs a remote port" },
	{ NATKEEP_A_INTERVAL_MS, "a new flow needs an interval" },
	{ NATKEEP_A_MSG_TYPE, "a new flow needs a message type" },
};

/*
 * NL_SET_ERR_MSG_ATTR() wants a string literal; the messages picked from
 * tables here are string literals too, with static storage.
 */
static void nk_set_err_attr(struct netlink_ext_ack *extack,
			    const struct nlattr *attr, const char *msg)
{
	if (extack) {
		extack->_msg = msg;
		extack->bad_attr = attr;
	}
}

static unsigned int nk_addr_len(u16 family)
{
	return family == AF_INET ? sizeof(__be32) : sizeof(struct in6_addr);
}

static bool nk_addr_is_any(u16 family, const union nk_addr *a)
{
	return family == AF_INET ? a->ip == 0 : ipv6_addr_any(&a->ip6);
}

static bool nk_addr_is_multicast(u16 family, const union nk_addr *a)
{
	if (family == AF_INET)
		return ipv4_is_multicast(a->ip) || ipv4_is_lbcast(a->ip);
	return ipv6_addr_is_multicast(&a->ip6);
}

/* The address attribute @attr of @family into @addr; its length must fit. */
static int nk_parse_addr(const struct nlattr *attr, u16 family,
			 union nk_addr *addr, const char *bad_len_msg,
			 struct netlink_ext_ack *extack)
{
	if (nla_len(attr) != nk_addr_len(family)) {
		nk_set_err_attr(extack, attr, bad_len_msg);
		return -EINVAL;
	}
	memset(addr, 0, sizeof(*addr));
	memcpy(addr, nla_data(attr), nla_len(attr));
	return 0;
}

static int nk_parse_port(const struct nlattr *attr, __be16 *port,
			 struct netlink_ext_ack *extack)
{
	if (!nla_get_u16(attr)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "port must be 1..65535");
		return -EINVAL;
	}
	*port = htons(nla_get_u16(attr));
	return 0;
}

static int nk_parse_endpoints(struct nlattr **tb, struct nk_flow_params *p,
			      struct netlink_ext_ack *extack)
{
	struct nk_flow_key *key = &p->key;
	struct nlattr *attr = tb[NATKEEP_A_FAMILY];
	int err;

	if (attr) {
		u16 family = nla_get_u16(attr);

		if (family != AF_INET && family != AF_INET6) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "address family must be AF_INET (2) or AF_INET6 (10)");
			return -EAFNOSUPPORT;
		}
		if (family != key->family &&
		    (!tb[NATKEEP_A_LOCAL_ADDR] || !tb[NATKEEP_A_REMOTE_ADDR])) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "a new address family needs both the local and the remote address");
			return -EINVAL;
		}
		key->family = family;
	}

	attr = tb[NATKEEP_A_LOCAL_ADDR];
	if (attr) {
		err = nk_parse_addr(attr, key->family, &key->local,
				    "local address length does not match the address family (4 bytes for AF_INET, 16 for AF_INET6)",
				    extack);
		if (err)
			return err;
		if (nk_addr_is_multicast(key->family, &key->local)) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "local address must be unicast or unspecified");
			return -EINVAL;
		}
	}

	attr = tb[NATKEEP_A_REMOTE_ADDR];
	if (attr) {
		err = nk_parse_addr(attr, key->family, &key->remote,
				    "remote address length does not match the address family (4 bytes for AF_INET, 16 for AF_INET6)",
				    extack);
		if (err)
			return err;
		if (nk_addr_is_any(key->family, &key->remote) ||
		    nk_addr_is_multicast(key->family, &key->remote)) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "remote address must be a unicast address");
			return -EINVAL;
		}
	}

	if (tb[NATKEEP_A_LOCAL_PORT]) {
		err = nk_parse_port(tb[NATKEEP_A_LOCAL_PORT], &key->local_port,
				    extack);
		if (err)
			return err;
	}
	if (tb[NATKEEP_A_REMOTE_PORT]) {
		err = nk_parse_port(tb[NATKEEP_A_REMOTE_PORT],
				    &key->remote_port, extack);
		if (err)
			return err;
	}
	return 0;
}

static int nk_parse_sending(struct nlattr **tb, struct nk_flow_params *p,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *attr;

	attr = tb[NATKEEP_A_INTERVAL_MS];
	if (attr) {
		u32 ms = nla_get_u32(attr);

		if (ms < NATKEEP_INTERVAL_MIN_MS || ms > NATKEEP_INTERVAL_MAX_MS) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "interval out of range (10..3600000 ms)");
			return -ERANGE;
		}
		p->interval_ms = ms;
	}

	attr = tb[NATKEEP_A_RANDOMIZE];
	if (attr) {
		if (nla_get_u8(attr) > 1) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "randomize must be 0 or 1");
			return -EINVAL;
		}
		p->randomize = nla_get_u8(attr);
	}

	attr = tb[NATKEEP_A_MSG_TYPE];
	if (attr) {
		u8 type = nla_get_u8(attr);

		if (type == NATKEEP_MSG_UNSPEC || type > NATKEEP_MSG_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "unknown message type");
			return -EINVAL;
		}
		if (!nk_payload_ops_get(type)) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "message type not supported by this module");
			return -EOPNOTSUPP;
		}
		p->msg_type = type;
	}

	attr = tb[NATKEEP_A_DSCP];
	if (attr) {
		if (nla_get_u8(attr) > NATKEEP_DSCP_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "DSCP out of range (0..63)");
			return -ERANGE;
		}
		p->dscp = nla_get_u8(attr);
	}

	if (tb[NATKEEP_A_MARK])
		p->mark = nla_get_u32(tb[NATKEEP_A_MARK]);
	return 0;
}

/* The string attributes of SIP keep-alives, where they go, how judged. */
static const struct nk_sip_string {
	int type;
	size_t offset;
	size_t size;
	bool (*valid)(const char *s);	/* NULL: judged elsewhere */
	const char *bad_msg;
	const char *long_msg;
} nk_sip_strings[] = {
	{ NATKEEP_A_SIP_HOST, offsetof(struct nk_sip_params, host),
	  sizeof_field(struct nk_sip_params, host), nk_sip_valid_host,
	  "SIP host: not a host name, IPv4 address or [IPv6] address (with an optional :port)",
	  "SIP host: longer than 255 bytes" },
	{ NATKEEP_A_SIP_FROM_USER, offsetof(struct nk_sip_params, from_user),
	  sizeof_field(struct nk_sip_params, from_user), nk_sip_valid_user,
	  "SIP From user: characters a SIP userid may not hold",
	  "SIP From user: longer than 64 bytes" },
	{ NATKEEP_A_SIP_FROM_DOMAIN, offsetof(struct nk_sip_params, from_domain),
	  sizeof_field(struct nk_sip_params, from_domain), nk_sip_valid_host,
	  "SIP From domain: not a host name, IPv4 address or [IPv6] address",
	  "SIP From domain: longer than 255 bytes" },
	{ NATKEEP_A_SIP_USER_AGENT, offsetof(struct nk_sip_params, user_agent),
	  sizeof_field(struct nk_sip_params, user_agent), nk_sip_valid_text,
	  "SIP User-Agent: control characters are not allowed",
	  "SIP User-Agent: longer than 128 bytes" },
	{ NATKEEP_A_CUSTOM_SPEC, offsetof(struct nk_sip_params, spec),
	  sizeof_field(struct nk_sip_params, spec), NULL, NULL,
	  "custom spec: longer than 256 bytes" },
};

/*
 * A string attribute: NUL-terminated, no NUL before the end, fitting
 * @size with its NUL. An empty string clears an optional field.
 */
static int nk_parse_sip_string(const struct nlattr *attr,
			       const struct nk_sip_string *f, char *dst,
			       struct netlink_ext_ack *extack)
{
	const char *s = nla_data(attr);
	int len = nla_len(attr);

	if (len < 1 || s[len - 1] || strnlen(s, len) != len - 1) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "a string attribute must end with its only NUL");
		return -EINVAL;
	}
	if (len > f->size) {
		nk_set_err_attr(extack, attr, f->long_msg);
		return -ERANGE;
	}
	if (len > 1 && f->valid && !f->valid(s)) {
		nk_set_err_attr(extack, attr, f->bad_msg);
		return -EINVAL;
	}
	memcpy(dst, s, len);
	return 0;
}

static int nk_parse_sip(struct nlattr **tb, struct nk_flow_params *p,
			struct netlink_ext_ack *extack)
{
	struct nk_sip_params *sip;
	const char *err_msg;
	int i, err;

	for (i = 0; i < ARRAY_SIZE(nk_sip_strings); i++) {
		const struct nk_sip_string *f = &nk_sip_strings[i];
		struct nlattr *attr = tb[f->type];

		if (!attr)
			continue;
		if (!p->sip) {
			p->sip = kzalloc(sizeof(*p->sip), GFP_KERNEL_ACCOUNT);
			if (!p->sip)
				return -ENOMEM;
		}
		err = nk_parse_sip_string(attr, f, (char *)p->sip + f->offset,
					  extack);
		if (err)
			return err;
	}

	sip = p->sip;
	if (tb[NATKEEP_A_CUSTOM_SPEC] && sip->spec[0] &&
	    nk_custom_spec_parse(sip->spec, strlen(sip->spec), &sip->custom,
				 &err_msg)) {
		nk_set_err_attr(extack, tb[NATKEEP_A_CUSTOM_SPEC], err_msg);
		return -EINVAL;
	}
	if (tb[NATKEEP_A_CUSTOM_SPEC] && !sip->spec[0])
		memset(&sip->custom, 0, sizeof(sip->custom));
	return 0;
}

static int nk_parse_liveness(struct nlattr **tb, struct nk_flow_params *p,
			     struct netlink_ext_ack *extack)
{
	struct nlattr *attr;

	attr = tb[NATKEEP_A_STUN_FINGERPRINT];
	if (attr) {
		if (nla_get_u8(attr) > 1) {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "STUN fingerprint must be 0 or 1");
			return -EINVAL;
		}
		p->stun_fingerprint = nla_get_u8(attr);
	}

	attr = tb[NATKEEP_A_MISS_LIMIT];
	if (attr) {
		if (!nla_get_u8(attr)) {
			NL_SET_ERR_MSG_ATTR(extack, attr, "miss limit must be 1..255");
			return -ERANGE;
		}
		p->miss_limit = nla_get_u8(attr);
	}

	if (tb[NATKEEP_A_RESPONSE_TIMEOUT_MS])
		p->response_timeout_ms =
			nla_get_u32(tb[NATKEEP_A_RESPONSE_TIMEOUT_MS]);
	return 0;
}

/* Rules across attributes, checked on the whole result. */
static int nk_check_params(struct nlattr **tb, const struct nk_flow_params *p,
			   struct netlink_ext_ack *extack)
{
	bool sip_type = p->msg_type == NATKEEP_MSG_OPTIONS ||
			p->msg_type == NATKEEP_MSG_NOTIFY ||
			p->msg_type == NATKEEP_MSG_CUSTOM;

	if (p->response_timeout_ms > p->interval_ms) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NATKEEP_A_RESPONSE_TIMEOUT_MS] ?:
				    tb[NATKEEP_A_INTERVAL_MS],
				    "response timeout longer than the interval");
		return -EINVAL;
	}
	if (sip_type && (!p->sip || !p->sip->from_user[0])) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NATKEEP_A_MSG_TYPE],
				    "SIP keep-alives (options, notify, custom) need a From user");
		NL_SET_ERR_ATTR_MISS(extack, NULL, NATKEEP_A_SIP_FROM_USER);
		return -EINVAL;
	}
	if (p->msg_type == NATKEEP_MSG_CUSTOM && !p->sip->spec[0]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[NATKEEP_A_MSG_TYPE],
				    "the custom type needs a custom spec");
		NL_SET_ERR_ATTR_MISS(extack, NULL, NATKEEP_A_CUSTOM_SPEC);
		return -EINVAL;
	}
	return 0;
}

/*
 * Apply the attributes in @tb (validated against nk_flow_policy) to
 * @params. For a new flow (@create) @params starts zeroed and the attributes
 * of nk_required_attrs must all be there; for a change it holds the flow's
 * current parameters (a copy, see nk_params_copy()) and every attribute is
 * optional. On error @params is partly changed: callers parse into a copy,
 * and release it (nk_params_release()) whatever the result.
 */
int nk_params_parse(struct nlattr **tb, struct nk_flow_params *params,
		    bool create, struct netlink_ext_ack *extack)
{
	int err;
	int i;

	/* The protocol code's limits are the contract's. */
	BUILD_BUG_ON(NK_SIP_USER_MAX != NATKEEP_SIP_USER_MAX);
	BUILD_BUG_ON(NK_SIP_HOST_MAX != NATKEEP_SIP_HOST_MAX);
	BUILD_BUG_ON(NK_SIP_TEXT_MAX != NATKEEP_SIP_TEXT_MAX);
	BUILD_BUG_ON(NK_CUSTOM_SPEC_MAX != NATKEEP_CUSTOM_SPEC_MAX);

	if (create) {
		for (i = 0; i < ARRAY_SIZE(nk_required_attrs); i++) {
			int type = nk_required_attrs[i].type;

			if (!tb[type]) {
				nk_set_err_attr(extack, NULL,
						nk_required_attrs[i].missing_msg);
				NL_SET_ERR_ATTR_MISS(extack, NULL, type);
				return -EINVAL;
			}
		}
		memset(params, 0, sizeof(*params));
		params->miss_limit = NATKEEP_MISS_LIMIT_DEFAULT;
	}

	err = nk_parse_endpoints(tb, params, extack);
	if (err)
		return err;
	err = nk_parse_sending(tb, params, extack);
	if (err)
		return err;
	err = nk_parse_liveness(tb, params, extack);
	if (err)
		return err;
	err = nk_parse_sip(tb, params, extack);
	if (err)
		return err;
	return nk_check_params(tb, params, extack);
}

/* @to gets its own copy of @from's SIP text. */
int nk_params_copy(struct nk_flow_params *to, const struct nk_flow_params *from)
{
	*to = *from;
	if (!from->sip)
		return 0;
	to->sip = kmemdup(from->sip, sizeof(*from->sip), GFP_KERNEL_ACCOUNT);
	return to->sip ? 0 : -ENOMEM;
}

void nk_params_release(struct nk_flow_params *params)
{
	kfree(params->sip);
	params->sip = NULL;
}

u32 nk_params_response_timeout_ms(const struct nk_flow_params *params)
{
	return params->response_timeout_ms ?:
	       min_t(u32, NATKEEP_RESPONSE_TIMEOUT_DEFAULT_MS,
		     params->interval_ms);
}

/* The SIP strings that are set; an empty one is not sent. */
static int nk_params_fill_sip(struct sk_buff *skb,
			      const struct nk_sip_params *sip)
{
	int i;

	if (!sip)
		return 0;
	for (i = 0; i < ARRAY_SIZE(nk_sip_strings); i++) {
		const struct nk_sip_string *f = &nk_sip_strings[i];
		const char *s = (const char *)sip + f->offset;

		if (s[0] && nla_put_string(skb, f->type, s))
			return -EMSGSIZE;
	}
	return 0;
}

int nk_params_fill(struct sk_buff *skb, const struct nk_flow_params *params)
{
	const struct nk_flow_key *key = &params->key;
	unsigned int alen = nk_addr_len(key->family);

	if (nla_put_u16(skb, NATKEEP_A_FAMILY, key->family) ||
	    nla_put(skb, NATKEEP_A_LOCAL_ADDR, alen, &key->local) ||
	    nla_put_u16(skb, NATKEEP_A_LOCAL_PORT, ntohs(key->local_port)) ||
	    nla_put(skb, NATKEEP_A_REMOTE_ADDR, alen, &key->remote) ||
	    nla_put_u16(skb, NATKEEP_A_REMOTE_PORT, ntohs(key->remote_port)) ||
	    nla_put_u32(skb, NATKEEP_A_INTERVAL_MS, params->interval_ms) ||
	    nla_put_u8(skb, NATKEEP_A_RANDOMIZE, params->randomize) ||
	    nla_put_u8(skb, NATKEEP_A_MSG_TYPE, params->msg_type) ||
	    nla_put_u32(skb, NATKEEP_A_MARK, params->mark) ||
	    nla_put_u8(skb, NATKEEP_A_DSCP, params->dscp) ||
	    nla_put_u8(skb, NATKEEP_A_STUN_FINGERPRINT,
		       params->stun_fingerprint) ||
	    nla_put_u32(skb, NATKEEP_A_RESPONSE_TIMEOUT_MS,
			nk_params_response_timeout_ms(params)) ||
	    nla_put_u8(skb, NATKEEP_A_MISS_LIMIT, params->miss_limit))
		return -EMSGSIZE;
	return nk_params_fill_sip(skb, params->sip);
}

bool nk_params_same_key(const struct nk_flow_params *a,
			const struct nk_flow_params *b)
{
	return !memcmp(&a->key, &b->key, NK_FLOW_KEY_LEN);
}

/* Whether a change keeps the flow's send times where they are. */
bool nk_params_same_schedule(const struct nk_flow_params *a,
			     const struct nk_flow_params *b)
{
	return a->interval_ms == b->interval_ms && a->randomize == b->randomize;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The fuzz generators: one function per family of mutation, each building
 * one buffer in w->msg and sending it through nf_exchange(), which checks
 * the answers. Where a generator knows what the answer must be (a valid
 * request, or one attribute just outside its range), it says so in the
 * message (valid, must_fail, allow[]), and nf_exchange() holds the module
 * to it.
 *
 * Valid flows go from 127.0.0.1 or ::1 (or the unspecified address) and a
 * small pool of local ports, so that keys collide (EEXIST), to the
 * responders of nlfuzz_peer.c, so that keep-alives are answered while the
 * flows are changed and deleted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "nlfuzz.h"

#define GENL_HDR_END	(NLMSG_HDRLEN + GENL_HDRLEN)

static const uint8_t lo4[16] = { 127, 0, 0, 1 };
static const uint8_t lo6[16] = { [15] = 1 };
static const uint8_t any[16];

static const char *const users[] = {
	"alice", "bob", "1001", "user.name-x_y~!", "%41lice", "a&b=c+d$,;?/",
};
static const char *const hosts[] = {
	"127.0.0.1", "[::1]", "sip.example.com", "example.com:5060",
	"[::1]:5062", "localhost", "10.0.0.1:65535",
};
static const char *const agents[] = {
	"nlfuzz/1.0", "Grandstream GXP2160 1.0.11.23", "OBIHAI/OBi200-3.2.2",
	"caf\xc3\xa9 \xe2\x98\x8e",
};
static const char *const specs[] = {
	"mtd=OPTIONS", "mtd=NOTIFY", "mtd=NOTIFY;event=check-sync",
	"mtd=INFO;user=bob", "mtd=OPTIONS;user=1001;", "user=bob;mtd=PING",
};

#define PICK(r, a)	((a)[nf_rnd((r), ARRAY_SIZE(a))])

/* --- flows the module should take ----------------------------------------- */

uint16_t nf_local_port(struct nf_worker *w)
{
	return (uint16_t)(w->o->port_base + 10 + nf_rnd(&w->rng, 8));
}

/* The responder's port for a type: STUN at base, SIP at base + 1. */
static uint16_t peer_port(struct nf_worker *w, uint8_t type)
{
	switch (type) {
	case NATKEEP_MSG_STUN:
		return w->o->port_base;
	case NATKEEP_MSG_OPTIONS:
	case NATKEEP_MSG_NOTIFY:
	case NATKEEP_MSG_CUSTOM:
		return (uint16_t)(w->o->port_base + 1);
	default:
		return (uint16_t)(w->o->port_base + nf_rnd(&w->rng, 2));
	}
}

static bool sip_type(uint8_t type)
{
	return type == NATKEEP_MSG_OPTIONS || type == NATKEEP_MSG_NOTIFY ||
	       type == NATKEEP_MSG_CUSTOM;
}

static void flow_addresses(struct nf_worker *w, struct nf_flow *f, uint16_t family)
{
	f->family = family;
	memcpy(f->local, nf_chance(&w->rng, 80) ? (family == AF_INET ? lo4 : lo6) : any, 16);
	memcpy(f->remote, family == AF_INET ? lo4 : lo6, 16);
}

/* The strings a type needs, and now and then the optional ones. */
static void flow_strings(struct nf_worker *w, struct nf_flow *f)
{
	struct nf_rng *r = &w->rng;

	f->from_user = f->host = f->from_domain = f->user_agent = f->spec = NULL;
	if (sip_type(f->type) || nf_chance(r, 20))
		f->from_user = PICK(r, users);
	if (nf_chance(r, 30))
		f->host = PICK(r, hosts);
	if (nf_chance(r, 20))
		f->from_domain = PICK(r, hosts);
	if (nf_chance(r, 30))
		f->user_agent = PICK(r, agents);
	if (f->type == NATKEEP_MSG_CUSTOM || nf_chance(r, 10))
		f->spec = PICK(r, specs);
}

static void flow_type(struct nf_worker *w, struct nf_flow *f, uint8_t type)
{
	f->type = type;
	f->rport = peer_port(w, type);
	flow_strings(w, f);
}

void nf_flow_valid(struct nf_worker *w, struct nf_flow *f)
{
	struct nf_rng *r = &w->rng;

	memset(f, 0, sizeof(*f));
	flow_addresses(w, f, nf_chance(r, 50) ? AF_INET : AF_INET6);
	f->lport = nf_local_port(w);
	flow_type(w, f, (uint8_t)(1 + nf_rnd(r, NATKEEP_MSG_MAX)));
	/* Small intervals: the flows fire while they are changed. */
	f->interval_ms = 10 + nf_rnd(r, 91);
	f->randomize = (uint8_t)nf_rnd(r, 2);
	f->dscp = nf_chance(r, 30) ? (uint8_t)nf_rnd(r, 64) : 0;
	f->fingerprint = (uint8_t)nf_rnd(r, 2);
	f->miss_limit = nf_chance(r, 50) ? (uint8_t)(1 + nf_rnd(r, 5)) : 0;
	f->mark = nf_chance(r, 20) ? (uint32_t)nf_rnd64(r) : 0;
	f->timeout_ms = nf_chance(r, 40) ? 1 + nf_rnd(r, f->interval_ms) : 0;
}

#define SKIP(type)	(1u << (type))

/* The attributes of @f, but those of the types in @skip (SKIP()). */
static void put_flow_except(struct nf_msg *m, const struct nf_flow *f, uint32_t skip)
{
	size_t alen = f->family == AF_INET ? 4 : 16;

#define PUT(type, call) do { if (!(skip & SKIP(type))) call; } while (0)
	PUT(NATKEEP_A_FAMILY, nf_put_u16(m, NATKEEP_A_FAMILY, f->family));
	PUT(NATKEEP_A_LOCAL_ADDR, nf_put(m, NATKEEP_A_LOCAL_ADDR, f->local, alen));
	PUT(NATKEEP_A_LOCAL_PORT, nf_put_u16(m, NATKEEP_A_LOCAL_PORT, f->lport));
	PUT(NATKEEP_A_REMOTE_ADDR, nf_put(m, NATKEEP_A_REMOTE_ADDR, f->remote, alen));
	PUT(NATKEEP_A_REMOTE_PORT, nf_put_u16(m, NATKEEP_A_REMOTE_PORT, f->rport));
	PUT(NATKEEP_A_INTERVAL_MS, nf_put_u32(m, NATKEEP_A_INTERVAL_MS, f->interval_ms));
	PUT(NATKEEP_A_MSG_TYPE, nf_put_u8(m, NATKEEP_A_MSG_TYPE, f->type));
	if (f->randomize)
		PUT(NATKEEP_A_RANDOMIZE, nf_put_u8(m, NATKEEP_A_RANDOMIZE, f->randomize));
	if (f->dscp)
		PUT(NATKEEP_A_DSCP, nf_put_u8(m, NATKEEP_A_DSCP, f->dscp));
	if (f->fingerprint)
		PUT(NATKEEP_A_STUN_FINGERPRINT,
		    nf_put_u8(m, NATKEEP_A_STUN_FINGERPRINT, f->fingerprint));
	if (f->miss_limit)
		PUT(NATKEEP_A_MISS_LIMIT, nf_put_u8(m, NATKEEP_A_MISS_LIMIT, f->miss_limit));
	if (f->mark)
		PUT(NATKEEP_A_MARK, nf_put_u32(m, NATKEEP_A_MARK, f->mark));
	/* Even 0 (the default): a FLOW_SET's new interval then always fits. */
	PUT(NATKEEP_A_RESPONSE_TIMEOUT_MS,
	    nf_put_u32(m, NATKEEP_A_RESPONSE_TIMEOUT_MS, f->timeout_ms));
	if (f->host)
		PUT(NATKEEP_A_SIP_HOST, nf_put_str(m, NATKEEP_A_SIP_HOST, f->host));
	if (f->from_user)
		PUT(NATKEEP_A_SIP_FROM_USER, nf_put_str(m, NATKEEP_A_SIP_FROM_USER, f->from_user));
	if (f->from_domain)
		PUT(NATKEEP_A_SIP_FROM_DOMAIN,
		    nf_put_str(m, NATKEEP_A_SIP_FROM_DOMAIN, f->from_domain));
	if (f->user_agent)
		PUT(NATKEEP_A_SIP_USER_AGENT,
		    nf_put_str(m, NATKEEP_A_SIP_USER_AGENT, f->user_agent));
	if (f->spec)
		PUT(NATKEEP_A_CUSTOM_SPEC, nf_put_str(m, NATKEEP_A_CUSTOM_SPEC, f->spec));
#undef PUT
}

void nf_put_flow(struct nf_msg *m, const struct nf_flow *f)
{
	put_flow_except(m, f, 0);
}

/* --- the flows a worker knows ----------------------------------------------- */

void nf_live_add(struct nf_worker *w, uint32_t id)
{
	for (int i = 0; i < w->n_live; i++)
		if (w->live[i] == id)
			return;
	if (w->n_live < NF_LIVE_MAX)
		w->live[w->n_live++] = id;
}

void nf_live_del(struct nf_worker *w, uint32_t id)
{
	for (int i = 0; i < w->n_live; i++) {
		if (w->live[i] == id) {
			w->live[i] = w->live[--w->n_live];
			w->gone[nf_rnd(&w->rng, ARRAY_SIZE(w->gone))] = id;
			return;
		}
	}
}

uint32_t nf_live_pick(struct nf_worker *w)
{
	return w->n_live ? w->live[nf_rnd(&w->rng, (uint32_t)w->n_live)] : 0;
}

/* A flow id to name: mostly a live one, else gone, random or extreme. */
static uint32_t pick_id(struct nf_worker *w)
{
	static const uint32_t extreme[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff };
	struct nf_rng *r = &w->rng;
	uint32_t id;

	switch (nf_rnd(r, 10)) {
	case 0:
		id = w->gone[nf_rnd(r, ARRAY_SIZE(w->gone))];
		return id ? id : 1 + nf_rnd(r, 100);
	case 1:
		return 1 + nf_rnd(r, w->last_new_id + 20);
	case 2:
		return extreme[nf_rnd(r, ARRAY_SIZE(extreme))];
	default:
		id = nf_live_pick(w);
		return id ? id : 1 + nf_rnd(r, w->last_new_id + 20);
	}
}

/* The flows of the namespace, from a dump, become the ones known. */
int nf_resync(struct nf_worker *w)
{
	static uint32_t ids[NF_LIVE_MAX];
	struct nf_msg *m = w->msg;
	struct nf_result r = { .dump_ids = ids, .dump_cap = NF_LIVE_MAX };

	nf_msg_natkeep(w, m, NATKEEP_CMD_FLOW_GET, NLM_F_DUMP);
	m->gen = "resync";
	nf_msg_end(m);
	if (nf_exchange(w, m, &r) < 0 || r.err)
		return -1;
	w->n_live = 0;
	for (size_t i = 0; i < r.n_dump; i++)
		nf_live_add(w, ids[i]);
	return (int)r.n_dump;
}

/* --- helpers of the generators --------------------------------------------- */

static struct nf_msg *start(struct nf_worker *w, const char *gen, uint8_t cmd)
{
	struct nf_msg *m = w->msg;

	nf_msg_natkeep(w, m, cmd, 0);
	m->gen = gen;
	return m;
}

static int send_msg(struct nf_worker *w)
{
	struct nf_result r = { 0 };

	nf_msg_end(w->msg);
	return nf_exchange(w, w->msg, &r);
}

/* What a valid request may still meet: a taken key, the limits, a race. */
static void allow_new(struct nf_worker *w, struct nf_msg *m)
{
	m->valid = true;
	nf_msg_allow(m, EEXIST);
	nf_msg_allow(m, ENOSPC);
	if (w->o->userns)
		nf_msg_allow(m, EPERM);	/* userns_flows off */
}

static void allow_set(struct nf_worker *w, struct nf_msg *m, uint32_t id)
{
	allow_new(w, m);
	nf_msg_allow(m, ENOENT);
	m->target_id = id;
}

/* Must fail with @err (or, naming a flow, with ENOENT: it may be gone). */
static void must_fail(struct nf_msg *m, int err, bool names_flow)
{
	m->valid = true;
	m->must_fail = true;
	m->n_allow = 0;
	nf_msg_allow(m, err);
	if (names_flow)
		nf_msg_allow(m, ENOENT);
}

static void want_flow(struct nf_msg *m, const struct nf_flow *f, unsigned int mask)
{
	m->want = *f;
	m->want_mask = mask;
}

/* A valid FLOW_NEW, or a FLOW_SET of a live flow, with @f's attributes. */
static struct nf_msg *start_flow(struct nf_worker *w, const char *gen,
				 struct nf_flow *f, bool *set, uint32_t *id)
{
	struct nf_msg *m;

	nf_flow_valid(w, f);
	*id = nf_live_pick(w);
	*set = *id && nf_chance(&w->rng, 40);
	m = start(w, gen, *set ? NATKEEP_CMD_FLOW_SET : NATKEEP_CMD_FLOW_NEW);
	if (*set)
		nf_put_u32(m, NATKEEP_A_FLOW_ID, *id);
	return m;
}

static void fill_random(struct nf_rng *r, uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)nf_rnd64(r);
}

/* --- generators -------------------------------------------------------------- */

/* A valid flow: it must be made (or meet a taken key or a limit). */
static void gen_new_valid(struct nf_worker *w)
{
	struct nf_msg *m = start(w, "new", NATKEEP_CMD_FLOW_NEW);
	struct nf_flow f;
	unsigned int mask = NF_F_FAMILY | NF_F_LOCAL | NF_F_REMOTE |
			    NF_F_INTERVAL | NF_F_TYPE | NF_F_DSCP | NF_F_MARK;

	nf_flow_valid(w, &f);
	nf_put_flow(m, &f);
	allow_new(w, m);
	want_flow(m, &f, mask);
	send_msg(w);
}

/* A valid change of a live flow: one to three of its parameters. */
static void gen_set_valid(struct nf_worker *w)
{
	struct nf_rng *r = &w->rng;
	uint32_t id = pick_id(w);
	struct nf_msg *m = start(w, "set", NATKEEP_CMD_FLOW_SET);
	struct nf_flow f;
	unsigned int mask = NF_F_ID;
	bool sip_texts = false;
	int changes = 1 + (int)nf_rnd(r, 3);

	nf_flow_valid(w, &f);
	nf_put_u32(m, NATKEEP_A_FLOW_ID, id);
	while (changes--) {
		switch (nf_rnd(r, 8)) {
		case 0:	/* the interval, with a timeout that fits it */
			nf_put_u32(m, NATKEEP_A_INTERVAL_MS, f.interval_ms);
			nf_put_u32(m, NATKEEP_A_RESPONSE_TIMEOUT_MS, f.timeout_ms);
			mask |= NF_F_INTERVAL;
			break;
		case 1:	/* the type, with what it needs */
			nf_put_u8(m, NATKEEP_A_MSG_TYPE, f.type);
			if (f.from_user)
				nf_put_str(m, NATKEEP_A_SIP_FROM_USER, f.from_user);
			if (f.spec)
				nf_put_str(m, NATKEEP_A_CUSTOM_SPEC, f.spec);
			mask |= NF_F_TYPE;
			sip_texts = true;
			break;
		case 2:
			nf_put_u8(m, NATKEEP_A_DSCP, f.dscp);
			nf_put_u32(m, NATKEEP_A_MARK, f.mark);
			mask |= NF_F_DSCP | NF_F_MARK;
			break;
		case 3:	/* the key: another local port */
			nf_put_u16(m, NATKEEP_A_LOCAL_PORT, f.lport);
			break;
		case 4:	/* the family, with both addresses */
			nf_put_u16(m, NATKEEP_A_FAMILY, f.family);
			nf_put(m, NATKEEP_A_LOCAL_ADDR, f.local, f.family == AF_INET ? 4 : 16);
			nf_put(m, NATKEEP_A_REMOTE_ADDR, f.remote, f.family == AF_INET ? 4 : 16);
			mask |= NF_F_FAMILY;
			sip_texts = true;	/* the request names the addresses */
			break;
		case 5:
			nf_put_u8(m, NATKEEP_A_RANDOMIZE, f.randomize);
			nf_put_u8(m, NATKEEP_A_STUN_FINGERPRINT, f.fingerprint);
			nf_put_u8(m, NATKEEP_A_MISS_LIMIT, (uint8_t)(1 + nf_rnd(r, 255)));
			break;
		case 6:	/* optional strings cleared or set */
			nf_put_str(m, NATKEEP_A_SIP_HOST, nf_chance(r, 50) ? "" : PICK(r, hosts));
			nf_put_str(m, NATKEEP_A_SIP_USER_AGENT, nf_chance(r, 50) ? "" : PICK(r, agents));
			nf_put_str(m, NATKEEP_A_SIP_FROM_DOMAIN, nf_chance(r, 50) ? "" : PICK(r, hosts));
			sip_texts = true;
			break;
		default:	/* a timeout any interval takes */
			nf_put_u32(m, NATKEEP_A_RESPONSE_TIMEOUT_MS, nf_rnd(r, NATKEEP_INTERVAL_MIN_MS + 1));
			break;
		}
	}
	allow_set(w, m, id);
	/*
	 * The live flow may keep SIP texts near their limits from gen_strings
	 * (each accepted for the request they were set with): another type,
	 * other texts or an IPv6 address can make its request too long for
	 * every path.
	 */
	if (sip_texts)
		nf_msg_allow(m, EMSGSIZE);
	want_flow(m, &f, mask);
	send_msg(w);
}

/* Delete a flow: live, gone or made up; now and then with other attributes. */
static void gen_del(struct nf_worker *w)
{
	uint32_t id = pick_id(w);
	struct nf_msg *m = start(w, "del", NATKEEP_CMD_FLOW_DEL);

	nf_put_u32(m, NATKEEP_A_FLOW_ID, id);
	if (nf_chance(&w->rng, 20))
		nf_put_u32(m, NATKEEP_A_INTERVAL_MS, 5);	/* ignored: no range check */
	m->valid = true;
	m->target_id = id;
	nf_msg_allow(m, ENOENT);
	send_msg(w);
}

static void del_live(struct nf_worker *w)
{
	uint32_t id = nf_live_pick(w);
	struct nf_msg *m = start(w, "del-live", NATKEEP_CMD_FLOW_DEL);

	nf_put_u32(m, NATKEEP_A_FLOW_ID, id);
	m->valid = true;
	m->target_id = id;
	nf_msg_allow(m, ENOENT);
	send_msg(w);
}

/* One flow, or the dump of all (with or without an ack asked for). */
static void gen_get(struct nf_worker *w)
{
	struct nf_rng *r = &w->rng;
	struct nf_msg *m = start(w, "get", NATKEEP_CMD_FLOW_GET);
	uint32_t id = pick_id(w);

	switch (nf_rnd(r, 5)) {
	case 0:
	case 1:
		nf_put_u32(m, NATKEEP_A_FLOW_ID, id);
		m->valid = true;
		m->target_id = id;
		nf_msg_allow(m, ENOENT);
		break;
	case 2:
		m->nlh.nlmsg_flags |= NLM_F_DUMP;
		break;
	case 3:	/* a dump ignores what it is given */
		m->nlh.nlmsg_flags |= NLM_F_DUMP;
		nf_put_u32(m, NATKEEP_A_FLOW_ID, id);
		break;
	default:
		m->nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		break;
	}
	send_msg(w);
}

static void gen_stats(struct nf_worker *w)
{
	struct nf_msg *m = start(w, "stats", NATKEEP_CMD_STATS_GET);

	if (nf_chance(&w->rng, 30))
		nf_put_u32(m, NATKEEP_A_FLOW_ID, pick_id(w));
	m->valid = true;
	send_msg(w);
}

/* Every command number, versions, flags and the reserved byte. */
static void gen_commands(struct nf_worker *w)
{
	static const uint8_t cmds[] = {
		NATKEEP_CMD_UNSPEC, NATKEEP_CMD_FLOW_NEW, NATKEEP_CMD_FLOW_SET,
		NATKEEP_CMD_FLOW_DEL, NATKEEP_CMD_FLOW_GET, NATKEEP_CMD_MAPPING_CHANGED,
		NATKEEP_CMD_PEER_UNRESPONSIVE, NATKEEP_CMD_PEER_RESPONSIVE,
		NATKEEP_CMD_STATS_GET, 9, 10, 100, 127, 128, 254, 255,
	};
	static const uint8_t versions[] = { 0, 1, 1, 2, 255 };
	static const uint16_t flags[] = {
		NLM_F_REQUEST | NLM_F_ACK,
		NLM_F_REQUEST,
		NLM_F_ACK,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_ROOT,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_REPLACE,
		NLM_F_REQUEST | NLM_F_ACK | NLM_F_MULTI,
		0xffff,
	};
	struct nf_rng *r = &w->rng;
	struct nf_msg *m = w->msg;
	struct nf_flow f;

	nf_msg_begin(m, w->nl.family, PICK(r, flags), PICK(r, cmds), PICK(r, versions));
	m->gen = "commands";
	if (nf_chance(r, 10))
		((struct genlmsghdr *)(m->buf + NLMSG_HDRLEN))->reserved = (uint16_t)nf_rnd64(r);
	switch (nf_rnd(r, 3)) {
	case 0:
		break;
	case 1:
		nf_put_u32(m, NATKEEP_A_FLOW_ID, pick_id(w));
		break;
	default:
		nf_flow_valid(w, &f);
		nf_put_flow(m, &f);
	}
	send_msg(w);
}

/* Numbers at their limits and just outside: the module must say which. */
struct bound {
	uint16_t type;
	uint8_t size;
	uint32_t lo, hi;
	int err;		/* for a value outside lo..hi */
};

static const struct bound bounds[] = {
	{ NATKEEP_A_LOCAL_PORT, 2, 1, 65535, EINVAL },
	{ NATKEEP_A_REMOTE_PORT, 2, 1, 65535, EINVAL },
	{ NATKEEP_A_INTERVAL_MS, 4, NATKEEP_INTERVAL_MIN_MS, NATKEEP_INTERVAL_MAX_MS, ERANGE },
	{ NATKEEP_A_RANDOMIZE, 1, 0, 1, EINVAL },
	{ NATKEEP_A_MSG_TYPE, 1, 1, NATKEEP_MSG_MAX, EINVAL },
	{ NATKEEP_A_MARK, 4, 0, UINT32_MAX, 0 },
	{ NATKEEP_A_DSCP, 1, 0, NATKEEP_DSCP_MAX, ERANGE },
	{ NATKEEP_A_STUN_FINGERPRINT, 1, 0, 1, EINVAL },
	{ NATKEEP_A_MISS_LIMIT, 1, 1, 255, ERANGE },
	{ NATKEEP_A_RESPONSE_TIMEOUT_MS, 4, 0, 0 /* the interval */, EINVAL },
	{ NATKEEP_A_FAMILY, 2, AF_INET, AF_INET6, EAFNOSUPPORT },
	{ NATKEEP_A_FLOW_ID, 4, 0, UINT32_MAX, EINVAL /* in FLOW_NEW */ },
};

static uint32_t bound_value(struct nf_rng *r, const struct bound *b, uint32_t hi)
{
	uint32_t max = b->size == 1 ? 0xff : b->size == 2 ? 0xffff : UINT32_MAX;

	switch (nf_rnd(r, 7)) {
	case 0: return b->lo;
	case 1: return hi;
	case 2: return b->lo ? b->lo - 1 : 0;
	case 3: return hi < max ? hi + 1 : hi;
	case 4: return max;
	case 5: return 0;
	default: return nf_rnd(r, 2) ? nf_rnd(r, max) : b->lo + nf_rnd(r, hi - b->lo + 1);
	}
}

static void put_sized(struct nf_msg *m, uint16_t type, uint8_t size, uint32_t v)
{
	if (size == 1)
		nf_put_u8(m, type, (uint8_t)v);
	else if (size == 2)
		nf_put_u16(m, type, (uint16_t)v);
	else
		nf_put_u32(m, type, v);
}

static void gen_boundary(struct nf_worker *w)
{
	struct nf_rng *r = &w->rng;
	const struct bound *b = &PICK(r, bounds);
	struct nf_flow f;
	struct nf_msg *m;
	uint32_t id = 0, v, hi;
	bool set, in;

	m = start_flow(w, "boundary", &f, &set, &id);
	f.timeout_ms = 0;
	hi = b->type == NATKEEP_A_RESPONSE_TIMEOUT_MS ? f.interval_ms : b->hi;
	v = bound_value(r, b, hi);
	in = v >= b->lo && v <= hi;
	if (b->type == NATKEEP_A_FAMILY)
		in = v == AF_INET || v == AF_INET6;
	/* Around the value, what makes it valid when it is in range. */
	if (b->type == NATKEEP_A_FAMILY && in)
		flow_addresses(w, &f, (uint16_t)v);
	if (b->type == NATKEEP_A_MSG_TYPE && in)
		flow_type(w, &f, (uint8_t)v);
	if (b->type == NATKEEP_A_INTERVAL_MS && in)
		f.interval_ms = v;
	if (!set) {
		put_flow_except(m, &f, SKIP(b->type));
	} else if (b->type == NATKEEP_A_FAMILY || b->type == NATKEEP_A_MSG_TYPE) {
		/* A change of family needs both addresses, a type its strings. */
		put_flow_except(m, &f, SKIP(b->type));
	} else if (b->type == NATKEEP_A_RESPONSE_TIMEOUT_MS) {
		nf_put_u32(m, NATKEEP_A_INTERVAL_MS, f.interval_ms);
	} else if (b->type == NATKEEP_A_INTERVAL_MS) {
		nf_put_u32(m, NATKEEP_A_RESPONSE_TIMEOUT_MS, 0);
	}
	if (b->type == NATKEEP_A_FLOW_ID && set)
		id = v;		/* it replaces the FLOW_ID put first */
	put_sized(m, b->type, b->size, v);
	if (b->type == NATKEEP_A_FLOW_ID && !set)
		must_fail(m, EINVAL, false);	/* the kernel picks ids */
	else if (in)
		set ? allow_set(w, m, id) : allow_new(w, m);
	else
		must_fail(m, b->err, set);
	send_msg(w);
}

/* Attributes of every type with lengths 0..N: the policy's exact sizes. */
static void gen_lengths(struct nf_worker *w)
{
	static const struct { uint16_t type; uint8_t size; } fixed[] = {
		{ NATKEEP_A_FLOW_ID, 4 }, { NATKEEP_A_FAMILY, 2 },
		{ NATKEEP_A_LOCAL_PORT, 2 }, { NATKEEP_A_REMOTE_PORT, 2 },
		{ NATKEEP_A_INTERVAL_MS, 4 }, { NATKEEP_A_RANDOMIZE, 1 },
		{ NATKEEP_A_MSG_TYPE, 1 }, { NATKEEP_A_MARK, 4 },
		{ NATKEEP_A_DSCP, 1 }, { NATKEEP_A_STUN_FINGERPRINT, 1 },
		{ NATKEEP_A_RESPONSE_TIMEOUT_MS, 4 }, { NATKEEP_A_MISS_LIMIT, 1 },
	};
	static const uint8_t cmds[] = {
		NATKEEP_CMD_FLOW_NEW, NATKEEP_CMD_FLOW_SET, NATKEEP_CMD_FLOW_DEL,
		NATKEEP_CMD_FLOW_GET, NATKEEP_CMD_STATS_GET,
	};
	struct nf_rng *r = &w->rng;
	uint16_t type = (uint16_t)nf_rnd(r, NATKEEP_A_MAX + 4);
	size_t len = nf_chance(r, 80) ? nf_rnd(r, 25) : nf_rnd(r, 400);
	uint8_t cmd = PICK(r, cmds);
	struct nf_msg *m = start(w, "lengths", cmd);
	uint8_t data[400];
	struct nf_flow f;
	int size = -1;

	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
		if (fixed[i].type == type)
			size = fixed[i].size;
	if (nf_chance(r, 50))
		fill_random(r, data, len);
	else
		memset(data, nf_chance(r, 50) ? 0 : 0xff, len);
	if (cmd == NATKEEP_CMD_FLOW_NEW) {
		nf_flow_valid(w, &f);
		put_flow_except(m, &f, type <= NATKEEP_A_MAX ? SKIP(type) : 0);
	} else if (cmd != NATKEEP_CMD_STATS_GET && type != NATKEEP_A_FLOW_ID) {
		nf_put_u32(m, NATKEEP_A_FLOW_ID, pick_id(w));
	}
	if (cmd == NATKEEP_CMD_FLOW_GET && nf_chance(r, 30))
		m->nlh.nlmsg_flags |= NLM_F_DUMP;	/* dumps are validated too */
	nf_put(m, type, data, len);
	/* The policy: exact sizes, and no attribute it does not list. */
	if ((size >= 0 && (int)len != size) ||
	    type == NATKEEP_A_UNSPEC || type == NATKEEP_A_PAD ||
	    type == NATKEEP_A_NEXT_SEND_NS || type == NATKEEP_A_STATS ||
	    type >= NATKEEP_A_MAPPING)
		must_fail(m, EINVAL, false);
	send_msg(w);
}

/* Strings: at and over their limit, without NUL, with NUL inside, bad bytes. */
static void gen_strings(struct nf_worker *w)
{
	static const struct { uint16_t type; size_t max; char fill; } kinds[] = {
		{ NATKEEP_A_SIP_HOST, NATKEEP_SIP_HOST_MAX, 'h' },
		{ NATKEEP_A_SIP_FROM_USER, NATKEEP_SIP_USER_MAX, 'u' },
		{ NATKEEP_A_SIP_FROM_DOMAIN, NATKEEP_SIP_HOST_MAX, 'd' },
		{ NATKEEP_A_SIP_USER_AGENT, NATKEEP_SIP_TEXT_MAX, 'a' },
		{ NATKEEP_A_CUSTOM_SPEC, NATKEEP_CUSTOM_SPEC_MAX, 's' },
	};
	static const char *const odd[] = {
		"a\r\nVia: evil", "a b", "user@host", "sip:alice", "\x01\x02",
		"\xff\xfe", "\xc0\xaf", "[::1", "[1.2.3.4]", "host:0", "host:65536",
		"host:", ":5060", "-host", "h..x", "mtd=", "mtd=OPTIONS;mtd=INFO",
		"event=x", "mtd=OPTIONS;event=x", "mtd=NOTIFY;event=", "mtd=A;user=@",
		"mtd=INVITE;", ";", "mtd=OPT IONS", "caf\xc3\xa9", "\xe2\x82",
	};
	struct nf_rng *r = &w->rng;
	int k = (int)nf_rnd(r, ARRAY_SIZE(kinds));
	uint16_t type = kinds[k].type;
	size_t max = kinds[k].max, len = 0;
	static char s[70000];
	struct nf_flow f;
	uint32_t id;
	bool set;
	struct nf_msg *m = start_flow(w, "strings", &f, &set, &id);
	int expect = 0;		/* what it must fail with, 0: may pass */

	if (!set)
		flow_type(w, &f, (uint8_t)(NATKEEP_MSG_CUSTOM + nf_rnd(r, 3)));
	switch (nf_rnd(r, 8)) {
	case 0:	/* a long hostname of labels, or a run of one letter */
		len = max - nf_rnd(r, 3);
		for (size_t i = 0; i < len; i++)
			s[i] = (i % 64 == 63) ? '.' : kinds[k].fill;
		if (type == NATKEEP_A_CUSTOM_SPEC)
			expect = EINVAL;	/* no such method */
		break;
	case 1:	/* one over the limit, or far over */
		len = nf_chance(r, 50) ? max + 1 : max + 1 + nf_rnd(r, 60000 - max);
		memset(s, kinds[k].fill, len);
		expect = ERANGE;
		break;
	case 2:	/* no NUL at the end */
		len = 1 + nf_rnd(r, 20);
		memset(s, kinds[k].fill, len);
		nf_put(m, type, s, len);
		expect = EINVAL;
		goto sent;
	case 3:	/* a NUL inside */
		len = 2 + nf_rnd(r, 20);
		memset(s, kinds[k].fill, len);
		s[nf_rnd(r, (uint32_t)len - 1)] = 0;
		break;
	case 4:	/* empty attribute: not even the NUL */
		nf_put(m, type, NULL, 0);
		expect = EINVAL;
		goto sent;
	case 5:	/* "": clears an optional string */
		len = 0;
		break;
	case 6:
	{
		const char *o = PICK(r, odd);

		len = strlen(o);
		memcpy(s, o, len);
		break;
	}
	default:	/* random bytes, NUL-terminated */
		len = nf_rnd(r, 40);
		fill_random(r, (uint8_t *)s, len);
		break;
	}
	s[len] = 0;
	nf_put(m, type, s, len + 1);
	if (len + 1 > 1 && strlen(s) != len)
		expect = EINVAL;	/* the NUL inside */
sent:
	if (!set)
		put_flow_except(m, &f, SKIP(type));
	if (expect)
		must_fail(m, expect, set);
	send_msg(w);
}

/* Addresses of 0/4/16/17 bytes for either family, special ones too. */
static void gen_addresses(struct nf_worker *w)
{
	static const uint8_t v4[][4] = {
		{ 0, 0, 0, 0 }, { 127, 0, 0, 1 }, { 224, 0, 0, 1 },
		{ 239, 255, 255, 250 }, { 255, 255, 255, 255 }, { 10, 9, 8, 7 },
		{ 240, 0, 0, 1 }, { 0, 1, 2, 3 }, { 127, 0, 0, 1 },
	};
	static const uint8_t v6[][16] = {
		{ 0 }, { [15] = 1 }, { 0xff, 0x02, [15] = 1 },
		{ 0xfe, 0x80, [15] = 1 }, { [10] = 0xff, [11] = 0xff, 127, 0, 0, 1 },
		{ 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, { [15] = 1 },
	};
	static const size_t lens[] = { 0, 3, 4, 4, 4, 5, 15, 16, 16, 16, 17, 32 };
	struct nf_rng *r = &w->rng;
	uint16_t family = nf_chance(r, 50) ? AF_INET : AF_INET6;
	size_t want = family == AF_INET ? 4 : 16, len[2];
	uint8_t addr[2][32];
	int cls[2];
	struct nf_flow f;
	uint32_t id;
	bool set, bad = false;
	struct nf_msg *m = start_flow(w, "addresses", &f, &set, &id);

	for (int i = 0; i < 2; i++) {
		len[i] = nf_chance(r, 60) ? want : PICK(r, lens);
		fill_random(r, addr[i], sizeof(addr[i]));
		cls[i] = -1;
		if (family == AF_INET && len[i] >= 4 && nf_chance(r, 85)) {
			cls[i] = (int)nf_rnd(r, ARRAY_SIZE(v4));
			memcpy(addr[i], v4[cls[i]], 4);
		} else if (family == AF_INET6 && len[i] >= 16 && nf_chance(r, 85)) {
			cls[i] = (int)nf_rnd(r, ARRAY_SIZE(v6));
			memcpy(addr[i], v6[cls[i]], 16);
		}
		bad |= len[i] != want;
	}
	/* Local: unicast or unspecified; remote: unicast. */
	if (family == AF_INET) {
		bad |= cls[0] >= 2 && cls[0] <= 4;
		bad |= cls[1] == 0 || (cls[1] >= 2 && cls[1] <= 4);
		bad |= cls[0] < 0 && len[0] == 4 && (addr[0][0] >= 224 && addr[0][0] < 240);
		bad |= cls[1] < 0 && len[1] == 4 && ((addr[1][0] >= 224 && addr[1][0] < 240) ||
						     !memcmp(addr[1], any, 4));
		bad |= len[0] == 4 && !memcmp(addr[0], "\xff\xff\xff\xff", 4);
		bad |= len[1] == 4 && !memcmp(addr[1], "\xff\xff\xff\xff", 4);
	} else {
		bad |= len[0] == 16 && addr[0][0] == 0xff;
		bad |= len[1] == 16 && (addr[1][0] == 0xff || !memcmp(addr[1], any, 16));
	}
	nf_put_u16(m, NATKEEP_A_FAMILY, family);
	nf_put(m, NATKEEP_A_LOCAL_ADDR, addr[0], len[0]);
	nf_put(m, NATKEEP_A_REMOTE_ADDR, addr[1], len[1]);
	if (!set)
		put_flow_except(m, &f, SKIP(NATKEEP_A_FAMILY) | SKIP(NATKEEP_A_LOCAL_ADDR) |
				       SKIP(NATKEEP_A_REMOTE_ADDR));
	if (bad)
		must_fail(m, EINVAL, set);
	else
		set ? allow_set(w, m, id) : allow_new(w, m);
	send_msg(w);
}

/* Attributes above NATKEEP_A_MAX, read-only ones, NLA_F_NESTED, nests. */
static void gen_unknown_attrs(struct nf_worker *w)
{
	static const uint16_t types[] = {
		NATKEEP_A_UNSPEC, NATKEEP_A_PAD, NATKEEP_A_NEXT_SEND_NS, NATKEEP_A_STATS,
		NATKEEP_A_MAPPING, NATKEEP_A_OLD_MAPPING, NATKEEP_A_PEER_RESPONSIVE,
		NATKEEP_A_FLOWS, NATKEEP_A_MAX + 1, NATKEEP_A_MAX + 2, 100, 0x3fff,
	};
	struct nf_rng *r = &w->rng;
	struct nf_flow f;
	uint32_t id, v = 100;
	bool set, fails = true;
	struct nf_msg *m = start_flow(w, "unknown-attrs", &f, &set, &id);
	struct nlattr *nest;

	if (!set)
		nf_put_flow(m, &f);
	switch (nf_rnd(r, 4)) {
	case 0:
		nf_put_u32(m, PICK(r, types), v);
		break;
	case 1:	/* a real attribute flagged nested */
		nf_put_u32(m, NATKEEP_A_INTERVAL_MS | NLA_F_NESTED, v);
		break;
	case 2:	/* a nest of flow attributes, where none is nested */
		nest = nf_nest_begin(m, nf_chance(r, 50) ? NATKEEP_A_STATS :
					NATKEEP_A_SIP_HOST);
		nf_put_flow(m, &f);
		nf_nest_end(m, nest);
		break;
	default:	/* network byte order flag: taken as a plain attribute */
		nf_put_u32(m, NATKEEP_A_MARK | NLA_F_NET_BYTEORDER, v);
		fails = false;
		break;
	}
	if (fails)
		must_fail(m, EINVAL, false);
	else
		set ? allow_set(w, m, id) : allow_new(w, m);
	send_msg(w);
}

/* An attribute given twice or more: only the last one counts. */
static void gen_duplicates(struct nf_worker *w)
{
	struct nf_rng *r = &w->rng;
	struct nf_flow f;
	uint32_t id, other;
	bool set;
	struct nf_msg *m = start_flow(w, "duplicates", &f, &set, &id);
	int n = 1 + (int)nf_rnd(r, 4);
	uint8_t junk[17];

	switch (nf_rnd(r, 5)) {
	case 0:	/* out-of-range intervals, then a good one */
		while (n--)
			nf_put_u32(m, NATKEEP_A_INTERVAL_MS, nf_rnd(r, 10));
		if (set) {
			nf_put_u32(m, NATKEEP_A_INTERVAL_MS, f.interval_ms);
			nf_put_u32(m, NATKEEP_A_RESPONSE_TIMEOUT_MS, 0);
		}
		break;
	case 1:	/* bad families and addresses, then the flow's */
		while (n--) {
			nf_put_u16(m, NATKEEP_A_FAMILY, (uint16_t)nf_rnd(r, 64));
			fill_random(r, junk, sizeof(junk));
			nf_put(m, NATKEEP_A_LOCAL_ADDR, junk, nf_rnd(r, sizeof(junk)));
		}
		if (set) {	/* the family and both addresses */
			nf_put_u16(m, NATKEEP_A_FAMILY, f.family);
			nf_put(m, NATKEEP_A_LOCAL_ADDR, f.local, f.family == AF_INET ? 4 : 16);
			nf_put(m, NATKEEP_A_REMOTE_ADDR, f.remote, f.family == AF_INET ? 4 : 16);
		}
		break;
	case 2:	/* strings without their NUL, then good ones */
		while (n--) {
			nf_put(m, NATKEEP_A_SIP_USER_AGENT, "x\r\n", 3);
			nf_put(m, NATKEEP_A_SIP_HOST, "", 0);
		}
		nf_put_str(m, NATKEEP_A_SIP_USER_AGENT, PICK(r, agents));
		nf_put_str(m, NATKEEP_A_SIP_HOST, PICK(r, hosts));
		break;
	case 3:	/* another flow id first */
		if (!set)
			break;
		other = pick_id(w);
		m->len = GENL_HDR_END;
		while (n--)
			nf_put_u32(m, NATKEEP_A_FLOW_ID, other);
		nf_put_u32(m, NATKEEP_A_FLOW_ID, id);
		break;
	default:	/* zero ports and DSCP 255 first */
		while (n--) {
			nf_put_u16(m, NATKEEP_A_LOCAL_PORT, 0);
			nf_put_u8(m, NATKEEP_A_DSCP, 255);
		}
		if (set)
			nf_put_u16(m, NATKEEP_A_LOCAL_PORT, f.lport);
		break;
	}
	if (!set)
		nf_put_flow(m, &f);
	nf_put_u8(m, NATKEEP_A_DSCP, f.dscp);	/* the last DSCP is a good one */
	set ? allow_set(w, m, id) : allow_new(w, m);
	send_msg(w);
}

/* A message whose last attribute is cut, or followed by a broken one. */
static void gen_truncated(struct nf_worker *w)
{
	struct nf_rng *r = &w->rng;
	struct nf_flow f;
	uint32_t id;
	bool set;
	struct nf_msg *m = start_flow(w, "truncated", &f, &set, &id);
	size_t last = GENL_HDR_END;
	struct nlattr *a;

	nf_put_flow(m, &f);
	switch (nf_rnd(r, 4)) {
	case 0:	/* 1..3 bytes after the last attribute */
		memset(m->buf + m->len, 0x41, 3);
		m->len += 1 + nf_rnd(r, 3);
		break;
	case 1:	/* a header claiming more than is there */
		a = nf_put(m, NATKEEP_A_MARK, "\0\0\0", 4);
		if (a)
			a->nla_len = (uint16_t)(8 + 4 * (1 + nf_rnd(r, 100)));
		break;
	case 2:	/* a header with a length below its own size */
		a = (void *)(m->buf + m->len);
		a->nla_len = (uint16_t)nf_rnd(r, NLA_HDRLEN);
		a->nla_type = NATKEEP_A_MARK;
		m->len += NLA_HDRLEN;
		break;
	default:	/* the buffer ends inside the last attribute */
		for (size_t off = GENL_HDR_END; off < m->len;) {
			a = (void *)(m->buf + off);
			last = off;
			off += NLA_ALIGN(a->nla_len);
		}
		a = (void *)(m->buf + last);
		m->len = last + 1 + nf_rnd(r, a->nla_len - 1);
		break;
	}
	must_fail(m, EINVAL, false);
	send_msg(w);
}

/*
 * nlmsg_len lies: bigger than the buffer (nothing is read), below the
 * headers, or smaller, so that the rest is read as more messages; control
 * types, no NLM_F_REQUEST, other families, tiny buffers.
 */
static void gen_header_lies(struct nf_worker *w)
{
	struct nf_rng *r = &w->rng;
	struct nf_msg *m = start(w, "header-lies", NATKEEP_CMD_FLOW_NEW);
	struct nf_result res = { 0 };
	struct nf_flow f;

	nf_flow_valid(w, &f);
	nf_put_flow(m, &f);
	nf_msg_end(m);
	switch (nf_rnd(r, 8)) {
	case 0:
		m->nlh.nlmsg_len += 1 + nf_rnd(r, 1000);
		break;
	case 1:
		m->nlh.nlmsg_len = nf_rnd(r, NLMSG_HDRLEN);
		break;
	case 2:
		m->nlh.nlmsg_len = NLMSG_HDRLEN + nf_rnd(r, GENL_HDRLEN);
		break;
	case 3:	/* the rest of the buffer becomes further messages */
		m->nlh.nlmsg_len = GENL_HDR_END + nf_rnd(r, (uint32_t)(m->len - GENL_HDR_END));
		break;
	case 4:
		m->len = nf_rnd(r, NLMSG_HDRLEN);
		break;
	case 5:
		m->nlh.nlmsg_type = (uint16_t)(1 + nf_rnd(r, NLMSG_MIN_TYPE - 1));
		break;
	case 6:
		m->nlh.nlmsg_flags &= (uint16_t)~NLM_F_REQUEST;
		if (nf_chance(r, 50))
			m->nlh.nlmsg_flags &= (uint16_t)~NLM_F_ACK;
		break;
	default:	/* no such family; or nlctrl, asked about us */
		if (nf_chance(r, 50)) {
			m->nlh.nlmsg_type = 0xffff;
		} else {
			nf_msg_begin(m, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_ACK |
				     (nf_chance(r, 50) ? NLM_F_DUMP : 0),
				     CTRL_CMD_GETFAMILY, 1);
			m->gen = "header-lies";
			nf_put_str(m, CTRL_ATTR_FAMILY_NAME, NATKEEP_GENL_NAME);
			nf_msg_end(m);
		}
		break;
	}
	if (nf_chance(r, 20))
		m->nlh.nlmsg_pid = (uint32_t)nf_rnd64(r);
	nf_exchange(w, m, &res);
}

/* Two to four requests in one buffer: new, get, del, dumps, stats. */
static void gen_batch(struct nf_worker *w)
{
	struct nf_rng *r = &w->rng;
	struct nf_msg *m = w->msg;
	struct nf_result res = { 0 };
	int n = 2 + (int)nf_rnd(r, 3);
	uint32_t seq = w->nl.seq;
	size_t off = 0;

	nf_msg_begin(m, w->nl.family, 0, 0, 0);	/* the intent: none */
	m->gen = "batch";

	for (int i = 0; i < n; i++) {
		static struct nf_msg one;
		static const uint8_t cmds[] = {
			NATKEEP_CMD_FLOW_NEW, NATKEEP_CMD_FLOW_SET, NATKEEP_CMD_FLOW_DEL,
			NATKEEP_CMD_FLOW_GET, NATKEEP_CMD_STATS_GET,
		};
		uint8_t cmd = PICK(r, cmds);
		struct nf_flow f;

		nf_msg_natkeep(w, &one, cmd, 0);
		if (cmd == NATKEEP_CMD_FLOW_NEW) {
			nf_flow_valid(w, &f);
			nf_put_flow(&one, &f);
		} else if (cmd == NATKEEP_CMD_FLOW_GET && nf_chance(r, 50)) {
			one.nlh.nlmsg_flags |= NLM_F_DUMP;
		} else if (cmd != NATKEEP_CMD_STATS_GET) {
			nf_put_u32(&one, NATKEEP_A_FLOW_ID, pick_id(w));
			if (cmd == NATKEEP_CMD_FLOW_SET)
				nf_put_u8(&one, NATKEEP_A_DSCP, (uint8_t)nf_rnd(r, 64));
		}
		nf_msg_end(&one);
		one.nlh.nlmsg_seq = seq + 1 + (uint32_t)i;
		if (off + one.len > NF_MSG_MAX)
			break;
		memcpy(m->buf + off, one.buf, one.len);
		off += one.len;
	}
	m->len = off;
	m->cmd = ((struct genlmsghdr *)(m->buf + NLMSG_HDRLEN))->cmd;
	nf_exchange(w, m, &res);
	w->nl.seq = seq + (uint32_t)n;
}

/* Up to 64 KiB: thousands of attributes, or one huge one. */
static void gen_huge(struct nf_worker *w)
{
	struct nf_rng *r = &w->rng;
	struct nf_msg *m = start(w, "huge", NATKEEP_CMD_FLOW_NEW);
	static uint8_t big[NF_MSG_MAX];
	struct nf_flow f;
	size_t len;

	nf_flow_valid(w, &f);
	nf_put_flow(m, &f);
	switch (nf_rnd(r, 5)) {
	case 0:	/* a mark, thousands of times: valid, the last one counts */
		while (m->len + 8 <= NF_MSG_MAX)
			nf_put_u32(m, NATKEEP_A_MARK, (uint32_t)nf_rnd64(r));
		allow_new(w, m);
		break;
	case 1:	/* one attribute of no known type, as big as fits */
		len = NF_MSG_MAX - m->len - NLA_HDRLEN;
		fill_random(r, big, len);
		nf_put(m, (uint16_t)(NATKEEP_A_MAX + 1 + nf_rnd(r, 1000)), big, len);
		must_fail(m, EINVAL, false);
		break;
	case 2:	/* a 60 KB user agent */
		len = 60000 + nf_rnd(r, 4000);
		memset(big, 'a', len);
		big[len] = 0;
		nf_put(m, NATKEEP_A_SIP_USER_AGENT, big, len + 1);
		must_fail(m, ERANGE, false);
		break;
	case 3:	/* a 60 KB address */
		len = 60000 + nf_rnd(r, 4000);
		fill_random(r, big, len);
		nf_put(m, NATKEEP_A_REMOTE_ADDR, big, len);
		must_fail(m, EINVAL, false);
		break;
	default:	/* a dump asked with 64 KiB of flow ids */
		nf_msg_natkeep(w, m, NATKEEP_CMD_FLOW_GET, NLM_F_DUMP);
		m->gen = "huge";
		while (m->len + 8 <= NF_MSG_MAX)
			nf_put_u32(m, NATKEEP_A_FLOW_ID, pick_id(w));
		break;
	}
	send_msg(w);
}

/* A valid FLOW_NEW or FLOW_SET, then a few blind byte mutations. */
static void gen_mutate(struct nf_worker *w)
{
	struct nf_rng *r = &w->rng;
	struct nf_flow f;
	uint32_t id;
	bool set;
	struct nf_msg *m = start_flow(w, "mutate", &f, &set, &id);
	int n = 1 + (int)nf_rnd(r, 4);

	nf_put_flow(m, &f);
	while (n-- && m->len > GENL_HDR_END) {
		size_t span = m->len - GENL_HDR_END;
		size_t pos = GENL_HDR_END + nf_rnd(r, (uint32_t)span);
		static const uint8_t values[] = { 0, 1, 0x7f, 0x80, 0xff, 0x0a, 0x02 };
		struct nlattr *a;
		size_t off;

		switch (nf_rnd(r, 6)) {
		case 0:
			m->buf[pos] ^= (uint8_t)(1u << nf_rnd(r, 8));
			break;
		case 1:
			m->buf[pos] = PICK(r, values);
			break;
		case 2:	/* an attribute's type or length nudged */
		case 3:
			for (off = GENL_HDR_END, a = NULL; off + NLA_HDRLEN <= m->len;) {
				struct nlattr *at = (void *)(m->buf + off);

				if (at->nla_len < NLA_HDRLEN)
					break;
				if (!a || nf_chance(r, 30))
					a = at;
				off += NLA_ALIGN(at->nla_len);
			}
			if (!a)
				break;
			if (nf_chance(r, 50))
				a->nla_type = (uint16_t)(a->nla_type + nf_rnd(r, 5) - 2);
			else
				a->nla_len = (uint16_t)(a->nla_len + nf_rnd(r, 9) - 4);
			break;
		case 4:	/* cut */
			m->len = GENL_HDR_END + nf_rnd(r, (uint32_t)span);
			break;
		default:	/* a copy of the whole attribute stream appended */
			if (m->len + span <= NF_MSG_MAX) {
				memcpy(m->buf + m->len, m->buf + GENL_HDR_END, span);
				m->len += span;
			}
			break;
		}
	}
	send_msg(w);
}

static const struct generator {
	const char *name;
	void (*fn)(struct nf_worker *w);
	unsigned int weight;
} generators[] = {
	{ "new", gen_new_valid, 14 },
	{ "set", gen_set_valid, 10 },
	{ "del", gen_del, 6 },
	{ "get", gen_get, 6 },
	{ "stats", gen_stats, 2 },
	{ "commands", gen_commands, 5 },
	{ "boundary", gen_boundary, 10 },
	{ "lengths", gen_lengths, 6 },
	{ "strings", gen_strings, 6 },
	{ "addresses", gen_addresses, 6 },
	{ "unknown-attrs", gen_unknown_attrs, 4 },
	{ "duplicates", gen_duplicates, 4 },
	{ "truncated", gen_truncated, 4 },
	{ "header-lies", gen_header_lies, 4 },
	{ "batch", gen_batch, 3 },
	{ "huge", gen_huge, 1 },
	{ "mutate", gen_mutate, 12 },
};

/* One step of a fuzz worker: keep the flows few, resync now and then. */
void nf_fuzz_one(struct nf_worker *w)
{
	static unsigned int total;
	unsigned int pick;
	uint64_t created = w->c->created;

	if (!total)
		for (size_t i = 0; i < ARRAY_SIZE(generators); i++)
			total += generators[i].weight;
	if (w->n_live > w->o->live_cap && nf_chance(&w->rng, 50)) {
		del_live(w);
	} else if (w->c->sent % 400 == 399) {
		nf_resync(w);
	} else {
		pick = nf_rnd(&w->rng, total);
		for (size_t i = 0; i < ARRAY_SIZE(generators); i++) {
			if (pick < generators[i].weight) {
				generators[i].fn(w);
				break;
			}
			pick -= generators[i].weight;
		}
	}
	/* natkeep.h: user namespaces' namespaces get no flow unless allowed. */
	if (w->o->userns && w->userns_flows == 0 && w->c->created != created)
		nf_violation(w, w->msg, "a flow made in a user namespace with userns_flows off");
	if (w->c->sent % 32 == 0)
		nf_drain_events(w);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink side of nlfuzz: sockets, message building, and nf_exchange(),
 * which sends one buffer and checks everything that comes back against
 * the netlink protocol and include/uapi/linux/natkeep.h.
 *
 * The kernel handles a generic netlink request in the sender's sendmsg():
 * when it returns, every answer is queued, but for the parts of a dump
 * after the first, which each recvmsg() makes. So an exchange reads until
 * the queue is empty and no dump is open; a wait after that is a message
 * the kernel owes and never sent.
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>

#include "nlfuzz.h"

#define GENL_HDR_END	(NLMSG_HDRLEN + GENL_HDRLEN)
/* The longest an exchange may take, dumps included (TCG is slow). */
#define NF_EXCHANGE_TIMEOUT_S	30

double nf_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- sockets ------------------------------------------------------------ */

int nf_nl_open(struct nf_nl *nl, bool cap_ack)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t salen = sizeof(sa);
	int one = 1, buf = 4 << 20;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(nl->fd, (struct sockaddr *)&sa, &salen) < 0) {
		int err = -errno;

		close(nl->fd);
		return err;
	}
	nl->portid = sa.nl_pid;
	/* Extended acks: the module's messages and the bad attribute. */
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	/* Without CAP_ACK, errors echo the whole request: checked too. */
	if (cap_ack)
		setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* Roomy: an event socket read now and then must not overrun much. */
	if (setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)) < 0)
		setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	setsockopt(nl->fd, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	nl->rx = malloc(NF_RX_MAX);
	if (!nl->rx) {
		close(nl->fd);
		return -ENOMEM;
	}
	nl->seq = 1;
	return 0;
}

void nf_nl_close(struct nf_nl *nl)
{
	if (nl->rx)
		close(nl->fd);
	free(nl->rx);
	nl->rx = NULL;
}

/* The family's id and events group, from nlctrl; -ENOENT if not there. */
int nf_nl_resolve(struct nf_nl *nl)
{
	struct {
		struct nlmsghdr nlh;
		struct genlmsghdr g;
		struct nlattr a;
		char name[16];
	} req = {
		.nlh = { .nlmsg_type = GENL_ID_CTRL,
			 .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
			 .nlmsg_seq = ++nl->seq },
		.g = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 },
		.a = { .nla_type = CTRL_ATTR_FAMILY_NAME,
		       .nla_len = NLA_HDRLEN + sizeof(NATKEEP_GENL_NAME) },
		.name = NATKEEP_GENL_NAME,
	};
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	int family = 0, err = 0;
	bool acked = false;

	req.nlh.nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN +
			    NLA_ALIGN(req.a.nla_len);
	if (sendto(nl->fd, &req, req.nlh.nlmsg_len, 0,
		   (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	while (!acked) {
		struct pollfd pfd = { .fd = nl->fd, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 10000) <= 0)
			return -ETIMEDOUT;
		n = recv(nl->fd, nl->rx, NF_RX_MAX, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (struct nlmsghdr *h = (void *)nl->rx; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != req.nlh.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_ERROR) {
				err = ((struct nlmsgerr *)NLMSG_DATA(h))->error;
				acked = true;
				continue;
			}
			if (h->nlmsg_type != GENL_ID_CTRL)
				continue;
			int rem = (int)h->nlmsg_len - GENL_HDR_END;
			for (struct nlattr *a = (void *)((uint8_t *)h + GENL_HDR_END);
			     rem >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN && a->nla_len <= rem;
			     rem -= NLA_ALIGN(a->nla_len),
			     a = (void *)((uint8_t *)a + NLA_ALIGN(a->nla_len))) {
				int type = a->nla_type & NLA_TYPE_MASK;

				if (type == CTRL_ATTR_FAMILY_ID)
					family = *(uint16_t *)(a + 1);
				if (type != CTRL_ATTR_MCAST_GROUPS)
					continue;
				/* Nested groups, each nesting a name and an id. */
				int grem = a->nla_len - NLA_HDRLEN;
				for (struct nlattr *g = a + 1; grem >= NLA_HDRLEN &&
				     g->nla_len >= NLA_HDRLEN && g->nla_len <= grem;
				     grem -= NLA_ALIGN(g->nla_len),
				     g = (void *)((uint8_t *)g + NLA_ALIGN(g->nla_len))) {
					int irem = g->nla_len - NLA_HDRLEN;
					const char *name = NULL;
					uint32_t id = 0;

					for (struct nlattr *i = g + 1; irem >= NLA_HDRLEN &&
					     i->nla_len >= NLA_HDRLEN && i->nla_len <= irem;
					     irem -= NLA_ALIGN(i->nla_len),
					     i = (void *)((uint8_t *)i + NLA_ALIGN(i->nla_len))) {
						if (i->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
							name = (const char *)(i + 1);
						if (i->nla_type == CTRL_ATTR_MCAST_GRP_ID)
							id = *(uint32_t *)(i + 1);
					}
					if (name && !strcmp(name, NATKEEP_MCGRP_EVENTS))
						nl->mcgrp = id;
				}
			}
		}
	}
	if (err)
		return err;
	if (!family)
		return -ENOENT;
	nl->family = (uint16_t)family;
	return 0;
}

int nf_nl_join_events(struct nf_nl *nl)
{
	int group = (int)nl->mcgrp;

	if (!group)
		return -ENOENT;
	if (setsockopt(nl->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
		       sizeof(group)) < 0)
		return -errno;
	return 0;
}

/* --- building ------------------------------------------------------------ */

void nf_msg_begin(struct nf_msg *m, uint16_t type, uint16_t flags,
		  uint8_t cmd, uint8_t version)
{
	struct genlmsghdr *g = (void *)(m->buf + NLMSG_HDRLEN);

	memset(m->buf, 0, GENL_HDR_END);
	m->nlh.nlmsg_type = type;
	m->nlh.nlmsg_flags = flags;
	g->cmd = cmd;
	g->version = version;
	m->len = GENL_HDR_END;
	m->cap = NF_MSG_MAX;
	m->gen = "?";
	m->cmd = cmd;
	m->valid = false;
	m->must_fail = false;
	m->overflow = false;
	m->n_allow = 0;
	m->target_id = 0;
	m->want_mask = 0;
}

/* The usual request: to the family, version 1, asking for an ack. */
void nf_msg_natkeep(struct nf_worker *w, struct nf_msg *m, uint8_t cmd,
		    uint16_t flags)
{
	nf_msg_begin(m, w->nl.family, NLM_F_REQUEST | NLM_F_ACK | flags, cmd,
		     NATKEEP_GENL_VERSION);
}

struct nlattr *nf_put(struct nf_msg *m, uint16_t type, const void *data,
		      size_t len)
{
	struct nlattr *a = (void *)(m->buf + m->len);

	if (len > 0xffff - NLA_HDRLEN ||
	    m->len + NLA_HDRLEN + NLA_ALIGN(len) > m->cap) {
		m->overflow = true;	/* not what the generator meant */
		return NULL;
	}
	a->nla_len = (uint16_t)(NLA_HDRLEN + len);
	a->nla_type = type;
	if (len)
		memcpy(a + 1, data, len);
	memset((uint8_t *)(a + 1) + len, 0, NLA_ALIGN(len) - len);
	m->len += NLA_HDRLEN + NLA_ALIGN(len);
	return a;
}

void nf_put_u8(struct nf_msg *m, uint16_t type, uint8_t v)
{
	nf_put(m, type, &v, sizeof(v));
}

void nf_put_u16(struct nf_msg *m, uint16_t type, uint16_t v)
{
	nf_put(m, type, &v, sizeof(v));
}

void nf_put_u32(struct nf_msg *m, uint16_t type, uint32_t v)
{
	nf_put(m, type, &v, sizeof(v));
}

void nf_put_u64(struct nf_msg *m, uint16_t type, uint64_t v)
{
	nf_put(m, type, &v, sizeof(v));
}

void nf_put_str(struct nf_msg *m, uint16_t type, const char *s)
{
	nf_put(m, type, s, strlen(s) + 1);
}

struct nlattr *nf_nest_begin(struct nf_msg *m, uint16_t type)
{
	return nf_put(m, type | NLA_F_NESTED, NULL, 0);
}

void nf_nest_end(struct nf_msg *m, struct nlattr *nest)
{
	if (nest)
		nest->nla_len = (uint16_t)((uint8_t *)(m->buf + m->len) -
					   (uint8_t *)nest);
}

void nf_msg_end(struct nf_msg *m)
{
	m->nlh.nlmsg_len = (uint32_t)m->len;
}

void nf_msg_allow(struct nf_msg *m, int err)
{
	if (m->n_allow < (int)(ARRAY_SIZE(m->allow)))
		m->allow[m->n_allow++] = err;
}

/* --- reports ------------------------------------------------------------- */

static const char *cmd_name(unsigned int cmd)
{
	static const char *const names[] = {
		"UNSPEC", "FLOW_NEW", "FLOW_SET", "FLOW_DEL", "FLOW_GET",
		"MAPPING_CHANGED", "PEER_UNRESPONSIVE", "PEER_RESPONSIVE",
		"STATS_GET",
	};

	return cmd < ARRAY_SIZE(names) ? names[cmd] : "cmd?";
}

static void hexdump(const uint8_t *p, size_t len, size_t max)
{
	size_t i;

	for (i = 0; i < len && i < max; i++)
		fprintf(stderr, "%s%02x", i % 32 ? (i % 4 ? "" : " ") : "\n    ", p[i]);
	if (len > max)
		fprintf(stderr, " ... (%zu bytes)", len);
	fputc('\n', stderr);
}

/* A broken promise of the kernel's: counted, and the first ones shown. */
void nf_violation(struct nf_worker *w, const struct nf_msg *m,
		  const char *fmt, ...)
{
	va_list ap;

	w->c->violations++;
	if (w->verbose_left <= 0)
		return;
	w->verbose_left--;
	fprintf(stderr, "VIOLATION (worker %d, message %llu", w->index,
		(unsigned long long)w->c->sent);
	if (m)
		fprintf(stderr, ", %s %s seq %u", m->gen, cmd_name(m->cmd),
			m->nlh.nlmsg_seq);
	fprintf(stderr, "): ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (m) {
		fprintf(stderr, "  sent %zu bytes:", m->len);
		hexdump(m->buf, m->len, 256);
	}
}

/* An outcome worth a look, but no broken promise: shown, not counted. */
static void note(struct nf_worker *w, const struct nf_msg *m, const char *what,
		 int err, const char *text)
{
	if (w->notes_left <= 0)
		return;
	w->notes_left--;
	fprintf(stderr, "NOTE (worker %d, message %llu, %s seq %u): %s got %s (%s)\n",
		w->index, (unsigned long long)w->c->sent, m->gen, m->nlh.nlmsg_seq, what,
		strerrorname_np(err), text ? text : "no text");
	fprintf(stderr, "  sent %zu bytes:", m->len);
	hexdump(m->buf, m->len, 128);
}

static void count_msg(struct nf_counts *c, int err, const char *text)
{
	const size_t n = ARRAY_SIZE(c->msgs);
	size_t i;

	for (i = 0; i < n && c->msgs[i].count; i++) {
		if (c->msgs[i].err == err &&
		    !strncmp(c->msgs[i].text, text, sizeof(c->msgs[i].text) - 1)) {
			c->msgs[i].count++;
			return;
		}
	}
	if (i < n) {
		c->msgs[i].err = err;
		snprintf(c->msgs[i].text, sizeof(c->msgs[i].text), "%s", text);
		c->msgs[i].count = 1;
	}
}

/* --- what the kernel will find in a buffer ------------------------------- */

/*
 * One message as netlink_rcv_skb() walks the buffer: nlmsg_len decides
 * where it ends and where the next begins; the walk stops at a length
 * below the header or beyond the buffer. What it must get back, from
 * genl_rcv_msg() and natkeep.h.
 */
struct sub {
	const struct nlmsghdr *h;
	uint32_t len;
	bool to_family;		/* a request to the family's id */
	bool natkeep;		/* to_family, with a genl header */
	bool known;		/* natkeep: a command the family has */
	bool dump;		/* a dump the kernel starts: answered by DONE */
	bool want;		/* an answer is due (NLM_F_ACK, or a dump) */
	int expect;		/* the errno it must fail with, 0: any */
	int expect_old;		/* or this, from a kernel before 6.1 */
	uint8_t cmd;
	bool answered, replied, dump_open;
	uint32_t last_dump_id;
	int err;
};

struct exchange {
	struct nf_worker *w;
	struct nf_msg *m;
	struct nf_result *r;
	struct sub sub[NF_SUB_MAX];
	int n_sub;
	bool check_family;	/* an ENOENT without text: is the family there? */
	bool reopen;		/* the socket is in an unknown state */
};

/* The row of nf_counts.err_cmd. */
static int cmd_row(const struct sub *s)
{
	if (!s->natkeep)
		return NF_CMD_ROWS - 1;
	return s->cmd <= NATKEEP_CMD_MAX ? s->cmd : NF_CMD_ROWS - 2;
}

static bool cmd_known(uint8_t cmd)
{
	return cmd == NATKEEP_CMD_FLOW_NEW || cmd == NATKEEP_CMD_FLOW_SET ||
	       cmd == NATKEEP_CMD_FLOW_DEL || cmd == NATKEEP_CMD_FLOW_GET ||
	       cmd == NATKEEP_CMD_STATS_GET;
}

static bool cmd_mutates(uint8_t cmd)
{
	return cmd == NATKEEP_CMD_FLOW_NEW || cmd == NATKEEP_CMD_FLOW_SET ||
	       cmd == NATKEEP_CMD_FLOW_DEL;
}

static void split(struct exchange *x)
{
	const struct nf_msg *m = x->m;
	uint16_t family = x->w->nl.family;
	size_t off = 0;

	x->n_sub = 0;
	while (m->len - off >= NLMSG_HDRLEN && x->n_sub < NF_SUB_MAX) {
		const struct nlmsghdr *h = (const void *)(m->buf + off);
		struct sub *s = &x->sub[x->n_sub];
		size_t step;

		if (h->nlmsg_len < NLMSG_HDRLEN || m->len - off < h->nlmsg_len)
			break;
		memset(s, 0, sizeof(*s));
		s->h = h;
		s->len = h->nlmsg_len;
		s->want = h->nlmsg_flags & NLM_F_ACK;
		if (h->nlmsg_type == family && (h->nlmsg_flags & NLM_F_REQUEST)) {
			s->to_family = true;
			if (s->len < GENL_HDR_END) {
				s->expect = EINVAL;	/* no room for the genl header */
			} else {
				const struct genlmsghdr *g = NLMSG_DATA(h);
				bool dump = (h->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
				uint16_t flags = h->nlmsg_flags & (dump ? ~NLM_F_DUMP : 0xffff);

				s->natkeep = true;
				s->cmd = g->cmd;
				s->known = cmd_known(s->cmd);
				/*
				 * genl (6.1): header (reserved byte, flags only
				 * REQUEST ACK ECHO DUMP), command, permission,
				 * then dump or do.
				 */
				if (g->reserved || (flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO)))
					s->expect = EINVAL;
				if (!s->known)
					s->expect_old = EOPNOTSUPP;
				else if (x->w->o->capdrop && cmd_mutates(s->cmd))
					s->expect_old = EPERM;
				else if (dump && s->cmd != NATKEEP_CMD_FLOW_GET)
					s->expect_old = EOPNOTSUPP;
				else if (dump && !s->expect)
					s->dump = s->want = true;
				if (!s->expect)
					s->expect = s->expect_old;
			}
		}
		x->n_sub++;
		step = NLMSG_ALIGN(h->nlmsg_len);
		off += step < m->len - off ? step : m->len - off;
	}
}

/*
 * Where nlmsg_len lies, the rest of the buffer is read as more messages,
 * of whatever type its bytes say. Fuzz natkeep, not the other families
 * (ethtool, mptcp_pm... as root): those messages go to no family.
 */
static void defang(struct nf_worker *w, struct nf_msg *m)
{
	size_t off = 0;

	for (int i = 0; m->len - off >= NLMSG_HDRLEN; i++) {
		struct nlmsghdr *h = (void *)(m->buf + off);
		size_t step;

		if (h->nlmsg_len < NLMSG_HDRLEN || m->len - off < h->nlmsg_len)
			break;
		if (i && h->nlmsg_type >= NLMSG_MIN_TYPE &&
		    h->nlmsg_type != w->nl.family && h->nlmsg_type != GENL_ID_CTRL)
			h->nlmsg_type = 0xffff;
		step = NLMSG_ALIGN(h->nlmsg_len);
		off += step < m->len - off ? step : m->len - off;
	}
}

static struct sub *find_sub(struct exchange *x, uint32_t seq)
{
	struct sub *any = NULL;

	for (int i = 0; i < x->n_sub; i++) {
		if (x->sub[i].h->nlmsg_seq != seq)
			continue;
		if (!x->sub[i].answered)
			return &x->sub[i];
		any = any ? any : &x->sub[i];
	}
	return any;
}

static bool pending(const struct exchange *x)
{
	for (int i = 0; i < x->n_sub; i++)
		if (x->sub[i].want && !x->sub[i].answered)
			return true;
	return false;
}

/* --- checking replies ------------------------------------------------------ */

/* Attributes by type (the last of each); false if malformed. */
static bool parse_attrs(const uint8_t *p, int rem, const struct nlattr **tb,
			int max, const char **why)
{
	while (rem >= NLA_HDRLEN) {
		const struct nlattr *a = (const void *)p;
		int type = a->nla_type & NLA_TYPE_MASK;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > rem) {
			*why = "attribute overruns its message";
			return false;
		}
		/* Type 0 is padding (PAD/LATENESS_PAD); 1 is PAD at the top. */
		if (type > max) {
			*why = "attribute type above the maximum";
			return false;
		}
		if (tb[type] && type > 1) {
			*why = "attribute twice";
			return false;
		}
		tb[type] = a;
		rem -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	if (rem > 0) {
		*why = "bytes left after the attributes";
		return false;
	}
	return true;
}

static int alen(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static const void *adata(const struct nlattr *a)
{
	return a + 1;
}

static uint32_t get_u(const struct nlattr *a)
{
	const uint8_t *d = adata(a);

	switch (alen(a)) {
	case 1: return *d;
	case 2: return *(const uint16_t *)d;
	case 4: return *(const uint32_t *)d;
	default: return 0;
	}
}

/* A string of the contract: its only NUL at the end, 1..max bytes before. */
static bool good_string(const struct nlattr *a, int max)
{
	const char *s = adata(a);
	int len = alen(a);

	return len >= 2 && len <= max + 1 && !s[len - 1] &&
	       strlen(s) == (size_t)len - 1;
}

static const char *check_mapping(const struct nlattr *nest)
{
	const struct nlattr *tb[NATKEEP_MAPPING_MAX + 1] = { 0 };
	const char *why = NULL;
	uint32_t family;

	if (!(nest->nla_type & NLA_F_NESTED))
		return "mapping without NLA_F_NESTED";
	if (!parse_attrs(adata(nest), alen(nest), tb, NATKEEP_MAPPING_MAX, &why))
		return why;
	if (!tb[NATKEEP_MAPPING_FAMILY] || alen(tb[NATKEEP_MAPPING_FAMILY]) != 2 ||
	    !tb[NATKEEP_MAPPING_ADDR] || !tb[NATKEEP_MAPPING_PORT] ||
	    alen(tb[NATKEEP_MAPPING_PORT]) != 2 || !tb[NATKEEP_MAPPING_SOURCE] ||
	    alen(tb[NATKEEP_MAPPING_SOURCE]) != 1)
		return "mapping lacks an attribute or has a bad length";
	family = get_u(tb[NATKEEP_MAPPING_FAMILY]);
	if ((family != 2 && family != 10) ||
	    alen(tb[NATKEEP_MAPPING_ADDR]) != (family == 2 ? 4 : 16))
		return "mapping family or address length wrong";
	if (!get_u(tb[NATKEEP_MAPPING_PORT]))
		return "mapping with port 0";
	if (get_u(tb[NATKEEP_MAPPING_SOURCE]) < NATKEEP_MAPPING_SRC_STUN ||
	    get_u(tb[NATKEEP_MAPPING_SOURCE]) > NATKEEP_MAPPING_SRC_MAX)
		return "mapping source unknown";
	return NULL;
}

static const char *check_stats(const struct nlattr *nest, bool net)
{
	const struct nlattr *tb[NATKEEP_STATS_MAX + 1] = { 0 };
	static const int flow_u64[] = {
		NATKEEP_STATS_TX_PACKETS, NATKEEP_STATS_TX_ERRORS,
		NATKEEP_STATS_LATENESS_MAX_NS, NATKEEP_STATS_RX_RESPONSES,
		NATKEEP_STATS_MISSES_TOTAL, NATKEEP_STATS_MAPPING_CHANGES,
	};
	const char *why = NULL;

	if (!(nest->nla_type & NLA_F_NESTED))
		return "stats without NLA_F_NESTED";
	if (!parse_attrs(adata(nest), alen(nest), tb, NATKEEP_STATS_MAX, &why))
		return why;
	for (size_t i = 0; i < ARRAY_SIZE(flow_u64); i++) {
		if (net && i > 2)
			break;
		if (!tb[flow_u64[i]] || alen(tb[flow_u64[i]]) != 8)
			return "stats lack a counter or have a bad length";
	}
	if (net) {
		const struct nlattr *h = tb[NATKEEP_STATS_LATENESS];
		const struct nlattr *b[NATKEEP_LATENESS_BUCKETS + 1] = { 0 };

		if (!h || !parse_attrs(adata(h), alen(h), b,
				       NATKEEP_LATENESS_BUCKETS, &why))
			return why ? why : "namespace stats without a histogram";
		return NULL;
	}
	if (tb[NATKEEP_STATS_LATENESS])
		return "a flow's stats with a histogram";
	if (!tb[NATKEEP_STATS_MISSES] || alen(tb[NATKEEP_STATS_MISSES]) != 4 ||
	    get_u(tb[NATKEEP_STATS_MISSES]) > 255)
		return "stats misses missing or above 255";
	return NULL;
}

/*
 * A flow as replies and events carry it (natkeep.h, FLOW_GET): every
 * attribute of FLOW_NEW with a legal value, strings only when not empty;
 * stats and the next send in replies and peer events, not in the others.
 */
static const char *check_flow(const struct nlattr *const *tb, bool with_stats,
			      struct nf_flow *out, uint32_t *id)
{
	static const struct { int type, len; } fixed[] = {
		{ NATKEEP_A_FLOW_ID, 4 }, { NATKEEP_A_FAMILY, 2 },
		{ NATKEEP_A_LOCAL_PORT, 2 }, { NATKEEP_A_REMOTE_PORT, 2 },
		{ NATKEEP_A_INTERVAL_MS, 4 }, { NATKEEP_A_RANDOMIZE, 1 },
		{ NATKEEP_A_MSG_TYPE, 1 }, { NATKEEP_A_MARK, 4 },
		{ NATKEEP_A_DSCP, 1 }, { NATKEEP_A_STUN_FINGERPRINT, 1 },
		{ NATKEEP_A_RESPONSE_TIMEOUT_MS, 4 }, { NATKEEP_A_MISS_LIMIT, 1 },
	};
	static const struct { int type, max; } strings[] = {
		{ NATKEEP_A_SIP_HOST, NATKEEP_SIP_HOST_MAX },
		{ NATKEEP_A_SIP_FROM_USER, NATKEEP_SIP_USER_MAX },
		{ NATKEEP_A_SIP_FROM_DOMAIN, NATKEEP_SIP_HOST_MAX },
		{ NATKEEP_A_SIP_USER_AGENT, NATKEEP_SIP_TEXT_MAX },
		{ NATKEEP_A_CUSTOM_SPEC, NATKEEP_CUSTOM_SPEC_MAX },
	};
	uint32_t family, interval, type, timeout;
	const char *why;

	for (size_t i = 0; i < ARRAY_SIZE(fixed); i++)
		if (!tb[fixed[i].type] || alen(tb[fixed[i].type]) != fixed[i].len)
			return "a FLOW_NEW attribute is missing or has a bad length";
	for (size_t i = 0; i < ARRAY_SIZE(strings); i++)
		if (tb[strings[i].type] && !good_string(tb[strings[i].type], strings[i].max))
			return "a string that is empty, too long or not NUL-terminated";
	*id = get_u(tb[NATKEEP_A_FLOW_ID]);
	family = get_u(tb[NATKEEP_A_FAMILY]);
	interval = get_u(tb[NATKEEP_A_INTERVAL_MS]);
	type = get_u(tb[NATKEEP_A_MSG_TYPE]);
	timeout = get_u(tb[NATKEEP_A_RESPONSE_TIMEOUT_MS]);
	if (!*id)
		return "flow id 0";
	if (family != 2 && family != 10)
		return "family neither AF_INET nor AF_INET6";
	if (!tb[NATKEEP_A_LOCAL_ADDR] || !tb[NATKEEP_A_REMOTE_ADDR] ||
	    alen(tb[NATKEEP_A_LOCAL_ADDR]) != (family == 2 ? 4 : 16) ||
	    alen(tb[NATKEEP_A_REMOTE_ADDR]) != (family == 2 ? 4 : 16))
		return "an address missing or not of the family's length";
	if (!get_u(tb[NATKEEP_A_LOCAL_PORT]) || !get_u(tb[NATKEEP_A_REMOTE_PORT]))
		return "port 0";
	if (interval < NATKEEP_INTERVAL_MIN_MS || interval > NATKEEP_INTERVAL_MAX_MS)
		return "interval out of range";
	if (type < 1 || type > NATKEEP_MSG_MAX)
		return "message type out of range";
	if (get_u(tb[NATKEEP_A_RANDOMIZE]) > 1 || get_u(tb[NATKEEP_A_STUN_FINGERPRINT]) > 1)
		return "a flag neither 0 nor 1";
	if (get_u(tb[NATKEEP_A_DSCP]) > NATKEEP_DSCP_MAX)
		return "DSCP above 63";
	if (!timeout || timeout > interval)
		return "response timeout 0 or above the interval";
	if (!get_u(tb[NATKEEP_A_MISS_LIMIT]))
		return "miss limit 0";
	if ((type == NATKEEP_MSG_OPTIONS || type == NATKEEP_MSG_NOTIFY ||
	     type == NATKEEP_MSG_CUSTOM) && !tb[NATKEEP_A_SIP_FROM_USER])
		return "a SIP type without a From user";
	if (type == NATKEEP_MSG_CUSTOM && !tb[NATKEEP_A_CUSTOM_SPEC])
		return "the custom type without a spec";
	if (tb[NATKEEP_A_PEER_RESPONSIVE] &&
	    (alen(tb[NATKEEP_A_PEER_RESPONSIVE]) != 1 ||
	     get_u(tb[NATKEEP_A_PEER_RESPONSIVE]) > 1))
		return "peer responsive neither 0 nor 1";
	if (tb[NATKEEP_A_MAPPING] && (why = check_mapping(tb[NATKEEP_A_MAPPING])))
		return why;
	if (tb[NATKEEP_A_OLD_MAPPING] && (why = check_mapping(tb[NATKEEP_A_OLD_MAPPING])))
		return why;
	if (tb[NATKEEP_A_FLOWS])
		return "NATKEEP_A_FLOWS in a flow";
	if (with_stats) {
		if (!tb[NATKEEP_A_NEXT_SEND_NS] || alen(tb[NATKEEP_A_NEXT_SEND_NS]) != 8)
			return "no next send time";
		if (!tb[NATKEEP_A_STATS])
			return "no stats";
		if ((why = check_stats(tb[NATKEEP_A_STATS], false)))
			return why;
	} else if (tb[NATKEEP_A_NEXT_SEND_NS] || tb[NATKEEP_A_STATS]) {
		return "stats or next send time in a FLOW_NEW/SET/DEL event";
	}
	if (out) {
		memset(out, 0, sizeof(*out));
		out->family = (uint16_t)family;
		memcpy(out->local, adata(tb[NATKEEP_A_LOCAL_ADDR]), alen(tb[NATKEEP_A_LOCAL_ADDR]));
		memcpy(out->remote, adata(tb[NATKEEP_A_REMOTE_ADDR]), alen(tb[NATKEEP_A_REMOTE_ADDR]));
		out->lport = (uint16_t)get_u(tb[NATKEEP_A_LOCAL_PORT]);
		out->rport = (uint16_t)get_u(tb[NATKEEP_A_REMOTE_PORT]);
		out->interval_ms = interval;
		out->type = (uint8_t)type;
		out->dscp = (uint8_t)get_u(tb[NATKEEP_A_DSCP]);
		out->mark = get_u(tb[NATKEEP_A_MARK]);
	}
	return NULL;
}

/* The reply says what the request asked for, where the request was exact. */
static const char *check_want(const struct nf_msg *m, const struct nf_flow *got,
			      uint32_t id)
{
	const struct nf_flow *want = &m->want;
	unsigned int mask = m->want_mask;
	size_t alen = want->family == 2 ? 4 : 16;

	if ((mask & NF_F_ID) && id != m->target_id)
		return "the reply names another flow";
	if ((mask & NF_F_FAMILY) && got->family != want->family)
		return "the reply's family is not the one asked for";
	if ((mask & NF_F_LOCAL) && (got->lport != want->lport ||
				    memcmp(got->local, want->local, alen)))
		return "the reply's local address/port is not the one asked for";
	if ((mask & NF_F_REMOTE) && (got->rport != want->rport ||
				     memcmp(got->remote, want->remote, alen)))
		return "the reply's remote address/port is not the one asked for";
	if ((mask & NF_F_INTERVAL) && got->interval_ms != want->interval_ms)
		return "the reply's interval is not the one asked for";
	if ((mask & NF_F_TYPE) && got->type != want->type)
		return "the reply's message type is not the one asked for";
	if ((mask & NF_F_DSCP) && got->dscp != want->dscp)
		return "the reply's DSCP is not the one asked for";
	if ((mask & NF_F_MARK) && got->mark != want->mark)
		return "the reply's mark is not the one asked for";
	return NULL;
}

static void on_reply(struct exchange *x, struct sub *s, const struct nlmsghdr *h)
{
	struct nf_worker *w = x->w;
	const struct genlmsghdr *g = NLMSG_DATA(h);
	const struct nlattr *tb[NATKEEP_A_MAX + 1] = { 0 };
	bool first = s == &x->sub[0];
	const struct nf_msg *m = x->m;
	const char *why = NULL;
	struct nf_flow got;
	uint32_t id = 0;

	if (!s->natkeep || !s->known || s->cmd == NATKEEP_CMD_FLOW_DEL) {
		nf_violation(w, m, "a natkeep message answers a request that gets none (seq %u)",
			     h->nlmsg_seq);
		return;
	}
	if (h->nlmsg_len < GENL_HDR_END) {
		nf_violation(w, m, "a reply without a genl header");
		return;
	}
	if (g->version != NATKEEP_GENL_VERSION)
		nf_violation(w, m, "a reply of version %u", g->version);
	if (!!(h->nlmsg_flags & NLM_F_MULTI) != s->dump)
		nf_violation(w, m, "NLM_F_MULTI %s in a %s reply",
			     s->dump ? "missing" : "set", s->dump ? "dump" : "do");
	if (g->cmd != (s->dump ? NATKEEP_CMD_FLOW_GET : s->cmd)) {
		nf_violation(w, m, "%s answered by a %s message", cmd_name(s->cmd),
			     cmd_name(g->cmd));
		return;
	}
	if (!parse_attrs((const uint8_t *)h + GENL_HDR_END,
			 (int)h->nlmsg_len - GENL_HDR_END, tb, NATKEEP_A_MAX, &why)) {
		nf_violation(w, m, "%s reply malformed: %s", cmd_name(g->cmd), why);
		return;
	}
	if (g->cmd == NATKEEP_CMD_STATS_GET) {
		if (!tb[NATKEEP_A_FLOWS] || alen(tb[NATKEEP_A_FLOWS]) != 4 ||
		    !tb[NATKEEP_A_STATS])
			why = "no NATKEEP_A_FLOWS or no stats";
		else
			why = check_stats(tb[NATKEEP_A_STATS], true);
		if (why)
			nf_violation(w, m, "STATS_GET reply: %s", why);
		else if (first) {
			x->r->stats_flows = get_u(tb[NATKEEP_A_FLOWS]);
			x->r->has_stats = true;
		}
		s->replied = true;
		return;
	}
	why = check_flow(tb, true, &got, &id);
	if (why) {
		nf_violation(w, m, "%s reply: %s", cmd_name(g->cmd), why);
		return;
	}
	if (s->dump) {
		w->c->dump_msgs++;
		/* natkeep.h: "every flow of the namespace, in id order". */
		if (id <= s->last_dump_id)
			nf_violation(w, m, "dump not in id order: %u after %u", id,
				     s->last_dump_id);
		s->last_dump_id = id;
		if (first && x->r->dump_ids && x->r->n_dump < x->r->dump_cap)
			x->r->dump_ids[x->r->n_dump++] = id;
		return;
	}
	if (s->replied)
		nf_violation(w, m, "two replies to one %s", cmd_name(s->cmd));
	s->replied = true;
	if (first) {
		x->r->id = id;
		if (m->want_mask && (why = check_want(m, &got, id)))
			nf_violation(w, m, "%s", why);
	}
	if (s->cmd == NATKEEP_CMD_FLOW_NEW) {
		w->c->created++;
		nf_live_add(w, id);
		/* Ids grow in a namespace (xa_alloc_cyclic), for each asker too. */
		if (id <= w->last_new_id)
			nf_violation(w, m, "new flow id %u not above the last one %u",
				     id, w->last_new_id);
		if (id > w->last_new_id)
			w->last_new_id = id;
	}
}

/* Where the top-level attributes of a request start (extack offsets). */
static bool attr_start(const struct sub *s, uint32_t off)
{
	uint32_t pos = GENL_HDR_END;

	while (pos + NLA_HDRLEN <= s->len) {
		const struct nlattr *a = (const void *)((const uint8_t *)s->h + pos);

		if (a->nla_len < NLA_HDRLEN || pos + a->nla_len > s->len)
			break;
		if (pos == off)
			return true;
		pos += NLA_ALIGN(a->nla_len);
	}
	return false;
}

/* Errors genl or the kernel give with no text, the module's all have one. */
static bool may_lack_text(int err)
{
	return err == EPERM || err == ENOMEM || err == EOPNOTSUPP ||
	       err == EPROTONOSUPPORT || err == ENOBUFS || err == EMSGSIZE;
}

/* A dump earlier in @x than @s that has not ended. */
static bool dump_running_before(const struct exchange *x, const struct sub *s)
{
	for (const struct sub *e = x->sub; e < s; e++)
		if (e->dump && !e->answered)
			return true;
	return false;
}

static void on_error(struct exchange *x, struct sub *s, const struct nlmsghdr *h)
{
	struct nf_worker *w = x->w;
	const struct nf_msg *m = x->m;
	const struct nlmsgerr *e = NLMSG_DATA(h);
	bool capped = h->nlmsg_flags & NLM_F_CAPPED;
	const char *text = NULL;
	size_t echoed, tlv;
	int err;

	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e))) {
		nf_violation(w, m, "an ack shorter than struct nlmsgerr");
		return;
	}
	err = -e->error;
	if (e->error > 0)
		nf_violation(w, m, "ack with a positive error %d", e->error);
	if (memcmp(&e->msg, s->h, sizeof(e->msg)))
		nf_violation(w, m, "the ack's copy of the request header differs");
	/* Success acks are capped; errors echo the request unless asked not to. */
	if (!e->error && !capped)
		nf_violation(w, m, "a success ack that is not capped");
	echoed = capped ? 0 : s->len - NLMSG_HDRLEN;
	tlv = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*e) + echoed);
	if (!capped && (tlv > h->nlmsg_len ||
			memcmp(&e->msg + 1, (const uint8_t *)s->h + NLMSG_HDRLEN, echoed)))
		nf_violation(w, m, "the ack's copy of the request differs");
	if ((h->nlmsg_flags & NLM_F_ACK_TLVS) && tlv <= h->nlmsg_len) {
		const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { 0 };
		const char *why = NULL;

		if (!parse_attrs((const uint8_t *)h + tlv, (int)(h->nlmsg_len - tlv),
				 tb, NLMSGERR_ATTR_MAX, &why)) {
			nf_violation(w, m, "extended ack malformed: %s", why);
		} else {
			const struct nlattr *a = tb[NLMSGERR_ATTR_MSG];

			if (a) {
				text = adata(a);
				if (alen(a) < 1 || text[alen(a) - 1]) {
					nf_violation(w, m, "extack message not NUL-terminated");
					text = NULL;
				}
			}
			a = tb[NLMSGERR_ATTR_OFFS];
			if (a && s->natkeep && (alen(a) != 4 || !attr_start(s, get_u(a))))
				nf_violation(w, m, "extack offset %u is no attribute of the request (%s)",
					     get_u(a), text ? text : "no text");
			a = tb[NLMSGERR_ATTR_MISS_TYPE];
			if (a && s->natkeep && (alen(a) != 4 || get_u(a) > NATKEEP_A_MAX))
				nf_violation(w, m, "extack missing type %u unknown", get_u(a));
		}
	}
	if (s->answered && s->want)
		nf_violation(w, m, "two acks for seq %u", h->nlmsg_seq);
	s->answered = true;
	s->err = e->error;
	s->dump_open = false;
	if (s == &x->sub[0]) {
		x->r->err = e->error;
		x->r->has_msg = text != NULL;
	}
	if (e->error <= 0 && err <= NF_ERRNO_MAX) {
		w->c->err[err]++;
		w->c->err_cmd[cmd_row(s)][err]++;
	} else {
		w->c->err_other++;
	}
	/*
	 * One dump at a time per socket: while an earlier dump of the batch
	 * waits for our recv() (its first part filled its skb: more flows,
	 * or no room left for NLMSG_DONE), af_netlink's netlink_dump_start()
	 * refuses the next with EBUSY and no text, before natkeep sees it.
	 */
	if (err == EBUSY && !text && s->dump && dump_running_before(x, s))
		return;
	if (s->natkeep && (err == EMSGSIZE || err == ENOMEM || err == ENOBUFS || err == EBUSY ||
			   err == EFAULT || err == EIO || err == ENOSPC))
		note(w, m, cmd_name(s->cmd), err, text);
	if (text && err)
		count_msg(w->c, err, text);
	if (s->to_family && err == ENOENT && !text) {
		/*
		 * The family went away (rmmod)? genetlink says so for any
		 * request to its id, before it looks at the genl header.
		 * Asked after the exchange.
		 */
		x->check_family = true;
		return;
	}
	/* The outcomes natkeep.h and genetlink promise. */
	if (s->expect && err != s->expect && (!s->expect_old || err != s->expect_old))
		nf_violation(w, m, "%s: expected %s, got %s (%s)", cmd_name(s->cmd),
			     strerrorname_np(s->expect), err ? strerrorname_np(err) : "success",
			     text ? text : "no text");
	if (!s->natkeep)
		return;
	if (err && !text && !may_lack_text(err)) {
		w->c->no_msg[err <= NF_ERRNO_MAX ? err : 0]++;
		nf_violation(w, m, "%s rejected with %s and no extack message",
			     cmd_name(s->cmd), strerrorname_np(err));
	}
	if (err == EPROTONOSUPPORT) {
		/* A dump of a module being removed: before anything else. */
		if (!w->o->may_go)
			nf_violation(w, m, "EPROTONOSUPPORT (module going) with no rmmod");
		return;
	}
	/* What the generator knew the answer must be (not under -P: EPERM). */
	if (s == &x->sub[0] && m->valid && !s->expect && !err && m->must_fail)
		nf_violation(w, m, "%s accepted, should fail with %s", cmd_name(s->cmd),
			     m->n_allow ? strerrorname_np(m->allow[0]) : "an error");
	if (s == &x->sub[0] && m->valid && !s->expect && err) {
		bool ok = false;

		for (int i = 0; i < m->n_allow; i++)
			ok |= m->allow[i] == err;
		if (!ok)
			nf_violation(w, m, "%s %s failed with %s (%s)",
				     m->must_fail ? "a bad" : "a valid", cmd_name(s->cmd),
				     strerrorname_np(err), text ? text : "no text");
	}
	if (!err && s->cmd == NATKEEP_CMD_FLOW_NEW && !s->replied)
		nf_violation(w, m, "FLOW_NEW succeeded without a reply giving the flow id");
	if (!err && (s->cmd == NATKEEP_CMD_FLOW_SET || s->cmd == NATKEEP_CMD_FLOW_GET) &&
	    !s->replied)
		nf_violation(w, m, "%s succeeded without its reply", cmd_name(s->cmd));
	if (!err && s->cmd == NATKEEP_CMD_FLOW_DEL) {
		w->c->deleted++;
		if (s == &x->sub[0] && m->target_id)
			nf_live_del(w, m->target_id);
	}
	if (err == ENOENT && text && s == &x->sub[0] && m->target_id)
		nf_live_del(w, m->target_id);
}

static void on_done(struct exchange *x, struct sub *s, const struct nlmsghdr *h)
{
	struct nf_worker *w = x->w;
	int err = 0;

	if (s->natkeep && !s->dump) {
		nf_violation(w, x->m, "NLMSG_DONE answers a request that is no dump");
		return;
	}
	if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
		err = *(const int *)NLMSG_DATA(h);
	if (err > 0)
		nf_violation(w, x->m, "NLMSG_DONE with a positive error %d", err);
	if (s->answered)
		nf_violation(w, x->m, "two NLMSG_DONE for seq %u", h->nlmsg_seq);
	s->answered = true;
	s->dump_open = false;
	if (s->natkeep)
		w->c->dumps++;
	if (s == &x->sub[0] && x->m->valid && x->m->must_fail && !err)
		nf_violation(w, x->m, "a bad dump request accepted");
	if (err <= 0 && -err <= NF_ERRNO_MAX) {
		w->c->err[-err]++;
		w->c->err_cmd[cmd_row(s)][-err]++;
	}
	if (s->natkeep && err == -EMSGSIZE)
		note(w, x->m, "a dump", -err, NULL);
	if (s == &x->sub[0]) {
		x->r->err = err;
		x->r->dump_error = err != 0;
	}
	if (err == -EPROTONOSUPPORT && !w->o->may_go)
		nf_violation(w, x->m, "dump ended with EPROTONOSUPPORT with no rmmod");
}

static void on_message(struct exchange *x, const struct nlmsghdr *h)
{
	struct nf_worker *w = x->w;
	struct sub *s;

	w->c->replies++;
	if (h->nlmsg_pid != w->nl.portid)
		nf_violation(w, x->m, "a reply to port %u, not ours (%u)", h->nlmsg_pid,
			     w->nl.portid);
	s = find_sub(x, h->nlmsg_seq);
	if (!s) {
		nf_violation(w, x->m, "a reply (type %u) for unknown seq %u",
			     h->nlmsg_type, h->nlmsg_seq);
		return;
	}
	switch (h->nlmsg_type) {
	case NLMSG_ERROR:
		on_error(x, s, h);
		break;
	case NLMSG_DONE:
		on_done(x, s, h);
		break;
	case NLMSG_NOOP:
	case NLMSG_OVERRUN:
		nf_violation(w, x->m, "a control message of type %u", h->nlmsg_type);
		break;
	default:
		if (h->nlmsg_type == w->nl.family) {
			if (s->dump)
				s->dump_open = true;
			on_reply(x, s, h);
		} else if (h->nlmsg_type != s->h->nlmsg_type) {
			nf_violation(w, x->m, "a reply of type %u to a request of type %u",
				     h->nlmsg_type, s->h->nlmsg_type);
		}
	}
}

/* A dump the kernel still owes the rest of, or an ack it owes. */
static bool waiting(const struct exchange *x)
{
	for (int i = 0; i < x->n_sub; i++)
		if (x->sub[i].dump_open)
			return true;
	return pending(x);
}

static void receive(struct exchange *x)
{
	struct nf_worker *w = x->w;
	double deadline = nf_now() + NF_EXCHANGE_TIMEOUT_S;

	for (;;) {
		ssize_t n = recv(w->nl.fd, w->nl.rx, NF_RX_MAX, MSG_DONTWAIT | MSG_TRUNC);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd pfd = { .fd = w->nl.fd, .events = POLLIN };
			int left = (int)((deadline - nf_now()) * 1000);

			if (!waiting(x))
				return;
			if (left > 0 && poll(&pfd, 1, left) > 0)
				continue;
			for (int i = 0; i < x->n_sub; i++) {
				struct sub *s = &x->sub[i];

				if (s->dump_open)
					nf_violation(w, x->m, "a dump (seq %u) that never ends",
						     s->h->nlmsg_seq);
				else if (s->want && !s->answered)
					nf_violation(w, x->m, "no answer to seq %u (type %u flags %#x) in %d s",
						     s->h->nlmsg_seq, s->h->nlmsg_type,
						     s->h->nlmsg_flags, NF_EXCHANGE_TIMEOUT_S);
			}
			x->reopen = true;
			return;
		}
		if (n < 0) {
			/*
			 * A dump part that failed (the skb could not be
			 * made) or an overrun: what was owed will not come.
			 */
			int err = errno;

			w->c->rx_err[err <= NF_ERRNO_MAX ? err : 0]++;
			for (int i = 0; i < x->n_sub; i++) {
				if (err == ENOBUFS || x->sub[i].dump_open) {
					x->sub[i].dump_open = false;
					x->sub[i].answered = true;
				}
			}
			x->r->dump_error = true;
			if (err != ENOBUFS)
				nf_violation(w, x->m, "recv() failed: %s", strerror(err));
			continue;
		}
		if (n > NF_RX_MAX) {
			nf_violation(w, x->m, "a datagram of %zd bytes", n);
			x->reopen = true;
			return;
		}
		const struct nlmsghdr *h = (const void *)w->nl.rx;
		size_t rem = (size_t)n;

		for (; NLMSG_OK(h, rem); h = NLMSG_NEXT(h, rem))
			on_message(x, h);
		if (rem)
			nf_violation(w, x->m, "%zu bytes after the last message of a datagram", rem);
		if (nf_now() > deadline && waiting(x)) {
			nf_violation(w, x->m, "an exchange longer than %d s (dump never ends?)",
				     NF_EXCHANGE_TIMEOUT_S);
			x->reopen = true;
			return;
		}
	}
}

/* A fresh socket when the old one may still have a dump or acks coming. */
static void reopen(struct nf_worker *w)
{
	struct nf_nl fresh;
	uint16_t family = w->nl.family;

	if (nf_nl_open(&fresh, w->index & 1))
		return;
	nf_nl_close(&w->nl);
	w->nl = fresh;
	w->nl.family = family;
}

/*
 * Send @m (its first message gets the next seq) and read and check all
 * that comes back. Returns the first message's outcome in @r; -1 if the
 * natkeep family is gone (rmmod).
 */
int nf_exchange(struct nf_worker *w, struct nf_msg *m, struct nf_result *r)
{
	static struct exchange x;
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	uint64_t violations = w->c->violations;
	uint32_t *ids = r->dump_ids;
	size_t cap = r->dump_cap;

	memset(r, 0, sizeof(*r));
	r->dump_ids = ids;
	r->dump_cap = cap;
	r->err = NF_NO_ANSWER;
	if (m->len >= NLMSG_HDRLEN)
		m->nlh.nlmsg_seq = ++w->nl.seq;
	if (m->overflow)
		m->valid = false;
	defang(w, m);
	x.w = w;
	x.m = m;
	x.r = r;
	x.check_family = x.reopen = false;
	split(&x);
	if (w->log)
		nf_log_msg(w->log, m, w->nl.family);
	w->c->sent++;
	w->c->bytes += m->len;
	w->budget--;
	if (sendto(w->nl.fd, m->buf, m->len, 0, (struct sockaddr *)&kernel,
		   sizeof(kernel)) < 0) {
		/* Too big for the socket, or nothing to send: not the module's. */
		w->c->rx_err[errno <= NF_ERRNO_MAX ? errno : 0]++;
		r->err = -errno;
		return 0;
	}
	if (w->hold > 0) {
		printf("holding a dump open for %.1f s\n", w->hold);
		fflush(stdout);
		usleep((useconds_t)(w->hold * 1e6));
		w->hold = 0;
	}
	receive(&x);
	if (r->err == NF_NO_ANSWER)
		w->c->no_answer++;
	if (x.reopen)
		reopen(w);
	if (x.check_family) {
		struct nf_nl probe;

		if (!nf_nl_open(&probe, false)) {
			int err = nf_nl_resolve(&probe);

			if (err == -ENOENT || (!err && probe.family != w->nl.family)) {
				r->family_gone = true;
				w->c->family_gone = 1;
				if (!w->o->may_go)
					nf_violation(w, m, "the natkeep family went away");
			} else if (!err) {
				nf_violation(w, m, "ENOENT without an extack message, the family still there");
			}
			nf_nl_close(&probe);
		}
	}
	if (w->c->violations == violations)
		w->c->checks_passed++;
	else
		w->c->checks_failed++;
	return r->family_gone ? -1 : 0;
}

/* --- events ------------------------------------------------------------- */

/*
 * The events group: each one a flow as FLOW_GET has it (natkeep.h), stats
 * only in the peer events. Read now and then; an overrun is no fault.
 */
void nf_drain_events(struct nf_worker *w)
{
	if (!w->ev.rx)
		return;
	for (;;) {
		ssize_t n = recv(w->ev.fd, w->ev.rx, NF_RX_MAX, MSG_DONTWAIT);

		if (n < 0) {
			if (errno == ENOBUFS) {
				w->c->event_overruns++;
				continue;
			}
			if (errno == EINTR)
				continue;
			return;
		}
		const struct nlmsghdr *h = (const void *)w->ev.rx;
		size_t rem = (size_t)n;

		for (; NLMSG_OK(h, rem); h = NLMSG_NEXT(h, rem)) {
			const struct nlattr *tb[NATKEEP_A_MAX + 1] = { 0 };
			const struct genlmsghdr *g = NLMSG_DATA(h);
			const char *why = NULL;
			uint32_t id;

			w->c->events++;
			if (h->nlmsg_type != w->nl.family || h->nlmsg_len < GENL_HDR_END) {
				nf_violation(w, NULL, "an event of type %u, length %u",
					     h->nlmsg_type, h->nlmsg_len);
				continue;
			}
			if (g->cmd == NATKEEP_CMD_UNSPEC || g->cmd > NATKEEP_CMD_PEER_RESPONSIVE) {
				nf_violation(w, NULL, "an event of command %u", g->cmd);
				continue;
			}
			w->c->event_cmd[g->cmd]++;
			if (h->nlmsg_pid || h->nlmsg_seq)
				nf_violation(w, NULL, "an event with port %u seq %u",
					     h->nlmsg_pid, h->nlmsg_seq);
			if (!parse_attrs((const uint8_t *)h + GENL_HDR_END,
					 (int)h->nlmsg_len - GENL_HDR_END, tb,
					 NATKEEP_A_MAX, &why) ||
			    (why = check_flow(tb, g->cmd >= NATKEEP_CMD_MAPPING_CHANGED,
					      NULL, &id)))
				nf_violation(w, NULL, "%s event: %s", cmd_name(g->cmd), why);
			else if (g->cmd == NATKEEP_CMD_MAPPING_CHANGED && !tb[NATKEEP_A_MAPPING])
				nf_violation(w, NULL, "MAPPING_CHANGED event without a mapping");
			else if (g->cmd != NATKEEP_CMD_MAPPING_CHANGED && tb[NATKEEP_A_OLD_MAPPING])
				nf_violation(w, NULL, "an old mapping in a %s event", cmd_name(g->cmd));
		}
	}
}

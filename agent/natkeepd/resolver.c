// SPDX-License-Identifier: GPL-2.0
/*
 * Candidate servers from DNS through sofia's asynchronous resolver. Only
 * the DNS's word that a name or record does not exist (NXDOMAIN, no
 * records of the type) counts as an answer; a timeout, SERVFAIL or refusal
 * is a failure, and what the last lookup found for that name stands.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sofia-sip/su.h>
#include <sofia-sip/sresolv.h>

#include "candidates.h"
#include "log.h"
#include "resolver.h"

struct nkd_resolve;

/* Addresses kept per SRV target and family. */
#define NKD_ADDRS_PER_TARGET	4

/* The context of an address query: which SRV record, which family. */
struct addr_query {
	struct nkd_resolve *r;
	size_t index;
	int v6;			/* 0: A, 1: AAAA */
};

struct nkd_resolve {
	char name[NK_SIP_HOST_MAX + 1];
	uint16_t port;
	nkd_resolve_fn done;
	void *ctx;
	su_timer_t *timer;		/* the next lookup */
	unsigned int pending;		/* queries in flight */
	uint32_t min_ttl;
	bool from_srv;
	struct nkd_srv_record srv[NKD_MAX_SERVERS];
	size_t n_srv;
	/* Per SRV record (or the name itself): its IPv4, then IPv6 addresses. */
	struct nkd_target found[NKD_MAX_SERVERS][2][NKD_ADDRS_PER_TARGET];
	size_t n_found[NKD_MAX_SERVERS][2];
	/* This lookup's A (0) or AAAA (1) query of record i failed (no answer). */
	bool addr_failed[NKD_MAX_SERVERS][2];
	/* What the last lookup found, per name: served when its query fails. */
	struct nkd_target last[NKD_MAX_SERVERS][2][NKD_ADDRS_PER_TARGET];
	size_t n_last[NKD_MAX_SERVERS][2];
	size_t n_last_names;
	bool had_srv;			/* a lookup found SRV records */
	struct addr_query addr_queries[2 * NKD_MAX_SERVERS];
	/* A and AAAA queries per SRV record; the last one: the SRV query. */
	sres_query_t *queries[2 * NKD_MAX_SERVERS + 1];
	const char *last_error;		/* of this lookup's queries */
};

static struct {
	su_root_t *root;
	sres_resolver_t *res;
} resolver;

int nkd_resolver_init(su_root_t *root, const char *resolv_conf)
{
	resolver.root = root;
	resolver.res = sres_resolver_create(root, resolv_conf && *resolv_conf ?
					    resolv_conf : NULL, TAG_END());
	return resolver.res ? 0 : -1;
}

void nkd_resolver_uninit(void)
{
	if (resolver.res)
		sres_resolver_destroy(resolver.res);
	resolver.res = NULL;
}

/*
 * sres connect()s one socket per nameserver on its first query, from the
 * source address of that moment, and never reopens it by itself: once
 * that address is gone, every query fails. Its pending queries are sent
 * again from the new sockets.
 */
void nkd_resolver_renew_sockets(void)
{
	if (resolver.res)
		sres_resolver_update(resolver.res, 1);
}

static void lookup(struct nkd_resolve *r);

static void timer_expired(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	(void)magic;
	(void)t;
	lookup((struct nkd_resolve *)arg);
}

static void again_in(struct nkd_resolve *r, uint32_t seconds)
{
	su_timer_set_interval(r->timer, timer_expired, r, seconds * 1000);
}

static void note_ttl(struct nkd_resolve *r, uint32_t ttl)
{
	if (ttl < r->min_ttl)
		r->min_ttl = ttl;
}

/*
 * Record i's family f went unanswered: the last lookup's addresses of the
 * same name stand in, with this lookup's SRV priority, weight and port.
 */
static void serve_stale(struct nkd_resolve *r, size_t i, int f)
{
	const char *host = r->from_srv ? r->srv[i].target : r->name;

	for (size_t k = 0; k < r->n_last_names; k++) {
		if (!r->n_last[k][f] || strcmp(r->last[k][f][0].host, host))
			continue;
		for (size_t j = 0; j < r->n_last[k][f]; j++) {
			struct nkd_target *t = &r->found[i][f][j];

			*t = r->last[k][f][j];
			t->ep.port = r->from_srv ? r->srv[i].port : r->port;
			t->priority = r->from_srv ? r->srv[i].priority : 0;
			t->weight = r->from_srv ? r->srv[i].weight : 0;
		}
		r->n_found[i][f] = r->n_last[k][f];
		nkd_warn("dns: %s: %s query unanswered: keeping its %zu address(es)", host,
			 f ? "AAAA" : "A", r->n_found[i][f]);
		return;
	}
}

static void remember(struct nkd_resolve *r)
{
	r->n_last_names = r->from_srv ? r->n_srv : 1;
	memcpy(r->last, r->found, sizeof(r->last));
	memcpy(r->n_last, r->n_found, sizeof(r->n_last));
}

static void finish(struct nkd_resolve *r, const char *error)
{
	struct nkd_target targets[NKD_MAX_SERVERS];
	size_t n = 0, i, j, f;
	uint32_t ttl = r->min_ttl;

	for (i = 0; i < (r->from_srv ? r->n_srv : 1); i++)
		for (f = 0; f < 2; f++)
			if (!r->n_found[i][f] && r->addr_failed[i][f])
				serve_stale(r, i, (int)f);

	for (i = 0; i < (r->from_srv ? r->n_srv : 1); i++)
		for (f = 0; f < 2; f++)
			for (j = 0; j < r->n_found[i][f] && n < NKD_MAX_SERVERS; j++)
				targets[n++] = r->found[i][f][j];
	if (!n) {
		char why[NK_SIP_HOST_MAX + 64];

		snprintf(why, sizeof(why), "%s: %s", r->name,
			 error ? error : "no address records");
		again_in(r, NKD_DNS_RETRY_S);
		r->done(r->ctx, NULL, 0, why);
		return;
	}
	if (ttl < NKD_DNS_TTL_MIN_S)
		ttl = NKD_DNS_TTL_MIN_S;
	if (ttl > NKD_DNS_TTL_MAX_S)
		ttl = NKD_DNS_TTL_MAX_S;
	nkd_debug("dns: %s: %zu candidate(s) from %s, again in %u s", r->name, n,
		  r->from_srv ? "SRV" : "A", ttl);
	remember(r);
	again_in(r, ttl);
	r->done(r->ctx, targets, n, NULL);
}

static const char *status_text(unsigned int status)
{
	switch (status) {
	case SRES_NAME_ERR: return "no such name";
	case SRES_TIMEOUT_ERR: return "no answer from the DNS server";
	case SRES_RECORD_ERR: return "no records of the type asked for";
	case 2: return "DNS server failure";
	case 5: return "query refused";
	default: return "lookup failed";
	}
}

/* The status of answers: 0, an error's, or a timeout when there are none. */
static unsigned int answer_status(sres_record_t **answers)
{
	if (!answers || !answers[0])
		return SRES_TIMEOUT_ERR;
	for (size_t k = 0; answers[k]; k++)
		if (answers[k]->sr_record->r_status)
			return answers[k]->sr_record->r_status;
	return 0;
}

/* DNS said the name, or the type of record asked for, does not exist. */
static bool authoritative_no(unsigned int status)
{
	return status == SRES_NAME_ERR || status == SRES_RECORD_ERR;
}

static void on_addr(sres_context_t *ctx, sres_query_t *q, sres_record_t **answers)
{
	struct addr_query *aq = (struct addr_query *)ctx;
	struct nkd_resolve *r = aq->r;
	size_t i = aq->index;
	int f = aq->v6;
	uint16_t want = f ? sres_type_aaaa : sres_type_a;

	(void)q;
	r->queries[2 * i + f] = NULL;
	for (size_t k = 0; answers && answers[k]; k++) {
		sres_record_t *rec = answers[k];
		struct nkd_target *t;

		if (rec->sr_record->r_status) {
			/* An IPv4-only name has no AAAA: not an error of its own. */
			if (!f)
				r->last_error = status_text(rec->sr_record->r_status);
			continue;
		}
		if (rec->sr_record->r_type != want || r->n_found[i][f] >= NKD_ADDRS_PER_TARGET)
			continue;
		t = &r->found[i][f][r->n_found[i][f]++];
		memset(t, 0, sizeof(*t));
		snprintf(t->host, sizeof(t->host), "%s",
			 r->from_srv ? r->srv[i].target : r->name);
		if (f) {
			t->ep.family = AF_INET6;
			memcpy(&t->ep.addr.v6, &rec->sr_aaaa->aaaa_addr, 16);
		} else {
			t->ep.family = AF_INET;
			t->ep.addr.v4 = rec->sr_a->a_addr;
		}
		t->ep.port = r->from_srv ? r->srv[i].port : r->port;
		t->priority = r->from_srv ? r->srv[i].priority : 0;
		t->weight = r->from_srv ? r->srv[i].weight : 0;
		note_ttl(r, rec->sr_record->r_ttl);
	}
	if (!answers && !f)
		r->last_error = status_text(SRES_TIMEOUT_ERR);
	if (!r->n_found[i][f])
		r->addr_failed[i][f] = !authoritative_no(answer_status(answers));
	sres_free_answers(resolver.res, answers);
	if (--r->pending == 0)
		finish(r, r->last_error);
}

static void query_addr(struct nkd_resolve *r, size_t index, const char *host)
{
	for (int f = 0; f < 2; f++) {
		size_t slot = 2 * index + (size_t)f;

		r->addr_queries[slot] = (struct addr_query){ r, index, f };
		r->pending++;
		r->queries[slot] = sres_query(resolver.res, on_addr,
					      (sres_context_t *)&r->addr_queries[slot],
					      f ? sres_type_aaaa : sres_type_a, host);
		if (!r->queries[slot]) {
			r->pending--;
			r->last_error = "cannot send the query";
		}
	}
}

static void on_srv(sres_context_t *ctx, sres_query_t *q, sres_record_t **answers)
{
	struct nkd_resolve *r = (struct nkd_resolve *)ctx;
	unsigned int status = answer_status(answers);
	size_t k;

	(void)q;
	r->queries[2 * NKD_MAX_SERVERS] = NULL;
	r->n_srv = 0;
	for (k = 0; answers && answers[k]; k++) {
		sres_record_t *rec = answers[k];
		struct nkd_srv_record *s;

		if (rec->sr_record->r_status || rec->sr_record->r_type != sres_type_srv ||
		    r->n_srv >= NKD_MAX_SERVERS)
			continue;
		/* RFC 2782: a target of "." means no service here. */
		if (!rec->sr_srv->srv_target || !strcmp(rec->sr_srv->srv_target, "."))
			continue;
		s = &r->srv[r->n_srv++];
		snprintf(s->target, sizeof(s->target), "%s", rec->sr_srv->srv_target);
		/* sofia keeps the root's dot: "sip1.example.net." */
		if (s->target[0] && s->target[strlen(s->target) - 1] == '.')
			s->target[strlen(s->target) - 1] = '\0';
		s->priority = rec->sr_srv->srv_priority;
		s->weight = rec->sr_srv->srv_weight;
		s->port = rec->sr_srv->srv_port;
		note_ttl(r, rec->sr_record->r_ttl);
	}
	sres_free_answers(resolver.res, answers);

	r->last_error = NULL;
	if (!r->n_srv && r->had_srv && !authoritative_no(status)) {
		/* Not "no SRV records": the servers we know stand. */
		char why[NK_SIP_HOST_MAX + 64];

		snprintf(why, sizeof(why), "%s: SRV: %s", r->name, status_text(status));
		again_in(r, NKD_DNS_RETRY_S);
		r->done(r->ctx, NULL, 0, why);
		return;
	}
	r->from_srv = r->n_srv > 0;
	r->had_srv |= r->from_srv;
	if (r->from_srv) {
		nkd_srv_order(r->srv, r->n_srv, nkd_random_below, NULL);
		for (k = 0; k < r->n_srv; k++)
			query_addr(r, k, r->srv[k].target);
	} else {
		query_addr(r, 0, r->name);
	}
	if (!r->pending)
		finish(r, r->last_error);
}

static void cancel_queries(struct nkd_resolve *r)
{
	for (size_t i = 0; i <= 2 * NKD_MAX_SERVERS; i++) {
		if (r->queries[i])
			sres_query_bind(r->queries[i], NULL, NULL);
		r->queries[i] = NULL;
	}
	r->pending = 0;
}

static void lookup(struct nkd_resolve *r)
{
	char srv_name[NK_SIP_HOST_MAX + 16];

	cancel_queries(r);
	memset(r->n_found, 0, sizeof(r->n_found));
	memset(r->addr_failed, 0, sizeof(r->addr_failed));
	r->min_ttl = UINT32_MAX;
	/* A name that is itself an SRV owner (_sip._udp.example.net). */
	if (r->name[0] == '_')
		snprintf(srv_name, sizeof(srv_name), "%s", r->name);
	else
		snprintf(srv_name, sizeof(srv_name), "_sip._udp.%s", r->name);
	r->queries[2 * NKD_MAX_SERVERS] = sres_query(resolver.res, on_srv,
						     (sres_context_t *)r,
						     sres_type_srv, srv_name);
	if (!r->queries[2 * NKD_MAX_SERVERS]) {
		/* A change of address we were not told of: the retry has new sockets. */
		nkd_resolver_renew_sockets();
		again_in(r, NKD_DNS_RETRY_S);
		r->done(r->ctx, NULL, 0, "cannot send a DNS query");
	}
}

/* An IP address literal is its own candidate, without DNS. */
static bool literal(const char *name, uint16_t port, struct nkd_target *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->host, sizeof(t->host), "%s", name);
	t->ep.port = port;
	if (inet_pton(AF_INET, name, &t->ep.addr.v4) == 1)
		t->ep.family = AF_INET;
	else if (inet_pton(AF_INET6, name, &t->ep.addr.v6) == 1)
		t->ep.family = AF_INET6;
	return t->ep.family != 0;
}

struct nkd_resolve *nkd_resolve_start(const char *name, uint16_t port,
				      nkd_resolve_fn done, void *ctx)
{
	struct nkd_resolve *r = calloc(1, sizeof(*r));
	struct nkd_target t;

	if (!r)
		return NULL;
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->port = port;
	r->done = done;
	r->ctx = ctx;
	if (literal(name, port, &t)) {
		done(ctx, &t, 1, NULL);
		return r;
	}
	r->timer = su_timer_create(su_root_task(resolver.root), 0);
	if (!r->timer || !resolver.res) {
		su_timer_destroy(r->timer);
		free(r);
		return NULL;
	}
	lookup(r);
	return r;
}

void nkd_resolve_stop(struct nkd_resolve *r)
{
	if (!r)
		return;
	cancel_queries(r);
	if (r->timer)
		su_timer_destroy(r->timer);
	free(r);
}

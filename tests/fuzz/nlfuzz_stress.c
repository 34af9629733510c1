// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: valid requests only, from several workers at once on the same
 * flows. Every worker creates flows on a few shared keys (EEXIST races),
 * publishes their ids, and changes and deletes the ids the others
 * published, while the flows fire at the responders and get answers. A
 * valid request may then only meet what the races allow: EEXIST, ENOENT,
 * ENOSPC; anything else is a violation. And a flow this worker deleted
 * must stay gone (ids are not reused soon).
 *
 * Churn: each step a child process makes a network namespace of its own,
 * flows in it answered by its own responder, changes some, and exits
 * with them alive, now and then in the middle of a dump: the namespace
 * dies with its flows while they fire.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "nlfuzz.h"

static struct nf_msg *start(struct nf_worker *w, const char *gen, uint8_t cmd)
{
	struct nf_msg *m = w->msg;

	nf_msg_natkeep(w, m, cmd, 0);
	m->gen = gen;
	m->valid = true;
	return m;
}

static int send_msg(struct nf_worker *w, struct nf_result *r)
{
	nf_msg_end(w->msg);
	return nf_exchange(w, w->msg, r);
}

/* An id another worker of this namespace made, or one of ours. */
static uint32_t shared_id(struct nf_worker *w)
{
	uint32_t id = 0;

	if (!w->own_netns && nf_chance(&w->rng, 75))
		id = atomic_load(&w->sh->ids[nf_rnd(&w->rng, NF_SHARED_IDS)]);
	return id ? id : nf_live_pick(w);
}

static void publish(struct nf_worker *w, uint32_t id)
{
	atomic_store(&w->sh->ids[nf_rnd(&w->rng, NF_SHARED_IDS)], id);
}

/* A flow on one of four shared local ports: the workers' keys collide. */
static void stress_flow(struct nf_worker *w, struct nf_flow *f)
{
	nf_flow_valid(w, f);
	f->lport = (uint16_t)(w->o->port_base + 10 + nf_rnd(&w->rng, 4));
	f->timeout_ms = 0;	/* an interval change never conflicts */
}

static void stress_new(struct nf_worker *w)
{
	struct nf_msg *m = start(w, "stress-new", NATKEEP_CMD_FLOW_NEW);
	struct nf_result r = { 0 };
	struct nf_flow f;

	stress_flow(w, &f);
	nf_put_flow(m, &f);
	nf_msg_allow(m, EEXIST);
	nf_msg_allow(m, ENOSPC);
	if (w->o->userns)
		nf_msg_allow(m, EPERM);
	m->want = f;
	m->want_mask = NF_F_FAMILY | NF_F_LOCAL | NF_F_REMOTE | NF_F_INTERVAL | NF_F_TYPE;
	if (!send_msg(w, &r) && !r.err && r.id)
		publish(w, r.id);
}

static void stress_set(struct nf_worker *w)
{
	struct nf_rng *rng = &w->rng;
	uint32_t id = shared_id(w);
	struct nf_msg *m = start(w, "stress-set", NATKEEP_CMD_FLOW_SET);
	struct nf_result r = { 0 };
	struct nf_flow f;

	stress_flow(w, &f);
	nf_put_u32(m, NATKEEP_A_FLOW_ID, id);
	switch (nf_rnd(rng, 4)) {
	case 0:	/* the schedule: the timer is rearmed */
		nf_put_u32(m, NATKEEP_A_INTERVAL_MS, f.interval_ms);
		nf_put_u32(m, NATKEEP_A_RESPONSE_TIMEOUT_MS, 0);
		nf_put_u8(m, NATKEEP_A_RANDOMIZE, f.randomize);
		break;
	case 1:	/* the key: moves in the table */
		nf_put_u16(m, NATKEEP_A_LOCAL_PORT, f.lport);
		break;
	case 2:	/* the payload: another type, with its strings */
		nf_put_u8(m, NATKEEP_A_MSG_TYPE, f.type);
		nf_put_u16(m, NATKEEP_A_REMOTE_PORT, f.rport);
		if (f.from_user)
			nf_put_str(m, NATKEEP_A_SIP_FROM_USER, f.from_user);
		if (f.spec)
			nf_put_str(m, NATKEEP_A_CUSTOM_SPEC, f.spec);
		break;
	default:	/* everything */
		nf_put_flow(m, &f);
		break;
	}
	nf_msg_allow(m, ENOENT);
	nf_msg_allow(m, EEXIST);
	nf_msg_allow(m, ENOSPC);
	m->target_id = id;
	m->want_mask = NF_F_ID;
	send_msg(w, &r);
}

/* A flow this worker deleted must be gone for good. */
static void check_gone(struct nf_worker *w, uint32_t id)
{
	struct nf_msg *m = start(w, "stress-gone", NATKEEP_CMD_FLOW_GET);
	struct nf_result r = { 0 };

	nf_put_u32(m, NATKEEP_A_FLOW_ID, id);
	m->must_fail = true;
	nf_msg_allow(m, ENOENT);
	send_msg(w, &r);
}

/* Delete a shared flow, or (@own) one of this worker's. */
static void stress_del(struct nf_worker *w, bool own)
{
	uint32_t id = own ? nf_live_pick(w) : shared_id(w);
	struct nf_msg *m = start(w, "stress-del", NATKEEP_CMD_FLOW_DEL);
	struct nf_result r = { 0 };

	nf_put_u32(m, NATKEEP_A_FLOW_ID, id);
	nf_msg_allow(m, ENOENT);
	m->target_id = id;
	if (!send_msg(w, &r) && !r.err && nf_chance(&w->rng, 50))
		check_gone(w, id);
}

static void stress_get(struct nf_worker *w)
{
	struct nf_msg *m = start(w, "stress-get", NATKEEP_CMD_FLOW_GET);
	struct nf_result r = { 0 };
	uint32_t id = shared_id(w);

	nf_put_u32(m, NATKEEP_A_FLOW_ID, id);
	nf_msg_allow(m, ENOENT);
	m->target_id = id;
	m->want_mask = NF_F_ID;
	send_msg(w, &r);
}

static void stress_dump(struct nf_worker *w)
{
	struct nf_msg *m = start(w, "stress-dump", NATKEEP_CMD_FLOW_GET);
	struct nf_result r = { 0 };

	m->nlh.nlmsg_flags |= NLM_F_DUMP;
	send_msg(w, &r);
}

static void stress_stats(struct nf_worker *w)
{
	struct nf_result r = { 0 };

	start(w, "stress-stats", NATKEEP_CMD_STATS_GET);
	send_msg(w, &r);
}

void nf_stress_one(struct nf_worker *w)
{
	uint32_t op = nf_rnd(&w->rng, 20);

	if (w->n_live > w->o->live_cap && nf_chance(&w->rng, 50))
		stress_del(w, true);	/* keep the flows few */
	else if (op < 6)
		stress_new(w);
	else if (op < 11)
		stress_set(w);
	else if (op < 15)
		stress_del(w, false);
	else if (op < 17)
		stress_get(w);
	else if (op < 19)
		stress_dump(w);
	else
		stress_stats(w);
	if (w->c->sent % 16 == 0)
		nf_drain_events(w);
}

/* --- namespace churn --------------------------------------------------------- */

/* In the new namespace: the count STATS_GET gives is the dump's. */
static void churn_check_count(struct nf_worker *w)
{
	static uint32_t ids[NF_LIVE_MAX];
	struct nf_result r = { .dump_ids = ids, .dump_cap = NF_LIVE_MAX };
	struct nf_result s = { 0 };
	struct nf_msg *m;

	m = start(w, "churn-dump", NATKEEP_CMD_FLOW_GET);
	m->nlh.nlmsg_flags |= NLM_F_DUMP;
	if (send_msg(w, &r) || r.err)
		return;
	m = start(w, "churn-stats", NATKEEP_CMD_STATS_GET);
	if (send_msg(w, &s) || !s.has_stats)
		return;
	if (s.stats_flows != r.n_dump || (int)r.n_dump != w->n_live)
		nf_violation(w, NULL, "namespace of its own: STATS_GET says %u flows, the dump %zu, the worker made %d",
			     s.stats_flows, r.n_dump, w->n_live);
}

static void churn_child(struct nf_worker *w)
{
	struct nf_rng *rng = &w->rng;
	struct nf_peer *peer;
	int flows = 1 + (int)nf_rnd(rng, 12), ops = 5 + (int)nf_rnd(rng, 25);
	double until;

	if (unshare(CLONE_NEWNET) || nf_lo_up())
		_exit(3);
	peer = nf_peer_open(w->o->port_base, w->c, nf_rnd64(rng));
	nf_nl_close(&w->nl);
	nf_nl_close(&w->ev);
	if (nf_nl_open(&w->nl, nf_chance(rng, 50)) || nf_nl_resolve(&w->nl))
		_exit(4);
	/* The events: a listener in a namespace that dies. */
	if (nf_chance(rng, 50) && !nf_nl_open(&w->ev, true)) {
		w->ev.family = w->nl.family;
		w->ev.mcgrp = w->nl.mcgrp;
		nf_nl_join_events(&w->ev);
	}
	w->own_netns = true;
	w->n_live = 0;
	w->last_new_id = 0;
	w->verbose_left = 5;
	while (flows--) {
		struct nf_msg *m = start(w, "churn-new", NATKEEP_CMD_FLOW_NEW);
		struct nf_result r = { 0 };
		struct nf_flow f;

		nf_flow_valid(w, &f);
		f.interval_ms = 10 + nf_rnd(rng, 21);
		f.timeout_ms = 0;
		nf_put_flow(m, &f);
		nf_msg_allow(m, EEXIST);
		if (w->o->userns)
			nf_msg_allow(m, EPERM);
		send_msg(w, &r);
		nf_peer_serve(peer, 0);
	}
	/* Change and look while they fire and get answers. */
	until = nf_now() + 0.05 + nf_rnd(rng, 100) / 1000.0;
	while (ops-- > 0 || nf_now() < until) {
		if (ops >= 0) {
			uint32_t op = nf_rnd(rng, 4);

			if (op == 0)
				stress_set(w);
			else if (op == 1)
				stress_get(w);
			else if (op == 2)
				stress_dump(w);
			else
				stress_del(w, false);
		}
		nf_peer_serve(peer, ops >= 0 ? 0 : 10);
		nf_drain_events(w);
	}
	churn_check_count(w);
	/* Now and then, leave in the middle of a dump. */
	if (nf_chance(rng, 30)) {
		struct nf_msg *m = start(w, "churn-leave", NATKEEP_CMD_FLOW_GET);
		struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

		m->nlh.nlmsg_flags |= NLM_F_DUMP;
		nf_msg_end(m);
		m->nlh.nlmsg_seq = ++w->nl.seq;
		sendto(w->nl.fd, m->buf, m->len, 0, (struct sockaddr *)&kernel, sizeof(kernel));
		w->c->sent++;
	}
	_exit(0);
}

void nf_churn_one(struct nf_worker *w)
{
	uint64_t sent = w->c->sent;
	uint64_t seed = nf_rnd64(&w->rng);
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0) {
		w->budget--;
		return;
	}
	if (!pid) {
		w->rng.s = seed | 1;
		churn_child(w);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	w->c->namespaces++;
	w->budget -= (long)(w->c->sent - sent);
	if (w->c->sent == sent)
		w->budget--;
	if (WIFSIGNALED(status) || (WIFEXITED(status) && WEXITSTATUS(status)))
		nf_violation(w, NULL, "a churn child ended with %s %d",
			     WIFSIGNALED(status) ? "signal" : "status",
			     WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
}

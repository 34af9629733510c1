// SPDX-License-Identifier: GPL-2.0
/*
 * Proxy server redundancy as a state machine (see redundancy.h). Every
 * entry point records the event and then calls reconcile(), which alone
 * decides what to register next: the rules live in one place.
 */
#include <stdio.h>
#include <string.h>

#include "backoff.h"
#include "nk_array.h"
#include "redundancy.h"

static int64_t check_ms(const struct nkd_redundancy *r)
{
	return r->check_interval_ms;
}

void nkd_redundancy_init(struct nkd_redundancy *r,
			 const struct nkd_redundancy_ops *ops, void *ctx,
			 bool redundancy, bool dual,
			 unsigned int check_interval_s)
{
	memset(r, 0, sizeof(*r));
	r->ops = ops;
	r->ctx = ctx;
	r->redundancy = redundancy;
	r->dual = redundancy && dual;
	r->check_interval_ms = (int64_t)check_interval_s * 1000;
	r->next_id = 1;
}

const struct nkd_server *nkd_redundancy_find_const(const struct nkd_redundancy *r, uint32_t id)
{
	for (size_t i = 0; i < r->count; i++)
		if (r->servers[i].id == id)
			return &r->servers[i];
	return NULL;
}

struct nkd_server *nkd_redundancy_find(struct nkd_redundancy *r, uint32_t id)
{
	return (struct nkd_server *)nkd_redundancy_find_const(r, id);
}

static struct nkd_server *with_role(const struct nkd_redundancy *r,
				    enum nkd_role role)
{
	for (size_t i = 0; i < r->count; i++)
		if (r->servers[i].role == role)
			return (struct nkd_server *)&r->servers[i];
	return NULL;
}

const struct nkd_server *nkd_redundancy_primary(const struct nkd_redundancy *r)
{
	return with_role(r, NKD_ROLE_PRIMARY);
}

const struct nkd_server *nkd_redundancy_secondary(const struct nkd_redundancy *r)
{
	return with_role(r, NKD_ROLE_SECONDARY);
}

bool nkd_redundancy_is_fallback(const struct nkd_redundancy *r,
				const struct nkd_server *s)
{
	const struct nkd_server *primary = nkd_redundancy_primary(r);

	return r->redundancy && primary &&
	       s->target.priority < primary->target.priority;
}

/* False when the caller could not start it: then a failure, as if answered. */
static bool begin(struct nkd_redundancy *r, struct nkd_server *s,
		  enum nkd_role role, int64_t now)
{
	s->role = role;
	if (r->ops->start(r->ctx, s->id))
		return true;
	s->role = NKD_ROLE_NONE;
	s->last_failure = NKD_FAIL_UNREACHABLE;
	s->last_status = 0;
	snprintf(s->last_reason, sizeof(s->last_reason), "no REGISTER could be started");
	s->last_failure_at = now;
	return false;
}

static void drop(struct nkd_redundancy *r, struct nkd_server *s, bool unregister)
{
	s->role = NKD_ROLE_NONE;
	s->expires_at = 0;
	r->ops->stop(r->ctx, s->id, unregister);
}

/*
 * Another address of a host that failed in this search (one SRV target's
 * A and AAAA records): tried after the other hosts, since a dead host is
 * dead in both families.
 */
static bool host_failed(const struct nkd_redundancy *r, const struct nkd_server *s)
{
	for (size_t i = 0; i < r->count; i++)
		if (&r->servers[i] != s && r->servers[i].tried &&
		    !strcmp(r->servers[i].target.host, s->target.host))
			return true;
	return false;
}

/* The search for a primary: the first untried candidate, or a pause. */
static void ensure_primary(struct nkd_redundancy *r, int64_t now)
{
	struct nkd_server *s;
	int64_t earliest_retry = 0;
	bool all_asked_to_wait = true;
	size_t i, pass;

	if (with_role(r, NKD_ROLE_PRIMARY) || r->count == 0)
		return;
	s = with_role(r, NKD_ROLE_SECONDARY);
	if (s) {
		/*
		 * Dual registration: the secondary is registered already. As
		 * after a search that found it, the next search starts afresh
		 * (the failed primary's "tried" would make it skip a server
		 * that may long be well again).
		 */
		s->role = NKD_ROLE_PRIMARY;
		r->next_check = 0;
		r->failed_searches = 0;
		for (i = 0; i < r->count; i++)
			r->servers[i].tried = false;
		return;
	}
	/* A REGISTER in flight for another reason now counts for the search. */
	for (i = 0; i < r->count; i++) {
		s = &r->servers[i];
		if (s->role == NKD_ROLE_PROBE || s->role == NKD_ROLE_SEEK_SECONDARY)
			s->role = NKD_ROLE_SEARCH;
	}
	if (with_role(r, NKD_ROLE_SEARCH) || now < r->pause_until || r->held)
		return;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < r->count; i++) {
			s = &r->servers[i];
			if (s->tried || s->retry_at > now || (!pass && host_failed(r, s)))
				continue;
			if (begin(r, s, NKD_ROLE_SEARCH, now))
				return;
			s->tried = true;
		}
	}
	/* Every candidate failed: the caller may try another way first ... */
	for (i = 0; i < r->count; i++)
		if (!r->servers[i].tried || r->servers[i].last_failure != NKD_FAIL_TIMEOUT)
			break;
	if (r->ops->exhausted && r->ops->exhausted(r->ctx, i == r->count)) {
		for (i = 0; i < r->count; i++)
			r->servers[i].tried = false;
		r->held = true;
		return;
	}
	/* ... else pause, then search again from the first. */
	for (i = 0; i < r->count; i++) {
		s = &r->servers[i];
		if (s->retry_at > now) {
			if (!earliest_retry || s->retry_at < earliest_retry)
				earliest_retry = s->retry_at;
		} else {
			all_asked_to_wait = false;
		}
		s->tried = false;
	}
	r->failed_searches++;
	if (all_asked_to_wait)
		r->pause_until = earliest_retry;
	else
		r->pause_until = now + nkd_backoff_ms(r->failed_searches,
						      r->ops->random, r->ctx);
}

static bool may_try(const struct nkd_server *s, int64_t now)
{
	return s->role == NKD_ROLE_NONE && s->retry_at <= now;
}

/*
 * Dual registration: the first candidate of lower or equal priority on
 * another host (the primary's other address only when there is none).
 */
static void ensure_secondary(struct nkd_redundancy *r, int64_t now)
{
	const struct nkd_server *primary = with_role(r, NKD_ROLE_PRIMARY);
	size_t i, p, pass;

	if (!r->dual || !primary || with_role(r, NKD_ROLE_SECONDARY) ||
	    with_role(r, NKD_ROLE_SEEK_SECONDARY))
		return;
	p = (size_t)(primary - r->servers);
	/* Those after the primary first, then equal ones before it. */
	for (pass = 0; pass < 4; pass++) {
		bool other_host = pass < 2, after = !(pass % 2);

		for (i = after ? p + 1 : 0; i < (after ? r->count : p); i++) {
			struct nkd_server *s = &r->servers[i];

			if (other_host && !strcmp(s->target.host, primary->target.host))
				continue;
			if (s->target.priority >= primary->target.priority &&
			    may_try(s, now) && s->hold_until <= now) {
				if (begin(r, s, NKD_ROLE_SEEK_SECONDARY, now))
					return;
				s->hold_until = now + check_ms(r);
			}
		}
	}
}

/* Every check interval, the candidates of higher priority in turn. */
static void ensure_fallback_check(struct nkd_redundancy *r, int64_t now)
{
	const struct nkd_server *primary = with_role(r, NKD_ROLE_PRIMARY);
	bool any = false;
	size_t i;

	if (!primary || with_role(r, NKD_ROLE_PROBE))
		return;
	for (i = 0; i < r->count; i++)
		any |= nkd_redundancy_is_fallback(r, &r->servers[i]);
	if (!any) {
		r->next_check = 0;
		return;
	}
	if (!r->next_check)
		r->next_check = now + check_ms(r);
	if (now < r->next_check)
		return;
	for (i = 0; i < r->count; i++) {
		struct nkd_server *s = &r->servers[i];

		if (nkd_redundancy_is_fallback(r, s) && !s->probed && may_try(s, now)) {
			if (begin(r, s, NKD_ROLE_PROBE, now))
				return;
			s->probed = true;
		}
	}
	/* This check is over: the next one in an interval. */
	for (i = 0; i < r->count; i++)
		r->servers[i].probed = false;
	r->next_check = now + check_ms(r);
}

static void consider(int64_t *earliest, int64_t t, int64_t now)
{
	if (t > now && (!*earliest || t < *earliest))
		*earliest = t;
}

/* The next time something may become possible. */
static void arm_next(struct nkd_redundancy *r, int64_t now)
{
	const struct nkd_server *primary = with_role(r, NKD_ROLE_PRIMARY);
	int64_t earliest = 0;
	size_t i;

	if (!primary && !with_role(r, NKD_ROLE_SEARCH))
		consider(&earliest, r->pause_until, now);
	if (primary && !with_role(r, NKD_ROLE_PROBE))
		consider(&earliest, r->next_check, now);
	for (i = 0; i < r->count; i++) {
		const struct nkd_server *s = &r->servers[i];

		if (s->role != NKD_ROLE_NONE)
			continue;
		consider(&earliest, s->retry_at, now);
		if (r->dual && primary)
			consider(&earliest, s->hold_until, now);
	}
	r->ops->arm(r->ctx, earliest);
}

static uint32_t id_of(const struct nkd_server *s)
{
	return s ? s->id : 0;
}

/*
 * Decide what to do next; tell the caller when the primary or secondary
 * changed since the event began (before_* were taken then).
 */
static void reconcile(struct nkd_redundancy *r, uint32_t before_primary,
		      uint32_t before_secondary, int64_t now)
{
	if (r->stopped)
		return;
	ensure_primary(r, now);
	ensure_secondary(r, now);
	ensure_fallback_check(r, now);
	arm_next(r, now);
	if (id_of(nkd_redundancy_primary(r)) != before_primary ||
	    id_of(nkd_redundancy_secondary(r)) != before_secondary)
		r->ops->changed(r->ctx);
}

#define EVENT_BEGIN(r) \
	uint32_t before_primary = id_of(nkd_redundancy_primary(r)); \
	uint32_t before_secondary = id_of(nkd_redundancy_secondary(r))

void nkd_redundancy_set_targets(struct nkd_redundancy *r,
				const struct nkd_target *targets, size_t n,
				int64_t now)
{
	struct nkd_server next[NKD_MAX_SERVERS];
	bool kept[NKD_MAX_SERVERS] = { false };
	size_t i, j;
	EVENT_BEGIN(r);

	if (r->stopped)
		return;
	if (n > NKD_MAX_SERVERS)
		n = NKD_MAX_SERVERS;
	if (!r->redundancy && n > 1) {
		/*
		 * One server: the current one while DNS still names it (a
		 * re-drawn SRV order or a round-robin A answer lists it
		 * elsewhere), else the first.
		 */
		for (i = 0; r->count && i < n; i++)
			if (nkd_target_same_endpoint(&r->servers[0].target, &targets[i]))
				break;
		targets += i < n ? i : 0;
		n = 1;
	}
	for (i = 0; i < n; i++) {
		for (j = 0; j < r->count; j++)
			if (!kept[j] && nkd_target_same_endpoint(&r->servers[j].target,
								 &targets[i]))
				break;
		if (j < r->count) {
			next[i] = r->servers[j];
			kept[j] = true;
		} else {
			memset(&next[i], 0, sizeof(next[i]));
			next[i].id = r->next_id++;
			if (!r->next_id)
				r->next_id = 1;
		}
		next[i].target = targets[i];
	}
	/* Registrations with servers that DNS no longer names end. */
	for (j = 0; j < r->count; j++) {
		struct nkd_server *s = &r->servers[j];

		if (kept[j] || s->role == NKD_ROLE_NONE)
			continue;
		r->ops->stop(r->ctx, s->id, s->role == NKD_ROLE_PRIMARY ||
			     s->role == NKD_ROLE_SECONDARY);
	}
	memcpy(r->servers, next, n * sizeof(next[0]));
	r->count = n;
	reconcile(r, before_primary, before_secondary, now);
}

static bool listed(const struct nkd_redundancy *r, const struct nkd_target *t)
{
	for (size_t i = 0; i < r->count; i++)
		if (nkd_target_same_endpoint(&r->servers[i].target, t))
			return true;
	return false;
}

void nkd_redundancy_adopt(struct nkd_redundancy *r, const struct nkd_target *targets,
			  const enum nkd_role *roles, size_t n, int64_t now)
{
	size_t i;
	EVENT_BEGIN(r);

	if (r->stopped || r->count)
		return;
	for (i = 0; i < n && r->count < NKD_MAX_SERVERS; i++) {
		struct nkd_server *s = &r->servers[r->count];
		enum nkd_role role = roles[i];

		if (role == NKD_ROLE_SECONDARY && !r->dual)
			continue;
		if ((role != NKD_ROLE_PRIMARY && role != NKD_ROLE_SECONDARY) ||
		    with_role(r, role) || listed(r, &targets[i]))
			continue;
		memset(s, 0, sizeof(*s));
		s->id = r->next_id++;
		s->target = targets[i];
		r->count++;
		begin(r, s, role, now);
	}
	/* A secondary alone is the primary now (as after a failover). */
	reconcile(r, before_primary, before_secondary, now);
}

void nkd_redundancy_registered(struct nkd_redundancy *r, uint32_t id,
			       unsigned int expires_s, int64_t now)
{
	struct nkd_server *s = nkd_redundancy_find(r, id), *old;
	size_t i;
	EVENT_BEGIN(r);

	if (!s || r->stopped || s->role == NKD_ROLE_NONE)
		return;
	s->last_register_at = now;
	s->expires_at = now + (int64_t)expires_s * 1000;
	switch (s->role) {
	case NKD_ROLE_SEARCH:
		s->role = NKD_ROLE_PRIMARY;
		r->failed_searches = 0;
		r->pause_until = 0;
		r->next_check = 0;
		for (i = 0; i < r->count; i++)
			r->servers[i].tried = false;
		break;
	case NKD_ROLE_SEEK_SECONDARY:
		/* A fallback made the old primary the secondary meanwhile. */
		if (with_role(r, NKD_ROLE_SECONDARY))
			drop(r, s, true);
		else
			s->role = NKD_ROLE_SECONDARY;
		break;
	case NKD_ROLE_PROBE:
		/* Fallback: the higher-priority server works again. */
		old = with_role(r, NKD_ROLE_PRIMARY);
		s->role = NKD_ROLE_PRIMARY;
		r->next_check = 0;
		for (i = 0; i < r->count; i++)
			r->servers[i].probed = false;
		if (old && r->dual) {
			struct nkd_server *sec = with_role(r, NKD_ROLE_SECONDARY);

			if (sec)
				drop(r, sec, true);
			old->role = NKD_ROLE_SECONDARY;
		} else if (old) {
			drop(r, old, true);
		}
		break;
	default:
		break;		/* a refresh */
	}
	reconcile(r, before_primary, before_secondary, now);
}

void nkd_redundancy_failed(struct nkd_redundancy *r, uint32_t id,
			   enum nkd_failure why, int status, const char *reason,
			   unsigned int retry_after_s, int64_t now)
{
	struct nkd_server *s = nkd_redundancy_find(r, id);
	EVENT_BEGIN(r);

	if (!s || r->stopped || s->role == NKD_ROLE_NONE)
		return;
	s->last_failure = why;
	s->last_status = status;
	snprintf(s->last_reason, sizeof(s->last_reason), "%s", reason ? reason : "");
	s->last_failure_at = now;
	if (retry_after_s)
		s->retry_at = now + (int64_t)retry_after_s * 1000;
	switch (s->role) {
	case NKD_ROLE_SEARCH:
		s->tried = true;
		s->role = NKD_ROLE_NONE;
		break;
	case NKD_ROLE_PROBE:
		s->probed = true;
		s->role = NKD_ROLE_NONE;
		break;
	case NKD_ROLE_SEEK_SECONDARY:
		s->hold_until = now + check_ms(r);
		s->role = NKD_ROLE_NONE;
		break;
	case NKD_ROLE_PRIMARY:
		/* Fail over: the new search skips this server. */
		s->tried = true;
		s->hold_until = now + check_ms(r);
		drop(r, s, false);
		break;
	case NKD_ROLE_SECONDARY:
		s->hold_until = now + check_ms(r);
		drop(r, s, false);
		break;
	default:
		break;
	}
	reconcile(r, before_primary, before_secondary, now);
}

void nkd_redundancy_resume(struct nkd_redundancy *r, int64_t now)
{
	EVENT_BEGIN(r);

	r->held = false;
	reconcile(r, before_primary, before_secondary, now);
}

void nkd_redundancy_reset(struct nkd_redundancy *r, int64_t now)
{
	EVENT_BEGIN(r);

	if (r->stopped)
		return;
	for (size_t i = 0; i < r->count; i++) {
		struct nkd_server *s = &r->servers[i];

		if (s->role != NKD_ROLE_NONE)
			drop(r, s, false);
		s->tried = s->probed = false;
	}
	r->held = true;
	r->pause_until = 0;
	r->next_check = 0;
	reconcile(r, before_primary, before_secondary, now);
}

void nkd_redundancy_timer(struct nkd_redundancy *r, int64_t now)
{
	EVENT_BEGIN(r);

	reconcile(r, before_primary, before_secondary, now);
}

void nkd_redundancy_stop(struct nkd_redundancy *r)
{
	EVENT_BEGIN(r);

	if (r->stopped)
		return;
	for (size_t i = 0; i < r->count; i++) {
		struct nkd_server *s = &r->servers[i];

		if (s->role != NKD_ROLE_NONE)
			drop(r, s, true);
	}
	r->stopped = true;
	r->ops->arm(r->ctx, 0);
	if (before_primary || before_secondary)
		r->ops->changed(r->ctx);
}

enum nkd_account_state nkd_redundancy_state(const struct nkd_redundancy *r,
					    int64_t now)
{
	if (r->stopped)
		return NKD_ACCOUNT_STOPPED;
	if (nkd_redundancy_primary(r))
		return NKD_ACCOUNT_REGISTERED;
	if (r->count == 0)
		return NKD_ACCOUNT_NO_SERVERS;
	if (!with_role(r, NKD_ROLE_SEARCH) && now < r->pause_until)
		return NKD_ACCOUNT_PAUSED;
	return NKD_ACCOUNT_REGISTERING;
}

const char *nkd_failure_name(enum nkd_failure why)
{
	static const char *const names[] = {
		[NKD_FAIL_NONE] = "none",
		[NKD_FAIL_TIMEOUT] = "timeout",
		[NKD_FAIL_UNREACHABLE] = "unreachable",
		[NKD_FAIL_SERVER] = "server-error",
		[NKD_FAIL_AUTH] = "auth-failed",
		[NKD_FAIL_REJECTED] = "rejected",
		[NKD_FAIL_REDIRECTS] = "too-many-redirects",
		[NKD_FAIL_UNRESPONSIVE] = "keep-alive-unanswered",
		[NKD_FAIL_GONE] = "not-in-dns",
	};

	return (unsigned int)why < ARRAY_SIZE(names) ? names[why] : "?";
}

const char *nkd_role_name(enum nkd_role role)
{
	static const char *const names[] = {
		[NKD_ROLE_NONE] = "candidate",
		[NKD_ROLE_PRIMARY] = "primary",
		[NKD_ROLE_SECONDARY] = "secondary",
		[NKD_ROLE_SEARCH] = "trying",
		[NKD_ROLE_SEEK_SECONDARY] = "trying-secondary",
		[NKD_ROLE_PROBE] = "checking-fallback",
	};

	return (unsigned int)role < ARRAY_SIZE(names) ? names[role] : "?";
}

const char *nkd_account_state_name(enum nkd_account_state state)
{
	static const char *const names[] = {
		[NKD_ACCOUNT_NO_SERVERS] = "no-servers",
		[NKD_ACCOUNT_REGISTERING] = "registering",
		[NKD_ACCOUNT_PAUSED] = "paused",
		[NKD_ACCOUNT_REGISTERED] = "registered",
		[NKD_ACCOUNT_STOPPED] = "stopped",
	};

	return (unsigned int)state < ARRAY_SIZE(names) ? names[state] : "?";
}

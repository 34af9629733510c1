// SPDX-License-Identifier: GPL-2.0
/*
 * natkeepd's server redundancy state machine, driven by a fake clock and
 * fake REGISTER outcomes; the candidate order (RFC 2782) and the backoff.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "backoff.h"
#include "candidates.h"
#include "redundancy.h"
#include "runner.h"

/* ---------------------------------------------------------------- harness */

struct fake {
	struct nkd_redundancy r;
	int64_t now;
	int64_t armed;		/* 0: no timer */
	char log[2048];		/* "start 1, stop 2 unregister, changed, ..." */
	unsigned int starts;
	unsigned int changes;
	uint32_t random_value;	/* UINT32_MAX: always the bound */
	int other_ports;	/* local ports left to try (X_UserAgentPorts) */
	uint32_t cannot_start;	/* this id's REGISTER cannot be started */
};

static void note(struct fake *f, const char *fmt, ...)
{
	size_t len = strlen(f->log);
	va_list ap;

	if (len)
		len += snprintf(f->log + len, sizeof(f->log) - len, ", ");
	va_start(ap, fmt);
	vsnprintf(f->log + len, sizeof(f->log) - len, fmt, ap);
	va_end(ap);
}

static bool fake_start(void *ctx, uint32_t id)
{
	struct fake *f = ctx;

	if (id == f->cannot_start) {
		note(f, "cannot start %u", id);
		return false;
	}
	f->starts++;
	note(f, "start %u", id);
	return true;
}

static void fake_stop(void *ctx, uint32_t id, bool unregister)
{
	note(ctx, "stop %u%s", id, unregister ? " unregister" : "");
}

static void fake_changed(void *ctx)
{
	struct fake *f = ctx;

	f->changes++;
	note(f, "changed");
}

static void fake_arm(void *ctx, int64_t when)
{
	((struct fake *)ctx)->armed = when;
}

static uint32_t fake_random(void *ctx, uint32_t bound)
{
	uint32_t v = ((struct fake *)ctx)->random_value;

	return v > bound ? bound : v;
}

/* X_UserAgentPorts: another local port when no server answered at all. */
static bool fake_exhausted(void *ctx, bool all_timeouts)
{
	struct fake *f = ctx;

	if (!all_timeouts || f->other_ports <= 0)
		return false;
	f->other_ports--;
	note(f, "other port");
	return true;
}

static const struct nkd_redundancy_ops fake_ops = {
	.start = fake_start,
	.stop = fake_stop,
	.changed = fake_changed,
	.arm = fake_arm,
	.exhausted = fake_exhausted,
	.random = fake_random,
};

/* Returns the log so far and clears it. */
static const char *taken(struct fake *f)
{
	static char copy[sizeof(f->log)];

	memcpy(copy, f->log, sizeof(copy));
	f->log[0] = '\0';
	return copy;
}

static void setup(struct fake *f, bool redundancy, bool dual)
{
	memset(f, 0, sizeof(*f));
	nkd_redundancy_init(&f->r, &fake_ops, f, redundancy, dual, 60);
}

static struct nkd_target target(const char *ip, uint16_t priority)
{
	struct nkd_target t;

	memset(&t, 0, sizeof(t));
	snprintf(t.host, sizeof(t.host), "h-%s", ip);
	t.ep.family = AF_INET;
	inet_pton(AF_INET, ip, &t.ep.addr.v4);
	t.ep.port = 5060;
	t.priority = priority;
	return t;
}

/* Three SRV servers: .1 priority 10, .2 and .3 priority 20; ids 1, 2, 3. */
static void three_servers(struct fake *f)
{
	struct nkd_target t[3] = {
		target("10.0.0.1", 10), target("10.0.0.2", 20), target("10.0.0.3", 20),
	};

	nkd_redundancy_set_targets(&f->r, t, 3, f->now);
}

/* Let the fake clock run to t, firing the armed timer on the way. */
static void run_until(struct fake *f, int64_t t)
{
	while (f->armed && f->armed <= t) {
		f->now = f->armed;
		f->armed = 0;
		nkd_redundancy_timer(&f->r, f->now);
	}
	f->now = t;
}

static uint32_t primary_id(struct fake *f)
{
	const struct nkd_server *s = nkd_redundancy_primary(&f->r);

	return s ? s->id : 0;
}

static uint32_t secondary_id(struct fake *f)
{
	const struct nkd_server *s = nkd_redundancy_secondary(&f->r);

	return s ? s->id : 0;
}

static void ok(struct fake *f, uint32_t id)
{
	nkd_redundancy_registered(&f->r, id, 60, f->now);
}

static void fail(struct fake *f, uint32_t id, enum nkd_failure why)
{
	nkd_redundancy_failed(&f->r, id, why, 0, "", 0, f->now);
}

/* ------------------------------------------------------------------ tests */

static void registers_with_the_first_candidate(void)
{
	struct fake f;

	setup(&f, true, false);
	three_servers(&f);
	CHECK_STR(taken(&f), "start 1");
	CHECK_INT(nkd_redundancy_state(&f.r, f.now), NKD_ACCOUNT_REGISTERING);
	ok(&f, 1);
	CHECK_STR(taken(&f), "changed");
	CHECK_INT(primary_id(&f), 1);
	CHECK_INT(nkd_redundancy_state(&f.r, f.now), NKD_ACCOUNT_REGISTERED);
	/* The highest priority: no fallback check, no timer. */
	CHECK_INT(f.armed, 0);
	/* Refreshes change nothing. */
	f.now = 30000;
	ok(&f, 1);
	CHECK_STR(taken(&f), "");
	CHECK_INT(nkd_redundancy_find(&f.r, 1)->expires_at, 90000);
}

static void next_candidate_when_the_first_fails(void)
{
	struct fake f;

	setup(&f, true, false);
	three_servers(&f);
	taken(&f);
	fail(&f, 1, NKD_FAIL_TIMEOUT);
	CHECK_STR(taken(&f), "start 2");
	fail(&f, 2, NKD_FAIL_SERVER);
	CHECK_STR(taken(&f), "start 3");
	ok(&f, 3);
	CHECK_STR(taken(&f), "changed");
	CHECK_INT(primary_id(&f), 3);
	CHECK_INT(nkd_redundancy_find(&f.r, 1)->last_failure, NKD_FAIL_TIMEOUT);
	/* .1 has a higher priority: checked every 60 s. */
	CHECK(nkd_redundancy_is_fallback(&f.r, nkd_redundancy_find(&f.r, 1)));
	CHECK(!nkd_redundancy_is_fallback(&f.r, nkd_redundancy_find(&f.r, 2)));
	CHECK_INT(f.armed, 60000);
}

static void fallback_to_the_primary_every_check_interval(void)
{
	struct fake f;

	setup(&f, true, false);
	three_servers(&f);
	fail(&f, 1, NKD_FAIL_TIMEOUT);
	ok(&f, 2);
	taken(&f);
	run_until(&f, 59999);
	CHECK_STR(taken(&f), "");
	run_until(&f, 60000);
	CHECK_STR(taken(&f), "start 1");
	CHECK_INT(primary_id(&f), 2);	/* still registered there meanwhile */
	fail(&f, 1, NKD_FAIL_TIMEOUT);
	CHECK_STR(taken(&f), "");
	CHECK_INT(f.armed, 120000);
	run_until(&f, 120000);
	CHECK_STR(taken(&f), "start 1");
	ok(&f, 1);
	/* Without dual registration the old one is un-registered. */
	CHECK_STR(taken(&f), "stop 2 unregister, changed");
	CHECK_INT(primary_id(&f), 1);
	CHECK_INT(f.armed, 0);
}

/* A REGISTER that cannot be started is that server's failure, not a hang. */
static void a_register_that_cannot_start_counts_as_a_failure(void)
{
	struct fake f;

	setup(&f, true, true);
	f.random_value = 0;
	f.cannot_start = 1;
	three_servers(&f);
	/* The search goes on to the next candidate at once ... */
	CHECK_STR(taken(&f), "cannot start 1, start 2");
	CHECK_INT(nkd_redundancy_find(&f.r, 1)->last_failure, NKD_FAIL_UNREACHABLE);
	CHECK_INT(nkd_redundancy_find(&f.r, 1)->role, NKD_ROLE_NONE);
	ok(&f, 2);
	CHECK_INT(primary_id(&f), 2);
	/* ... the secondary's search too, and the fallback check ... */
	CHECK_STR(taken(&f), "start 3, changed");
	ok(&f, 3);
	taken(&f);
	run_until(&f, 60000);
	CHECK_STR(taken(&f), "cannot start 1");
	CHECK_INT(primary_id(&f), 2);
	/* ... and once it can, the next check falls back to it. */
	f.cannot_start = 0;
	run_until(&f, 120000);
	CHECK_STR(taken(&f), "start 1");
}

/* Every candidate that cannot be started: the usual pause, then again. */
static void no_register_startable_pauses(void)
{
	struct fake f;

	setup(&f, false, false);
	f.random_value = 0;
	f.cannot_start = 1;
	nkd_redundancy_set_targets(&f.r, (struct nkd_target[]){ target("10.0.0.1", 10) }, 1, 0);
	CHECK_STR(taken(&f), "cannot start 1");
	CHECK_INT(nkd_redundancy_state(&f.r, f.now), NKD_ACCOUNT_PAUSED);
	CHECK_INT(f.armed, 30000);
	f.cannot_start = 0;
	run_until(&f, 30000);
	CHECK_STR(taken(&f), "start 1");
}

/* One SRV target's A and AAAA records: ids 1 (a, IPv4), 2 (a, IPv6), 3 (b). */
static void dual_stack_target_and_another(struct fake *f)
{
	struct nkd_target t[3] = {
		target("10.0.0.1", 10), target("10.0.0.2", 10), target("10.0.0.3", 10),
	};

	snprintf(t[0].host, sizeof(t[0].host), "a.example");
	snprintf(t[1].host, sizeof(t[1].host), "a.example");
	t[1].ep.family = AF_INET6;
	inet_pton(AF_INET6, "fd00::a", &t[1].ep.addr.v6);
	snprintf(t[2].host, sizeof(t[2].host), "b.example");
	nkd_redundancy_set_targets(&f->r, t, 3, f->now);
}

/* A dead host is dead in both families: the other host is tried first. */
static void a_failed_hosts_other_address_comes_after_other_hosts(void)
{
	struct fake f;

	setup(&f, true, false);
	dual_stack_target_and_another(&f);
	CHECK_STR(taken(&f), "start 1");
	fail(&f, 1, NKD_FAIL_TIMEOUT);
	CHECK_STR(taken(&f), "start 3");
	/* ... and only then the host's other address. */
	fail(&f, 3, NKD_FAIL_TIMEOUT);
	CHECK_STR(taken(&f), "start 2");
	ok(&f, 2);
	CHECK_INT(primary_id(&f), 2);
}

/* The secondary is on another host, not the primary's other address. */
static void the_secondary_is_on_another_host(void)
{
	struct fake f;

	setup(&f, true, true);
	dual_stack_target_and_another(&f);
	ok(&f, 1);
	CHECK_STR(taken(&f), "start 1, start 3, changed");
	ok(&f, 3);
	CHECK_INT(secondary_id(&f), 3);
	CHECK_STR(taken(&f), "changed");
	/* With no other host left, the other address will do. */
	fail(&f, 3, NKD_FAIL_TIMEOUT);
	CHECK_STR(taken(&f), "stop 3, start 2, changed");
}

static void pause_then_search_again_from_the_first(void)
{
	struct fake f;

	setup(&f, true, false);
	f.random_value = 0;	/* the shortest wait: 50 % */
	three_servers(&f);
	fail(&f, 1, NKD_FAIL_TIMEOUT);
	fail(&f, 2, NKD_FAIL_TIMEOUT);
	fail(&f, 3, NKD_FAIL_TIMEOUT);
	CHECK_STR(taken(&f), "start 1, start 2, start 3");
	CHECK_INT(nkd_redundancy_state(&f.r, f.now), NKD_ACCOUNT_PAUSED);
	/* First failed search: 30 * 2^1 s, at least half of it. */
	CHECK_INT(f.armed, 30000);
	run_until(&f, 30000);
	CHECK_STR(taken(&f), "start 1");
	fail(&f, 1, NKD_FAIL_TIMEOUT);
	fail(&f, 2, NKD_FAIL_TIMEOUT);
	fail(&f, 3, NKD_FAIL_TIMEOUT);
	CHECK_INT(f.armed, 30000 + 60000);
	run_until(&f, 90000);
	fail(&f, 1, NKD_FAIL_TIMEOUT);
	fail(&f, 2, NKD_FAIL_TIMEOUT);
	ok(&f, 3);
	CHECK_INT(primary_id(&f), 3);
	CHECK_INT(f.r.failed_searches, 0);
}

/* The server with a REGISTER in flight for the search, or NULL. */
static const struct nkd_server *searching(struct fake *f)
{
	for (size_t i = 0; i < f->r.count; i++)
		if (f->r.servers[i].role == NKD_ROLE_SEARCH)
			return &f->r.servers[i];
	return NULL;
}

static void backoff_grows_to_its_cap_and_never_loops(void)
{
	const struct nkd_server *s;
	struct fake f;

	setup(&f, true, false);
	f.random_value = UINT32_MAX;	/* the longest wait */
	three_servers(&f);
	/* Every REGISTER refused at once (a wrong password everywhere), for
	 * an hour. */
	for (;;) {
		while ((s = searching(&f)))
			nkd_redundancy_failed(&f.r, s->id, NKD_FAIL_AUTH, 403,
					      "Forbidden", 0, f.now);
		if (!f.armed || f.armed >= 3600000)
			break;
		run_until(&f, f.armed);
	}
	/* Searches at 0, 60, 180, 420, 900 and 1860 s (pauses of 60, 120,
	 * 240, 480, 960 s), three REGISTERs each; the next pause 1800 s. */
	CHECK_INT(f.starts, 6 * 3);
	CHECK_INT(f.armed, 1860000 + 1800000);
	CHECK_INT(nkd_backoff_ms(1, fake_random, &f), 60000);
	CHECK_INT(nkd_backoff_ms(5, fake_random, &f), 960000);
	CHECK_INT(nkd_backoff_ms(6, fake_random, &f), 1800000);
	CHECK_INT(nkd_backoff_ms(100, fake_random, &f), 1800000);
	f.random_value = 0;
	CHECK_INT(nkd_backoff_ms(1, fake_random, &f), 30000);
	CHECK_INT(nkd_backoff_ms(100, fake_random, &f), 900000);
}

static void retry_after_is_honoured(void)
{
	struct fake f;
	struct nkd_target t = target("10.0.0.1", 0);

	setup(&f, false, false);
	nkd_redundancy_set_targets(&f.r, &t, 1, f.now);
	CHECK_STR(taken(&f), "start 1");
	f.now = 1000;
	nkd_redundancy_failed(&f.r, 1, NKD_FAIL_SERVER, 503, "Service Unavailable", 5, f.now);
	CHECK_STR(taken(&f), "");
	CHECK_INT(f.armed, 6000);	/* exactly Retry-After, not the backoff */
	CHECK_INT(nkd_redundancy_find(&f.r, 1)->last_status, 503);
	CHECK_STR(nkd_redundancy_find(&f.r, 1)->last_reason, "Service Unavailable");
	run_until(&f, 5999);
	CHECK_STR(taken(&f), "");
	run_until(&f, 6000);
	CHECK_STR(taken(&f), "start 1");
}

static void retry_after_server_is_skipped_by_the_search(void)
{
	struct fake f;

	setup(&f, true, false);
	three_servers(&f);
	nkd_redundancy_failed(&f.r, 1, NKD_FAIL_SERVER, 503, "", 300, f.now);
	ok(&f, 2);
	taken(&f);
	/* The fallback check waits for the Retry-After too. */
	run_until(&f, 60000);
	CHECK_STR(taken(&f), "");
	run_until(&f, 300000);
	CHECK_STR(taken(&f), "start 1");
}

static void failover_when_the_primary_stops_answering(void)
{
	struct fake f;

	setup(&f, true, false);
	three_servers(&f);
	ok(&f, 1);
	taken(&f);
	f.now = 10000;
	fail(&f, 1, NKD_FAIL_UNRESPONSIVE);
	/* Dropped without an un-REGISTER (it is dead), next one at once. */
	CHECK_STR(taken(&f), "stop 1, start 2, changed");
	CHECK_INT(primary_id(&f), 0);
	ok(&f, 2);
	CHECK_STR(taken(&f), "changed");
	CHECK_INT(primary_id(&f), 2);
	/* Back to .1 after the check interval. */
	CHECK_INT(f.armed, 70000);
}

static void failover_skips_to_the_next_when_it_fails_too(void)
{
	struct fake f;

	setup(&f, true, false);
	three_servers(&f);
	fail(&f, 1, NKD_FAIL_TIMEOUT);
	ok(&f, 2);
	taken(&f);
	fail(&f, 2, NKD_FAIL_SERVER);
	/* The search starts over, .1 first (it is the primary's fallback). */
	CHECK_STR(taken(&f), "stop 2, start 1, changed");
	fail(&f, 1, NKD_FAIL_TIMEOUT);
	CHECK_STR(taken(&f), "start 3");
	ok(&f, 3);
	CHECK_INT(primary_id(&f), 3);
}

static void dual_registration_keeps_a_secondary(void)
{
	struct fake f;

	setup(&f, true, true);
	three_servers(&f);
	ok(&f, 1);
	CHECK_STR(taken(&f), "start 1, start 2, changed");
	ok(&f, 2);
	CHECK_STR(taken(&f), "changed");
	CHECK_INT(primary_id(&f), 1);
	CHECK_INT(secondary_id(&f), 2);
	/* The primary fails: the secondary takes over with no REGISTER in
	 * between, and a new secondary is sought. */
	f.now = 5000;
	fail(&f, 1, NKD_FAIL_UNRESPONSIVE);
	CHECK_STR(taken(&f), "stop 1, start 3, changed");
	CHECK_INT(primary_id(&f), 2);
	CHECK_INT(nkd_redundancy_state(&f.r, f.now), NKD_ACCOUNT_REGISTERED);
	ok(&f, 3);
	CHECK_INT(secondary_id(&f), 3);
	taken(&f);
	/* .1 comes back: primary again, .2 stays as the secondary. */
	run_until(&f, 65000);
	CHECK_STR(taken(&f), "start 1");
	ok(&f, 1);
	CHECK_STR(taken(&f), "stop 3 unregister, changed");
	CHECK_INT(primary_id(&f), 1);
	CHECK_INT(secondary_id(&f), 2);
}

/*
 * B was promoted when A failed: a later search (B failed, no secondary)
 * starts from A again, as one after a search that found B would.
 */
static void after_a_promotion_the_next_search_starts_afresh(void)
{
	struct fake f;

	setup(&f, true, true);
	three_servers(&f);
	ok(&f, 1);
	ok(&f, 2);
	f.now = 5000;
	fail(&f, 1, NKD_FAIL_UNRESPONSIVE);
	CHECK_INT(primary_id(&f), 2);
	fail(&f, 3, NKD_FAIL_TIMEOUT);	/* no secondary for now */
	taken(&f);
	f.now = 20000;
	fail(&f, 2, NKD_FAIL_SERVER);
	CHECK_STR(taken(&f), "stop 2, start 1, changed");
}

/*
 * A fallback makes the old primary the secondary while a REGISTER for a
 * secondary is in flight: when that one succeeds, it is not kept as a
 * second secondary.
 */
static void a_fallback_and_a_secondary_search_make_one_secondary(void)
{
	struct fake f;

	setup(&f, true, true);
	three_servers(&f);
	fail(&f, 1, NKD_FAIL_TIMEOUT);
	ok(&f, 2);
	CHECK_STR(taken(&f), "start 1, start 2, start 3, changed");
	run_until(&f, 60000);
	CHECK_STR(taken(&f), "start 1");
	ok(&f, 1);
	CHECK_STR(taken(&f), "changed");
	CHECK_INT(primary_id(&f), 1);
	CHECK_INT(secondary_id(&f), 2);
	ok(&f, 3);
	CHECK_STR(taken(&f), "stop 3 unregister");
	CHECK_INT(secondary_id(&f), 2);
	CHECK_INT(nkd_redundancy_find(&f.r, 3)->role, NKD_ROLE_NONE);
}

static void dual_registration_secondary_is_retried(void)
{
	struct fake f;
	struct nkd_target t[2] = { target("10.0.0.1", 0), target("10.0.0.2", 0) };

	setup(&f, true, true);
	nkd_redundancy_set_targets(&f.r, t, 2, f.now);
	ok(&f, 1);
	taken(&f);
	fail(&f, 2, NKD_FAIL_TIMEOUT);
	CHECK_STR(taken(&f), "");
	CHECK_INT(secondary_id(&f), 0);
	/* Equal priorities: no fallback check, but the secondary is sought again. */
	CHECK_INT(f.armed, 60000);
	run_until(&f, 60000);
	CHECK_STR(taken(&f), "start 2");
	ok(&f, 2);
	CHECK_INT(secondary_id(&f), 2);
	taken(&f);
	/* A failing secondary is dropped and sought again later. */
	fail(&f, 2, NKD_FAIL_SERVER);
	CHECK_STR(taken(&f), "stop 2, changed");
	CHECK_INT(f.armed, 120000);
}

static void dual_secondary_is_never_of_higher_priority(void)
{
	struct fake f;

	setup(&f, true, true);
	three_servers(&f);
	fail(&f, 1, NKD_FAIL_TIMEOUT);
	ok(&f, 2);
	/* .1 (priority 10) is a fallback, not a secondary: .3 is. */
	CHECK_STR(taken(&f), "start 1, start 2, start 3, changed");
}

static void without_redundancy_only_the_first_address(void)
{
	struct fake f;

	setup(&f, false, true);
	three_servers(&f);
	CHECK_INT(f.r.count, 1);
	CHECK(!f.r.dual);
	fail(&f, 1, NKD_FAIL_TIMEOUT);
	CHECK_STR(taken(&f), "start 1");
	CHECK_INT(nkd_redundancy_state(&f.r, f.now), NKD_ACCOUNT_PAUSED);
}

/* A re-resolution that lists the same servers in another order (equal SRV
 * weights re-drawn, round-robin A records) keeps the one registered with. */
static void without_redundancy_dns_reorder_keeps_the_server(void)
{
	struct fake f;
	struct nkd_target ab[2] = { target("10.0.0.1", 10), target("10.0.0.2", 10) };
	struct nkd_target ba[2] = { target("10.0.0.2", 10), target("10.0.0.1", 10) };
	struct nkd_target bc[2] = { target("10.0.0.2", 10), target("10.0.0.3", 10) };

	setup(&f, false, false);
	nkd_redundancy_set_targets(&f.r, ab, 2, f.now);
	CHECK_STR(taken(&f), "start 1");
	ok(&f, 1);
	taken(&f);
	nkd_redundancy_set_targets(&f.r, ba, 2, f.now);
	CHECK_STR(taken(&f), "");
	CHECK_INT(primary_id(&f), 1);
	CHECK_STR(f.r.servers[0].target.host, "h-10.0.0.1");
	/* Gone from DNS: the first of the new answer. */
	nkd_redundancy_set_targets(&f.r, bc, 2, f.now);
	CHECK_STR(taken(&f), "stop 1 unregister, start 2, changed");
	CHECK_STR(f.r.servers[0].target.host, "h-10.0.0.2");
}

static void dns_update_keeps_state_and_drops_vanished_servers(void)
{
	struct fake f;
	struct nkd_target t[2] = { target("10.0.0.3", 20), target("10.0.0.4", 30) };

	setup(&f, true, false);
	three_servers(&f);
	fail(&f, 1, NKD_FAIL_TIMEOUT);
	ok(&f, 2);
	taken(&f);
	/* Same servers again, another order of equal priorities: no change. */
	{
		struct nkd_target same[3] = {
			target("10.0.0.1", 10), target("10.0.0.3", 20), target("10.0.0.2", 20),
		};

		nkd_redundancy_set_targets(&f.r, same, 3, f.now);
		CHECK_STR(taken(&f), "");
		CHECK_INT(primary_id(&f), 2);
		CHECK_INT(nkd_redundancy_find(&f.r, 1)->last_failure, NKD_FAIL_TIMEOUT);
	}
	/* The primary (.2) leaves DNS: un-registered, the search goes on. */
	nkd_redundancy_set_targets(&f.r, t, 2, f.now);
	CHECK_STR(taken(&f), "stop 2 unregister, start 3, changed");
	CHECK(!nkd_redundancy_find(&f.r, 2));
	ok(&f, 3);
	CHECK_INT(primary_id(&f), 3);
	/* A new server gets a new id. */
	CHECK_INT(f.r.servers[1].id, 4);
	/* DNS empty (NXDOMAIN): nothing to register with. */
	nkd_redundancy_set_targets(&f.r, NULL, 0, f.now);
	CHECK_STR(taken(&f), "changed, stop 3 unregister, changed");
}

static void stop_unregisters_everything(void)
{
	struct fake f;

	setup(&f, true, true);
	three_servers(&f);
	ok(&f, 1);
	ok(&f, 2);
	taken(&f);
	nkd_redundancy_stop(&f.r);
	CHECK_STR(taken(&f), "stop 1 unregister, stop 2 unregister, changed");
	CHECK_INT(nkd_redundancy_state(&f.r, f.now), NKD_ACCOUNT_STOPPED);
	CHECK_INT(f.armed, 0);
	/* Late answers change nothing. */
	ok(&f, 1);
	fail(&f, 2, NKD_FAIL_TIMEOUT);
	CHECK_STR(taken(&f), "");
}

static void stale_outcomes_are_ignored(void)
{
	struct fake f;

	setup(&f, true, false);
	three_servers(&f);
	ok(&f, 1);
	taken(&f);
	/* A server with no REGISTER in flight, and an unknown id. */
	ok(&f, 2);
	fail(&f, 3, NKD_FAIL_TIMEOUT);
	ok(&f, 99);
	CHECK_STR(taken(&f), "");
	CHECK_INT(primary_id(&f), 1);
}

static void no_answer_anywhere_tries_another_port_first(void)
{
	struct fake f;

	setup(&f, true, false);
	f.other_ports = 1;
	three_servers(&f);
	fail(&f, 1, NKD_FAIL_TIMEOUT);
	fail(&f, 2, NKD_FAIL_TIMEOUT);
	fail(&f, 3, NKD_FAIL_TIMEOUT);
	/* No pause: the caller moves to another port, then resumes. */
	CHECK_STR(taken(&f), "start 1, start 2, start 3, other port");
	CHECK_INT(f.armed, 0);
	CHECK_INT(f.r.failed_searches, 0);
	f.now = 2000;
	nkd_redundancy_resume(&f.r, f.now);
	CHECK_STR(taken(&f), "start 1");
	/* Out of ports: the usual pause. */
	fail(&f, 1, NKD_FAIL_TIMEOUT);
	fail(&f, 2, NKD_FAIL_TIMEOUT);
	fail(&f, 3, NKD_FAIL_TIMEOUT);
	CHECK_STR(taken(&f), "start 2, start 3");
	CHECK_INT(nkd_redundancy_state(&f.r, f.now), NKD_ACCOUNT_PAUSED);
	/* A server that answered (503) means the port is not the problem. */
	setup(&f, true, false);
	f.other_ports = 5;
	three_servers(&f);
	fail(&f, 1, NKD_FAIL_TIMEOUT);
	fail(&f, 2, NKD_FAIL_SERVER);
	fail(&f, 3, NKD_FAIL_TIMEOUT);
	CHECK_STR(taken(&f), "start 1, start 2, start 3");
	CHECK_INT(nkd_redundancy_state(&f.r, f.now), NKD_ACCOUNT_PAUSED);
}

static void reset_drops_everything_until_resumed(void)
{
	struct fake f;

	setup(&f, true, true);
	three_servers(&f);
	ok(&f, 1);
	ok(&f, 2);
	taken(&f);
	/* Our address changed: every registration is gone with the socket. */
	nkd_redundancy_reset(&f.r, f.now);
	CHECK_STR(taken(&f), "stop 1, stop 2, changed");
	CHECK_INT(nkd_redundancy_state(&f.r, f.now), NKD_ACCOUNT_REGISTERING);
	CHECK_INT(f.armed, 0);
	nkd_redundancy_timer(&f.r, f.now);
	CHECK_STR(taken(&f), "");
	/* The new socket is open: the search starts from the first. */
	nkd_redundancy_resume(&f.r, f.now);
	CHECK_STR(taken(&f), "start 1");
	ok(&f, 1);
	CHECK_STR(taken(&f), "start 2, changed");
}

static void names(void)
{
	CHECK_STR(nkd_failure_name(NKD_FAIL_UNRESPONSIVE), "keep-alive-unanswered");
	CHECK_STR(nkd_role_name(NKD_ROLE_PRIMARY), "primary");
	CHECK_STR(nkd_account_state_name(NKD_ACCOUNT_PAUSED), "paused");
	CHECK_STR(nkd_failure_name((enum nkd_failure)99), "?");
}

/* ------------------------------------------------- RFC 2782 ordering */

struct scripted {
	const uint32_t *values;
	size_t next;
	uint32_t bounds[16];
};

static uint32_t scripted_random(void *ctx, uint32_t bound)
{
	struct scripted *s = ctx;

	s->bounds[s->next] = bound;
	return s->values[s->next++];
}

static struct nkd_srv_record srv(const char *target, uint16_t prio, uint16_t weight)
{
	struct nkd_srv_record r;

	memset(&r, 0, sizeof(r));
	snprintf(r.target, sizeof(r.target), "%s", target);
	r.priority = prio;
	r.weight = weight;
	r.port = 5060;
	return r;
}

static void srv_priority_first(void)
{
	struct nkd_srv_record r[3] = { srv("c", 30, 0), srv("a", 10, 0), srv("b", 20, 0) };
	const uint32_t zero[] = { 0, 0, 0 };
	struct scripted s = { zero, 0, { 0 } };

	nkd_srv_order(r, 3, scripted_random, &s);
	CHECK_STR(r[0].target, "a");
	CHECK_STR(r[1].target, "b");
	CHECK_STR(r[2].target, "c");
	CHECK_INT(s.next, 0);	/* one record per priority: no draw */
}

static void srv_weights_within_a_priority(void)
{
	/* Weights 60 and 40 (sum 100): a draw of 61..100 picks the second. */
	struct nkd_srv_record r[2] = { srv("heavy", 10, 60), srv("light", 10, 40) };
	const uint32_t draws[] = { 75 };
	struct scripted s = { draws, 0, { 0 } };

	nkd_srv_order(r, 2, scripted_random, &s);
	CHECK_STR(r[0].target, "light");
	CHECK_STR(r[1].target, "heavy");
	CHECK_INT(s.bounds[0], 100);

	r[0] = srv("heavy", 10, 60);
	r[1] = srv("light", 10, 40);
	{
		const uint32_t low[] = { 60 };
		struct scripted t = { low, 0, { 0 } };

		nkd_srv_order(r, 2, scripted_random, &t);
		CHECK_STR(r[0].target, "heavy");
	}
}

static void srv_zero_weights_go_first_but_are_picked_least(void)
{
	/* RFC 2782: zero-weight records are placed first; a draw of 0 picks
	 * them, any other draw the weighted ones. */
	struct nkd_srv_record r[3] = { srv("w10", 5, 10), srv("zero", 5, 0), srv("w20", 5, 20) };
	const uint32_t draws[] = { 5, 0 };
	struct scripted s = { draws, 0, { 0 } };

	nkd_srv_order(r, 3, scripted_random, &s);
	CHECK_STR(r[0].target, "w10");
	CHECK_INT(s.bounds[0], 30);
	CHECK_STR(r[1].target, "zero");
	CHECK_INT(s.bounds[1], 20);
	CHECK_STR(r[2].target, "w20");
}

static uint32_t lcg_random(void *ctx, uint32_t bound)
{
	uint32_t *state = ctx;

	*state = *state * 1103515245u + 12345u;
	return (*state >> 8) % (bound + 1);
}

static void srv_weights_share_the_first_place(void)
{
	/* Over many draws the first place goes 3:1 to weight 75 vs 25. */
	uint32_t state = 1;
	unsigned int heavy = 0, n;

	for (n = 0; n < 4000; n++) {
		struct nkd_srv_record r[2] = { srv("light", 1, 25), srv("heavy", 1, 75) };

		nkd_srv_order(r, 2, lcg_random, &state);
		heavy += !strcmp(r[0].target, "heavy");
	}
	CHECK(heavy > 2800 && heavy < 3200);
}

/*
 * A restart while failed over: the last natkeepd's primary (.2) is taken
 * over before DNS answers; DNS then lists .1 again, which the fallback
 * check takes back after its interval, dropping .2 with an un-REGISTER.
 */
static void adopted_roles_hold_until_the_usual_rules_move_them(void)
{
	struct nkd_target t[2] = { target("10.0.0.2", 20), target("10.0.0.3", 20) };
	enum nkd_role roles[2] = { NKD_ROLE_PRIMARY, NKD_ROLE_SECONDARY };
	struct fake f;

	setup(&f, true, false);
	nkd_redundancy_adopt(&f.r, t, roles, 2, f.now);
	/* No dual registration now: the secondary is not taken over. */
	CHECK_STR(taken(&f), "start 1, changed");
	CHECK_INT(primary_id(&f), 1);
	CHECK_INT(nkd_redundancy_state(&f.r, f.now), NKD_ACCOUNT_REGISTERED);
	ok(&f, 1);
	CHECK_STR(taken(&f), "");
	three_servers(&f);
	/* .2 keeps its id and role among DNS's candidates; .1 is new (id 2). */
	CHECK_STR(taken(&f), "");
	CHECK_INT(primary_id(&f), 1);
	CHECK_STR(nkd_redundancy_find(&f.r, 1)->target.host, "h-10.0.0.2");
	CHECK_INT(f.armed, 60000);
	run_until(&f, 60000);
	CHECK_STR(taken(&f), "start 2");
	ok(&f, 2);
	CHECK_STR(taken(&f), "stop 1 unregister, changed");
	CHECK_INT(primary_id(&f), 2);
}

static void adopted_dual_registration_keeps_both(void)
{
	struct nkd_target t[3] = {
		target("10.0.0.1", 10), target("10.0.0.2", 20), target("10.0.0.1", 10),
	};
	enum nkd_role roles[3] = { NKD_ROLE_PRIMARY, NKD_ROLE_SECONDARY, NKD_ROLE_SECONDARY };
	struct fake f;

	setup(&f, true, true);
	nkd_redundancy_adopt(&f.r, t, roles, 3, f.now);
	/* One primary, one secondary: the third (a duplicate) is ignored. */
	CHECK_STR(taken(&f), "start 1, start 2, changed");
	CHECK_INT(primary_id(&f), 1);
	CHECK_INT(secondary_id(&f), 2);
	/* The primary's refresh fails: the secondary takes over at once. */
	fail(&f, 1, NKD_FAIL_TIMEOUT);
	CHECK_STR(taken(&f), "stop 1, changed");
	CHECK_INT(primary_id(&f), 2);
	/* Adopting is for a fresh start only. */
	nkd_redundancy_adopt(&f.r, t, roles, 1, f.now);
	CHECK_STR(taken(&f), "");
}

static void adopting_a_secondary_alone_makes_it_the_primary(void)
{
	struct nkd_target t = target("10.0.0.2", 20);
	enum nkd_role role = NKD_ROLE_SECONDARY;
	struct fake f;

	setup(&f, true, true);
	nkd_redundancy_adopt(&f.r, &t, &role, 1, f.now);
	CHECK_STR(taken(&f), "start 1, changed");
	CHECK_INT(primary_id(&f), 1);
}

static const struct test_case redundancy_cases[] = {
	TEST_CASE(adopted_roles_hold_until_the_usual_rules_move_them),
	TEST_CASE(adopted_dual_registration_keeps_both),
	TEST_CASE(adopting_a_secondary_alone_makes_it_the_primary),
	TEST_CASE(registers_with_the_first_candidate),
	TEST_CASE(next_candidate_when_the_first_fails),
	TEST_CASE(fallback_to_the_primary_every_check_interval),
	TEST_CASE(pause_then_search_again_from_the_first),
	TEST_CASE(a_failed_hosts_other_address_comes_after_other_hosts),
	TEST_CASE(the_secondary_is_on_another_host),
	TEST_CASE(a_register_that_cannot_start_counts_as_a_failure),
	TEST_CASE(no_register_startable_pauses),
	TEST_CASE(backoff_grows_to_its_cap_and_never_loops),
	TEST_CASE(retry_after_is_honoured),
	TEST_CASE(retry_after_server_is_skipped_by_the_search),
	TEST_CASE(failover_when_the_primary_stops_answering),
	TEST_CASE(failover_skips_to_the_next_when_it_fails_too),
	TEST_CASE(dual_registration_keeps_a_secondary),
	TEST_CASE(dual_registration_secondary_is_retried),
	TEST_CASE(after_a_promotion_the_next_search_starts_afresh),
	TEST_CASE(a_fallback_and_a_secondary_search_make_one_secondary),
	TEST_CASE(dual_secondary_is_never_of_higher_priority),
	TEST_CASE(without_redundancy_only_the_first_address),
	TEST_CASE(without_redundancy_dns_reorder_keeps_the_server),
	TEST_CASE(dns_update_keeps_state_and_drops_vanished_servers),
	TEST_CASE(stop_unregisters_everything),
	TEST_CASE(stale_outcomes_are_ignored),
	TEST_CASE(no_answer_anywhere_tries_another_port_first),
	TEST_CASE(reset_drops_everything_until_resumed),
	TEST_CASE(names),
	TEST_CASE(srv_priority_first),
	TEST_CASE(srv_weights_within_a_priority),
	TEST_CASE(srv_zero_weights_go_first_but_are_picked_least),
	TEST_CASE(srv_weights_share_the_first_place),
};

TEST_SUITE(redundancy_suite, redundancy_cases);

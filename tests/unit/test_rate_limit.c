// SPDX-License-Identifier: GPL-2.0
/*
 * The rate limit natkeepd puts on an account's REGISTERs: a burst at once,
 * then one per interval, whatever asks; idle time refills it, but never
 * beyond the burst.
 */
#include "rate_limit.h"
#include "runner.h"

static void a_burst_goes_at_once_then_one_per_interval(void)
{
	struct nkd_rate_limit r = { .burst = 10, .every_ms = 1000 };
	int64_t now = 5000;

	for (int i = 0; i < 10; i++) {
		CHECK_INT(nkd_rate_limit_wait(&r, now), 0);
		nkd_rate_limit_take(&r, now);
	}
	CHECK_INT(nkd_rate_limit_wait(&r, now), 1000);
	CHECK_INT(nkd_rate_limit_wait(&r, now + 999), 1);
	CHECK_INT(nkd_rate_limit_wait(&r, now + 1000), 0);
	nkd_rate_limit_take(&r, now + 1000);
	CHECK_INT(nkd_rate_limit_wait(&r, now + 1000), 1000);
}

/* Asked as fast as it answers, for an hour: never more than the bound. */
static void a_tight_loop_is_held_to_the_bound(void)
{
	struct nkd_rate_limit r = { .burst = 10, .every_ms = 1000 };
	int64_t now = 0, taken = 0;

	while (now < 3600 * 1000) {
		int64_t wait = nkd_rate_limit_wait(&r, now);

		now += wait ? wait : 1;		/* 1 ms: the loop's own cost */
		if (!wait) {
			nkd_rate_limit_take(&r, now);
			taken++;
		}
	}
	CHECK(taken <= 10 + 3600);
	CHECK(taken >= 3600);
}

static void idle_time_refills_only_up_to_the_burst(void)
{
	struct nkd_rate_limit r = { .burst = 3, .every_ms = 2000 };
	int64_t now = 0;

	for (int i = 0; i < 3; i++)
		nkd_rate_limit_take(&r, now);
	CHECK(nkd_rate_limit_wait(&r, now) > 0);
	/* A day later: three at once again, not 43200. */
	now = 86400 * 1000;
	for (int i = 0; i < 3; i++) {
		CHECK_INT(nkd_rate_limit_wait(&r, now), 0);
		nkd_rate_limit_take(&r, now);
	}
	CHECK_INT(nkd_rate_limit_wait(&r, now), 2000);
}

static void a_burst_of_one_is_a_plain_interval(void)
{
	struct nkd_rate_limit r = { .burst = 1, .every_ms = 500 };

	CHECK_INT(nkd_rate_limit_wait(&r, 100), 0);
	nkd_rate_limit_take(&r, 100);
	CHECK_INT(nkd_rate_limit_wait(&r, 100), 500);
	CHECK_INT(nkd_rate_limit_wait(&r, 600), 0);
}

/* A log line per period: the first at once, the next a period on. */
static void try_counts_only_what_it_allows(void)
{
	struct nkd_rate_limit r = { .every_ms = 10000 };

	CHECK(nkd_rate_limit_try(&r, 1000));
	CHECK(!nkd_rate_limit_try(&r, 1001));
	CHECK(!nkd_rate_limit_try(&r, 10999));
	CHECK(nkd_rate_limit_try(&r, 11000));
	CHECK(!nkd_rate_limit_try(&r, 11000));
}

static const struct test_case cases[] = {
	TEST_CASE(a_burst_goes_at_once_then_one_per_interval),
	TEST_CASE(a_tight_loop_is_held_to_the_bound),
	TEST_CASE(idle_time_refills_only_up_to_the_burst),
	TEST_CASE(a_burst_of_one_is_a_plain_interval),
	TEST_CASE(try_counts_only_what_it_allows),
};
TEST_SUITE(rate_limit_suite, cases);

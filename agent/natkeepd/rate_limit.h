/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A rate limit as a generic cell rate algorithm: at most `burst` events at
 * once, then one per `every_ms` on average. One 64-bit time per limit;
 * time in milliseconds on any monotonic clock, so that tests drive it.
 */
#ifndef NKD_RATE_LIMIT_H
#define NKD_RATE_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct nkd_rate_limit {
	unsigned int burst;
	int64_t every_ms;
	int64_t due;		/* when the limit would be full again */
};

/* 0 if an event may happen at now, else the milliseconds to wait. */
int64_t nkd_rate_limit_wait(const struct nkd_rate_limit *r, int64_t now);

/* Counts an event at now (whether or not it was waited for). */
void nkd_rate_limit_take(struct nkd_rate_limit *r, int64_t now);

/* An event at now if the limit allows it (counted), else false. */
bool nkd_rate_limit_try(struct nkd_rate_limit *r, int64_t now);

#endif

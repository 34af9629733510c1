/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The order in which an account tries its candidate servers: SRV records by
 * priority, and within one priority in RFC 2782's weighted random order;
 * A/AAAA records all at one priority, in the order DNS gave them.
 */
#ifndef NKD_CANDIDATES_H
#define NKD_CANDIDATES_H

#include <stddef.h>
#include <stdint.h>

#include "server.h"

struct nkd_srv_record {
	char target[NK_SIP_HOST_MAX + 1];
	uint16_t priority;
	uint16_t weight;
	uint16_t port;
};

/* A uniformly random number in 0..bound (inclusive). */
typedef uint32_t (*nkd_random_fn)(void *ctx, uint32_t bound);

/* An nkd_random_fn on random(3) (ctx unused), for the daemon. */
uint32_t nkd_random_below(void *ctx, uint32_t bound);

/*
 * Sorts records (n of them) in place into the order to try them: ascending
 * priority; within a priority, RFC 2782's selection: zero weights first,
 * then repeatedly the record whose running sum of weights first reaches a
 * random number in 0..sum of the remaining weights.
 */
void nkd_srv_order(struct nkd_srv_record *records, size_t n,
		   nkd_random_fn random, void *ctx);

#endif

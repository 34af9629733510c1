/* SPDX-License-Identifier: GPL-2.0 */
/* The wait before registering again after failures (RFC 5626, 4.5). */
#ifndef NKD_BACKOFF_H
#define NKD_BACKOFF_H

#include <stdint.h>

#include "candidates.h"

#define NKD_BACKOFF_BASE_S	30
#define NKD_BACKOFF_MAX_S	1800

/*
 * min(NKD_BACKOFF_MAX_S, NKD_BACKOFF_BASE_S * 2^failures) seconds, then a
 * uniformly random 50..100 % of it, in milliseconds.
 */
uint32_t nkd_backoff_ms(unsigned int failures, nkd_random_fn random, void *ctx);

#endif

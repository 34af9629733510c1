// SPDX-License-Identifier: GPL-2.0
#include "backoff.h"

uint32_t nkd_backoff_ms(unsigned int failures, nkd_random_fn random, void *ctx)
{
	uint32_t wait_s = NKD_BACKOFF_MAX_S;

	/* 30 * 2^6 > 1800: larger exponents only overflow. */
	if (failures < 6)
		wait_s = NKD_BACKOFF_BASE_S << failures;
	if (wait_s > NKD_BACKOFF_MAX_S)
		wait_s = NKD_BACKOFF_MAX_S;
	return wait_s * 500 + random(ctx, wait_s * 500);
}

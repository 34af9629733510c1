// SPDX-License-Identifier: GPL-2.0
#include "rate_limit.h"

int64_t nkd_rate_limit_wait(const struct nkd_rate_limit *r, int64_t now)
{
	unsigned int burst = r->burst ? r->burst : 1;
	/* The next event would push due past now + burst intervals. */
	int64_t free_at = r->due - (int64_t)(burst - 1) * r->every_ms;

	return free_at > now ? free_at - now : 0;
}

void nkd_rate_limit_take(struct nkd_rate_limit *r, int64_t now)
{
	r->due = (r->due > now ? r->due : now) + r->every_ms;
}

bool nkd_rate_limit_try(struct nkd_rate_limit *r, int64_t now)
{
	if (nkd_rate_limit_wait(r, now))
		return false;
	nkd_rate_limit_take(r, now);
	return true;
}

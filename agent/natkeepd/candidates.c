// SPDX-License-Identifier: GPL-2.0
/* RFC 2782 ordering of SRV records. */
#include <stdlib.h>
#include <string.h>

#include "candidates.h"

static int by_priority_then_zero_weight(const void *a, const void *b)
{
	const struct nkd_srv_record *x = a, *y = b;

	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	/* RFC 2782: zero weights at the start, where they are picked least. */
	return (x->weight != 0) - (y->weight != 0);
}

/* RFC 2782's weighted selection within records[0..n) of one priority. */
static void order_one_priority(struct nkd_srv_record *records, size_t n,
			       nkd_random_fn random, void *ctx)
{
	size_t done, i;

	for (done = 0; done + 1 < n; done++) {
		uint32_t sum = 0, pick, running = 0;
		struct nkd_srv_record chosen;

		for (i = done; i < n; i++)
			sum += records[i].weight;
		pick = random(ctx, sum);
		for (i = done; i < n; i++) {
			running += records[i].weight;
			if (running >= pick)
				break;
		}
		if (i == n)
			i = n - 1;
		/* Move the choice to position done, keeping the others' order. */
		chosen = records[i];
		memmove(&records[done + 1], &records[done],
			(i - done) * sizeof(*records));
		records[done] = chosen;
	}
}

void nkd_srv_order(struct nkd_srv_record *records, size_t n,
		   nkd_random_fn random, void *ctx)
{
	size_t start = 0, end;

	/* A stable sort matters: equal records keep DNS's order. */
	for (size_t i = 1; i < n; i++) {
		struct nkd_srv_record r = records[i];
		size_t j = i;

		while (j > 0 && by_priority_then_zero_weight(&records[j - 1], &r) > 0) {
			records[j] = records[j - 1];
			j--;
		}
		records[j] = r;
	}
	while (start < n) {
		end = start + 1;
		while (end < n && records[end].priority == records[start].priority)
			end++;
		order_one_priority(records + start, end - start, random, ctx);
		start = end;
	}
}

uint32_t nkd_random_below(void *ctx, uint32_t bound)
{
	(void)ctx;
	return (uint32_t)(random() % ((uint64_t)bound + 1));
}

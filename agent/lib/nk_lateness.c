// SPDX-License-Identifier: GPL-2.0
#include "nk_lateness.h"

#include <stdio.h>
#include <linux/natkeep.h>

#include "nk_duration.h"

uint64_t nk_lateness_lower_ns(unsigned int bucket)
{
	if (bucket == 0)
		return 0;
	return 1ULL << (bucket + NATKEEP_LATENESS_SHIFT - 1);
}

bool nk_lateness_upper_ns(unsigned int bucket, uint64_t *upper)
{
	if (bucket >= NATKEEP_LATENESS_BUCKETS - 1)
		return false;
	*upper = 1ULL << (bucket + NATKEEP_LATENESS_SHIFT);
	return true;
}

void nk_lateness_label(unsigned int bucket, char *buf, size_t len)
{
	char lower[16], upper_text[16];
	uint64_t upper;

	nk_duration_format(nk_lateness_lower_ns(bucket), lower, sizeof(lower));
	if (!nk_lateness_upper_ns(bucket, &upper)) {
		snprintf(buf, len, ">=%s", lower);
		return;
	}
	nk_duration_format(upper, upper_text, sizeof(upper_text));
	if (bucket == 0)
		snprintf(buf, len, "<%s", upper_text);
	else
		snprintf(buf, len, "%s-%s", lower, upper_text);
}

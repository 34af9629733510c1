// SPDX-License-Identifier: GPL-2.0
#include <linux/natkeep.h>

#include "lateness_format.h"
#include "nk_duration.h"
#include "nk_lateness.h"

void nkctl_lateness_print_text(FILE *out, const struct nk_flow_stats *stats)
{
	char text[32];
	unsigned int b;
	bool any = stats->lateness_max_ns > 0;

	for (b = 0; stats->has_lateness && b < NATKEEP_LATENESS_BUCKETS; b++)
		any = any || stats->lateness[b];
	if (!any)
		return;
	fputs("    lateness", out);
	for (b = 0; stats->has_lateness && b < NATKEEP_LATENESS_BUCKETS; b++) {
		if (!stats->lateness[b])
			continue;
		nk_lateness_label(b, text, sizeof(text));
		fprintf(out, " %s:%llu", text, (unsigned long long)stats->lateness[b]);
	}
	nk_duration_format(stats->lateness_max_ns, text, sizeof(text));
	fprintf(out, " max %s\n", text);
}

void nkctl_lateness_print_json(struct json_writer *jw,
			       const struct nk_flow_stats *stats)
{
	unsigned int b;

	json_kv_uint(jw, "lateness_max_ns", stats->lateness_max_ns);
	if (!stats->has_lateness)
		return;
	json_key(jw, "lateness");
	json_array_start(jw);
	for (b = 0; b < NATKEEP_LATENESS_BUCKETS; b++) {
		uint64_t upper;

		if (!stats->lateness[b])
			continue;
		json_object_start(jw);
		json_kv_uint(jw, "lower_ns", nk_lateness_lower_ns(b));
		if (nk_lateness_upper_ns(b, &upper))
			json_kv_uint(jw, "upper_ns", upper);
		else
			json_kv_null(jw, "upper_ns");
		json_kv_uint(jw, "count", stats->lateness[b]);
		json_object_end(jw);
	}
	json_array_end(jw);
}

/* SPDX-License-Identifier: GPL-2.0 */
/* The lateness of sends, a flow's (its worst) or a namespace's (histogram). */
#ifndef NKCTL_LATENESS_FORMAT_H
#define NKCTL_LATENESS_FORMAT_H

#include <stdio.h>

#include "json_writer.h"
#include "nk_stats.h"

/*
 * "    lateness <1us:3 1-2us:5 ... max 1.2ms": the histogram's non-empty
 * buckets when stats has one, then the largest; nothing before a send.
 */
void nkctl_lateness_print_text(FILE *out, const struct nk_flow_stats *stats);

/*
 * "lateness_max_ns" and, when stats has a histogram, "lateness": an array
 * of {"lower_ns", "upper_ns" (null: open-ended), "count"}, empty buckets
 * left out.
 */
void nkctl_lateness_print_json(struct json_writer *jw,
			       const struct nk_flow_stats *stats);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* The bounds of the lateness histogram buckets (see linux/natkeep.h). */
#ifndef NK_LATENESS_H
#define NK_LATENESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Lowest lateness in ns that bucket b counts. */
uint64_t nk_lateness_lower_ns(unsigned int bucket);

/* First lateness in ns past bucket b; false for the open-ended last one. */
bool nk_lateness_upper_ns(unsigned int bucket, uint64_t *upper);

/* "<1us", "1us-2us", ..., ">=4.3s". */
void nk_lateness_label(unsigned int bucket, char *buf, size_t len);

#endif

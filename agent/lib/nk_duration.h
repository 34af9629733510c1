/* SPDX-License-Identifier: GPL-2.0 */
/* Durations in nanoseconds, written for people. */
#ifndef NK_DURATION_H
#define NK_DURATION_H

#include <stddef.h>
#include <stdint.h>

/*
 * Two significant digits in the largest fitting unit (ns, us, ms, s):
 * 512 -> "512ns", 1024 -> "1us", 4096 -> "4.1us", 2^32 -> "4.3s".
 */
void nk_duration_format(uint64_t ns, char *buf, size_t len);

/* Seconds with two decimals, e.g. 530000000 -> "0.53s". */
void nk_duration_format_seconds(uint64_t ns, char *buf, size_t len);

#endif

// SPDX-License-Identifier: GPL-2.0
#include "nk_duration.h"

#include <stdio.h>

#include "nk_array.h"

static const struct {
	uint64_t ns;
	const char *suffix;
} units[] = {
	{ 1, "ns" },
	{ 1000, "us" },
	{ 1000000, "ms" },
	{ 1000000000, "s" },
};
#define N_UNITS (ARRAY_SIZE(units))

/* ns in tenths of unit, rounded half up, without overflowing 64 bits. */
static uint64_t tenths_of(uint64_t ns, uint64_t unit)
{
	return (ns / unit) * 10 + ((ns % unit) * 10 + unit / 2) / unit;
}

/* ns in whole units, rounded half up. */
static uint64_t whole_of(uint64_t ns, uint64_t unit)
{
	return ns / unit + ((ns % unit) * 2 >= unit);
}

void nk_duration_format(uint64_t ns, char *buf, size_t len)
{
	size_t u = 0;
	uint64_t tenths, whole;

	while (u + 1 < N_UNITS && ns >= units[u + 1].ns)
		u++;
	/* 999.6us rounds to 1000us: say 1ms instead. */
	if (u + 1 < N_UNITS && whole_of(ns, units[u].ns) >= 1000)
		u++;
	/* Integer arithmetic: the same text on every machine and locale. */
	tenths = tenths_of(ns, units[u].ns);
	if (tenths < 100) {
		if (tenths % 10)
			snprintf(buf, len, "%llu.%llu%s", (unsigned long long)(tenths / 10),
				 (unsigned long long)(tenths % 10), units[u].suffix);
		else
			snprintf(buf, len, "%llu%s", (unsigned long long)(tenths / 10),
				 units[u].suffix);
		return;
	}
	whole = whole_of(ns, units[u].ns);
	snprintf(buf, len, "%llu%s", (unsigned long long)whole, units[u].suffix);
}

void nk_duration_format_seconds(uint64_t ns, char *buf, size_t len)
{
	uint64_t centis = ns / 10000000 + (ns % 10000000 >= 5000000);

	snprintf(buf, len, "%llu.%02llus", (unsigned long long)(centis / 100),
		 (unsigned long long)(centis % 100));
}

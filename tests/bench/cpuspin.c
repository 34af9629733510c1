// SPDX-License-Identifier: GPL-2.0
/*
 * cpuspin: how much CPU is left over. Spins for SECONDS and prints how many
 * rounds of a fixed busy loop it managed; run at SCHED_IDLE on each CPU,
 * the rounds lost against a baseline are the CPU time something else (the
 * kernel's softirq work) took. Tick-based accounting (/proc/stat) cannot
 * see work that is short and never at a tick: this can.
 *
 *   cpuspin SECONDS
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double seconds = argc == 2 ? atof(argv[1]) : 0, end;
	unsigned long long rounds = 0;
	volatile unsigned int sink = 0;
	unsigned int i;

	if (seconds <= 0) {
		fprintf(stderr, "usage: cpuspin SECONDS\n");
		return 2;
	}
	end = now_s() + seconds;
	while (now_s() < end) {
		for (i = 0; i < 10000; i++)
			sink += i;
		rounds++;
	}
	printf("%llu\n", rounds);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * usender: make bench's reference userspace keep-alive sender, written the
 * way SIP stacks drive theirs: a timerfd on an absolute CLOCK_MONOTONIC
 * schedule, then sendto(), at SCHED_OTHER and nice 0.
 *
 *   usender START_NS PERIOD_NS TICKS LOCAL_IPV4:PORT REMOTE_IPV4:PORT
 *
 * Sends "\r\n\r\n" (the keep-alive type's payload) at START_NS + k * PERIOD_NS
 * for k = 0 .. TICKS-1. Ticks the timer reports missed are not made up.
 * Prints how many it sent and the CPU time it took ("sent N cpu_ns NS":
 * the scheduler's own clock, exact, where /proc/stat only samples ticks).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "endpoint.h"

static int parse_u64(const char *text, uint64_t *value)
{
	char *end;

	errno = 0;
	*value = strtoull(text, &end, 10);
	return errno || *end || end == text ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const char payload[] = "\r\n\r\n";
	struct sockaddr_in local, remote;
	uint64_t start, period, ticks, due = 0, sent = 0, expirations;
	struct itimerspec when;
	struct timespec cpu;
	int fd, tfd;

	if (argc != 6 || parse_u64(argv[1], &start) || parse_u64(argv[2], &period) ||
	    parse_u64(argv[3], &ticks) || period == 0 ||
	    bench_sockaddr_in(argv[4], &local) || bench_sockaddr_in(argv[5], &remote)) {
		fprintf(stderr, "usage: usender START_NS PERIOD_NS TICKS LOCAL_IPV4:PORT REMOTE_IPV4:PORT\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof(local)) ||
	    connect(fd, (struct sockaddr *)&remote, sizeof(remote))) {
		perror("usender: socket");
		return 1;
	}
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	if (tfd < 0) {
		perror("usender: timerfd_create");
		return 1;
	}
	when.it_value.tv_sec = start / 1000000000;
	when.it_value.tv_nsec = start % 1000000000;
	when.it_interval.tv_sec = period / 1000000000;
	when.it_interval.tv_nsec = period % 1000000000;
	if (timerfd_settime(tfd, TFD_TIMER_ABSTIME, &when, NULL)) {
		perror("usender: timerfd_settime");
		return 1;
	}
	while (due < ticks) {
		if (read(tfd, &expirations, sizeof(expirations)) != sizeof(expirations)) {
			perror("usender: read");
			return 1;
		}
		if (sendto(fd, payload, sizeof(payload) - 1, 0, NULL, 0) >= 0)
			sent++;
		else if (errno != ECONNREFUSED)
			perror("usender: sendto");
		due += expirations;
	}
	if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu)) {
		perror("usender: clock_gettime");
		return 1;
	}
	printf("sent %" PRIu64 " cpu_ns %" PRIu64 "\n", sent,
	       (uint64_t)cpu.tv_sec * 1000000000 + (uint64_t)cpu.tv_nsec);
	return 0;
}

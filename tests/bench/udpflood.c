// SPDX-License-Identifier: GPL-2.0
/*
 * udpflood: make bench's packet-rate load for the hook cost.
 *
 *   udpflood send LOCAL_IPV4:PORT REMOTE_IPV4:PORT SECONDS [PAYLOAD_FILE]
 *   udpflood recv LOCAL_IPV4:PORT SECONDS
 *
 * send: datagrams as fast as one thread can, for SECONDS (payload: the
 * file's bytes, default 64 zero bytes); prints how many were sent.
 * recv: counts the datagrams that reach the socket in SECONDS, from the
 * first one on; prints the count and the rate.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "endpoint.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int flood(int fd, double seconds, const char *payload, size_t len)
{
	double end = now_s() + seconds;
	unsigned long long sent = 0, failed = 0;
	unsigned int i;

	while (now_s() < end) {
		/* The clock only every 64 sends: it is not free in an emulator. */
		for (i = 0; i < 64; i++) {
			if (send(fd, payload, len, 0) < 0)
				failed++;
			else
				sent++;
		}
	}
	printf("sent %llu failed %llu\n", sent, failed);
	return 0;
}

static int count(int fd, double seconds)
{
	struct timeval tv = { .tv_sec = 0, .tv_usec = 200000 };
	unsigned long long received = 0;
	double end = 0, give_up = now_s() + 60;
	char buf[2048];

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		double t = now_s();

		if (n >= 0 && !received)
			end = t + seconds;
		if (received && t >= end)
			break;
		if (n >= 0)
			received++;
		else if (errno != EAGAIN && errno != EINTR)
			return perror("udpflood: recv"), 1;
		else if (!received && t > give_up)
			break;	/* nothing came: a rate of 0 */
	}
	printf("received %llu in %.3f s rate %.0f\n", received, seconds,
	       received / seconds);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in local, remote;
	static char payload[1500];
	size_t len = 64;
	double seconds;
	int fd, rcvbuf = 4 << 20;

	if (argc >= 4 && !strcmp(argv[1], "recv") &&
	    !bench_sockaddr_in(argv[2], &local) && (seconds = atof(argv[3])) > 0) {
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
		if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof(local)))
			return perror("udpflood: bind"), 1;
		return count(fd, seconds);
	}
	if (argc >= 5 && !strcmp(argv[1], "send") &&
	    !bench_sockaddr_in(argv[2], &local) && !bench_sockaddr_in(argv[3], &remote) &&
	    (seconds = atof(argv[4])) > 0) {
		if (argc >= 6) {
			FILE *f = fopen(argv[5], "rb");

			if (!f)
				return perror(argv[5]), 1;
			len = fread(payload, 1, sizeof(payload), f);
			fclose(f);
		}
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof(local)) ||
		    connect(fd, (struct sockaddr *)&remote, sizeof(remote)))
			return perror("udpflood: socket"), 1;
		return flood(fd, seconds, payload, len);
	}
	fprintf(stderr,
		"usage: udpflood send LOCAL_IPV4:PORT REMOTE_IPV4:PORT SECONDS [PAYLOAD_FILE]\n"
		"       udpflood recv LOCAL_IPV4:PORT SECONDS\n");
	return 2;
}

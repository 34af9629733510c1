// SPDX-License-Identifier: GPL-2.0
/*
 * udpflood: make bench's packet-rate load for the hook cost.
 *
 *   udpflood send LOCAL_IPV4:PORT REMOTE_IPV4:PORT SECONDS [PAYLOAD_FILE]
 *   udpflood alt LOCAL_IPV4:PORT SLICE_MS SECONDS REMOTE_A REMOTE_B [PAYLOAD_FILE]
 *   udpflood recv LOCAL_IPV4:PORT SECONDS
 *
 * send: datagrams as fast as one thread can, for SECONDS (payload: the
 * file's bytes, default 64 zero bytes); prints how many were sent.
 * alt: the same, to REMOTE_A and REMOTE_B in turn for SLICE_MS each, in
 * the order A B B A A B ..., one line per slice:
 *   "slice K dest D sent N failed N seconds S"
 * A send to a local socket is received in the sender's softirq, on its
 * CPU, before send() returns: the rate a slice reaches is that of the
 * whole path, the receiving side's hooks included; neighbouring slices
 * see the same machine, so a drift of its speed cancels between them.
 * alt also executes a marker instruction at each slice's start and after the
 * last slice: under make bench's qemu plugin (tcg/insn_marks.c) the guest's
 * instructions between two markers are counted.
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

/* xchg %bx,%bx (66 87 db): does nothing, and tcg/insn_marks.c knows it. */
static inline void insn_mark(void)
{
	__asm__ volatile("xchg %%bx, %%bx" ::: "memory");
}

/* Slices 0, 1, 2, 3, ... go to A, B, B, A, A, B, B, A, ... */
static unsigned int slice_dest(unsigned int k)
{
	return ((k + 1) / 2) % 2;
}

static int alternate(int fd, const struct sockaddr_in *remote, double slice,
		     double seconds, const char *payload, size_t len)
{
	double end = now_s() + seconds;
	unsigned int k, i;

	for (k = 0; now_s() < end; k++) {
		const struct sockaddr_in *to = &remote[slice_dest(k)];
		unsigned long long sent = 0, failed = 0;
		double start, t;

		insn_mark();
		start = now_s();
		do {
			for (i = 0; i < 64; i++) {
				if (sendto(fd, payload, len, 0,
					   (const struct sockaddr *)to,
					   sizeof(*to)) < 0)
					failed++;
				else
					sent++;
			}
		} while ((t = now_s()) < start + slice);
		printf("slice %u dest %u sent %llu failed %llu seconds %.6f\n",
		       k, slice_dest(k), sent, failed, t - start);
	}
	insn_mark();
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

/* The payload: PATH's bytes, or 64 zero bytes. */
static int read_payload(const char *path, char *payload, size_t size,
			size_t *len)
{
	FILE *f;

	if (!path)
		return 0;
	f = fopen(path, "rb");
	if (!f)
		return perror(path), -1;
	*len = fread(payload, 1, size, f);
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in local, remote, alt[2];
	static char payload[1500];
	size_t len = 64;
	double seconds, slice;
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
		if (read_payload(argc >= 6 ? argv[5] : NULL, payload,
				 sizeof(payload), &len))
			return 1;
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof(local)) ||
		    connect(fd, (struct sockaddr *)&remote, sizeof(remote)))
			return perror("udpflood: socket"), 1;
		return flood(fd, seconds, payload, len);
	}
	if (argc >= 7 && !strcmp(argv[1], "alt") &&
	    !bench_sockaddr_in(argv[2], &local) &&
	    (slice = atof(argv[3]) / 1000) > 0 && (seconds = atof(argv[4])) > 0 &&
	    !bench_sockaddr_in(argv[5], &alt[0]) &&
	    !bench_sockaddr_in(argv[6], &alt[1])) {
		if (read_payload(argc >= 8 ? argv[7] : NULL, payload,
				 sizeof(payload), &len))
			return 1;
		fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&local, sizeof(local)))
			return perror("udpflood: socket"), 1;
		return alternate(fd, alt, slice, seconds, payload, len);
	}
	fprintf(stderr,
		"usage: udpflood send LOCAL_IPV4:PORT REMOTE_IPV4:PORT SECONDS [PAYLOAD_FILE]\n"
		"       udpflood alt LOCAL_IPV4:PORT SLICE_MS SECONDS REMOTE_A REMOTE_B [PAYLOAD_FILE]\n"
		"       udpflood recv LOCAL_IPV4:PORT SECONDS\n");
	return 2;
}

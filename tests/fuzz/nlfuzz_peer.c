// SPDX-License-Identifier: GPL-2.0
/*
 * The flows' peers: UDP responders on 127.0.0.1 and ::1, STUN at the base
 * port and SIP at base + 1, so that natkeep's hook sees answers to its
 * keep-alives while the fuzzer changes and deletes the flows. The answers
 * are plausible: a Binding success with the sender's address as
 * XOR-MAPPED-ADDRESS (FINGERPRINT when asked), a SIP 200 OK copying the
 * request's Via (with received and rport), From, To, Call-ID and CSeq. Now
 * and then one is left unanswered (misses, PEER_UNRESPONSIVE) or tells
 * another port (MAPPING_CHANGED).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include "nlfuzz.h"

#define STUN_COOKIE	0x2112A442u

struct nf_peer {
	int fd[4];		/* v4 STUN, v4 SIP, v6 STUN, v6 SIP */
	struct nf_counts *c;
	struct nf_rng rng;
	uint8_t buf[4096];
	char out[4096];
};

static int bind_udp(int family, uint16_t port)
{
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(port),
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int one = 1, fd;

	fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (family == AF_INET ? bind(fd, (struct sockaddr *)&a4, sizeof(a4)) :
				bind(fd, (struct sockaddr *)&a6, sizeof(a6))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Another nlfuzz in the namespace may hold the ports: then it answers. */
struct nf_peer *nf_peer_open(uint16_t base, struct nf_counts *c, uint64_t seed)
{
	struct nf_peer *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->c = c;
	p->rng.s = seed | 1;
	p->fd[0] = bind_udp(AF_INET, base);
	p->fd[1] = bind_udp(AF_INET, (uint16_t)(base + 1));
	p->fd[2] = bind_udp(AF_INET6, base);
	p->fd[3] = bind_udp(AF_INET6, (uint16_t)(base + 1));
	return p;
}

static uint32_t crc32(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xffffffff;

	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return ~crc;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* A Binding success (or now and then an error) for a Binding request. */
static size_t stun_answer(struct nf_peer *p, const uint8_t *req, size_t len,
			  const struct sockaddr_storage *from)
{
	uint8_t *out = (uint8_t *)p->out;
	size_t n = 20, alen;
	bool fingerprint = false;
	uint16_t port;

	if (len < 20 || req[0] != 0 || req[1] != 1 ||
	    ((uint32_t)req[4] << 24 | req[5] << 16 | req[6] << 8 | req[7]) != STUN_COOKIE)
		return 0;
	for (size_t off = 20; off + 4 <= len;) {
		uint16_t type = (uint16_t)(req[off] << 8 | req[off + 1]);
		uint16_t l = (uint16_t)(req[off + 2] << 8 | req[off + 3]);

		fingerprint |= type == 0x8028;
		off += 4 + ((l + 3u) & ~3u);
	}
	memcpy(out, req, 20);
	if (nf_chance(&p->rng, 3)) {
		/* 0x0111: error response, ERROR-CODE 400 Bad Request */
		put16(out, 0x0111);
		put16(out + n, 0x0009);
		put16(out + n + 2, 8);
		put32(out + n + 4, 4 << 8 | 0);
		memcpy(out + n + 8, "Bad ", 4);
		n += 12;
	} else {
		put16(out, 0x0101);
		if (from->ss_family == AF_INET) {
			const struct sockaddr_in *a = (const void *)from;

			port = ntohs(a->sin_port);
			alen = 4;
			put16(out + n + 4, 0x0001);
			memcpy(out + n + 8, &a->sin_addr, 4);
		} else {
			const struct sockaddr_in6 *a = (const void *)from;

			port = ntohs(a->sin6_port);
			alen = 16;
			put16(out + n + 4, 0x0002);
			memcpy(out + n + 8, &a->sin6_addr, 16);
		}
		if (nf_chance(&p->rng, 5))
			port++;		/* the NAT moved: a mapping change */
		/* XOR-MAPPED-ADDRESS: port ^ cookie >> 16, address ^ cookie || txid */
		put16(out + n, 0x0020);
		put16(out + n + 2, (uint16_t)(4 + alen));
		out[n + 4] = 0;
		put16(out + n + 6, (uint16_t)(port ^ (STUN_COOKIE >> 16)));
		for (size_t i = 0; i < alen; i++)
			out[n + 8 + i] ^= req[4 + i];
		n += 8 + alen;
	}
	if (fingerprint) {
		put16(out + 2, (uint16_t)(n - 20 + 8));
		put16(out + n, 0x8028);
		put16(out + n + 2, 4);
		put32(out + n + 4, crc32(out, n) ^ 0x5354554e);
		n += 8;
	}
	put16(out + 2, (uint16_t)(n - 20));
	return n;
}

static const char *header_line(const char *line, const char *name)
{
	size_t len = strlen(name);

	if (strncasecmp(line, name, len) || line[len] != ':')
		return NULL;
	return line;
}

/* A 200 OK for a SIP request, its top Via with received and rport. */
static size_t sip_answer(struct nf_peer *p, char *req, size_t len,
			 const struct sockaddr_storage *from)
{
	char addr[INET6_ADDRSTRLEN] = "";
	const char *eol = memchr(req, '\n', len);
	size_t n = 0, cap = sizeof(p->out);
	bool top_via = true;
	uint16_t port;

	if (!eol || eol - req < 12 || memcmp(eol - 8, "SIP/2.0\r", 8) ||
	    !memcmp(req, "SIP/2.0", 7))
		return 0;
	if (from->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const void *)from;

		inet_ntop(AF_INET, &a->sin_addr, addr, sizeof(addr));
		port = ntohs(a->sin_port);
	} else {
		const struct sockaddr_in6 *a = (const void *)from;

		inet_ntop(AF_INET6, &a->sin6_addr, addr, sizeof(addr));
		port = ntohs(a->sin6_port);
	}
	if (nf_chance(&p->rng, 5))
		port++;		/* the NAT moved */
	req[len] = 0;
	n += (size_t)snprintf(p->out + n, cap - n, "SIP/2.0 200 OK\r\n");
	for (char *line = strchr(req, '\n') + 1, *next; line && *line; line = next) {
		char *end = strstr(line, "\r\n");

		if (!end)
			break;
		*end = 0;
		next = end + 2;
		if (!*line)
			break;
		if (header_line(line, "Via") && top_via) {
			char *rport = strstr(line, ";rport");

			top_via = false;
			if (rport && (rport[6] == ';' || !rport[6])) {
				*rport = 0;
				n += (size_t)snprintf(p->out + n, cap - n, "%s;received=%s;rport=%u%s\r\n",
						      line, addr, port, rport + 6);
			} else {
				n += (size_t)snprintf(p->out + n, cap - n, "%s;received=%s\r\n",
						      line, addr);
			}
		} else if (header_line(line, "Via") || header_line(line, "From") ||
			   header_line(line, "Call-ID") || header_line(line, "CSeq")) {
			n += (size_t)snprintf(p->out + n, cap - n, "%s\r\n", line);
		} else if (header_line(line, "To")) {
			n += (size_t)snprintf(p->out + n, cap - n, "%s;tag=nlfuzz%u\r\n", line,
					      nf_rnd(&p->rng, 1000));
		}
		if (n >= cap - 64)
			return 0;
	}
	n += (size_t)snprintf(p->out + n, cap - n, "Server: nlfuzz\r\nContent-Length: 0\r\n\r\n");
	return n < cap ? n : 0;
}

/* One datagram answered (or not, on purpose); false when none waits. */
static bool answer(struct nf_peer *p, int fd)
{
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	ssize_t len;
	size_t n;

	len = recvfrom(fd, p->buf, sizeof(p->buf) - 1, 0, (struct sockaddr *)&from, &flen);
	if (len < 0)
		return false;
	if (nf_chance(&p->rng, 8)) {
		if (p->c)
			p->c->peer_silent++;
		return true;
	}
	n = stun_answer(p, p->buf, (size_t)len, &from);
	if (n) {
		if (p->c)
			p->c->peer_stun++;
	} else {
		n = sip_answer(p, (char *)p->buf, (size_t)len, &from);
		if (n && p->c)
			p->c->peer_sip++;
	}
	if (n)
		sendto(fd, p->out, n, MSG_DONTWAIT, (struct sockaddr *)&from, flen);
	return true;
}

/* Answer what has come, waiting up to @timeout_ms for something. */
void nf_peer_serve(struct nf_peer *p, int timeout_ms)
{
	struct pollfd pfd[4];
	int n = 0;

	if (!p)
		return;
	for (int i = 0; i < 4; i++)
		if (p->fd[i] >= 0)
			pfd[n++] = (struct pollfd){ .fd = p->fd[i], .events = POLLIN };
	if (!n || poll(pfd, (nfds_t)n, timeout_ms) <= 0)
		return;
	for (int i = 0; i < n; i++)
		if (pfd[i].revents & POLLIN)
			for (int k = 0; k < 64 && answer(p, pfd[i].fd); k++)
				;	/* a burst, then the others */
}

/* A process answering in the caller's namespace until it dies. */
pid_t nf_peer_spawn(uint16_t base, struct nf_counts *c, uint64_t seed)
{
	pid_t pid = fork();
	struct nf_peer *p;

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	p = nf_peer_open(base, c, seed);
	if (!p || (p->fd[0] < 0 && p->fd[1] < 0 && p->fd[2] < 0 && p->fd[3] < 0))
		_exit(0);
	for (;;)
		nf_peer_serve(p, 1000);
}

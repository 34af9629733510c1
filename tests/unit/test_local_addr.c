// SPDX-License-Identifier: GPL-2.0
/*
 * natkeepd's view of its own address: the route's source towards a server,
 * and whether the SIP socket holds it (what a DHCP change is judged by).
 * Real sockets on loopback.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "local_addr.h"
#include "runner.h"

static struct nk_endpoint v4(const char *addr, uint16_t port)
{
	struct nk_endpoint ep = { .family = AF_INET, .port = port };

	inet_pton(AF_INET, addr, &ep.addr.v4);
	return ep;
}

/* A UDP socket bound on addr (port 0: any), its port in *port. */
static int bound_socket(const char *addr, uint16_t *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(*port) };
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	inet_pton(AF_INET, addr, &sin.sin_addr);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) ||
	    getsockname(fd, (struct sockaddr *)&sin, &len)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*port = ntohs(sin.sin_port);
	return fd;
}

static void source_towards_loopback_is_loopback(void)
{
	struct nk_endpoint to = v4("127.0.0.1", 5060), local = { 0 };

	CHECK_INT(nkd_local_towards(&to, 5062, &local), 0);
	CHECK_INT(local.family, AF_INET);
	CHECK_INT(ntohl(local.addr.v4.s_addr), 0x7f000001);
	CHECK_INT(local.port, 5062);
}

static void a_bound_port_is_not_free(void)
{
	uint16_t port = 0;
	int fd = bound_socket("127.0.0.1", &port);
	struct nk_endpoint ep;

	CHECK(fd >= 0);
	ep = v4("127.0.0.1", port);
	CHECK(!nkd_local_port_free(&ep));
	close(fd);
	CHECK(nkd_local_port_free(&ep));
}

static void a_wildcard_socket_holds_every_address(void)
{
	uint16_t port = 0;
	int fd = bound_socket("0.0.0.0", &port);
	struct nk_endpoint ep;

	CHECK(fd >= 0);
	ep = v4("127.0.0.2", port);
	CHECK(!nkd_local_port_free(&ep));
	close(fd);
}

static void another_address_on_the_port_is_free(void)
{
	uint16_t port = 0;
	int fd = bound_socket("127.0.0.1", &port);
	struct nk_endpoint ep;

	/* The socket of the old address does not cover a new one. */
	CHECK(fd >= 0);
	ep = v4("127.0.0.2", port);
	CHECK(nkd_local_port_free(&ep));
	close(fd);
}

static void an_address_not_ours_is_not_free(void)
{
	/* TEST-NET-1, never a host's: a bind is tried, nothing is sent. */
	struct nk_endpoint ep = v4("192.0.2.1", 5060);

	CHECK(!nkd_local_port_free(&ep));
}

static void loopback_never_needs_a_new_socket(void)
{
	struct nk_endpoint to = v4("127.0.0.1", 5060), local;
	uint16_t port = 0;
	int fd = bound_socket("127.0.0.1", &port);

	/* Free or not, loopback does not move with the network. */
	CHECK(fd >= 0);
	close(fd);
	CHECK(!nkd_local_socket_misses(&to, port, &local));
}

static const struct test_case cases[] = {
	TEST_CASE(source_towards_loopback_is_loopback),
	TEST_CASE(a_bound_port_is_not_free),
	TEST_CASE(a_wildcard_socket_holds_every_address),
	TEST_CASE(another_address_on_the_port_is_free),
	TEST_CASE(an_address_not_ours_is_not_free),
	TEST_CASE(loopback_never_needs_a_new_socket),
};
TEST_SUITE(local_addr_suite, cases);

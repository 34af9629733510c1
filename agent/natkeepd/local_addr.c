// SPDX-License-Identifier: GPL-2.0
/* Our own address towards a server, and whether our SIP socket holds it. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "local_addr.h"

static socklen_t to_sockaddr(const struct nk_endpoint *ep, uint16_t port,
			     struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (ep->family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_addr = ep->addr.v4;
		sin->sin_port = htons(port);
		return sizeof(*sin);
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_addr = ep->addr.v6;
	sin6->sin6_port = htons(port);
	return sizeof(*sin6);
}

int nkd_local_towards(const struct nk_endpoint *to, uint16_t port,
		      struct nk_endpoint *out)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, ret = 0;

	fd = socket(to->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* A UDP connect() sends nothing: it only asks the routing. */
	len = to_sockaddr(to, to->port, &ss);
	if (connect(fd, (struct sockaddr *)&ss, len) ||
	    getsockname(fd, (struct sockaddr *)&ss, &len)) {
		ret = -errno;
	} else {
		memset(out, 0, sizeof(*out));
		out->family = to->family;
		if (to->family == AF_INET)
			out->addr.v4 = ((struct sockaddr_in *)&ss)->sin_addr;
		else
			out->addr.v6 = ((struct sockaddr_in6 *)&ss)->sin6_addr;
		out->port = port;
	}
	close(fd);
	return ret;
}

bool nkd_local_port_free(const struct nk_endpoint *ep)
{
	struct sockaddr_storage ss;
	socklen_t len = to_sockaddr(ep, ep->port, &ss);
	bool unbound;
	int fd;

	fd = socket(ep->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	/* Without SO_REUSEADDR: any socket on the port makes this fail. */
	unbound = !bind(fd, (struct sockaddr *)&ss, len);
	close(fd);
	return unbound;
}

static bool is_loopback(const struct nk_endpoint *ep)
{
	if (ep->family == AF_INET)
		return (ntohl(ep->addr.v4.s_addr) >> 24) == 127;
	return IN6_IS_ADDR_LOOPBACK(&ep->addr.v6);
}

bool nkd_local_socket_misses(const struct nk_endpoint *to, uint16_t port,
			     struct nk_endpoint *local)
{
	return !nkd_local_towards(to, port, local) && !is_loopback(local) &&
	       nkd_local_port_free(local);
}

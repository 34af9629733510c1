// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "endpoint.h"
#include "nk_addr.h"

int bench_sockaddr_in(const char *text, struct sockaddr_in *sin)
{
	struct nk_endpoint ep;
	char err[128];

	if (nk_endpoint_parse(text, &ep, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	if (ep.family != AF_INET) {
		fprintf(stderr, "%s: an IPv4 endpoint is needed\n", text);
		return -1;
	}
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(ep.port);
	sin->sin_addr = ep.addr.v4;
	return 0;
}

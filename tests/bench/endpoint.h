/* SPDX-License-Identifier: GPL-2.0 */
/* The bench programs' IPv4 endpoints, parsed by natkeepctl's own parser. */
#ifndef BENCH_ENDPOINT_H
#define BENCH_ENDPOINT_H

#include <netinet/in.h>

/* "IPV4:PORT" into *sin; 0, or -1 with the reason on stderr. */
int bench_sockaddr_in(const char *text, struct sockaddr_in *sin);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Endpoints as users write them: ADDR:PORT for IPv4, [ADDR]:PORT for IPv6.
 */
#ifndef NK_ADDR_H
#define NK_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

/* Room for "[" + IPv6 text + "]:" + port + NUL. */
#define NK_ENDPOINT_STRLEN (INET6_ADDRSTRLEN + 8)

union nk_inet_addr {
	struct in_addr v4;
	struct in6_addr v6;
	uint8_t bytes[16];
};

struct nk_endpoint {
	int family;		/* AF_INET or AF_INET6 */
	union nk_inet_addr addr;
	uint16_t port;		/* host order, 1..65535 */
};

/* Bytes of an address of this family on the wire; 0 for other families. */
size_t nk_addr_len(int family);

/*
 * Parses "ADDR:PORT" or "[V6ADDR]:PORT". Returns 0, or -1 with a message
 * naming the bad token in err.
 */
int nk_endpoint_parse(const char *text, struct nk_endpoint *ep,
		      char *err, size_t errlen);

/* Address alone, e.g. "10.0.0.1" or "2001:db8::1"; "?" for a bad family. */
void nk_addr_format(int family, const union nk_inet_addr *addr,
		    char *buf, size_t len);

/* "10.0.0.1:5060" or "[2001:db8::1]:5060". */
void nk_endpoint_format(int family, const union nk_inet_addr *addr,
			uint16_t port, char *buf, size_t len);

/* "inet", "inet6" or NULL. */
const char *nk_family_name(int family);

#endif

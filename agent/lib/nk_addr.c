// SPDX-License-Identifier: GPL-2.0
/* Parsing and formatting of the endpoints natkeepctl and natkeepd take. */
#include "nk_addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

size_t nk_addr_len(int family)
{
	switch (family) {
	case AF_INET:
		return sizeof(struct in_addr);
	case AF_INET6:
		return sizeof(struct in6_addr);
	default:
		return 0;
	}
}

/* Strict decimal port: digits only, 1..65535 (0 cannot be a SIP socket). */
static int parse_port(const char *text, uint16_t *port)
{
	unsigned long value = 0;
	const char *p;

	if (!*text || strlen(text) > 5)
		return -1;
	for (p = text; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		value = value * 10 + (unsigned long)(*p - '0');
	}
	if (value < 1 || value > 65535)
		return -1;
	*port = (uint16_t)value;
	return 0;
}

int nk_endpoint_parse(const char *text, struct nk_endpoint *ep,
		      char *err, size_t errlen)
{
	char host[INET6_ADDRSTRLEN];
	const char *port_text, *colon;
	size_t host_len;

	memset(ep, 0, sizeof(*ep));
	if (text[0] == '[') {
		const char *close = strchr(text, ']');

		if (!close) {
			snprintf(err, errlen, "\"%s\": missing ']' after IPv6 address", text);
			return -1;
		}
		if (close[1] != ':') {
			snprintf(err, errlen, "\"%s\": expected [ADDR]:PORT", text);
			return -1;
		}
		host_len = (size_t)(close - text - 1);
		if (host_len == 0 || host_len >= sizeof(host)) {
			snprintf(err, errlen, "\"%s\": bad IPv6 address", text);
			return -1;
		}
		memcpy(host, text + 1, host_len);
		host[host_len] = '\0';
		if (inet_pton(AF_INET6, host, &ep->addr.v6) != 1) {
			snprintf(err, errlen, "\"%s\": bad IPv6 address \"%s\"", text, host);
			return -1;
		}
		ep->family = AF_INET6;
		port_text = close + 2;
	} else {
		colon = strrchr(text, ':');
		if (!colon) {
			snprintf(err, errlen, "\"%s\": missing port, expected ADDR:PORT", text);
			return -1;
		}
		if (strchr(text, ':') != colon) {
			/* Without brackets the last colon is ambiguous. */
			snprintf(err, errlen, "\"%s\": write IPv6 endpoints as [ADDR]:PORT", text);
			return -1;
		}
		host_len = (size_t)(colon - text);
		if (host_len == 0 || host_len >= sizeof(host)) {
			snprintf(err, errlen, "\"%s\": bad IPv4 address", text);
			return -1;
		}
		memcpy(host, text, host_len);
		host[host_len] = '\0';
		if (inet_pton(AF_INET, host, &ep->addr.v4) != 1) {
			snprintf(err, errlen, "\"%s\": bad IPv4 address \"%s\"", text, host);
			return -1;
		}
		ep->family = AF_INET;
		port_text = colon + 1;
	}
	if (parse_port(port_text, &ep->port)) {
		snprintf(err, errlen, "\"%s\": bad port \"%s\", expected 1..65535",
			 text, port_text);
		return -1;
	}
	return 0;
}

void nk_addr_format(int family, const union nk_inet_addr *addr,
		    char *buf, size_t len)
{
	char text[INET6_ADDRSTRLEN];

	if (!nk_addr_len(family) ||
	    !inet_ntop(family, addr->bytes, text, sizeof(text))) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf, len, "%s", text);
}

void nk_endpoint_format(int family, const union nk_inet_addr *addr,
			uint16_t port, char *buf, size_t len)
{
	char text[INET6_ADDRSTRLEN];

	nk_addr_format(family, addr, text, sizeof(text));
	if (family == AF_INET6)
		snprintf(buf, len, "[%s]:%u", text, port);
	else
		snprintf(buf, len, "%s:%u", text, port);
}

const char *nk_family_name(int family)
{
	switch (family) {
	case AF_INET:
		return "inet";
	case AF_INET6:
		return "inet6";
	default:
		return NULL;
	}
}

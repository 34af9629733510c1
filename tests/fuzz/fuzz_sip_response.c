// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: nk_sip_parse_response() and _head() on any bytes, and the IP
 * literal parse against inet_pton(). What a parse returns must point
 * inside the input and keep to its documented ranges.
 */
#include <arpa/inet.h>
#include <stdlib.h>

#include "sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool inside(const char *p, size_t len, const char *msg, size_t size)
{
	return p >= msg && len <= size && p - msg <= (ptrdiff_t)(size - len);
}

static void check_fields(const struct nk_sip_response *r, const char *msg,
			 size_t size);

static void check_response(const char *msg, size_t size)
{
	struct nk_sip_response rsp;

	/* A whole message that parses parses as a cut one too. */
	if (!nk_sip_parse_response(msg, size, &rsp)) {
		check_fields(&rsp, msg, size);
		if (nk_sip_parse_response_head(msg, size, &rsp))
			abort();
	}
	if (!nk_sip_parse_response_head(msg, size, &rsp))
		check_fields(&rsp, msg, size);
}

static void check_fields(const struct nk_sip_response *r, const char *msg,
			 size_t size)
{
	struct nk_sip_response rsp = *r;
	struct nk_proto_addr map;

	if (rsp.status < 100 || rsp.status > 699)
		abort();
	if (rsp.call_id && (!rsp.call_id_len ||
			    !inside(rsp.call_id, rsp.call_id_len, msg, size)))
		abort();
	if (rsp.has_cseq && (!rsp.cseq_method_len ||
			     !inside(rsp.cseq_method, rsp.cseq_method_len, msg, size)))
		abort();
	if (rsp.has_rport && !rsp.rport)
		abort();
	if (rsp.branch && (!rsp.branch_len ||
			   !inside(rsp.branch, rsp.branch_len, msg, size)))
		abort();
	if (nk_sip_response_mapping(&rsp, &map)) {
		if (map.port != rsp.rport || (map.family != NK_PROTO_AF_INET &&
					      map.family != NK_PROTO_AF_INET6))
			abort();
	}
}

/* The literal parse agrees with the C library on short inputs. */
static void check_ip(const char *s, size_t size)
{
	struct nk_proto_addr a;
	char text[64];
	uint8_t want[16];
	bool ours, libc;
	int family;

	if (size >= sizeof(text) || memchr(s, '\0', size))
		return;
	memcpy(text, s, size);
	text[size] = '\0';
	ours = nk_sip_parse_ip(s, size, &a);
	family = memchr(s, ':', size) ? AF_INET6 : AF_INET;
	libc = inet_pton(family, text, want) == 1;
	if (ours != libc)
		abort();
	if (ours && memcmp(a.addr, want, family == AF_INET ? 4 : 16))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Exactly @size bytes, without a NUL after them. */
	char *msg = malloc(size ? size : 1);

	memcpy(msg, data, size);
	check_response(msg, size);
	check_ip(msg, size);
	free(msg);
	return 0;
}

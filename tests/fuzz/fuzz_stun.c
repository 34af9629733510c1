// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: nk_stun_parse_response() on any bytes. A parsed
 * message must agree with nk_stun_looks_like() and carry a sane mapping;
 * the sanitizers catch every read outside the input.
 */
#include <stdlib.h>

#include "stun.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nk_stun_response rsp;
	enum nk_stun_parse_result r;
	uint8_t req[NK_STUN_REQUEST_MAX_LEN];

	r = nk_stun_parse_response(data, size, &rsp);
	if (r != NK_STUN_NOT_STUN && !nk_stun_looks_like(data, size))
		abort();
	if (r == NK_STUN_PARSED) {
		if (memcmp(rsp.txid, data + 8, NK_STUN_TXID_LEN))
			abort();
		if (rsp.has_mapped && !rsp.success)
			abort();
		if (rsp.has_mapped && rsp.mapped.family != NK_PROTO_AF_INET &&
		    rsp.mapped.family != NK_PROTO_AF_INET6)
			abort();
	}

	/* Any transaction id builds a request that looks like STUN. */
	if (size >= NK_STUN_TXID_LEN) {
		size_t len = nk_stun_build_request(req, data, size & 1);

		if (len != (size & 1 ? 28u : 20u) || !nk_stun_looks_like(req, len))
			abort();
		if (nk_stun_parse_response(req, len, &rsp) !=
		    NK_STUN_NOT_BINDING_RESPONSE)
			abort();
	}
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * STUN (RFC 8489, RFC 5389; RFC 3489's MAPPED-ADDRESS from old servers):
 * the Binding Request a flow sends, and the parse of the response that
 * tells the flow's public mapping.
 */
#ifndef _NK_STUN_H
#define _NK_STUN_H

#include "proto.h"

#define NK_STUN_HEADER_LEN	20
#define NK_STUN_MAGIC_COOKIE	0x2112A442u
#define NK_STUN_TXID_LEN	12
/* A Binding Request: the header, and FINGERPRINT (8 bytes) if asked. */
#define NK_STUN_REQUEST_MAX_LEN	(NK_STUN_HEADER_LEN + 8)

/*
 * Write a Binding Request with transaction id @txid into @buf, which holds
 * at least NK_STUN_REQUEST_MAX_LEN bytes; with @fingerprint, a FINGERPRINT
 * attribute ends it. Returns its length.
 */
size_t nk_stun_build_request(uint8_t *buf, const uint8_t *txid,
			     bool fingerprint);

/*
 * The cheap test the packet path makes before parsing: the first two bits
 * zero, the magic cookie, a length that is a multiple of 4 and matches
 * @len (RFC 8489, 6 and 7.3).
 */
bool nk_stun_looks_like(const uint8_t *msg, size_t len);

struct nk_stun_response {
	uint8_t txid[NK_STUN_TXID_LEN];
	bool success;		/* Binding success response, else error response */
	/* XOR-MAPPED-ADDRESS, else MAPPED-ADDRESS, found in a success response */
	bool has_mapped;
	struct nk_proto_addr mapped;
};

enum nk_stun_parse_result {
	NK_STUN_PARSED = 0,
	NK_STUN_NOT_STUN,		/* nk_stun_looks_like() says no */
	NK_STUN_NOT_BINDING_RESPONSE,	/* a request, an indication, another method */
	NK_STUN_MALFORMED,		/* attributes overrun, bad lengths, bad FINGERPRINT */
};

/*
 * Parse a Binding success or error response. Attributes are walked within
 * @len; an address attribute of a bad length or family makes the message
 * malformed; unknown attributes are skipped; XOR-MAPPED-ADDRESS wins over
 * MAPPED-ADDRESS whatever their order; a FINGERPRINT, if present, must be
 * right and must be last.
 */
enum nk_stun_parse_result nk_stun_parse_response(const uint8_t *msg, size_t len,
						 struct nk_stun_response *out);

#endif /* _NK_STUN_H */

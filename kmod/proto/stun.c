// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * STUN Binding Request and the parse of its response (see stun.h).
 * Every read of a response is bounded by the length that
 * nk_stun_looks_like() has checked against the header's own length.
 */
#include "stun.h"

#define STUN_BINDING_REQUEST	0x0001
#define STUN_BINDING_SUCCESS	0x0101
#define STUN_BINDING_ERROR	0x0111

#define STUN_ATTR_MAPPED_ADDRESS	0x0001
#define STUN_ATTR_XOR_MAPPED_ADDRESS	0x0020
#define STUN_ATTR_FINGERPRINT		0x8028

#define STUN_FAMILY_IPV4	0x01
#define STUN_FAMILY_IPV6	0x02

#define STUN_ATTR_HEADER_LEN	4
#define STUN_FINGERPRINT_LEN	(STUN_ATTR_HEADER_LEN + 4)
#define STUN_FINGERPRINT_XOR	0x5354554eu

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

/*
 * CRC-32 of ISO-HDLC (zlib's crc32()), four bits at a time: a 64-byte
 * table instead of 1 KiB, and fast enough for messages of a few hundred
 * bytes. Written here because the kernel's crc32_le() has no userspace twin.
 */
static uint32_t stun_crc32(const uint8_t *p, size_t len)
{
	static const uint32_t nibble[16] = {
		0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac,
		0x76dc4190, 0x6b6b51f4, 0x4db26158, 0x5005713c,
		0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
		0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
	};
	uint32_t crc = 0xffffffffu;
	size_t i;

	for (i = 0; i < len; i++) {
		crc ^= p[i];
		crc = (crc >> 4) ^ nibble[crc & 0xf];
		crc = (crc >> 4) ^ nibble[crc & 0xf];
	}
	return crc ^ 0xffffffffu;
}

size_t nk_stun_build_request(uint8_t *buf, const uint8_t *txid,
			     bool fingerprint)
{
	uint16_t attrs_len = fingerprint ? STUN_FINGERPRINT_LEN : 0;

	put_be16(buf, STUN_BINDING_REQUEST);
	put_be16(buf + 2, attrs_len);
	put_be32(buf + 4, NK_STUN_MAGIC_COOKIE);
	memcpy(buf + 8, txid, NK_STUN_TXID_LEN);
	if (!fingerprint)
		return NK_STUN_HEADER_LEN;

	/* The header's length already counts the FINGERPRINT it covers. */
	put_be16(buf + NK_STUN_HEADER_LEN, STUN_ATTR_FINGERPRINT);
	put_be16(buf + NK_STUN_HEADER_LEN + 2, 4);
	put_be32(buf + NK_STUN_HEADER_LEN + STUN_ATTR_HEADER_LEN,
		 stun_crc32(buf, NK_STUN_HEADER_LEN) ^ STUN_FINGERPRINT_XOR);
	return NK_STUN_HEADER_LEN + STUN_FINGERPRINT_LEN;
}

bool nk_stun_looks_like(const uint8_t *msg, size_t len)
{
	size_t body;

	if (len < NK_STUN_HEADER_LEN || (msg[0] & 0xc0))
		return false;
	if (get_be32(msg + 4) != NK_STUN_MAGIC_COOKIE)
		return false;
	body = get_be16(msg + 2);
	return !(body & 3) && body == len - NK_STUN_HEADER_LEN;
}

/*
 * Decode a (XOR-)MAPPED-ADDRESS value of @alen bytes at @v. The first byte
 * is reserved; the port and address of the XOR form are masked with the
 * magic cookie and, for IPv6, the transaction id (RFC 8489, 14.2).
 */
static bool stun_decode_address(const uint8_t *msg, const uint8_t *v,
				uint16_t alen, bool xor,
				struct nk_proto_addr *out)
{
	size_t addr_len, i;

	if (alen < 4)
		return false;
	if (v[1] == STUN_FAMILY_IPV4) {
		out->family = NK_PROTO_AF_INET;
		addr_len = 4;
	} else if (v[1] == STUN_FAMILY_IPV6) {
		out->family = NK_PROTO_AF_INET6;
		addr_len = 16;
	} else {
		return false;
	}
	if (alen != 4 + addr_len)
		return false;

	out->port = get_be16(v + 2);
	memset(out->addr, 0, sizeof(out->addr));
	memcpy(out->addr, v + 4, addr_len);
	if (xor) {
		/* Bytes 4..19 of the header: magic cookie, then txid. */
		out->port ^= NK_STUN_MAGIC_COOKIE >> 16;
		for (i = 0; i < addr_len; i++)
			out->addr[i] ^= msg[4 + i];
	}
	return true;
}

static bool stun_fingerprint_ok(const uint8_t *msg, size_t off)
{
	uint32_t want = get_be32(msg + off + STUN_ATTR_HEADER_LEN);

	return (stun_crc32(msg, off) ^ STUN_FINGERPRINT_XOR) == want;
}

/* What the walk over the attributes found: the first of each kind. */
struct stun_found {
	bool have_xor, have_plain;
	struct nk_proto_addr xor_addr, plain_addr;
};

/* One attribute of @alen bytes whose header is at @off; false: malformed. */
static bool stun_attr(const uint8_t *msg, size_t len, size_t off,
		      uint16_t type, uint16_t alen, struct stun_found *found)
{
	const uint8_t *value = msg + off + STUN_ATTR_HEADER_LEN;
	struct nk_proto_addr addr;

	switch (type) {
	case STUN_ATTR_FINGERPRINT:
		/* It covers all before it, so it must end the message. */
		return alen == 4 && off + STUN_FINGERPRINT_LEN == len &&
		       stun_fingerprint_ok(msg, off);
	case STUN_ATTR_XOR_MAPPED_ADDRESS:
		if (!stun_decode_address(msg, value, alen, true, &addr))
			return false;
		if (!found->have_xor)
			found->xor_addr = addr;
		found->have_xor = true;
		return true;
	case STUN_ATTR_MAPPED_ADDRESS:
		if (!stun_decode_address(msg, value, alen, false, &addr))
			return false;
		if (!found->have_plain)
			found->plain_addr = addr;
		found->have_plain = true;
		return true;
	default:
		return true;
	}
}

/*
 * Walk the attributes after the header. Only the first of each address
 * attribute counts (RFC 8489, 14), but every one must be well formed.
 */
static enum nk_stun_parse_result
stun_parse_attrs(const uint8_t *msg, size_t len, struct nk_stun_response *out)
{
	struct stun_found found = { 0 };
	size_t off = NK_STUN_HEADER_LEN;

	while (off < len) {
		uint16_t type, alen;
		size_t padded;

		if (len - off < STUN_ATTR_HEADER_LEN)
			return NK_STUN_MALFORMED;
		type = get_be16(msg + off);
		alen = get_be16(msg + off + 2);
		/* Values are padded to 4 bytes, and the padding must be there. */
		padded = ((size_t)alen + 3) & ~(size_t)3;
		if (padded > len - off - STUN_ATTR_HEADER_LEN)
			return NK_STUN_MALFORMED;
		if (!stun_attr(msg, len, off, type, alen, &found))
			return NK_STUN_MALFORMED;
		off += STUN_ATTR_HEADER_LEN + padded;
	}

	/* An error response tells no mapping, whatever it carries. */
	if (!out->success)
		return NK_STUN_PARSED;
	if (found.have_xor) {
		out->mapped = found.xor_addr;
		out->has_mapped = true;
	} else if (found.have_plain) {
		out->mapped = found.plain_addr;
		out->has_mapped = true;
	}
	return NK_STUN_PARSED;
}

enum nk_stun_parse_result nk_stun_parse_response(const uint8_t *msg, size_t len,
						 struct nk_stun_response *out)
{
	uint16_t type;

	if (!nk_stun_looks_like(msg, len))
		return NK_STUN_NOT_STUN;
	type = get_be16(msg);
	if (type != STUN_BINDING_SUCCESS && type != STUN_BINDING_ERROR)
		return NK_STUN_NOT_BINDING_RESPONSE;

	memset(out, 0, sizeof(*out));
	memcpy(out->txid, msg + 8, NK_STUN_TXID_LEN);
	out->success = type == STUN_BINDING_SUCCESS;
	return stun_parse_attrs(msg, len, out);
}

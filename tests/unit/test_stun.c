// SPDX-License-Identifier: GPL-2.0
/* STUN Binding Request and response parse (kmod/proto/stun.c). */
#include <stdlib.h>

#include "runner.h"
#include "stun.h"

/* The transaction id of every RFC 5769 test vector. */
static const uint8_t rfc5769_txid[NK_STUN_TXID_LEN] = {
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
	0xfa, 0x87, 0xdf, 0xae,
};

/* RFC 5769, 2.1: a request whose FINGERPRINT is 0xe57a3bcf. */
static const uint8_t rfc5769_request[] = {
	0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x80, 0x22, 0x00, 0x10, 0x53, 0x54, 0x55, 0x4e, 0x20, 0x74, 0x65, 0x73,
	0x74, 0x20, 0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74,
	0x00, 0x24, 0x00, 0x04, 0x6e, 0x00, 0x01, 0xff,
	0x80, 0x29, 0x00, 0x08, 0x93, 0x2f, 0xf9, 0xb1, 0x51, 0x26, 0x3b, 0x36,
	0x00, 0x06, 0x00, 0x09, 0x65, 0x76, 0x74, 0x6a, 0x3a, 0x68, 0x36, 0x76,
	0x59, 0x20, 0x20, 0x20,
	0x00, 0x08, 0x00, 0x14, 0x9a, 0xea, 0xa7, 0x0c, 0xbf, 0xd8, 0xcb, 0x56,
	0x78, 0x1e, 0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49, 0xc1, 0xb5, 0x71, 0xa2,
	0x80, 0x28, 0x00, 0x04, 0xe5, 0x7a, 0x3b, 0xcf,
};

/* RFC 5769, 2.2: success response, XOR-MAPPED-ADDRESS 192.0.2.1:32853. */
static const uint8_t rfc5769_ipv4[] = {
	0x01, 0x01, 0x00, 0x3c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63,
	0x74, 0x6f, 0x72, 0x20,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43,
	0x00, 0x08, 0x00, 0x14, 0x2b, 0x91, 0xf5, 0x99, 0xfd, 0x9e, 0x90, 0xc3,
	0x8c, 0x74, 0x89, 0xf9, 0x2a, 0xf9, 0xba, 0x53, 0xf0, 0x6b, 0xe7, 0xd7,
	0x80, 0x28, 0x00, 0x04, 0xc0, 0x7d, 0x4c, 0x96,
};

/*
 * RFC 5769, 2.3: success response, XOR-MAPPED-ADDRESS
 * [2001:db8:1234:5678:11:2233:4455:6677]:32853.
 */
static const uint8_t rfc5769_ipv6[] = {
	0x01, 0x01, 0x00, 0x48, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74, 0x20, 0x76, 0x65, 0x63,
	0x74, 0x6f, 0x72, 0x20,
	0x00, 0x20, 0x00, 0x14, 0x00, 0x02, 0xa1, 0x47,
	0x01, 0x13, 0xa9, 0xfa, 0xa5, 0xd3, 0xf1, 0x79,
	0xbc, 0x25, 0xf4, 0xb5, 0xbe, 0xd2, 0xb9, 0xd9,
	0x00, 0x08, 0x00, 0x14, 0xa3, 0x82, 0x95, 0x4e, 0x4b, 0xe6, 0x7b, 0xf1,
	0x17, 0x84, 0xc9, 0x7c, 0x82, 0x92, 0xc2, 0x75, 0xbf, 0xe3, 0xed, 0x41,
	0x80, 0x28, 0x00, 0x04, 0xc8, 0xfb, 0x0b, 0x4c,
};

static const uint8_t ipv4_192_0_2_1[4] = { 192, 0, 2, 1 };
static const uint8_t ipv6_rfc5769[16] = {
	0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78,
	0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
};

/*
 * A reference CRC-32 (ISO-HDLC), one bit at a time, to check the module's
 * nibble-table version against; it is itself checked against the
 * catalogue's check value and the RFC 5769 vectors below.
 */
static uint32_t ref_crc32(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xffffffffu;
	size_t i;
	int bit;

	for (i = 0; i < len; i++) {
		crc ^= p[i];
		for (bit = 0; bit < 8; bit++)
			crc = crc & 1 ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
	}
	return ~crc;
}

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* A message under construction, for the cases the RFC has no vector of. */
struct msg {
	uint8_t b[512];
	size_t len;
};

static void msg_start(struct msg *m, uint16_t type)
{
	memset(m, 0, sizeof(*m));
	m->b[0] = type >> 8;
	m->b[1] = type & 0xff;
	m->b[4] = 0x21;
	m->b[5] = 0x12;
	m->b[6] = 0xa4;
	m->b[7] = 0x42;
	memcpy(m->b + 8, rfc5769_txid, NK_STUN_TXID_LEN);
	m->len = NK_STUN_HEADER_LEN;
}

/* Append an attribute with padding, and fix the header's length. */
static void msg_attr(struct msg *m, uint16_t type, const void *value,
		     uint16_t len)
{
	m->b[m->len] = type >> 8;
	m->b[m->len + 1] = type & 0xff;
	m->b[m->len + 2] = len >> 8;
	m->b[m->len + 3] = len & 0xff;
	memcpy(m->b + m->len + 4, value, len);
	m->len += 4 + ((len + 3u) & ~3u);
	m->b[2] = (m->len - NK_STUN_HEADER_LEN) >> 8;
	m->b[3] = (m->len - NK_STUN_HEADER_LEN) & 0xff;
}

static void msg_fingerprint(struct msg *m, uint32_t xor_with)
{
	uint8_t v[4] = { 0 };
	uint32_t crc;

	msg_attr(m, 0x8028, v, 4);
	crc = ref_crc32(m->b, m->len - 8) ^ xor_with;
	m->b[m->len - 4] = crc >> 24;
	m->b[m->len - 3] = (crc >> 16) & 0xff;
	m->b[m->len - 2] = (crc >> 8) & 0xff;
	m->b[m->len - 1] = crc & 0xff;
}

/* XOR-MAPPED-ADDRESS of 192.0.2.1:32853, as in RFC 5769, 2.2. */
static const uint8_t xma_v4[8] = { 0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43 };
/* MAPPED-ADDRESS of 198.51.100.7:3478, in the clear. */
static const uint8_t ma_v4[8] = { 0x00, 0x01, 0x0d, 0x96, 198, 51, 100, 7 };

/* Parse from a heap copy of the exact size: ASan sees any overread. */
static enum nk_stun_parse_result parse_exact(const uint8_t *msg, size_t len,
					     struct nk_stun_response *out)
{
	uint8_t *copy = malloc(len ? len : 1);
	enum nk_stun_parse_result r;

	memcpy(copy, msg, len);
	r = nk_stun_parse_response(copy, len, out);
	free(copy);
	return r;
}

static void reference_crc_matches_known_vectors(void)
{
	CHECK_INT(ref_crc32((const uint8_t *)"123456789", 9), 0xcbf43926u);
	CHECK_INT(ref_crc32(rfc5769_request, sizeof(rfc5769_request) - 8) ^
		  0x5354554eu, 0xe57a3bcfu);
	CHECK_INT(ref_crc32(rfc5769_ipv4, sizeof(rfc5769_ipv4) - 8) ^
		  0x5354554eu, 0xc07d4c96u);
}

static void builds_request_without_fingerprint(void)
{
	static const uint8_t want[20] = {
		0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42,
		0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
		0xfa, 0x87, 0xdf, 0xae,
	};
	uint8_t buf[NK_STUN_REQUEST_MAX_LEN + 4];

	memset(buf, 0xee, sizeof(buf));
	CHECK_INT(nk_stun_build_request(buf, rfc5769_txid, false), 20);
	CHECK(!memcmp(buf, want, sizeof(want)));
	CHECK_INT(buf[20], 0xee);
	CHECK(nk_stun_looks_like(buf, 20));
}

static void builds_request_with_fingerprint(void)
{
	/* The FINGERPRINT value computed independently (zlib's crc32). */
	static const uint8_t want[28] = {
		0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xa4, 0x42,
		0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
		0xfa, 0x87, 0xdf, 0xae,
		0x80, 0x28, 0x00, 0x04, 0xfd, 0xf6, 0xae, 0x02,
	};
	uint8_t buf[NK_STUN_REQUEST_MAX_LEN + 4];

	memset(buf, 0xee, sizeof(buf));
	CHECK_INT(nk_stun_build_request(buf, rfc5769_txid, true), 28);
	CHECK(!memcmp(buf, want, sizeof(want)));
	CHECK_INT(buf[28], 0xee);
	CHECK_INT(be32_at(buf + 24), ref_crc32(buf, 20) ^ 0x5354554eu);
	CHECK(nk_stun_looks_like(buf, 28));
}

/* The request's FINGERPRINT algorithm, on other transaction ids too. */
static void request_fingerprint_follows_txid(void)
{
	uint8_t txid[NK_STUN_TXID_LEN], buf[NK_STUN_REQUEST_MAX_LEN];
	int i, k;

	for (k = 0; k < 50; k++) {
		for (i = 0; i < NK_STUN_TXID_LEN; i++)
			txid[i] = (uint8_t)(k * 37 + i * 11);
		nk_stun_build_request(buf, txid, true);
		CHECK(!memcmp(buf + 8, txid, sizeof(txid)));
		CHECK_INT(be32_at(buf + 24), ref_crc32(buf, 20) ^ 0x5354554eu);
	}
}

static void looks_like_checks_the_header(void)
{
	uint8_t m[sizeof(rfc5769_ipv4)];

	CHECK(nk_stun_looks_like(rfc5769_ipv4, sizeof(rfc5769_ipv4)));
	CHECK(nk_stun_looks_like(rfc5769_request, sizeof(rfc5769_request)));
	CHECK(!nk_stun_looks_like(rfc5769_ipv4, 19));
	CHECK(!nk_stun_looks_like(rfc5769_ipv4, 0));
	/* Fewer bytes than the header says. */
	CHECK(!nk_stun_looks_like(rfc5769_ipv4, sizeof(rfc5769_ipv4) - 4));
	memcpy(m, rfc5769_ipv4, sizeof(m));
	m[0] |= 0x40;		/* top bits: not STUN (e.g. RTP, SIP's 'S') */
	CHECK(!nk_stun_looks_like(m, sizeof(m)));
	memcpy(m, rfc5769_ipv4, sizeof(m));
	m[5] ^= 1;		/* magic cookie */
	CHECK(!nk_stun_looks_like(m, sizeof(m)));
	memcpy(m, rfc5769_ipv4, sizeof(m));
	m[3] = 0x3b;		/* length not a multiple of 4 */
	CHECK(!nk_stun_looks_like(m, sizeof(m) - 1));
	CHECK(!nk_stun_looks_like((const uint8_t *)"SIP/2.0 200 OK\r\n\r\n  ", 20));
}

static void parses_rfc5769_ipv4_response(void)
{
	struct nk_stun_response r;

	CHECK_INT(parse_exact(rfc5769_ipv4, sizeof(rfc5769_ipv4), &r),
		  NK_STUN_PARSED);
	CHECK(r.success);
	CHECK(r.has_mapped);
	CHECK(!memcmp(r.txid, rfc5769_txid, sizeof(r.txid)));
	CHECK_INT(r.mapped.family, NK_PROTO_AF_INET);
	CHECK_INT(r.mapped.port, 32853);
	CHECK(!memcmp(r.mapped.addr, ipv4_192_0_2_1, 4));
}

static void parses_rfc5769_ipv6_response(void)
{
	struct nk_stun_response r;

	CHECK_INT(parse_exact(rfc5769_ipv6, sizeof(rfc5769_ipv6), &r),
		  NK_STUN_PARSED);
	CHECK(r.success);
	CHECK(r.has_mapped);
	CHECK_INT(r.mapped.family, NK_PROTO_AF_INET6);
	CHECK_INT(r.mapped.port, 32853);
	CHECK(!memcmp(r.mapped.addr, ipv6_rfc5769, 16));
}

/*
 * An RFC 3489 server sees our cookie as part of its 128-bit transaction
 * id, echoes it, and answers with MAPPED-ADDRESS only.
 */
static void parses_mapped_address_of_old_server(void)
{
	struct nk_stun_response r;
	struct msg m;

	msg_start(&m, 0x0101);
	msg_attr(&m, 0x0001, ma_v4, sizeof(ma_v4));
	msg_attr(&m, 0x0004, "\x00\x00\x0d\x97\xc6\x33\x64\x08", 8); /* SOURCE-ADDRESS */
	CHECK_INT(parse_exact(m.b, m.len, &r), NK_STUN_PARSED);
	CHECK(r.has_mapped);
	CHECK_INT(r.mapped.family, NK_PROTO_AF_INET);
	CHECK_INT(r.mapped.port, 3478);
	CHECK(!memcmp(r.mapped.addr, "\xc6\x33\x64\x07", 4));
}

static void xor_mapped_wins_in_either_order(void)
{
	struct nk_stun_response r;
	struct msg m;
	int order;

	for (order = 0; order < 2; order++) {
		msg_start(&m, 0x0101);
		if (order)
			msg_attr(&m, 0x0020, xma_v4, sizeof(xma_v4));
		msg_attr(&m, 0x0001, ma_v4, sizeof(ma_v4));
		if (!order)
			msg_attr(&m, 0x0020, xma_v4, sizeof(xma_v4));
		CHECK_INT(parse_exact(m.b, m.len, &r), NK_STUN_PARSED);
		CHECK(r.has_mapped);
		CHECK_INT(r.mapped.port, 32853);
		CHECK(!memcmp(r.mapped.addr, ipv4_192_0_2_1, 4));
	}
}

/* Only the first of each attribute counts (RFC 8489, 14). */
static void first_xor_mapped_address_counts(void)
{
	static const uint8_t other[8] = { 0, 1, 0xa1, 0x48, 0xe1, 0x12, 0xa6, 0x44 };
	struct nk_stun_response r;
	struct msg m;

	msg_start(&m, 0x0101);
	msg_attr(&m, 0x0020, xma_v4, sizeof(xma_v4));
	msg_attr(&m, 0x0020, other, sizeof(other));
	CHECK_INT(parse_exact(m.b, m.len, &r), NK_STUN_PARSED);
	CHECK_INT(r.mapped.port, 32853);
	CHECK(!memcmp(r.mapped.addr, ipv4_192_0_2_1, 4));
}

static void success_without_address(void)
{
	struct nk_stun_response r;
	struct msg m;

	msg_start(&m, 0x0101);
	CHECK_INT(parse_exact(m.b, m.len, &r), NK_STUN_PARSED);
	CHECK(r.success);
	CHECK(!r.has_mapped);
	msg_attr(&m, 0x8022, "natkeep", 7);
	msg_fingerprint(&m, 0x5354554eu);
	CHECK_INT(parse_exact(m.b, m.len, &r), NK_STUN_PARSED);
	CHECK(!r.has_mapped);
}

/* An error response is parsed, but tells no mapping even if it has one. */
static void error_responses(void)
{
	static const uint8_t error_code[] = { 0, 0, 4, 0, 'B', 'a', 'd', ' ', 'R',
		'e', 'q', 'u', 'e', 's', 't' };
	struct nk_stun_response r;
	struct msg m;

	msg_start(&m, 0x0111);
	msg_attr(&m, 0x0009, error_code, sizeof(error_code));
	msg_fingerprint(&m, 0x5354554eu);
	CHECK_INT(parse_exact(m.b, m.len, &r), NK_STUN_PARSED);
	CHECK(!r.success);
	CHECK(!r.has_mapped);
	CHECK(!memcmp(r.txid, rfc5769_txid, sizeof(r.txid)));

	msg_start(&m, 0x0111);
	msg_attr(&m, 0x0020, xma_v4, sizeof(xma_v4));
	CHECK_INT(parse_exact(m.b, m.len, &r), NK_STUN_PARSED);
	CHECK(!r.success);
	CHECK(!r.has_mapped);
}

static void other_messages_are_not_binding_responses(void)
{
	static const uint16_t types[] = {
		0x0001,	/* Binding request */
		0x0011,	/* Binding indication */
		0x0103,	/* Allocate success (TURN) */
		0x0113,	/* Allocate error */
		0x0104,	/* Refresh success */
	};
	struct nk_stun_response r;
	struct msg m;
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		msg_start(&m, types[i]);
		msg_attr(&m, 0x0020, xma_v4, sizeof(xma_v4));
		CHECK_INT(parse_exact(m.b, m.len, &r), NK_STUN_NOT_BINDING_RESPONSE);
	}
	CHECK_INT(parse_exact(rfc5769_request, sizeof(rfc5769_request), &r),
		  NK_STUN_NOT_BINDING_RESPONSE);
}

static void not_stun(void)
{
	static const char sip[] = "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
	struct nk_stun_response r;

	CHECK_INT(parse_exact((const uint8_t *)sip, strlen(sip), &r), NK_STUN_NOT_STUN);
	CHECK_INT(parse_exact(rfc5769_ipv4, 0, &r), NK_STUN_NOT_STUN);
	CHECK_INT(parse_exact(rfc5769_ipv4, 12, &r), NK_STUN_NOT_STUN);
	/* Cut short: the header's length no longer matches. */
	CHECK_INT(parse_exact(rfc5769_ipv4, sizeof(rfc5769_ipv4) - 8, &r),
		  NK_STUN_NOT_STUN);
}

/* Every prefix and every header length: never a read past the end. */
static void every_truncation_is_refused(void)
{
	struct nk_stun_response r;
	uint8_t m[sizeof(rfc5769_ipv6)];
	size_t len;

	for (len = 20; len < sizeof(m); len += 4) {
		memcpy(m, rfc5769_ipv6, sizeof(m));
		m[2] = (len - 20) >> 8;
		m[3] = (len - 20) & 0xff;
		/* Cut at an attribute's end it parses, else it is malformed. */
		if (len == 20 || len == 36 || len == 60 || len == 84)
			CHECK_INT(parse_exact(m, len, &r), NK_STUN_PARSED);
		else
			CHECK_INT(parse_exact(m, len, &r), NK_STUN_MALFORMED);
	}
	memcpy(m, rfc5769_ipv6, sizeof(m));
	m[2] = 0;
	m[3] = 0x44;		/* FINGERPRINT's value cut off */
	CHECK_INT(parse_exact(m, sizeof(m) - 4, &r), NK_STUN_MALFORMED);
}

static void malformed_attributes(void)
{
	struct nk_stun_response r;
	struct msg m;

	/* An attribute that runs past the end. */
	msg_start(&m, 0x0101);
	msg_attr(&m, 0x0020, xma_v4, sizeof(xma_v4));
	m.b[23] = 12;
	CHECK_INT(parse_exact(m.b, m.len, &r), NK_STUN_MALFORMED);
	/* A length of 0xffff. */
	m.b[22] = 0xff;
	m.b[23] = 0xff;
	CHECK_INT(parse_exact(m.b, m.len, &r), NK_STUN_MALFORMED);

	/* An odd length whose padding is missing: 4 + 5 > 8 bytes left. */
	msg_start(&m, 0x0101);
	msg_attr(&m, 0x8022, "abcd", 4);
	m.b[23] = 5;
	CHECK_INT(parse_exact(m.b, m.len, &r), NK_STUN_MALFORMED);
}

/* An odd-length attribute with its padding is fine, and skipped. */
static void odd_length_unknown_attribute_is_skipped(void)
{
	struct nk_stun_response r;
	struct msg m;

	msg_start(&m, 0x0101);
	msg_attr(&m, 0x8022, "odd", 3);
	msg_attr(&m, 0x7fff, "x", 1);	/* comprehension-required, unknown */
	msg_attr(&m, 0x0020, xma_v4, sizeof(xma_v4));
	CHECK_INT(parse_exact(m.b, m.len, &r), NK_STUN_PARSED);
	CHECK(r.has_mapped);
	CHECK_INT(r.mapped.port, 32853);
}

static void bad_address_attributes(void)
{
	static const struct {
		uint16_t type;
		uint8_t value[20];
		uint16_t len;
	} cases[] = {
		{ 0x0020, { 0, 1, 0xa1, 0x47, 0xe1, 0x12, 0xa6 }, 7 },	/* odd */
		{ 0x0020, { 0, 1, 0xa1, 0x47 }, 4 },			/* no address */
		{ 0x0020, { 0, 1 }, 2 },				/* no port */
		{ 0x0020, { 0 }, 0 },					/* empty */
		{ 0x0020, { 0, 3, 0xa1, 0x47, 1, 2, 3, 4 }, 8 },	/* family 3 */
		{ 0x0020, { 0, 0, 0xa1, 0x47, 1, 2, 3, 4 }, 8 },	/* family 0 */
		{ 0x0020, { 0, 2, 0xa1, 0x47, 1, 2, 3, 4 }, 8 },	/* IPv6, 4 bytes */
		{ 0x0020, { 0, 1, 0xa1, 0x47 }, 20 },			/* IPv4, 16 bytes */
		{ 0x0001, { 0, 2, 0x0d, 0x96, 1, 2, 3, 4 }, 8 },
		{ 0x0001, { 0, 1, 0x0d, 0x96, 1, 2, 3, 4, 5, 6, 7, 8 }, 12 },
	};
	struct nk_stun_response r;
	struct msg m;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		msg_start(&m, 0x0101);
		msg_attr(&m, cases[i].type, cases[i].value, cases[i].len);
		if (parse_exact(m.b, m.len, &r) != NK_STUN_MALFORMED)
			test_fail(__FILE__, __LINE__, "case %zu was accepted", i);
	}
	/* A bad second one spoils the message even after a good first. */
	msg_start(&m, 0x0101);
	msg_attr(&m, 0x0020, xma_v4, sizeof(xma_v4));
	msg_attr(&m, 0x0001, cases[4].value, 8);
	CHECK_INT(parse_exact(m.b, m.len, &r), NK_STUN_MALFORMED);
}

static void bad_fingerprints(void)
{
	struct nk_stun_response r;
	uint8_t v[sizeof(rfc5769_ipv4)];
	struct msg m;

	memcpy(v, rfc5769_ipv4, sizeof(v));
	v[sizeof(v) - 1] ^= 1;
	CHECK_INT(parse_exact(v, sizeof(v), &r), NK_STUN_MALFORMED);
	/* A changed SOFTWARE byte no longer matches the CRC. */
	memcpy(v, rfc5769_ipv4, sizeof(v));
	v[24] = 'T';
	CHECK_INT(parse_exact(v, sizeof(v), &r), NK_STUN_MALFORMED);

	/* CRC without the XOR with 0x5354554e. */
	msg_start(&m, 0x0101);
	msg_attr(&m, 0x0020, xma_v4, sizeof(xma_v4));
	msg_fingerprint(&m, 0);
	CHECK_INT(parse_exact(m.b, m.len, &r), NK_STUN_MALFORMED);

	/* Not last. */
	msg_start(&m, 0x0101);
	msg_fingerprint(&m, 0x5354554eu);
	msg_attr(&m, 0x0020, xma_v4, sizeof(xma_v4));
	CHECK_INT(parse_exact(m.b, m.len, &r), NK_STUN_MALFORMED);

	/* Of the wrong length. */
	msg_start(&m, 0x0101);
	msg_attr(&m, 0x8028, "\0\0\0\0\0\0\0\0", 8);
	CHECK_INT(parse_exact(m.b, m.len, &r), NK_STUN_MALFORMED);

	/* Right. */
	msg_start(&m, 0x0101);
	msg_attr(&m, 0x0020, xma_v4, sizeof(xma_v4));
	msg_fingerprint(&m, 0x5354554eu);
	CHECK_INT(parse_exact(m.b, m.len, &r), NK_STUN_PARSED);
	CHECK(r.has_mapped);
}

/* Crash inputs the fuzzer found are kept here (none so far). */

static const struct test_case cases[] = {
	TEST_CASE(reference_crc_matches_known_vectors),
	TEST_CASE(builds_request_without_fingerprint),
	TEST_CASE(builds_request_with_fingerprint),
	TEST_CASE(request_fingerprint_follows_txid),
	TEST_CASE(looks_like_checks_the_header),
	TEST_CASE(parses_rfc5769_ipv4_response),
	TEST_CASE(parses_rfc5769_ipv6_response),
	TEST_CASE(parses_mapped_address_of_old_server),
	TEST_CASE(xor_mapped_wins_in_either_order),
	TEST_CASE(first_xor_mapped_address_counts),
	TEST_CASE(success_without_address),
	TEST_CASE(error_responses),
	TEST_CASE(other_messages_are_not_binding_responses),
	TEST_CASE(not_stun),
	TEST_CASE(every_truncation_is_refused),
	TEST_CASE(malformed_attributes),
	TEST_CASE(odd_length_unknown_attribute_is_skipped),
	TEST_CASE(bad_address_attributes),
	TEST_CASE(bad_fingerprints),
};

TEST_SUITE(stun_suite, cases);

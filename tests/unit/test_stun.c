// SPDX-License-Identifier: GPL-2.0
/* STUN Binding Request and response parse (kmod/proto/stun.c). */
#include <arpa/inet.h>
#include <stdlib.h>

#include "nk_array.h"
#include "proto_vectors.h"
#include "runner.h"

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

static void check_address(const struct nk_stun_vector *v, const struct nk_proto_addr *a)
{
	uint8_t want[16] = { 0 };
	int family = strchr(v->mapped.ip, ':') ? AF_INET6 : AF_INET;

	CHECK_INT(inet_pton(family, v->mapped.ip, want), 1);
	if (a->family != (family == AF_INET ? NK_PROTO_AF_INET : NK_PROTO_AF_INET6) ||
	    a->port != v->mapped.port ||
	    memcmp(a->addr, want, family == AF_INET ? 4 : 16))
		test_fail(__FILE__, __LINE__, "%s: mapped is not %s port %u (family %u port %u)",
			  v->name, v->mapped.ip, v->mapped.port, a->family, a->port);
}

/* A shared vector (tests/vectors/proto_vectors.h), as KUnit checks it too. */
static void check_vector(const struct nk_stun_vector *v)
{
	struct nk_stun_response r;
	enum nk_stun_parse_result got;

	if (nk_stun_looks_like(v->msg, v->len) != (v->result != NK_STUN_NOT_STUN))
		test_fail(__FILE__, __LINE__, "%s: nk_stun_looks_like() disagrees", v->name);
	got = parse_exact(v->msg, v->len, &r);
	if (got != v->result) {
		test_fail(__FILE__, __LINE__, "%s: parse gives %d, expected %d",
			  v->name, got, v->result);
		return;
	}
	if (got != NK_STUN_PARSED)
		return;
	if (memcmp(r.txid, nk_rfc5769_txid, sizeof(r.txid)))
		test_fail(__FILE__, __LINE__, "%s: txid", v->name);
	if (r.success != v->success || r.has_mapped != v->has_mapped)
		test_fail(__FILE__, __LINE__, "%s: success %d has_mapped %d, expected %d %d",
			  v->name, r.success, r.has_mapped, v->success, v->has_mapped);
	else if (v->has_mapped)
		check_address(v, &r.mapped);
}

DEFINE_CHECK_TOPIC(nk_stun_vectors, check_vector)

static void every_shared_vector(void)
{
	check_topic("");
}

static void reference_crc_matches_known_vectors(void)
{
	CHECK_INT(ref_crc32((const uint8_t *)"123456789", 9), 0xcbf43926u);
	CHECK_INT(ref_crc32(nk_rfc5769_request, sizeof(nk_rfc5769_request) - 8) ^
		  NK_STUN_FINGERPRINT_XOR, 0xe57a3bcfu);
	CHECK_INT(ref_crc32(nk_rfc5769_ipv4, sizeof(nk_rfc5769_ipv4) - 8) ^
		  NK_STUN_FINGERPRINT_XOR, 0xc07d4c96u);
}

static void builds_request_without_fingerprint(void)
{
	uint8_t buf[NK_STUN_REQUEST_MAX_LEN + 4];

	memset(buf, 0xee, sizeof(buf));
	CHECK_INT(nk_stun_build_request(buf, nk_rfc5769_txid, false), 20);
	CHECK(!memcmp(buf, nk_stun_request_plain, 20));
	CHECK_INT(buf[20], 0xee);
	CHECK(nk_stun_looks_like(buf, 20));
}

static void builds_request_with_fingerprint(void)
{
	uint8_t buf[NK_STUN_REQUEST_MAX_LEN + 4];

	memset(buf, 0xee, sizeof(buf));
	CHECK_INT(nk_stun_build_request(buf, nk_rfc5769_txid, true), 28);
	CHECK(!memcmp(buf, nk_stun_request_fingerprint, 28));
	CHECK_INT(buf[28], 0xee);
	CHECK_INT(be32_at(buf + 24), ref_crc32(buf, 20) ^ NK_STUN_FINGERPRINT_XOR);
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
		CHECK_INT(be32_at(buf + 24), ref_crc32(buf, 20) ^ NK_STUN_FINGERPRINT_XOR);
	}
}

static void looks_like_checks_the_header(void)
{
	uint8_t m[sizeof(nk_rfc5769_ipv4)];

	CHECK(nk_stun_looks_like(nk_rfc5769_ipv4, sizeof(nk_rfc5769_ipv4)));
	CHECK(nk_stun_looks_like(nk_rfc5769_request, sizeof(nk_rfc5769_request)));
	CHECK(!nk_stun_looks_like(nk_rfc5769_ipv4, 19));
	CHECK(!nk_stun_looks_like(nk_rfc5769_ipv4, 0));
	/* Fewer bytes than the header says. */
	CHECK(!nk_stun_looks_like(nk_rfc5769_ipv4, sizeof(nk_rfc5769_ipv4) - 4));
	memcpy(m, nk_rfc5769_ipv4, sizeof(m));
	m[0] |= 0x40;		/* top bits: not STUN (e.g. RTP, SIP's 'S') */
	CHECK(!nk_stun_looks_like(m, sizeof(m)));
	memcpy(m, nk_rfc5769_ipv4, sizeof(m));
	m[5] ^= 1;		/* magic cookie */
	CHECK(!nk_stun_looks_like(m, sizeof(m)));
	memcpy(m, nk_rfc5769_ipv4, sizeof(m));
	m[3] = 0x3b;		/* length not a multiple of 4 */
	CHECK(!nk_stun_looks_like(m, sizeof(m) - 1));
	CHECK(!nk_stun_looks_like((const uint8_t *)"SIP/2.0 200 OK\r\n\r\n  ", 20));
}

static void parses_rfc5769_ipv4_response(void)
{
	check_topic("RFC 5769 IPv4");
}

static void parses_rfc5769_ipv6_response(void)
{
	check_topic("RFC 5769 IPv6");
}

/*
 * An RFC 3489 server sees our cookie as part of its 128-bit transaction
 * id, echoes it, and answers with MAPPED-ADDRESS only.
 */
static void parses_mapped_address_of_old_server(void)
{
	check_topic("old server:");
}

static void xor_mapped_wins_in_either_order(void)
{
	check_topic("both addresses:");
}

/* Only the first of each attribute counts (RFC 8489, 14). */
static void first_xor_mapped_address_counts(void)
{
	check_topic("first XOR-MAPPED-ADDRESS");
}

static void success_without_address(void)
{
	check_topic("no address:");
}

/* An error response is parsed, but tells no mapping even if it has one. */
static void error_responses(void)
{
	check_topic("error response:");
}

static void other_messages_are_not_binding_responses(void)
{
	check_topic("not a Binding response:");
}

static void not_stun(void)
{
	check_topic("not STUN:");
}

/* Every prefix and every header length: never a read past the end. */
static void every_truncation_is_refused(void)
{
	struct nk_stun_response r;
	uint8_t m[sizeof(nk_rfc5769_ipv6)];
	size_t len;

	for (len = 20; len < sizeof(m); len += 4) {
		memcpy(m, nk_rfc5769_ipv6, sizeof(m));
		m[2] = (len - 20) >> 8;
		m[3] = (len - 20) & 0xff;
		/* Cut at an attribute's end it parses, else it is malformed. */
		if (len == 20 || len == 36 || len == 60 || len == 84)
			CHECK_INT(parse_exact(m, len, &r), NK_STUN_PARSED);
		else
			CHECK_INT(parse_exact(m, len, &r), NK_STUN_MALFORMED);
	}
	check_topic("truncated:");
}

static void malformed_attributes(void)
{
	check_topic("overrun:");
}

/* An odd-length attribute with its padding is fine, and skipped. */
static void odd_length_unknown_attribute_is_skipped(void)
{
	check_topic("unknown attributes");
}

static void bad_address_attributes(void)
{
	check_topic("bad address:");
}

static void bad_fingerprints(void)
{
	check_topic("bad FINGERPRINT:");
	check_topic("right FINGERPRINT");
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
	TEST_CASE(every_shared_vector),
};

TEST_SUITE(stun_suite, cases);

/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Test vectors of the shared protocol code (kmod/proto), written once for
 * both worlds that test it: the userspace unit tests (tests/unit, under ASan
 * and UBSan) and the KUnit suites in the UML kernel (kmod/tests). Plain C
 * that compiles in both: proto.h's types, static const tables, no calls.
 *
 * Addresses are expected as text ("192.0.2.1", "2001:db8::10"), which each
 * world turns into bytes with its own, independent parser (inet_pton(),
 * in4_pton()/in6_pton()): a family follows from a ':' in the text.
 */
#ifndef _NK_PROTO_VECTORS_H
#define _NK_PROTO_VECTORS_H

#include "proto.h"
#include "custom_spec.h"
#include "sip.h"
#include "stun.h"

/* A string literal or char array, and its length without the final NUL. */
#define NK_VEC_TEXT(s)		.text = (s), .len = sizeof(s) - 1
/* A byte array and its length. */
#define NK_VEC_BYTES(a)		.msg = (a), .len = sizeof(a)

/* An expected address and port; .ip NULL: none expected. */
struct nk_vec_addr {
	const char *ip;
	uint16_t port;
};

/* ---------------------------------------------------------------- STUN */

/* The transaction id of every RFC 5769 test vector, and of ours. */
static const uint8_t nk_rfc5769_txid[NK_STUN_TXID_LEN] = {
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86,
	0xfa, 0x87, 0xdf, 0xae,
};

/* RFC 5769, 2.1: a request whose FINGERPRINT is 0xe57a3bcf. */
static const uint8_t nk_rfc5769_request[] = {
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
static const uint8_t nk_rfc5769_ipv4[] = {
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
static const uint8_t nk_rfc5769_ipv6[] = {
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

/* The mappings the RFC 5769 responses tell. */
#define NK_RFC5769_MAPPED_IPV4	"192.0.2.1"
#define NK_RFC5769_MAPPED_IPV6	"2001:db8:1234:5678:11:2233:4455:6677"
#define NK_RFC5769_MAPPED_PORT	32853

/* FINGERPRINT (RFC 8489, 14.7): CRC-32 of what precedes it, XOR this. */
#define NK_STUN_FINGERPRINT_XOR	0x5354554eu

/* nk_stun_build_request() with the RFC 5769 transaction id, no FINGERPRINT. */
static const uint8_t nk_stun_request_plain[NK_STUN_HEADER_LEN] = {
	0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
};

/* The same with FINGERPRINT, its value computed independently (zlib). */
static const uint8_t nk_stun_request_fingerprint[NK_STUN_REQUEST_MAX_LEN] = {
	0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x80, 0x28, 0x00, 0x04, 0xfd, 0xf6, 0xae, 0x02,
};

/*
 * Responses the RFC has no vector of, all with the RFC 5769 transaction id.
 * XOR-MAPPED-ADDRESS 192.0.2.1:32853 is 00 01 a1 47 e1 12 a6 43 (as in RFC
 * 5769, 2.2); MAPPED-ADDRESS 198.51.100.7:3478 is 00 01 0d 96 c6 33 64 07.
 */
static const char nk_stun_sip_text[] = "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";

/* RFC 3489 server: MAPPED-ADDRESS 198.51.100.7:3478, SOURCE-ADDRESS */
static const uint8_t nk_stun_mapped_only[] = {
	0x01, 0x01, 0x00, 0x18, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x01, 0x00, 0x08, 0x00, 0x01, 0x0d, 0x96,
	0xc6, 0x33, 0x64, 0x07, 0x00, 0x04, 0x00, 0x08,
	0x00, 0x00, 0x0d, 0x97, 0xc6, 0x33, 0x64, 0x08,
};

/* XOR-MAPPED-ADDRESS 192.0.2.1:32853, then MAPPED-ADDRESS */
static const uint8_t nk_stun_xor_then_mapped[] = {
	0x01, 0x01, 0x00, 0x18, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47,
	0xe1, 0x12, 0xa6, 0x43, 0x00, 0x01, 0x00, 0x08,
	0x00, 0x01, 0x0d, 0x96, 0xc6, 0x33, 0x64, 0x07,
};

/* MAPPED-ADDRESS, then XOR-MAPPED-ADDRESS 192.0.2.1:32853 */
static const uint8_t nk_stun_mapped_then_xor[] = {
	0x01, 0x01, 0x00, 0x18, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x01, 0x00, 0x08, 0x00, 0x01, 0x0d, 0x96,
	0xc6, 0x33, 0x64, 0x07, 0x00, 0x20, 0x00, 0x08,
	0x00, 0x01, 0xa1, 0x47, 0xe1, 0x12, 0xa6, 0x43,
};

/* two XOR-MAPPED-ADDRESS: 192.0.2.1:32853, then 192.0.2.2:32854 */
static const uint8_t nk_stun_two_xor_mapped[] = {
	0x01, 0x01, 0x00, 0x18, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47,
	0xe1, 0x12, 0xa6, 0x43, 0x00, 0x20, 0x00, 0x08,
	0x00, 0x01, 0xa1, 0x48, 0xe1, 0x12, 0xa6, 0x44,
};

/* success without attributes */
static const uint8_t nk_stun_no_address[] = {
	0x01, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
};

/* success with SOFTWARE and FINGERPRINT only */
static const uint8_t nk_stun_no_address_fingerprint[] = {
	0x01, 0x01, 0x00, 0x14, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x80, 0x22, 0x00, 0x07, 0x6e, 0x61, 0x74, 0x6b,
	0x65, 0x65, 0x70, 0x00, 0x80, 0x28, 0x00, 0x04,
	0x99, 0x1d, 0x9a, 0x56,
};

/* error response: ERROR-CODE 400 Bad Request, FINGERPRINT */
static const uint8_t nk_stun_error_code[] = {
	0x01, 0x11, 0x00, 0x1c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x09, 0x00, 0x0f, 0x00, 0x00, 0x04, 0x00,
	0x42, 0x61, 0x64, 0x20, 0x52, 0x65, 0x71, 0x75,
	0x65, 0x73, 0x74, 0x00, 0x80, 0x28, 0x00, 0x04,
	0x79, 0x47, 0x9e, 0x54,
};

/* error response with an XOR-MAPPED-ADDRESS */
static const uint8_t nk_stun_error_with_address[] = {
	0x01, 0x11, 0x00, 0x0c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47,
	0xe1, 0x12, 0xa6, 0x43,
};

/* Binding request with an XOR-MAPPED-ADDRESS */
static const uint8_t nk_stun_request_with_address[] = {
	0x00, 0x01, 0x00, 0x0c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47,
	0xe1, 0x12, 0xa6, 0x43,
};

/* Binding indication */
static const uint8_t nk_stun_indication[] = {
	0x00, 0x11, 0x00, 0x0c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47,
	0xe1, 0x12, 0xa6, 0x43,
};

/* TURN Allocate success */
static const uint8_t nk_stun_allocate_success[] = {
	0x01, 0x03, 0x00, 0x0c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47,
	0xe1, 0x12, 0xa6, 0x43,
};

/* TURN Allocate error */
static const uint8_t nk_stun_allocate_error[] = {
	0x01, 0x13, 0x00, 0x0c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47,
	0xe1, 0x12, 0xa6, 0x43,
};

/* TURN Refresh success */
static const uint8_t nk_stun_refresh_success[] = {
	0x01, 0x04, 0x00, 0x0c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47,
	0xe1, 0x12, 0xa6, 0x43,
};

/* RFC 5769 IPv6 response cut to 28 bytes, in SOFTWARE */
static const uint8_t nk_stun_cut_in_attribute[] = {
	0x01, 0x01, 0x00, 0x08, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74,
};

/* RFC 5769 IPv6 response without FINGERPRINT's value */
static const uint8_t nk_stun_cut_in_fingerprint[] = {
	0x01, 0x01, 0x00, 0x44, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74,
	0x20, 0x76, 0x65, 0x63, 0x74, 0x6f, 0x72, 0x20,
	0x00, 0x20, 0x00, 0x14, 0x00, 0x02, 0xa1, 0x47,
	0x01, 0x13, 0xa9, 0xfa, 0xa5, 0xd3, 0xf1, 0x79,
	0xbc, 0x25, 0xf4, 0xb5, 0xbe, 0xd2, 0xb9, 0xd9,
	0x00, 0x08, 0x00, 0x14, 0xa3, 0x82, 0x95, 0x4e,
	0x4b, 0xe6, 0x7b, 0xf1, 0x17, 0x84, 0xc9, 0x7c,
	0x82, 0x92, 0xc2, 0x75, 0xbf, 0xe3, 0xed, 0x41,
	0x80, 0x28, 0x00, 0x04,
};

/* XOR-MAPPED-ADDRESS whose length (12) runs past the end */
static const uint8_t nk_stun_attr_overrun[] = {
	0x01, 0x01, 0x00, 0x0c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x0c, 0x00, 0x01, 0xa1, 0x47,
	0xe1, 0x12, 0xa6, 0x43,
};

/* an attribute length of 0xffff */
static const uint8_t nk_stun_attr_len_ffff[] = {
	0x01, 0x01, 0x00, 0x0c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0xff, 0xff, 0x00, 0x01, 0xa1, 0x47,
	0xe1, 0x12, 0xa6, 0x43,
};

/* SOFTWARE of length 5 without its padding */
static const uint8_t nk_stun_odd_len_no_padding[] = {
	0x01, 0x01, 0x00, 0x08, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x80, 0x22, 0x00, 0x05, 0x61, 0x62, 0x63, 0x64,
};

/* odd-length SOFTWARE, unknown 0x7fff, XOR-MAPPED-ADDRESS */
static const uint8_t nk_stun_odd_len_unknown[] = {
	0x01, 0x01, 0x00, 0x1c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x80, 0x22, 0x00, 0x03, 0x6f, 0x64, 0x64, 0x00,
	0x7f, 0xff, 0x00, 0x01, 0x78, 0x00, 0x00, 0x00,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47,
	0xe1, 0x12, 0xa6, 0x43,
};

/* XOR-MAPPED-ADDRESS of 7 bytes */
static const uint8_t nk_stun_xma_odd_len[] = {
	0x01, 0x01, 0x00, 0x0c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x07, 0x00, 0x01, 0xa1, 0x47,
	0xe1, 0x12, 0xa6, 0x00,
};

/* XOR-MAPPED-ADDRESS without an address */
static const uint8_t nk_stun_xma_no_address[] = {
	0x01, 0x01, 0x00, 0x08, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x04, 0x00, 0x01, 0xa1, 0x47,
};

/* XOR-MAPPED-ADDRESS without a port */
static const uint8_t nk_stun_xma_no_port[] = {
	0x01, 0x01, 0x00, 0x08, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x02, 0x00, 0x01, 0x00, 0x00,
};

/* empty XOR-MAPPED-ADDRESS */
static const uint8_t nk_stun_xma_empty[] = {
	0x01, 0x01, 0x00, 0x04, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x00,
};

/* XOR-MAPPED-ADDRESS of family 3 */
static const uint8_t nk_stun_xma_family_3[] = {
	0x01, 0x01, 0x00, 0x0c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x03, 0xa1, 0x47,
	0x01, 0x02, 0x03, 0x04,
};

/* XOR-MAPPED-ADDRESS of family 0 */
static const uint8_t nk_stun_xma_family_0[] = {
	0x01, 0x01, 0x00, 0x0c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x00, 0xa1, 0x47,
	0x01, 0x02, 0x03, 0x04,
};

/* XOR-MAPPED-ADDRESS: IPv6 in 4 bytes */
static const uint8_t nk_stun_xma_ipv6_short[] = {
	0x01, 0x01, 0x00, 0x0c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x02, 0xa1, 0x47,
	0x01, 0x02, 0x03, 0x04,
};

/* XOR-MAPPED-ADDRESS: IPv4 in 16 bytes */
static const uint8_t nk_stun_xma_ipv4_long[] = {
	0x01, 0x01, 0x00, 0x18, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x14, 0x00, 0x01, 0xa1, 0x47,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* MAPPED-ADDRESS: IPv6 in 4 bytes */
static const uint8_t nk_stun_ma_ipv6_short[] = {
	0x01, 0x01, 0x00, 0x0c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x01, 0x00, 0x08, 0x00, 0x02, 0x0d, 0x96,
	0x01, 0x02, 0x03, 0x04,
};

/* MAPPED-ADDRESS: IPv4 in 8 bytes */
static const uint8_t nk_stun_ma_ipv4_long[] = {
	0x01, 0x01, 0x00, 0x10, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x01, 0x00, 0x0c, 0x00, 0x01, 0x0d, 0x96,
	0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
};

/* a good XOR-MAPPED-ADDRESS, then a MAPPED-ADDRESS of family 3 */
static const uint8_t nk_stun_bad_after_good[] = {
	0x01, 0x01, 0x00, 0x18, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47,
	0xe1, 0x12, 0xa6, 0x43, 0x00, 0x01, 0x00, 0x08,
	0x00, 0x03, 0xa1, 0x47, 0x01, 0x02, 0x03, 0x04,
};

/* RFC 5769 IPv4 response, FINGERPRINT's last bit flipped */
static const uint8_t nk_stun_fp_flipped[] = {
	0x01, 0x01, 0x00, 0x3c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x80, 0x22, 0x00, 0x0b, 0x74, 0x65, 0x73, 0x74,
	0x20, 0x76, 0x65, 0x63, 0x74, 0x6f, 0x72, 0x20,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47,
	0xe1, 0x12, 0xa6, 0x43, 0x00, 0x08, 0x00, 0x14,
	0x2b, 0x91, 0xf5, 0x99, 0xfd, 0x9e, 0x90, 0xc3,
	0x8c, 0x74, 0x89, 0xf9, 0x2a, 0xf9, 0xba, 0x53,
	0xf0, 0x6b, 0xe7, 0xd7, 0x80, 0x28, 0x00, 0x04,
	0xc0, 0x7d, 0x4c, 0x97,
};

/* RFC 5769 IPv4 response, SOFTWARE changed after FINGERPRINT */
static const uint8_t nk_stun_fp_stale[] = {
	0x01, 0x01, 0x00, 0x3c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x80, 0x22, 0x00, 0x0b, 0x54, 0x65, 0x73, 0x74,
	0x20, 0x76, 0x65, 0x63, 0x74, 0x6f, 0x72, 0x20,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47,
	0xe1, 0x12, 0xa6, 0x43, 0x00, 0x08, 0x00, 0x14,
	0x2b, 0x91, 0xf5, 0x99, 0xfd, 0x9e, 0x90, 0xc3,
	0x8c, 0x74, 0x89, 0xf9, 0x2a, 0xf9, 0xba, 0x53,
	0xf0, 0x6b, 0xe7, 0xd7, 0x80, 0x28, 0x00, 0x04,
	0xc0, 0x7d, 0x4c, 0x96,
};

/* FINGERPRINT without the XOR with 0x5354554e */
static const uint8_t nk_stun_fp_no_xor[] = {
	0x01, 0x01, 0x00, 0x14, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47,
	0xe1, 0x12, 0xa6, 0x43, 0x80, 0x28, 0x00, 0x04,
	0x2e, 0x7c, 0x4a, 0x17,
};

/* FINGERPRINT, then XOR-MAPPED-ADDRESS */
static const uint8_t nk_stun_fp_not_last[] = {
	0x01, 0x01, 0x00, 0x14, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x80, 0x28, 0x00, 0x04, 0x98, 0x91, 0x95, 0x44,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47,
	0xe1, 0x12, 0xa6, 0x43,
};

/* FINGERPRINT of 8 bytes */
static const uint8_t nk_stun_fp_long[] = {
	0x01, 0x01, 0x00, 0x0c, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x80, 0x28, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
};

/* XOR-MAPPED-ADDRESS 192.0.2.1:32853, right FINGERPRINT */
static const uint8_t nk_stun_fp_right[] = {
	0x01, 0x01, 0x00, 0x14, 0x21, 0x12, 0xa4, 0x42,
	0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
	0x00, 0x20, 0x00, 0x08, 0x00, 0x01, 0xa1, 0x47,
	0xe1, 0x12, 0xa6, 0x43, 0x80, 0x28, 0x00, 0x04,
	0x7d, 0x28, 0x1f, 0x59,
};

/*
 * What nk_stun_parse_response() makes of a message. The transaction id of
 * a parsed one is nk_rfc5769_txid; .mapped is checked when .has_mapped.
 * Names begin with the topic they test ("bad address: ..."), so that a test
 * can pick a topic's vectors by that prefix.
 */
struct nk_stun_vector {
	const char *name;
	const uint8_t *msg;
	size_t len;
	enum nk_stun_parse_result result;
	bool success;
	bool has_mapped;
	struct nk_vec_addr mapped;
};

#define NK_STUN_VEC_MAPPED_XMA	{ NK_RFC5769_MAPPED_IPV4, NK_RFC5769_MAPPED_PORT }

static const struct nk_stun_vector nk_stun_vectors[] = {
	{ .name = "RFC 5769 IPv4 response", NK_VEC_BYTES(nk_rfc5769_ipv4),
	  .success = true, .has_mapped = true, .mapped = NK_STUN_VEC_MAPPED_XMA },
	{ .name = "RFC 5769 IPv6 response", NK_VEC_BYTES(nk_rfc5769_ipv6),
	  .success = true, .has_mapped = true,
	  .mapped = { NK_RFC5769_MAPPED_IPV6, NK_RFC5769_MAPPED_PORT } },
	{ .name = "old server: MAPPED-ADDRESS only", NK_VEC_BYTES(nk_stun_mapped_only),
	  .success = true, .has_mapped = true, .mapped = { "198.51.100.7", 3478 } },
	{ .name = "both addresses: XOR-MAPPED-ADDRESS first",
	  NK_VEC_BYTES(nk_stun_xor_then_mapped),
	  .success = true, .has_mapped = true, .mapped = NK_STUN_VEC_MAPPED_XMA },
	{ .name = "both addresses: MAPPED-ADDRESS first",
	  NK_VEC_BYTES(nk_stun_mapped_then_xor),
	  .success = true, .has_mapped = true, .mapped = NK_STUN_VEC_MAPPED_XMA },
	{ .name = "first XOR-MAPPED-ADDRESS counts", NK_VEC_BYTES(nk_stun_two_xor_mapped),
	  .success = true, .has_mapped = true, .mapped = NK_STUN_VEC_MAPPED_XMA },
	{ .name = "no address: no attributes", NK_VEC_BYTES(nk_stun_no_address),
	  .success = true },
	{ .name = "no address: SOFTWARE and FINGERPRINT",
	  NK_VEC_BYTES(nk_stun_no_address_fingerprint), .success = true },
	{ .name = "error response: ERROR-CODE", NK_VEC_BYTES(nk_stun_error_code) },
	{ .name = "error response: with XOR-MAPPED-ADDRESS",
	  NK_VEC_BYTES(nk_stun_error_with_address) },
	{ .name = "not a Binding response: RFC 5769 request",
	  NK_VEC_BYTES(nk_rfc5769_request), .result = NK_STUN_NOT_BINDING_RESPONSE },
	{ .name = "not a Binding response: request with an address",
	  NK_VEC_BYTES(nk_stun_request_with_address),
	  .result = NK_STUN_NOT_BINDING_RESPONSE },
	{ .name = "not a Binding response: indication", NK_VEC_BYTES(nk_stun_indication),
	  .result = NK_STUN_NOT_BINDING_RESPONSE },
	{ .name = "not a Binding response: Allocate success",
	  NK_VEC_BYTES(nk_stun_allocate_success),
	  .result = NK_STUN_NOT_BINDING_RESPONSE },
	{ .name = "not a Binding response: Allocate error",
	  NK_VEC_BYTES(nk_stun_allocate_error),
	  .result = NK_STUN_NOT_BINDING_RESPONSE },
	{ .name = "not a Binding response: Refresh success",
	  NK_VEC_BYTES(nk_stun_refresh_success),
	  .result = NK_STUN_NOT_BINDING_RESPONSE },
	{ .name = "not STUN: a SIP response", .msg = (const uint8_t *)nk_stun_sip_text,
	  .len = sizeof(nk_stun_sip_text) - 1, .result = NK_STUN_NOT_STUN },
	{ .name = "not STUN: empty", .msg = nk_rfc5769_ipv4, .len = 0,
	  .result = NK_STUN_NOT_STUN },
	{ .name = "not STUN: 12 bytes", .msg = nk_rfc5769_ipv4, .len = 12,
	  .result = NK_STUN_NOT_STUN },
	/* Cut short: the header's length no longer matches. */
	{ .name = "not STUN: fewer bytes than the header says", .msg = nk_rfc5769_ipv4,
	  .len = sizeof(nk_rfc5769_ipv4) - 8, .result = NK_STUN_NOT_STUN },
	{ .name = "truncated: inside SOFTWARE", NK_VEC_BYTES(nk_stun_cut_in_attribute),
	  .result = NK_STUN_MALFORMED },
	{ .name = "truncated: inside FINGERPRINT", NK_VEC_BYTES(nk_stun_cut_in_fingerprint),
	  .result = NK_STUN_MALFORMED },
	{ .name = "overrun: attribute past the end", NK_VEC_BYTES(nk_stun_attr_overrun),
	  .result = NK_STUN_MALFORMED },
	{ .name = "overrun: attribute length 0xffff", NK_VEC_BYTES(nk_stun_attr_len_ffff),
	  .result = NK_STUN_MALFORMED },
	{ .name = "overrun: odd length without its padding",
	  NK_VEC_BYTES(nk_stun_odd_len_no_padding), .result = NK_STUN_MALFORMED },
	{ .name = "unknown attributes of odd length are skipped",
	  NK_VEC_BYTES(nk_stun_odd_len_unknown),
	  .success = true, .has_mapped = true, .mapped = NK_STUN_VEC_MAPPED_XMA },
	{ .name = "bad address: XOR-MAPPED-ADDRESS of 7 bytes",
	  NK_VEC_BYTES(nk_stun_xma_odd_len), .result = NK_STUN_MALFORMED },
	{ .name = "bad address: XOR-MAPPED-ADDRESS without an address",
	  NK_VEC_BYTES(nk_stun_xma_no_address), .result = NK_STUN_MALFORMED },
	{ .name = "bad address: XOR-MAPPED-ADDRESS without a port",
	  NK_VEC_BYTES(nk_stun_xma_no_port), .result = NK_STUN_MALFORMED },
	{ .name = "bad address: empty XOR-MAPPED-ADDRESS",
	  NK_VEC_BYTES(nk_stun_xma_empty), .result = NK_STUN_MALFORMED },
	{ .name = "bad address: XOR-MAPPED-ADDRESS of family 3",
	  NK_VEC_BYTES(nk_stun_xma_family_3), .result = NK_STUN_MALFORMED },
	{ .name = "bad address: XOR-MAPPED-ADDRESS of family 0",
	  NK_VEC_BYTES(nk_stun_xma_family_0), .result = NK_STUN_MALFORMED },
	{ .name = "bad address: XOR-MAPPED-ADDRESS, IPv6 in 4 bytes",
	  NK_VEC_BYTES(nk_stun_xma_ipv6_short), .result = NK_STUN_MALFORMED },
	{ .name = "bad address: XOR-MAPPED-ADDRESS, IPv4 in 16 bytes",
	  NK_VEC_BYTES(nk_stun_xma_ipv4_long), .result = NK_STUN_MALFORMED },
	{ .name = "bad address: MAPPED-ADDRESS, IPv6 in 4 bytes",
	  NK_VEC_BYTES(nk_stun_ma_ipv6_short), .result = NK_STUN_MALFORMED },
	{ .name = "bad address: MAPPED-ADDRESS, IPv4 in 8 bytes",
	  NK_VEC_BYTES(nk_stun_ma_ipv4_long), .result = NK_STUN_MALFORMED },
	/* A bad second one spoils the message even after a good first. */
	{ .name = "bad address: a bad one after a good one",
	  NK_VEC_BYTES(nk_stun_bad_after_good), .result = NK_STUN_MALFORMED },
	{ .name = "bad FINGERPRINT: a bit flipped", NK_VEC_BYTES(nk_stun_fp_flipped),
	  .result = NK_STUN_MALFORMED },
	{ .name = "bad FINGERPRINT: SOFTWARE changed", NK_VEC_BYTES(nk_stun_fp_stale),
	  .result = NK_STUN_MALFORMED },
	{ .name = "bad FINGERPRINT: without the XOR", NK_VEC_BYTES(nk_stun_fp_no_xor),
	  .result = NK_STUN_MALFORMED },
	{ .name = "bad FINGERPRINT: not last", NK_VEC_BYTES(nk_stun_fp_not_last),
	  .result = NK_STUN_MALFORMED },
	{ .name = "bad FINGERPRINT: 8 bytes long", NK_VEC_BYTES(nk_stun_fp_long),
	  .result = NK_STUN_MALFORMED },
	{ .name = "right FINGERPRINT", NK_VEC_BYTES(nk_stun_fp_right),
	  .success = true, .has_mapped = true, .mapped = NK_STUN_VEC_MAPPED_XMA },
};

/* ---------------------------------------------------------------- SIP */

/* kamailio 5.6 answering OPTIONS from behind a NAT (sl_send_reply). */
static const char nk_sip_kamailio_200[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 192.168.1.20:5060;rport=40312;branch=z9hG4bK776asdhds;received=203.0.113.7\r\n"
	"From: <sip:1001@sip.example.com>;tag=1928301774\r\n"
	"To: <sip:1001@sip.example.com>;tag=a6c85cf2b1e0ff8d4e5c3a1b2d3c4e5f-4f1a\r\n"
	"Call-ID: a84b4c76e66710\r\n"
	"CSeq: 1 OPTIONS\r\n"
	"Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, NOTIFY, SUBSCRIBE\r\n"
	"Accept: */*\r\n"
	"Accept-Encoding: \r\n"
	"Accept-Language: en\r\n"
	"Supported: \r\n"
	"Server: kamailio (5.6.3 (x86_64/linux))\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

/*
 * What nk_sip_parse_response() makes of @text (.result 0 or -1) and, when
 * it parses, every field: .call_id NULL for none, .cseq_method NULL for no
 * CSeq, .sent_by.ip NULL for no IP-literal sent-by, .received NULL for none;
 * .mapping is what nk_sip_response_mapping() gives (.ip NULL: false).
 * Names begin with their topic, as the STUN ones.
 */
struct nk_sip_vector {
	const char *name;
	const char *text;
	size_t len;
	int result;
	unsigned int status;
	const char *call_id;
	const char *cseq_method;
	uint32_t cseq;
	struct nk_vec_addr sent_by;
	const char *received;
	bool has_rport;
	uint16_t rport;
	struct nk_vec_addr mapping;
	const char *branch;	/* the top Via's; NULL: not checked, "": none */
};

static const struct nk_sip_vector nk_sip_vectors[] = {
	{ .name = "kamailio 200 to OPTIONS", NK_VEC_TEXT(nk_sip_kamailio_200),
	  .status = 200, .call_id = "a84b4c76e66710", .cseq_method = "OPTIONS",
	  .cseq = 1, .sent_by = { "192.168.1.20", 5060 }, .received = "203.0.113.7",
	  .has_rport = true, .rport = 40312, .mapping = { "203.0.113.7", 40312 },
	  .branch = "z9hG4bK776asdhds" },
	/* Asterisk (chan_pjsip) challenging a REGISTER. */
	{ .name = "Asterisk 401 to REGISTER",
	  NK_VEC_TEXT("SIP/2.0 401 Unauthorized\r\n"
		      "Via: SIP/2.0/UDP 10.0.0.5:5060;rport=5060;received=198.51.100.20;branch=z9hG4bKPj0b7e5b4c-2b5f-4c1e-9d0e-6f1a2b3c4d5e\r\n"
		      "Call-ID: 4b5c6d7e-8f90-1a2b-3c4d-5e6f7a8b9c0d\r\n"
		      "From: \"1001\" <sip:1001@pbx.example.org>;tag=6f4d2a1b-3c5e-4f7a-8b9c-0d1e2f3a4b5c\r\n"
		      "To: <sip:1001@pbx.example.org>;tag=z9hG4bKPj0b7e5b4c-2b5f-4c1e-9d0e-6f1a2b3c4d5e\r\n"
		      "CSeq: 7 REGISTER\r\n"
		      "WWW-Authenticate: Digest realm=\"asterisk\",nonce=\"1700000000/0123456789abcdef0123456789abcdef\",opaque=\"5a3c2b1d0e9f8a7b\",algorithm=md5,qop=\"auth\"\r\n"
		      "Server: Asterisk PBX 18.10.0\r\n"
		      "Content-Length:  0\r\n"
		      "\r\n"),
	  .status = 401, .call_id = "4b5c6d7e-8f90-1a2b-3c4d-5e6f7a8b9c0d",
	  .cseq_method = "REGISTER", .cseq = 7, .sent_by = { "10.0.0.5", 5060 },
	  .received = "198.51.100.20", .has_rport = true, .rport = 5060,
	  .mapping = { "198.51.100.20", 5060 },
	  .branch = "z9hG4bKPj0b7e5b4c-2b5f-4c1e-9d0e-6f1a2b3c4d5e" },
	{ .name = "compact form",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n"
		      "v: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKnashds8;rport=1024;received=203.0.113.9\r\n"
		      "f: <sip:1001@example.com>;tag=1\r\n"
		      "t: <sip:1001@example.com>;tag=2\r\n"
		      "i: f81d4fae-7dec-11d0-a765-00a0c91e6bf6@192.0.2.10\r\n"
		      "CSeq: 2 NOTIFY\r\n"
		      "l: 0\r\n"
		      "\r\n"),
	  .status = 200, .call_id = "f81d4fae-7dec-11d0-a765-00a0c91e6bf6@192.0.2.10",
	  .cseq_method = "NOTIFY", .cseq = 2, .sent_by = { "192.0.2.10", 5060 },
	  .received = "203.0.113.9", .has_rport = true, .rport = 1024,
	  .mapping = { "203.0.113.9", 1024 }, .branch = "z9hG4bKnashds8" },
	/* The top Via is the first value of the first Via header. */
	{ .name = "top Via: the first of several values",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n"
		      "Via: SIP/2.0/UDP 192.0.2.10:5060;rport=1111;received=203.0.113.1;branch=z9hG4bK1 , SIP/2.0/UDP 10.9.9.9:5060;rport=2222;received=198.51.100.2;branch=z9hG4bK2\r\n"
		      "Via: SIP/2.0/UDP 10.8.8.8;rport=3333;received=198.51.100.3\r\n"
		      "Call-ID: x\r\n"
		      "CSeq: 1 OPTIONS\r\n"
		      "\r\n"),
	  .status = 200, .call_id = "x", .cseq_method = "OPTIONS", .cseq = 1,
	  .sent_by = { "192.0.2.10", 5060 }, .received = "203.0.113.1",
	  .has_rport = true, .rport = 1111, .mapping = { "203.0.113.1", 1111 },
	  .branch = "z9hG4bK1" },
	/* A branch in a later Via value is not the request's. */
	{ .name = "top Via: no branch, the next has one",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n"
		      "Via: SIP/2.0/UDP 192.0.2.10:5060;rport=1111 , SIP/2.0/UDP 10.9.9.9;branch=z9hG4bK2\r\n"
		      "Via: SIP/2.0/UDP 10.8.8.8;branch=z9hG4bK3\r\n"
		      "\r\n"),
	  .status = 200, .sent_by = { "192.0.2.10", 5060 }, .has_rport = true,
	  .rport = 1111, .mapping = { "192.0.2.10", 1111 }, .branch = "" },
	/* The later Via headers are not even looked at. */
	{ .name = "top Via: the first of several headers",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n"
		      "Via: SIP/2.0/UDP 192.0.2.10:5060;rport=1111;received=203.0.113.1\r\n"
		      "Call-ID: x\r\n"
		      "via: SIP/2.0/UDP 10.9.9.9:5060;rport=2222;received=bogus\r\n"
		      "\r\n"),
	  .status = 200, .call_id = "x", .sent_by = { "192.0.2.10", 5060 },
	  .received = "203.0.113.1", .has_rport = true, .rport = 1111,
	  .mapping = { "203.0.113.1", 1111 } },
	{ .name = "folded lines",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n"
		      "Via: SIP/2.0/UDP\r\n"
		      "  192.0.2.10 : 5062\r\n"
		      " ;rport = 4000\r\n"
		      "\t;received=203.0.113.4;branch=z9hG4bKx\r\n"
		      "Call-ID:\r\n"
		      " folded@host\r\n"
		      "CSeq:\r\n"
		      " 42\r\n"
		      "\tNOTIFY\r\n"
		      "\r\n"),
	  .status = 200, .call_id = "folded@host", .cseq_method = "NOTIFY",
	  .cseq = 42, .sent_by = { "192.0.2.10", 5062 }, .received = "203.0.113.4",
	  .has_rport = true, .rport = 4000, .mapping = { "203.0.113.4", 4000 },
	  .branch = "z9hG4bKx" },
	{ .name = "names in any case",
	  NK_VEC_TEXT("sip/2.0 200 OK\r\n"
		      "VIA: SIP/2.0/UDP 192.0.2.10;RPORT=7000;Received=203.0.113.5\r\n"
		      "call-id: abc\r\n"
		      "cseq: 9 OPTIONS\r\n"
		      "\r\n"),
	  .status = 200, .call_id = "abc", .cseq_method = "OPTIONS", .cseq = 9,
	  .sent_by = { "192.0.2.10", 0 }, .received = "203.0.113.5",
	  .has_rport = true, .rport = 7000, .mapping = { "203.0.113.5", 7000 } },
	{ .name = "bare LF line ends",
	  NK_VEC_TEXT("SIP/2.0 200 OK\n"
		      "Via: SIP/2.0/UDP 192.0.2.10;rport=7000;received=203.0.113.5\n"
		      "Call-ID: abc\n"
		      "\n"),
	  .status = 200, .call_id = "abc", .sent_by = { "192.0.2.10", 0 },
	  .received = "203.0.113.5", .has_rport = true, .rport = 7000,
	  .mapping = { "203.0.113.5", 7000 } },
	/* Without rport=, no mapping: the NAT's port is unknown. */
	{ .name = "no rport: received only",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n"
		      "Via: SIP/2.0/UDP 192.168.1.20:5060;received=203.0.113.7;branch=z9hG4bK1\r\n"
		      "\r\n"),
	  .status = 200, .sent_by = { "192.168.1.20", 5060 }, .received = "203.0.113.7" },
	/* rport without a value: the server ignored RFC 3581. */
	{ .name = "no rport: rport without a value",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n"
		      "Via: SIP/2.0/UDP 192.168.1.20:5060;rport;received=203.0.113.7\r\n\r\n"),
	  .status = 200, .sent_by = { "192.168.1.20", 5060 }, .received = "203.0.113.7" },
	{ .name = "no rport: rport without a value, last",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n"
		      "Via: SIP/2.0/UDP 192.168.1.20:5060;received=203.0.113.7;rport\r\n\r\n"),
	  .status = 200, .sent_by = { "192.168.1.20", 5060 }, .received = "203.0.113.7" },
	/* rport without received: the address did not change, the port did. */
	{ .name = "rport without received: IP sent-by",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 203.0.113.7:5060;rport=5999\r\n\r\n"),
	  .status = 200, .sent_by = { "203.0.113.7", 5060 }, .has_rport = true,
	  .rport = 5999, .mapping = { "203.0.113.7", 5999 } },
	/* A host name tells no address. */
	{ .name = "rport without received: host name sent-by",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n"
		      "Via: SIP/2.0/UDP phone.example.com:5060;rport=5999\r\n\r\n"),
	  .status = 200, .has_rport = true, .rport = 5999 },
	{ .name = "IPv6: received without brackets",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n"
		      "Via: SIP/2.0/UDP [2001:db8::10]:5060;rport=5062;received=2001:db8:ffff::7;branch=z9hG4bK1\r\n"
		      "\r\n"),
	  .status = 200, .sent_by = { "2001:db8::10", 5060 },
	  .received = "2001:db8:ffff::7", .has_rport = true, .rport = 5062,
	  .mapping = { "2001:db8:ffff::7", 5062 } },
	{ .name = "IPv6: received in brackets",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n"
		      "Via: SIP/2.0/UDP [2001:db8::10];received=[2001:db8:ffff::7];rport=5062\r\n"
		      "\r\n"),
	  .status = 200, .sent_by = { "2001:db8::10", 0 },
	  .received = "2001:db8:ffff::7", .has_rport = true, .rport = 5062,
	  .mapping = { "2001:db8:ffff::7", 5062 } },
	{ .name = "IPv6: sent-by only",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n"
		      "Via: SIP/2.0/UDP [2001:db8::10]:5060;rport=5062\r\n"
		      "\r\n"),
	  .status = 200, .sent_by = { "2001:db8::10", 5060 }, .has_rport = true,
	  .rport = 5062, .mapping = { "2001:db8::10", 5062 } },
	/* Via params with values of every form, and the first rport counts. */
	{ .name = "Via params of every form",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n"
		      "Via: SIP / 2.0 / UDP 192.0.2.10:5060 ; maddr=[2001:db8::1] ;x=\"a;b,\\\"c\" ;ttl=1;rport=1000;rport=2000;received=203.0.113.1;received=203.0.113.2;lr\r\n"
		      "\r\n"),
	  .status = 200, .sent_by = { "192.0.2.10", 5060 }, .received = "203.0.113.1",
	  .has_rport = true, .rport = 1000, .mapping = { "203.0.113.1", 1000 } },
	{ .name = "status: 100 Trying", NK_VEC_TEXT("SIP/2.0 100 Trying\r\n\r\n"), .status = 100 },
	{ .name = "status: 699", NK_VEC_TEXT("SIP/2.0 699 Whatever\r\n\r\n"), .status = 699 },
	{ .name = "status: 183 Session Progress",
	  NK_VEC_TEXT("SIP/2.0 183 Session Progress\r\n\r\n"), .status = 183 },
	{ .name = "status: 200 empty reason", NK_VEC_TEXT("SIP/2.0 200 \r\n\r\n"), .status = 200 },
	{ .name = "status: 200 no reason", NK_VEC_TEXT("SIP/2.0 200\r\n\r\n"), .status = 200 },
	{ .name = "status: 503 UTF-8 reason",
	  NK_VEC_TEXT("SIP/2.0 503 Service \xc3\xa9 Unavailable\r\n\r\n"), .status = 503 },
	{ .name = "bad status line: status 099",
	  NK_VEC_TEXT("SIP/2.0 099 Low\r\n\r\n"), .result = -1 },
	{ .name = "bad status line: status 700",
	  NK_VEC_TEXT("SIP/2.0 700 High\r\n\r\n"), .result = -1 },
	{ .name = "bad status line: status of 4 digits",
	  NK_VEC_TEXT("SIP/2.0 1000 OK\r\n\r\n"), .result = -1 },
	{ .name = "bad status line: status of 2 digits",
	  NK_VEC_TEXT("SIP/2.0 20 OK\r\n\r\n"), .result = -1 },
	{ .name = "bad status line: status with letters",
	  NK_VEC_TEXT("SIP/2.0 2OO OK\r\n\r\n"), .result = -1 },
	{ .name = "bad status line: two spaces before the status",
	  NK_VEC_TEXT("SIP/2.0  200 OK\r\n\r\n"), .result = -1 },
	{ .name = "bad status line: negative status",
	  NK_VEC_TEXT("SIP/2.0 -20 OK\r\n\r\n"), .result = -1 },
	{ .name = "bad status line: no space after the status",
	  NK_VEC_TEXT("SIP/2.0 200OK\r\n\r\n"), .result = -1 },
	{ .name = "bad status line: SIP/3.0", NK_VEC_TEXT("SIP/3.0 200 OK\r\n\r\n"), .result = -1 },
	{ .name = "bad status line: SIP/2.00",
	  NK_VEC_TEXT("SIP/2.00 200 OK\r\n\r\n"), .result = -1 },
	{ .name = "bad status line: HTTP", NK_VEC_TEXT("HTTP/1.1 200 OK\r\n\r\n"), .result = -1 },
	{ .name = "bad status line: a request",
	  NK_VEC_TEXT("OPTIONS sip:a SIP/2.0\r\n\r\n"), .result = -1 },
	{ .name = "bad status line: control character in the reason",
	  NK_VEC_TEXT("SIP/2.0 200 O\x01K\r\n\r\n"), .result = -1 },
	{ .name = "bad status line: bare CR",
	  NK_VEC_TEXT("SIP/2.0 200 OK\rVia: x\r\n\r\n"), .result = -1 },
	{ .name = "bad status line: empty", NK_VEC_TEXT(""), .result = -1 },
	{ .name = "bad status line: empty lines only", NK_VEC_TEXT("\r\n\r\n"), .result = -1 },
	{ .name = "bad status line: no line end", NK_VEC_TEXT("SIP/2.0 200 OK"), .result = -1 },
	{ .name = "bad status line: no empty line",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n"), .result = -1 },
	{ .name = "bad status line: no status", NK_VEC_TEXT("SIP/2.0\r\n\r\n"), .result = -1 },
	{ .name = "bad status line: leading space",
	  NK_VEC_TEXT(" SIP/2.0 200 OK\r\n\r\n"), .result = -1 },
	{ .name = "bad header: header without colon",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia SIP/2.0/UDP 192.0.2.1\r\n\r\n"), .result = -1 },
	{ .name = "bad header: header without colon after a good one",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nCall-ID: a\r\nJunk\r\n\r\n"), .result = -1 },
	{ .name = "bad header: continuation of nothing",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n folded\r\n\r\n"), .result = -1 },
	{ .name = "bad header: no empty line",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nCall-ID: a\r\n"), .result = -1 },
	{ .name = "bad header: empty line cut after CR",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nCall-ID: a\r\n\r"), .result = -1 },
	{ .name = "bad header: ends in a continuation",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nCall-ID: a\r\n folded"), .result = -1 },
	{ .name = "bad header: empty header name",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n: value\r\n\r\n"), .result = -1 },
	{ .name = "bad header: empty Via",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia:\r\n\r\n"), .result = -1 },
	{ .name = "bad header: Via without transport",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0 192.0.2.1\r\n\r\n"), .result = -1 },
	{ .name = "bad header: Via without sent-by",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP\r\n\r\n"), .result = -1 },
	{ .name = "bad header: Via without space before sent-by",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP192.0.2.1\r\n\r\n"), .result = -1 },
	{ .name = "bad header: Via port empty",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1:\r\n\r\n"), .result = -1 },
	{ .name = "bad header: Via port 0",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1:0\r\n\r\n"), .result = -1 },
	{ .name = "bad header: Via port 65536",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1:65536\r\n\r\n"), .result = -1 },
	{ .name = "bad header: Via IPv6 unclosed",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP [2001:db8::1\r\n\r\n"), .result = -1 },
	{ .name = "bad header: Via IPv4 in brackets",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP [192.0.2.1]\r\n\r\n"), .result = -1 },
	{ .name = "bad header: Via junk after sent-by",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1 x\r\n\r\n"), .result = -1 },
	{ .name = "bad header: Via empty param",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;\r\n\r\n"), .result = -1 },
	{ .name = "bad header: Via param without name",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;=1\r\n\r\n"), .result = -1 },
	{ .name = "bad header: Via param empty value",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;x=\r\n\r\n"), .result = -1 },
	{ .name = "bad header: Via param unclosed quote",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;x=\"open\r\n\r\n"),
	  .result = -1 },
	{ .name = "bad header: Via param escape at the end",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;x=\"esc\\\r\n\r\n"),
	  .result = -1 },
	{ .name = "bad header: received without value",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;received\r\n\r\n"),
	  .result = -1 },
	{ .name = "bad header: received host name",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n"
		      "Via: SIP/2.0/UDP 192.0.2.1;received=nat.example.com\r\n\r\n"),
	  .result = -1 },
	{ .name = "bad header: received 203.0.113.256",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n"
		      "Via: SIP/2.0/UDP 192.0.2.1;received=203.0.113.256\r\n\r\n"),
	  .result = -1 },
	{ .name = "bad header: received IPv6 with two ::",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n"
		      "Via: SIP/2.0/UDP 192.0.2.1;received=2001:db8::1::2\r\n\r\n"),
	  .result = -1 },
	{ .name = "bad header: rport=0",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;rport=0\r\n\r\n"),
	  .result = -1 },
	{ .name = "bad header: rport=65536",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;rport=65536\r\n\r\n"),
	  .result = -1 },
	{ .name = "bad header: rport of 20 digits",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n"
		      "Via: SIP/2.0/UDP 192.0.2.1;rport=99999999999999999999\r\n\r\n"),
	  .result = -1 },
	{ .name = "bad header: rport with letters",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;rport=12ab\r\n\r\n"),
	  .result = -1 },
	{ .name = "bad header: rport=-1",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;rport=-1\r\n\r\n"),
	  .result = -1 },
	{ .name = "bad header: rport= empty",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.1;rport=\r\n\r\n"),
	  .result = -1 },
	{ .name = "bad header: Call-ID blank",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nCall-ID:  \r\n\r\n"), .result = -1 },
	{ .name = "bad header: Call-ID with a space",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nCall-ID: a b\r\n\r\n"), .result = -1 },
	{ .name = "bad header: CSeq 2^32",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nCSeq: 4294967296 OPTIONS\r\n\r\n"), .result = -1 },
	{ .name = "bad header: CSeq of 20 digits",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nCSeq: 99999999999999999999 OPTIONS\r\n\r\n"),
	  .result = -1 },
	{ .name = "bad header: CSeq without number",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nCSeq: OPTIONS\r\n\r\n"), .result = -1 },
	{ .name = "bad header: CSeq without method",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nCSeq: 1\r\n\r\n"), .result = -1 },
	{ .name = "bad header: CSeq without space",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nCSeq: 1OPTIONS\r\n\r\n"), .result = -1 },
	{ .name = "bad header: CSeq negative",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nCSeq: -1 OPTIONS\r\n\r\n"), .result = -1 },
	{ .name = "bad header: CSeq junk after method",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nCSeq: 1 OPTIONS x\r\n\r\n"), .result = -1 },
	{ .name = "CSeq: the largest",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nCSeq: 4294967295 OPTIONS\r\n\r\n"),
	  .status = 200, .cseq_method = "OPTIONS", .cseq = 4294967295u },
	{ .name = "CSeq: leading zeros",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\nCSeq: 0000000000000000000001 NOTIFY\r\n\r\n"),
	  .status = 200, .cseq_method = "NOTIFY", .cseq = 1 },
	{ .name = "CSeq: 0", NK_VEC_TEXT("SIP/2.0 200 OK\r\nCSeq: 0 X\r\n\r\n"),
	  .status = 200, .cseq_method = "X", .cseq = 0 },
	/* What follows the empty line is the body: a Via there is no Via. */
	{ .name = "body: a Via after the empty line",
	  NK_VEC_TEXT("SIP/2.0 200 OK\r\n"
		      "Call-ID: abc\r\n"
		      "Content-Type: message/sipfrag\r\n"
		      "Content-Length: 86\r\n"
		      "\r\n"
		      "Via: SIP/2.0/UDP 192.0.2.10:5060;rport=1111;received=203.0.113.1\r\n"
		      "CSeq: 5 OPTIONS\r\n"),
	  .status = 200, .call_id = "abc" },
	/* Not even looked at: junk in the body does not matter. */
	{ .name = "body: junk", NK_VEC_TEXT("SIP/2.0 200 OK\r\n\r\nVia\x01\xff no colon"),
	  .status = 200 },
	{ .name = "garbage: TLS ClientHello",
	  NK_VEC_TEXT("\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03"), .result = -1 },
	{ .name = "garbage: STUN", .text = (const char *)nk_rfc5769_ipv4,
	  .len = sizeof(nk_rfc5769_ipv4), .result = -1 },
};

/* ---------------------------------------------------------------- custom spec */

/* The longest event (32) and user (64) a custom spec may carry. */
#define NK_VEC_EVENT_32	"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"
#define NK_VEC_USER_64	"uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu"

/*
 * nk_custom_spec_parse() of @len bytes of @text: with .err NULL it parses
 * to .method, .event and .user; else it fails with exactly .err.
 */
struct nk_custom_spec_vector {
	const char *name;
	const char *text;
	size_t len;
	const char *method;
	const char *event;
	const char *user;
	const char *err;
};

static const struct nk_custom_spec_vector nk_custom_spec_vectors[] = {
	/* The guide's own example, with its placeholders filled in. */
	{ .name = "OBi example", NK_VEC_TEXT("mtd=NOTIFY;event=whatever;user=anyone"),
	  .method = "NOTIFY", .event = "whatever", .user = "anyone" },
	{ .name = "NOTIFY defaults to keep-alive", NK_VEC_TEXT("mtd=NOTIFY"),
	  .method = "NOTIFY", .event = "keep-alive", .user = "" },
	/* "NOTIFY may be replaced by any other (e.g. PING)": then no event. */
	{ .name = "other method: PING", NK_VEC_TEXT("mtd=PING"),
	  .method = "PING", .event = "", .user = "" },
	{ .name = "other method: OPTIONS", NK_VEC_TEXT("mtd=OPTIONS"),
	  .method = "OPTIONS", .event = "", .user = "" },
	{ .name = "other method: INFO, trailing ;", NK_VEC_TEXT("mtd=INFO;"),
	  .method = "INFO", .event = "", .user = "" },
	{ .name = "other method: notify in lowercase", NK_VEC_TEXT("mtd=notify"),
	  .method = "notify", .event = "", .user = "" },
	{ .name = "other method: X-KEEPALIVE", NK_VEC_TEXT("mtd=X-KEEPALIVE"),
	  .method = "X-KEEPALIVE", .event = "", .user = "" },
	{ .name = "any order: user first", NK_VEC_TEXT("user=echo;mtd=PING;"),
	  .method = "PING", .event = "", .user = "echo" },
	{ .name = "any order: event first", NK_VEC_TEXT("event=ka;user=%2Bme;mtd=NOTIFY"),
	  .method = "NOTIFY", .event = "ka", .user = "%2Bme" },
	/* Only @len bytes count; what follows them is never read. */
	{ .name = "only len bytes count", .text = "mtd=PINGPONG;user=x", .len = 8,
	  .method = "PING", .event = "", .user = "" },
	{ .name = "longest event and user",
	  NK_VEC_TEXT("mtd=NOTIFY;event=" NK_VEC_EVENT_32 ";user=" NK_VEC_USER_64),
	  .method = "NOTIFY", .event = NK_VEC_EVENT_32, .user = NK_VEC_USER_64 },
	/* Each error, with the exact message that names the field at fault. */
	{ .name = "error: (empty)", NK_VEC_TEXT(""),
	  .err = "custom spec: mtd: missing (the SIP method is required)" },
	{ .name = "error: user=bob", NK_VEC_TEXT("user=bob"),
	  .err = "custom spec: mtd: missing (the SIP method is required)" },
	{ .name = "error: event=x;user=bob", NK_VEC_TEXT("event=x;user=bob"),
	  .err = "custom spec: mtd: missing (the SIP method is required)" },
	{ .name = "error: mtd=NOTIFY;foo=bar", NK_VEC_TEXT("mtd=NOTIFY;foo=bar"),
	  .err = "custom spec: unknown field (expected mtd, event or user)" },
	{ .name = "error: method=PING", NK_VEC_TEXT("method=PING"),
	  .err = "custom spec: unknown field (expected mtd, event or user)" },
	{ .name = "error: MTD=PING", NK_VEC_TEXT("MTD=PING"),
	  .err = "custom spec: unknown field (expected mtd, event or user)" },
	{ .name = "error: mtd =PING", NK_VEC_TEXT("mtd =PING"),
	  .err = "custom spec: unknown field (expected mtd, event or user)" },
	{ .name = "error: =PING", NK_VEC_TEXT("=PING"),
	  .err = "custom spec: unknown field (expected mtd, event or user)" },
	{ .name = "error: ;mtd=PING", NK_VEC_TEXT(";mtd=PING"),
	  .err = "custom spec: empty field (two ';' in a row?)" },
	{ .name = "error: mtd=PING;;", NK_VEC_TEXT("mtd=PING;;"),
	  .err = "custom spec: empty field (two ';' in a row?)" },
	{ .name = "error: mtd", NK_VEC_TEXT("mtd"),
	  .err = "custom spec: mtd: no '=' and value" },
	{ .name = "error: mtd=NOTIFY;event", NK_VEC_TEXT("mtd=NOTIFY;event"),
	  .err = "custom spec: event: no '=' and value" },
	{ .name = "error: mtd=PING;user", NK_VEC_TEXT("mtd=PING;user"),
	  .err = "custom spec: user: no '=' and value" },
	{ .name = "error: mtd=", NK_VEC_TEXT("mtd="),
	  .err = "custom spec: mtd: empty value" },
	{ .name = "error: mtd=NOTIFY;event=", NK_VEC_TEXT("mtd=NOTIFY;event="),
	  .err = "custom spec: event: empty value" },
	{ .name = "error: mtd=PING;user=", NK_VEC_TEXT("mtd=PING;user="),
	  .err = "custom spec: user: empty value" },
	{ .name = "error: mtd=PING;mtd=PING", NK_VEC_TEXT("mtd=PING;mtd=PING"),
	  .err = "custom spec: mtd: given more than once" },
	{ .name = "error: mtd=NOTIFY;event=a;event=b", NK_VEC_TEXT("mtd=NOTIFY;event=a;event=b"),
	  .err = "custom spec: event: given more than once" },
	{ .name = "error: user=a;mtd=PING;user=b", NK_VEC_TEXT("user=a;mtd=PING;user=b"),
	  .err = "custom spec: user: given more than once" },
	{ .name = "error: mtd=PING;event=keep-alive", NK_VEC_TEXT("mtd=PING;event=keep-alive"),
	  .err = "custom spec: event: only allowed with mtd=NOTIFY" },
	{ .name = "error: event=x;mtd=OPTIONS", NK_VEC_TEXT("event=x;mtd=OPTIONS"),
	  .err = "custom spec: event: only allowed with mtd=NOTIFY" },
	{ .name = "error: mtd=notify;event=x", NK_VEC_TEXT("mtd=notify;event=x"),
	  .err = "custom spec: event: only allowed with mtd=NOTIFY" },
	{ .name = "error: mtd=PI NG", NK_VEC_TEXT("mtd=PI NG"),
	  .err = "custom spec: mtd: bad characters (a SIP method is a token)" },
	{ .name = "error: mtd= PING", NK_VEC_TEXT("mtd= PING"),
	  .err = "custom spec: mtd: bad characters (a SIP method is a token)" },
	{ .name = "error: mtd=PING / X: y", NK_VEC_TEXT("mtd=PING\r\nX: y"),
	  .err = "custom spec: mtd: bad characters (a SIP method is a token)" },
	{ .name = "error: mtd=NOTIFY;event=a:b", NK_VEC_TEXT("mtd=NOTIFY;event=a:b"),
	  .err = "custom spec: event: bad characters (an event is a SIP token)" },
	{ .name = "error: mtd=PING;user=a@b", NK_VEC_TEXT("mtd=PING;user=a@b"),
	  .err = "custom spec: user: bad characters (not a SIP userid)" },
	{ .name = "error: mtd=PING;user=a b", NK_VEC_TEXT("mtd=PING;user=a b"),
	  .err = "custom spec: user: bad characters (not a SIP userid)" },
	{ .name = "error: mtd=PING;user=%zz", NK_VEC_TEXT("mtd=PING;user=%zz"),
	  .err = "custom spec: user: bad characters (not a SIP userid)" },
	{ .name = "error: mtd=PI<NUL>NG", NK_VEC_TEXT("mtd=PI\0NG"),
	  .err = "custom spec: mtd: bad characters (a SIP method is a token)" },
	{ .name = "error: mtd=PING;user=a<NUL>", NK_VEC_TEXT("mtd=PING;user=a\0"),
	  .err = "custom spec: user: bad characters (not a SIP userid)" },
	{ .name = "error: mtd<NUL>=PING", NK_VEC_TEXT("mtd\0=PING"),
	  .err = "custom spec: unknown field (expected mtd, event or user)" },
	{ .name = "error: mtd=123456789012345678901234567890123",
	  NK_VEC_TEXT("mtd=123456789012345678901234567890123"),
	  .err = "custom spec: mtd: too long (at most 32 characters)" },
	{ .name = "error: mtd=NOTIFY;event=123456789012345678901234567890123",
	  NK_VEC_TEXT("mtd=NOTIFY;event=123456789012345678901234567890123"),
	  .err = "custom spec: event: too long (at most 32 characters)" },
	{ .name = "error: mtd=PING;user= of 65 characters",
	  NK_VEC_TEXT("mtd=PING;user=" NK_VEC_USER_64 "u"),
	  .err = "custom spec: user: too long (at most 64 characters)" },
};

/* ---------------------------------------------------------------- SIP requests */

/*
 * nk_sip_build_request(@req, @via_host, @via_port, @branch, @cseq) gives
 * exactly @text.
 */
struct nk_sip_build_vector {
	const char *name;
	struct nk_sip_request req;
	const char *via_host;
	uint16_t via_port;
	const char *branch;
	uint32_t cseq;
	const char *text;
};

static const char nk_sip_build_ipv6_text[] =
	"OPTIONS sip:[2001:db8::1] SIP/2.0\r\n"
	"Via: SIP/2.0/UDP [2001:db8::10]:5060;rport;branch=z9hG4bKb6\r\n"
	"Max-Forwards: 70\r\n"
	"From: <sip:1001@sip.example.com>;tag=1928301774\r\n"
	"To: <sip:1001@[2001:db8::1]>\r\n"
	"Call-ID: a84b4c76e66710\r\n"
	"CSeq: 2 OPTIONS\r\n"
	"Contact: <sip:1001@[2001:db8::10]:5060>\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

static const struct nk_sip_build_vector nk_sip_build_vectors[] = {
	{ .name = "OPTIONS", .req = {
		.method = "OPTIONS",
		.host = "sip.example.com",
		.from_user = "1001",
		.from_domain = "sip.example.com",
		.call_id = "a84b4c76e66710",
		.from_tag = "1928301774",
	  },
	  .via_host = "192.168.1.20", .via_port = 5060, .branch = "776asdhds",
	  .cseq = 1,
	  .text = "OPTIONS sip:sip.example.com SIP/2.0\r\n"
		  "Via: SIP/2.0/UDP 192.168.1.20:5060;rport;branch=z9hG4bK776asdhds\r\n"
		  "Max-Forwards: 70\r\n"
		  "From: <sip:1001@sip.example.com>;tag=1928301774\r\n"
		  "To: <sip:1001@sip.example.com>\r\n"
		  "Call-ID: a84b4c76e66710\r\n"
		  "CSeq: 1 OPTIONS\r\n"
		  "Contact: <sip:1001@192.168.1.20:5060>\r\n"
		  "Content-Length: 0\r\n"
		  "\r\n" },
	{ .name = "NOTIFY with User-Agent",
	  .req = {
		.method = "NOTIFY",
		.event = "keep-alive",
		.host = "192.0.2.1:5070",
		.from_user = "alice",
		.from_domain = "voip.example.net",
		.user_agent = "natkeep/0.1",
		.call_id = "3848276298220188511@natkeep",
		.from_tag = "9fxced76sl",
	  },
	  .via_host = "10.0.0.2", .via_port = 5062, .branch = "4b43c2ff8",
	  .cseq = 4294967295u,
	  .text = "NOTIFY sip:192.0.2.1:5070 SIP/2.0\r\n"
		  "Via: SIP/2.0/UDP 10.0.0.2:5062;rport;branch=z9hG4bK4b43c2ff8\r\n"
		  "Max-Forwards: 70\r\n"
		  "From: <sip:alice@voip.example.net>;tag=9fxced76sl\r\n"
		  "To: <sip:alice@192.0.2.1:5070>\r\n"
		  "Call-ID: 3848276298220188511@natkeep\r\n"
		  "CSeq: 4294967295 NOTIFY\r\n"
		  "Contact: <sip:alice@10.0.0.2:5062>\r\n"
		  "Event: keep-alive\r\n"
		  "Subscription-State: active\r\n"
		  "User-Agent: natkeep/0.1\r\n"
		  "Content-Length: 0\r\n"
		  "\r\n" },
	/* mtd=PING;user=echo: the user goes into the Request-URI and To. */
	{ .name = "custom PING with a user",
	  .req = {
		.method = "PING",
		.ruri_user = "echo",
		.host = "sip.example.com",
		.from_user = "1001",
		.from_domain = "sip.example.com",
		.user_agent = "OBi/1.0 (natkeep)",
		.call_id = "a84b4c76e66710",
		.from_tag = "1928301774",
	  },
	  .via_host = "192.168.1.20", .via_port = 5060, .branch = "1", .cseq = 0,
	  .text = "PING sip:echo@sip.example.com SIP/2.0\r\n"
		  "Via: SIP/2.0/UDP 192.168.1.20:5060;rport;branch=z9hG4bK1\r\n"
		  "Max-Forwards: 70\r\n"
		  "From: <sip:1001@sip.example.com>;tag=1928301774\r\n"
		  "To: <sip:echo@sip.example.com>\r\n"
		  "Call-ID: a84b4c76e66710\r\n"
		  "CSeq: 0 PING\r\n"
		  "Contact: <sip:1001@192.168.1.20:5060>\r\n"
		  "User-Agent: OBi/1.0 (natkeep)\r\n"
		  "Content-Length: 0\r\n"
		  "\r\n" },
	/* mtd=PING alone: no userid in the Request-URI, To takes From's. */
	{ .name = "custom PING without a user",
	  .req = {
		.method = "PING",
		.ruri_user = "",
		.host = "sip.example.com",
		.from_user = "1001",
		.from_domain = "sip.example.com",
		.user_agent = "",
		.call_id = "a84b4c76e66710",
		.from_tag = "1928301774",
	  },
	  .via_host = "192.168.1.20", .via_port = 5060, .branch = "2", .cseq = 7,
	  .text = "PING sip:sip.example.com SIP/2.0\r\n"
		  "Via: SIP/2.0/UDP 192.168.1.20:5060;rport;branch=z9hG4bK2\r\n"
		  "Max-Forwards: 70\r\n"
		  "From: <sip:1001@sip.example.com>;tag=1928301774\r\n"
		  "To: <sip:1001@sip.example.com>\r\n"
		  "Call-ID: a84b4c76e66710\r\n"
		  "CSeq: 7 PING\r\n"
		  "Contact: <sip:1001@192.168.1.20:5060>\r\n"
		  "Content-Length: 0\r\n"
		  "\r\n" },
	{ .name = "IPv6 Via", .req = {
		.method = "OPTIONS",
		.host = "[2001:db8::1]",
		.from_user = "1001",
		.from_domain = "sip.example.com",
		.call_id = "a84b4c76e66710",
		.from_tag = "1928301774",
	  },
	  .via_host = "[2001:db8::10]", .via_port = 5060, .branch = "b6", .cseq = 2,
	  .text = nk_sip_build_ipv6_text },
	/* A bare IPv6 via_host gets its brackets. */
	{ .name = "IPv6 Via without brackets",
	  .req = {
		.method = "OPTIONS",
		.host = "[2001:db8::1]",
		.from_user = "1001",
		.from_domain = "sip.example.com",
		.call_id = "a84b4c76e66710",
		.from_tag = "1928301774",
	  },
	  .via_host = "2001:db8::10", .via_port = 5060, .branch = "b6", .cseq = 2,
	  .text = nk_sip_build_ipv6_text },
};

#endif /* _NK_PROTO_VECTORS_H */

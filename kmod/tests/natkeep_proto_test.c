// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the shared protocol code (kmod/proto): the same vectors
 * as the userspace unit tests (tests/vectors/proto_vectors.h), run through
 * the code as the kernel builds it. Only the public API is called: the
 * protocol objects are linked into this module by the proto_*.c wrappers.
 * Every input is parsed from an allocation of its exact size, so that
 * KASAN sees any read past its end.
 */
#include <kunit/test.h>
#include <linux/crc32.h>
#include <linux/inet.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <asm/unaligned.h>

#include "proto_vectors.h"

/* An exact-size copy of @len bytes (one byte for none), freed by KUnit. */
static void *nk_vec_copy(struct kunit *test, const void *p, size_t len)
{
	void *copy = kunit_kmalloc(test, len ?: 1, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, copy);
	memcpy(copy, p, len);
	return copy;
}

/* The address @text, in the kernel's own parser's reading. */
static void nk_vec_pton(struct kunit *test, const char *text, u16 *family,
			u8 *addr)
{
	memset(addr, 0, 16);
	if (strchr(text, ':')) {
		*family = NK_PROTO_AF_INET6;
		KUNIT_ASSERT_EQ(test, in6_pton(text, -1, addr, -1, NULL), 1);
	} else {
		*family = NK_PROTO_AF_INET;
		KUNIT_ASSERT_EQ(test, in4_pton(text, -1, addr, -1, NULL), 1);
	}
}

/* @got is the address @ip; and port @port unless @port is negative. */
static void nk_vec_expect_addr(struct kunit *test, const char *what,
			       const struct nk_proto_addr *got, const char *ip,
			       int port)
{
	u8 want[16];
	u16 family;

	nk_vec_pton(test, ip, &family, want);
	KUNIT_EXPECT_EQ_MSG(test, got->family, family, "%s family", what);
	KUNIT_EXPECT_EQ_MSG(test,
			    memcmp(got->addr, want, family == NK_PROTO_AF_INET ? 4 : 16),
			    0, "%s is not %s", what, ip);
	if (port >= 0)
		KUNIT_EXPECT_EQ_MSG(test, got->port, port, "%s port", what);
}

/* STUN */

static void nk_stun_vector_desc(const struct nk_stun_vector *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(nk_stun_vector, nk_stun_vectors, nk_stun_vector_desc);

static void nk_test_stun_vector(struct kunit *test)
{
	const struct nk_stun_vector *v = test->param_value;
	const u8 *msg = nk_vec_copy(test, v->msg, v->len);
	struct nk_stun_response r;

	KUNIT_EXPECT_EQ(test, nk_stun_looks_like(msg, v->len),
			v->result != NK_STUN_NOT_STUN);
	KUNIT_ASSERT_EQ(test, nk_stun_parse_response(msg, v->len, &r), v->result);
	if (v->result != NK_STUN_PARSED)
		return;
	KUNIT_EXPECT_EQ(test, memcmp(r.txid, nk_rfc5769_txid, sizeof(r.txid)), 0);
	KUNIT_EXPECT_EQ(test, r.success, v->success);
	KUNIT_EXPECT_EQ(test, r.has_mapped, v->has_mapped);
	if (v->has_mapped && r.has_mapped)
		nk_vec_expect_addr(test, "mapped", &r.mapped, v->mapped.ip,
				   v->mapped.port);
}

/* The ISO-HDLC CRC-32 of FINGERPRINT, by the kernel's own crc32_le(). */
static u32 nk_vec_fingerprint(const u8 *msg, size_t len)
{
	return (crc32_le(~0u, msg, len) ^ ~0u) ^ NK_STUN_FINGERPRINT_XOR;
}

static void nk_test_stun_rfc5769_fingerprints(struct kunit *test)
{
	static const struct {
		const u8 *msg;
		size_t len;
	} msgs[] = {
		{ nk_rfc5769_request, sizeof(nk_rfc5769_request) },
		{ nk_rfc5769_ipv4, sizeof(nk_rfc5769_ipv4) },
		{ nk_rfc5769_ipv6, sizeof(nk_rfc5769_ipv6) },
	};
	int i;

	for (i = 0; i < ARRAY_SIZE(msgs); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    get_unaligned_be32(msgs[i].msg + msgs[i].len - 4),
				    nk_vec_fingerprint(msgs[i].msg, msgs[i].len - 8),
				    "RFC 5769 vector %d", i);
}

static void nk_test_stun_request(struct kunit *test, bool fingerprint,
				 const u8 *want, size_t want_len)
{
	u8 *buf = kunit_kmalloc(test, NK_STUN_REQUEST_MAX_LEN + 4, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	memset(buf, 0xee, NK_STUN_REQUEST_MAX_LEN + 4);
	KUNIT_ASSERT_EQ(test, nk_stun_build_request(buf, nk_rfc5769_txid, fingerprint),
			want_len);
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, want_len), 0);
	KUNIT_EXPECT_EQ(test, buf[want_len], 0xee);
	KUNIT_EXPECT_TRUE(test, nk_stun_looks_like(buf, want_len));
	if (fingerprint)
		KUNIT_EXPECT_EQ(test, get_unaligned_be32(buf + 24),
				nk_vec_fingerprint(buf, NK_STUN_HEADER_LEN));
}

static void nk_test_stun_request_plain(struct kunit *test)
{
	nk_test_stun_request(test, false, nk_stun_request_plain,
			     sizeof(nk_stun_request_plain));
}

static void nk_test_stun_request_fingerprint(struct kunit *test)
{
	nk_test_stun_request(test, true, nk_stun_request_fingerprint,
			     sizeof(nk_stun_request_fingerprint));
}

static struct kunit_case nk_stun_cases[] = {
	KUNIT_CASE_PARAM(nk_test_stun_vector, nk_stun_vector_gen_params),
	KUNIT_CASE(nk_test_stun_rfc5769_fingerprints),
	KUNIT_CASE(nk_test_stun_request_plain),
	KUNIT_CASE(nk_test_stun_request_fingerprint),
	{}
};

static struct kunit_suite nk_stun_suite = {
	.name = "natkeep_stun",
	.test_cases = nk_stun_cases,
};

/* SIP */

static void nk_sip_vector_desc(const struct nk_sip_vector *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(nk_sip_vector, nk_sip_vectors, nk_sip_vector_desc);

/* A span into the message @msg of @len bytes is the string @want. */
static void nk_vec_expect_span(struct kunit *test, const char *what,
			       const char *msg, size_t len, const char *p,
			       size_t n, const char *want)
{
	if (!want) {
		KUNIT_EXPECT_PTR_EQ_MSG(test, p, NULL, "%s", what);
		return;
	}
	KUNIT_ASSERT_NOT_NULL_MSG(test, p, "%s", what);
	KUNIT_EXPECT_TRUE_MSG(test, p >= msg && p + n <= msg + len,
			      "%s outside the message", what);
	KUNIT_EXPECT_EQ_MSG(test, n, strlen(want), "%s length", what);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(p, want, min(n, strlen(want))), 0,
			    "%s is \"%.*s\", not \"%s\"", what, (int)n, p, want);
}

static void nk_test_sip_vector(struct kunit *test)
{
	const struct nk_sip_vector *v = test->param_value;
	const char *msg = nk_vec_copy(test, v->text, v->len);
	struct nk_sip_response rsp;
	struct nk_proto_addr map;

	KUNIT_ASSERT_EQ(test, nk_sip_parse_response(msg, v->len, &rsp), v->result);
	if (v->result)
		return;
	KUNIT_EXPECT_EQ(test, rsp.status, v->status);
	nk_vec_expect_span(test, "Call-ID", msg, v->len, rsp.call_id,
			   rsp.call_id_len, v->call_id);
	KUNIT_EXPECT_EQ(test, rsp.has_cseq, !!v->cseq_method);
	if (rsp.has_cseq && v->cseq_method) {
		KUNIT_EXPECT_EQ(test, rsp.cseq, v->cseq);
		nk_vec_expect_span(test, "CSeq method", msg, v->len,
				   rsp.cseq_method, rsp.cseq_method_len,
				   v->cseq_method);
	}
	KUNIT_EXPECT_EQ(test, rsp.has_sent_by, !!v->sent_by.ip);
	if (rsp.has_sent_by && v->sent_by.ip)
		nk_vec_expect_addr(test, "sent-by", &rsp.sent_by, v->sent_by.ip,
				   v->sent_by.port);
	KUNIT_EXPECT_EQ(test, rsp.has_received, !!v->received);
	if (rsp.has_received && v->received)
		nk_vec_expect_addr(test, "received", &rsp.received, v->received, -1);
	if (v->branch)
		nk_vec_expect_span(test, "branch", msg, v->len, rsp.branch,
				   rsp.branch_len, v->branch[0] ? v->branch : NULL);
	KUNIT_EXPECT_EQ(test, rsp.has_rport, v->has_rport);
	if (rsp.has_rport && v->has_rport)
		KUNIT_EXPECT_EQ(test, rsp.rport, v->rport);
	KUNIT_ASSERT_EQ(test, nk_sip_response_mapping(&rsp, &map), !!v->mapping.ip);
	if (v->mapping.ip)
		nk_vec_expect_addr(test, "mapping", &map, v->mapping.ip,
				   v->mapping.port);
}

static void nk_sip_build_desc(const struct nk_sip_build_vector *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(nk_sip_build, nk_sip_build_vectors, nk_sip_build_desc);

static void nk_test_sip_build(struct kunit *test)
{
	const struct nk_sip_build_vector *v = test->param_value;
	size_t len = strlen(v->text), need;
	char *buf;

	need = nk_sip_build_request(NULL, 0, &v->req, v->via_host, v->via_port,
				    v->branch, v->cseq);
	KUNIT_ASSERT_EQ(test, need, len);
	/* Zeroed, one byte more than the cap: it must stay the NUL. */
	buf = kunit_kzalloc(test, len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	KUNIT_EXPECT_EQ(test, nk_sip_build_request(buf, len, &v->req, v->via_host,
						   v->via_port, v->branch, v->cseq),
			len);
	KUNIT_EXPECT_STREQ(test, buf, v->text);
}

static struct kunit_case nk_sip_cases[] = {
	KUNIT_CASE_PARAM(nk_test_sip_vector, nk_sip_vector_gen_params),
	KUNIT_CASE_PARAM(nk_test_sip_build, nk_sip_build_gen_params),
	{}
};

static struct kunit_suite nk_sip_suite = {
	.name = "natkeep_sip",
	.test_cases = nk_sip_cases,
};

/* The X_CustomKeepAliveMsg spec */

static void nk_custom_spec_desc(const struct nk_custom_spec_vector *v,
				char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(nk_custom_spec, nk_custom_spec_vectors, nk_custom_spec_desc);

static void nk_test_custom_spec(struct kunit *test)
{
	const struct nk_custom_spec_vector *v = test->param_value;
	const char *spec = nk_vec_copy(test, v->text, v->len);
	const char *err = "unset";
	struct nk_custom_spec s;

	if (v->err) {
		KUNIT_EXPECT_EQ(test, nk_custom_spec_parse(spec, v->len, &s, &err), -1);
		KUNIT_EXPECT_STREQ(test, err, v->err);
		return;
	}
	KUNIT_ASSERT_EQ(test, nk_custom_spec_parse(spec, v->len, &s, &err), 0);
	KUNIT_EXPECT_PTR_EQ(test, err, NULL);
	KUNIT_EXPECT_STREQ(test, s.method, v->method);
	KUNIT_EXPECT_STREQ(test, s.event, v->event);
	KUNIT_EXPECT_STREQ(test, s.user, v->user);
	/* What a parse gives, the request builder's own checks accept. */
	KUNIT_EXPECT_TRUE(test, nk_sip_valid_token(s.method));
	KUNIT_EXPECT_TRUE(test, !s.event[0] || nk_sip_valid_token(s.event));
	KUNIT_EXPECT_TRUE(test, !s.user[0] || nk_sip_valid_user(s.user));
}

static struct kunit_case nk_custom_spec_cases[] = {
	KUNIT_CASE_PARAM(nk_test_custom_spec, nk_custom_spec_gen_params),
	{}
};

static struct kunit_suite nk_custom_spec_suite = {
	.name = "natkeep_custom_spec",
	.test_cases = nk_custom_spec_cases,
};

/*
 * Since 6.0 kunit_test_suites() only puts the suites into the module's
 * .kunit_test_suites section, which the module loader runs as a whole: it
 * may appear in each object of the module.
 */
kunit_test_suites(&nk_stun_suite, &nk_sip_suite, &nk_custom_spec_suite);

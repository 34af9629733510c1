// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: nk_sip_build_request() with any strings its checks
 * accept. Input: via port (2 bytes), CSeq (4 bytes), then NUL-separated
 * fields: method, event, ruri_user, host, from_user, from_domain,
 * user_agent, call_id, from_tag, via_host, branch. A field its check
 * refuses makes an optional field absent, or the input uninteresting.
 * The request is sized with cap 0, then built into a heap buffer of
 * exactly that size and into one a byte short; its structure is checked.
 */
#include <stdlib.h>

#include "sip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { METHOD, EVENT, RURI_USER, HOST, FROM_USER, FROM_DOMAIN, USER_AGENT,
	CALL_ID, FROM_TAG, VIA_HOST, BRANCH, FIELDS };

/* An IP literal as a Via carries it: IPv4, or IPv6 in brackets. */
static bool valid_via_host(const char *s)
{
	struct nk_proto_addr a;
	size_t len = strlen(s);

	if (len > NK_SIP_VIA_HOST_MAX)
		return false;
	if (s[0] == '[')
		return len > 2 && s[len - 1] == ']' &&
		       nk_sip_parse_ip(s + 1, len - 2, &a) &&
		       a.family == NK_PROTO_AF_INET6;
	return nk_sip_parse_ip(s, len, &a) && a.family == NK_PROTO_AF_INET;
}

static const char *optional(const char *s, bool (*valid)(const char *))
{
	return valid(s) ? s : NULL;
}

/* A header line: a name of letters and '-', ": ", a value. */
static bool header_line(const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	const char *p;

	if (!colon || colon == line || (size_t)(colon - line) + 2 > len ||
	    colon[1] != ' ')
		return false;
	for (p = line; p < colon; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      *p == '-'))
			return false;
	return true;
}

/*
 * The request line first, then header lines, each ended by CRLF, and one
 * empty line at the very end: no bare CR or LF, no NUL anywhere.
 */
static void check_structure(const char *buf, size_t len, const char *method)
{
	size_t mlen = strlen(method), start = 0, lines = 0, i;

	if (len < mlen + 5 || memcmp(buf, method, mlen) ||
	    memcmp(buf + mlen, " sip:", 5))
		abort();
	for (i = 0; i < len; i++) {
		const char *line = buf + start;
		size_t line_len = i - 1 - start;

		if (!buf[i] || (buf[i] == '\r') != (i + 1 < len && buf[i + 1] == '\n'))
			abort();
		if (buf[i] != '\n')
			continue;
		if (lines == 0) {
			if (line_len < 8 || memcmp(line + line_len - 8, " SIP/2.0", 8))
				abort();
		} else if (line_len == 0) {
			if (i + 1 != len)
				abort();
		} else if (!header_line(line, line_len)) {
			abort();
		}
		lines++;
		start = i + 1;
	}
	if (start != len || lines < 10)
		abort();
}

static void build(const struct nk_sip_request *req, const char *via_host,
		  uint16_t port, const char *branch, uint32_t cseq)
{
	size_t len = nk_sip_build_request(NULL, 0, req, via_host, port, branch,
					  cseq);
	char *buf = malloc(len), *shorter = malloc(len);

	if (nk_sip_build_request(buf, len, req, via_host, port, branch,
				 cseq) != len)
		abort();
	check_structure(buf, len, req->method);
	if (nk_sip_build_request(shorter, len - 1, req, via_host, port,
				 branch, cseq) != len)
		abort();
	free(buf);
	free(shorter);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *f[FIELDS];
	struct nk_sip_request req;
	char *text;
	size_t i, at;
	uint32_t cseq;
	uint16_t port;

	if (size < 6 || size > 4096)
		return 0;
	port = (uint16_t)(data[0] << 8 | data[1]);
	cseq = (uint32_t)data[2] << 24 | (uint32_t)data[3] << 16 |
	       (uint32_t)data[4] << 8 | data[5];
	text = malloc(size - 6 + 1);
	memcpy(text, data + 6, size - 6);
	text[size - 6] = '\0';
	for (i = 0, at = 0; i < FIELDS; i++) {
		f[i] = text + at;
		at += strlen(text + at);
		if (at < size - 6)
			at++;
	}
	req = (struct nk_sip_request) {
		.method = f[METHOD],
		.event = optional(f[EVENT], nk_sip_valid_token),
		.ruri_user = optional(f[RURI_USER], nk_sip_valid_user),
		.host = f[HOST],
		.from_user = optional(f[FROM_USER], nk_sip_valid_user),
		.from_domain = f[FROM_DOMAIN],
		.user_agent = optional(f[USER_AGENT], nk_sip_valid_text),
		.call_id = f[CALL_ID],
		.from_tag = f[FROM_TAG],
	};
	if (nk_sip_valid_token(f[METHOD]) && nk_sip_valid_host(f[HOST]) &&
	    nk_sip_valid_host(f[FROM_DOMAIN]) && nk_sip_valid_token(f[CALL_ID]) &&
	    nk_sip_valid_token(f[FROM_TAG]) && nk_sip_valid_token(f[BRANCH]) &&
	    valid_via_host(f[VIA_HOST]))
		build(&req, f[VIA_HOST], port, f[BRANCH], cseq);
	free(text);
	return 0;
}

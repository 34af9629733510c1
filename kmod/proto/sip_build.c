// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The keep-alive request a flow sends, and the checks of the strings that
 * go into it (see sip.h). The checks run once, where a flow is configured;
 * the builder trusts them and only guards the size of its buffer.
 */
#include "sip.h"

#define SIP_BRANCH_COOKIE	"z9hG4bK"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_alnum(char c)
{
	return is_digit(c) || is_alpha(c);
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* @c is one of @set; NUL never is (strchr() would find the terminator). */
static bool in_set(char c, const char *set)
{
	return c && strchr(set, c);
}

/*
 * strlen() that stops after @max + 1 bytes: a result over @max means too
 * long, and no byte past the NUL or past @max + 1 is read.
 */
static size_t bounded_len(const char *s, size_t max)
{
	size_t n = 0;

	while (n <= max && s[n])
		n++;
	return n;
}

bool nk_sip_valid_token(const char *s)
{
	size_t n, i;

	if (!s)
		return false;
	n = bounded_len(s, NK_SIP_TOKEN_MAX);
	if (!n || n > NK_SIP_TOKEN_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!is_alnum(s[i]) && !in_set(s[i], "-.!%*_+`'~"))
			return false;
	return true;
}

/* user = 1*( unreserved / escaped / user-unreserved ) (RFC 3261, 25.1) */
bool nk_sip_valid_user(const char *s)
{
	size_t n, i;

	if (!s)
		return false;
	n = bounded_len(s, NK_SIP_USER_MAX);
	if (!n || n > NK_SIP_USER_MAX)
		return false;
	for (i = 0; i < n; i++) {
		if (is_alnum(s[i]) || in_set(s[i], "-_.!~*'()&=+$,;?/"))
			continue;
		/* The NUL at s[n] stops the && before any read past it. */
		if (s[i] != '%' || !is_hex(s[i + 1]) || !is_hex(s[i + 2]))
			return false;
		i += 2;
	}
	return true;
}

/*
 * hostname = *( domainlabel "." ) toplabel [ "." ], where a label is
 * alphanum, with inner "-" allowed, and the top label starts with a letter.
 */
static bool valid_hostname(const char *s, size_t len)
{
	size_t start = 0, i;

	if (len && s[len - 1] == '.')
		len--;
	while (start < len) {
		for (i = start; i < len && s[i] != '.'; i++)
			if (!is_alnum(s[i]) && s[i] != '-')
				return false;
		if (i == start || i - start > 63 || s[start] == '-' ||
		    s[i - 1] == '-')
			return false;
		if (i == len)
			return is_alpha(s[start]);
		start = i + 1;
	}
	return false;
}

/* hostport = host [ ":" port ], host = hostname / IPv4address / [IPv6] */
bool nk_sip_valid_host(const char *s)
{
	struct nk_proto_addr addr;
	const char *colon;
	size_t n, host_len;

	if (!s)
		return false;
	n = bounded_len(s, NK_SIP_HOST_MAX);
	if (!n || n > NK_SIP_HOST_MAX)
		return false;
	if (s[0] == '[') {
		const char *close = memchr(s, ']', n);

		if (!close || !nk_sip_parse_ip(s + 1, (size_t)(close - s - 1),
					       &addr) ||
		    addr.family != NK_PROTO_AF_INET6)
			return false;
		host_len = (size_t)(close - s) + 1;
	} else {
		colon = memchr(s, ':', n);
		host_len = colon ? (size_t)(colon - s) : n;
		if (!nk_sip_parse_ip(s, host_len, &addr) &&
		    !valid_hostname(s, host_len))
			return false;
	}
	if (host_len == n)
		return true;
	return s[host_len] == ':' &&
	       nk_sip_parse_port(s + host_len + 1, n - host_len - 1,
				 &addr.port);
}

/*
 * One UTF-8 sequence at @s whose lead byte @c is not ASCII: its length, or
 * 0 when it is not the shortest form of a scalar value, or is a C1 control.
 * The bounds of the second byte exclude overlong forms, surrogates and
 * values over U+10FFFF (RFC 3629, 4).
 */
static size_t utf8_seq_len(const unsigned char *s)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (c == 0xc2)
		lo = 0xa0;
	else if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	/* A NUL ends the string and is no continuation byte: no overread. */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

bool nk_sip_valid_text(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n, i, seq;

	if (!s)
		return false;
	n = bounded_len(s, NK_SIP_TEXT_MAX);
	if (!n || n > NK_SIP_TEXT_MAX)
		return false;
	for (i = 0; i < n; i += seq) {
		seq = 1;
		if (u[i] >= 0x20 && u[i] < 0x7f)
			continue;
		seq = utf8_seq_len(u + i);
		if (!seq)
			return false;
	}
	return true;
}

/* Output into a buffer of @cap bytes; @len counts all, even what missed. */
struct sip_writer {
	char *buf;
	size_t cap;
	size_t len;
};

static void put_mem(struct sip_writer *w, const char *s, size_t n)
{
	if (n && w->len <= w->cap && n <= w->cap - w->len)
		memcpy(w->buf + w->len, s, n);
	w->len = n > (size_t)-1 - w->len ? (size_t)-1 : w->len + n;
}

static void put_str(struct sip_writer *w, const char *s)
{
	if (s)
		put_mem(w, s, strlen(s));
}

static void put_u32(struct sip_writer *w, uint32_t v)
{
	char digits[10];
	size_t i = sizeof(digits);

	do {
		digits[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put_mem(w, digits + i, sizeof(digits) - i);
}

static bool is_set(const char *s)
{
	return s && *s;
}

/* "user@" when there is a user: sip:host alone is a valid URI too. */
static void put_user_at(struct sip_writer *w, const char *user)
{
	if (is_set(user)) {
		put_str(w, user);
		put_str(w, "@");
	}
}

/* An IPv6 via_host should come in brackets; add them if it did not. */
static void put_hostport(struct sip_writer *w, const char *host, uint16_t port)
{
	bool bare_v6 = host && host[0] != '[' && strchr(host, ':');

	put_str(w, bare_v6 ? "[" : "");
	put_str(w, host);
	put_str(w, bare_v6 ? "]:" : ":");
	put_u32(w, port);
}

static void put_header(struct sip_writer *w, const char *name,
		       const char *value)
{
	put_str(w, name);
	put_str(w, ": ");
	put_str(w, value);
	put_str(w, "\r\n");
}

/* From, To: the request is out of dialog, so To has no tag. */
static void put_from_to(struct sip_writer *w, const struct nk_sip_request *req)
{
	put_str(w, "From: <sip:");
	put_user_at(w, req->from_user);
	put_str(w, req->from_domain);
	put_str(w, ">");
	if (is_set(req->from_tag)) {
		put_str(w, ";tag=");
		put_str(w, req->from_tag);
	}
	put_str(w, "\r\nTo: <sip:");
	put_user_at(w, is_set(req->ruri_user) ? req->ruri_user : req->from_user);
	put_str(w, req->host);
	put_str(w, ">\r\n");
}

size_t nk_sip_build_request(char *buf, size_t cap,
			    const struct nk_sip_request *req,
			    const char *via_host, uint16_t via_port,
			    const char *branch, uint32_t cseq)
{
	struct sip_writer w = { buf, cap, 0 };

	put_str(&w, req->method);
	put_str(&w, " sip:");
	put_user_at(&w, req->ruri_user);
	put_str(&w, req->host);
	put_str(&w, " SIP/2.0\r\nVia: SIP/2.0/UDP ");
	put_hostport(&w, via_host, via_port);
	put_str(&w, ";rport;branch=" SIP_BRANCH_COOKIE);
	put_str(&w, branch);
	put_str(&w, "\r\nMax-Forwards: 70\r\n");
	put_from_to(&w, req);
	put_header(&w, "Call-ID", req->call_id);
	put_str(&w, "CSeq: ");
	put_u32(&w, cseq);
	put_str(&w, " ");
	put_str(&w, req->method);
	put_str(&w, "\r\nContact: <sip:");
	put_user_at(&w, req->from_user);
	put_hostport(&w, via_host, via_port);
	put_str(&w, ">\r\n");
	if (is_set(req->event)) {
		put_header(&w, "Event", req->event);
		put_header(&w, "Subscription-State", "active");
	}
	if (is_set(req->user_agent))
		put_header(&w, "User-Agent", req->user_agent);
	put_str(&w, "Content-Length: 0\r\n\r\n");
	return w.len;
}

// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Bounded parse of the SIP responses to keep-alive requests (see sip.h),
 * after the kernel's nf_conntrack_sip.c: every scan works on a window
 * [p, end) of the message and never reads at or past end; nothing needs a
 * NUL. Only the status line, the first Via value (its sent-by, received,
 * rport and branch), Call-ID and CSeq are looked at; the rest of a header
 * section is only split into lines.
 */
#include "sip.h"

/* One header: its name, and its value with any folded lines in it. */
struct sip_header {
	const char *name;
	size_t name_len;
	const char *value;
	const char *value_end;
};

/* Which headers were already taken: the first of each counts. */
struct sip_seen {
	bool via, call_id;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_value(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char to_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool is_alnum(char c)
{
	return is_digit(c) || (to_lower(c) >= 'a' && to_lower(c) <= 'z');
}

/* RFC 3261 token characters. */
static bool is_token_char(char c)
{
	return is_alnum(c) || (c && strchr("-.!%*_+`'~", c));
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t';
}

/* Inside a header value, line breaks can only be folds: white space. */
static bool is_lws(char c)
{
	return is_ws(c) || c == '\r' || c == '\n';
}

static const char *skip_lws(const char *p, const char *end)
{
	while (p < end && is_lws(*p))
		p++;
	return p;
}

static const char *skip_token(const char *p, const char *end)
{
	while (p < end && is_token_char(*p))
		p++;
	return p;
}

/* @n bytes at @p equal the lowercase literal @lit, ignoring case. */
static bool eq_nocase(const char *p, size_t n, const char *lit)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!lit[i] || to_lower(p[i]) != lit[i])
			return false;
	return !lit[n];
}

/* A decimal octet of 1 to 3 digits, without leading zeros. */
static bool parse_octet(const char *s, size_t len, size_t *i, uint8_t *out)
{
	size_t start = *i;
	unsigned int v = 0;

	while (*i < len && *i - start < 3 && is_digit(s[*i]))
		v = v * 10 + (unsigned int)(s[(*i)++] - '0');
	if (*i == start || v > 255 || (*i - start > 1 && s[start] == '0'))
		return false;
	*out = (uint8_t)v;
	return true;
}

static bool parse_ipv4(const char *s, size_t len, uint8_t *addr)
{
	size_t i = 0;
	int k;

	for (k = 0; k < 4; k++) {
		if (k && (i >= len || s[i++] != '.'))
			return false;
		if (!parse_octet(s, len, &i, &addr[k]))
			return false;
	}
	return i == len;
}

#define NO_GAP	((size_t)-1)

/*
 * Up to eight groups of 1..4 hex digits; one "::" stands for one or more
 * zero groups; an IPv4 tail stands for the last two (RFC 4291, 2.2).
 * @n counts the groups read, @gap is the group index of the "::", if any
 * (NO_GAP, which no index can be, else).
 */
static bool parse_ipv6(const char *s, size_t len, uint8_t *addr)
{
	uint16_t groups[8];
	size_t i = 0, n = 0, gap = NO_GAP, k;

	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		i = 2;
	}
	while (i < len) {
		size_t start = i;
		unsigned int v = 0;
		uint8_t v4[4];

		if (n == 8)
			return false;
		while (i < len && i - start < 4 && hex_value(s[i]) >= 0)
			v = v * 16 + (unsigned int)hex_value(s[i++]);
		if (i < len && s[i] == '.') {
			if (n > 6 || !parse_ipv4(s + start, len - start, v4))
				return false;
			groups[n++] = (uint16_t)(v4[0] << 8 | v4[1]);
			groups[n++] = (uint16_t)(v4[2] << 8 | v4[3]);
			break;
		}
		if (i == start)
			return false;
		groups[n++] = (uint16_t)v;
		if (i == len)
			break;
		if (s[i++] != ':' || i == len)
			return false;
		if (s[i] == ':') {
			if (gap != NO_GAP)
				return false;
			gap = n;
			i++;
		}
	}
	if (gap == NO_GAP ? n != 8 : n > 7)
		return false;

	memset(addr, 0, 16);
	for (k = 0; k < n; k++) {
		/* Groups after the gap go to the end of the address. */
		size_t at = k < gap ? k : 8 - (n - k);

		addr[2 * at] = groups[k] >> 8;
		addr[2 * at + 1] = groups[k] & 0xff;
	}
	return true;
}

bool nk_sip_parse_ip(const char *s, size_t len, struct nk_proto_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (len && memchr(s, ':', len)) {
		out->family = NK_PROTO_AF_INET6;
		return parse_ipv6(s, len, out->addr);
	}
	out->family = NK_PROTO_AF_INET;
	return parse_ipv4(s, len, out->addr);
}

bool nk_sip_parse_port(const char *s, size_t len, uint16_t *port)
{
	unsigned int v = 0;
	size_t i;

	if (len < 1 || len > 5)
		return false;
	for (i = 0; i < len; i++) {
		if (!is_digit(s[i]))
			return false;
		v = v * 10 + (unsigned int)(s[i] - '0');
	}
	if (v < 1 || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* The end of a line's text: before the CR of a CRLF, else at the LF. */
static const char *line_text_end(const char *p, const char *lf)
{
	return lf > p && lf[-1] == '\r' ? lf - 1 : lf;
}

static const char *find_lf(const char *p, const char *end)
{
	return memchr(p, '\n', (size_t)(end - p));
}

/* Status-Line = SIP-Version SP Status-Code SP Reason-Phrase (RFC 3261, 7.2) */
static bool parse_status_line(const char *p, const char *end,
			      unsigned int *status)
{
	unsigned int v;

	if (end - p < 11 || !eq_nocase(p, 8, "sip/2.0 "))
		return false;
	p += 8;
	if (!is_digit(p[0]) || !is_digit(p[1]) || !is_digit(p[2]))
		return false;
	v = (unsigned int)(p[0] - '0') * 100 + (unsigned int)(p[1] - '0') * 10 +
	    (unsigned int)(p[2] - '0');
	if (v < 100 || v > 699)
		return false;
	*status = v;
	p += 3;
	if (p < end && *p != ' ')
		return false;
	/* The reason phrase is free text, but not control characters. */
	for (; p < end; p++)
		if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f)
			return false;
	return true;
}

/*
 * The header at *@pos: 1 with @h filled and *@pos past it (folded lines
 * included), 0 at the empty line that ends the headers, -1 when
 * malformed. A header section without that empty line is malformed,
 * unless the message is cut (@whole false): then 0 also where the text
 * ends, and a header is taken only once the line after it shows that it
 * is not folded on beyond the cut.
 */
static int next_header(const char **pos, const char *end, bool whole,
		       struct sip_header *h)
{
	const char *p = *pos, *lf = find_lf(p, end), *text_end, *next;

	if (!lf)
		return whole ? -1 : 0;
	text_end = line_text_end(p, lf);
	if (text_end == p) {
		*pos = lf + 1;
		return 0;
	}
	h->name = p;
	p = skip_token(p, text_end);
	h->name_len = (size_t)(p - h->name);
	while (p < text_end && is_ws(*p))
		p++;
	if (!h->name_len || p == text_end || *p != ':')
		return -1;
	h->value = p + 1;
	h->value_end = text_end;

	/* Lines that start with white space continue this header. */
	for (next = lf + 1; next < end && is_ws(*next); next = lf + 1) {
		lf = find_lf(next, end);
		if (!lf)
			return whole ? -1 : 0;
		h->value_end = line_text_end(next, lf);
	}
	if (!whole && next == end)
		return 0;
	*pos = next;
	return 1;
}

/* Call-ID = word [ "@" word ]: visible characters, nothing else. */
static int parse_call_id(const char *p, const char *end,
			 struct nk_sip_response *out)
{
	const char *q;

	p = skip_lws(p, end);
	while (end > p && is_lws(end[-1]))
		end--;
	if (p == end)
		return -1;
	for (q = p; q < end; q++)
		if ((unsigned char)*q <= 0x20 || (unsigned char)*q >= 0x7f)
			return -1;
	out->call_id = p;
	out->call_id_len = (size_t)(end - p);
	return 0;
}

/* CSeq = 1*DIGIT LWS Method; the number must fit 32 bits. */
static int parse_cseq(const char *p, const char *end,
		      struct nk_sip_response *out)
{
	uint32_t v = 0;
	const char *digits, *q;

	p = skip_lws(p, end);
	for (digits = p; p < end && is_digit(*p); p++) {
		uint32_t d = (uint32_t)(*p - '0');

		if (v > (0xffffffffu - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	q = skip_lws(p, end);
	if (p == digits || q == p)
		return -1;
	p = skip_token(q, end);
	if (p == q || skip_lws(p, end) != end)
		return -1;
	out->has_cseq = true;
	out->cseq = v;
	out->cseq_method = q;
	out->cseq_method_len = (size_t)(p - q);
	return 0;
}

/* A generic-param value: token, host (also [IPv6]) or quoted-string. */
static const char *skip_param_value(const char *p, const char *end)
{
	if (p < end && *p == '"') {
		for (p++; p < end; p++) {
			if (*p == '"')
				return p + 1;
			if (*p == '\\' && ++p == end)
				return NULL;
		}
		return NULL;
	}
	while (p < end && (is_token_char(*p) || *p == ':' || *p == '[' ||
			   *p == ']'))
		p++;
	return p;
}

/*
 * received=IPv4 or IPv6 (brackets tolerated), rport=port (RFC 3581); the
 * first of each counts, but every one must be well formed.
 */
static int via_param(const char *name, size_t name_len, const char *value,
		     size_t value_len, struct nk_sip_response *out)
{
	struct nk_proto_addr addr;
	uint16_t port;

	if (eq_nocase(name, name_len, "received")) {
		if (value_len >= 2 && value[0] == '[' &&
		    value[value_len - 1] == ']') {
			value++;
			value_len -= 2;
		}
		/* A bad received must fail: sent-by is no stand-in for it. */
		if (!value || !nk_sip_parse_ip(value, value_len, &addr))
			return -1;
		if (!out->has_received)
			out->received = addr;
		out->has_received = true;
	} else if (eq_nocase(name, name_len, "rport") && value) {
		if (!nk_sip_parse_port(value, value_len, &port))
			return -1;
		if (!out->has_rport)
			out->rport = port;
		out->has_rport = true;
	} else if (eq_nocase(name, name_len, "branch") && value &&
		   !out->branch) {
		out->branch = value;
		out->branch_len = value_len;
	}
	return 0;
}

/* *( SEMI via-params ), up to the end of the first Via value. */
static int parse_via_params(const char *p, const char *end,
			    struct nk_sip_response *out)
{
	for (;;) {
		const char *name, *value = NULL, *q;
		size_t name_len, value_len = 0;

		p = skip_lws(p, end);
		if (p == end || *p == ',')
			return 0;
		if (*p != ';')
			return -1;
		name = skip_lws(p + 1, end);
		p = skip_token(name, end);
		name_len = (size_t)(p - name);
		if (!name_len)
			return -1;
		q = skip_lws(p, end);
		if (q < end && *q == '=') {
			value = skip_lws(q + 1, end);
			p = skip_param_value(value, end);
			if (!p || p == value)
				return -1;
			value_len = (size_t)(p - value);
		}
		if (via_param(name, name_len, value, value_len, out))
			return -1;
	}
}

/* sent-by = host [ COLON port ]; an IP literal host is kept. */
static const char *parse_sent_by(const char *p, const char *end,
				 struct nk_sip_response *out)
{
	const char *host = p, *q;
	struct nk_proto_addr addr;

	if (p < end && *p == '[') {
		q = memchr(p, ']', (size_t)(end - p));
		if (!q || !nk_sip_parse_ip(p + 1, (size_t)(q - p - 1),
					   &out->sent_by) ||
		    out->sent_by.family != NK_PROTO_AF_INET6)
			return NULL;
		out->has_sent_by = true;
		p = q + 1;
	} else {
		while (p < end && (is_alnum(*p) || *p == '.' || *p == '-'))
			p++;
		if (p == host)
			return NULL;
		/* A host name tells no address. */
		if (nk_sip_parse_ip(host, (size_t)(p - host), &addr)) {
			out->sent_by = addr;
			out->has_sent_by = true;
		}
	}
	q = skip_lws(p, end);
	if (q == end || *q != ':')
		return p;
	p = skip_lws(q + 1, end);
	for (q = p; q < end && is_digit(*q); q++)
		;
	if (!nk_sip_parse_port(p, (size_t)(q - p), &out->sent_by.port))
		return NULL;
	return q;
}

/*
 * The first value of the first Via:
 * sent-protocol LWS sent-by *( SEMI via-params ), where
 * sent-protocol = name SLASH version SLASH transport.
 */
static int parse_via(const char *p, const char *end,
		     struct nk_sip_response *out)
{
	const char *q;
	int k;

	p = skip_lws(p, end);
	for (k = 0; k < 3; k++) {
		if (k) {
			p = skip_lws(p, end);
			if (p == end || *p != '/')
				return -1;
			p = skip_lws(p + 1, end);
		}
		q = skip_token(p, end);
		if (q == p)
			return -1;
		p = q;
	}
	q = skip_lws(p, end);
	if (q == p)
		return -1;
	p = parse_sent_by(q, end, out);
	if (!p)
		return -1;
	return parse_via_params(p, end, out);
}

static int take_header(const struct sip_header *h, struct sip_seen *seen,
		       struct nk_sip_response *out)
{
	const char *name = h->name;
	size_t len = h->name_len;

	if (eq_nocase(name, len, "via") || eq_nocase(name, len, "v")) {
		if (seen->via)
			return 0;
		seen->via = true;
		return parse_via(h->value, h->value_end, out);
	}
	if (eq_nocase(name, len, "call-id") || eq_nocase(name, len, "i")) {
		if (seen->call_id)
			return 0;
		seen->call_id = true;
		return parse_call_id(h->value, h->value_end, out);
	}
	if (eq_nocase(name, len, "cseq") && !out->has_cseq)
		return parse_cseq(h->value, h->value_end, out);
	return 0;
}

static int parse_response(const char *msg, size_t len, bool whole,
			  struct nk_sip_response *out)
{
	const char *end = msg + len, *p = msg, *lf;
	struct sip_seen seen = { 0 };
	struct sip_header h;
	int r;

	memset(out, 0, sizeof(*out));
	lf = find_lf(p, end);
	if (!lf || !parse_status_line(p, line_text_end(p, lf), &out->status))
		return -1;
	p = lf + 1;
	while ((r = next_header(&p, end, whole, &h)) > 0)
		if (take_header(&h, &seen, out))
			return -1;
	return r;
}

int nk_sip_parse_response(const char *msg, size_t len,
			  struct nk_sip_response *out)
{
	return parse_response(msg, len, true, out);
}

int nk_sip_parse_response_head(const char *msg, size_t len,
			       struct nk_sip_response *out)
{
	return parse_response(msg, len, false, out);
}

bool nk_sip_response_mapping(const struct nk_sip_response *rsp,
			     struct nk_proto_addr *mapping)
{
	if (!rsp->has_rport)
		return false;
	if (rsp->has_received)
		*mapping = rsp->received;
	else if (rsp->has_sent_by)
		*mapping = rsp->sent_by;
	else
		return false;
	mapping->port = rsp->rport;
	return true;
}

/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * SIP for keep-alives (RFC 3261): the out-of-dialog request a flow sends
 * (OPTIONS, NOTIFY with Event: keep-alive, or the method of a custom spec),
 * the validation of the strings that go into it, and the bounded parse of
 * the responses that come back (status, Call-ID, CSeq, and the top Via's
 * branch, which tie a response to its request, and received/rport, which
 * tell the public mapping).
 */
#ifndef _NK_SIP_H
#define _NK_SIP_H

#include "proto.h"

/* Longest strings a flow may carry, without the terminating NUL. */
#define NK_SIP_USER_MAX		64
#define NK_SIP_HOST_MAX		255
#define NK_SIP_TOKEN_MAX	32	/* method, event */
#define NK_SIP_TEXT_MAX		128	/* User-Agent */
#define NK_SIP_CALL_ID_MAX	64
#define NK_SIP_TAG_MAX		32
#define NK_SIP_BRANCH_MAX	32	/* after the z9hG4bK magic cookie */
/* Longest host text of a Via sent-by: "[" IPv6 "]", or IPv4. */
#define NK_SIP_VIA_HOST_MAX	47

/* Checks for what goes into a request; each rejects CR, LF and NUL. */
bool nk_sip_valid_token(const char *s);	/* RFC 3261 token: method, event */
bool nk_sip_valid_user(const char *s);	/* unreserved / escaped / user-unreserved */
bool nk_sip_valid_host(const char *s);	/* hostname, IPv4, [IPv6], optional :port */
bool nk_sip_valid_text(const char *s);	/* printable UTF-8 or ASCII, for User-Agent */

/*
 * A keep-alive request. Strings are NUL-terminated and already valid.
 * Request-URI: sip:[ruri_user@]host. To: <sip:(ruri_user or from_user)@host>.
 * From: <sip:from_user@from_domain>;tag=from_tag. event: an Event header
 * (and Subscription-State: active, as RFC 6665 wants in a NOTIFY), or NULL.
 * user_agent: a User-Agent header, or NULL.
 */
struct nk_sip_request {
	const char *method;
	const char *event;
	const char *ruri_user;
	const char *host;
	const char *from_user;
	const char *from_domain;
	const char *user_agent;
	const char *call_id;
	const char *from_tag;
};

/*
 * Write @req into @buf (at most @cap bytes) with a Via of
 * "SIP/2.0/UDP via_host:via_port;rport;branch=z9hG4bK<branch>", a Contact
 * of <sip:from_user@via_host:via_port>, Max-Forwards: 70, CSeq @cseq and
 * Content-Length: 0. Returns the length of the whole request; when that is
 * more than @cap, nothing useful is in @buf (call with cap 0 to size it).
 */
size_t nk_sip_build_request(char *buf, size_t cap,
			    const struct nk_sip_request *req,
			    const char *via_host, uint16_t via_port,
			    const char *branch, uint32_t cseq);

struct nk_sip_response {
	unsigned int status;		/* 100..699 */
	const char *call_id;		/* in the message, not NUL-terminated */
	size_t call_id_len;
	bool has_cseq;
	uint32_t cseq;
	const char *cseq_method;
	size_t cseq_method_len;
	/* From the top Via (the first value of the first Via header). */
	bool has_sent_by;		/* sent-by host is an IP literal */
	struct nk_proto_addr sent_by;	/* port 0 when not given */
	bool has_received;
	struct nk_proto_addr received;	/* port unused */
	bool has_rport;			/* rport with a value */
	uint16_t rport;
	const char *branch;		/* its value, in the message; NULL: none */
	size_t branch_len;
};

/*
 * Parse a SIP response up to the end of its headers. Returns 0, or -1 when
 * @msg is not a well-formed SIP/2.0 response (then @out is undefined).
 * Header names match case-insensitively, compact forms (v, i) included;
 * headers after the first empty line are not looked at.
 */
int nk_sip_parse_response(const char *msg, size_t len,
			  struct nk_sip_response *out);

/*
 * The same for the first @len bytes of a longer message, of which a
 * receiver read no more: the headers that end within them are taken (a
 * header is known to end once the next line begins), the rest is not
 * looked at. Returns -1 only for what is malformed within the @len bytes.
 */
int nk_sip_parse_response_head(const char *msg, size_t len,
			       struct nk_sip_response *out);

/*
 * IP literals as SIP text carries them (RFC 3261, 25.1), exactly @len bytes,
 * no NUL needed, no brackets: dotted IPv4 without leading zeros, or any
 * RFC 4291 text form of IPv6 ("::" and an IPv4 tail included, no zone).
 * Sets family and address, and port 0.
 */
bool nk_sip_parse_ip(const char *s, size_t len, struct nk_proto_addr *out);

/* A port of 1 to 5 digits, exactly @len bytes, 1..65535. */
bool nk_sip_parse_port(const char *s, size_t len, uint16_t *port);

/*
 * The public mapping a response's top Via tells: received (or the sent-by
 * address when received is absent) with rport. False without rport.
 */
bool nk_sip_response_mapping(const struct nk_sip_response *rsp,
			     struct nk_proto_addr *mapping);

#endif /* _NK_SIP_H */

/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * X_CustomKeepAliveMsg of an OBi device: "mtd=NOTIFY;event=foo;user=bar".
 * mtd: the SIP method (required); event: only with mtd=NOTIFY, default
 * "keep-alive"; user: the userid of the Request-URI and To (absent: no userid
 * in the Request-URI, To takes From's userid). Fields in any order, each at
 * most once, no spaces around '=' or ';', a trailing ';' allowed.
 */
#ifndef _NK_CUSTOM_SPEC_H
#define _NK_CUSTOM_SPEC_H

#include "proto.h"
#include "sip.h"

#define NK_CUSTOM_SPEC_MAX	256

struct nk_custom_spec {
	char method[NK_SIP_TOKEN_MAX + 1];
	char event[NK_SIP_TOKEN_MAX + 1];	/* "" unless NOTIFY */
	char user[NK_SIP_USER_MAX + 1];		/* "" when none */
};

/*
 * Parse @len bytes of @spec (no NUL needed). Returns 0, or -1 with *@err set
 * to a static message that names the field at fault, e.g.
 * "custom spec: event: only allowed with mtd=NOTIFY".
 */
int nk_custom_spec_parse(const char *spec, size_t len,
			 struct nk_custom_spec *out, const char **err);

#endif /* _NK_CUSTOM_SPEC_H */

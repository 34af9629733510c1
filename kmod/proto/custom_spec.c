// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Parse of an OBi X_CustomKeepAliveMsg (see custom_spec.h). Each field is
 * copied into its fixed-size slot, then checked with the same nk_sip_valid_*
 * the request builder relies on, so a parsed spec always builds.
 */
#include "custom_spec.h"

#define SPEC_ERR(text)	("custom spec: " text)

enum spec_field { SPEC_MTD, SPEC_EVENT, SPEC_USER, SPEC_FIELDS };

/* Per field: its name, where it goes, and the messages that name it. */
struct spec_field_info {
	const char *name;
	size_t max;
	bool (*valid)(const char *s);
	const char *err_no_value, *err_empty, *err_twice, *err_long;
	const char *err_chars;
};

static const struct spec_field_info spec_fields[SPEC_FIELDS] = {
	[SPEC_MTD] = {
		"mtd", NK_SIP_TOKEN_MAX, nk_sip_valid_token,
		SPEC_ERR("mtd: no '=' and value"),
		SPEC_ERR("mtd: empty value"),
		SPEC_ERR("mtd: given more than once"),
		SPEC_ERR("mtd: too long (at most 32 characters)"),
		SPEC_ERR("mtd: bad characters (a SIP method is a token)"),
	},
	[SPEC_EVENT] = {
		"event", NK_SIP_TOKEN_MAX, nk_sip_valid_token,
		SPEC_ERR("event: no '=' and value"),
		SPEC_ERR("event: empty value"),
		SPEC_ERR("event: given more than once"),
		SPEC_ERR("event: too long (at most 32 characters)"),
		SPEC_ERR("event: bad characters (an event is a SIP token)"),
	},
	[SPEC_USER] = {
		"user", NK_SIP_USER_MAX, nk_sip_valid_user,
		SPEC_ERR("user: no '=' and value"),
		SPEC_ERR("user: empty value"),
		SPEC_ERR("user: given more than once"),
		SPEC_ERR("user: too long (at most 64 characters)"),
		SPEC_ERR("user: bad characters (not a SIP userid)"),
	},
};

static char *spec_slot(struct nk_custom_spec *out, enum spec_field f)
{
	if (f == SPEC_MTD)
		return out->method;
	return f == SPEC_EVENT ? out->event : out->user;
}

static int spec_field_index(const char *name, size_t len)
{
	int f;

	for (f = 0; f < SPEC_FIELDS; f++)
		if (strlen(spec_fields[f].name) == len &&
		    !memcmp(spec_fields[f].name, name, len))
			return f;
	return -1;
}

/* One "name=value" of @len bytes; @seen marks the fields already given. */
static const char *spec_field(const char *p, size_t len, bool *seen,
			      struct nk_custom_spec *out)
{
	const char *eq = memchr(p, '=', len);
	const struct spec_field_info *info;
	size_t value_len;
	char *slot;
	int f;

	if (!len)
		return SPEC_ERR("empty field (two ';' in a row?)");
	f = spec_field_index(p, eq ? (size_t)(eq - p) : len);
	if (f < 0)
		return SPEC_ERR("unknown field (expected mtd, event or user)");
	info = &spec_fields[f];
	if (!eq)
		return info->err_no_value;
	if (seen[f])
		return info->err_twice;
	seen[f] = true;
	value_len = len - (size_t)(eq - p) - 1;
	if (!value_len)
		return info->err_empty;
	if (value_len > info->max)
		return info->err_long;
	/* A NUL inside would hide the rest from the check: refuse it. */
	if (memchr(eq + 1, '\0', value_len))
		return info->err_chars;
	slot = spec_slot(out, f);
	memcpy(slot, eq + 1, value_len);
	slot[value_len] = '\0';
	return info->valid(slot) ? NULL : info->err_chars;
}

int nk_custom_spec_parse(const char *spec, size_t len,
			 struct nk_custom_spec *out, const char **err)
{
	bool seen[SPEC_FIELDS] = { false };
	size_t pos = 0;

	memset(out, 0, sizeof(*out));
	*err = NULL;
	if (len > NK_CUSTOM_SPEC_MAX)
		*err = SPEC_ERR("too long (at most 256 characters)");
	while (!*err && pos < len) {
		const char *semi = memchr(spec + pos, ';', len - pos);
		size_t field_len = semi ? (size_t)(semi - spec) - pos : len - pos;

		*err = spec_field(spec + pos, field_len, seen, out);
		pos += field_len + 1;
	}
	if (!*err && !seen[SPEC_MTD])
		*err = SPEC_ERR("mtd: missing (the SIP method is required)");
	if (!*err && seen[SPEC_EVENT] && strcmp(out->method, "NOTIFY"))
		*err = SPEC_ERR("event: only allowed with mtd=NOTIFY");
	if (*err)
		return -1;
	if (!strcmp(out->method, "NOTIFY") && !seen[SPEC_EVENT])
		memcpy(out->event, "keep-alive", sizeof("keep-alive"));
	return 0;
}

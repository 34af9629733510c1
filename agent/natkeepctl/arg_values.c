// SPDX-License-Identifier: GPL-2.0
#include "arg_values.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <linux/natkeep.h>

#include "custom_spec.h"
#include "nk_array.h"
#include "nk_msg_type.h"
#include "sip.h"

/* Digits of base 10 or 16 up to end; strtoul would take signs and spaces. */
static int parse_digits(const char *text, const char *end, unsigned int base,
			uint64_t limit, uint64_t *value)
{
	uint64_t result = 0;
	const char *p;

	if (text == end)
		return -1;
	for (p = text; p < end; p++) {
		unsigned int digit;

		if (*p >= '0' && *p <= '9')
			digit = (unsigned int)(*p - '0');
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			digit = (unsigned int)(*p - 'a' + 10);
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			digit = (unsigned int)(*p - 'A' + 10);
		else
			return -1;
		result = result * base + digit;
		if (result > limit)
			return -1;
	}
	*value = result;
	return 0;
}

int nkctl_parse_u32(const char *text, uint32_t *value)
{
	const char *end = text + strlen(text);
	uint64_t result;
	int ret;

	if (!strncmp(text, "0x", 2) || !strncmp(text, "0X", 2))
		ret = parse_digits(text + 2, end, 16, UINT32_MAX, &result);
	else
		ret = parse_digits(text, end, 10, UINT32_MAX, &result);
	if (ret)
		return -1;
	*value = (uint32_t)result;
	return 0;
}

int nkctl_parse_flow_id(const char *text, uint32_t *id, char *err, size_t errlen)
{
	if (nkctl_parse_u32(text, id) || *id == 0) {
		snprintf(err, errlen, "invalid flow id \"%s\", expected 1..4294967295", text);
		return -1;
	}
	return 0;
}

/* Milliseconds, "N", "Nms" or "Ns", within min..max; what names it. */
static int parse_ms(const char *text, const char *what, const char *examples,
		    uint32_t min, uint32_t max, uint32_t *ms, char *err, size_t errlen)
{
	size_t len = strlen(text);
	uint64_t multiplier = 1, value;
	const char *end = text + len;

	if (len > 2 && !strcmp(end - 2, "ms")) {
		end -= 2;
	} else if (len > 1 && end[-1] == 's') {
		end -= 1;
		multiplier = 1000;
	}
	if (parse_digits(text, end, 10, UINT32_MAX, &value)) {
		snprintf(err, errlen,
			 "invalid %s \"%s\", expected milliseconds (e.g. %s)",
			 what, text, examples);
		return -1;
	}
	value *= multiplier;
	if (value < min || value > max) {
		snprintf(err, errlen, "%s \"%s\" out of range %ums..%ums", what, text,
			 min, max);
		return -1;
	}
	*ms = (uint32_t)value;
	return 0;
}

int nkctl_parse_interval(const char *text, uint32_t *ms, char *err, size_t errlen)
{
	return parse_ms(text, "interval", "500, 500ms, 20s", NATKEEP_INTERVAL_MIN_MS,
			NATKEEP_INTERVAL_MAX_MS, ms, err, errlen);
}

int nkctl_parse_timeout(const char *text, uint32_t *ms, char *err, size_t errlen)
{
	return parse_ms(text, "timeout", "2000, 500ms, 2s", 0, NATKEEP_INTERVAL_MAX_MS,
			ms, err, errlen);
}

int nkctl_parse_misses(const char *text, uint8_t *misses, char *err, size_t errlen)
{
	uint64_t value;

	if (parse_digits(text, text + strlen(text), 10, UINT8_MAX, &value) || value == 0) {
		snprintf(err, errlen, "invalid misses \"%s\", expected 1..%u", text, UINT8_MAX);
		return -1;
	}
	*misses = (uint8_t)value;
	return 0;
}

/*
 * One SIP string: empty (when may_be_empty), or at most max bytes that
 * valid() accepts; expected says what it should look like.
 */
static int parse_sip_string(const char *keyword, const char *text, size_t max,
			    bool may_be_empty, bool (*valid)(const char *),
			    const char *expected, char *out, char *err, size_t errlen)
{
	size_t len = strlen(text);

	if (!len && may_be_empty) {
		out[0] = '\0';
		return 0;
	}
	if (len > max) {
		snprintf(err, errlen, "%s is too long (%zu bytes, at most %zu)", keyword,
			 len, max);
		return -1;
	}
	if (!len || !valid(text)) {
		snprintf(err, errlen, "invalid %s \"%s\", expected %s", keyword, text,
			 expected);
		return -1;
	}
	memcpy(out, text, len + 1);
	return 0;
}

#define HOST_EXPECTED "a host name, IPv4 address or [IPv6] address, with an optional :port"

int nkctl_parse_sip_host(const char *text, char *out, char *err, size_t errlen)
{
	return parse_sip_string("host", text, NK_SIP_HOST_MAX, true, nk_sip_valid_host,
				HOST_EXPECTED, out, err, errlen);
}

int nkctl_parse_sip_from_user(const char *text, char *out, char *err, size_t errlen)
{
	return parse_sip_string("from-user", text, NK_SIP_USER_MAX, false, nk_sip_valid_user,
				"a SIP userid (letters, digits, -_.!~*'()&=+$,;?/ or %XX)",
				out, err, errlen);
}

int nkctl_parse_sip_from_domain(const char *text, char *out, char *err, size_t errlen)
{
	return parse_sip_string("from-domain", text, NK_SIP_HOST_MAX, true, nk_sip_valid_host,
				HOST_EXPECTED, out, err, errlen);
}

int nkctl_parse_sip_user_agent(const char *text, char *out, char *err, size_t errlen)
{
	return parse_sip_string("user-agent", text, NK_SIP_TEXT_MAX, true, nk_sip_valid_text,
				"printable text", out, err, errlen);
}

int nkctl_parse_custom_spec(const char *text, char *out, char *err, size_t errlen)
{
	struct nk_custom_spec spec;
	const char *why = NULL;
	size_t len = strlen(text);

	if (nk_custom_spec_parse(text, len, &spec, &why)) {
		if (len > NK_CUSTOM_SPEC_MAX)	/* too long to repeat */
			snprintf(err, errlen, "spec of %zu bytes: %s", len,
				 why ? why : "invalid");
		else
			snprintf(err, errlen, "spec \"%s\": %s", text, why ? why : "invalid");
		return -1;
	}
	memcpy(out, text, len + 1);
	return 0;
}

int nkctl_parse_mark(const char *text, uint32_t *mark, char *err, size_t errlen)
{
	if (nkctl_parse_u32(text, mark)) {
		snprintf(err, errlen,
			 "invalid mark \"%s\", expected a 32-bit number (decimal or 0x hex)",
			 text);
		return -1;
	}
	return 0;
}

/* Per-hop behaviours (RFC 2474, 2597, 3246, 5865) to their DSCP values. */
static const struct {
	const char *name;
	uint8_t value;
} dscp_names[] = {
	{ "be", 0 }, { "cs0", 0 }, { "cs1", 8 }, { "cs2", 16 }, { "cs3", 24 },
	{ "cs4", 32 }, { "cs5", 40 }, { "cs6", 48 }, { "cs7", 56 },
	{ "af11", 10 }, { "af12", 12 }, { "af13", 14 },
	{ "af21", 18 }, { "af22", 20 }, { "af23", 22 },
	{ "af31", 26 }, { "af32", 28 }, { "af33", 30 },
	{ "af41", 34 }, { "af42", 36 }, { "af43", 38 },
	{ "va", 44 }, { "ef", 46 },
};

int nkctl_parse_dscp(const char *text, uint8_t *dscp, char *err, size_t errlen)
{
	uint64_t value;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dscp_names); i++) {
		if (!strcasecmp(text, dscp_names[i].name)) {
			*dscp = dscp_names[i].value;
			return 0;
		}
	}
	if (parse_digits(text, text + strlen(text), 10, NATKEEP_DSCP_MAX, &value)) {
		snprintf(err, errlen,
			 "invalid dscp \"%s\", expected 0..%u or a name like ef, cs3, af41",
			 text, NATKEEP_DSCP_MAX);
		return -1;
	}
	*dscp = (uint8_t)value;
	return 0;
}

int nkctl_parse_msg_type(const char *text, uint8_t *type, char *err, size_t errlen)
{
	int value = nk_msg_type_from_name(text);

	if (value < 0) {
		snprintf(err, errlen, "invalid type \"%s\", expected %s", text,
			 nk_msg_type_choices());
		return -1;
	}
	*type = (uint8_t)value;
	return 0;
}

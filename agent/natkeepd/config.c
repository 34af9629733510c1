// SPDX-License-Identifier: GPL-2.0
/*
 * natkeepd's configuration file: the INI reader. It splits lines, finds the
 * sections and "Name = value" pairs, and hands each value to the check of
 * its parameter (config_values.c); the checks between parameters run once
 * the whole file is read (config_check.c). The first error ends the parse:
 * a reload then keeps the running configuration.
 */
#include "config_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* Far more than any gateway needs; stops a mistaken path like /dev/zero. */
#define CONFIG_FILE_MAX	(1024 * 1024)

struct parser {
	const char *path;
	struct nkd_config *cfg;
	char *err;
	size_t errlen;
	unsigned int line;
	/* The current section: none before the first header. */
	bool in_section;
	enum nkd_section_kind kind;
	void *obj;				/* its struct in cfg */
	struct nkd_section_lines *lines;
	char title[NKD_SHOWN_MAX + 3];		/* "[SP1 Service]" */
	struct nkd_file_lines file;
};

int nkd_config_fail(char *err, size_t errlen, const char *path,
		    unsigned int line, const char *param, const char *fmt, ...)
{
	char why[NKD_CONFIG_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (param)
		snprintf(err, errlen, "%s:%u: %s: %s", path, line, param, why);
	else
		snprintf(err, errlen, "%s:%u: %s", path, line, why);
	return -1;
}

const char *nkd_shorten(char *buf, size_t cap, const char *s, size_t len)
{
	size_t n = len > NKD_SHOWN_CUT ? NKD_SHOWN_CUT : len, i;

	if (!cap)
		return buf;
	if (n > cap - 1)
		n = cap - 1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		buf[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	buf[n] = '\0';
	if (n < len && cap - n > 3)
		memcpy(buf + n, "...", 4);
	return buf;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Trims @s in place, returns its new start. */
static char *trim(char *s)
{
	size_t n;

	while (is_blank(*s))
		s++;
	n = strlen(s);
	while (n && is_blank(s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* The section called @name: its kind and index, or -1. */
static int section_find(const char *name, enum nkd_section_kind *kind,
			unsigned int *index)
{
	static const char profile[] = "ITSP Profile ", profile_end[] = " - SIP";
	static const char account_end[] = " Service";
	size_t len = strlen(name);

	if (!strcmp(name, "natkeepd")) {
		*kind = NKD_SECTION_AGENT;
		*index = 0;
		return 0;
	}
	if (len == sizeof(profile) - 1 + 1 + sizeof(profile_end) - 1 &&
	    !strncmp(name, profile, sizeof(profile) - 1) &&
	    !strcmp(name + sizeof(profile), profile_end) &&
	    name[sizeof(profile) - 1] >= 'A' &&
	    name[sizeof(profile) - 1] < 'A' + NKD_MAX_PROFILES) {
		*kind = NKD_SECTION_PROFILE;
		*index = (unsigned int)(name[sizeof(profile) - 1] - 'A');
		return 0;
	}
	if (len == 3 + sizeof(account_end) - 1 && !strncmp(name, "SP", 2) &&
	    name[2] >= '1' && name[2] < '1' + NKD_MAX_ACCOUNTS &&
	    !strcmp(name + 3, account_end)) {
		*kind = NKD_SECTION_ACCOUNT;
		*index = (unsigned int)(name[2] - '1');
		return 0;
	}
	return -1;
}

static int section_header(struct parser *p, char *text)
{
	char *close = strchr(text, ']'), *name, shown[NKD_SHOWN_MAX + 1];
	struct nkd_config *cfg = p->cfg;
	struct nkd_section_lines *lines;
	enum nkd_section_kind kind;
	unsigned int index;

	/* A header that is not one is shown whole. */
	nkd_shorten(shown, sizeof(shown), text, strlen(text));
	if (!close)
		return nkd_config_fail(p->err, p->errlen, p->path, p->line, shown,
				       "no ']' to end the section header");
	if (*trim(close + 1))
		return nkd_config_fail(p->err, p->errlen, p->path, p->line, shown,
				       "text after ']' (comments go on lines of their own)");
	*close = '\0';
	name = trim(text + 1);
	snprintf(p->title, sizeof(p->title), "[%s]",
		 nkd_shorten(shown, sizeof(shown), name, strlen(name)));
	if (section_find(name, &kind, &index))
		return nkd_config_fail(p->err, p->errlen, p->path, p->line, p->title,
				       "unknown section (SP1..SP8 Service, ITSP Profile A..H - SIP, natkeepd)");
	if (kind == NKD_SECTION_AGENT)
		lines = &p->file.agent;
	else if (kind == NKD_SECTION_PROFILE)
		lines = &p->file.profiles[index];
	else
		lines = &p->file.accounts[index];
	if (lines->header)
		return nkd_config_fail(p->err, p->errlen, p->path, p->line, p->title,
				       "duplicate section (first at line %u)",
				       lines->header);
	lines->header = p->line;
	if (kind == NKD_SECTION_AGENT) {
		p->obj = &cfg->agent;
	} else if (kind == NKD_SECTION_PROFILE) {
		p->obj = &cfg->profiles[index];
		cfg->profiles[index].present = true;
		cfg->profiles[index].line = p->line;
	} else {
		p->obj = &cfg->accounts[index];
		cfg->accounts[index].present = true;
		cfg->accounts[index].line = p->line;
		/* A service given is a service in use, unless Enable says not. */
		cfg->accounts[index].enable = true;
	}
	p->lines = lines;
	p->kind = kind;
	p->in_section = true;
	return 0;
}

/* Why @name is not a parameter of the current section, as a hint. */
static void unknown_param(struct parser *p, const char *name)
{
	const struct nkd_section_params *here = &nkd_section_params[p->kind];
	char shown[NKD_SHOWN_MAX + 1];
	const char *hint = "", *other = "";
	int k;
	size_t i;

	for (i = 0; i < here->count; i++) {
		if (!strcasecmp(here->params[i].name, name)) {
			hint = here->params[i].name;
			break;
		}
	}
	for (k = 0; !*hint && k < NKD_SECTION_KINDS; k++) {
		if (k != (int)p->kind &&
		    nkd_param_find((enum nkd_section_kind)k, name) >= 0) {
			other = nkd_section_params[k].title;
			break;
		}
	}
	nkd_config_fail(p->err, p->errlen, p->path, p->line,
			nkd_shorten(shown, sizeof(shown), name, strlen(name)),
			"unknown parameter in %s%s%s%s%s%s", p->title,
			*hint ? " (did you mean " : "", hint,
			*hint ? "? names are case-sensitive)" : "",
			*other ? "; it belongs in " : "", other);
}

static int parameter(struct parser *p, char *text)
{
	char *eq = strchr(text, '='), *name, *value, shown[NKD_SHOWN_MAX + 1];
	char why[NKD_CONFIG_ERR_MAX];
	const struct nkd_param *param;
	size_t len;
	int i;

	/* Lines without a name are shown whole, in the parameter's place. */
	nkd_shorten(shown, sizeof(shown), text, strlen(text));
	if (!eq)
		return nkd_config_fail(p->err, p->errlen, p->path, p->line, shown,
				       "no '=' (expected Name = value)");
	*eq = '\0';
	name = trim(text);
	value = trim(eq + 1);
	if (!*name)
		return nkd_config_fail(p->err, p->errlen, p->path, p->line, shown,
				       "no parameter name before '='");
	if (!p->in_section)
		return nkd_config_fail(p->err, p->errlen, p->path, p->line,
				       nkd_shorten(shown, sizeof(shown), name, strlen(name)),
				       "outside any section (a [section] header must come first)");
	i = nkd_param_find(p->kind, name);
	if (i < 0) {
		unknown_param(p, name);
		return -1;
	}
	param = &nkd_section_params[p->kind].params[i];
	if (p->lines->seen[i])
		return nkd_config_fail(p->err, p->errlen, p->path, p->line,
				       param->name, "set twice (first at line %u)",
				       p->lines->seen[i]);
	p->lines->seen[i] = p->line;
	len = strlen(value);
	if (value[0] == '"') {
		if (len < 2 || value[len - 1] != '"')
			return nkd_config_fail(p->err, p->errlen, p->path, p->line,
					       param->name,
					       "unterminated quote (a value that starts with \" must end with \")");
		value[len - 1] = '\0';
		value++;
	}
	/* Empty: not set, and the section's struct holds the default. */
	if (!*value)
		return 0;
	p->lines->valued[i] = p->line;
	if (nkd_param_set(param, p->obj, value, why, sizeof(why)))
		return nkd_config_fail(p->err, p->errlen, p->path, p->line,
				       param->name, "%s", why);
	return 0;
}

static int parse_line(struct parser *p, char *buf)
{
	char *text = trim(buf);

	if (!*text || *text == '#' || *text == ';')
		return 0;
	if (*text == '[')
		return section_header(p, text);
	return parameter(p, text);
}

int nkd_config_parse(const char *text, size_t len, const char *path,
		     struct nkd_config *cfg, char *err, size_t errlen)
{
	struct parser parser = {
		.path = path, .cfg = cfg, .err = err, .errlen = errlen,
	}, *p = &parser;
	char buf[NKD_LINE_MAX + 1];
	size_t pos = 0;
	int ret = 0;

	nkd_config_defaults(cfg);
	snprintf(cfg->path, sizeof(cfg->path), "%s", path);
	/* Editors on some systems start UTF-8 files with a byte order mark. */
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		pos = 3;
	while (!ret && pos < len) {
		const char *start = text + pos;
		const char *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;

		pos += n + (nl ? 1 : 0);
		p->line++;
		if (memchr(start, '\0', n)) {
			ret = nkd_config_fail(err, errlen, path, p->line, NULL,
					      "NUL byte in the file (not a text file?)");
			break;
		}
		if (n && start[n - 1] == '\r')
			n--;
		if (n > NKD_LINE_MAX) {
			ret = nkd_config_fail(err, errlen, path, p->line, NULL,
					      "line too long (at most %d characters)",
					      NKD_LINE_MAX);
			break;
		}
		memcpy(buf, start, n);
		buf[n] = '\0';
		ret = parse_line(p, buf);
	}
	if (!ret)
		ret = nkd_config_check(cfg, &p->file, path, err, errlen);
	return ret;
}

int nkd_config_load(const char *path, struct nkd_config *cfg,
		    char *err, size_t errlen)
{
	size_t len = 0, cap = 4096;
	char *text = NULL, *bigger;
	int fd, ret, saved;
	ssize_t n;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto fail;
	for (;;) {
		if (!text || len == cap) {
			if (text)
				cap *= 2;
			if (cap > CONFIG_FILE_MAX + 1)
				cap = CONFIG_FILE_MAX + 1;
			bigger = realloc(text, cap);
			if (!bigger) {
				errno = ENOMEM;
				goto fail;
			}
			text = bigger;
		}
		n = read(fd, text + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (!n)
			break;
		len += (size_t)n;
		if (len > CONFIG_FILE_MAX) {
			errno = EFBIG;
			goto fail;
		}
	}
	close(fd);
	ret = nkd_config_parse(text, len, path, cfg, err, errlen);
	free(text);
	return ret;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	free(text);
	snprintf(err, errlen, "%s: %s", path, strerror(saved));
	return -1;
}

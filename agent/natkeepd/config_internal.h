/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the configuration parser, not for the rest of natkeepd: the
 * parameters each kind of section takes and the checks of their values
 * (config_values.c), the checks of the file as a whole (config_check.c),
 * and the INI reader that drives both (config.c).
 */
#ifndef NKD_CONFIG_INTERNAL_H
#define NKD_CONFIG_INTERNAL_H

#include "config.h"

#define NKD_LINE_MAX		1023	/* characters, without the newline */
#define NKD_SECTION_PARAMS_MAX	24	/* parameters of one kind of section */

enum nkd_section_kind {
	NKD_SECTION_AGENT,	/* [natkeepd] */
	NKD_SECTION_PROFILE,	/* [ITSP Profile X - SIP] */
	NKD_SECTION_ACCOUNT,	/* [SPn Service] */
	NKD_SECTION_KINDS,
};

/* What a parameter holds; the kind fixes the C type of its field too. */
enum nkd_value_kind {
	NKD_VAL_BOOL,		/* bool: true or false */
	NKD_VAL_SECONDS,	/* unsigned int, min..max */
	NKD_VAL_PORT,		/* uint16_t, 1..65535 */
	NKD_VAL_PORT_OR_ZERO,	/* uint16_t, 0: the server's */
	NKD_VAL_PORT_LIST,	/* X_UserAgentPorts and its count */
	NKD_VAL_HOST,		/* char[NKD_HOST_MAX + 1], no port */
	NKD_VAL_USER,		/* char[NKD_USER_MAX + 1] */
	NKD_VAL_URI,		/* char[NKD_USER_MAX + 1], from USER or sip:USER@HOST */
	NKD_VAL_SECRET,		/* char[NKD_SECRET_MAX + 1], never echoed */
	NKD_VAL_PATH,		/* char[NKD_PATH_MAX], absolute, at most max long */
	NKD_VAL_LOG_LEVEL,	/* enum nkd_log_level */
	NKD_VAL_PROFILE,	/* unsigned int, A..H as 0..7 */
	NKD_VAL_MSG_TYPE,	/* uint8_t, enum natkeep_msg_type */
	NKD_VAL_CUSTOM_SPEC,	/* char[NK_CUSTOM_SPEC_MAX + 1] */
	NKD_VAL_ENDPOINT,	/* struct nkd_endpoint_setting: ADDR:PORT, [V6]:PORT */
};

struct nkd_param {
	const char *name;	/* as the OBi spells it */
	enum nkd_value_kind kind;
	size_t offset;		/* of the field in its section's struct */
	unsigned int min, max;	/* seconds: the range; path: the longest */
};

struct nkd_section_params {
	const char *title;	/* the kind, in messages: "[SP1..SP8 Service]" */
	const struct nkd_param *params;
	size_t count;
};

extern const struct nkd_section_params nkd_section_params[NKD_SECTION_KINDS];

/* The index of parameter @name in sections of @kind, or -1. */
int nkd_param_find(enum nkd_section_kind kind, const char *name);

/*
 * Set @param in @obj, the struct of its section, from @value (unquoted, not
 * empty). Returns 0, or -1 with what is wrong in @why.
 */
int nkd_param_set(const struct nkd_param *param, void *obj, const char *value,
		  char *why, size_t whylen);

/* Where the file gave a section and each of its parameters. */
struct nkd_section_lines {
	unsigned int header;				/* 0: not in the file */
	unsigned int seen[NKD_SECTION_PARAMS_MAX];	/* 0: not in the section */
	unsigned int valued[NKD_SECTION_PARAMS_MAX];	/* the same, not empty */
};

struct nkd_file_lines {
	struct nkd_section_lines agent;
	struct nkd_section_lines profiles[NKD_MAX_PROFILES];
	struct nkd_section_lines accounts[NKD_MAX_ACCOUNTS];
};

/* The checks between parameters and sections, once the file is read. */
int nkd_config_check(const struct nkd_config *cfg,
		     const struct nkd_file_lines *lines, const char *path,
		     char *err, size_t errlen);

/*
 * "path:line: param: " and the rest into @err; without @param for what is
 * wrong with the line itself. Returns -1.
 */
int nkd_config_fail(char *err, size_t errlen, const char *path,
		    unsigned int line, const char *param, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

/*
 * @len bytes of @s as a message shows them: control bytes as '?', cut to
 * NKD_SHOWN_CUT characters and "...".
 */
#define NKD_SHOWN_CUT	40
#define NKD_SHOWN_MAX	(NKD_SHOWN_CUT + 3)	/* the longest, without NUL */
const char *nkd_shorten(char *buf, size_t cap, const char *s, size_t len);

#endif

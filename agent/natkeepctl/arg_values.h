/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The values of natkeepctl's keywords. Each returns 0, or -1 with a message
 * naming the bad token in err. Limits are those of linux/natkeep.h, checked
 * here so users get a clear message before anything is sent.
 */
#ifndef NKCTL_ARG_VALUES_H
#define NKCTL_ARG_VALUES_H

#include <stddef.h>
#include <stdint.h>

/* Decimal, or hexadecimal with 0x; no sign, no spaces, fits in 32 bits. */
int nkctl_parse_u32(const char *text, uint32_t *value);

/* A flow id: 1..2^32-1. */
int nkctl_parse_flow_id(const char *text, uint32_t *id, char *err, size_t errlen);

/* Milliseconds: "1000", "500ms" or "20s". */
int nkctl_parse_interval(const char *text, uint32_t *ms, char *err, size_t errlen);

/* A u32 skb mark, decimal or 0x hex. */
int nkctl_parse_mark(const char *text, uint32_t *mark, char *err, size_t errlen);

/* 0..63, or a PHB name: "ef", "cs0".."cs7", "af11".."af43", "va", "be". */
int nkctl_parse_dscp(const char *text, uint8_t *dscp, char *err, size_t errlen);

/* keep-alive, empty, stun, custom, options, notify. */
int nkctl_parse_msg_type(const char *text, uint8_t *type, char *err, size_t errlen);

/*
 * A response timeout in milliseconds, written as an interval is: 1 up to
 * the longest interval, or 0 for the module's default.
 */
int nkctl_parse_timeout(const char *text, uint32_t *ms, char *err, size_t errlen);

/* Misses in a row that make a peer unresponsive: 1..255. */
int nkctl_parse_misses(const char *text, uint8_t *misses, char *err, size_t errlen);

/*
 * The SIP strings of a flow, checked with the module's own validators
 * (kmod/proto/sip.h) and copied into out (the limit + 1 bytes). "" is
 * accepted for the host, the From domain and the User-Agent, and means the
 * module's default (the remote address, the host, no User-Agent).
 */
int nkctl_parse_sip_host(const char *text, char *out, char *err, size_t errlen);
int nkctl_parse_sip_from_user(const char *text, char *out, char *err, size_t errlen);
int nkctl_parse_sip_from_domain(const char *text, char *out, char *err, size_t errlen);
int nkctl_parse_sip_user_agent(const char *text, char *out, char *err, size_t errlen);

/*
 * X_CustomKeepAliveMsg, "mtd=METHOD[;event=EVENT][;user=USER]", parsed as
 * the module parses it (kmod/proto/custom_spec.h) and with its message:
 * spec "mtd=OPTIONS;event=x": custom spec: event: only allowed with mtd=NOTIFY
 */
int nkctl_parse_custom_spec(const char *text, char *out, char *err, size_t errlen);

#endif

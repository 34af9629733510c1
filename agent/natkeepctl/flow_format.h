/* SPDX-License-Identifier: GPL-2.0 */
/* A flow as text for people and as JSON for scripts. */
#ifndef NKCTL_FLOW_FORMAT_H
#define NKCTL_FLOW_FORMAT_H

#include <stdio.h>

#include "json_writer.h"
#include "nk_flow.h"

/*
 * ip-style block: "flow 3 local ... remote ... type ... interval ...ms
 * [random] [mark 0x..] [dscp N] [host H] [from USER@DOMAIN] [ua "TEXT"]
 * [spec SPEC] [fingerprint] [timeout MSms misses N]", then indented lines
 * with counters, the public mapping, the peer's responses and the worst
 * lateness when the message carried them. prefix ("new ", ...) goes
 * before "flow"; only fields present are printed.
 */
void nkctl_flow_print_text(FILE *out, const struct nk_flow *flow, const char *prefix);

/* The first line of that block alone. */
void nkctl_flow_print_config(FILE *out, const struct nk_flow *flow, const char *prefix);

/* "203.0.113.7:40123 (stun)". */
void nkctl_mapping_print_text(FILE *out, const struct nk_mapping *mapping);

/*
 * One JSON object; event, if not NULL, is its first key ("event"). An
 * "old_mapping" key is there when the message has one, or (null) when
 * event is "mapping".
 */
void nkctl_flow_print_json(struct json_writer *jw, const struct nk_flow *flow,
			   const char *event);

/* {"family", "addr", "port", "source", "text"} of a mapping. */
void nkctl_mapping_print_json(struct json_writer *jw, const struct nk_mapping *mapping);

#endif

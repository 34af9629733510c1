/* SPDX-License-Identifier: GPL-2.0 */
/* A flow as text for people and as JSON for scripts. */
#ifndef NKCTL_FLOW_FORMAT_H
#define NKCTL_FLOW_FORMAT_H

#include <stdio.h>

#include "json_writer.h"
#include "nk_flow.h"

/*
 * ip-style block: "flow 3 local ... remote ... type ... interval ...ms
 * [random] [mark 0x..] [dscp N]", then indented lines with counters and
 * the lateness histogram when the message carried them. prefix ("new ",
 * ...) goes before "flow"; only fields present are printed.
 */
void nkctl_flow_print_text(FILE *out, const struct nk_flow *flow, const char *prefix);

/* One JSON object; event, if not NULL, is its first key ("event"). */
void nkctl_flow_print_json(struct json_writer *jw, const struct nk_flow *flow,
			   const char *event);

#endif

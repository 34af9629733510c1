/* SPDX-License-Identifier: GPL-2.0 */
/* The events group's messages as "natkeepctl monitor" prints them. */
#ifndef NKCTL_EVENT_FORMAT_H
#define NKCTL_EVENT_FORMAT_H

#include <stdio.h>

#include "json_writer.h"
#include "nk_flow.h"

/*
 * "new", "set", "del" (FLOW_NEW/SET/DEL), "mapping" (MAPPING_CHANGED),
 * "unresponsive", "responsive" (PEER_*); NULL for other commands.
 */
const char *nkctl_event_name(int cmd);

/*
 * One line per event:
 *   new flow 3 local ... (as flow show's first line; also set, del)
 *   mapping flow 3 (none) -> 203.0.113.7:40123 (stun)
 *   unresponsive flow 3 remote 192.0.2.10:5060 misses 3
 *   responsive flow 3 remote 192.0.2.10:5060 [rtt 1.2ms]
 * cmd must have a name.
 */
void nkctl_event_print_text(FILE *out, int cmd, const struct nk_flow *flow);

/* The flow's JSON object with "event" first (and "old_mapping" for mapping). */
void nkctl_event_print_json(struct json_writer *jw, int cmd, const struct nk_flow *flow);

#endif

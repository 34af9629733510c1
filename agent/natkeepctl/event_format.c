// SPDX-License-Identifier: GPL-2.0
/* Events as one line of text or one JSON object. */
#include <linux/natkeep.h>

#include "event_format.h"
#include "flow_format.h"
#include "nk_duration.h"

const char *nkctl_event_name(int cmd)
{
	switch (cmd) {
	case NATKEEP_CMD_FLOW_NEW:
		return "new";
	case NATKEEP_CMD_FLOW_SET:
		return "set";
	case NATKEEP_CMD_FLOW_DEL:
		return "del";
	case NATKEEP_CMD_MAPPING_CHANGED:
		return "mapping";
	case NATKEEP_CMD_PEER_UNRESPONSIVE:
		return "unresponsive";
	case NATKEEP_CMD_PEER_RESPONSIVE:
		return "responsive";
	default:
		return NULL;
	}
}

static void print_flow_remote(FILE *out, const char *event, const struct nk_flow *flow)
{
	char text[NK_ENDPOINT_STRLEN];

	fprintf(out, "%s flow", event);
	if (nk_flow_has(flow, NK_FLOW_ID))
		fprintf(out, " %u", flow->id);
	if (nk_flow_has(flow, NK_FLOW_REMOTE_ADDR | NK_FLOW_REMOTE_PORT)) {
		nk_endpoint_format(flow->family, &flow->remote_addr, flow->remote_port,
				   text, sizeof(text));
		fprintf(out, " remote %s", text);
	}
}

static void print_mapping_event(FILE *out, const struct nk_flow *flow)
{
	char text[NK_ENDPOINT_STRLEN];

	fputs("mapping flow", out);
	if (nk_flow_has(flow, NK_FLOW_ID))
		fprintf(out, " %u", flow->id);
	if (nk_flow_has(flow, NK_FLOW_OLD_MAPPING)) {
		nk_endpoint_format(flow->old_mapping.family, &flow->old_mapping.addr,
				   flow->old_mapping.port, text, sizeof(text));
		fprintf(out, " %s -> ", text);
	} else {
		fputs(" (none) -> ", out);
	}
	if (nk_flow_has(flow, NK_FLOW_MAPPING))
		nkctl_mapping_print_text(out, &flow->mapping);
	else
		fputs("(none)", out);
	fputc('\n', out);
}

void nkctl_event_print_text(FILE *out, int cmd, const struct nk_flow *flow)
{
	const char *event = nkctl_event_name(cmd);
	char text[32];

	switch (cmd) {
	case NATKEEP_CMD_MAPPING_CHANGED:
		print_mapping_event(out, flow);
		return;
	case NATKEEP_CMD_PEER_UNRESPONSIVE:
		print_flow_remote(out, event, flow);
		if (nk_flow_has(flow, NK_FLOW_MISS_LIMIT))
			fprintf(out, " misses %u", flow->miss_limit);
		fputc('\n', out);
		return;
	case NATKEEP_CMD_PEER_RESPONSIVE:
		print_flow_remote(out, event, flow);
		/* Events carry no stats today; a module that adds them is shown. */
		if (nk_flow_has(flow, NK_FLOW_STATS) && flow->stats.has_rtt_last) {
			nk_duration_format(flow->stats.rtt_last_ns, text, sizeof(text));
			fprintf(out, " rtt %s", text);
		}
		fputc('\n', out);
		return;
	default:
		/* One line: the flow's settings, not its mapping or peer state. */
		snprintf(text, sizeof(text), "%s ", event ? event : "?");
		nkctl_flow_print_config(out, flow, text);
		return;
	}
}

void nkctl_event_print_json(struct json_writer *jw, int cmd, const struct nk_flow *flow)
{
	const char *event = nkctl_event_name(cmd);

	nkctl_flow_print_json(jw, flow, event ? event : "?");
}

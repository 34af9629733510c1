// SPDX-License-Identifier: GPL-2.0
/* A flow as an ip-style text block. */
#include <linux/natkeep.h>

#include "flow_format.h"
#include "nk_duration.h"
#include "nk_lateness.h"
#include "nk_msg_type.h"

static void print_endpoint(FILE *out, const char *key, const struct nk_flow *flow,
			   const union nk_inet_addr *addr, uint16_t port)
{
	char text[NK_ENDPOINT_STRLEN];

	nk_endpoint_format(flow->family, addr, port, text, sizeof(text));
	fprintf(out, " %s %s", key, text);
}

static void print_config_line(FILE *out, const struct nk_flow *flow, const char *prefix)
{
	fprintf(out, "%sflow", prefix ? prefix : "");
	if (nk_flow_has(flow, NK_FLOW_ID))
		fprintf(out, " %u", flow->id);
	if (nk_flow_has(flow, NK_FLOW_LOCAL_ADDR | NK_FLOW_LOCAL_PORT))
		print_endpoint(out, "local", flow, &flow->local_addr, flow->local_port);
	if (nk_flow_has(flow, NK_FLOW_REMOTE_ADDR | NK_FLOW_REMOTE_PORT))
		print_endpoint(out, "remote", flow, &flow->remote_addr, flow->remote_port);
	if (nk_flow_has(flow, NK_FLOW_MSG_TYPE)) {
		const char *name = nk_msg_type_name(flow->msg_type);

		if (name)
			fprintf(out, " type %s", name);
		else
			fprintf(out, " type %u", flow->msg_type);
	}
	if (nk_flow_has(flow, NK_FLOW_INTERVAL))
		fprintf(out, " interval %ums", flow->interval_ms);
	/* Defaults (no randomization, mark 0, DSCP 0) go unsaid, as in ip. */
	if (nk_flow_has(flow, NK_FLOW_RANDOMIZE) && flow->randomize)
		fputs(" random", out);
	if (nk_flow_has(flow, NK_FLOW_MARK) && flow->mark)
		fprintf(out, " mark 0x%x", flow->mark);
	if (nk_flow_has(flow, NK_FLOW_DSCP) && flow->dscp)
		fprintf(out, " dscp %u", flow->dscp);
	fputc('\n', out);
}

static void print_counters_line(FILE *out, const struct nk_flow *flow)
{
	const struct nk_flow_stats *stats = &flow->stats;
	char text[32];
	const char *sep = "";

	if (!nk_flow_has(flow, NK_FLOW_STATS) && !nk_flow_has(flow, NK_FLOW_NEXT_SEND))
		return;
	fputs("    ", out);
	if (nk_flow_has(flow, NK_FLOW_STATS)) {
		fprintf(out, "sent %llu errors %llu",
			(unsigned long long)stats->tx_packets,
			(unsigned long long)stats->tx_errors);
		if (stats->has_last_tx_age) {
			nk_duration_format_seconds(stats->last_tx_age_ns, text, sizeof(text));
			fprintf(out, " last %s ago", text);
		} else {
			fputs(" last never", out);
		}
		sep = " ";
	}
	if (nk_flow_has(flow, NK_FLOW_NEXT_SEND)) {
		nk_duration_format_seconds(flow->next_send_ns, text, sizeof(text));
		fprintf(out, "%snext in %s", sep, text);
	}
	fputc('\n', out);
}

static void print_lateness_line(FILE *out, const struct nk_flow *flow)
{
	const struct nk_flow_stats *stats = &flow->stats;
	char text[32];
	unsigned int b;
	bool any = false;

	if (!nk_flow_has(flow, NK_FLOW_STATS))
		return;
	for (b = 0; b < NATKEEP_LATENESS_BUCKETS; b++) {
		if (!stats->lateness[b])
			continue;
		if (!any)
			fputs("    lateness", out);
		any = true;
		nk_lateness_label(b, text, sizeof(text));
		fprintf(out, " %s:%llu", text, (unsigned long long)stats->lateness[b]);
	}
	if (!any)
		return;
	nk_duration_format(stats->lateness_max_ns, text, sizeof(text));
	fprintf(out, " max %s\n", text);
}

void nkctl_flow_print_text(FILE *out, const struct nk_flow *flow, const char *prefix)
{
	print_config_line(out, flow, prefix);
	print_counters_line(out, flow);
	print_lateness_line(out, flow);
}

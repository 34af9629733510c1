// SPDX-License-Identifier: GPL-2.0
/* A flow as an ip-style text block. */
#include <linux/natkeep.h>

#include "flow_format.h"
#include "lateness_format.h"
#include "nk_duration.h"
#include "nk_mapping.h"
#include "nk_msg_type.h"

static void print_endpoint(FILE *out, const char *key, const struct nk_flow *flow,
			   const union nk_inet_addr *addr, uint16_t port)
{
	char text[NK_ENDPOINT_STRLEN];

	nk_endpoint_format(flow->family, addr, port, text, sizeof(text));
	fprintf(out, " %s %s", key, text);
}

static bool has_text(const struct nk_flow *flow, uint32_t field, const char *text)
{
	return nk_flow_has(flow, field) && text[0];
}

/* User-Agent text may hold spaces and quotes: quote it, C style. */
static void print_quoted(FILE *out, const char *text)
{
	fputc('"', out);
	for (; *text; text++) {
		if (*text == '"' || *text == '\\')
			fputc('\\', out);
		fputc(*text, out);
	}
	fputc('"', out);
}

/* The SIP strings that are set ("" is the module's default: unsaid). */
static void print_sip(FILE *out, const struct nk_flow *flow)
{
	bool user = has_text(flow, NK_FLOW_SIP_FROM_USER, flow->sip_from_user);
	bool domain = has_text(flow, NK_FLOW_SIP_FROM_DOMAIN, flow->sip_from_domain);

	if (has_text(flow, NK_FLOW_SIP_HOST, flow->sip_host))
		fprintf(out, " host %s", flow->sip_host);
	if (user && domain)
		fprintf(out, " from %s@%s", flow->sip_from_user, flow->sip_from_domain);
	else if (user)
		fprintf(out, " from %s", flow->sip_from_user);
	else if (domain)
		fprintf(out, " from-domain %s", flow->sip_from_domain);
	if (has_text(flow, NK_FLOW_SIP_USER_AGENT, flow->sip_user_agent)) {
		fputs(" ua ", out);
		print_quoted(out, flow->sip_user_agent);
	}
	if (has_text(flow, NK_FLOW_CUSTOM_SPEC, flow->custom_spec))
		fprintf(out, " spec %s", flow->custom_spec);
}

/* Types whose keep-alives are answered: STUN and the SIP requests. */
static bool gets_responses(const struct nk_flow *flow)
{
	if (!nk_flow_has(flow, NK_FLOW_MSG_TYPE))
		return false;
	switch (flow->msg_type) {
	case NATKEEP_MSG_STUN:
	case NATKEEP_MSG_CUSTOM:
	case NATKEEP_MSG_OPTIONS:
	case NATKEEP_MSG_NOTIFY:
		return true;
	default:
		return false;
	}
}

/* Response timeout and miss limit, for the types that get responses. */
static void print_responses(FILE *out, const struct nk_flow *flow)
{
	if (!gets_responses(flow))
		return;
	if (nk_flow_has(flow, NK_FLOW_RESPONSE_TIMEOUT)) {
		uint32_t ms = flow->response_timeout_ms;

		/* 0 is the default: the smaller of 2000 ms and the interval. */
		if (!ms && nk_flow_has(flow, NK_FLOW_INTERVAL))
			ms = flow->interval_ms < NATKEEP_RESPONSE_TIMEOUT_DEFAULT_MS ?
			     flow->interval_ms : NATKEEP_RESPONSE_TIMEOUT_DEFAULT_MS;
		if (ms)
			fprintf(out, " timeout %ums", ms);
		else
			fputs(" timeout default", out);
	}
	if (nk_flow_has(flow, NK_FLOW_MISS_LIMIT))
		fprintf(out, " misses %u", flow->miss_limit);
}

void nkctl_flow_print_config(FILE *out, const struct nk_flow *flow, const char *prefix)
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
	print_sip(out, flow);
	if (nk_flow_has(flow, NK_FLOW_STUN_FINGERPRINT) && flow->stun_fingerprint)
		fputs(" fingerprint", out);
	print_responses(out, flow);
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

void nkctl_mapping_print_text(FILE *out, const struct nk_mapping *mapping)
{
	char text[NK_ENDPOINT_STRLEN];
	const char *source = nk_mapping_source_name(mapping->source);

	nk_mapping_format(mapping, text, sizeof(text));
	if (source)
		fprintf(out, "%s (%s)", text, source);
	else
		fprintf(out, "%s (source %u)", text, mapping->source);
}

/* "mapping 203.0.113.7:40123 (stun) changes 2", once one is known. */
static void print_mapping_line(FILE *out, const struct nk_flow *flow)
{
	if (!nk_flow_has(flow, NK_FLOW_MAPPING))
		return;
	fputs("    mapping ", out);
	nkctl_mapping_print_text(out, &flow->mapping);
	if (nk_flow_has(flow, NK_FLOW_STATS))
		fprintf(out, " changes %llu", (unsigned long long)flow->stats.mapping_changes);
	fputc('\n', out);
}

/* "peer responsive rtt 1.2ms srtt 1.4ms responses 57 misses 0/3 (total 4)". */
static void print_peer_line(FILE *out, const struct nk_flow *flow)
{
	const struct nk_flow_stats *stats = &flow->stats;
	char text[32];

	if (!nk_flow_has(flow, NK_FLOW_PEER_RESPONSIVE))
		return;
	fprintf(out, "    peer %s", flow->peer_responsive ? "responsive" : "unresponsive");
	if (nk_flow_has(flow, NK_FLOW_STATS)) {
		if (stats->has_rtt_last) {
			nk_duration_format(stats->rtt_last_ns, text, sizeof(text));
			fprintf(out, " rtt %s", text);
		}
		if (stats->has_rtt_smoothed) {
			nk_duration_format(stats->rtt_smoothed_ns, text, sizeof(text));
			fprintf(out, " srtt %s", text);
		}
		fprintf(out, " responses %llu misses %u",
			(unsigned long long)stats->rx_responses, stats->misses);
		if (nk_flow_has(flow, NK_FLOW_MISS_LIMIT))
			fprintf(out, "/%u", flow->miss_limit);
		fprintf(out, " (total %llu)", (unsigned long long)stats->misses_total);
	}
	fputc('\n', out);
}

void nkctl_flow_print_text(FILE *out, const struct nk_flow *flow, const char *prefix)
{
	nkctl_flow_print_config(out, flow, prefix);
	print_counters_line(out, flow);
	print_mapping_line(out, flow);
	print_peer_line(out, flow);
	if (nk_flow_has(flow, NK_FLOW_STATS))
		nkctl_lateness_print_text(out, &flow->stats);
}

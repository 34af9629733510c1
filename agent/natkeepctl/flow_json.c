// SPDX-License-Identifier: GPL-2.0
/* A flow as a JSON object with stable keys, for scripts. */
#include <string.h>
#include <linux/natkeep.h>

#include "flow_format.h"
#include "lateness_format.h"
#include "nk_mapping.h"
#include "nk_msg_type.h"

static void put_endpoint(struct json_writer *jw, const char *name,
			 const struct nk_flow *flow,
			 const union nk_inet_addr *addr, uint16_t port)
{
	char text[NK_ENDPOINT_STRLEN], key[32];

	nk_endpoint_format(flow->family, addr, port, text, sizeof(text));
	json_kv_string(jw, name, text);
	nk_addr_format(flow->family, addr, text, sizeof(text));
	snprintf(key, sizeof(key), "%s_addr", name);
	json_kv_string(jw, key, text);
	snprintf(key, sizeof(key), "%s_port", name);
	json_kv_uint(jw, key, port);
}

static void put_stats(struct json_writer *jw, const struct nk_flow_stats *stats)
{
	json_key(jw, "stats");
	json_object_start(jw);
	json_kv_uint(jw, "tx_packets", stats->tx_packets);
	json_kv_uint(jw, "tx_errors", stats->tx_errors);
	if (stats->has_last_tx_age)
		json_kv_uint(jw, "last_tx_age_ns", stats->last_tx_age_ns);
	else
		json_kv_null(jw, "last_tx_age_ns");
	json_kv_uint(jw, "rx_responses", stats->rx_responses);
	if (stats->has_rtt_last)
		json_kv_uint(jw, "rtt_last_ns", stats->rtt_last_ns);
	else
		json_kv_null(jw, "rtt_last_ns");
	if (stats->has_rtt_smoothed)
		json_kv_uint(jw, "rtt_smoothed_ns", stats->rtt_smoothed_ns);
	else
		json_kv_null(jw, "rtt_smoothed_ns");
	json_kv_uint(jw, "misses", stats->misses);
	json_kv_uint(jw, "misses_total", stats->misses_total);
	json_kv_uint(jw, "mapping_changes", stats->mapping_changes);
	nkctl_lateness_print_json(jw, stats);
	json_object_end(jw);
}

void nkctl_mapping_print_json(struct json_writer *jw, const struct nk_mapping *mapping)
{
	const char *family = nk_family_name(mapping->family);
	const char *source = nk_mapping_source_name(mapping->source);
	char text[NK_ENDPOINT_STRLEN];

	json_object_start(jw);
	if (family)
		json_kv_string(jw, "family", family);
	else
		json_kv_uint(jw, "family", mapping->family);
	nk_addr_format(mapping->family, &mapping->addr, text, sizeof(text));
	json_kv_string(jw, "addr", text);
	json_kv_uint(jw, "port", mapping->port);
	if (source)
		json_kv_string(jw, "source", source);
	else
		json_kv_uint(jw, "source", mapping->source);
	nk_mapping_format(mapping, text, sizeof(text));
	json_kv_string(jw, "text", text);
	json_object_end(jw);
}

/* A mapping present, or null where the message describes a flow. */
static void put_mapping(struct json_writer *jw, const char *key, bool present,
			bool null_if_absent, const struct nk_mapping *mapping)
{
	if (present) {
		json_key(jw, key);
		nkctl_mapping_print_json(jw, mapping);
	} else if (null_if_absent) {
		json_kv_null(jw, key);
	}
}

/* A SIP string; "" (the module's default) where the message describes a flow. */
static void put_text(struct json_writer *jw, const char *key, const struct nk_flow *flow,
		     uint32_t field, bool describes, const char *text)
{
	if (nk_flow_has(flow, field))
		json_kv_string(jw, key, text);
	else if (describes)
		json_kv_string(jw, key, "");
}

void nkctl_flow_print_json(struct json_writer *jw, const struct nk_flow *flow,
			   const char *event)
{
	/* A message that describes a flow implies the defaults it leaves out. */
	bool describes = nk_flow_has(flow, NK_FLOW_FAMILY);

	json_object_start(jw);
	if (event)
		json_kv_string(jw, "event", event);
	if (nk_flow_has(flow, NK_FLOW_ID))
		json_kv_uint(jw, "id", flow->id);
	if (describes) {
		const char *family = nk_family_name(flow->family);

		if (family)
			json_kv_string(jw, "family", family);
		else
			json_kv_uint(jw, "family", flow->family);
	}
	if (nk_flow_has(flow, NK_FLOW_LOCAL_ADDR | NK_FLOW_LOCAL_PORT))
		put_endpoint(jw, "local", flow, &flow->local_addr, flow->local_port);
	if (nk_flow_has(flow, NK_FLOW_REMOTE_ADDR | NK_FLOW_REMOTE_PORT))
		put_endpoint(jw, "remote", flow, &flow->remote_addr, flow->remote_port);
	if (nk_flow_has(flow, NK_FLOW_INTERVAL))
		json_kv_uint(jw, "interval_ms", flow->interval_ms);
	if (describes || nk_flow_has(flow, NK_FLOW_RANDOMIZE))
		json_kv_bool(jw, "random", flow->randomize);
	if (nk_flow_has(flow, NK_FLOW_MSG_TYPE)) {
		const char *name = nk_msg_type_name(flow->msg_type);

		if (name)
			json_kv_string(jw, "type", name);
		else
			json_kv_uint(jw, "type", flow->msg_type);
	}
	if (describes || nk_flow_has(flow, NK_FLOW_MARK))
		json_kv_uint(jw, "mark", flow->mark);
	if (describes || nk_flow_has(flow, NK_FLOW_DSCP))
		json_kv_uint(jw, "dscp", flow->dscp);
	put_text(jw, "host", flow, NK_FLOW_SIP_HOST, describes, flow->sip_host);
	put_text(jw, "from_user", flow, NK_FLOW_SIP_FROM_USER, describes, flow->sip_from_user);
	put_text(jw, "from_domain", flow, NK_FLOW_SIP_FROM_DOMAIN, describes,
		 flow->sip_from_domain);
	put_text(jw, "user_agent", flow, NK_FLOW_SIP_USER_AGENT, describes,
		 flow->sip_user_agent);
	put_text(jw, "spec", flow, NK_FLOW_CUSTOM_SPEC, describes, flow->custom_spec);
	if (describes || nk_flow_has(flow, NK_FLOW_STUN_FINGERPRINT))
		json_kv_bool(jw, "fingerprint", flow->stun_fingerprint);
	if (nk_flow_has(flow, NK_FLOW_RESPONSE_TIMEOUT))
		json_kv_uint(jw, "response_timeout_ms", flow->response_timeout_ms);
	if (nk_flow_has(flow, NK_FLOW_MISS_LIMIT))
		json_kv_uint(jw, "miss_limit", flow->miss_limit);
	if (nk_flow_has(flow, NK_FLOW_NEXT_SEND))
		json_kv_uint(jw, "next_send_ns", flow->next_send_ns);
	put_mapping(jw, "mapping", nk_flow_has(flow, NK_FLOW_MAPPING), describes,
		    &flow->mapping);
	put_mapping(jw, "old_mapping", nk_flow_has(flow, NK_FLOW_OLD_MAPPING),
		    event && !strcmp(event, "mapping"), &flow->old_mapping);
	if (nk_flow_has(flow, NK_FLOW_PEER_RESPONSIVE))
		json_kv_bool(jw, "peer_responsive", flow->peer_responsive);
	else if (describes)
		json_kv_null(jw, "peer_responsive");
	if (nk_flow_has(flow, NK_FLOW_STATS))
		put_stats(jw, &flow->stats);
	json_object_end(jw);
}

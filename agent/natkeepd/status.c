// SPDX-License-Identifier: GPL-2.0
/* Accounts and their servers, as text or JSON. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "json_writer.h"
#include "kernel.h"
#include "nk_duration.h"
#include "nk_mapping.h"
#include "nk_msg_type.h"
#include "registration.h"
#include "relay.h"
#include "status.h"

const char *nkd_server_state(const struct nkd_account *acct,
			     const struct nkd_server *s, int64_t now)
{
	switch (s->role) {
	case NKD_ROLE_PRIMARY:
	case NKD_ROLE_SECONDARY:
	case NKD_ROLE_SEARCH:
	case NKD_ROLE_SEEK_SECONDARY:
	case NKD_ROLE_PROBE:
		return nkd_role_name(s->role);
	case NKD_ROLE_NONE:
		break;
	}
	if (nkd_redundancy_is_fallback(&acct->red, s))
		return "fallback-candidate";
	if (s->last_failure != NKD_FAIL_NONE &&
	    (s->tried || s->hold_until > now || s->retry_at > now ||
	     !nkd_redundancy_primary(&acct->red)))
		return "failed";
	return "candidate";
}

static void endpoint_text(const struct nk_endpoint *ep, char *buf, size_t len)
{
	nk_endpoint_format(ep->family, &ep->addr, ep->port, buf, len);
}

static const char *current_server(const struct nkd_account *acct, char *buf, size_t len)
{
	const struct nk_endpoint *ep = nkd_reg_current_server(acct);

	if (!ep)
		return NULL;
	endpoint_text(ep, buf, len);
	return buf;
}

/* The module's view of flow id, or NULL. */
static const struct nk_flow *flow_of(uint32_t id, struct nk_flow *buf)
{
	if (!id || !nkd_kernel_available() || nkd_kernel_flow_get(id, buf))
		return NULL;
	return buf;
}

static void seconds(char *buf, size_t len, int64_t ms)
{
	nk_duration_format_seconds((uint64_t)(ms < 0 ? 0 : ms) * 1000000, buf, len);
}

/* ------------------------------------------------------------- text */

static void text_flow(FILE *out, const struct nk_flow *f)
{
	char rtt[32] = "-", map[NK_ENDPOINT_STRLEN + 16] = "";

	if (f->stats.has_rtt_smoothed)
		nk_duration_format(f->stats.rtt_smoothed_ns, rtt, sizeof(rtt));
	if (nk_flow_has(f, NK_FLOW_MAPPING)) {
		char m[NK_ENDPOINT_STRLEN];

		nk_mapping_format(&f->mapping, m, sizeof(m));
		snprintf(map, sizeof(map), ", mapping %s", m);
	}
	fprintf(out, "      keep-alive flow %u: %s every %.3gs, sent %" PRIu64
		", answered %" PRIu64 ", rtt %s, misses %u%s%s\n",
		f->id, nk_msg_type_name(f->msg_type) ? nk_msg_type_name(f->msg_type) : "?",
		f->interval_ms / 1000.0, f->stats.tx_packets, f->stats.rx_responses, rtt,
		f->stats.misses, map,
		nk_flow_has(f, NK_FLOW_PEER_RESPONSIVE) ?
		(f->peer_responsive ? ", peer responsive" : ", PEER UNRESPONSIVE") : "");
}

static void text_server(FILE *out, struct nkd_account *acct, const struct nkd_server *s,
			int64_t now)
{
	struct nkd_registration *reg = nkd_reg_find(acct, s->id);
	char ep[NK_ENDPOINT_STRLEN], t[32];
	struct nk_flow fbuf;
	const struct nk_flow *f;

	endpoint_text(&s->target.ep, ep, sizeof(ep));
	fprintf(out, "  server %s (%s) priority %u weight %u: %s\n", ep, s->target.host,
		s->target.priority, s->target.weight, nkd_server_state(acct, s, now));
	if (s->last_register_at) {
		seconds(t, sizeof(t), now - s->last_register_at);
		fprintf(out, "      last registered %s ago", t);
		if (s->expires_at && (s->role == NKD_ROLE_PRIMARY || s->role == NKD_ROLE_SECONDARY)) {
			seconds(t, sizeof(t), s->expires_at - now);
			fprintf(out, ", expires in %s", t);
		}
		fputc('\n', out);
	}
	if (s->last_failure != NKD_FAIL_NONE) {
		seconds(t, sizeof(t), now - s->last_failure_at);
		fprintf(out, "      last error %s", nkd_failure_name(s->last_failure));
		if (s->last_status)
			fprintf(out, " (%d %s)", s->last_status, s->last_reason);
		else if (s->last_reason[0])
			fprintf(out, " (%s)", s->last_reason);
		fprintf(out, " %s ago\n", t);
	}
	if (reg) {
		fprintf(out, "      contact %s", reg->contact);
		if (reg->has_mapping) {
			endpoint_text(&reg->mapping, ep, sizeof(ep));
			fprintf(out, ", public address %s", ep);
		}
		fputc('\n', out);
		f = flow_of(reg->flow_id, &fbuf);
		if (f)
			text_flow(out, f);
	}
}

/* The local UA's proxy: where it listens, the UA, what went through. */
static void text_relay(FILE *out, const struct nkd_relay *relay)
{
	const struct nkd_relay_counters *n = nkd_relay_counters(relay);
	const char *how, *ua = nkd_relay_user_agent(relay, &how);

	fprintf(out, "  local UA proxy %s, UA %s%s%s\n", nkd_relay_listen(relay),
		ua[0] ? ua : "unknown (no REGISTER yet)", ua[0] ? " from " : "",
		ua[0] ? (strcmp(how, "config") ? "its REGISTER" : "X_LocalUserAgent") : "");
	fprintf(out, "    relayed: %llu from the UA, %llu to it, %u in flight, %llu calls; "
		"%llu refused (not the UA), %llu answered here\n",
		(unsigned long long)n->from_ua, (unsigned long long)n->to_ua,
		nkd_relay_in_flight(relay), (unsigned long long)n->calls,
		(unsigned long long)n->refused, (unsigned long long)n->rejected);
}

static void text_account(FILE *out, struct nkd_account *acct, int64_t now)
{
	char cur[NK_ENDPOINT_STRLEN];
	struct nk_flow fbuf;
	const struct nk_flow *f;

	fprintf(out, "%s %s: %s, UDP port %u%s%s\n", acct->cfg.name, acct->aor,
		nkd_account_state(acct, now), acct->port,
		acct->redundancy_on ? ", redundancy" : "", acct->red.dual ? ", dual registration" : "");
	fprintf(out, "  current server %s\n", current_server(acct, cur, sizeof(cur)) ?
		cur : "none");
	if (acct->socket_error[0])
		fprintf(out, "  socket error: %s\n", acct->socket_error);
	if (acct->dns_error[0])
		fprintf(out, "  dns error: %s\n", acct->dns_error);
	if (acct->malformed.total)
		fprintf(out, "  malformed SIP dropped: %llu\n",
			(unsigned long long)acct->malformed.total);
	if (acct->dropped_sip)
		fprintf(out, "  requests dropped unanswered (no server of ours, or Via maddr): %llu\n",
			(unsigned long long)acct->dropped_sip);
	if (!acct->cfg.keepalive_enable)
		fprintf(out, "  keep-alives off (X_KeepAliveEnable)\n");
	else if (!nkd_kernel_available())
		fprintf(out, "  keep-alives: natkeep.ko not loaded\n");
	else if (acct->flow_error[0])
		fprintf(out, "  keep-alives: refused by natkeep.ko: %s\n", acct->flow_error);
	for (size_t i = 0; i < acct->red.count; i++)
		text_server(out, acct, &acct->red.servers[i], now);
	f = flow_of(acct->ka_flow_id, &fbuf);
	if (f) {
		fprintf(out, "  keep-alive server %s\n", acct->cfg.keepalive_server);
		text_flow(out, f);
	}
	if (acct->relay)
		text_relay(out, acct->relay);
}

/* ------------------------------------------------------------- JSON */

static void json_endpoint(struct json_writer *jw, const char *key, const struct nk_endpoint *ep)
{
	char buf[NK_ENDPOINT_STRLEN];

	endpoint_text(ep, buf, sizeof(buf));
	json_kv_string(jw, key, buf);
}

static void json_flow(struct json_writer *jw, const struct nk_flow *f)
{
	json_key(jw, "flow");
	json_object_start(jw);
	json_kv_uint(jw, "id", f->id);
	json_kv_string(jw, "type", nk_msg_type_name(f->msg_type) ? nk_msg_type_name(f->msg_type) : "?");
	json_kv_uint(jw, "interval_ms", f->interval_ms);
	json_kv_uint(jw, "tx_packets", f->stats.tx_packets);
	json_kv_uint(jw, "tx_errors", f->stats.tx_errors);
	json_kv_uint(jw, "rx_responses", f->stats.rx_responses);
	if (f->stats.has_rtt_smoothed)
		json_kv_uint(jw, "rtt_smoothed_ns", f->stats.rtt_smoothed_ns);
	json_kv_uint(jw, "misses", f->stats.misses);
	json_kv_uint(jw, "mapping_changes", f->stats.mapping_changes);
	if (nk_flow_has(f, NK_FLOW_MAPPING)) {
		char m[NK_ENDPOINT_STRLEN];

		nk_mapping_format(&f->mapping, m, sizeof(m));
		json_kv_string(jw, "mapping", m);
	}
	if (nk_flow_has(f, NK_FLOW_PEER_RESPONSIVE))
		json_kv_bool(jw, "peer_responsive", f->peer_responsive);
	json_object_end(jw);
}

static void json_server(struct json_writer *jw, struct nkd_account *acct,
			const struct nkd_server *s, int64_t now)
{
	struct nkd_registration *reg = nkd_reg_find(acct, s->id);
	struct nk_flow fbuf;
	const struct nk_flow *f;

	json_object_start(jw);
	json_kv_string(jw, "host", s->target.host);
	json_endpoint(jw, "address", &s->target.ep);
	json_kv_uint(jw, "priority", s->target.priority);
	json_kv_uint(jw, "weight", s->target.weight);
	json_kv_string(jw, "state", nkd_server_state(acct, s, now));
	if (s->last_register_at)
		json_kv_uint(jw, "last_register_ms_ago", (uint64_t)(now - s->last_register_at));
	if (s->expires_at > now && (s->role == NKD_ROLE_PRIMARY || s->role == NKD_ROLE_SECONDARY))
		json_kv_uint(jw, "expires_in_ms", (uint64_t)(s->expires_at - now));
	if (s->last_failure != NKD_FAIL_NONE) {
		json_key(jw, "last_error");
		json_object_start(jw);
		json_kv_string(jw, "kind", nkd_failure_name(s->last_failure));
		json_kv_uint(jw, "status", (uint64_t)s->last_status);
		json_kv_string(jw, "reason", s->last_reason);
		json_kv_uint(jw, "ms_ago", (uint64_t)(now - s->last_failure_at));
		json_object_end(jw);
	}
	if (reg) {
		json_kv_string(jw, "contact", reg->contact);
		if (reg->has_mapping)
			json_endpoint(jw, "public_address", &reg->mapping);
		f = flow_of(reg->flow_id, &fbuf);
		if (f)
			json_flow(jw, f);
	}
	json_object_end(jw);
}

static void json_relay(struct json_writer *jw, const struct nkd_relay *relay)
{
	const struct nkd_relay_counters *n = nkd_relay_counters(relay);
	const char *how, *ua = nkd_relay_user_agent(relay, &how);

	json_key(jw, "local_proxy");
	json_object_start(jw);
	json_kv_string(jw, "listen", nkd_relay_listen(relay));
	if (ua[0]) {
		json_kv_string(jw, "user_agent", ua);
		json_kv_string(jw, "user_agent_from", how);
	} else {
		json_kv_null(jw, "user_agent");
	}
	json_kv_uint(jw, "from_ua", n->from_ua);
	json_kv_uint(jw, "to_ua", n->to_ua);
	json_kv_uint(jw, "in_flight", nkd_relay_in_flight(relay));
	json_kv_uint(jw, "calls", n->calls);
	json_kv_uint(jw, "refused", n->refused);
	json_kv_uint(jw, "answered_here", n->rejected);
	json_object_end(jw);
}

static void json_account(struct json_writer *jw, struct nkd_account *acct, int64_t now)
{
	char cur[NK_ENDPOINT_STRLEN];
	struct nk_flow fbuf;
	const struct nk_flow *f;

	json_object_start(jw);
	json_kv_string(jw, "account", acct->cfg.name);
	json_kv_string(jw, "aor", acct->aor);
	json_kv_string(jw, "state", nkd_account_state(acct, now));
	json_kv_uint(jw, "local_port", acct->port);
	json_kv_bool(jw, "redundancy", acct->redundancy_on);
	json_kv_bool(jw, "dual_registration", acct->red.dual);
	if (current_server(acct, cur, sizeof(cur)))
		json_kv_string(jw, "current_server", cur);
	else
		json_kv_null(jw, "current_server");
	if (acct->socket_error[0])
		json_kv_string(jw, "socket_error", acct->socket_error);
	if (acct->dns_error[0])
		json_kv_string(jw, "dns_error", acct->dns_error);
	json_kv_uint(jw, "malformed_sip", acct->malformed.total);
	json_kv_uint(jw, "dropped_sip", acct->dropped_sip);
	json_key(jw, "keepalive");
	json_object_start(jw);
	json_kv_bool(jw, "enabled", acct->cfg.keepalive_enable);
	json_kv_bool(jw, "module", nkd_kernel_available());
	json_kv_string(jw, "type", nk_msg_type_name(acct->cfg.keepalive_msg_type));
	json_kv_uint(jw, "interval_s", acct->cfg.keepalive_expires);
	if (acct->flow_error[0])
		json_kv_string(jw, "error", acct->flow_error);
	f = flow_of(acct->ka_flow_id, &fbuf);
	if (f)
		json_flow(jw, f);
	json_object_end(jw);
	json_key(jw, "servers");
	json_array_start(jw);
	for (size_t i = 0; i < acct->red.count; i++)
		json_server(jw, acct, &acct->red.servers[i], now);
	json_array_end(jw);
	if (acct->relay)
		json_relay(jw, acct->relay);
	json_object_end(jw);
}

void nkd_status_write(const struct nkd_agent *agent, FILE *out, bool json)
{
	int64_t now = nkd_now_ms();
	struct json_writer jw;

	if (json) {
		json_writer_init(&jw, out, false);
		json_array_start(&jw);
	}
	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++) {
		struct nkd_account *acct = agent->accounts[i];

		if (!acct)
			continue;
		if (json)
			json_account(&jw, acct, now);
		else
			text_account(out, acct, now);
	}
	if (json) {
		json_array_end(&jw);
		fputc('\n', out);
	}
}

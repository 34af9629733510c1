// SPDX-License-Identifier: GPL-2.0
/* The account socket's gate for requests (see sip_gate.h). */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <sofia-sip/msg_addr.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/url.h>

#include "account.h"
#include "clock.h"
#include "log.h"
#include "server.h"
#include "sip_gate.h"

bool nkd_url_endpoint(const url_t *u, struct nk_endpoint *ep)
{
	char text[NK_ENDPOINT_STRLEN + 8], err[64];

	if (!u || !u->url_host)
		return false;
	snprintf(text, sizeof(text), "%s:%s", u->url_host,
		 u->url_port && u->url_port[0] ? u->url_port : "5060");
	return !nk_endpoint_parse(text, ep, err, sizeof(err));
}

bool nkd_msg_source(msg_t *msg, struct nk_endpoint *ep)
{
	const su_addrinfo_t *ai = msg ? msg_addrinfo(msg) : NULL;
	const struct sockaddr *sa = ai ? (const struct sockaddr *)ai->ai_addr : NULL;

	memset(ep, 0, sizeof(*ep));
	if (sa && sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		ep->family = AF_INET;
		ep->addr.v4 = in->sin_addr;
		ep->port = ntohs(in->sin_port);
		return true;
	}
	if (sa && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		ep->family = AF_INET6;
		ep->addr.v6 = in6->sin6_addr;
		ep->port = ntohs(in6->sin6_port);
		/* An IPv4 peer on a dual-stack socket: compare it as IPv4. */
		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
			ep->family = AF_INET;
			memcpy(&ep->addr.v4, &in6->sin6_addr.s6_addr[12], 4);
		}
		return true;
	}
	return false;
}

bool nkd_same_address(const struct nk_endpoint *a, const struct nk_endpoint *b)
{
	return a->family == b->family && !memcmp(&a->addr, &b->addr, nk_addr_len(a->family));
}

bool nkd_uri_endpoint(const char *uri, struct nk_endpoint *ep)
{
	char buf[NK_SIP_HOST_MAX + 32];
	url_t u[1];

	if (!uri[0] || strlen(uri) >= sizeof(buf))
		return false;
	strcpy(buf, uri);
	return url_d(u, buf) >= 0 && nkd_url_endpoint(u, ep);
}

bool nkd_account_knows_server(const struct nkd_account *acct, const struct nk_endpoint *ep)
{
	for (size_t i = 0; i < acct->red.count; i++)
		if (nkd_same_address(&acct->red.servers[i].target.ep, ep))
			return true;
	for (size_t i = 0; i < NKD_MAX_SERVERS; i++) {
		const struct nkd_registration *reg = &acct->regs[i];
		struct nk_endpoint hop;

		if (!reg->in_use)
			continue;
		if (nkd_same_address(&reg->target.ep, ep))
			return true;
		/* A redirect's server. */
		if (nkd_uri_endpoint(reg->next_hop, &hop) && nkd_same_address(&hop, ep))
			return true;
	}
	return acct->has_ka_target && nkd_same_address(&acct->ka_target, ep);
}

static bool dialog_peer(const struct nkd_account *acct, const struct nk_endpoint *ep)
{
	for (unsigned int i = 0; i < acct->dialog_peers_count; i++)
		if (nkd_same_address(&acct->dialog_peers[i], ep))
			return true;
	return false;
}

void nkd_sip_gate_learn_route(struct nkd_account *acct, const sip_record_route_t *rr)
{
	struct nk_endpoint ep;

	for (; rr; rr = rr->r_next) {
		if (!nkd_url_endpoint(rr->r_url, &ep) || dialog_peer(acct, &ep) ||
		    nkd_account_knows_server(acct, &ep))
			continue;
		acct->dialog_peers[acct->dialog_peers_next] = ep;
		acct->dialog_peers_next = (acct->dialog_peers_next + 1) % NKD_GATE_DIALOG_PEERS;
		if (acct->dialog_peers_count < NKD_GATE_DIALOG_PEERS)
			acct->dialog_peers_count++;
	}
}

static bool admits(const struct nkd_account *acct, const struct nk_endpoint *src,
		   const sip_t *sip, const char **why)
{
	if (sip->sip_via && sip->sip_via->v_maddr) {
		*why = "its Via has maddr";
		return false;
	}
	if (acct->profile.accept_sip_from_registrar_only &&
	    !nkd_account_knows_server(acct, src) &&
	    !(sip->sip_to && sip->sip_to->a_tag && dialog_peer(acct, src))) {
		*why = "not a server of this account (X_AcceptSipFromRegistrarOnly)";
		return false;
	}
	return true;
}

bool nkd_sip_gate_admits(struct nkd_account *acct, msg_t *msg, const sip_t *sip)
{
	char text[NK_ENDPOINT_STRLEN];
	struct nk_endpoint src;
	const char *why = "its sender is unknown";

	if (nkd_msg_source(msg, &src) && admits(acct, &src, sip, &why))
		return true;
	acct->dropped_sip++;
	if (!nkd_rate_limit_try(&acct->dropped_sip_log, nkd_now_ms()))
		return false;
	nk_endpoint_format(src.family, &src.addr, src.port, text, sizeof(text));
	nkd_notice("%s: %s from %s dropped unanswered: %s (%llu dropped so far)",
		   acct->cfg.name, sip->sip_request->rq_method_name,
		   src.family ? text : "?", why, (unsigned long long)acct->dropped_sip);
	return false;
}

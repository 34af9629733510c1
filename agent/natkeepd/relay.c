// SPDX-License-Identifier: GPL-2.0
/*
 * The account's SIP edge: two nta agents, the listener for the local UA
 * ("lan") and the account's own socket ("wan"), and a transaction-stateful
 * proxy between them, after RFC 3261 section 16 and sofia's own proxy in
 * its test suite (tests/test_proxy.c).
 *
 * Each request gets a server transaction on the side it came from and a
 * client transaction on the other; responses go back with our Via taken
 * off. natkeepd record-routes dialogs twice (RFC 5658): the lan address
 * for the UA, the public mapping for the servers, so that in-dialog
 * requests come back through the account's socket too. A stray response
 * (a 2xx to an INVITE retransmitted after its transaction ended) is
 * relayed statelessly by its Via, when ours is on top and the UA or a
 * server is next; any other stray is dropped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <sofia-sip/msg_addr.h>
#include <sofia-sip/nta_stateless.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_util.h>
#include <sofia-sip/su_tag_io.h>
#include <sofia-sip/tport_tag.h>

#include "agent.h"
#include "log.h"
#include "registration.h"
#include "relay.h"
#include "sip_gate.h"

/* Public addresses of ours that Record-Routes carried: old dialogs' Routes. */
#define NKD_RELAY_WAN_HISTORY	8
/* A UA's REGISTER without an expiry is held this long (RFC 3261 10.2.1.1). */
#define NKD_RELAY_UA_EXPIRES	3600
/* Refusals logged once per this many (a scanner's flood is one line). */
#define NKD_RELAY_LOG_EVERY	1000

/*
 * An INVITE's answer may never come back through nta: a CANCEL or Timer C
 * ends the client side without a callback. The guard answers the server
 * side then: 487 this long after a CANCEL, 408 this long after the last
 * provisional response (Timer C's 3 minutes, and a margin).
 */
#define NKD_RELAY_CANCEL_GUARD_MS	32000
#define NKD_RELAY_TIMER_C_GUARD_MS	(185 * 1000)

/* One request relayed: its server side and its client side. */
struct relay_tr {
	struct nkd_relay *relay;
	struct relay_tr *next, **prev;
	nta_incoming_t *irq;
	nta_outgoing_t *orq;
	su_timer_t *guard;		/* INVITE only */
	bool cancelled;
	bool to_wan;			/* the UA's request, out to a server */
	sip_method_t method;
};

struct nkd_relay {
	struct nkd_account *acct;
	nta_agent_t *lan, *wan;
	nta_leg_t *lan_requests;
	nta_outgoing_t *lan_strays, *wan_strays;	/* responses to nothing */
	char listen[NK_ENDPOINT_STRLEN];		/* the lan address */
	struct nk_endpoint listen_ep;

	bool ua_static;					/* X_LocalUserAgent */
	char ua_contact[NK_SIP_HOST_MAX + NK_SIP_USER_MAX + 64];	/* "" unknown */
	struct nk_endpoint ua_ep;
	int64_t ua_expires_at;				/* learned: until then */

	struct nk_endpoint wan_seen[NKD_RELAY_WAN_HISTORY];
	unsigned int wan_seen_count, wan_seen_next;

	struct relay_tr *trs;
	unsigned int in_flight;
	struct nkd_relay_counters n;
};

/* ------------------------------------------------------------ addresses */

/* The registration of the account's current server, if any. */
static struct nkd_registration *current_registration(struct nkd_relay *relay)
{
	const struct nkd_server *s = nkd_redundancy_primary(&relay->acct->red);

	return s ? nkd_reg_find(relay->acct, s->id) : NULL;
}

/*
 * What a peer knows us as: the public address of our registration with
 * it (a NAT may map us to another port for each destination), else the
 * current registration's. PEER may be NULL.
 */
static bool wan_address(struct nkd_relay *relay, const struct nk_endpoint *peer,
			struct nk_endpoint *ep)
{
	struct nkd_registration *reg = current_registration(relay);

	for (size_t i = 0; peer && i < NKD_MAX_SERVERS; i++) {
		struct nkd_registration *r = &relay->acct->regs[i];

		if (r->in_use && r->state == NKD_REG_REGISTERED &&
		    nkd_same_address(&r->target.ep, peer)) {
			reg = r;
			break;
		}
	}
	if (!reg)
		return false;
	*ep = *nkd_reg_advertised(reg);
	for (unsigned int i = 0; i < relay->wan_seen_count; i++)
		if (nkd_endpoint_equal(&relay->wan_seen[i], ep))
			return true;
	relay->wan_seen[relay->wan_seen_next] = *ep;
	relay->wan_seen_next = (relay->wan_seen_next + 1) % NKD_RELAY_WAN_HISTORY;
	if (relay->wan_seen_count < NKD_RELAY_WAN_HISTORY)
		relay->wan_seen_count++;
	return true;
}

/* A public address of ours: given in a Record-Route, or registered. */
static bool route_names_us(const struct nkd_relay *relay, const struct nk_endpoint *ep)
{
	for (unsigned int i = 0; i < relay->wan_seen_count; i++)
		if (nkd_endpoint_equal(ep, &relay->wan_seen[i]))
			return true;
	for (size_t i = 0; i < NKD_MAX_SERVERS; i++) {
		const struct nkd_registration *reg = &relay->acct->regs[i];

		if (reg->in_use && nkd_endpoint_equal(ep, nkd_reg_advertised(reg)))
			return true;
	}
	return false;
}

/* A Route entry that names us: the lan address or a public one we gave. */
static bool route_is_ours(const struct nkd_relay *relay, const sip_route_t *r)
{
	struct nk_endpoint ep;

	if (!nkd_url_endpoint(r->r_url, &ep))
		return false;
	return nkd_endpoint_equal(&ep, &relay->listen_ep) || route_names_us(relay, &ep);
}

/* One of the account's servers (sip_gate.h). */
static bool server_address(struct nkd_relay *relay, const struct nk_endpoint *ep)
{
	return nkd_account_knows_server(relay->acct, ep);
}

/* Whether what comes from this address may reach the UA. */
static bool from_our_server(struct nkd_relay *relay, const struct nk_endpoint *src)
{
	return !relay->acct->profile.accept_sip_from_registrar_only ||
	       server_address(relay, src);
}

/* ------------------------------------------------------------- the UA */

static bool ua_known(struct nkd_relay *relay)
{
	if (relay->ua_static || !relay->ua_contact[0])
		return relay->ua_contact[0];
	if (relay->ua_expires_at > nkd_now_ms())
		return true;
	nkd_info("%s: the local UA's registration (%s) expired", relay->acct->cfg.name,
		 relay->ua_contact);
	relay->ua_contact[0] = '\0';
	return false;
}

/*
 * The UA's REGISTER, answered here: its Contact is where requests for the
 * account go. Nothing is forwarded; the account's own registration is
 * natkeepd's.
 */
static int ua_register(struct nkd_relay *relay, nta_incoming_t *irq, const sip_t *sip,
		       const struct nk_endpoint *src)
{
	const char *name = relay->acct->cfg.name;
	const sip_contact_t *m = sip->sip_contact;
	unsigned long expires = NKD_RELAY_UA_EXPIRES;
	char exp[16], contact[sizeof(relay->ua_contact) + 2], *text;
	struct nk_endpoint ep;

	if (m && m->m_expires)
		expires = strtoul(m->m_expires, NULL, 10);
	else if (sip->sip_expires)
		expires = sip->sip_expires->ex_delta;
	if (expires > NKD_RELAY_UA_EXPIRES)
		expires = NKD_RELAY_UA_EXPIRES;
	if (m && m->m_url->url_type == url_any && expires) {
		nkd_warn("%s: the local UA's REGISTER: Contact * without Expires: 0: refused",
			 name);
		return 400;
	}
	if (m && m->m_url->url_type != url_any && !nkd_url_endpoint(m->m_url, &ep)) {
		nkd_warn("%s: the local UA's REGISTER has a Contact without an IP address: "
			 "refused", name);
		return 400;
	}
	/*
	 * The Contact is the sender's own address and port (no third party
	 * named; the UA's requests must come from there too), and not ours:
	 * requests for the account would loop through us.
	 */
	if (m && m->m_url->url_type != url_any &&
	    (!nkd_endpoint_equal(&ep, src) || nkd_endpoint_equal(&ep, &relay->listen_ep) ||
	     route_names_us(relay, &ep))) {
		nkd_warn("%s: the local UA's REGISTER names a Contact that is not the address "
			 "and port it sends from: refused", name);
		return 403;
	}
	/* A bound UA's binding is its own to change until it expires. */
	if (m && !relay->ua_static && ua_known(relay) && !nkd_endpoint_equal(src, &relay->ua_ep)) {
		if (relay->n.refused++ % NKD_RELAY_LOG_EVERY == 0) {
			char text[NK_ENDPOINT_STRLEN];

			nk_endpoint_format(src->family, &src->addr, src->port, text, sizeof(text));
			nkd_notice("%s: REGISTER from %s refused: the local UA at %s is bound until "
				   "it un-registers or its registration expires", name, text,
				   relay->ua_contact);
		}
		return 403;
	}
	if (relay->ua_static) {
		nkd_debug("%s: REGISTER from the local UA answered (X_LocalUserAgent is set)",
			  name);
	} else if (m && expires == 0) {
		if (relay->ua_contact[0])
			nkd_info("%s: the local UA un-registered", name);
		relay->ua_contact[0] = '\0';
		nkd_agent_state_changed(relay->acct->agent);
	} else if (m) {
		text = url_as_string(NULL, m->m_url);
		if (!text)
			return 500;
		if (strcmp(relay->ua_contact, text))
			nkd_info("%s: the local UA is at %s", name, text);
		snprintf(relay->ua_contact, sizeof(relay->ua_contact), "%s", text);
		su_free(NULL, text);
		relay->ua_ep = ep;
		relay->ua_expires_at = nkd_now_ms() + (int64_t)expires * 1000;
		nkd_agent_state_changed(relay->acct->agent);
	}
	snprintf(exp, sizeof(exp), "%lu", ua_known(relay) ? expires : 0);
	snprintf(contact, sizeof(contact), "<%s>", relay->ua_contact);
	nta_incoming_treply(irq, SIP_200_OK,
			    TAG_IF(ua_known(relay), SIPTAG_CONTACT_STR(contact)),
			    SIPTAG_EXPIRES_STR(exp), TAG_END());
	return 200;
}

/* ------------------------------------------------------ transactions */

static void tr_free(struct relay_tr *tr)
{
	if (tr->guard)
		su_timer_destroy(tr->guard);
	if (tr->orq)
		nta_outgoing_destroy(tr->orq);
	if (tr->irq)
		nta_incoming_destroy(tr->irq);
	*tr->prev = tr->next;
	if (tr->next)
		tr->next->prev = tr->prev;
	tr->relay->in_flight--;
	free(tr);
}

static struct relay_tr *tr_new(struct nkd_relay *relay, nta_incoming_t *irq,
			       sip_method_t method)
{
	struct relay_tr *tr = calloc(1, sizeof(*tr));

	if (!tr)
		return NULL;
	tr->relay = relay;
	tr->irq = irq;
	tr->method = method;
	tr->next = relay->trs;
	tr->prev = &relay->trs;
	if (relay->trs)
		relay->trs->prev = &tr->next;
	relay->trs = tr;
	relay->in_flight++;
	return tr;
}

/*
 * Ends a transaction whose far side will not answer: the far side's INVITE
 * cancelled if it still rings (destroying it alone sends no CANCEL), the
 * near side answered STATUS (nta ignores it after a final one).
 */
static void tr_abort(struct relay_tr *tr, int status)
{
	if (tr->orq && tr->method == sip_method_invite &&
	    nta_outgoing_status(tr->orq) < 200)
		nta_outgoing_tcancel(tr->orq, NULL, NULL, TAG_END());
	if (tr->irq)
		nta_incoming_treply(tr->irq, status, sip_status_phrase(status), TAG_END());
	tr_free(tr);
}

static void guard_expired(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct relay_tr *tr = (struct relay_tr *)arg;

	(void)magic;
	(void)t;
	tr_abort(tr, tr->cancelled ? 487 : 408);
}

static void guard(struct relay_tr *tr, su_duration_t ms)
{
	if (tr->guard)
		su_timer_set_interval(tr->guard, guard_expired, (su_timer_arg_t *)tr, ms);
}

/* A response from the far side: ours off, then to the near side. */
static int on_response(nta_outgoing_magic_t *magic, nta_outgoing_t *orq, const sip_t *sip)
{
	struct relay_tr *tr = (struct relay_tr *)magic;
	int status = sip && sip->sip_status ? sip->sip_status->st_status :
		     nta_outgoing_status(orq);
	msg_t *response;
	sip_t *rsip;

	if (status < 101)
		return 0;	/* 100 Trying is hop by hop */
	if (status < 200 && !tr->cancelled)
		guard(tr, NKD_RELAY_TIMER_C_GUARD_MS);
	response = nta_outgoing_getresponse(orq);
	rsip = sip_object(response);
	/* The proxies of a dialog the UA made, for their in-dialog requests. */
	if (tr->to_wan && status < 300 && rsip && rsip->sip_record_route &&
	    rsip->sip_to && rsip->sip_to->a_tag)
		nkd_sip_gate_learn_route(tr->relay->acct, rsip->sip_record_route);
	if (rsip && rsip->sip_via)
		sip_via_remove(response, rsip);
	if (!rsip || !rsip->sip_via || status == 503) {
		/*
		 * nta's own answer (timeout, ICMP): only our Via was there. A
		 * 503 is ours to give as 500 (RFC 3261 16.7 step 6): the side
		 * before us would take it for us failing.
		 */
		msg_destroy(response);
		if (status == 503)
			status = 500;
		nta_incoming_treply(tr->irq, status, sip_status_phrase(status) ?
				    sip_status_phrase(status) : "", TAG_END());
	} else {
		nta_incoming_mreply(tr->irq, response);
	}
	if (status >= 200 && status < 300 && tr->method == sip_method_invite)
		tr->relay->n.calls++;
	if (status >= 200)
		tr_free(tr);
	return 0;
}

/* CANCEL for an INVITE in flight, or its server transaction's end. */
static int on_cancel(nta_incoming_magic_t *magic, nta_incoming_t *irq, const sip_t *sip)
{
	struct relay_tr *tr = (struct relay_tr *)magic;

	(void)irq;
	if (!sip) {
		tr_abort(tr, 500);	/* nta ended it: destroyed here, safely */
		return 0;
	}
	if (sip->sip_request && sip->sip_request->rq_method == sip_method_cancel && tr->orq &&
	    !tr->cancelled) {
		tr->cancelled = true;
		nta_outgoing_tcancel(tr->orq, NULL, NULL, TAG_END());
		guard(tr, NKD_RELAY_CANCEL_GUARD_MS);
	}
	return 200;
}

/*
 * Dialog-forming requests get both of our Record-Routes, the one facing
 * where the request goes on top (RFC 5658).
 */
static bool record_route(msg_t *msg, sip_t *sip, const char *toward, const char *from)
{
	char rr[2 * (NK_ENDPOINT_STRLEN + 16)];
	sip_record_route_t *r;

	snprintf(rr, sizeof(rr), "<sip:%s;lr>, <sip:%s;lr>", toward, from);
	r = sip_record_route_make(msg_home(msg), rr);
	return r && msg_header_insert(msg, (msg_pub_t *)sip, (msg_header_t *)r) >= 0;
}

static bool forms_dialog(const sip_t *sip)
{
	sip_method_t m = sip->sip_request->rq_method;

	return !sip->sip_to->a_tag &&
	       (m == sip_method_invite || m == sip_method_subscribe ||
		m == sip_method_refer || m == sip_method_notify);
}

/* Max-Forwards, one less (RFC 3261 16.6 step 3); 483 at 0. */
static int hop(msg_t *msg, sip_t *sip)
{
	if (!sip->sip_max_forwards)
		return sip_add_tl(msg, sip, SIPTAG_MAX_FORWARDS_STR("70"), TAG_END()) < 0 ? 500 : 0;
	if (sip->sip_max_forwards->mf_count == 0)
		return 483;
	sip->sip_max_forwards->mf_count--;
	msg_fragment_clear(sip->sip_max_forwards->mf_common);
	return 0;
}

/*
 * Sends the copy of a request on: statelessly for ACK, else as a client
 * transaction bound to the server one. Returns nta's status for irq.
 */
static int forward(struct nkd_relay *relay, nta_incoming_t *irq, msg_t *msg,
		   nta_agent_t *out, const char *next_hop)
{
	sip_t *sip = sip_object(msg);
	sip_method_t method = sip->sip_request->rq_method;
	url_string_t const *route = next_hop ? (url_string_t const *)next_hop : NULL;
	struct relay_tr *tr;
	nta_outgoing_t *orq;

	if (method == sip_method_ack) {
		orq = nta_outgoing_mcreate(out, NULL, NULL, route, msg, NTATAG_STATELESS(1),
					   TAG_END());
		if (!orq) {
			msg_destroy(msg);
			return 200;	/* an ACK gets no answer */
		}
		if (orq != (nta_outgoing_t *)-1)
			nta_outgoing_destroy(orq);
		return 200;
	}
	tr = tr_new(relay, irq, method);
	if (!tr) {
		msg_destroy(msg);
		return 500;
	}
	tr->to_wan = out == relay->wan;
	tr->orq = nta_outgoing_mcreate(out, on_response, (nta_outgoing_magic_t *)tr, route, msg,
				       TAG_END());
	if (!tr->orq) {
		msg_destroy(msg);
		tr->irq = NULL;	/* nta answers it */
		tr_free(tr);
		return 500;
	}
	if (method == sip_method_invite) {
		nta_incoming_bind(irq, on_cancel, (nta_incoming_magic_t *)tr);
		/* RFC 3261 17.2.1: at once, nta in proxy mode sends none itself. */
		nta_incoming_treply(irq, SIP_100_TRYING, TAG_END());
		tr->guard = su_timer_create(su_root_task(relay->acct->agent->root), 0);
		guard(tr, NKD_RELAY_TIMER_C_GUARD_MS);
	}
	return 0;
}

/* The request, ours to change: a copy (nta keeps the one it matched). */
static msg_t *copy_request(nta_incoming_t *irq)
{
	msg_t *in = nta_incoming_getrequest(irq), *copy = in ? msg_copy(in) : NULL;

	msg_destroy(in);
	return copy;
}

static void drop_our_routes(struct nkd_relay *relay, msg_t *msg, sip_t *sip)
{
	while (sip->sip_route && route_is_ours(relay, sip->sip_route))
		sip_route_remove(msg, sip);
}

/* The Request-URI, anew (the old one stays in the message's home). */
static int new_request_uri(msg_t *msg, sip_t *sip, const url_string_t *uri)
{
	sip_request_t *rq = sip_request_create(msg_home(msg), sip->sip_request->rq_method,
					       sip->sip_request->rq_method_name, uri, NULL);

	return rq && msg_header_insert(msg, (msg_pub_t *)sip, (msg_header_t *)rq) >= 0 ? 0 : 500;
}

/*
 * A Request-URI that names us. RFC 3261 16.4: a strict router before us
 * (or a UA whose outbound proxy is set without ;lr) put our URI there and
 * the real one last in the Route: take it back. With no Route, a UA's
 * request for a user "at" natkeepd is for that user at the account's
 * domain, as if natkeepd were the provider (a UA may be set up so); one
 * for natkeepd itself is ours: an OPTIONS (a ping of its proxy) gets 200,
 * anything else 404. A server's request naming us is for the registered
 * Contact: left to the caller. Returns the status to answer, or 0.
 */
static int request_uri_for_us(struct nkd_relay *relay, msg_t *msg, sip_t *sip, bool from_ua)
{
	const url_t *ru = sip->sip_request->rq_url;
	const char *domain = strchr(relay->acct->aor, '@');
	char uri[NK_SIP_USER_MAX + NK_SIP_HOST_MAX + 16];
	struct nk_endpoint ep;
	sip_route_t *last;
	int status;

	if (!nkd_url_endpoint(ru, &ep) ||
	    !(nkd_endpoint_equal(&ep, &relay->listen_ep) || route_names_us(relay, &ep)))
		return 0;
	if (sip->sip_route) {
		for (last = sip->sip_route; last->r_next; last = last->r_next)
			;
		status = new_request_uri(msg, sip, (const url_string_t *)last->r_url);
		if (!status)
			msg_header_remove(msg, (msg_pub_t *)sip, (msg_header_t *)last);
		return status;
	}
	if (!from_ua)
		return 0;
	if (!ru->url_user || !domain)
		return sip->sip_request->rq_method == sip_method_options ? 200 : 404;
	snprintf(uri, sizeof(uri), "sip:%s%s", ru->url_user, domain);
	return new_request_uri(msg, sip, (const url_string_t *)uri);
}

/*
 * The copy a proxy sends on, either way: one hop less, our own Routes off,
 * a Request-URI that names us made what it is for. Returns 0 with *msg
 * set, or the status to answer (nothing to free).
 */
static int prepare(struct nkd_relay *relay, nta_incoming_t *irq, msg_t **msg, bool from_ua)
{
	sip_t *sip;
	int status;

	*msg = copy_request(irq);
	sip = sip_object(*msg);
	if (!sip)
		return 500;
	status = hop(*msg, sip);
	if (!status) {
		drop_our_routes(relay, *msg, sip);
		status = request_uri_for_us(relay, *msg, sip, from_ua);
	}
	if (status)
		msg_destroy(*msg);
	return status;
}

/* The next hop a Route names ("sip:..." for nta), or NULL. */
static char *route_hop(msg_t *msg, const sip_t *sip)
{
	return sip->sip_route ? url_as_string(msg_home(msg), sip->sip_route->r_url) : NULL;
}

/* ------------------------------------------------- from the local UA */

/*
 * Not an open relay: only the UA sends through us, from its own address
 * and port, once it is known (configured, or registered); a configured
 * UA's alone may REGISTER. (Who may reach the listener at all is its
 * address's business: loopback by default.)
 */
static bool from_the_ua(struct nkd_relay *relay, nta_incoming_t *irq, const sip_t *sip,
			struct nk_endpoint *src)
{
	msg_t *in = nta_incoming_getrequest(irq);
	char text[NK_ENDPOINT_STRLEN];
	bool ok;

	nkd_msg_source(in, src);
	msg_destroy(in);
	if (sip->sip_request->rq_method == sip_method_register && !relay->ua_static)
		return true;
	ok = ua_known(relay) && nkd_endpoint_equal(src, &relay->ua_ep);
	if (!ok && relay->n.refused++ % NKD_RELAY_LOG_EVERY == 0) {
		nk_endpoint_format(src->family, &src->addr, src->port, text, sizeof(text));
		nkd_notice("%s: %s from %s on the local UA's proxy refused: not the UA (%s)",
			   relay->acct->cfg.name, sip->sip_request->rq_method_name, text,
			   relay->ua_contact[0] ? relay->ua_contact : "none registered");
	}
	return ok;
}

/*
 * A request from the LAN side. What natkeepd answers itself gets a To tag
 * from nta (nta_incoming_complete_response tags every final answer);
 * forwarded ones get theirs from the far side.
 */
static int from_ua(nta_leg_magic_t *magic, nta_leg_t *leg, nta_incoming_t *irq,
		   const sip_t *sip)
{
	struct nkd_relay *relay = (struct nkd_relay *)magic;
	const char *name = relay->acct->cfg.name;
	char via[NK_ENDPOINT_STRLEN + 32], wan[NK_ENDPOINT_STRLEN];
	struct nk_endpoint ep, peer, src = { 0 };
	struct nkd_registration *reg;
	const char *next_hop;
	bool have_peer;
	msg_t *msg;
	sip_t *msip;
	int status;

	(void)leg;
	if (!from_the_ua(relay, irq, sip, &src))
		return sip->sip_request->rq_method == sip_method_ack ? 200 : 403;
	if (sip->sip_request->rq_method == sip_method_register)
		return ua_register(relay, irq, sip, &src);
	reg = current_registration(relay);
	if (!relay->wan || !reg) {
		relay->n.rejected++;
		nkd_info("%s: %s from the local UA refused: no server registered with", name,
			 sip->sip_request->rq_method_name);
		return sip->sip_request->rq_method == sip_method_ack ? 200 : 503;
	}
	status = prepare(relay, irq, &msg, true);
	if (status)
		return status;
	msip = sip_object(msg);
	/* Route set first; a new request goes to the server registered with. */
	next_hop = route_hop(msg, msip);
	if (!next_hop && !msip->sip_to->a_tag)
		next_hop = reg->next_hop;
	/* Named as the peer knows us: the Via, the Record-Route. */
	have_peer = next_hop ? nkd_uri_endpoint(next_hop, &peer) :
		    nkd_url_endpoint(msip->sip_request->rq_url, &peer);
	if (!wan_address(relay, have_peer ? &peer : NULL, &ep)) {
		msg_destroy(msg);
		return sip->sip_request->rq_method == sip_method_ack ? 200 : 503;
	}
	nk_endpoint_format(ep.family, &ep.addr, ep.port, wan, sizeof(wan));
	if (forms_dialog(msip) && !record_route(msg, msip, wan, relay->listen)) {
		msg_destroy(msg);
		return 500;
	}
	/* Our Via names the public mapping; nta gives it its branch. */
	snprintf(via, sizeof(via), "SIP/2.0/UDP %s;rport", wan);
	if (sip_add_tl(msg, msip, SIPTAG_VIA_STR(via), TAG_END()) < 0) {
		msg_destroy(msg);
		return 500;
	}
	relay->n.from_ua++;
	nkd_debug("%s: %s from the local UA to %s", name, msip->sip_request->rq_method_name,
		  next_hop ? next_hop : "its Request-URI");
	return forward(relay, irq, msg, relay->wan, next_hop);
}

/* ------------------------------------------------- from the servers */

/* Answers natkeepd gives when the request cannot reach a UA. */
static int no_user_agent(const sip_t *sip)
{
	switch (sip->sip_request->rq_method) {
	case sip_method_options:
		return 200;	/* the servers' NAT pings */
	case sip_method_ack:
		return 200;	/* absorbed */
	case sip_method_invite:
		return 480;
	case sip_method_bye:
	case sip_method_cancel:
	case sip_method_notify:
		return 481;	/* no such dialog or transaction here */
	default:
		return 501;
	}
}

/* An initial request reaches the UA at its Contact (a registrar's lookup). */
static bool retarget(struct nkd_relay *relay, msg_t *msg, sip_t *sip)
{
	char uri[sizeof(relay->ua_contact) + NK_SIP_USER_MAX + 8], ep[NK_ENDPOINT_STRLEN];
	const char *user = sip->sip_request->rq_url->url_user;

	if (relay->ua_static) {
		nk_endpoint_format(relay->ua_ep.family, &relay->ua_ep.addr, relay->ua_ep.port,
				   ep, sizeof(ep));
		snprintf(uri, sizeof(uri), "sip:%s%s%s", user ? user : "", user ? "@" : "", ep);
	} else {
		snprintf(uri, sizeof(uri), "%s", relay->ua_contact);
	}
	return !new_request_uri(msg, sip, (const url_string_t *)uri);
}

/* The account's gate (sip_gate.h) let it in: from a server of ours. */
int nkd_relay_from_server(struct nkd_relay *relay, nta_incoming_t *irq, const sip_t *sip)
{
	const char *name = relay->acct->cfg.name;
	char ua[NK_ENDPOINT_STRLEN + 24], wan[NK_ENDPOINT_STRLEN];
	struct nk_endpoint ep, peer;
	const char *next_hop;
	msg_t *msg, *in;
	sip_t *msip;
	bool have_peer;
	int status;

	if (!ua_known(relay)) {
		relay->n.rejected++;
		if (sip->sip_request->rq_method == sip_method_invite)
			nkd_info("%s: INVITE refused: no local UA (X_LocalUserAgent, or its "
				 "REGISTER to %s)", name, relay->listen);
		return no_user_agent(sip);
	}
	status = prepare(relay, irq, &msg, false);
	if (status)
		return status;
	msip = sip_object(msg);
	if (!msip->sip_to->a_tag && !retarget(relay, msg, msip)) {
		msg_destroy(msg);
		return 500;
	}
	if (forms_dialog(msip)) {
		/* Its proxies, for the dialog's requests (before ours go on). */
		nkd_sip_gate_learn_route(relay->acct, msip->sip_record_route);
		in = nta_incoming_getrequest(irq);
		have_peer = nkd_msg_source(in, &peer);
		msg_destroy(in);
		if (!wan_address(relay, have_peer ? &peer : NULL, &ep)) {
			/* Between registrations: no public address to route back by. */
			msg_destroy(msg);
			relay->n.rejected++;
			return 480;
		}
		nk_endpoint_format(ep.family, &ep.addr, ep.port, wan, sizeof(wan));
		if (!record_route(msg, msip, relay->listen, wan)) {
			msg_destroy(msg);
			return 500;
		}
	}
	/*
	 * To the UA, whatever the URI or a Route left says: this side of us
	 * reaches nothing else.
	 */
	nk_endpoint_format(relay->ua_ep.family, &relay->ua_ep.addr, relay->ua_ep.port,
			   wan, sizeof(wan));
	snprintf(ua, sizeof(ua), "sip:%s;transport=udp", wan);
	next_hop = ua;
	relay->n.to_ua++;
	nkd_debug("%s: %s from a server to %s", name, msip->sip_request->rq_method_name,
		  next_hop);
	return forward(relay, irq, msg, relay->lan, next_hop);
}

/* ------------------------------------------------- stray responses */

/*
 * A response no transaction waits for. Only one kind is ours to relay: a
 * 2xx to an INVITE retransmitted after its transaction ended (RFC 3261
 * 16.7 step 5 hands it on), whose top Via is ours and whose next Via is
 * the one party it can be for: the UA (from a server) or a server (from
 * the UA), by number, with no maddr (nta would send by it). It must come
 * from the other party too: a server of ours (as requests must), or the
 * UA's own address and port. Anything else is dropped: relaying by Via
 * alone would let anyone send through us to any address.
 */
static bool our_via(const struct nkd_relay *relay, const sip_via_t *v, bool lan_side)
{
	url_t u[1];
	struct nk_endpoint ep;

	memset(u, 0, sizeof(u));
	u->url_host = v->v_host;
	u->url_port = v->v_port;
	if (!nkd_url_endpoint(u, &ep))
		return false;
	if (lan_side)
		return nkd_endpoint_equal(&ep, &relay->listen_ep);
	for (unsigned int i = 0; i < relay->wan_seen_count; i++)
		if (nkd_endpoint_equal(&ep, &relay->wan_seen[i]))
			return true;
	return false;
}

/* Where nta would send a response by this Via, if it names an address. */
static bool via_destination(const sip_via_t *v, struct nk_endpoint *ep)
{
	char host[NK_ENDPOINT_STRLEN];
	const char *h = v->v_received ? v->v_received : v->v_host;
	url_t u[1];

	if (v->v_maddr || !h)
		return false;
	/* nta writes an IPv6 received= without brackets. */
	if (strchr(h, ':') && h[0] != '[') {
		snprintf(host, sizeof(host), "[%s]", h);
		h = host;
	}
	memset(u, 0, sizeof(u));
	u->url_host = h;
	u->url_port = v->v_rport && v->v_rport[0] ? v->v_rport : v->v_port;
	return nkd_url_endpoint(u, ep);
}

static bool is_the_ua(struct nkd_relay *relay, const struct nk_endpoint *ep)
{
	return ua_known(relay) && nkd_endpoint_equal(ep, &relay->ua_ep);
}

static void stray(struct nkd_relay *relay, nta_agent_t *out, nta_outgoing_t *orq,
		  bool from_lan)
{
	msg_t *response = nta_outgoing_getresponse(orq);
	sip_t *sip = sip_object(response);
	struct nk_endpoint src, next;
	bool ok = out && sip && sip->sip_status && sip->sip_cseq && sip->sip_via &&
		  sip->sip_via->v_next &&
		  sip->sip_status->st_status >= 200 && sip->sip_status->st_status < 300 &&
		  sip->sip_cseq->cs_method == sip_method_invite &&
		  nkd_msg_source(response, &src) &&
		  (from_lan ? is_the_ua(relay, &src) : from_our_server(relay, &src)) &&
		  our_via(relay, sip->sip_via, from_lan) &&
		  via_destination(sip->sip_via->v_next, &next) &&
		  (from_lan ? server_address(relay, &next) : is_the_ua(relay, &next));

	if (!ok) {
		msg_destroy(response);
		return;
	}
	if (nta_msg_tsend(out, response, NULL, TAG_END()) < 0)
		nkd_debug("cannot relay a stray response");
}

static int lan_stray(nta_outgoing_magic_t *magic, nta_outgoing_t *orq, const sip_t *sip)
{
	struct nkd_relay *relay = (struct nkd_relay *)magic;

	if (sip)
		stray(relay, relay->wan, orq, true);
	return 0;
}

static int wan_stray(nta_outgoing_magic_t *magic, nta_outgoing_t *orq, const sip_t *sip)
{
	struct nkd_relay *relay = (struct nkd_relay *)magic;

	if (sip)
		stray(relay, relay->lan, orq, false);
	return 0;
}

/* ------------------------------------------------------------ life */

struct nkd_relay *nkd_relay_create(struct nkd_account *acct)
{
	const struct nkd_account_config *c = &acct->cfg;
	struct nkd_relay *relay = calloc(1, sizeof(*relay));
	char url[NK_ENDPOINT_STRLEN + 32];

	if (!relay)
		return NULL;
	relay->acct = acct;
	relay->listen_ep = c->local_proxy.ep;
	nk_endpoint_format(c->local_proxy.ep.family, &c->local_proxy.ep.addr,
			   c->local_proxy.ep.port, relay->listen, sizeof(relay->listen));
	if (c->local_user_agent.set) {
		relay->ua_static = true;
		relay->ua_ep = c->local_user_agent.ep;
		nk_endpoint_format(relay->ua_ep.family, &relay->ua_ep.addr, relay->ua_ep.port,
				   url, sizeof(url));
		snprintf(relay->ua_contact, sizeof(relay->ua_contact), "sip:%s", url);
	}
	snprintf(url, sizeof(url), "sip:%s;transport=udp", relay->listen);
	/* RFC 3261's timers: TransactionTimeout is the REGISTERs' failover. */
	relay->lan = nta_agent_create(acct->agent->root, (const url_string_t *)url, NULL, NULL,
				      NTATAG_CANCEL_487(0), NTATAG_USE_NAPTR(0),
				      NTATAG_USE_SRV(0), TPTAG_STUN_SERVER(0), TAG_END());
	if (relay->lan)
		relay->lan_requests = nta_leg_tcreate(relay->lan, from_ua,
						      (nta_leg_magic_t *)relay,
						      NTATAG_NO_DIALOG(1), TAG_END());
	if (relay->lan_requests)
		relay->lan_strays = nta_outgoing_default(relay->lan, lan_stray,
							 (nta_outgoing_magic_t *)relay);
	if (!relay->lan_strays) {
		nkd_err("%s: X_LocalProxy: cannot listen on UDP %s: %s", c->name, relay->listen,
			strerror(errno));
		nkd_relay_destroy(relay);
		return NULL;
	}
	nkd_info("%s: the local UA's proxy on UDP %s%s%s", c->name, relay->listen,
		 relay->ua_static ? ", the UA at " : "",
		 relay->ua_static ? relay->ua_contact + 4 : "");
	return relay;
}

void nkd_relay_attach(struct nkd_relay *relay, nta_agent_t *wan)
{
	if (!relay)
		return;
	relay->wan = wan;
	relay->wan_strays = nta_outgoing_default(wan, wan_stray, (nta_outgoing_magic_t *)relay);
	nta_agent_set_params(wan, NTATAG_CANCEL_487(0), TAG_END());
}

void nkd_relay_detach(struct nkd_relay *relay)
{
	if (!relay)
		return;
	while (relay->trs)
		tr_abort(relay->trs, 503);
	if (relay->wan_strays)
		nta_outgoing_destroy(relay->wan_strays);
	relay->wan_strays = NULL;
	relay->wan = NULL;
}

void nkd_relay_destroy(struct nkd_relay *relay)
{
	if (!relay)
		return;
	nkd_relay_detach(relay);
	if (relay->lan_strays)
		nta_outgoing_destroy(relay->lan_strays);
	if (relay->lan_requests)
		nta_leg_destroy(relay->lan_requests);
	if (relay->lan)
		nta_agent_destroy(relay->lan);
	free(relay);
}

nta_agent_t *nkd_relay_lan(const struct nkd_relay *relay)
{
	return relay->lan;
}

void nkd_relay_save(const struct nkd_relay *relay, struct nkd_saved_account *out)
{
	if (!relay || relay->ua_static || !relay->ua_contact[0] ||
	    relay->ua_expires_at <= nkd_now_ms())
		return;
	out->has_ua = true;
	snprintf(out->ua_contact, sizeof(out->ua_contact), "%s", relay->ua_contact);
	out->ua_ep = relay->ua_ep;
	out->ua_expires_at = relay->ua_expires_at;
}

void nkd_relay_adopt(struct nkd_relay *relay, const struct nkd_saved_account *saved)
{
	int64_t now = nkd_now_ms();

	/* Later than a REGISTER could have asked: not this boot's clock. */
	if (!relay || relay->ua_static || !saved->has_ua || saved->ua_expires_at <= now ||
	    saved->ua_expires_at > now + NKD_RELAY_UA_EXPIRES * 1000)
		return;
	snprintf(relay->ua_contact, sizeof(relay->ua_contact), "%s", saved->ua_contact);
	relay->ua_ep = saved->ua_ep;
	relay->ua_expires_at = saved->ua_expires_at;
	nkd_info("%s: the local UA is at %s (registered with the last natkeepd)",
		 relay->acct->cfg.name, relay->ua_contact);
}

const char *nkd_relay_listen(const struct nkd_relay *relay)
{
	return relay->listen;
}

const char *nkd_relay_user_agent(const struct nkd_relay *relay, const char **how)
{
	*how = relay->ua_static ? "config" : "register";
	if (!relay->ua_static && relay->ua_expires_at <= nkd_now_ms())
		return "";
	return relay->ua_contact;
}

unsigned int nkd_relay_in_flight(const struct nkd_relay *relay)
{
	return relay->in_flight;
}

const struct nkd_relay_counters *nkd_relay_counters(const struct nkd_relay *relay)
{
	return &relay->n;
}

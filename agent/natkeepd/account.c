// SPDX-License-Identifier: GPL-2.0
/*
 * An account's life: its SIP socket (a sofia-sip nta agent), the lookup of
 * its candidate servers, the redundancy state machine's orders carried out
 * (registrations, keep-alive flows) and the shutdown.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/tport_tag.h>

#include "agent.h"
#include "instance.h"
#include "keepalive.h"
#include "local_addr.h"
#include "log.h"
#include "nk_array.h"
#include "registration.h"
#include "relay.h"
#include "sip_gate.h"

/* How long a stopping account waits for its un-REGISTERs. */
#define NKD_STOP_GRACE_MS	10000

const char *nkd_account_state(const struct nkd_account *acct, int64_t now)
{
	if (acct->stopping)
		return "stopping";
	if (!acct->sip)
		return "no-socket";
	return nkd_account_state_name(nkd_redundancy_state(&acct->red, now));
}

/* --------------------------------------------- the redundancy's orders */

static bool red_start(void *ctx, uint32_t id)
{
	struct nkd_account *acct = ctx;
	struct nkd_server *s = nkd_redundancy_find(&acct->red, id);

	if (s && nkd_reg_begin(acct, id, &s->target))
		return true;
	nkd_err("%s: cannot create a SIP handle for %s", acct->cfg.name,
		s ? s->target.host : "?");
	return false;
}

static void red_stop(void *ctx, uint32_t id, bool unregister)
{
	struct nkd_account *acct = ctx;
	struct nkd_registration *reg = nkd_reg_find(acct, id);

	if (reg)
		nkd_reg_end(reg, unregister);
}

static void red_changed(void *ctx)
{
	struct nkd_account *acct = ctx;

	if (nkd_redundancy_primary(&acct->red))
		acct->ports_tried = 0;
	nkd_agent_state_changed(acct->agent);
	nkd_keepalive_sync(acct);
}

static void red_timer_expired(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct nkd_account *acct = (struct nkd_account *)arg;

	(void)magic;
	(void)t;
	nkd_redundancy_timer(&acct->red, nkd_now_ms());
}

static void red_arm(void *ctx, int64_t when)
{
	struct nkd_account *acct = ctx;
	int64_t now = nkd_now_ms();

	/*
	 * Every decision of the state machine ends here (a change of primary
	 * or secondary too, before red_changed): the log and the hook hear of
	 * it, and of a new state (paused...) that changes neither.
	 */
	nkd_agent_account_changed(acct->agent, acct);
	if (!when) {
		su_timer_reset(acct->red_timer);
		return;
	}
	su_timer_set_interval(acct->red_timer, red_timer_expired, (su_timer_arg_t *)acct,
			      when > now ? (su_duration_t)(when - now) : 0);
}

static void reopen_socket(struct nkd_account *acct);

static uint16_t port_at(const struct nkd_account *acct, unsigned int i)
{
	return i == 0 ? acct->cfg.user_agent_port : acct->cfg.user_agent_ports[i - 1];
}

/*
 * No server answered at all: maybe an upstream router blocks the port.
 * OBi: the next of X_UserAgentPorts; once every port had its turn, pause.
 */
static bool red_exhausted(void *ctx, bool all_timeouts)
{
	struct nkd_account *acct = ctx;
	unsigned int n = (unsigned int)acct->cfg.n_user_agent_ports + 1;

	if (!all_timeouts || n == 1 || acct->stopping || ++acct->ports_tried >= n) {
		acct->ports_tried = 0;
		return false;
	}
	acct->port_index = (acct->port_index + 1) % n;
	nkd_warn("%s: no server answered REGISTER from UDP port %u: trying port %u "
		 "(X_UserAgentPorts)", acct->cfg.name, acct->port, port_at(acct, acct->port_index));
	reopen_socket(acct);
	return true;
}

static const struct nkd_redundancy_ops red_ops = {
	.start = red_start,
	.stop = red_stop,
	.changed = red_changed,
	.arm = red_arm,
	.exhausted = red_exhausted,
	.random = nkd_random_below,
};

/* ------------------------------------------------------------- DNS */

static void servers_resolved(void *ctx, const struct nkd_target *targets, size_t n,
			     const char *error)
{
	struct nkd_account *acct = ctx;

	if (error) {
		if (strcmp(acct->dns_error, error))
			nkd_warn("%s: DNS: %s%s", acct->cfg.name, error,
				 acct->red.count ? " (keeping the servers known)" : "");
		snprintf(acct->dns_error, sizeof(acct->dns_error), "%s", error);
		nkd_agent_account_changed(acct->agent, acct);
		return;
	}
	acct->dns_error[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char ep[NK_ENDPOINT_STRLEN];

		nk_endpoint_format(targets[i].ep.family, &targets[i].ep.addr,
				   targets[i].ep.port, ep, sizeof(ep));
		nkd_debug("%s: candidate %zu: %s (%s) priority %u weight %u", acct->cfg.name,
			  i + 1, ep, targets[i].host, targets[i].priority, targets[i].weight);
	}
	nkd_redundancy_set_targets(&acct->red, targets, n, nkd_now_ms());
}

static void keepalive_server_resolved(void *ctx, const struct nkd_target *targets,
				      size_t n, const char *error)
{
	struct nkd_account *acct = ctx;

	if (error) {
		nkd_warn("%s: X_KeepAliveServer: %s", acct->cfg.name, error);
		return;
	}
	if (n && (!acct->has_ka_target || !nkd_endpoint_equal(&acct->ka_target, &targets[0].ep))) {
		acct->ka_target = targets[0].ep;
		acct->has_ka_target = true;
		nkd_agent_state_changed(acct->agent);
		nkd_keepalive_sync(acct);
	}
}

/* ------------------------------------------------------------ setup */

/* Where redundancy applies: the outbound proxy if set, else the registrar. */
static void redundant_server(const struct nkd_profile *p, const char **host, uint16_t *port)
{
	if (p->outbound_proxy[0]) {
		*host = p->outbound_proxy;
		*port = p->outbound_proxy_port;
	} else if (p->registrar_server[0]) {
		*host = p->registrar_server;
		*port = p->registrar_server_port;
	} else {
		*host = p->proxy_server;
		*port = p->proxy_server_port;
	}
}

static void begin_lookups(struct nkd_account *acct)
{
	const char *host;
	uint16_t port;

	redundant_server(&acct->profile, &host, &port);
	acct->resolve = nkd_resolve_start(host, port, servers_resolved, acct);
	if (!acct->resolve)
		nkd_err("%s: cannot start the lookup of %s", acct->cfg.name, host);
	if (acct->cfg.keepalive_enable && acct->cfg.keepalive_server[0])
		acct->ka_resolve = nkd_resolve_start(acct->cfg.keepalive_server,
						     acct->cfg.keepalive_server_port ?
						     acct->cfg.keepalive_server_port : 5060,
						     keepalive_server_resolved, acct);
}

/* What the registrations depend on: they are taken over only if it is the same. */
static void handover_key(const struct nkd_account *acct, char *buf, size_t len)
{
	const char *host;
	uint16_t port;

	redundant_server(&acct->profile, &host, &port);
	snprintf(buf, len, "%s %s %s %u", acct->aor, acct->registrar_uri, host, port);
}

/*
 * What the last natkeepd left for this account (handover.h): its servers
 * and roles, each registration refreshed with its Call-ID and Contact,
 * the flows taken over (kernel.c finds them by their endpoints).
 */
static void adopt_saved(struct nkd_account *acct)
{
	/* A copy: each REGISTER sent saves the state over the agent's. */
	static struct nkd_saved_account saved_copy;
	const struct nkd_saved_account *saved = &saved_copy;
	struct nkd_target targets[NKD_MAX_SERVERS];
	enum nkd_role roles[NKD_MAX_SERVERS];
	char key[NKD_HANDOVER_KEY_MAX];

	saved_copy = acct->agent->saved[acct->index];
	if (!saved->present)
		return;
	handover_key(acct, key, sizeof(key));
	if (strcmp(key, saved->key) || saved->port != acct->port) {
		nkd_notice("%s: the registrations left by the last natkeepd were for other "
			   "settings: registering anew", acct->cfg.name);
		return;
	}
	for (unsigned int i = 0; i < saved->n_regs; i++) {
		targets[i] = saved->regs[i].target;
		roles[i] = saved->regs[i].role;
	}
	acct->has_ka_target = saved->has_ka_target;
	acct->ka_target = saved->ka_target;
	nkd_relay_adopt(acct->relay, saved);
	acct->resume = saved;
	nkd_redundancy_adopt(&acct->red, targets, roles, saved->n_regs, nkd_now_ms());
	acct->resume = NULL;
	/* X_KeepAliveServer's flow too, before the start's sweep. */
	nkd_keepalive_sync(acct);
}

/* The socket is open (told from the loop): start, or go on after a reopen. */
static void socket_opened(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct nkd_account *acct = (struct nkd_account *)arg;

	(void)magic;
	(void)t;
	if (acct->stopping)
		return;
	nkd_info("%s: SIP socket on UDP port %u, registering %s", acct->cfg.name,
		 acct->port, acct->aor);
	if (acct->rebinding) {
		acct->rebinding = false;
		nkd_redundancy_resume(&acct->red, nkd_now_ms());
		return;
	}
	acct->started = true;
	adopt_saved(acct);
	nkd_agent_account_opened(acct->agent, acct);
	begin_lookups(acct);
}

static void close_socket(struct nkd_account *acct)
{
	nkd_malformed_watch(&acct->malformed, 0, NULL);
	nkd_relay_detach(acct->relay);
	nkd_reg_close_all(acct);
	if (acct->sip)
		nta_agent_destroy(acct->sip);
	acct->sip = NULL;
}

static bool open_socket(struct nkd_account *acct, uint16_t port);
static void rebind_expired(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg);

/*
 * No port could be opened (another program has it, or a hook's child
 * kept it): try again, 1 s later, then 2, 4 ... 60 s at most, and say
 * why in the status meanwhile.
 */
static void retry_socket_later(struct nkd_account *acct)
{
	unsigned int shift = acct->socket_retries < 6 ? acct->socket_retries : 6;
	su_duration_t delay = (su_duration_t)1000 << shift;

	if (delay > 60000)
		delay = 60000;
	acct->socket_retries++;
	su_timer_set_interval(acct->rebind_timer, rebind_expired, (su_timer_arg_t *)acct, delay);
}

/* Closed for another port or address, or none opened yet: open it (outside nta's callbacks). */
static void rebind_expired(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct nkd_account *acct = (struct nkd_account *)arg;

	(void)magic;
	(void)t;
	if (acct->stopping)
		return;
	close_socket(acct);
	if (open_socket(acct, port_at(acct, acct->port_index)))
		return;
	/* Back to the first port: the one that worked, or the configured one. */
	if (acct->port_index) {
		acct->port_index = 0;
		if (open_socket(acct, port_at(acct, 0)))
			return;
	}
	retry_socket_later(acct);
}

static void reopen_socket(struct nkd_account *acct)
{
	acct->rebinding = true;
	su_timer_set_interval(acct->rebind_timer, rebind_expired, (su_timer_arg_t *)acct, 0);
}

/*
 * A request that reached the account's socket: the local UA's, through
 * the relay. Without one, calls are the gateway's call handling's, not
 * ours; the servers' OPTIONS pings are answered. Returns the status to
 * answer with (0: answered, or to be).
 */
static int on_request(struct nkd_account *acct, nta_incoming_t *irq, const sip_t *sip)
{
	if (acct->relay)
		return nkd_relay_from_server(acct->relay, irq, sip);
	switch (sip->sip_request->rq_method) {
	case sip_method_options:
		nkd_debug("%s: OPTIONS from the server answered", acct->cfg.name);
		return 200;
	case sip_method_ack:
		return 200;	/* absorbed: an ACK gets no answer */
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

/*
 * What no transaction of nta's matched: a new request passes the gate
 * (sip_gate.h) or is dropped unanswered; then, as nta's own dispatch to a
 * leg does, a server transaction and the status answered on it.
 * Responses here are strays of no relay's: dropped.
 */
static int on_message(nta_agent_magic_t *magic, nta_agent_t *sip_agent, msg_t *msg,
		      sip_t *sip)
{
	struct nkd_account *acct = (struct nkd_account *)magic;
	nta_incoming_t *irq;
	int status;

	if (!sip || !sip->sip_request || !nkd_sip_gate_admits(acct, msg, sip)) {
		msg_destroy(msg);
		return 0;
	}
	irq = nta_incoming_create(sip_agent, NULL, msg, sip, TAG_END());
	if (!irq)
		return 0;
	status = on_request(acct, irq, sip);
	if (status < 100 || status > 699)
		return 0;
	if (sip->sip_request->rq_method == sip_method_invite && status < 300 && status >= 200)
		status = 500;
	nta_incoming_treply(irq, status, NULL, TAG_END());
	if (status >= 200)
		nta_incoming_destroy(irq);
	return 0;
}

/*
 * Why nta could not bind port: sofia keeps no errno. A plain bind of the
 * port on any address, IPv4 then IPv6, says what is in the way.
 */
static const char *bind_failure(uint16_t port)
{
	static const int families[] = { AF_INET, AF_INET6 };

	for (size_t i = 0; i < ARRAY_SIZE(families); i++) {
		struct sockaddr_storage ss = { .ss_family = (sa_family_t)families[i] };
		int fd = socket(families[i], SOCK_DGRAM | SOCK_CLOEXEC, 0), err, one = 1;
		socklen_t len;

		if (fd < 0)
			continue;
		if (families[i] == AF_INET) {
			((struct sockaddr_in *)&ss)->sin_port = htons(port);
			len = sizeof(struct sockaddr_in);
		} else {
			((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
			len = sizeof(struct sockaddr_in6);
		}
		err = bind(fd, (struct sockaddr *)&ss, len) ? errno : 0;
		close(fd);
		if (err)
			return strerror(err);
	}
	return "sofia-sip cannot bind it (the port itself is free)";
}

/* The account's SIP socket: an nta agent bound to port. */
static bool open_socket(struct nkd_account *acct, uint16_t port)
{
	const struct nkd_config *cfg = &acct->agent->cfg;
	const sip_contact_t *m;
	char url[64];

	/* "*": sofia binds the port on every address, IPv4 and IPv6. */
	snprintf(url, sizeof(url), "sip:*:%u;transport=udp", port);
	acct->port = port;
	acct->sip = nta_agent_create(acct->agent->root, (const url_string_t *)url, on_message,
				     (nta_agent_magic_t *)acct,
				     /* Our Via carries the public address. */
				     NTATAG_USER_VIA(1),
				     /* We choose the servers: no DNS of sofia's own. */
				     NTATAG_USE_NAPTR(0), NTATAG_USE_SRV(0),
				     NTATAG_SIP_T1X64(cfg->agent.transaction_timeout_s * 1000),
				     /*
				      * No STUN server of sofia's on the SIP port: it
				      * answers anyone and prints each datagram to
				      * stderr (a flood would flood the log).
				      */
				     TPTAG_STUN_SERVER(0),
				     TAG_END());
	if (!acct->sip) {
		char why[sizeof(acct->socket_error)];

		snprintf(why, sizeof(why), "cannot open UDP port %u: %s", port,
			 bind_failure(port));
		if (strcmp(why, acct->socket_error))
			nkd_err("%s: %s (trying again, every minute at most)", acct->cfg.name, why);
		snprintf(acct->socket_error, sizeof(acct->socket_error), "%s", why);
		return false;
	}
	if (acct->socket_error[0])
		nkd_notice("%s: UDP port %u is open now", acct->cfg.name, port);
	acct->socket_error[0] = '\0';
	acct->socket_retries = 0;
	m = nta_agent_contact(acct->sip);
	if (m && m->m_url->url_port)
		acct->port = (uint16_t)atoi(m->m_url->url_port);
	nkd_relay_attach(acct->relay, acct->sip);
	nkd_malformed_watch(&acct->malformed, 0, acct->sip);
	su_timer_set_interval(acct->opened_timer, socket_opened, (su_timer_arg_t *)acct, 0);
	return true;
}

/* A host as a SIP URI has it: IPv6 literals in brackets. */
static const char *uri_host(const char *host, char *buf, size_t len)
{
	if (!strchr(host, ':'))
		return host;
	snprintf(buf, len, "[%s]", host);
	return buf;
}

struct nkd_account *nkd_account_start(struct nkd_agent *agent, int index,
				      const struct nkd_config *cfg)
{
	const struct nkd_account_config *c = &cfg->accounts[index];
	struct nkd_account *acct = calloc(1, sizeof(*acct));
	const struct nkd_profile *p = nkd_account_profile(cfg, c);
	const char *domain = p->proxy_server[0] ? p->proxy_server : p->registrar_server;
	const char *registrar = p->registrar_server[0] ? p->registrar_server : p->proxy_server;
	uint16_t registrar_port = p->registrar_server[0] ? p->registrar_server_port :
				  p->proxy_server_port;
	char dbuf[NKD_HOST_MAX + 3], rbuf[NKD_HOST_MAX + 3];

	if (!acct)
		return NULL;
	acct->agent = agent;
	acct->index = index;
	acct->cfg = *c;
	acct->profile = *p;
	acct->redundancy_on = p->proxy_server_redundancy;
	acct->port = c->user_agent_port;
	domain = uri_host(domain, dbuf, sizeof(dbuf));
	registrar = uri_host(registrar, rbuf, sizeof(rbuf));
	snprintf(acct->aor, sizeof(acct->aor), "sip:%s@%s", nkd_account_user(c), domain);
	if (registrar_port == 5060)
		snprintf(acct->registrar_uri, sizeof(acct->registrar_uri), "sip:%s", registrar);
	else
		snprintf(acct->registrar_uri, sizeof(acct->registrar_uri), "sip:%s:%u",
			 registrar, registrar_port);
	if (p->register_include_instance &&
	    !nkd_instance_urn("/", c->name, acct->instance, sizeof(acct->instance)))
		nkd_warn("%s: no /etc/machine-id and no hardware address: its +sip.instance "
			 "is the same on every such gateway", c->name);
	if (p->secondary_registration && !p->proxy_server_redundancy)
		nkd_warn("%s: X_SecondaryRegistration has no effect without "
			 "X_ProxyServerRedundancy", c->name);
	nkd_redundancy_init(&acct->red, &red_ops, acct, p->proxy_server_redundancy,
			    p->secondary_registration, p->check_primary_interval);
	acct->register_rate.burst = NKD_REGISTER_BURST;
	acct->register_rate.every_ms = NKD_REGISTER_EVERY_MS;
	acct->register_limit_log.every_ms = NKD_REGISTER_LOG_PERIOD_MS;
	acct->dropped_sip_log.every_ms = NKD_GATE_LOG_PERIOD_MS;
	acct->red_timer = su_timer_create(su_root_task(agent->root), 0);
	acct->rebind_timer = su_timer_create(su_root_task(agent->root), 0);
	acct->opened_timer = su_timer_create(su_root_task(agent->root), 0);
	if (c->local_proxy.set)
		acct->relay = nkd_relay_create(acct);
	if (acct->relay)
		nkd_malformed_watch(&acct->malformed, 1, nkd_relay_lan(acct->relay));
	if (!acct->red_timer || !acct->rebind_timer || !acct->opened_timer ||
	    nkd_malformed_start(&acct->malformed, agent->root, acct->cfg.name) ||
	    (c->local_proxy.set && !acct->relay)) {
		nkd_account_free(acct);
		return NULL;
	}
	if (!open_socket(acct, c->user_agent_port))
		retry_socket_later(acct);
	return acct;
}

void nkd_account_check_stopped(struct nkd_account *acct)
{
	if (!acct->stopping || acct->gone || nkd_reg_count(acct))
		return;
	/* The socket closes when the loop frees the account. */
	acct->gone = true;
	nkd_agent_account_gone(acct->agent, acct);
}

static void stop_grace_expired(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct nkd_account *acct = (struct nkd_account *)arg;

	(void)magic;
	(void)t;
	if (acct->gone)
		return;
	nkd_warn("%s: un-REGISTER unanswered after %d s: shutting down anyway",
		 acct->cfg.name, NKD_STOP_GRACE_MS / 1000);
	nkd_reg_close_all(acct);
	nkd_account_check_stopped(acct);
}

void nkd_account_stop(struct nkd_account *acct)
{
	if (acct->stopping)
		return;
	acct->stopping = true;
	nkd_resolve_stop(acct->resolve);
	nkd_resolve_stop(acct->ka_resolve);
	acct->resolve = acct->ka_resolve = NULL;
	nkd_keepalive_delete_all(acct);
	nkd_redundancy_stop(&acct->red);
	su_timer_set_interval(acct->red_timer, stop_grace_expired, (su_timer_arg_t *)acct,
			      NKD_STOP_GRACE_MS);
	nkd_account_check_stopped(acct);
}

void nkd_account_hand_over(struct nkd_account *acct)
{
	if (acct->stopping)
		return;
	/*
	 * Inert at once, nothing ended: no REGISTER, lookup or timer may
	 * run after the state was saved (its CSeq would be the next one's),
	 * and the flows stay in the module.
	 */
	acct->stopping = acct->handing_over = true;
	nkd_resolve_stop(acct->resolve);
	nkd_resolve_stop(acct->ka_resolve);
	acct->resolve = acct->ka_resolve = NULL;
	su_timer_reset(acct->red_timer);
	su_timer_reset(acct->rebind_timer);
	su_timer_reset(acct->opened_timer);
	close_socket(acct);
	acct->gone = true;
	nkd_agent_account_gone(acct->agent, acct);
}

void nkd_account_save(const struct nkd_account *acct, struct nkd_saved_account *out)
{
	memset(out, 0, sizeof(*out));
	if (!acct || acct->stopping || !acct->started)
		return;
	out->present = true;
	handover_key(acct, out->key, sizeof(out->key));
	out->port = acct->port;
	out->has_ka_target = acct->has_ka_target;
	out->ka_target = acct->ka_target;
	nkd_relay_save(acct->relay, out);
	/* In the servers' order: priority order, as adopt wants them. */
	for (size_t i = 0; i < acct->red.count; i++) {
		const struct nkd_server *s = &acct->red.servers[i];
		const struct nkd_registration *reg;
		struct nkd_saved_reg *r = &out->regs[out->n_regs];

		if (s->role != NKD_ROLE_PRIMARY && s->role != NKD_ROLE_SECONDARY)
			continue;
		reg = nkd_reg_find((struct nkd_account *)acct, s->id);
		if (!reg || reg->state != NKD_REG_REGISTERED)
			continue;
		r->target = s->target;
		r->role = s->role;
		snprintf(r->call_id, sizeof(r->call_id), "%s", reg->call_id);
		snprintf(r->from_tag, sizeof(r->from_tag), "%s", reg->from_tag);
		r->cseq = reg->cseq;
		r->local = reg->local;
		r->has_mapping = reg->has_mapping;
		r->mapping = reg->mapping;
		snprintf(r->contact, sizeof(r->contact), "%s", reg->contact);
		out->n_regs++;
	}
}

bool nkd_account_owns_flow(const struct nkd_account *acct, uint32_t id)
{
	if (!id)
		return false;
	if (acct->ka_flow_id == id)
		return true;
	for (size_t i = 0; i < NKD_MAX_SERVERS; i++)
		if (acct->regs[i].in_use && acct->regs[i].flow_id == id)
			return true;
	return false;
}

void nkd_account_free(struct nkd_account *acct)
{
	if (!acct)
		return;
	/* Their timers would call back into a freed account. */
	nkd_resolve_stop(acct->resolve);
	nkd_resolve_stop(acct->ka_resolve);
	acct->resolve = acct->ka_resolve = NULL;
	close_socket(acct);
	nkd_malformed_watch(&acct->malformed, 1, NULL);
	nkd_malformed_stop(&acct->malformed);
	nkd_relay_destroy(acct->relay);
	if (acct->red_timer)
		su_timer_destroy(acct->red_timer);
	if (acct->rebind_timer)
		su_timer_destroy(acct->rebind_timer);
	if (acct->opened_timer)
		su_timer_destroy(acct->opened_timer);
	free(acct);
}

void nkd_account_update_keepalive(struct nkd_account *acct,
				  const struct nkd_account_config *cfg)
{
	bool server_changed = strcmp(acct->cfg.keepalive_server, cfg->keepalive_server) ||
			      acct->cfg.keepalive_server_port != cfg->keepalive_server_port ||
			      acct->cfg.keepalive_enable != cfg->keepalive_enable;

	acct->cfg = *cfg;
	nkd_info("%s: keep-alive settings changed (registrations kept)", acct->cfg.name);
	if (server_changed) {
		nkd_resolve_stop(acct->ka_resolve);
		acct->ka_resolve = NULL;
		acct->has_ka_target = false;
		if (cfg->keepalive_enable && cfg->keepalive_server[0])
			acct->ka_resolve = nkd_resolve_start(cfg->keepalive_server,
							     cfg->keepalive_server_port ?
							     cfg->keepalive_server_port : 5060,
							     keepalive_server_resolved, acct);
	}
	nkd_keepalive_sync(acct);
}

bool nkd_account_flow_event(struct nkd_account *acct, int cmd, const struct nk_flow *flow)
{
	if (acct->stopping)
		return false;
	return nkd_keepalive_event(acct, cmd, flow);
}

void nkd_account_flows_resync(struct nkd_account *acct)
{
	if (!acct->stopping)
		nkd_keepalive_resync(acct);
}

void nkd_account_flows_refresh(struct nkd_account *acct)
{
	if (acct->stopping)
		return;
	/* The old ids mean nothing to a module loaded again. */
	for (size_t i = 0; i < NKD_MAX_SERVERS; i++)
		acct->regs[i].flow_id = 0;
	acct->ka_flow_id = 0;
	nkd_keepalive_sync(acct);
}

void nkd_account_network_changed(struct nkd_account *acct)
{
	char local_text[NK_ENDPOINT_STRLEN], to_text[NK_ENDPOINT_STRLEN];
	const struct nk_endpoint *to = NULL;
	struct nk_endpoint local;

	if (acct->stopping || acct->rebinding || !acct->started)
		return;
	/*
	 * Every candidate, registered or not: a registration the change has
	 * already cost (a REGISTER sent into the void) is still a candidate.
	 */
	for (size_t i = 0; i < acct->red.count && !to; i++)
		if (nkd_local_socket_misses(&acct->red.servers[i].target.ep, acct->port, &local))
			to = &acct->red.servers[i].target.ep;
	if (!to && acct->has_ka_target &&
	    nkd_local_socket_misses(&acct->ka_target, acct->port, &local))
		to = &acct->ka_target;
	if (!to)
		return;
	/*
	 * sofia binds the port on each address it finds at start: a new
	 * address needs a new socket. Registrations start over from it.
	 */
	nk_endpoint_format(local.family, &local.addr, local.port, local_text, sizeof(local_text));
	nk_endpoint_format(to->family, &to->addr, to->port, to_text, sizeof(to_text));
	nkd_notice("%s: our address towards the servers changed: reopening UDP port %u "
		   "and registering again (%s towards %s)", acct->cfg.name, acct->port,
		   local_text, to_text);
	acct->rebinding = true;
	nkd_redundancy_reset(&acct->red, nkd_now_ms());
	reopen_socket(acct);
}

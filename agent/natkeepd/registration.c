// SPDX-License-Identifier: GPL-2.0
/* REGISTER with one server through a sofia-sip handle. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_tag_io.h>

#include "agent.h"
#include "kernel.h"
#include "local_addr.h"
#include "log.h"
#include "registration.h"

struct nkd_registration *nkd_reg_find(struct nkd_account *acct, uint32_t server_id)
{
	for (size_t i = 0; i < NKD_MAX_SERVERS; i++)
		if (acct->regs[i].in_use && acct->regs[i].server_id == server_id)
			return &acct->regs[i];
	return NULL;
}

unsigned int nkd_reg_count(const struct nkd_account *acct)
{
	unsigned int n = 0;

	for (size_t i = 0; i < NKD_MAX_SERVERS; i++)
		n += acct->regs[i].in_use;
	return n;
}

/* What the server should see us as: the public mapping, else our address. */
static const struct nk_endpoint *advertised(const struct nkd_registration *reg)
{
	return reg->has_mapping ? &reg->mapping : &reg->local;
}

static void format_host_port(const struct nk_endpoint *ep, char *buf, size_t len)
{
	nk_endpoint_format(ep->family, &ep->addr, ep->port, buf, len);
}

static void build_contact(const struct nkd_registration *reg, char *buf, size_t len)
{
	const struct nkd_account *acct = reg->account;
	char hp[NK_ENDPOINT_STRLEN];

	format_host_port(advertised(reg), hp, sizeof(hp));
	if (acct->instance[0])
		snprintf(buf, len, "<sip:%s@%s>;+sip.instance=\"<%s>\"",
			 nkd_account_user(&acct->cfg), hp, acct->instance);
	else
		snprintf(buf, len, "<sip:%s@%s>", nkd_account_user(&acct->cfg), hp);
}

static void build_via(const struct nkd_registration *reg, char *buf, size_t len)
{
	char hp[NK_ENDPOINT_STRLEN];

	/* ;rport kept, or sofia writes the local port back in (SOFIA-NOTES). */
	format_host_port(advertised(reg), hp, sizeof(hp));
	snprintf(buf, len, "SIP/2.0/UDP %s;rport", hp);
}

/* Sends REGISTER with the current Contact (and the stale one removed). */
static void send_register(struct nkd_registration *reg)
{
	struct nkd_account *acct = reg->account;
	char via[NK_ENDPOINT_STRLEN + 32], contacts[2 * sizeof(reg->contact) + 16];
	char expires[16];

	if (!reg->has_mapping)
		nkd_local_towards(&reg->target.ep, acct->port, &reg->local);
	build_contact(reg, reg->contact, sizeof(reg->contact));
	build_via(reg, via, sizeof(via));
	if (!strcmp(reg->stale_contact, reg->contact))
		reg->stale_contact[0] = '\0';	/* still ours: nothing to remove */
	if (reg->stale_contact[0])
		snprintf(contacts, sizeof(contacts), "%s, %s;expires=0", reg->contact,
			 reg->stale_contact);
	else
		snprintf(contacts, sizeof(contacts), "%s", reg->contact);
	snprintf(expires, sizeof(expires), "%u", acct->profile.register_expires);
	nkd_debug("%s: REGISTER to %s, Contact %s", acct->cfg.name, reg->next_hop, contacts);
	nua_register(reg->nh,
		     NUTAG_REGISTRAR(URL_STRING_MAKE(acct->registrar_uri)),
		     NUTAG_PROXY(URL_STRING_MAKE(reg->next_hop)),
		     SIPTAG_CONTACT_STR(contacts),
		     SIPTAG_VIA_STR(via),
		     SIPTAG_EXPIRES_STR(expires),
		     TAG_END());
}

static void set_next_hop_to_target(struct nkd_registration *reg)
{
	char hp[NK_ENDPOINT_STRLEN];

	format_host_port(&reg->target.ep, hp, sizeof(hp));
	snprintf(reg->next_hop, sizeof(reg->next_hop), "sip:%s;transport=udp", hp);
}

struct nkd_registration *nkd_reg_begin(struct nkd_account *acct, uint32_t server_id,
				       const struct nkd_target *t)
{
	struct nkd_registration *reg = NULL;
	const char *held;

	for (size_t i = 0; i < NKD_MAX_SERVERS && !reg; i++)
		if (!acct->regs[i].in_use)
			reg = &acct->regs[i];
	if (!reg)
		return NULL;
	memset(reg, 0, sizeof(*reg));
	reg->account = acct;
	reg->server_id = server_id;
	reg->target = *t;
	/* What an earlier registration left there (another address of ours). */
	held = nkd_held_get(&acct->held, &t->ep, nkd_now_ms());
	if (held)
		snprintf(reg->stale_contact, sizeof(reg->stale_contact), "%s", held);
	reg->nh = nua_handle(acct->nua, reg, SIPTAG_TO_STR(acct->aor),
			     SIPTAG_FROM_STR(acct->aor), TAG_END());
	if (!reg->nh)
		return NULL;
	reg->in_use = true;
	reg->state = NKD_REG_REGISTERING;
	set_next_hop_to_target(reg);
	send_register(reg);
	return reg;
}

/* Its keep-alive flow goes with the registration. */
static void drop_flow(struct nkd_registration *reg)
{
	if (reg->flow_id && nkd_kernel_available())
		nkd_kernel_flow_delete(reg->flow_id);
	reg->flow_id = 0;
}

static void release(struct nkd_registration *reg)
{
	drop_flow(reg);
	if (reg->nh)
		nua_handle_destroy(reg->nh);
	reg->nh = NULL;
	reg->in_use = false;
	nkd_account_check_stopped(reg->account);
}

void nkd_reg_end(struct nkd_registration *reg, bool unregister)
{
	char via[NK_ENDPOINT_STRLEN + 32];

	if (!reg || !reg->in_use || reg->state == NKD_REG_UNREGISTERING)
		return;
	if (!unregister || reg->state != NKD_REG_REGISTERED) {
		release(reg);
		return;
	}
	reg->state = NKD_REG_UNREGISTERING;
	drop_flow(reg);
	build_via(reg, via, sizeof(via));
	nkd_info("%s: un-REGISTER at %s", reg->account->cfg.name, reg->next_hop);
	nua_unregister(reg->nh, NUTAG_PROXY(URL_STRING_MAKE(reg->next_hop)),
		       SIPTAG_CONTACT_STR(reg->contact), SIPTAG_VIA_STR(via),
		       TAG_END());
}

/* The realm of a challenge, for sofia's "Digest:REALM:USER:PASS". */
static const char *challenge_realm(const sip_t *sip, char *buf, size_t len)
{
	const msg_auth_t *au = NULL;
	const char *realm;

	if (sip)
		au = sip->sip_www_authenticate ? sip->sip_www_authenticate :
		     sip->sip_proxy_authenticate;
	if (!au || !au->au_scheme)
		return NULL;
	realm = msg_header_find_param((const msg_common_t *)au, "realm=");
	if (!realm)
		return NULL;
	snprintf(buf, len, "%s:%s", au->au_scheme, realm);
	return buf;
}

/* RFC 2617 stale=true: a new nonce for credentials that were right. */
static bool challenge_stale(const sip_t *sip)
{
	const msg_auth_t *au = sip ? (sip->sip_www_authenticate ? sip->sip_www_authenticate :
				      sip->sip_proxy_authenticate) : NULL;
	const char *stale = au ? msg_header_find_param((const msg_common_t *)au, "stale=") : NULL;

	return stale && !strcasecmp(stale, "true");
}

static void authenticate(struct nkd_registration *reg, const sip_t *sip, int status)
{
	struct nkd_account *acct = reg->account;
	char realm[NK_SIP_HOST_MAX + 32], auth[sizeof(realm) + 2 * NKD_SECRET_MAX + 8];

	reg->challenges++;
	/* Two challenges in a row that our credentials cannot answer. */
	if (reg->challenges > 2 || (reg->challenges == 2 && !challenge_stale(sip)) ||
	    !challenge_realm(sip, realm, sizeof(realm))) {
		nkd_warn("%s: %s refuses the credentials of %s (%d after authenticating)",
			 acct->cfg.name, reg->next_hop, acct->cfg.auth_user, status);
		release(reg);
		nkd_redundancy_failed(&acct->red, reg->server_id, NKD_FAIL_AUTH, status,
				      "wrong credentials", 0, nkd_now_ms());
		return;
	}
	snprintf(auth, sizeof(auth), "%s:%s:%s", realm, acct->cfg.auth_user,
		 acct->cfg.auth_password);
	nua_authenticate(reg->nh, NUTAG_AUTH(auth), TAG_END());
}

/* Follow a 3xx's first Contact, at most NKD_MAX_REDIRECTS in a row. */
static bool redirect(struct nkd_registration *reg, const sip_t *sip)
{
	const sip_contact_t *m = sip ? sip->sip_contact : NULL;
	char *uri;

	if (!m || ++reg->redirects > NKD_MAX_REDIRECTS)
		return false;
	uri = url_as_string(NULL, m->m_url);
	if (!uri)
		return false;
	snprintf(reg->next_hop, sizeof(reg->next_hop), "%s", uri);
	su_free(NULL, uri);
	nkd_info("%s: redirected (%u of %d) to %s", reg->account->cfg.name,
		 reg->redirects, NKD_MAX_REDIRECTS, reg->next_hop);
	send_register(reg);
	return true;
}

static enum nkd_failure classify(int status, const sip_t *sip)
{
	/*
	 * sofia answers itself on timeout and on ICMP errors, with our own
	 * Via; a server fills in the rport we ask for (RFC 3581).
	 */
	bool local = !sip || !sip->sip_via || !sip->sip_via->v_rport ||
		     !sip->sip_via->v_rport[0];

	if (status == 408 && local)
		return NKD_FAIL_TIMEOUT;
	if (local && status >= 500)
		return NKD_FAIL_UNREACHABLE;
	if (status == 403)
		return NKD_FAIL_AUTH;
	if (status >= 300 && status < 400)
		return NKD_FAIL_REDIRECTS;
	if (status >= 500)
		return NKD_FAIL_SERVER;
	return NKD_FAIL_REJECTED;
}

/* The Via of a 200: what the server saw as our address (received/rport). */
static void learn_via_mapping(struct nkd_registration *reg, const sip_t *sip)
{
	const sip_via_t *v = sip ? sip->sip_via : NULL;
	struct nk_endpoint ep = { 0 };
	char err[64], text[NK_ENDPOINT_STRLEN];
	unsigned long port;

	if (!v || !v->v_rport || !v->v_rport[0])
		return;
	port = strtoul(v->v_rport, NULL, 10);
	if (!port || port > 65535)
		return;
	snprintf(text, sizeof(text), strchr(v->v_received ? v->v_received : v->v_host, ':') ?
		 "[%s]:%lu" : "%s:%lu", v->v_received ? v->v_received : v->v_host, port);
	if (nk_endpoint_parse(text, &ep, err, sizeof(err)))
		return;
	nkd_reg_set_mapping(reg, &ep);
}

static unsigned int granted_expires(const struct nkd_registration *reg, const sip_t *sip)
{
	if (sip && sip->sip_expires)
		return (unsigned int)sip->sip_expires->ex_delta;
	if (sip && sip->sip_contact && sip->sip_contact->m_expires)
		return (unsigned int)strtoul(sip->sip_contact->m_expires, NULL, 10);
	return reg->account->profile.register_expires;
}

static void registered(struct nkd_registration *reg, const sip_t *sip)
{
	struct nkd_account *acct = reg->account;
	bool first = reg->state != NKD_REG_REGISTERED;
	uint32_t id = reg->server_id;
	unsigned int expires = granted_expires(reg, sip);
	uint64_t now = nkd_now_ms();

	reg->state = NKD_REG_REGISTERED;
	reg->challenges = 0;
	reg->redirects = 0;
	nkd_held_set(&acct->held, &reg->target.ep, reg->contact, expires, now);
	if (first)
		nkd_info("%s: registered at %s as %s", acct->cfg.name, reg->next_hop,
			 reg->contact);
	nkd_redundancy_registered(&acct->red, reg->server_id, expires, now);
	/* The registration may have ended meanwhile, its slot reused. */
	if (!reg->in_use || reg->server_id != id)
		return;
	if (reg->clean_contact) {
		/* The stale binding is removed: stop repeating it. */
		reg->clean_contact = false;
		reg->stale_contact[0] = '\0';
		send_register(reg);
		return;
	}
	if (reg->stale_contact[0])
		reg->clean_contact = true;
	learn_via_mapping(reg, sip);
}

static void failed(struct nkd_registration *reg, int status, const char *phrase,
		   const sip_t *sip)
{
	struct nkd_account *acct = reg->account;
	enum nkd_failure why = classify(status, sip);
	unsigned int retry_after = 0;
	uint32_t id = reg->server_id;

	if (sip && sip->sip_retry_after && status >= 500)
		retry_after = (unsigned int)sip->sip_retry_after->af_delta;
	nkd_warn("%s: REGISTER at %s: %d %s (%s)%s", acct->cfg.name, reg->next_hop, status,
		 phrase ? phrase : "", nkd_failure_name(why),
		 reg->state == NKD_REG_REGISTERED ? ", registration lost" : "");
	release(reg);
	nkd_redundancy_failed(&acct->red, id, why, status, phrase, retry_after,
			      nkd_now_ms());
}

void nkd_reg_event(struct nkd_registration *reg, nua_event_t event, int status,
		   const char *phrase, const sip_t *sip)
{
	if (!reg->in_use)
		return;
	if (event == nua_r_unregister) {
		if (status >= 200) {
			nkd_debug("%s: un-REGISTER: %d %s", reg->account->cfg.name, status,
				  phrase ? phrase : "");
			if (status < 300)
				nkd_held_set(&reg->account->held, &reg->target.ep, "", 0,
					     nkd_now_ms());
			release(reg);
		}
		return;
	}
	if (event != nua_r_register || status < 200 || reg->state == NKD_REG_UNREGISTERING)
		return;
	if (status < 300)
		registered(reg, sip);
	else if (status == 401 || status == 407)
		authenticate(reg, sip, status);
	else if (status >= 300 && status < 400 && redirect(reg, sip))
		return;
	else
		failed(reg, status, phrase, sip);
}

void nkd_reg_set_mapping(struct nkd_registration *reg, const struct nk_endpoint *mapping)
{
	char was[NK_ENDPOINT_STRLEN], now[NK_ENDPOINT_STRLEN];

	if (reg->has_mapping && nkd_endpoint_equal(&reg->mapping, mapping))
		return;
	if (!reg->has_mapping && nkd_endpoint_equal(&reg->local, mapping)) {
		/* No NAT on the way: the address we have is the public one. */
		reg->has_mapping = true;
		reg->mapping = *mapping;
		return;
	}
	format_host_port(advertised(reg), was, sizeof(was));
	format_host_port(mapping, now, sizeof(now));
	nkd_notice("%s: public address towards %s is %s (was %s): registering it",
		   reg->account->cfg.name, reg->next_hop, now, was);
	reg->has_mapping = true;
	reg->mapping = *mapping;
	if (reg->state != NKD_REG_REGISTERED)
		return;		/* the next REGISTER will carry it */
	/* One REGISTER swaps the bindings: the new Contact, the old expires=0. */
	snprintf(reg->stale_contact, sizeof(reg->stale_contact), "%s", reg->contact);
	reg->clean_contact = false;
	send_register(reg);
}

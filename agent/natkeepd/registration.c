// SPDX-License-Identifier: GPL-2.0
/*
 * REGISTER with one server, as nta client transactions on the account's
 * SIP socket: one Call-ID, From tag and CSeq series per registration,
 * digest answers from sofia's auth_client, the refresh timer, 423 and
 * 3xx followed, un-REGISTER.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sofia-sip/msg_header.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/su_tag_io.h>

#include "agent.h"
#include "candidates.h"
#include "keepalive.h"
#include "liveness.h"
#include "local_addr.h"
#include "log.h"
#include "registration.h"
#include "sip_gate.h"

/* A 423's Min-Expires is followed this many times in a row. */
#define NKD_MAX_TOO_BRIEF	3

static int on_response(nta_outgoing_magic_t *magic, nta_outgoing_t *orq,
		       const sip_t *sip);

struct nkd_registration *nkd_reg_find(struct nkd_account *acct, uint32_t server_id)
{
	/*
	 * Not one un-registering: the server may be begun again before its
	 * un-REGISTER is answered, and the live slot is the one meant.
	 */
	for (size_t i = 0; i < NKD_MAX_SERVERS; i++)
		if (acct->regs[i].in_use && acct->regs[i].server_id == server_id &&
		    acct->regs[i].state != NKD_REG_UNREGISTERING)
			return &acct->regs[i];
	return NULL;
}

const struct nk_endpoint *nkd_reg_current_server(const struct nkd_account *acct)
{
	const struct nkd_server *p = nkd_redundancy_primary(&acct->red);

	if (!p)
		return NULL;
	for (size_t i = 0; i < NKD_MAX_SERVERS; i++)
		if (acct->regs[i].in_use && acct->regs[i].server_id == p->id &&
		    acct->regs[i].state != NKD_REG_UNREGISTERING)
			return &acct->regs[i].hop;
	return &p->target.ep;
}

unsigned int nkd_reg_count(const struct nkd_account *acct)
{
	unsigned int n = 0;

	for (size_t i = 0; i < NKD_MAX_SERVERS; i++)
		n += acct->regs[i].in_use;
	return n;
}

const struct nk_endpoint *nkd_reg_advertised(const struct nkd_registration *reg)
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

	format_host_port(nkd_reg_advertised(reg), hp, sizeof(hp));
	if (acct->instance[0])
		snprintf(buf, len, "<sip:%s@%s>;+sip.instance=\"<%s>\"",
			 nkd_account_user(&acct->cfg), hp, acct->instance);
	else
		snprintf(buf, len, "<sip:%s@%s>", nkd_account_user(&acct->cfg), hp);
}

void nkd_reg_via(const struct nkd_registration *reg, char *buf, size_t len)
{
	char hp[NK_ENDPOINT_STRLEN];

	/*
	 * The public address and port, with ";rport": without it sofia writes
	 * the socket's local port back into the Via it was given.
	 */
	format_host_port(nkd_reg_advertised(reg), hp, sizeof(hp));
	snprintf(buf, len, "SIP/2.0/UDP %s;rport", hp);
}

static void send_failed(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg);
static void failed(struct nkd_registration *reg, int status, const char *phrase,
		   const sip_t *sip);

/*
 * One REGISTER (expires 0: un-REGISTER) to the next hop, with the answer
 * to the last challenge. One at a time (RFC 3261 10.2): while one is in
 * flight the next waits for its final response (nta retransmits a
 * REGISTER dropped midway, which could outlive the one after). A REGISTER
 * that cannot be sent fails the server, from the loop.
 */
static bool send_request(struct nkd_registration *reg, const char *contacts,
			 unsigned int expires)
{
	struct nkd_account *acct = reg->account;
	char via[NK_ENDPOINT_STRLEN + 32], from[sizeof(acct->aor) + 40];
	char request[sizeof(acct->registrar_uri) + 32], cseq[32], exp[16];
	msg_t *msg;
	sip_t *sip;

	if (reg->orq) {
		reg->queued = true;
		return true;
	}
	nkd_reg_via(reg, via, sizeof(via));
	snprintf(from, sizeof(from), "<%s>;tag=%s", acct->aor, reg->from_tag);
	snprintf(request, sizeof(request), "REGISTER %s SIP/2.0", acct->registrar_uri);
	snprintf(cseq, sizeof(cseq), "%u REGISTER", ++reg->cseq);
	snprintf(exp, sizeof(exp), "%u", expires);
	msg = nta_msg_create(acct->sip, 0);
	sip = sip_object(msg);
	if (!msg || sip_add_tl(msg, sip,
			       SIPTAG_REQUEST_STR(request),
			       SIPTAG_VIA_STR(via),
			       SIPTAG_MAX_FORWARDS_STR("70"),
			       SIPTAG_FROM_STR(from),
			       SIPTAG_TO_STR(acct->aor),
			       SIPTAG_CALL_ID_STR(reg->call_id),
			       SIPTAG_CSEQ_STR(cseq),
			       SIPTAG_CONTACT_STR(contacts),
			       SIPTAG_EXPIRES_STR(exp),
			       SIPTAG_USER_AGENT_STR("natkeepd/" NATKEEP_VERSION),
			       TAG_END()) < 0 ||
	    (reg->auc && auc_authorize(&reg->auc, msg, sip) < 0))
		goto fail;
	/* The next natkeepd goes on from this CSeq, whatever happens now. */
	nkd_agent_state_changed(acct->agent);
	reg->orq = nta_outgoing_mcreate(acct->sip, on_response, (nta_outgoing_magic_t *)reg,
					(const url_string_t *)reg->next_hop, msg, TAG_END());
	if (reg->orq)
		return true;
fail:
	nkd_err("%s: cannot send REGISTER to %s", acct->cfg.name, reg->next_hop);
	msg_destroy(msg);
	su_timer_set_interval(reg->refresh_timer, send_failed, (su_timer_arg_t *)reg, 0);
	return false;
}

static void send_register(struct nkd_registration *reg);

static void deferred_register(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct nkd_registration *reg = (struct nkd_registration *)arg;

	(void)magic;
	(void)t;
	if (reg->in_use && !reg->orq && reg->state != NKD_REG_UNREGISTERING)
		send_register(reg);
}

/* Over the account's REGISTER rate: true, and it goes when its turn comes. */
static bool over_rate(struct nkd_registration *reg)
{
	struct nkd_account *acct = reg->account;
	int64_t now = nkd_now_ms();
	int64_t wait = nkd_rate_limit_wait(&acct->register_rate, now);

	if (!wait) {
		nkd_rate_limit_take(&acct->register_rate, now);
		return false;
	}
	acct->register_deferred++;
	if (nkd_rate_limit_try(&acct->register_limit_log, now))
		nkd_notice("%s: REGISTERs asked for faster than %d at once, then one per %d ms: "
			   "%llu held back so far", acct->cfg.name, NKD_REGISTER_BURST,
			   NKD_REGISTER_EVERY_MS, (unsigned long long)acct->register_deferred);
	su_timer_set_interval(reg->refresh_timer, deferred_register, (su_timer_arg_t *)reg,
			      (su_duration_t)wait);
	return true;
}

/* Sends REGISTER with the current Contact (and the stale one removed). */
static void send_register(struct nkd_registration *reg)
{
	struct nkd_account *acct = reg->account;
	char contacts[2 * sizeof(reg->contact) + 16];

	if (reg->orq) {
		reg->queued = true;	/* after the answer to the one in flight */
		return;
	}
	if (over_rate(reg))
		return;
	if (!reg->has_mapping)
		nkd_local_towards(&reg->hop, acct->port, &reg->local);
	build_contact(reg, reg->contact, sizeof(reg->contact));
	if (!strcmp(reg->stale_contact, reg->contact))
		reg->stale_contact[0] = '\0';	/* still ours: nothing to remove */
	if (reg->stale_contact[0])
		snprintf(contacts, sizeof(contacts), "%s, %s;expires=0", reg->contact,
			 reg->stale_contact);
	else
		snprintf(contacts, sizeof(contacts), "%s", reg->contact);
	nkd_debug("%s: REGISTER to %s, Contact %s", acct->cfg.name, reg->next_hop, contacts);
	su_timer_reset(reg->refresh_timer);
	send_request(reg, contacts, reg->expires);
}

static void refresh_expired(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct nkd_registration *reg = (struct nkd_registration *)arg;

	(void)magic;
	(void)t;
	if (reg->in_use && reg->state == NKD_REG_REGISTERED)
		send_register(reg);
}

/*
 * The refresh comes at a random point between a half and three quarters
 * of what the server granted: before the binding lapses, with a retry's
 * worth of time left, and spread across gateways.
 */
static void arm_refresh(struct nkd_registration *reg, unsigned int granted_s)
{
	uint32_t half = (granted_s < 86400 ? granted_s : 86400) * 500u;

	su_timer_set_interval(reg->refresh_timer, refresh_expired, (su_timer_arg_t *)reg,
			      half + nkd_random_below(NULL, half / 2 + 1));
}

static void set_next_hop_to_target(struct nkd_registration *reg)
{
	char hp[NK_ENDPOINT_STRLEN];

	format_host_port(&reg->target.ep, hp, sizeof(hp));
	snprintf(reg->next_hop, sizeof(reg->next_hop), "sip:%s;transport=udp", hp);
	reg->hop = reg->target.ep;
}

/*
 * A registration the last natkeepd left with this server (handover.h):
 * the same Call-ID, From tag and CSeq series, and the same Contact while
 * our address is the same, so that the REGISTER refreshes that binding.
 */
static void resume_saved(struct nkd_registration *reg)
{
	const struct nkd_saved_account *saved = reg->account->resume;
	const struct nkd_saved_reg *s = NULL;

	for (unsigned int i = 0; saved && i < saved->n_regs && !s; i++)
		if (nkd_target_same_endpoint(&saved->regs[i].target, &reg->target))
			s = &saved->regs[i];
	if (!s)
		return;
	snprintf(reg->call_id, sizeof(reg->call_id), "%s", s->call_id);
	snprintf(reg->from_tag, sizeof(reg->from_tag), "%s", s->from_tag);
	reg->cseq = s->cseq;
	nkd_local_towards(&reg->hop, reg->account->port, &reg->local);
	if (s->has_mapping && nkd_endpoint_equal(&reg->local, &s->local)) {
		reg->has_mapping = true;
		reg->mapping = s->mapping;
	}
	/* Removed if the Contact is another now (send_register keeps it if not). */
	snprintf(reg->stale_contact, sizeof(reg->stale_contact), "%s", s->contact);
	reg->state = NKD_REG_REGISTERED;
	nkd_info("%s: taking over the registration at %s (Call-ID %s, Contact %s)",
		 reg->account->cfg.name, reg->next_hop, reg->call_id, s->contact);
}

struct nkd_registration *nkd_reg_begin(struct nkd_account *acct, uint32_t server_id,
				       const struct nkd_target *t)
{
	struct nkd_registration *reg = NULL;
	const char *held;
	sip_call_id_t *id;

	for (size_t i = 0; i < NKD_MAX_SERVERS && !reg; i++)
		if (!acct->regs[i].in_use)
			reg = &acct->regs[i];
	if (!reg || !acct->sip)
		return NULL;
	memset(reg, 0, sizeof(*reg));
	reg->account = acct;
	reg->server_id = server_id;
	reg->target = *t;
	reg->expires = acct->profile.register_expires;
	/* What an earlier registration left there (another address of ours). */
	held = nkd_held_get(&acct->held, &t->ep, nkd_now_ms());
	if (held)
		snprintf(reg->stale_contact, sizeof(reg->stale_contact), "%s", held);
	reg->home = su_home_new(sizeof(*reg->home));
	reg->refresh_timer = su_timer_create(su_root_task(acct->agent->root), 0);
	id = reg->home ? sip_call_id_create(reg->home, NULL) : NULL;
	if (!id || !reg->refresh_timer) {
		if (reg->refresh_timer)
			su_timer_destroy(reg->refresh_timer);
		su_home_unref(reg->home);
		return NULL;
	}
	snprintf(reg->call_id, sizeof(reg->call_id), "%s", id->i_id);
	snprintf(reg->from_tag, sizeof(reg->from_tag), "%08x%08x",
		 nkd_random_below(NULL, UINT32_MAX), nkd_random_below(NULL, UINT32_MAX));
	/* RFC 3261 8.1.1.5: any start below 2^31; sofia's own start at random too. */
	reg->cseq = nkd_random_below(NULL, 1u << 16);
	reg->in_use = true;
	reg->state = NKD_REG_REGISTERING;
	set_next_hop_to_target(reg);
	resume_saved(reg);
	send_register(reg);
	return reg;
}

/* Nothing of sofia's left: the transaction, the timer, the credentials. */
static void drop_transport(struct nkd_registration *reg)
{
	nkd_liveness_cancel(reg);
	if (reg->orq)
		nta_outgoing_destroy(reg->orq);
	reg->orq = NULL;
	if (reg->refresh_timer)
		su_timer_destroy(reg->refresh_timer);
	reg->refresh_timer = NULL;
	reg->auc = NULL;	/* in home */
	su_home_unref(reg->home);
	reg->home = NULL;
}

static void release(struct nkd_registration *reg)
{
	nkd_keepalive_drop(reg);
	drop_transport(reg);
	reg->in_use = false;
	nkd_account_check_stopped(reg->account);
}

void nkd_reg_close_all(struct nkd_account *acct)
{
	for (size_t i = 0; i < NKD_MAX_SERVERS; i++)
		if (acct->regs[i].in_use) {
			nkd_keepalive_drop(&acct->regs[i]);
			drop_transport(&acct->regs[i]);
			acct->regs[i].in_use = false;
		}
}

void nkd_reg_end(struct nkd_registration *reg, bool unregister)
{
	if (!reg || !reg->in_use || reg->state == NKD_REG_UNREGISTERING)
		return;
	if (!unregister || reg->state != NKD_REG_REGISTERED) {
		release(reg);
		return;
	}
	reg->state = NKD_REG_UNREGISTERING;
	nkd_keepalive_drop(reg);
	nkd_liveness_cancel(reg);
	su_timer_reset(reg->refresh_timer);
	nkd_info("%s: un-REGISTER at %s", reg->account->cfg.name, reg->next_hop);
	if (!send_request(reg, reg->contact, 0))
		release(reg);
}

/* The realm of a challenge, for sofia's "Digest:\"REALM\":USER:PASS". */
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
	snprintf(buf, len, "%s:%s", au->au_scheme, realm);	/* realm is quoted */
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

/*
 * Takes the challenge in: the next request carries the answer. The
 * credentials go in as they are (auc_credentials()'s "scheme:realm:user:
 * password" would cut a password at its first colon).
 */
static bool answer_challenge(struct nkd_registration *reg, const sip_t *sip)
{
	struct nkd_account *acct = reg->account;
	char realm[NK_SIP_HOST_MAX + 32];

	if (!challenge_realm(sip, realm, sizeof(realm)))
		return false;
	return (!sip->sip_www_authenticate ||
		auc_challenge(&reg->auc, reg->home, sip->sip_www_authenticate,
			      sip_authorization_class) >= 0) &&
	       (!sip->sip_proxy_authenticate ||
		auc_challenge(&reg->auc, reg->home, sip->sip_proxy_authenticate,
			      sip_proxy_authorization_class) >= 0) &&
	       auc_all_credentials(&reg->auc, NULL, NULL, acct->cfg.auth_user,
				   acct->cfg.auth_password) > 0;
}

/*
 * A challenge in a row is answered once per realm: a 407 of an outbound
 * proxy, then a 401 of the registrar, both are. The same realm again
 * means the credentials were wrong, unless its nonce was only stale.
 */
static bool challenge_answerable(struct nkd_registration *reg, const sip_t *sip, int status)
{
	char realm[NK_SIP_HOST_MAX + 32], key[sizeof(reg->challenged[0])];
	unsigned int i;

	if (!challenge_realm(sip, realm, sizeof(realm)))
		return false;
	snprintf(key, sizeof(key), "%d %s", status, realm);
	for (i = 0; i < reg->challenges && i < NKD_MAX_CHALLENGES; i++)
		if (!strcmp(reg->challenged[i], key) && !challenge_stale(sip))
			return false;
	if (reg->challenges >= NKD_MAX_CHALLENGES)
		return false;
	snprintf(reg->challenged[reg->challenges++], sizeof(reg->challenged[0]), "%s", key);
	return true;
}

static void authenticate(struct nkd_registration *reg, const sip_t *sip, int status)
{
	struct nkd_account *acct = reg->account;
	uint32_t id = reg->server_id;

	if (!challenge_answerable(reg, sip, status) || !answer_challenge(reg, sip)) {
		nkd_warn("%s: %s refuses the credentials of %s (%d after authenticating)",
			 acct->cfg.name, reg->next_hop, acct->cfg.auth_user, status);
		release(reg);
		nkd_redundancy_failed(&acct->red, id, NKD_FAIL_AUTH, status,
				      "wrong credentials", 0, nkd_now_ms());
		return;
	}
	send_register(reg);
}

/*
 * 423 Interval Too Brief: ask again for the server's Min-Expires (RFC 3261
 * 10.2.8), a few times in a row at most.
 */
static bool too_brief(struct nkd_registration *reg, const sip_t *sip)
{
	const sip_min_expires_t *me = sip ? sip->sip_min_expires : NULL;

	if (!me || me->me_delta <= reg->expires || ++reg->too_brief > NKD_MAX_TOO_BRIEF)
		return false;
	nkd_info("%s: %s wants at least %lu s (423): asking for that", reg->account->cfg.name,
		 reg->next_hop, (unsigned long)me->me_delta);
	reg->expires = (unsigned int)me->me_delta;
	send_register(reg);
	return true;
}

/* Follow a 3xx's first Contact, at most NKD_MAX_REDIRECTS in a row. */
static bool redirect(struct nkd_registration *reg, const sip_t *sip)
{
	const sip_contact_t *m = sip ? sip->sip_contact : NULL;
	const char *held;
	char *uri;

	if (!m || ++reg->redirects > NKD_MAX_REDIRECTS)
		return false;
	uri = url_as_string(NULL, m->m_url);
	if (!uri)
		return false;
	snprintf(reg->next_hop, sizeof(reg->next_hop), "%s", uri);
	su_free(NULL, uri);
	/* The last server's realm is not the next one's (the home keeps it). */
	reg->auc = NULL;
	nkd_info("%s: redirected (%u of %d) to %s", reg->account->cfg.name,
		 reg->redirects, NKD_MAX_REDIRECTS, reg->next_hop);
	/*
	 * The keep-alives, the Contact's address and the current server
	 * follow; a name (resolved by sofia) leaves them on the server.
	 */
	if (!nkd_uri_endpoint(reg->next_hop, &reg->hop))
		reg->hop = reg->target.ep;
	if (!reg->has_mapping)
		nkd_local_towards(&reg->hop, reg->account->port, &reg->local);
	held = nkd_held_get(&reg->account->held, &reg->hop, nkd_now_ms());
	if (held && !reg->stale_contact[0])
		snprintf(reg->stale_contact, sizeof(reg->stale_contact), "%s", held);
	send_register(reg);
	return true;
}

static enum nkd_failure classify(int status, const sip_t *sip)
{
	bool local = nkd_response_is_nta_own(sip);

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

/*
 * What the server granted our Contact: its expires in the 200's Contact
 * list (other devices of the AOR are listed too), else the Expires header,
 * else what we asked; never more than we asked.
 */
static unsigned int granted_expires(const struct nkd_registration *reg, const sip_t *sip)
{
	unsigned long granted = reg->expires;
	su_home_t home[1] = { SU_HOME_INIT(home) };
	/* In a home: the parsed parameters are blocks of their own. */
	sip_contact_t *ours = sip_contact_make(home, reg->contact);

	if (sip && sip->sip_expires)
		granted = sip->sip_expires->ex_delta;
	for (const sip_contact_t *m = sip ? sip->sip_contact : NULL; m && ours; m = m->m_next)
		if (m->m_expires && !url_cmp(m->m_url, ours->m_url)) {
			granted = strtoul(m->m_expires, NULL, 10);
			break;
		}
	su_home_deinit(home);
	return granted < reg->expires ? (unsigned int)granted : reg->expires;
}

/*
 * A mapping learned while the REGISTER just answered was out (STUN, the
 * keep-alive server, another REGISTER's Via) is not what it registered:
 * register it now, the Contact it replaces removed.
 */
static void register_late_mapping(struct nkd_registration *reg)
{
	char now[sizeof(reg->contact)];

	if (!reg->in_use || reg->state != NKD_REG_REGISTERED || reg->orq || reg->queued)
		return;
	build_contact(reg, now, sizeof(now));
	if (!strcmp(now, reg->contact))
		return;
	snprintf(reg->stale_contact, sizeof(reg->stale_contact), "%s", reg->contact);
	reg->clean_contact = false;
	send_register(reg);
}

static void registered(struct nkd_registration *reg, const sip_t *sip)
{
	struct nkd_account *acct = reg->account;
	bool first = reg->state != NKD_REG_REGISTERED;
	uint32_t id = reg->server_id;
	unsigned int expires = granted_expires(reg, sip);
	uint64_t now = nkd_now_ms();

	if (!expires) {
		failed(reg, 200, "registered for 0 seconds", sip);
		return;
	}
	reg->state = NKD_REG_REGISTERED;
	reg->challenges = 0;
	reg->redirects = 0;
	reg->too_brief = 0;
	arm_refresh(reg, expires);
	nkd_held_set(&acct->held, &reg->hop, reg->contact, expires, now);
	if (first)
		nkd_info("%s: registered at %s as %s", acct->cfg.name, reg->next_hop,
			 reg->contact);
	nkd_redundancy_registered(&acct->red, reg->server_id, expires, now);
	/* The registration may have ended meanwhile (its slot reused), or be ending. */
	if (!reg->in_use || reg->server_id != id || reg->state == NKD_REG_UNREGISTERING)
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
	register_late_mapping(reg);
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

static void outcome(struct nkd_registration *reg, int status, const char *phrase,
		    const sip_t *sip)
{
	if (reg->state == NKD_REG_UNREGISTERING) {
		/* A new nonce: answered once, else the binding is left to expire. */
		if ((status == 401 || status == 407) && !reg->challenges++ &&
		    answer_challenge(reg, sip) && send_request(reg, reg->contact, 0))
			return;
		nkd_debug("%s: un-REGISTER: %d %s", reg->account->cfg.name, status,
			  phrase ? phrase : "");
		if (status < 300)
			nkd_held_set(&reg->account->held, &reg->hop, "", 0,
				     nkd_now_ms());
		release(reg);
		return;
	}
	/* Challenges count in a row: anything else answered what we sent. */
	if (status != 401 && status != 407)
		reg->challenges = 0;
	if (status < 300)
		registered(reg, sip);
	else if (status == 401 || status == 407)
		authenticate(reg, sip, status);
	else if (status == 423 && too_brief(reg, sip))
		return;
	else if (status >= 300 && status < 400 && redirect(reg, sip))
		return;
	else
		failed(reg, status, phrase, sip);
}

/* nta's callback: a response, or its own 408/503 on timeout or ICMP. */
static int on_response(nta_outgoing_magic_t *magic, nta_outgoing_t *orq,
		       const sip_t *sip)
{
	struct nkd_registration *reg = (struct nkd_registration *)magic;
	int status = sip && sip->sip_status ? sip->sip_status->st_status :
		     nta_outgoing_status(orq);
	const char *phrase = sip && sip->sip_status ? sip->sip_status->st_phrase : "";

	bool queued = reg->queued;

	if (!reg->in_use || orq != reg->orq || status < 200)
		return 0;
	/* The response lives in orq: keep it until the outcome is decided. */
	reg->orq = NULL;
	reg->queued = false;
	if (queued && reg->state == NKD_REG_UNREGISTERING && status != 401 && status != 407)
		send_request(reg, reg->contact, 0);	/* this answer is past */
	else
		outcome(reg, status, phrase, sip);
	/* Something asked for a REGISTER meanwhile: it goes now, if still due. */
	if (queued && reg->in_use && !reg->orq && reg->state != NKD_REG_UNREGISTERING)
		send_register(reg);
	nta_outgoing_destroy(orq);
	return 0;
}

static void send_failed(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct nkd_registration *reg = (struct nkd_registration *)arg;

	(void)magic;
	(void)t;
	if (!reg->in_use || reg->orq)
		return;
	if (reg->state == NKD_REG_UNREGISTERING)
		release(reg);
	else
		failed(reg, 503, "REGISTER could not be sent", NULL);
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
	format_host_port(nkd_reg_advertised(reg), was, sizeof(was));
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

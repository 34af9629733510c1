// SPDX-License-Identifier: GPL-2.0
/* A keep-alive miss confirmed before a failover (see liveness.h). */
#include <stdio.h>
#include <string.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_status.h>

#include "agent.h"
#include "keepalive.h"
#include "liveness.h"
#include "log.h"
#include "nk_msg_type.h"
#include "registration.h"

void nkd_liveness_cancel(struct nkd_registration *reg)
{
	if (reg->probe)
		nta_outgoing_destroy(reg->probe);
	reg->probe = NULL;
	if (reg->probe_timer)
		su_timer_destroy(reg->probe_timer);
	reg->probe_timer = NULL;
}

static bool send_probe(struct nkd_registration *reg);

/* The module has not seen the keep-alives answered again: ask once more. */
static void recheck(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct nkd_registration *reg = (struct nkd_registration *)arg;

	(void)magic;
	(void)t;
	if (!reg->probe && !send_probe(reg)) {
		nkd_liveness_cancel(reg);
		nkd_keepalive_fail_over(reg);
	}
}

/*
 * nta's callback: any answer from the server is life; nta's own 408 or
 * 503 (a timeout, an ICMP error) is not.
 */
static int on_answer(nta_outgoing_magic_t *magic, nta_outgoing_t *orq, const sip_t *sip)
{
	struct nkd_registration *reg = (struct nkd_registration *)magic;
	int status = sip && sip->sip_status ? sip->sip_status->st_status : 0;

	if (orq != reg->probe || nkd_response_is_nta_own(sip) || status < 100)
		return 0;
	nkd_notice("%s: %s answered again (%d): one keep-alive lost, not failing over",
		   reg->account->cfg.name, reg->next_hop, status);
	nta_outgoing_destroy(reg->probe);
	reg->probe = NULL;
	su_timer_set_interval(reg->probe_timer, recheck, (su_timer_arg_t *)reg,
			      reg->probe_recheck_ms);
	return 0;
}

static void unanswered(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	struct nkd_registration *reg = (struct nkd_registration *)arg;

	(void)magic;
	(void)t;
	nkd_liveness_cancel(reg);
	nkd_keepalive_fail_over(reg);
}

static bool send_probe(struct nkd_registration *reg)
{
	struct nkd_account *acct = reg->account;
	const struct nk_endpoint *us = nkd_reg_advertised(reg);
	bool notify = reg->probe_type == NATKEEP_MSG_NOTIFY;
	char hp[NK_ENDPOINT_STRLEN], via[NK_ENDPOINT_STRLEN + 32], from[sizeof(acct->aor) + 40];
	char request[sizeof(acct->aor) + 32], contact[sizeof(acct->aor) + NK_ENDPOINT_STRLEN];
	const char *domain = strchr(acct->aor, '@') + 1;
	msg_t *msg;
	sip_t *sip;

	nk_endpoint_format(us->family, &us->addr, us->port, hp, sizeof(hp));
	nkd_reg_via(reg, via, sizeof(via));
	snprintf(from, sizeof(from), "<%s>;tag=%08x", acct->aor,
		 nkd_random_below(NULL, UINT32_MAX));
	snprintf(request, sizeof(request), "%s sip:%s SIP/2.0", notify ? "NOTIFY" : "OPTIONS",
		 domain);
	snprintf(contact, sizeof(contact), "<sip:%s@%s>", nkd_account_user(&acct->cfg), hp);
	msg = nta_msg_create(acct->sip, 0);
	sip = sip_object(msg);
	if (!msg ||
	    sip_add_tl(msg, sip,
		       SIPTAG_REQUEST_STR(request),
		       SIPTAG_VIA_STR(via),
		       SIPTAG_MAX_FORWARDS_STR("70"),
		       SIPTAG_FROM_STR(from),
		       SIPTAG_TO_STR(acct->aor),
		       SIPTAG_CALL_ID(sip_call_id_create(msg_home(msg), NULL)),
		       SIPTAG_CSEQ_STR(notify ? "1 NOTIFY" : "1 OPTIONS"),
		       SIPTAG_CONTACT_STR(contact),
		       TAG_IF(notify, SIPTAG_EVENT_STR("keep-alive")),
		       TAG_IF(notify, SIPTAG_SUBSCRIPTION_STATE_STR("active")),
		       SIPTAG_USER_AGENT_STR("natkeepd/" NATKEEP_VERSION),
		       TAG_END()) < 0) {
		msg_destroy(msg);
		return false;
	}
	reg->probe = nta_outgoing_mcreate(acct->sip, on_answer, (nta_outgoing_magic_t *)reg,
					  (const url_string_t *)reg->next_hop, msg, TAG_END());
	if (!reg->probe) {
		msg_destroy(msg);
		return false;
	}
	su_timer_set_interval(reg->probe_timer, unanswered, (su_timer_arg_t *)reg,
			      reg->probe_timeout_ms);
	nkd_info("%s: %s missed a keep-alive: asking once more (%u ms)", acct->cfg.name,
		 reg->next_hop, reg->probe_timeout_ms);
	return true;
}

bool nkd_liveness_confirm(struct nkd_registration *reg, uint8_t msg_type,
			  uint32_t timeout_ms, uint32_t recheck_ms)
{
	if (reg->probe_timer)
		return true;	/* one out, or a recheck to come */
	reg->probe_type = msg_type;
	reg->probe_timeout_ms = timeout_ms;
	reg->probe_recheck_ms = recheck_ms;
	reg->probe_timer = su_timer_create(su_root_task(reg->account->agent->root), 0);
	if (reg->probe_timer && send_probe(reg))
		return true;
	nkd_liveness_cancel(reg);
	return false;
}

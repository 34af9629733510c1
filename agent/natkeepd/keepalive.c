// SPDX-License-Identifier: GPL-2.0
/* The account's keep-alive flows in natkeep.ko. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "kernel.h"
#include "keepalive.h"
#include "liveness.h"
#include "log.h"
#include "nk_msg_type.h"
#include "registration.h"

bool nkd_keepalive_tells_liveness(uint8_t msg_type)
{
	return msg_type == NATKEEP_MSG_OPTIONS || msg_type == NATKEEP_MSG_NOTIFY;
}

static bool is_sip(uint8_t msg_type)
{
	return nkd_keepalive_tells_liveness(msg_type) || msg_type == NATKEEP_MSG_CUSTOM;
}

/*
 * How long a SIP keep-alive, and then the request that confirms its miss
 * (liveness.h), may go unanswered: a third of the interval, 2 s at most,
 * so that a dead server is left within two intervals (a send, its miss,
 * the confirmation).
 */
static uint32_t response_timeout_ms(const struct nkd_account *acct)
{
	uint32_t t = acct->cfg.keepalive_expires * 1000 / 3;

	return t < 2000 ? (t ? t : 1) : 2000;
}

void nkd_keepalive_flow_spec(const struct nkd_account *acct,
			     const struct nk_endpoint *remote, struct nk_flow *f)
{
	const struct nkd_account_config *c = &acct->cfg;
	uint32_t interval = c->keepalive_expires * 1000;

	memset(f, 0, sizeof(*f));
	f->fields = NK_FLOW_NEW_REQUIRED | NK_FLOW_RESPONSE_TIMEOUT | NK_FLOW_MISS_LIMIT;
	f->family = (uint16_t)remote->family;
	/* Unspecified: sofia's socket is bound to all addresses. */
	f->local_port = acct->port;
	f->remote_addr = remote->addr;
	f->remote_port = c->keepalive_server_port ? c->keepalive_server_port : remote->port;
	f->interval_ms = interval;
	f->msg_type = c->keepalive_msg_type;
	/*
	 * OBi: "no response from the server triggers a proxy failover": the
	 * module reports the first miss, natkeepd confirms it (liveness.h).
	 */
	f->response_timeout_ms = response_timeout_ms(acct);
	f->miss_limit = 1;
	if (is_sip(f->msg_type)) {
		f->fields |= NK_FLOW_SIP_FROM_USER | NK_FLOW_SIP_HOST |
			     NK_FLOW_SIP_USER_AGENT;
		snprintf(f->sip_from_user, sizeof(f->sip_from_user), "%s",
			 nkd_account_user(c));
		/* The AOR's domain ("[v6]" bracketed already). */
		snprintf(f->sip_host, sizeof(f->sip_host), "%s", strchr(acct->aor, '@') + 1);
		snprintf(f->sip_user_agent, sizeof(f->sip_user_agent),
			 "natkeepd/%s", NATKEEP_VERSION);
	}
	if (f->msg_type == NATKEEP_MSG_CUSTOM) {
		f->fields |= NK_FLOW_CUSTOM_SPEC;
		snprintf(f->custom_spec, sizeof(f->custom_spec), "%s",
			 c->custom_keepalive_msg);
	}
}

static void apply(struct nkd_account *acct, const struct nk_endpoint *remote,
		  uint32_t *flow_id)
{
	struct nk_flow f;
	char err[sizeof(acct->flow_error)];
	uint32_t before = *flow_id;

	nkd_keepalive_flow_spec(acct, remote, &f);
	if (nkd_kernel_flow_apply(&f, flow_id, err, sizeof(err))) {
		if (strcmp(err, acct->flow_error))
			nkd_warn("%s: natkeep.ko refused the keep-alive flow: %s",
				 acct->cfg.name, err);
		snprintf(acct->flow_error, sizeof(acct->flow_error), "%s", err);
		return;
	}
	acct->flow_error[0] = '\0';
	if (*flow_id != before) {
		char to[NK_ENDPOINT_STRLEN];

		nk_endpoint_format(remote->family, &remote->addr, f.remote_port, to, sizeof(to));
		nkd_info("%s: keep-alive flow %u: %s every %u s to %s from port %u",
			 acct->cfg.name, *flow_id, nk_msg_type_name(f.msg_type),
			 acct->cfg.keepalive_expires, to, acct->port);
	}
}

static void delete_flow(const struct nkd_account *acct, uint32_t *flow_id)
{
	if (*flow_id && nkd_kernel_available() && !acct->handing_over)
		nkd_kernel_flow_delete(*flow_id);
	*flow_id = 0;
}

void nkd_keepalive_drop(struct nkd_registration *reg)
{
	delete_flow(reg->account, &reg->flow_id);
}

void nkd_keepalive_delete_orphan(uint32_t flow_id)
{
	nkd_notice("natkeep.ko: deleting flow %u: from one of our SIP ports, and no "
		   "account of ours needs it", flow_id);
	nkd_kernel_flow_delete(flow_id);
}

static bool wants_flow(const struct nkd_account *acct, const struct nkd_registration *reg)
{
	const struct nkd_server *s;

	if (!acct->cfg.keepalive_enable || acct->cfg.keepalive_server[0] || acct->stopping ||
	    reg->state == NKD_REG_UNREGISTERING)
		return false;
	s = nkd_redundancy_find_const(&acct->red, reg->server_id);
	return s && (s->role == NKD_ROLE_PRIMARY || s->role == NKD_ROLE_SECONDARY);
}

void nkd_keepalive_sync(struct nkd_account *acct)
{
	for (size_t i = 0; i < NKD_MAX_SERVERS; i++) {
		struct nkd_registration *reg = &acct->regs[i];

		if (reg->in_use && wants_flow(acct, reg)) {
			if (nkd_kernel_available())
				apply(acct, &reg->hop, &reg->flow_id);
		} else {
			delete_flow(acct, &reg->flow_id);
		}
	}
	if (acct->cfg.keepalive_enable && acct->has_ka_target && !acct->stopping) {
		if (nkd_kernel_available())
			apply(acct, &acct->ka_target, &acct->ka_flow_id);
	} else {
		delete_flow(acct, &acct->ka_flow_id);
	}
}

void nkd_keepalive_delete_all(struct nkd_account *acct)
{
	for (size_t i = 0; i < NKD_MAX_SERVERS; i++)
		delete_flow(acct, &acct->regs[i].flow_id);
	delete_flow(acct, &acct->ka_flow_id);
}

static struct nk_endpoint mapping_endpoint(const struct nk_mapping *m)
{
	struct nk_endpoint ep = { .family = m->family, .addr = m->addr, .port = m->port };

	return ep;
}

void nkd_keepalive_fail_over(struct nkd_registration *reg)
{
	struct nkd_account *acct = reg->account;
	uint32_t id = reg->server_id;

	nkd_warn("%s: %s does not answer keep-alives: failing over", acct->cfg.name,
		 reg->next_hop);
	nkd_reg_end(reg, false);
	nkd_redundancy_failed(&acct->red, id, NKD_FAIL_UNRESPONSIVE, 0,
			      "keep-alive unanswered", 0, nkd_now_ms());
}

/*
 * One of our flows deleted by someone else (natkeepctl): natkeepd owns
 * the flows from its ports, and the account still needs it.
 */
static void deleted_behind_our_back(struct nkd_account *acct, uint32_t *flow_id)
{
	nkd_warn("%s: keep-alive flow %u was deleted (not by natkeepd): creating it again",
		 acct->cfg.name, *flow_id);
	*flow_id = 0;
	nkd_keepalive_sync(acct);
}

bool nkd_keepalive_event(struct nkd_account *acct, int cmd, const struct nk_flow *flow)
{
	struct nkd_registration *reg = NULL;
	struct nk_endpoint ep;

	for (size_t i = 0; i < NKD_MAX_SERVERS && !reg; i++)
		if (acct->regs[i].in_use && acct->regs[i].flow_id == flow->id)
			reg = &acct->regs[i];
	if (!reg && (!acct->ka_flow_id || acct->ka_flow_id != flow->id))
		return false;

	switch (cmd) {
	case NATKEEP_CMD_FLOW_DEL:
		deleted_behind_our_back(acct, reg ? &reg->flow_id : &acct->ka_flow_id);
		break;
	case NATKEEP_CMD_MAPPING_CHANGED:
		if (!nk_flow_has(flow, NK_FLOW_MAPPING))
			break;
		ep = mapping_endpoint(&flow->mapping);
		if (reg) {
			nkd_reg_set_mapping(reg, &ep);
			break;
		}
		/*
		 * X_KeepAliveServer's answer is the account's mapping, in its
		 * address family: an IPv4 mapping is no Contact at an IPv6
		 * registrar.
		 */
		for (size_t i = 0; i < NKD_MAX_SERVERS; i++)
			if (acct->regs[i].in_use && acct->regs[i].hop.family == ep.family)
				nkd_reg_set_mapping(&acct->regs[i], &ep);
		break;
	case NATKEEP_CMD_PEER_UNRESPONSIVE:
		if (!reg) {
			nkd_warn("%s: keep-alive server %s does not answer", acct->cfg.name,
				 acct->cfg.keepalive_server);
			break;
		}
		/* OBi: only unanswered OPTIONS and NOTIFY fail over. */
		if (!acct->redundancy_on ||
		    !nkd_keepalive_tells_liveness(acct->cfg.keepalive_msg_type)) {
			nkd_warn("%s: %s does not answer keep-alives (%s: staying)",
				 acct->cfg.name, reg->next_hop,
				 acct->redundancy_on ? "not OPTIONS or NOTIFY" : "no redundancy");
			break;
		}
		/* Asked again every two intervals until the module sees answers. */
		if (!nkd_liveness_confirm(reg, acct->cfg.keepalive_msg_type,
					  response_timeout_ms(acct),
					  2 * acct->cfg.keepalive_expires * 1000))
			nkd_keepalive_fail_over(reg);
		break;
	case NATKEEP_CMD_PEER_RESPONSIVE:
		if (reg)
			nkd_liveness_cancel(reg);
		nkd_info("%s: %s answers keep-alives again", acct->cfg.name,
			 reg ? reg->next_hop : acct->cfg.keepalive_server);
		break;
	}
	return true;
}

/* What the events would have said, from the flow as the module has it. */
static void resync_flow(struct nkd_account *acct, uint32_t *flow_id)
{
	struct nk_flow f;
	int ret;

	if (!*flow_id)
		return;
	ret = nkd_kernel_flow_get(*flow_id, &f);
	if (ret == -ENOENT) {
		deleted_behind_our_back(acct, flow_id);
		return;
	}
	if (ret)
		return;
	if (nk_flow_has(&f, NK_FLOW_MAPPING))
		nkd_keepalive_event(acct, NATKEEP_CMD_MAPPING_CHANGED, &f);
	if (nk_flow_has(&f, NK_FLOW_PEER_RESPONSIVE) && !f.peer_responsive)
		nkd_keepalive_event(acct, NATKEEP_CMD_PEER_UNRESPONSIVE, &f);
}

void nkd_keepalive_resync(struct nkd_account *acct)
{
	for (size_t i = 0; i < NKD_MAX_SERVERS; i++)
		if (acct->regs[i].in_use)
			resync_flow(acct, &acct->regs[i].flow_id);
	resync_flow(acct, &acct->ka_flow_id);
}

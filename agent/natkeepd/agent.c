// SPDX-License-Identifier: GPL-2.0
/*
 * The agent: its accounts started, reloaded, stopped and handed over; the
 * module's events routed to the account whose flow they are about; the
 * ServerChangeHook, the state file and systemd told of what changed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sofia-sip/su.h>

#include "agent.h"
#include "change_hook.h"
#include "clock.h"
#include "kernel.h"
#include "keepalive.h"
#include "log.h"
#include "nk_array.h"
#include "registration.h"
#include "resolver.h"
#include "service_notify.h"

static struct nkd_config next_cfg;	/* a reload's candidate (large) */

/* One hook run per account at a time; changes meanwhile make one more. */
static void run_hook(struct nkd_agent *a, struct nkd_account *acct)
{
	if (acct->hook_pid > 0) {
		acct->hook_again = true;
		return;
	}
	acct->hook_again = false;
	acct->hook_pid = nkd_hook_run(a->cfg.agent.server_change_hook, acct,
				      nkd_account_state(acct, nkd_now_ms()));
}

static void hook_ended(pid_t pid, void *ctx)
{
	struct nkd_agent *a = ctx;

	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++) {
		struct nkd_account *acct = a->accounts[i];

		if (!acct || acct->hook_pid != pid)
			continue;
		acct->hook_pid = 0;
		if (acct->hook_again)
			run_hook(a, acct);
	}
}

/* For `systemctl status`: how many accounts have a current server. */
static void tell_status(const struct nkd_agent *a)
{
	int accounts = 0, registered = 0;
	char status[64];

	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++) {
		if (!a->accounts[i])
			continue;
		accounts++;
		registered += a->accounts[i]->reported_registered;
	}
	snprintf(status, sizeof(status), "STATUS=%d of %d accounts registered",
		 registered, accounts);
	nkd_service_notify(status);
}

void nkd_agent_account_changed(struct nkd_agent *a, struct nkd_account *acct)
{
	const struct nkd_server *p = nkd_redundancy_primary(&acct->red);
	const struct nkd_server *s = nkd_redundancy_secondary(&acct->red);
	const struct nk_endpoint *ep = nkd_reg_current_server(acct);
	const char *state = nkd_account_state(acct, nkd_now_ms());
	char server[NK_ENDPOINT_STRLEN] = "", secondary[NK_ENDPOINT_STRLEN] = "";
	bool registered = p != NULL;

	if (ep)
		nk_endpoint_format(ep->family, &ep->addr, ep->port, server, sizeof(server));
	if (s)
		nk_endpoint_format(s->target.ep.family, &s->target.ep.addr, s->target.ep.port,
				   secondary, sizeof(secondary));
	if (registered == acct->reported_registered && !strcmp(server, acct->reported_server) &&
	    !strcmp(secondary, acct->reported_secondary) && !strcmp(state, acct->reported_state))
		return;
	if (registered != acct->reported_registered || strcmp(server, acct->reported_server)) {
		if (registered)
			nkd_notice("%s: current server %s (%s)", acct->cfg.name, server,
				   p->target.host);
		else
			nkd_notice("%s: no current server (%s)", acct->cfg.name, state);
	}
	if (registered != acct->reported_registered) {
		acct->reported_registered = registered;
		tell_status(a);
	}
	snprintf(acct->reported_server, sizeof(acct->reported_server), "%s", server);
	snprintf(acct->reported_secondary, sizeof(acct->reported_secondary), "%s", secondary);
	snprintf(acct->reported_state, sizeof(acct->reported_state), "%s", state);
	run_hook(a, acct);
}

/* 0, or the save's -errno (the file is removed then: never a stale one). */
static int save_state(struct nkd_agent *a)
{
	static int last_error;
	int ret;

	if (!a->keep_state)
		return 0;
	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++) {
		const struct nkd_account *acct = a->accounts[i];

		/* One yet to start keeps what it is to take over. */
		if (acct ? acct->started : !a->pending_start[i])
			nkd_account_save(acct, &a->saved[i]);
	}
	ret = nkd_handover_save(a->cfg.agent.state_file, a->saved);
	if (ret && ret != last_error)
		nkd_warn("%s: %s: a restart will register anew", a->cfg.agent.state_file,
			 strerror(-ret));
	/* An older file would hand an old CSeq over: the registrar refuses it. */
	if (ret)
		unlink(a->cfg.agent.state_file);
	last_error = ret;
	return ret;
}

void nkd_agent_state_changed(struct nkd_agent *a)
{
	save_state(a);
}

/* The flows from one of our ports that no account of ours claims. */
struct sweep {
	struct nkd_agent *agent;
	uint16_t ports[NKD_MAX_ACCOUNTS * (NKD_MAX_UA_PORTS + 2)];
	size_t n_ports;
	uint32_t doomed[256];
	size_t n_doomed;
};

static void add_port(struct sweep *sw, uint16_t port)
{
	for (size_t i = 0; i < sw->n_ports; i++)
		if (sw->ports[i] == port)
			return;
	if (port && sw->n_ports < ARRAY_SIZE(sw->ports))
		sw->ports[sw->n_ports++] = port;
}

static void consider_flow(const struct nk_flow *f, void *ctx)
{
	struct sweep *sw = ctx;
	bool ours = false;

	for (size_t i = 0; i < sw->n_ports && !ours; i++)
		ours = f->local_port == sw->ports[i];
	if (!ours || sw->n_doomed == ARRAY_SIZE(sw->doomed))
		return;
	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++)
		if (sw->agent->accounts[i] && nkd_account_owns_flow(sw->agent->accounts[i], f->id))
			return;
	sw->doomed[sw->n_doomed++] = f->id;
}

/*
 * Once every account took over what it needs: the flows from our accounts'
 * ports (the last natkeepd's included) that none of them claims are
 * orphans of a natkeepd that died, or of settings since changed.
 */
static void sweep_flows(struct nkd_agent *a)
{
	static struct sweep sw;

	if (!nkd_kernel_available())
		return;
	memset(&sw, 0, sizeof(sw));
	sw.agent = a;
	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++) {
		const struct nkd_account_config *c = &a->cfg.accounts[i];
		const struct nkd_account *acct = a->accounts[i];

		/* One whose port is busy has taken nothing over yet: its flows stay. */
		if (acct && !acct->started)
			continue;
		if (a->saved[i].present)
			add_port(&sw, a->saved[i].port);
		if (acct)
			add_port(&sw, acct->port);
		if (!c->present)
			continue;
		add_port(&sw, c->user_agent_port);
		for (size_t j = 0; j < c->n_user_agent_ports; j++)
			add_port(&sw, c->user_agent_ports[j]);
	}
	if (nkd_kernel_flow_each(consider_flow, &sw))
		return;
	for (size_t i = 0; i < sw.n_doomed; i++)
		nkd_keepalive_delete_orphan(sw.doomed[i]);
}

void nkd_agent_account_opened(struct nkd_agent *a, struct nkd_account *acct)
{
	if (!acct->awaited)
		return;
	acct->awaited = false;
	if (!--a->opening)
		sweep_flows(a);
}

/* Not waited for any more: it stopped before its socket was told open. */
static void account_not_awaited(struct nkd_agent *a, struct nkd_account *acct)
{
	if (!acct->awaited)
		return;
	acct->awaited = false;
	if (!--a->opening && !a->terminating)
		sweep_flows(a);
}

static void start_account(struct nkd_agent *a, int i)
{
	a->pending_start[i] = false;
	a->accounts[i] = nkd_account_start(a, i, &a->cfg);
}

static bool all_gone(const struct nkd_agent *a)
{
	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++)
		if (a->accounts[i])
			return false;
	return true;
}

void nkd_agent_account_gone(struct nkd_agent *a, struct nkd_account *acct)
{
	int i = acct->index;

	nkd_info("%s: stopped", acct->cfg.name);
	/* Not from inside sofia's callback: from the loop, a moment later. */
	a->accounts[i] = NULL;
	account_not_awaited(a, acct);
	su_root_break(a->root);
	a->gone[i] = acct;
}

void nkd_agent_reap_gone(struct nkd_agent *a)
{
	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++) {
		if (!a->gone[i])
			continue;
		nkd_account_free(a->gone[i]);
		a->gone[i] = NULL;
		if (a->pending_start[i] && !a->terminating)
			start_account(a, i);
	}
}

void nkd_agent_reload(struct nkd_agent *a)
{
	char err[NKD_CONFIG_ERR_MAX];

	if (a->terminating) {
		nkd_notice("not reloading: shutting down");
		return;
	}
	if (nkd_config_load(a->cfg.path, &next_cfg, err, sizeof(err))) {
		nkd_err("reload refused, running configuration kept: %s", err);
		return;
	}
	nkd_notice("reloading %s", a->cfg.path);
	nkd_service_notify("RELOADING=1");
	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++) {
		struct nkd_account *old = a->accounts[i];
		const struct nkd_account_config *n = &next_cfg.accounts[i];
		bool want = n->present && n->enable;

		if (old && want &&
		    nkd_account_same_registration(&a->cfg, &a->cfg.accounts[i], &next_cfg, n)) {
			if (!nkd_account_same_keepalive(&a->cfg.accounts[i], n))
				nkd_account_update_keepalive(old, n);
			continue;
		}
		if (old) {
			nkd_info("%s: registration settings changed: registering anew",
				 old->cfg.name);
			nkd_account_stop(old);
		}
		a->pending_start[i] = want;
	}
	if (strcmp(a->cfg.agent.control_socket, next_cfg.agent.control_socket) ||
	    strcmp(a->cfg.agent.resolv_conf, next_cfg.agent.resolv_conf) ||
	    a->cfg.agent.transaction_timeout_s != next_cfg.agent.transaction_timeout_s)
		nkd_warn("ControlSocket, ResolvConf and TransactionTimeout take effect at the "
			 "next start (accounts registered anew use the new TransactionTimeout)");
	{
		/* What needs a restart stays as it is until then. */
		struct nkd_agent_config keep = a->cfg.agent;

		memcpy(keep.server_change_hook, next_cfg.agent.server_change_hook,
		       sizeof(keep.server_change_hook));
		keep.log_level = next_cfg.agent.log_level;
		keep.require_module = next_cfg.agent.require_module;
		keep.transaction_timeout_s = next_cfg.agent.transaction_timeout_s;
		a->cfg = next_cfg;
		a->cfg.agent = keep;
	}
	nkd_log_set_level(a->cfg.agent.log_level);
	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++)
		if (a->pending_start[i] && !a->accounts[i])
			start_account(a, i);
	nkd_service_notify("READY=1");
	tell_status(a);
}

void nkd_agent_terminate(struct nkd_agent *a)
{
	if (a->terminating)
		return;
	a->terminating = true;
	nkd_notice("terminating: un-registering");
	nkd_service_notify("STOPPING=1");
	/* A stop, not a restart: the next natkeepd starts afresh. */
	a->keep_state = false;
	if (unlink(a->cfg.agent.state_file) && errno != ENOENT)
		nkd_warn("%s: %s", a->cfg.agent.state_file, strerror(errno));
	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++) {
		a->pending_start[i] = false;
		if (a->accounts[i])
			nkd_account_stop(a->accounts[i]);
	}
	if (all_gone(a))
		su_root_break(a->root);
}

/*
 * SIGUSR2: exit for a restart, leaving everything to the next natkeepd,
 * with NKD_EXIT_HANDED_OVER (natkeepd.service restarts on it). Without a
 * state file to leave, a stop: a binding the next one cannot refresh
 * would linger at the registrar.
 */
void nkd_agent_hand_over(struct nkd_agent *a)
{
	if (a->terminating)
		return;
	if (save_state(a)) {
		nkd_warn("cannot leave the state to the next natkeepd: stopping instead");
		nkd_agent_terminate(a);
		return;
	}
	nkd_notice("exiting for a restart: registrations and keep-alive flows stay "
		   "for the next natkeepd (%s)", a->cfg.agent.state_file);
	nkd_service_notify("STOPPING=1");
	a->keep_state = false;
	a->terminating = true;
	a->exit_code = NKD_EXIT_HANDED_OVER;
	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++) {
		a->pending_start[i] = false;
		if (a->accounts[i])
			nkd_account_hand_over(a->accounts[i]);
	}
	su_root_break(a->root);
}

static void on_kernel_event(void *ctx, int cmd, const struct nk_flow *flow)
{
	struct nkd_agent *a = ctx;

	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++)
		if (a->accounts[i] && nkd_account_flow_event(a->accounts[i], cmd, flow))
			return;
}

static void on_kernel_events_lost(void *ctx)
{
	struct nkd_agent *a = ctx;

	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++)
		if (a->accounts[i])
			nkd_account_flows_resync(a->accounts[i]);
}

static void on_kernel_available(void *ctx)
{
	struct nkd_agent *a = ctx;

	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++)
		if (a->accounts[i])
			nkd_account_flows_refresh(a->accounts[i]);
}

void nkd_agent_network_changed(void *ctx)
{
	struct nkd_agent *a = ctx;

	nkd_debug("network changed: checking our addresses");
	nkd_resolver_renew_sockets();
	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++)
		if (a->accounts[i])
			nkd_account_network_changed(a->accounts[i]);
}

int nkd_agent_open_kernel(struct nkd_agent *a)
{
	const struct nkd_kernel_handlers handlers = {
		.event = on_kernel_event,
		.available = on_kernel_available,
		.lost = on_kernel_events_lost,
		.ctx = a,
	};
	int ret = nkd_kernel_open(a->root, &handlers);

	if (!ret)
		return 0;
	if (ret == -ENOENT && !a->cfg.agent.require_module) {
		nkd_warn("natkeep.ko is not loaded: registering without kernel "
			 "keep-alives until it is (RequireModule = false)");
		return 0;
	}
	if (ret == -ENOENT)
		nkd_err("natkeep.ko is not loaded (modprobe natkeep), and RequireModule "
			"is true: not starting");
	else
		nkd_err("cannot talk to natkeep.ko: %s", strerror(-ret));
	return -1;
}

void nkd_agent_children_exited(struct nkd_agent *a)
{
	nkd_hook_reap(hook_ended, a);
}

bool nkd_agent_done(const struct nkd_agent *a)
{
	return a->terminating && all_gone(a);
}

void nkd_agent_start(struct nkd_agent *a)
{
	if (nkd_handover_load(a->cfg.agent.state_file, a->saved) > 0)
		nkd_notice("taking over what the last natkeepd left in %s",
			   a->cfg.agent.state_file);
	a->keep_state = true;
	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++) {
		const struct nkd_account_config *c = &a->cfg.accounts[i];

		if (c->present && c->enable)
			start_account(a, i);
		else if (a->saved[i].present)
			nkd_notice("SP%d's registrations, left by the last natkeepd, are no "
				   "longer configured: they expire at the servers", i + 1);
		/* One whose port is busy is retried, and waited for by nothing. */
		if (a->accounts[i] && a->accounts[i]->sip) {
			a->accounts[i]->awaited = true;
			a->opening++;
		}
	}
	if (all_gone(a))
		nkd_warn("no enabled account in %s", a->cfg.path);
	if (!a->opening)
		sweep_flows(a);
	/* The control socket answers and every account has begun. */
	nkd_service_notify("READY=1");
	tell_status(a);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The checks between parameters, once the whole file is read: what an
 * enabled account needs to register, the relay's listener, and local
 * ports that two accounts would both bind. Each message points at the line to change: the
 * parameter's, or the section header when the parameter was left out.
 */
#include "config_internal.h"

#include <stdio.h>
#include <linux/natkeep.h>

struct check {
	const struct nkd_config *cfg;
	const struct nkd_file_lines *lines;
	const char *path;
	char *err;
	size_t errlen;
};

/* Where account @i gave @name, or its header when it did not. */
static unsigned int account_line(const struct check *c, unsigned int i,
				 const char *name)
{
	const struct nkd_section_lines *l = &c->lines->accounts[i];
	int p = nkd_param_find(NKD_SECTION_ACCOUNT, name);

	return p >= 0 && l->valued[p] ? l->valued[p] : l->header;
}

/* " (the default for SP2)" when account @i left @name out, else "". */
static const char *default_note(const struct check *c, unsigned int i,
				const char *name, char *buf, size_t cap)
{
	int p = nkd_param_find(NKD_SECTION_ACCOUNT, name);

	buf[0] = '\0';
	if (p < 0 || !c->lines->accounts[i].valued[p])
		snprintf(buf, cap, " (the default for %s)", c->cfg->accounts[i].name);
	return buf;
}

static bool in_list(const struct nkd_account_config *a, uint16_t port)
{
	size_t i;

	for (i = 0; i < a->n_user_agent_ports; i++)
		if (a->user_agent_ports[i] == port)
			return true;
	return false;
}

/* Where earlier enabled account @i already uses @port, or NULL. */
static const char *port_owner(const struct check *c, unsigned int i,
			      uint16_t port)
{
	const struct nkd_account_config *a = &c->cfg->accounts[i];

	if (a->user_agent_port == port)
		return "X_UserAgentPort";
	if (in_list(a, port))
		return "X_UserAgentPorts";
	/* Its address aside: X_UserAgentPort binds every address. */
	if (a->local_proxy.set && a->local_proxy.ep.port == port)
		return "X_LocalProxy";
	return NULL;
}

/* A port of enabled account @j that an earlier enabled account also uses. */
static int check_ports(const struct check *c, unsigned int j)
{
	const struct nkd_account_config *b = &c->cfg->accounts[j];
	char note[40];
	const char *owner;
	unsigned int i;
	size_t k;

	for (i = 0; i < j; i++) {
		const struct nkd_account_config *a = &c->cfg->accounts[i];

		if (!a->present || !a->enable)
			continue;
		owner = port_owner(c, i, b->user_agent_port);
		if (owner)
			return nkd_config_fail(c->err, c->errlen, c->path,
					       account_line(c, j, "X_UserAgentPort"),
					       "X_UserAgentPort",
					       "%u%s is also %s's %s (line %u)",
					       b->user_agent_port,
					       default_note(c, j, "X_UserAgentPort",
							    note, sizeof(note)),
					       a->name, owner, account_line(c, i, owner));
		for (k = 0; k < b->n_user_agent_ports; k++) {
			owner = port_owner(c, i, b->user_agent_ports[k]);
			if (owner)
				return nkd_config_fail(c->err, c->errlen, c->path,
						       account_line(c, j, "X_UserAgentPorts"),
						       "X_UserAgentPorts",
						       "%u is also %s's %s (line %u)",
						       b->user_agent_ports[k], a->name,
						       owner, account_line(c, i, owner));
		}
		owner = b->local_proxy.set ? port_owner(c, i, b->local_proxy.ep.port) : NULL;
		if (owner)
			return nkd_config_fail(c->err, c->errlen, c->path,
					       account_line(c, j, "X_LocalProxy"), "X_LocalProxy",
					       "port %u is also %s's %s (line %u)",
					       b->local_proxy.ep.port, a->name, owner,
					       account_line(c, i, owner));
	}
	return 0;
}

/* The relay's settings: its listener is not the account's own socket. */
static int check_local_proxy(const struct check *c, unsigned int i)
{
	const struct nkd_account_config *a = &c->cfg->accounts[i];
	const char *own;
	char note[40];

	if (a->local_user_agent.set && !a->local_proxy.set)
		return nkd_config_fail(c->err, c->errlen, c->path,
				       account_line(c, i, "X_LocalUserAgent"),
				       "X_LocalUserAgent",
				       "needs X_LocalProxy, the address the UA sends to");
	if (!a->local_proxy.set)
		return 0;
	own = a->user_agent_port == a->local_proxy.ep.port ? "X_UserAgentPort" :
	      in_list(a, a->local_proxy.ep.port) ? "X_UserAgentPorts" : NULL;
	if (own)
		return nkd_config_fail(c->err, c->errlen, c->path,
				       account_line(c, i, "X_LocalProxy"), "X_LocalProxy",
				       "port %u is also %s's %s%s, bound on every address",
				       a->local_proxy.ep.port, a->name, own,
				       default_note(c, i, own, note, sizeof(note)));
	return 0;
}

static int check_account(const struct check *c, unsigned int i)
{
	const struct nkd_account_config *a = &c->cfg->accounts[i];
	const struct nkd_profile *prof = nkd_account_profile(c->cfg, a);
	char letter = (char)('A' + a->profile), note[40];

	/* Wrong whether or not the account is in use. */
	if (a->keepalive_msg_type == NATKEEP_MSG_CUSTOM &&
	    !a->custom_keepalive_msg[0])
		return nkd_config_fail(c->err, c->errlen, c->path,
				       account_line(c, i, "X_KeepAliveMsgType"),
				       "X_CustomKeepAliveMsg",
				       "required when X_KeepAliveMsgType is custom");
	if (!a->enable)
		return 0;
	if (!a->auth_user[0])
		return nkd_config_fail(c->err, c->errlen, c->path, a->line,
				       "AuthUserName", "required when %s is enabled",
				       a->name);
	if (!prof->present)
		return nkd_config_fail(c->err, c->errlen, c->path,
				       account_line(c, i, "X_ServProvProfile"),
				       "X_ServProvProfile",
				       "no [ITSP Profile %c - SIP] in the file%s", letter,
				       default_note(c, i, "X_ServProvProfile",
						    note, sizeof(note)));
	if (!prof->proxy_server[0] && !prof->registrar_server[0])
		return nkd_config_fail(c->err, c->errlen, c->path, prof->line,
				       "ProxyServer",
				       "required (or RegistrarServer): %s registers through [ITSP Profile %c - SIP]",
				       a->name, letter);
	if (check_local_proxy(c, i))
		return -1;
	return check_ports(c, i);
}

int nkd_config_check(const struct nkd_config *cfg,
		     const struct nkd_file_lines *lines, const char *path,
		     char *err, size_t errlen)
{
	const struct check c = { cfg, lines, path, err, errlen };
	unsigned int i;

	for (i = 0; i < NKD_MAX_ACCOUNTS; i++)
		if (cfg->accounts[i].present && check_account(&c, i))
			return -1;
	return 0;
}

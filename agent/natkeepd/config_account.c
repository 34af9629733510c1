// SPDX-License-Identifier: GPL-2.0
/*
 * What the rest of natkeepd asks of an account's configuration: its AOR
 * user, and on SIGHUP whether its registration (with the relay) or its
 * keep-alives changed (an account whose settings did not stays
 * registered).
 */
#include "config.h"

#include <string.h>

const char *nkd_account_user(const struct nkd_account_config *acct)
{
	return acct->uri_user[0] ? acct->uri_user : acct->auth_user;
}

/* Field by field: the structs may differ in padding and in present/line. */
static bool same_profile(const struct nkd_profile *a, const struct nkd_profile *b)
{
	return !strcmp(a->proxy_server, b->proxy_server) &&
	       a->proxy_server_port == b->proxy_server_port &&
	       !strcmp(a->registrar_server, b->registrar_server) &&
	       a->registrar_server_port == b->registrar_server_port &&
	       !strcmp(a->outbound_proxy, b->outbound_proxy) &&
	       a->outbound_proxy_port == b->outbound_proxy_port &&
	       a->register_expires == b->register_expires &&
	       a->proxy_server_redundancy == b->proxy_server_redundancy &&
	       a->secondary_registration == b->secondary_registration &&
	       a->check_primary_interval == b->check_primary_interval &&
	       a->register_include_instance == b->register_include_instance &&
	       a->accept_sip_from_registrar_only == b->accept_sip_from_registrar_only;
}

static bool same_endpoint(const struct nkd_endpoint_setting *a,
			  const struct nkd_endpoint_setting *b)
{
	return a->set == b->set &&
	       (!a->set || (a->ep.family == b->ep.family && a->ep.port == b->ep.port &&
			    !memcmp(&a->ep.addr, &b->ep.addr, nk_addr_len(a->ep.family))));
}

/*
 * The profile's contents, not its letter: moving an account to another
 * profile with the same servers changes nothing on the wire.
 */
bool nkd_account_same_registration(const struct nkd_config *a_cfg,
				   const struct nkd_account_config *a,
				   const struct nkd_config *b_cfg,
				   const struct nkd_account_config *b)
{
	return a->enable == b->enable &&
	       same_profile(nkd_account_profile(a_cfg, a),
			    nkd_account_profile(b_cfg, b)) &&
	       !strcmp(a->auth_user, b->auth_user) &&
	       !strcmp(a->auth_password, b->auth_password) &&
	       !strcmp(nkd_account_user(a), nkd_account_user(b)) &&
	       a->user_agent_port == b->user_agent_port &&
	       a->n_user_agent_ports == b->n_user_agent_ports &&
	       !memcmp(a->user_agent_ports, b->user_agent_ports,
		       a->n_user_agent_ports * sizeof(a->user_agent_ports[0])) &&
	       same_endpoint(&a->local_proxy, &b->local_proxy) &&
	       same_endpoint(&a->local_user_agent, &b->local_user_agent);
}

bool nkd_account_same_keepalive(const struct nkd_account_config *a,
				const struct nkd_account_config *b)
{
	return a->keepalive_enable == b->keepalive_enable &&
	       a->keepalive_expires == b->keepalive_expires &&
	       !strcmp(a->keepalive_server, b->keepalive_server) &&
	       a->keepalive_server_port == b->keepalive_server_port &&
	       a->keepalive_msg_type == b->keepalive_msg_type &&
	       !strcmp(a->custom_keepalive_msg, b->custom_keepalive_msg);
}

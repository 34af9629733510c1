/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A SIP account (an SPn Service with its ITSP profile): its own UDP socket
 * (a sofia-sip nta agent bound to X_UserAgentPort), the candidate servers from
 * DNS, the redundancy state machine, one registration per server it is
 * registered with or trying, and one keep-alive flow in natkeep.ko per
 * registered server.
 */
#ifndef NKD_ACCOUNT_H
#define NKD_ACCOUNT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <sofia-sip/auth_client.h>
#include <sofia-sip/nta.h>
#include <sofia-sip/su_wait.h>

#include "clock.h"
#include "config.h"
#include "handover.h"
#include "held_contacts.h"
#include "malformed.h"
#include "rate_limit.h"
#include "nk_flow.h"
#include "redundancy.h"
#include "resolver.h"

struct nkd_account;
struct nkd_agent;
struct nkd_relay;

/* Challenges answered in a row: an outbound proxy's, a registrar's, stale. */
#define NKD_MAX_CHALLENGES	4

/* Record-Route hosts the account's gate lets dialogs' requests in from. */
#define NKD_GATE_DIALOG_PEERS	16

enum nkd_reg_state {
	NKD_REG_REGISTERING,
	NKD_REG_REGISTERED,
	NKD_REG_UNREGISTERING,
};

/* One REGISTER dialogue with one server (sofia nta transactions). */
struct nkd_registration {
	struct nkd_account *account;
	bool in_use;
	uint32_t server_id;		/* in account->red */
	struct nkd_target target;	/* the server */
	su_home_t *home;		/* the credentials' */
	nta_outgoing_t *orq;		/* the REGISTER in flight */
	bool queued;			/* another asked for meanwhile */
	auth_client_t *auc;		/* answers to the server's challenges */
	su_timer_t *refresh_timer;
	char call_id[48];		/* one Call-ID, From tag and CSeq series */
	char from_tag[24];
	uint32_t cseq;
	unsigned int expires;		/* asked: RegisterExpires, or a 423's */
	unsigned int too_brief;		/* 423s in a row */
	enum nkd_reg_state state;
	unsigned int challenges;	/* 401/407 in a row */
	/* Their "STATUS scheme:realm", each answered once (registration.c). */
	char challenged[NKD_MAX_CHALLENGES][NK_SIP_HOST_MAX + 48];
	unsigned int redirects;		/* 3xx in a row */
	char next_hop[NK_SIP_HOST_MAX + 32];	/* sip:ADDR:PORT, or a redirect's */
	/* Where the REGISTERs go: the server's address, or the redirect's. */
	struct nk_endpoint hop;
	struct nk_endpoint local;	/* our address towards the server */
	bool has_mapping;		/* public address from Via or STUN */
	struct nk_endpoint mapping;
	char contact[NK_SIP_HOST_MAX + 160];	/* the Contact registered */
	char stale_contact[NK_SIP_HOST_MAX + 160];	/* to remove (expires=0) */
	bool clean_contact;		/* send once more without the stale one */
	uint32_t flow_id;		/* keep-alive flow, 0: none */
	nta_outgoing_t *probe;		/* a keep-alive miss's confirmation */
	su_timer_t *probe_timer;	/* its timeout, or the next recheck */
	uint8_t probe_type;
	uint32_t probe_timeout_ms, probe_recheck_ms;
};

struct nkd_account {
	struct nkd_agent *agent;
	int index;			/* SPn - 1 */
	struct nkd_account_config cfg;
	struct nkd_profile profile;
	bool redundancy_on;

	nta_agent_t *sip;		/* the SIP socket on X_UserAgentPort */
	uint64_t dropped_sip;		/* requests its gate dropped (sip_gate.h) */
	struct nkd_rate_limit dropped_sip_log;	/* their log lines */
	/* Proxies of dialogs the relay carried, the last few (sip_gate.h). */
	struct nk_endpoint dialog_peers[NKD_GATE_DIALOG_PEERS];
	unsigned int dialog_peers_count, dialog_peers_next;
	su_timer_t *opened_timer;	/* the socket's open, told from the loop */
	struct nkd_relay *relay;	/* X_LocalProxy, NULL: none */
	struct nkd_malformed malformed;	/* SIP sofia dropped */
	bool started;			/* socket bound, lookups under way */
	bool stopping;			/* un-registering, then shutting down */
	bool gone;			/* no registration left: may be freed */
	/* Exiting for the next natkeepd: nothing un-registered or deleted. */
	bool handing_over;
	/* Its first socket is what the start's flow sweep waits for. */
	bool awaited;
	/* While taking over what the last natkeepd left: its registrations. */
	const struct nkd_saved_account *resume;
	uint16_t port;			/* bound UDP port */
	/* X_UserAgentPorts: 0 is X_UserAgentPort, i the list's i-th. */
	unsigned int port_index;
	unsigned int ports_tried;	/* in a row without any answer */
	bool rebinding;			/* the socket closes for another port */
	char socket_error[128];		/* why no port could be opened, "" */
	unsigned int socket_retries;	/* in a row, for the retry's delay */
	struct nkd_held_contacts held;	/* what the registrars hold */
	su_timer_t *rebind_timer;

	char aor[NK_SIP_USER_MAX + NK_SIP_HOST_MAX + 16];	/* sip:user@domain */
	char registrar_uri[NK_SIP_HOST_MAX + 16];		/* Request-URI */
	char instance[64];		/* +sip.instance urn, "" if off */

	struct nkd_resolve *resolve;	/* the servers redundancy applies to */
	char dns_error[NK_SIP_HOST_MAX + 64];
	struct nkd_redundancy red;
	su_timer_t *red_timer;
	struct nkd_registration regs[NKD_MAX_SERVERS];
	/* Every REGISTER of the account's but un-REGISTERs (registration.h). */
	struct nkd_rate_limit register_rate;
	uint64_t register_deferred;	/* REGISTERs that waited their turn */
	struct nkd_rate_limit register_limit_log;	/* its log lines */

	/* X_KeepAliveServer, when set: one flow for the account. */
	struct nkd_resolve *ka_resolve;
	bool has_ka_target;
	struct nk_endpoint ka_target;
	uint32_t ka_flow_id;
	char flow_error[160];		/* the module's last refusal */

	/* What the log and ServerChangeHook were last told (agent.c). */
	char reported_server[NK_ENDPOINT_STRLEN];
	char reported_secondary[NK_ENDPOINT_STRLEN];
	char reported_state[16];
	bool reported_registered;
	pid_t hook_pid;			/* its hook running, 0: none */
	bool hook_again;		/* a change since it started */
};

/* Creates the account's socket and starts registering. */
struct nkd_account *nkd_account_start(struct nkd_agent *agent, int index,
				      const struct nkd_config *cfg);
/* Un-registers, deletes the flows, shuts the socket down; then gone. */
void nkd_account_stop(struct nkd_account *acct);
/* A registration ended: a stopping account shuts down after the last. */
void nkd_account_check_stopped(struct nkd_account *acct);
/*
 * Exits for a restart: registrations and flows stay as they are for the
 * next natkeepd (handover.h); then gone.
 */
void nkd_account_hand_over(struct nkd_account *acct);
/* What the next natkeepd takes over from this account. */
void nkd_account_save(const struct nkd_account *acct, struct nkd_saved_account *out);
/* Whether natkeep.ko's flow id is one of this account's. */
bool nkd_account_owns_flow(const struct nkd_account *acct, uint32_t id);
/* Frees an account once it is gone. */
void nkd_account_free(struct nkd_account *acct);

/* SIGHUP with only the X_KeepAlive* settings changed. */
void nkd_account_update_keepalive(struct nkd_account *acct,
				  const struct nkd_account_config *cfg);

/* natkeep.ko said something about flow->id; false if not ours. */
bool nkd_account_flow_event(struct nkd_account *acct, int cmd,
			    const struct nk_flow *flow);
/* The module is there (again): make the flows. */
void nkd_account_flows_refresh(struct nkd_account *acct);
/* Module events were lost: read the account's flows again. */
void nkd_account_flows_resync(struct nkd_account *acct);
/* Addresses or routes changed: re-register where our address changed. */
void nkd_account_network_changed(struct nkd_account *acct);

/* "stopping", "no-socket", or the redundancy's state (registered...). */
const char *nkd_account_state(const struct nkd_account *acct, int64_t now);


#endif

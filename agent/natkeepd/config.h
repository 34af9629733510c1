/* SPDX-License-Identifier: GPL-2.0 */
/*
 * natkeepd's configuration: the OBi parameters of the ITSP profiles (SIP)
 * and the voice services (SPn Service), in an INI file:
 *
 *	[natkeepd]			the agent's own settings
 *	[ITSP Profile A - SIP]		profiles A..H
 *	[SP1 Service]			accounts SP1..SP8
 *
 * "Name = value" lines, '#' or ';' comments, names as the OBi spells them
 * (matched exactly). Every error names file, line and parameter.
 */
#ifndef NKD_CONFIG_H
#define NKD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "custom_spec.h"
#include "nk_addr.h"
#include "nk_agent_socket.h"
#include "sip.h"

#define NKD_MAX_PROFILES	8	/* ITSP Profile A..H */
#define NKD_MAX_ACCOUNTS	8	/* SP1..SP8 */
#define NKD_MAX_UA_PORTS	10	/* X_UserAgentPorts */
#define NKD_HOST_MAX		NK_SIP_HOST_MAX
#define NKD_USER_MAX		NK_SIP_USER_MAX
#define NKD_SECRET_MAX		128
#define NKD_PATH_MAX		256
/* Where a natkeepd leaves its registrations to the next (handover.h). */
#define NKD_STATE_FILE_DEFAULT	NK_RUNSTATEDIR "/natkeepd.state"

enum nkd_log_level {
	NKD_LOG_ERR,
	NKD_LOG_WARNING,
	NKD_LOG_NOTICE,
	NKD_LOG_INFO,
	NKD_LOG_DEBUG,
};

/* An address and port, or nothing when the file leaves it empty. */
struct nkd_endpoint_setting {
	bool set;
	struct nk_endpoint ep;
};

/* [natkeepd] */
struct nkd_agent_config {
	/* RequireModule: refuse to run without natkeep.ko (default false:
	 * register without kernel keep-alives and say so). */
	bool require_module;
	char control_socket[NKD_PATH_MAX];	/* ControlSocket */
	char state_file[NKD_PATH_MAX];		/* StateFile, "" none */
	char server_change_hook[NKD_PATH_MAX];	/* ServerChangeHook, "" none */
	char resolv_conf[NKD_PATH_MAX];		/* ResolvConf, "" system's */
	enum nkd_log_level log_level;		/* LogLevel */
	unsigned int transaction_timeout_s;	/* TransactionTimeout (T1*64) */
};

/* [ITSP Profile X - SIP] */
struct nkd_profile {
	bool present;				/* the file has the section */
	unsigned int line;			/* of its header */
	char proxy_server[NKD_HOST_MAX + 1];	/* ProxyServer */
	uint16_t proxy_server_port;		/* ProxyServerPort */
	char registrar_server[NKD_HOST_MAX + 1]; /* RegistrarServer, "": proxy's */
	uint16_t registrar_server_port;		/* RegistrarServerPort */
	char outbound_proxy[NKD_HOST_MAX + 1];	/* OutboundProxy, "" none */
	uint16_t outbound_proxy_port;		/* OutboundProxyPort */
	unsigned int register_expires;		/* RegisterExpires, s */
	bool proxy_server_redundancy;		/* X_ProxyServerRedundancy */
	bool secondary_registration;		/* X_SecondaryRegistration */
	unsigned int check_primary_interval;	/* X_CheckPrimaryServerInterval, s */
	bool register_include_instance;		/* X_RegisterIncludeInstance */
	bool accept_sip_from_registrar_only;	/* X_AcceptSipFromRegistrarOnly */
};

/* [SPn Service] */
struct nkd_account_config {
	bool present;
	unsigned int line;
	char name[8];				/* "SP1" */
	bool enable;				/* Enable */
	unsigned int profile;			/* X_ServProvProfile, 0 = A */
	char auth_user[NKD_USER_MAX + 1];	/* AuthUserName */
	char auth_password[NKD_SECRET_MAX + 1];	/* AuthPassword */
	char uri_user[NKD_USER_MAX + 1];	/* URI, "": AuthUserName */
	uint16_t user_agent_port;		/* X_UserAgentPort */
	uint16_t user_agent_ports[NKD_MAX_UA_PORTS];	/* X_UserAgentPorts */
	size_t n_user_agent_ports;
	bool keepalive_enable;			/* X_KeepAliveEnable */
	unsigned int keepalive_expires;		/* X_KeepAliveExpires, s */
	char keepalive_server[NKD_HOST_MAX + 1];	/* X_KeepAliveServer */
	uint16_t keepalive_server_port;		/* X_KeepAliveServerPort, 0: server's */
	uint8_t keepalive_msg_type;		/* X_KeepAliveMsgType, enum natkeep_msg_type */
	char custom_keepalive_msg[NK_CUSTOM_SPEC_MAX + 1];	/* X_CustomKeepAliveMsg */
	/* X_LocalProxy: where the gateway's own SIP UA reaches us; unset: no relay. */
	struct nkd_endpoint_setting local_proxy;
	/* X_LocalUserAgent: that UA; unset: learned from its REGISTER. */
	struct nkd_endpoint_setting local_user_agent;
};

struct nkd_config {
	char path[NKD_PATH_MAX];
	struct nkd_agent_config agent;
	struct nkd_profile profiles[NKD_MAX_PROFILES];
	struct nkd_account_config accounts[NKD_MAX_ACCOUNTS];
};

/* Room for "file:line: parameter: what is wrong". */
#define NKD_CONFIG_ERR_MAX	(NKD_PATH_MAX + 256)

/*
 * Reads the file at path into cfg (defaults for what it does not set).
 * Returns 0, or -1 with "path:line: parameter: what is wrong" in err; cfg
 * is then undefined (the caller keeps its running copy).
 */
int nkd_config_load(const char *path, struct nkd_config *cfg,
		    char *err, size_t errlen);

/* The same from text in memory; path is only for the messages. */
int nkd_config_parse(const char *text, size_t len, const char *path,
		     struct nkd_config *cfg, char *err, size_t errlen);

/* Every default, no profile or account present. */
void nkd_config_defaults(struct nkd_config *cfg);

/* The account's user-id of its AOR: URI, else AuthUserName. */
const char *nkd_account_user(const struct nkd_account_config *acct);

/* The profile an account uses. */
static inline const struct nkd_profile *
nkd_account_profile(const struct nkd_config *cfg,
		    const struct nkd_account_config *acct)
{
	return &cfg->profiles[acct->profile];
}

/*
 * Whether two accounts' settings are the same for registration (servers,
 * credentials, ports, expiry, redundancy) and for keep-alives: a reload
 * leaves an account whose registration did not change registered.
 */
bool nkd_account_same_registration(const struct nkd_config *a_cfg,
				   const struct nkd_account_config *a,
				   const struct nkd_config *b_cfg,
				   const struct nkd_account_config *b);
bool nkd_account_same_keepalive(const struct nkd_account_config *a,
				const struct nkd_account_config *b);

#endif

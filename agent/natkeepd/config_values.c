// SPDX-License-Identifier: GPL-2.0
/*
 * The parameters natkeepd reads, section by section, their defaults, and
 * the check of each value. A message says what is wrong and what would be
 * right; it shows the value (cut short), never a password.
 */
#include "config_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/un.h>
#include <linux/natkeep.h>

#include "nk_agent_socket.h"
#include "nk_array.h"
#include "nk_msg_type.h"

/* A ControlSocket must fit sockaddr_un, with its NUL. */
#define SOCKET_PATH_MAX	(sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

/* AuthPassword is checked as SIP text: it must not outgrow that. */
_Static_assert(NKD_SECRET_MAX <= NK_SIP_TEXT_MAX, "AuthPassword is SIP text");

#define AGENT(field, name, kind, min, max) \
	{ name, kind, offsetof(struct nkd_agent_config, field), min, max }
#define PROFILE(field, name, kind, min, max) \
	{ name, kind, offsetof(struct nkd_profile, field), min, max }
#define ACCOUNT(field, name, kind, min, max) \
	{ name, kind, offsetof(struct nkd_account_config, field), min, max }

static const struct nkd_param agent_params[] = {
	AGENT(require_module, "RequireModule", NKD_VAL_BOOL, 0, 0),
	AGENT(control_socket, "ControlSocket", NKD_VAL_PATH, 0, SOCKET_PATH_MAX),
	AGENT(state_file, "StateFile", NKD_VAL_PATH, 0, NKD_PATH_MAX - 8),
	AGENT(server_change_hook, "ServerChangeHook", NKD_VAL_PATH, 0,
	      NKD_PATH_MAX - 1),
	AGENT(resolv_conf, "ResolvConf", NKD_VAL_PATH, 0, NKD_PATH_MAX - 1),
	AGENT(log_level, "LogLevel", NKD_VAL_LOG_LEVEL, 0, 0),
	AGENT(transaction_timeout_s, "TransactionTimeout", NKD_VAL_SECONDS, 2, 64),
};

static const struct nkd_param profile_params[] = {
	PROFILE(proxy_server, "ProxyServer", NKD_VAL_HOST, 0, 0),
	PROFILE(proxy_server_port, "ProxyServerPort", NKD_VAL_PORT, 0, 0),
	PROFILE(registrar_server, "RegistrarServer", NKD_VAL_HOST, 0, 0),
	PROFILE(registrar_server_port, "RegistrarServerPort", NKD_VAL_PORT, 0, 0),
	PROFILE(outbound_proxy, "OutboundProxy", NKD_VAL_HOST, 0, 0),
	PROFILE(outbound_proxy_port, "OutboundProxyPort", NKD_VAL_PORT, 0, 0),
	PROFILE(register_expires, "RegisterExpires", NKD_VAL_SECONDS, 10, 86400),
	PROFILE(proxy_server_redundancy, "X_ProxyServerRedundancy",
		NKD_VAL_BOOL, 0, 0),
	PROFILE(secondary_registration, "X_SecondaryRegistration",
		NKD_VAL_BOOL, 0, 0),
	PROFILE(check_primary_interval, "X_CheckPrimaryServerInterval",
		NKD_VAL_SECONDS, 5, 86400),
	PROFILE(register_include_instance, "X_RegisterIncludeInstance",
		NKD_VAL_BOOL, 0, 0),
	PROFILE(accept_sip_from_registrar_only, "X_AcceptSipFromRegistrarOnly",
		NKD_VAL_BOOL, 0, 0),
};

static const struct nkd_param account_params[] = {
	ACCOUNT(enable, "Enable", NKD_VAL_BOOL, 0, 0),
	ACCOUNT(profile, "X_ServProvProfile", NKD_VAL_PROFILE, 0, 0),
	ACCOUNT(auth_user, "AuthUserName", NKD_VAL_USER, 0, 0),
	ACCOUNT(auth_password, "AuthPassword", NKD_VAL_SECRET, 0, 0),
	ACCOUNT(uri_user, "URI", NKD_VAL_URI, 0, 0),
	ACCOUNT(user_agent_port, "X_UserAgentPort", NKD_VAL_PORT, 0, 0),
	ACCOUNT(user_agent_ports, "X_UserAgentPorts", NKD_VAL_PORT_LIST, 0, 0),
	ACCOUNT(keepalive_enable, "X_KeepAliveEnable", NKD_VAL_BOOL, 0, 0),
	ACCOUNT(keepalive_expires, "X_KeepAliveExpires", NKD_VAL_SECONDS, 1, 3600),
	ACCOUNT(keepalive_server, "X_KeepAliveServer", NKD_VAL_HOST, 0, 0),
	ACCOUNT(keepalive_server_port, "X_KeepAliveServerPort",
		NKD_VAL_PORT_OR_ZERO, 0, 0),
	ACCOUNT(keepalive_msg_type, "X_KeepAliveMsgType", NKD_VAL_MSG_TYPE, 0, 0),
	ACCOUNT(custom_keepalive_msg, "X_CustomKeepAliveMsg",
		NKD_VAL_CUSTOM_SPEC, 0, 0),
	ACCOUNT(local_proxy, "X_LocalProxy", NKD_VAL_ENDPOINT, 0, 0),
	ACCOUNT(local_user_agent, "X_LocalUserAgent", NKD_VAL_ENDPOINT, 0, 0),
};

#define PARAMS(title, table) { title, table, ARRAY_SIZE(table) }

const struct nkd_section_params nkd_section_params[NKD_SECTION_KINDS] = {
	[NKD_SECTION_AGENT] = PARAMS("[natkeepd]", agent_params),
	[NKD_SECTION_PROFILE] = PARAMS("[ITSP Profile A..H - SIP]", profile_params),
	[NKD_SECTION_ACCOUNT] = PARAMS("[SP1..SP8 Service]", account_params),
};

_Static_assert(ARRAY_SIZE(account_params) <=
	       NKD_SECTION_PARAMS_MAX, "room for the lines of every parameter");
_Static_assert(ARRAY_SIZE(profile_params) <=
	       NKD_SECTION_PARAMS_MAX, "room for the lines of every parameter");

/* Indexed by enum nkd_log_level. */
static const char *const log_levels[] = {
	"err", "warning", "notice", "info", "debug",
};

#define LOG_LEVEL_CHOICES	"err|warning|notice|info|debug"
#define USER_CHARS		"letters, digits, -_.!~*'()&=+$,;?/ and %XX escapes"

static const struct nkd_profile default_profile = {
	.proxy_server_port = 5060,
	.registrar_server_port = 5060,
	.outbound_proxy_port = 5060,
	.register_expires = 60,		/* the OBi's */
	.check_primary_interval = 60,
	.accept_sip_from_registrar_only = true,
};

/* [SPn Service] differ in their port and profile. */
static void account_defaults(struct nkd_account_config *acct, unsigned int index)
{
	memset(acct, 0, sizeof(*acct));
	snprintf(acct->name, sizeof(acct->name), "SP%u", index + 1);
	/* Off until its section says otherwise: an absent account is not. */
	acct->enable = false;
	acct->profile = index;
	acct->user_agent_port = (uint16_t)(5060 + index);
	/* RFC 5626, 3.5: under the 30 s after which NATs may forget UDP. */
	acct->keepalive_expires = 29;
	acct->keepalive_msg_type = NATKEEP_MSG_KEEPALIVE;
}

void nkd_config_defaults(struct nkd_config *cfg)
{
	unsigned int i;

	memset(cfg, 0, sizeof(*cfg));
	cfg->agent.require_module = false;
	snprintf(cfg->agent.control_socket, sizeof(cfg->agent.control_socket),
		 "%s", NK_AGENT_SOCKET_DEFAULT);
	snprintf(cfg->agent.state_file, sizeof(cfg->agent.state_file), "%s",
		 NKD_STATE_FILE_DEFAULT);
	cfg->agent.log_level = NKD_LOG_INFO;
	cfg->agent.transaction_timeout_s = 8;
	for (i = 0; i < NKD_MAX_PROFILES; i++)
		cfg->profiles[i] = default_profile;
	for (i = 0; i < NKD_MAX_ACCOUNTS; i++)
		account_defaults(&cfg->accounts[i], i);
}

int nkd_param_find(enum nkd_section_kind kind, const char *name)
{
	const struct nkd_section_params *sp = &nkd_section_params[kind];
	size_t i;

	for (i = 0; i < sp->count; i++)
		if (!strcmp(sp->params[i].name, name))
			return (int)i;
	return -1;
}

/* @value quoted for a message, cut short. */
static const char *quoted(char *buf, size_t cap, const char *value, size_t len)
{
	char shown[NKD_SHOWN_MAX + 1];

	snprintf(buf, cap, "\"%s\"", nkd_shorten(shown, sizeof(shown), value, len));
	return buf;
}

/* Two quotes, what is shown and a NUL; Q() wants char q[QUOTED_MAX]. */
#define QUOTED_MAX	(NKD_SHOWN_MAX + 3)
#define Q(value)	quoted(q, sizeof(q), value, strlen(value))

static int fail(char *why, size_t whylen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

static int too_long(char *why, size_t whylen, size_t max, const char *unit)
{
	return fail(why, whylen, "too long (at most %zu %s)", max, unit);
}

/* Decimal digits only: strtoul() would take signs, spaces and 0x. */
static bool parse_decimal(const char *s, unsigned long long *value)
{
	unsigned long long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		/* Anything this big is out of every range: stop before wrapping. */
		if (v < 100000000000ULL)
			v = v * 10 + (unsigned long long)(*s - '0');
	}
	*value = v;
	return true;
}

static int set_bool(bool *field, const char *value, char *why, size_t whylen)
{
	char q[QUOTED_MAX];

	if (!strcasecmp(value, "true"))
		*field = true;
	else if (!strcasecmp(value, "false"))
		*field = false;
	else
		return fail(why, whylen, "%s is not true or false", Q(value));
	return 0;
}

static int set_seconds(const struct nkd_param *param, unsigned int *field,
		       const char *value, char *why, size_t whylen)
{
	unsigned long long v;
	char q[QUOTED_MAX];

	if (!parse_decimal(value, &v))
		return fail(why, whylen, "%s is not a number (%u..%u seconds)",
			    Q(value), param->min, param->max);
	if (v < param->min || v > param->max)
		return fail(why, whylen, "%s is out of range (%u..%u seconds)",
			    Q(value), param->min, param->max);
	*field = (unsigned int)v;
	return 0;
}

static int set_port(uint16_t *field, bool zero_ok, const char *value,
		    char *why, size_t whylen)
{
	char q[QUOTED_MAX];

	if (zero_ok && !strcmp(value, "0")) {
		*field = 0;
		return 0;
	}
	if (nk_sip_parse_port(value, strlen(value), field))
		return 0;
	if (zero_ok)
		return fail(why, whylen,
			    "%s is not a port (1..65535, or 0 for the server's)",
			    Q(value));
	return fail(why, whylen, "%s is not a port (1..65535)", Q(value));
}

/* Comma-separated, spaces around the commas allowed, no port twice. */
static int set_port_list(struct nkd_account_config *acct, const char *value,
			 char *why, size_t whylen)
{
	uint16_t ports[NKD_MAX_UA_PORTS];
	const char *p = value;
	char q[QUOTED_MAX];
	size_t n = 0, i;

	for (;;) {
		const char *comma = strchr(p, ',');
		const char *end = comma ? comma : p + strlen(p);
		uint16_t port;

		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (p == end)
			return fail(why, whylen,
				    "empty entry in the list (a comma too many?)");
		if (!nk_sip_parse_port(p, (size_t)(end - p), &port))
			return fail(why, whylen, "%s is not a port (1..65535)",
				    quoted(q, sizeof(q), p, (size_t)(end - p)));
		for (i = 0; i < n; i++)
			if (ports[i] == port)
				return fail(why, whylen, "port %u is listed twice",
					    port);
		if (n == NKD_MAX_UA_PORTS)
			return fail(why, whylen, "more than %d ports",
				    NKD_MAX_UA_PORTS);
		ports[n++] = port;
		if (!comma)
			break;
		p = comma + 1;
	}
	memcpy(acct->user_agent_ports, ports, n * sizeof(ports[0]));
	acct->n_user_agent_ports = n;
	return 0;
}

/*
 * A hostname, IPv4, or IPv6 with or without brackets, stored without: the
 * port has a parameter of its own (its name is this one's plus "Port").
 */
static int set_host(const struct nkd_param *param, char *field,
		    const char *value, char *why, size_t whylen)
{
	size_t len = strlen(value), host_len = len;
	const char *host = value, *colon = strchr(value, ':');
	struct nk_proto_addr addr;
	char q[QUOTED_MAX];
	bool port = false;

	if (len > NKD_HOST_MAX)
		return too_long(why, whylen, NKD_HOST_MAX, "characters");
	if (value[0] == '[') {
		const char *close = strchr(value, ']');

		if (!close || !nk_sip_parse_ip(value + 1, (size_t)(close - value - 1),
					       &addr) ||
		    addr.family != NK_PROTO_AF_INET6)
			goto bad;
		if (close[1]) {
			port = close[1] == ':' &&
			       nk_sip_parse_port(close + 2, strlen(close + 2), &addr.port);
			goto bad;
		}
		host = value + 1;
		host_len = (size_t)(close - host);
	} else if (colon && !strchr(colon + 1, ':')) {
		/* One colon is no IPv6: "host:port". */
		char name[NKD_HOST_MAX + 1];
		uint16_t p;

		memcpy(name, value, (size_t)(colon - value));
		name[colon - value] = '\0';
		port = nk_sip_parse_port(colon + 1, strlen(colon + 1), &p) &&
		       nk_sip_valid_host(name);
		goto bad;
	} else if (colon) {
		if (!nk_sip_parse_ip(value, len, &addr))
			goto bad;
	} else if (!nk_sip_valid_host(value)) {
		goto bad;
	}
	memcpy(field, host, host_len);
	field[host_len] = '\0';
	return 0;
bad:
	if (port)
		return fail(why, whylen, "%s has a port: give it in %sPort",
			    Q(value), param->name);
	return fail(why, whylen, "%s is not a host name or IP address", Q(value));
}

static int set_user(char *field, const char *value, size_t len, bool uri,
		    char *why, size_t whylen)
{
	char q[QUOTED_MAX];

	if (len > NKD_USER_MAX)
		return too_long(why, whylen, NKD_USER_MAX, "characters");
	memcpy(field, value, len);
	field[len] = '\0';
	if (nk_sip_valid_user(field))
		return 0;
	return fail(why, whylen, "%s is not a SIP user (%s)%s", Q(value),
		    USER_CHARS, uri ? ", nor sip:USER@HOST" : "");
}

/* The AOR's user-id, given bare or as sip:USER@HOST. */
static int set_uri(char *field, const char *value, char *why, size_t whylen)
{
	const char *at;
	char q[QUOTED_MAX];

	if (strncasecmp(value, "sip:", 4))
		return set_user(field, value, strlen(value), true, why, whylen);
	at = strchr(value + 4, '@');
	if (!at || at == value + 4)
		return fail(why, whylen, "%s has no user (expected sip:USER@HOST)",
			    Q(value));
	if (!nk_sip_valid_host(at + 1))
		return fail(why, whylen, "%s: the host is not a host name or IP address",
			    Q(value));
	return set_user(field, value + 4, (size_t)(at - value - 4), true, why,
			whylen);
}

static int set_secret(char *field, const char *value, char *why, size_t whylen)
{
	size_t len = strlen(value);

	if (len > NKD_SECRET_MAX)
		return too_long(why, whylen, NKD_SECRET_MAX, "bytes");
	if (!nk_sip_valid_text(value))
		return fail(why, whylen,
			    "not printable text (control characters or bad UTF-8)");
	memcpy(field, value, len + 1);
	return 0;
}

static int set_path(const struct nkd_param *param, char *field,
		    const char *value, char *why, size_t whylen)
{
	size_t len = strlen(value), i;
	char q[QUOTED_MAX];

	if (len > param->max)
		return too_long(why, whylen, param->max, "characters");
	if (value[0] != '/')
		return fail(why, whylen, "%s is not an absolute path", Q(value));
	for (i = 0; i < len; i++)
		if ((unsigned char)value[i] < 0x20 || value[i] == 0x7f)
			return fail(why, whylen, "%s has control characters",
				    Q(value));
	memcpy(field, value, len + 1);
	return 0;
}

static int set_log_level(enum nkd_log_level *field, const char *value,
			 char *why, size_t whylen)
{
	char q[QUOTED_MAX];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(log_levels); i++) {
		if (!strcmp(value, log_levels[i])) {
			*field = (enum nkd_log_level)i;
			return 0;
		}
	}
	return fail(why, whylen, "%s is not a log level (%s)", Q(value),
		    LOG_LEVEL_CHOICES);
}

static int set_profile(unsigned int *field, const char *value, char *why,
		       size_t whylen)
{
	char q[QUOTED_MAX];

	if (value[0] < 'A' || value[0] >= 'A' + NKD_MAX_PROFILES || value[1])
		return fail(why, whylen, "%s is not a profile (A..H)", Q(value));
	*field = (unsigned int)(value[0] - 'A');
	return 0;
}

static int set_msg_type(uint8_t *field, const char *value, char *why,
			size_t whylen)
{
	int type = nk_msg_type_from_name(value);
	char q[QUOTED_MAX];

	if (type < 0)
		return fail(why, whylen, "%s is not a message type (%s)", Q(value),
			    nk_msg_type_choices());
	*field = (uint8_t)type;
	return 0;
}

/* The module's own parser: what it accepts here, it accepts in a flow. */
static int set_custom_spec(char *field, const char *value, char *why,
			   size_t whylen)
{
	struct nk_custom_spec spec;
	size_t len = strlen(value);
	char q[QUOTED_MAX];
	const char *msg;

	if (nk_custom_spec_parse(value, len, &spec, &msg))
		return fail(why, whylen, "%s: %s", Q(value), msg);
	memcpy(field, value, len + 1);
	return 0;
}

/* An IP address and port: the address may not be left to DNS. */
static int set_endpoint(struct nkd_endpoint_setting *field, const char *value,
			char *why, size_t whylen)
{
	char err[NKD_SHOWN_MAX + 96];

	/* Its message quotes the value and names the bad part. */
	if (nk_endpoint_parse(value, &field->ep, err, sizeof(err)))
		return fail(why, whylen, "%s", err);
	field->set = true;
	return 0;
}

int nkd_param_set(const struct nkd_param *param, void *obj, const char *value,
		  char *why, size_t whylen)
{
	char *field = (char *)obj + param->offset;

	switch (param->kind) {
	case NKD_VAL_BOOL:
		return set_bool((bool *)field, value, why, whylen);
	case NKD_VAL_SECONDS:
		return set_seconds(param, (unsigned int *)field, value, why, whylen);
	case NKD_VAL_PORT:
		return set_port((uint16_t *)field, false, value, why, whylen);
	case NKD_VAL_PORT_OR_ZERO:
		return set_port((uint16_t *)field, true, value, why, whylen);
	case NKD_VAL_PORT_LIST:
		return set_port_list(obj, value, why, whylen);
	case NKD_VAL_HOST:
		return set_host(param, field, value, why, whylen);
	case NKD_VAL_USER:
		return set_user(field, value, strlen(value), false, why, whylen);
	case NKD_VAL_URI:
		return set_uri(field, value, why, whylen);
	case NKD_VAL_SECRET:
		return set_secret(field, value, why, whylen);
	case NKD_VAL_PATH:
		return set_path(param, field, value, why, whylen);
	case NKD_VAL_LOG_LEVEL:
		return set_log_level((enum nkd_log_level *)field, value, why, whylen);
	case NKD_VAL_PROFILE:
		return set_profile((unsigned int *)field, value, why, whylen);
	case NKD_VAL_MSG_TYPE:
		return set_msg_type((uint8_t *)field, value, why, whylen);
	case NKD_VAL_CUSTOM_SPEC:
		return set_custom_spec(field, value, why, whylen);
	case NKD_VAL_ENDPOINT:
		return set_endpoint((struct nkd_endpoint_setting *)field, value, why, whylen);
	}
	return fail(why, whylen, "internal error: no check for this parameter");
}

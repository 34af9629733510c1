// SPDX-License-Identifier: GPL-2.0
/* natkeepd's configuration file (agent/natkeepd/config*.c). */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <linux/natkeep.h>

#include "config_internal.h"
#include "nk_array.h"
#include "runner.h"

#define FILE_NAME	"natkeepd.conf"
#define EXAMPLE_CONF	"../../packaging/natkeepd.conf"
#define MAN_PAGE	"../../agent/natkeepd.conf.5"

/* The smallest file that registers: profile A and account SP1. */
#define PROFILE_A	"[ITSP Profile A - SIP]\nProxyServer = sip.example.com\n"
#define SP1		"[SP1 Service]\nAuthUserName = 1001\n"

static struct nkd_config cfg;
static char err[NKD_CONFIG_ERR_MAX];

/* Parse from a heap copy of the exact size, no NUL: ASan sees overreads. */
static int parse_len(const char *text, size_t len)
{
	char *copy = malloc(len ? len : 1);
	int r;

	memcpy(copy, text, len);
	strcpy(err, "unset");
	r = nkd_config_parse(copy, len, FILE_NAME, &cfg, err, sizeof(err));
	free(copy);
	return r;
}

/* A literal with NULs inside, all of it but the terminating one. */
#define PARSE_ARRAY(lit)	parse_len(lit, sizeof(lit) - 1)

static int parse(const char *text)
{
	return parse_len(text, strlen(text));
}

/* The error of @text, or "(accepted)". */
static const char *error_of(const char *text)
{
	return parse(text) ? err : "(accepted)";
}

#define CHECK_OK(text) do { \
	if (parse(text)) \
		test_fail(__FILE__, __LINE__, "refused: %s", err); \
} while (0)

#define CHECK_ERR(text, expected)	CHECK_STR(error_of(text), expected)

static void defaults_of_every_parameter(void)
{
	unsigned int i;

	memset(&cfg, 0xa5, sizeof(cfg));
	nkd_config_defaults(&cfg);
	CHECK(!cfg.agent.require_module);
	CHECK_STR(cfg.agent.control_socket, "/run/natkeepd.sock");
	CHECK_STR(cfg.agent.server_change_hook, "");
	CHECK_STR(cfg.agent.resolv_conf, "");
	CHECK_INT(cfg.agent.log_level, NKD_LOG_INFO);
	CHECK_INT(cfg.agent.transaction_timeout_s, 8);
	for (i = 0; i < NKD_MAX_PROFILES; i++) {
		const struct nkd_profile *p = &cfg.profiles[i];

		CHECK(!p->present);
		CHECK_STR(p->proxy_server, "");
		CHECK_INT(p->proxy_server_port, 5060);
		CHECK_STR(p->registrar_server, "");
		CHECK_INT(p->registrar_server_port, 5060);
		CHECK_STR(p->outbound_proxy, "");
		CHECK_INT(p->outbound_proxy_port, 5060);
		CHECK_INT(p->register_expires, 60);
		CHECK(!p->proxy_server_redundancy);
		CHECK(!p->secondary_registration);
		CHECK_INT(p->check_primary_interval, 60);
		CHECK(!p->register_include_instance);
	}
	for (i = 0; i < NKD_MAX_ACCOUNTS; i++) {
		const struct nkd_account_config *a = &cfg.accounts[i];
		char name[8];

		snprintf(name, sizeof(name), "SP%u", i + 1);
		CHECK_STR(a->name, name);
		CHECK(!a->present);
		CHECK(!a->enable);
		CHECK_INT(a->profile, i);
		CHECK_STR(a->auth_user, "");
		CHECK_STR(a->auth_password, "");
		CHECK_STR(a->uri_user, "");
		CHECK_INT(a->user_agent_port, 5060 + i);
		CHECK_INT(a->n_user_agent_ports, 0);
		CHECK(!a->keepalive_enable);
		CHECK_INT(a->keepalive_expires, 29);
		CHECK_STR(a->keepalive_server, "");
		CHECK_INT(a->keepalive_server_port, 0);
		CHECK_INT(a->keepalive_msg_type, NATKEEP_MSG_KEEPALIVE);
		CHECK_STR(a->custom_keepalive_msg, "");
	}
}

/* An empty file, or one of comments, is every default. */
static void empty_file_is_the_defaults(void)
{
	static struct nkd_config want;

	nkd_config_defaults(&want);
	CHECK_OK("");
	CHECK(!memcmp(&cfg.agent, &want.agent, sizeof(want.agent)));
	CHECK(!memcmp(cfg.profiles, want.profiles, sizeof(want.profiles)));
	CHECK(!memcmp(cfg.accounts, want.accounts, sizeof(want.accounts)));
	CHECK_STR(cfg.path, FILE_NAME);
	CHECK_OK("# nothing\n\n; at all\n   \n\t# indented\n");
	CHECK(!memcmp(cfg.accounts, want.accounts, sizeof(want.accounts)));
	CHECK_OK("[natkeepd]\n");
	CHECK(!memcmp(&cfg.agent, &want.agent, sizeof(want.agent)));
}

/* A section present takes its defaults: the account on, its own port. */
static void section_defaults(void)
{
	const struct nkd_account_config *a = &cfg.accounts[2];

	CHECK_OK("[ITSP Profile C - SIP]\nProxyServer = sip.example.com\n\n"
		 "[SP3 Service]\nAuthUserName = 1003\n");
	CHECK(cfg.profiles[2].present);
	CHECK_INT(cfg.profiles[2].line, 1);
	CHECK(!cfg.profiles[0].present);
	CHECK(a->present);
	CHECK_INT(a->line, 4);
	CHECK(a->enable);
	CHECK_INT(a->profile, 2);
	CHECK_INT(a->user_agent_port, 5062);
	CHECK_INT(a->keepalive_expires, 29);
	CHECK_STR(nkd_account_user(a), "1003");
	CHECK(!cfg.accounts[0].present);
	CHECK(!cfg.accounts[0].enable);
}

static const char full_file[] =
	"# every parameter, none at its default\n"
	"[natkeepd]\n"
	"RequireModule = true\n"
	"ControlSocket = /run/natkeep/ctl.sock\n"
	"ServerChangeHook = /etc/natkeepd/server-changed\n"
	"ResolvConf = /etc/natkeepd/resolv.conf\n"
	"LogLevel = debug\n"
	"TransactionTimeout = 32\n"
	"\n"
	"[ITSP Profile B - SIP]\n"
	"ProxyServer = proxy.voip.example.net\n"
	"ProxyServerPort = 5080\n"
	"RegistrarServer = 192.0.2.10\n"
	"RegistrarServerPort = 5070\n"
	"OutboundProxy = [2001:db8::5]\n"
	"OutboundProxyPort = 5090\n"
	"RegisterExpires = 3600\n"
	"X_ProxyServerRedundancy = TRUE\n"
	"X_SecondaryRegistration = True\n"
	"X_CheckPrimaryServerInterval = 300\n"
	"X_RegisterIncludeInstance = true\n"
	"\n"
	"[SP4 Service]\n"
	"Enable = true\n"
	"X_ServProvProfile = B\n"
	"AuthUserName = 4004\n"
	"AuthPassword = s3cr3t!#;\"x\"\n"
	"URI = sip:+15551234@voip.example.net\n"
	"X_UserAgentPort = 5160\n"
	"X_UserAgentPorts = 5161, 5162 ,5163\n"
	"X_KeepAliveEnable = true\n"
	"X_KeepAliveExpires = 15\n"
	"X_KeepAliveServer = 2001:db8::7\n"
	"X_KeepAliveServerPort = 3478\n"
	"X_KeepAliveMsgType = custom\n"
	"X_CustomKeepAliveMsg = mtd=NOTIFY;event=check-sync;user=2000\n";

static void full_file_sets_every_field(void)
{
	const struct nkd_profile *p = &cfg.profiles[1];
	const struct nkd_account_config *a = &cfg.accounts[3];

	CHECK_OK(full_file);
	CHECK(cfg.agent.require_module);
	CHECK_STR(cfg.agent.control_socket, "/run/natkeep/ctl.sock");
	CHECK_STR(cfg.agent.server_change_hook, "/etc/natkeepd/server-changed");
	CHECK_STR(cfg.agent.resolv_conf, "/etc/natkeepd/resolv.conf");
	CHECK_INT(cfg.agent.log_level, NKD_LOG_DEBUG);
	CHECK_INT(cfg.agent.transaction_timeout_s, 32);

	CHECK(p->present);
	CHECK_INT(p->line, 10);
	CHECK_STR(p->proxy_server, "proxy.voip.example.net");
	CHECK_INT(p->proxy_server_port, 5080);
	CHECK_STR(p->registrar_server, "192.0.2.10");
	CHECK_INT(p->registrar_server_port, 5070);
	CHECK_STR(p->outbound_proxy, "2001:db8::5");
	CHECK_INT(p->outbound_proxy_port, 5090);
	CHECK_INT(p->register_expires, 3600);
	CHECK(p->proxy_server_redundancy);
	CHECK(p->secondary_registration);
	CHECK_INT(p->check_primary_interval, 300);
	CHECK(p->register_include_instance);

	CHECK(a->present);
	CHECK_INT(a->line, 23);
	CHECK_STR(a->name, "SP4");
	CHECK(a->enable);
	CHECK_INT(a->profile, 1);
	CHECK(nkd_account_profile(&cfg, a) == p);
	CHECK_STR(a->auth_user, "4004");
	CHECK_STR(a->auth_password, "s3cr3t!#;\"x\"");
	CHECK_STR(a->uri_user, "+15551234");
	CHECK_STR(nkd_account_user(a), "+15551234");
	CHECK_INT(a->user_agent_port, 5160);
	CHECK_INT(a->n_user_agent_ports, 3);
	CHECK_INT(a->user_agent_ports[0], 5161);
	CHECK_INT(a->user_agent_ports[1], 5162);
	CHECK_INT(a->user_agent_ports[2], 5163);
	CHECK(a->keepalive_enable);
	CHECK_INT(a->keepalive_expires, 15);
	CHECK_STR(a->keepalive_server, "2001:db8::7");
	CHECK_INT(a->keepalive_server_port, 3478);
	CHECK_INT(a->keepalive_msg_type, NATKEEP_MSG_CUSTOM);
	CHECK_STR(a->custom_keepalive_msg, "mtd=NOTIFY;event=check-sync;user=2000");
}

/* Each of X_KeepAliveMsgType's six names, and the other enumerations. */
static void names_of_enumerations(void)
{
	static const struct {
		const char *name;
		unsigned int type;
	} types[] = {
		{ "keep-alive", NATKEEP_MSG_KEEPALIVE }, { "empty", NATKEEP_MSG_EMPTY },
		{ "stun", NATKEEP_MSG_STUN }, { "options", NATKEEP_MSG_OPTIONS },
		{ "notify", NATKEEP_MSG_NOTIFY },
	};
	static const char *const levels[] = {
		"err", "warning", "notice", "info", "debug",
	};
	char text[256];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		snprintf(text, sizeof(text), "[SP1 Service]\nEnable = false\n"
			 "X_KeepAliveMsgType = %s\n", types[i].name);
		CHECK_OK(text);
		CHECK_INT(cfg.accounts[0].keepalive_msg_type, types[i].type);
	}
	for (i = 0; i < ARRAY_SIZE(levels); i++) {
		snprintf(text, sizeof(text), "[natkeepd]\nLogLevel = %s\n", levels[i]);
		CHECK_OK(text);
		CHECK_INT(cfg.agent.log_level, i);
	}
	for (i = 0; i < NKD_MAX_PROFILES; i++) {
		snprintf(text, sizeof(text), "[SP1 Service]\nEnable = false\n"
			 "X_ServProvProfile = %c\n", (char)('A' + i));
		CHECK_OK(text);
		CHECK_INT(cfg.accounts[0].profile, i);
	}
	CHECK_OK("[natkeepd]\nRequireModule = FALSE\n");
	CHECK(!cfg.agent.require_module);
	CHECK_OK("[SP1 Service]\nEnable = False\n");
	CHECK(!cfg.accounts[0].enable);
}

/* Every section name there is, and nothing else. */
static void section_names(void)
{
	char text[256];
	unsigned int i;

	for (i = 0; i < NKD_MAX_PROFILES; i++) {
		snprintf(text, sizeof(text), "[ITSP Profile %c - SIP]\n", (char)('A' + i));
		CHECK_OK(text);
		CHECK(cfg.profiles[i].present);
	}
	for (i = 0; i < NKD_MAX_ACCOUNTS; i++) {
		snprintf(text, sizeof(text), "[SP%u Service]\nEnable = false\n", i + 1);
		CHECK_OK(text);
		CHECK(cfg.accounts[i].present);
	}
	/* Blanks inside the brackets are trimmed, like those around names. */
	CHECK_OK("[ natkeepd ]\nLogLevel = err\n");
	CHECK_ERR("# a comment\n\n[SP9 Service]\n",
		  "natkeepd.conf:3: [SP9 Service]: unknown section (SP1..SP8 Service, ITSP Profile A..H - SIP, natkeepd)");
	CHECK_ERR("[SP0 Service]\n",
		  "natkeepd.conf:1: [SP0 Service]: unknown section (SP1..SP8 Service, ITSP Profile A..H - SIP, natkeepd)");
	CHECK_ERR("[ITSP Profile I - SIP]\n",
		  "natkeepd.conf:1: [ITSP Profile I - SIP]: unknown section (SP1..SP8 Service, ITSP Profile A..H - SIP, natkeepd)");
	CHECK_ERR("[sp1 service]\n",
		  "natkeepd.conf:1: [sp1 service]: unknown section (SP1..SP8 Service, ITSP Profile A..H - SIP, natkeepd)");
	CHECK_ERR("[ITSP Profile A]\n",
		  "natkeepd.conf:1: [ITSP Profile A]: unknown section (SP1..SP8 Service, ITSP Profile A..H - SIP, natkeepd)");
	CHECK_ERR("[]\n",
		  "natkeepd.conf:1: []: unknown section (SP1..SP8 Service, ITSP Profile A..H - SIP, natkeepd)");
}

static void section_errors(void)
{
	CHECK_ERR("[natkeepd]\nLogLevel = info\n[natkeepd]\n",
		  "natkeepd.conf:3: [natkeepd]: duplicate section (first at line 1)");
	CHECK_ERR(PROFILE_A SP1 "\n[SP1 Service]\n",
		  "natkeepd.conf:6: [SP1 Service]: duplicate section (first at line 3)");
	CHECK_ERR("[SP1 Service\n",
		  "natkeepd.conf:1: [SP1 Service: no ']' to end the section header");
	CHECK_ERR("[SP1 Service] # my line\n",
		  "natkeepd.conf:1: [SP1 Service] # my line: text after ']' (comments go on lines of their own)");
	CHECK_ERR("ProxyServer = sip.example.com\n[ITSP Profile A - SIP]\n",
		  "natkeepd.conf:1: ProxyServer: outside any section (a [section] header must come first)");
	/* An unknown section does not swallow what follows into the last one. */
	CHECK_ERR("[natkeepd]\n[natkeepd2]\nLogLevel = info\n",
		  "natkeepd.conf:2: [natkeepd2]: unknown section (SP1..SP8 Service, ITSP Profile A..H - SIP, natkeepd)");
}

static void line_errors(void)
{
	char *text;

	CHECK_ERR("[natkeepd]\nLogLevel debug\n",
		  "natkeepd.conf:2: LogLevel debug: no '=' (expected Name = value)");
	CHECK_ERR("[natkeepd]\n= debug\n",
		  "natkeepd.conf:2: = debug: no parameter name before '='");
	/* What the message shows of a long line is cut short. */
	CHECK_ERR("[natkeepd]\nLogLevel is what I would like to set to debug, please\n",
		  "natkeepd.conf:2: LogLevel is what I would like to set to ...: no '=' (expected Name = value)");
	CHECK_ERR("[natkeepd]\nLog\tLevel\n",
		  "natkeepd.conf:2: Log?Level: no '=' (expected Name = value)");

	CHECK_INT(PARSE_ARRAY("[natkeepd]\nLog\0Level = info\n"), -1);
	CHECK_STR(err, "natkeepd.conf:2: NUL byte in the file (not a text file?)");
	CHECK_INT(PARSE_ARRAY("[natkeepd]\n# \0\n"), -1);
	CHECK_STR(err, "natkeepd.conf:2: NUL byte in the file (not a text file?)");

	/* 1023 characters are a line; 1024 are too many, CR or not. */
	text = malloc(2048);
	memset(text, ' ', 2048);
	memcpy(text, "[natkeepd]\n#", 12);
	memcpy(text + 11 + 1023, "\n", 1);
	CHECK_INT(parse_len(text, 11 + 1023 + 1), 0);
	memcpy(text + 11 + 1023, "\r\n", 2);
	CHECK_INT(parse_len(text, 11 + 1023 + 2), 0);
	memcpy(text + 11 + 1023, " \n", 2);
	CHECK_INT(parse_len(text, 11 + 1024 + 1), -1);
	CHECK_STR(err, "natkeepd.conf:2: line too long (at most 1023 characters)");
	/* ... also as the last line, without a newline. */
	CHECK_INT(parse_len(text, 11 + 1024), -1);
	CHECK_STR(err, "natkeepd.conf:2: line too long (at most 1023 characters)");
	free(text);
}

static void parameter_errors(void)
{
	CHECK_ERR("[ITSP Profile A - SIP]\nProxyServr = sip.example.com\n",
		  "natkeepd.conf:2: ProxyServr: unknown parameter in [ITSP Profile A - SIP]");
	CHECK_ERR("[ITSP Profile A - SIP]\nproxyserver = sip.example.com\n",
		  "natkeepd.conf:2: proxyserver: unknown parameter in [ITSP Profile A - SIP] (did you mean ProxyServer? names are case-sensitive)");
	CHECK_ERR("[ITSP Profile A - SIP]\nX_KeepAliveEnable = true\n",
		  "natkeepd.conf:2: X_KeepAliveEnable: unknown parameter in [ITSP Profile A - SIP]; it belongs in [SP1..SP8 Service]");
	CHECK_ERR("[SP2 Service]\nLogLevel = info\n",
		  "natkeepd.conf:2: LogLevel: unknown parameter in [SP2 Service]; it belongs in [natkeepd]");
	CHECK_ERR("[natkeepd]\nRegisterExpires = 60\n",
		  "natkeepd.conf:2: RegisterExpires: unknown parameter in [natkeepd]; it belongs in [ITSP Profile A..H - SIP]");
	CHECK_ERR("[natkeepd]\nLogLevel = info\n\nLogLevel = debug\n",
		  "natkeepd.conf:4: LogLevel: set twice (first at line 2)");
	/* An empty value is a setting too (of the default). */
	CHECK_ERR(PROFILE_A "ProxyServer =\n",
		  "natkeepd.conf:3: ProxyServer: set twice (first at line 2)");
	/* ... but the same name in two sections is two parameters. */
	CHECK_OK(PROFILE_A "[ITSP Profile B - SIP]\nProxyServer = sip.example.com\n");
}

static void value_errors(void)
{
	CHECK_ERR("[natkeepd]\nRequireModule = yes\n",
		  "natkeepd.conf:2: RequireModule: \"yes\" is not true or false");
	CHECK_ERR("[natkeepd]\nRequireModule = 1\n",
		  "natkeepd.conf:2: RequireModule: \"1\" is not true or false");
	CHECK_ERR("[natkeepd]\nTransactionTimeout = 1\n",
		  "natkeepd.conf:2: TransactionTimeout: \"1\" is out of range (2..64 seconds)");
	CHECK_ERR("[natkeepd]\nTransactionTimeout = 65\n",
		  "natkeepd.conf:2: TransactionTimeout: \"65\" is out of range (2..64 seconds)");
	CHECK_ERR("[natkeepd]\nTransactionTimeout = 8s\n",
		  "natkeepd.conf:2: TransactionTimeout: \"8s\" is not a number (2..64 seconds)");
	CHECK_ERR("[natkeepd]\nTransactionTimeout = -8\n",
		  "natkeepd.conf:2: TransactionTimeout: \"-8\" is not a number (2..64 seconds)");
	CHECK_ERR("[natkeepd]\nTransactionTimeout = +8\n",
		  "natkeepd.conf:2: TransactionTimeout: \"+8\" is not a number (2..64 seconds)");
	CHECK_ERR("[natkeepd]\nTransactionTimeout = 99999999999999999999999\n",
		  "natkeepd.conf:2: TransactionTimeout: \"99999999999999999999999\" is out of range (2..64 seconds)");
	CHECK_ERR("[natkeepd]\nLogLevel = verbose\n",
		  "natkeepd.conf:2: LogLevel: \"verbose\" is not a log level (err|warning|notice|info|debug)");
	CHECK_ERR("[natkeepd]\nLogLevel = Debug\n",
		  "natkeepd.conf:2: LogLevel: \"Debug\" is not a log level (err|warning|notice|info|debug)");
	CHECK_ERR("[natkeepd]\nControlSocket = run/natkeepd.sock\n",
		  "natkeepd.conf:2: ControlSocket: \"run/natkeepd.sock\" is not an absolute path");
	CHECK_ERR("[natkeepd]\nServerChangeHook = hook.sh\n",
		  "natkeepd.conf:2: ServerChangeHook: \"hook.sh\" is not an absolute path");
	CHECK_ERR("[natkeepd]\nResolvConf = \"/etc/resolv\x01.conf\"\n",
		  "natkeepd.conf:2: ResolvConf: \"/etc/resolv?.conf\" has control characters");

	CHECK_ERR(PROFILE_A "RegisterExpires = 9\n",
		  "natkeepd.conf:3: RegisterExpires: \"9\" is out of range (10..86400 seconds)");
	CHECK_ERR(PROFILE_A "X_CheckPrimaryServerInterval = 86401\n",
		  "natkeepd.conf:3: X_CheckPrimaryServerInterval: \"86401\" is out of range (5..86400 seconds)");
	CHECK_ERR(PROFILE_A "ProxyServerPort = 0\n",
		  "natkeepd.conf:3: ProxyServerPort: \"0\" is not a port (1..65535)");
	CHECK_ERR(PROFILE_A "RegistrarServerPort = 65536\n",
		  "natkeepd.conf:3: RegistrarServerPort: \"65536\" is not a port (1..65535)");
	CHECK_ERR(PROFILE_A "OutboundProxyPort = sip\n",
		  "natkeepd.conf:3: OutboundProxyPort: \"sip\" is not a port (1..65535)");
	CHECK_ERR(PROFILE_A "X_ProxyServerRedundancy = on\n",
		  "natkeepd.conf:3: X_ProxyServerRedundancy: \"on\" is not true or false");

	CHECK_ERR(SP1 "X_ServProvProfile = I\n",
		  "natkeepd.conf:3: X_ServProvProfile: \"I\" is not a profile (A..H)");
	CHECK_ERR(SP1 "X_ServProvProfile = a\n",
		  "natkeepd.conf:3: X_ServProvProfile: \"a\" is not a profile (A..H)");
	CHECK_ERR(SP1 "X_ServProvProfile = AB\n",
		  "natkeepd.conf:3: X_ServProvProfile: \"AB\" is not a profile (A..H)");
	CHECK_ERR("[SP1 Service]\nAuthUserName = 10 01\n",
		  "natkeepd.conf:2: AuthUserName: \"10 01\" is not a SIP user (letters, digits, -_.!~*'()&=+$,;?/ and %XX escapes)");
	CHECK_ERR("[SP1 Service]\nAuthUserName = 1001@example.com\n",
		  "natkeepd.conf:2: AuthUserName: \"1001@example.com\" is not a SIP user (letters, digits, -_.!~*'()&=+$,;?/ and %XX escapes)");
	CHECK_ERR(SP1 "X_UserAgentPort = 0\n",
		  "natkeepd.conf:3: X_UserAgentPort: \"0\" is not a port (1..65535)");
	CHECK_ERR(SP1 "X_KeepAliveEnable = enabled\n",
		  "natkeepd.conf:3: X_KeepAliveEnable: \"enabled\" is not true or false");
	CHECK_ERR(SP1 "X_KeepAliveExpires = 0\n",
		  "natkeepd.conf:3: X_KeepAliveExpires: \"0\" is out of range (1..3600 seconds)");
	CHECK_ERR(SP1 "X_KeepAliveExpires = 3601\n",
		  "natkeepd.conf:3: X_KeepAliveExpires: \"3601\" is out of range (1..3600 seconds)");
	CHECK_ERR(SP1 "X_KeepAliveServerPort = 70000\n",
		  "natkeepd.conf:3: X_KeepAliveServerPort: \"70000\" is not a port (1..65535, or 0 for the server's)");
	CHECK_ERR(SP1 "X_KeepAliveMsgType = ping\n",
		  "natkeepd.conf:3: X_KeepAliveMsgType: \"ping\" is not a message type (keep-alive|empty|stun|custom|options|notify)");
	CHECK_ERR(SP1 "X_KeepAliveMsgType = Keep-Alive\n",
		  "natkeepd.conf:3: X_KeepAliveMsgType: \"Keep-Alive\" is not a message type (keep-alive|empty|stun|custom|options|notify)");
	CHECK_ERR(SP1 "X_CustomKeepAliveMsg = mtd=OPTIONS;event=x\n",
		  "natkeepd.conf:3: X_CustomKeepAliveMsg: \"mtd=OPTIONS;event=x\": custom spec: event: only allowed with mtd=NOTIFY");
	CHECK_ERR(SP1 "X_CustomKeepAliveMsg = event=x\n",
		  "natkeepd.conf:3: X_CustomKeepAliveMsg: \"event=x\": custom spec: mtd: missing (the SIP method is required)");
	CHECK_ERR(SP1 "X_CustomKeepAliveMsg = mtd=PING; user=bob\n",
		  "natkeepd.conf:3: X_CustomKeepAliveMsg: \"mtd=PING; user=bob\": custom spec: unknown field (expected mtd, event or user)");
	CHECK_ERR(SP1 "AuthPassword = \"a\tb\"\n",
		  "natkeepd.conf:3: AuthPassword: not printable text (control characters or bad UTF-8)");
	CHECK_ERR(SP1 "AuthPassword = \xff\xfe\n",
		  "natkeepd.conf:3: AuthPassword: not printable text (control characters or bad UTF-8)");
	/* A UTF-8 password is text. */
	CHECK_OK(PROFILE_A SP1 "AuthPassword = p\xc3\xa4ss\n");
	CHECK_STR(cfg.accounts[0].auth_password, "p\xc3\xa4ss");
}

static void hosts(void)
{
	static const struct {
		const char *value, *stored;
	} good[] = {
		{ "sip.example.com", "sip.example.com" },
		{ "sip.example.com.", "sip.example.com." },
		{ "localhost", "localhost" },
		{ "voip-1.example.net", "voip-1.example.net" },
		{ "192.0.2.10", "192.0.2.10" },
		{ "2001:db8::10", "2001:db8::10" },
		{ "[2001:db8::10]", "2001:db8::10" },
		{ "::ffff:192.0.2.1", "::ffff:192.0.2.1" },
	};
	static const char *const bad[] = {
		"sip..example.com", "-sip.example.com", "sip_1.example.com",
		"192.0.2.300", "sip example.com", "[192.0.2.10]", "[2001:db8::10",
		"2001:db8:::10", "[2001:db8::10]x", "sip.example.com:", ":5060",
		"sip.example.com:sip",
	};
	char text[512], want[512];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(good); i++) {
		snprintf(text, sizeof(text), PROFILE_A "OutboundProxy = %s\n",
			 good[i].value);
		CHECK_OK(text);
		CHECK_STR(cfg.profiles[0].outbound_proxy, good[i].stored);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(text, sizeof(text), PROFILE_A "OutboundProxy = %s\n", bad[i]);
		snprintf(want, sizeof(want),
			 "natkeepd.conf:3: OutboundProxy: \"%s\" is not a host name or IP address",
			 bad[i]);
		CHECK_ERR(text, want);
	}
	/* No port in a host: each has a parameter of its own. */
	CHECK_ERR(PROFILE_A "RegistrarServer = sip.example.com:5080\n",
		  "natkeepd.conf:3: RegistrarServer: \"sip.example.com:5080\" has a port: give it in RegistrarServerPort");
	CHECK_ERR("[ITSP Profile A - SIP]\nProxyServer = 192.0.2.10:5060\n",
		  "natkeepd.conf:2: ProxyServer: \"192.0.2.10:5060\" has a port: give it in ProxyServerPort");
	CHECK_ERR(PROFILE_A "OutboundProxy = [2001:db8::5]:5060\n",
		  "natkeepd.conf:3: OutboundProxy: \"[2001:db8::5]:5060\" has a port: give it in OutboundProxyPort");
	CHECK_ERR(SP1 "X_KeepAliveServer = stun.example.com:3478\n",
		  "natkeepd.conf:3: X_KeepAliveServer: \"stun.example.com:3478\" has a port: give it in X_KeepAliveServerPort");
}

/* Every string has its limit, and the message says it. */
static void over_long_values(void)
{
	char text[2048];

	snprintf(text, sizeof(text), "[SP1 Service]\nAuthUserName = %065d\n", 1);
	CHECK_ERR(text, "natkeepd.conf:2: AuthUserName: too long (at most 64 characters)");
	snprintf(text, sizeof(text), PROFILE_A SP1 "URI = %064d\n", 1);
	CHECK_OK(text);
	CHECK_INT(strlen(nkd_account_user(&cfg.accounts[0])), 64);
	snprintf(text, sizeof(text), SP1 "URI = sip:%065d@example.com\n", 1);
	CHECK_ERR(text, "natkeepd.conf:3: URI: too long (at most 64 characters)");

	snprintf(text, sizeof(text), "[ITSP Profile A - SIP]\nProxyServer = %0252d.com\n", 0);
	CHECK_ERR(text, "natkeepd.conf:2: ProxyServer: too long (at most 255 characters)");
	/* 255 is fine: labels of 63. */
	snprintf(text, sizeof(text),
		 "[ITSP Profile A - SIP]\nProxyServer = %s.%s.%s.%.63s\n",
		 "a123456789012345678901234567890123456789012345678901234567890bc",
		 "a123456789012345678901234567890123456789012345678901234567890bc",
		 "a123456789012345678901234567890123456789012345678901234567890bc",
		 "a123456789012345678901234567890123456789012345678901234567890bc");
	CHECK_OK(text);
	CHECK_INT(strlen(cfg.profiles[0].proxy_server), 255);

	memset(text, 0, sizeof(text));
	strcpy(text, PROFILE_A SP1 "AuthPassword = ");
	memset(text + strlen(text), 'x', 129);
	CHECK_ERR(text, "natkeepd.conf:5: AuthPassword: too long (at most 128 bytes)");
	text[strlen(text) - 1] = '\0';
	CHECK_OK(text);
	CHECK_INT(strlen(cfg.accounts[0].auth_password), 128);

	memset(text, 0, sizeof(text));
	strcpy(text, "[natkeepd]\nControlSocket = /");
	memset(text + strlen(text), 's', 107);
	CHECK_ERR(text, "natkeepd.conf:2: ControlSocket: too long (at most 107 characters)");
	text[strlen(text) - 1] = '\0';
	CHECK_OK(text);

	memset(text, 0, sizeof(text));
	strcpy(text, "[natkeepd]\nServerChangeHook = /");
	memset(text + strlen(text), 'h', 255);
	CHECK_ERR(text, "natkeepd.conf:2: ServerChangeHook: too long (at most 255 characters)");
	text[strlen(text) - 1] = '\0';
	CHECK_OK(text);
	CHECK_INT(strlen(cfg.agent.server_change_hook), 255);

	/* The custom spec's own limit and message. */
	memset(text, 0, sizeof(text));
	strcpy(text, SP1 "X_CustomKeepAliveMsg = mtd=PING;user=");
	memset(text + strlen(text), 'u', 250);
	CHECK_ERR(text, "natkeepd.conf:3: X_CustomKeepAliveMsg: \"mtd=PING;user=uuuuuuuuuuuuuuuuuuuuuuuuuu...\": custom spec: too long (at most 256 characters)");
}

static void quoting(void)
{
	const struct nkd_account_config *a = &cfg.accounts[0];

	CHECK_OK(PROFILE_A SP1 "AuthPassword = \"  two words  \"\n");
	CHECK_STR(a->auth_password, "  two words  ");
	CHECK_OK(PROFILE_A SP1 "AuthPassword = \"#not a comment\"\n");
	CHECK_STR(a->auth_password, "#not a comment");
	/* Unquoted, only the blanks around it go. */
	CHECK_OK(PROFILE_A SP1 "AuthPassword =  \t in side \t \n");
	CHECK_STR(a->auth_password, "in side");
	CHECK_OK(PROFILE_A SP1 "AuthPassword = #hash\n");
	CHECK_STR(a->auth_password, "#hash");
	/* Quotes inside are kept: there are no escapes. */
	CHECK_OK(PROFILE_A SP1 "AuthPassword = \"say \"hi\"\"\n");
	CHECK_STR(a->auth_password, "say \"hi\"");
	CHECK_OK(PROFILE_A SP1 "AuthPassword = it\"s\n");
	CHECK_STR(a->auth_password, "it\"s");
	/* "" is empty: the default. */
	CHECK_OK(PROFILE_A SP1 "X_KeepAliveMsgType = \"\"\nX_UserAgentPort = \"5070\"\n");
	CHECK_INT(a->keepalive_msg_type, NATKEEP_MSG_KEEPALIVE);
	CHECK_INT(a->user_agent_port, 5070);
	CHECK_ERR(SP1 "AuthPassword = \"secret\n",
		  "natkeepd.conf:3: AuthPassword: unterminated quote (a value that starts with \" must end with \")");
	CHECK_ERR(SP1 "AuthPassword = \"\n",
		  "natkeepd.conf:3: AuthPassword: unterminated quote (a value that starts with \" must end with \")");
	CHECK_ERR(PROFILE_A SP1 "AuthPassword = \"secret\" \"\n", "(accepted)");
	CHECK_STR(a->auth_password, "secret\" ");
}

/* ';' starts a comment line only: custom specs are full of them. */
static void comments_and_semicolons(void)
{
	const struct nkd_account_config *a = &cfg.accounts[0];

	CHECK_OK("; profile\n" PROFILE_A "# account\n" SP1
		 "  ; X_KeepAliveMsgType = stun\n"
		 "X_KeepAliveMsgType = custom\n"
		 "X_CustomKeepAliveMsg = mtd=NOTIFY;event=check-sync;user=2000;\n"
		 "\t# X_CustomKeepAliveMsg = mtd=PING\n");
	CHECK_INT(a->keepalive_msg_type, NATKEEP_MSG_CUSTOM);
	CHECK_STR(a->custom_keepalive_msg, "mtd=NOTIFY;event=check-sync;user=2000;");
	/* No inline comments: this '#' is in the value, and not a user. */
	CHECK_ERR(SP1 "URI = 1001 # main line\n",
		  "natkeepd.conf:3: URI: \"1001 # main line\" is not a SIP user (letters, digits, -_.!~*'()&=+$,;?/ and %XX escapes), nor sip:USER@HOST");
	/* A SIP user may hold ';' too. */
	CHECK_OK(PROFILE_A "[SP1 Service]\nAuthUserName = 1001;isub=2\n");
	CHECK_STR(cfg.accounts[0].auth_user, "1001;isub=2");
}

/* CRLF files, a UTF-8 byte order mark, no newline at the end. */
static void line_endings(void)
{
	CHECK_OK("\xef\xbb\xbf[ITSP Profile A - SIP]\r\nProxyServer = sip.example.com\r\n"
		 "\r\n[SP1 Service]\r\nAuthUserName = 1001\r\nAuthPassword = \"x \"\r\n"
		 "X_UserAgentPort = 5070");
	CHECK_STR(cfg.profiles[0].proxy_server, "sip.example.com");
	CHECK_STR(cfg.accounts[0].auth_password, "x ");
	CHECK_INT(cfg.accounts[0].user_agent_port, 5070);
	CHECK_INT(cfg.accounts[0].line, 4);
	CHECK_ERR("\r\n\r\n[natkeepd]\r\nLogLevel = loud\r\n",
		  "natkeepd.conf:4: LogLevel: \"loud\" is not a log level (err|warning|notice|info|debug)");
}

static void uri_forms(void)
{
	const struct nkd_account_config *a = &cfg.accounts[0];

	CHECK_OK(PROFILE_A SP1 "URI = sip:2001@voip.example.net\n");
	CHECK_STR(a->uri_user, "2001");
	CHECK_STR(nkd_account_user(a), "2001");
	CHECK_OK(PROFILE_A SP1 "URI = SIP:2001@[2001:db8::1]:5060\n");
	CHECK_STR(a->uri_user, "2001");
	CHECK_OK(PROFILE_A SP1 "URI = 2002\n");
	CHECK_STR(nkd_account_user(a), "2002");
	CHECK_STR(a->auth_user, "1001");
	CHECK_OK(PROFILE_A SP1 "URI =\n");
	CHECK_STR(a->uri_user, "");
	CHECK_STR(nkd_account_user(a), "1001");
	CHECK_ERR(SP1 "URI = sip:voip.example.net\n",
		  "natkeepd.conf:3: URI: \"sip:voip.example.net\" has no user (expected sip:USER@HOST)");
	CHECK_ERR(SP1 "URI = sip:@voip.example.net\n",
		  "natkeepd.conf:3: URI: \"sip:@voip.example.net\" has no user (expected sip:USER@HOST)");
	CHECK_ERR(SP1 "URI = sip:2001@\n",
		  "natkeepd.conf:3: URI: \"sip:2001@\": the host is not a host name or IP address");
	CHECK_ERR(SP1 "URI = sips:2001@voip.example.net\n",
		  "natkeepd.conf:3: URI: \"sips:2001@voip.example.net\" is not a SIP user (letters, digits, -_.!~*'()&=+$,;?/ and %XX escapes), nor sip:USER@HOST");
}

static void user_agent_ports(void)
{
	const struct nkd_account_config *a = &cfg.accounts[0];

	CHECK_OK(PROFILE_A SP1 "X_UserAgentPorts = 5070\n");
	CHECK_INT(a->n_user_agent_ports, 1);
	CHECK_INT(a->user_agent_ports[0], 5070);
	CHECK_OK(PROFILE_A SP1
		 "X_UserAgentPorts = 5070,5071, 5072 , 5073,\t5074,5075,5076,5077,5078,5079\n");
	CHECK_INT(a->n_user_agent_ports, 10);
	CHECK_INT(a->user_agent_ports[9], 5079);
	/* Its own X_UserAgentPort may be in the cycle. */
	CHECK_OK(PROFILE_A SP1 "X_UserAgentPorts = 5060, 5070\n");
	CHECK_INT(a->n_user_agent_ports, 2);
	CHECK_ERR(SP1 "X_UserAgentPorts = 5070,5071,5072,5073,5074,5075,5076,5077,5078,5079,5080\n",
		  "natkeepd.conf:3: X_UserAgentPorts: more than 10 ports");
	CHECK_ERR(SP1 "X_UserAgentPorts = 5070, 5071, 5070\n",
		  "natkeepd.conf:3: X_UserAgentPorts: port 5070 is listed twice");
	CHECK_ERR(SP1 "X_UserAgentPorts = 5070,,5071\n",
		  "natkeepd.conf:3: X_UserAgentPorts: empty entry in the list (a comma too many?)");
	CHECK_ERR(SP1 "X_UserAgentPorts = 5070,\n",
		  "natkeepd.conf:3: X_UserAgentPorts: empty entry in the list (a comma too many?)");
	CHECK_ERR(SP1 "X_UserAgentPorts = 5070, 50 71\n",
		  "natkeepd.conf:3: X_UserAgentPorts: \"50 71\" is not a port (1..65535)");
	CHECK_ERR(SP1 "X_UserAgentPorts = 5070 5071\n",
		  "natkeepd.conf:3: X_UserAgentPorts: \"5070 5071\" is not a port (1..65535)");
	CHECK_ERR(SP1 "X_UserAgentPorts = 0\n",
		  "natkeepd.conf:3: X_UserAgentPorts: \"0\" is not a port (1..65535)");
}

static void keepalive_server_port_zero(void)
{
	CHECK_OK(PROFILE_A SP1 "X_KeepAliveServerPort = 0\n");
	CHECK_INT(cfg.accounts[0].keepalive_server_port, 0);
	CHECK_OK(PROFILE_A SP1 "X_KeepAliveServerPort = 65535\n");
	CHECK_INT(cfg.accounts[0].keepalive_server_port, 65535);
}

static void cross_check_errors(void)
{
	CHECK_ERR(PROFILE_A "[SP1 Service]\nURI = 1001\n",
		  "natkeepd.conf:3: AuthUserName: required when SP1 is enabled");
	CHECK_ERR(PROFILE_A "[SP1 Service]\nEnable = true\nAuthUserName =\n",
		  "natkeepd.conf:3: AuthUserName: required when SP1 is enabled");
	CHECK_ERR("[SP2 Service]\nAuthUserName = 1002\n",
		  "natkeepd.conf:1: X_ServProvProfile: no [ITSP Profile B - SIP] in the file (the default for SP2)");
	CHECK_ERR(PROFILE_A SP1 "X_ServProvProfile = C\n",
		  "natkeepd.conf:5: X_ServProvProfile: no [ITSP Profile C - SIP] in the file");
	CHECK_ERR("[ITSP Profile A - SIP]\nRegisterExpires = 300\n" SP1,
		  "natkeepd.conf:1: ProxyServer: required (or RegistrarServer): SP1 registers through [ITSP Profile A - SIP]");
	CHECK_ERR(PROFILE_A SP1 "X_KeepAliveMsgType = custom\n",
		  "natkeepd.conf:5: X_CustomKeepAliveMsg: required when X_KeepAliveMsgType is custom");
	/* That one is wrong even in an account that is off. */
	CHECK_ERR("[SP1 Service]\nEnable = false\nX_KeepAliveMsgType = custom\n",
		  "natkeepd.conf:3: X_CustomKeepAliveMsg: required when X_KeepAliveMsgType is custom");
	/* The others only matter to an account in use. */
	CHECK_OK("[SP1 Service]\nEnable = false\n");
	CHECK(!cfg.accounts[0].enable);
	CHECK_OK("[ITSP Profile A - SIP]\n[SP1 Service]\nEnable = false\n");
	/* A profile no enabled account uses needs no server. */
	CHECK_OK(PROFILE_A SP1 "[ITSP Profile B - SIP]\nRegisterExpires = 120\n");
	/* RegistrarServer alone is a server. */
	CHECK_OK("[ITSP Profile A - SIP]\nRegistrarServer = 192.0.2.10\n" SP1);
}

#define SP2_ON_A	"[SP2 Service]\nAuthUserName = 1002\nX_ServProvProfile = A\n"

static void local_port_conflicts(void)
{
	/* SP1 5060 and SP2 5061 by default: no conflict. */
	CHECK_OK(PROFILE_A SP1 SP2_ON_A);
	CHECK_INT(cfg.accounts[1].user_agent_port, 5061);
	CHECK_ERR(PROFILE_A SP1 SP2_ON_A "X_UserAgentPort = 5060\n",
		  "natkeepd.conf:8: X_UserAgentPort: 5060 is also SP1's X_UserAgentPort (line 3)");
	CHECK_ERR(PROFILE_A SP1 "X_UserAgentPort = 5061\n" SP2_ON_A,
		  "natkeepd.conf:6: X_UserAgentPort: 5061 (the default for SP2) is also SP1's X_UserAgentPort (line 5)");
	CHECK_ERR(PROFILE_A SP1 "X_UserAgentPorts = 5070, 5061\n" SP2_ON_A,
		  "natkeepd.conf:6: X_UserAgentPort: 5061 (the default for SP2) is also SP1's X_UserAgentPorts (line 5)");
	CHECK_ERR(PROFILE_A SP1 SP2_ON_A "X_UserAgentPorts = 5080, 5060\n",
		  "natkeepd.conf:8: X_UserAgentPorts: 5060 is also SP1's X_UserAgentPort (line 3)");
	CHECK_ERR(PROFILE_A SP1 "X_UserAgentPorts = 5070, 5080\n" SP2_ON_A
		  "X_UserAgentPorts = 5090, 5080\n",
		  "natkeepd.conf:9: X_UserAgentPorts: 5080 is also SP1's X_UserAgentPorts (line 5)");
	/* An account that is off binds nothing. */
	CHECK_OK(PROFILE_A SP1 SP2_ON_A "X_UserAgentPort = 5060\nEnable = false\n");
	CHECK_OK(PROFILE_A "[SP1 Service]\nEnable = false\nX_UserAgentPort = 5061\n" SP2_ON_A);
	/* Reported at the later account, against the earliest. */
	CHECK_ERR(PROFILE_A SP1 SP2_ON_A "X_UserAgentPort = 5060\n"
		  "[SP3 Service]\nAuthUserName = 1003\nX_ServProvProfile = A\nX_UserAgentPort = 5060\n",
		  "natkeepd.conf:8: X_UserAgentPort: 5060 is also SP1's X_UserAgentPort (line 3)");
}

static void local_proxy(void)
{
	const struct nkd_account_config *a = &cfg.accounts[0];

	CHECK_OK(PROFILE_A SP1);
	CHECK(!a->local_proxy.set);
	CHECK(!a->local_user_agent.set);
	CHECK(cfg.profiles[0].accept_sip_from_registrar_only);
	CHECK_OK(PROFILE_A "X_AcceptSipFromRegistrarOnly = false\n" SP1
		 "X_LocalProxy = 127.0.0.1:5070\nX_LocalUserAgent = [::1]:5080\n");
	CHECK(!cfg.profiles[0].accept_sip_from_registrar_only);
	CHECK(a->local_proxy.set);
	CHECK_INT(a->local_proxy.ep.family, AF_INET);
	CHECK_INT(a->local_proxy.ep.port, 5070);
	CHECK(a->local_user_agent.set);
	CHECK_INT(a->local_user_agent.ep.family, AF_INET6);
	CHECK_INT(a->local_user_agent.ep.port, 5080);
	/* An address, not a name: it is bound before DNS is asked anything. */
	CHECK_ERR(PROFILE_A SP1 "X_LocalProxy = localhost:5070\n",
		  "natkeepd.conf:5: X_LocalProxy: \"localhost:5070\": bad IPv4 address \"localhost\"");
	CHECK_ERR(PROFILE_A SP1 "X_LocalProxy = 127.0.0.1\n",
		  "natkeepd.conf:5: X_LocalProxy: \"127.0.0.1\": missing port, expected ADDR:PORT");
	CHECK_ERR(PROFILE_A SP1 "X_LocalUserAgent = 127.0.0.1:5080\n",
		  "natkeepd.conf:5: X_LocalUserAgent: needs X_LocalProxy, the address the UA sends to");
	/* The account's own socket binds its port on every address. */
	CHECK_ERR(PROFILE_A SP1 "X_LocalProxy = 127.0.0.1:5060\n",
		  "natkeepd.conf:5: X_LocalProxy: port 5060 is also SP1's X_UserAgentPort (the default for SP1), bound on every address");
	CHECK_ERR(PROFILE_A SP1 "X_UserAgentPorts = 5070\nX_LocalProxy = 127.0.0.1:5070\n",
		  "natkeepd.conf:6: X_LocalProxy: port 5070 is also SP1's X_UserAgentPorts, bound on every address");
	/* Another account's ports, either way round. */
	CHECK_ERR(PROFILE_A SP1 "X_LocalProxy = 127.0.0.1:5070\n" SP2_ON_A
		  "X_UserAgentPort = 5070\n",
		  "natkeepd.conf:9: X_UserAgentPort: 5070 is also SP1's X_LocalProxy (line 5)");
	CHECK_ERR(PROFILE_A SP1 "X_LocalProxy = 127.0.0.1:5070\n" SP2_ON_A
		  "X_LocalProxy = [::1]:5070\n",
		  "natkeepd.conf:9: X_LocalProxy: port 5070 is also SP1's X_LocalProxy (line 5)");
	CHECK_ERR(PROFILE_A SP1 SP2_ON_A "X_LocalProxy = 127.0.0.1:5060\n",
		  "natkeepd.conf:8: X_LocalProxy: port 5060 is also SP1's X_UserAgentPort (line 3)");
	CHECK_OK(PROFILE_A SP1 "X_LocalProxy = 127.0.0.1:5070\n" SP2_ON_A
		 "X_LocalProxy = 127.0.0.1:5071\n");
}

/* Two parses of the same account, for the reload comparisons. */
static struct nkd_config *parse_new(const char *text)
{
	struct nkd_config *c = calloc(1, sizeof(*c));

	if (nkd_config_parse(text, strlen(text), FILE_NAME, c, err, sizeof(err)))
		test_fail(__FILE__, __LINE__, "refused: %s", err);
	return c;
}

#define BASE	PROFILE_A SP1 "AuthPassword = pw\nX_KeepAliveEnable = true\n"

static bool same_registration(const char *a_text, const char *b_text)
{
	struct nkd_config *a = parse_new(a_text), *b = parse_new(b_text);
	bool same = nkd_account_same_registration(a, &a->accounts[0], b,
						  &b->accounts[0]);

	free(a);
	free(b);
	return same;
}

static bool same_keepalive(const char *a_text, const char *b_text)
{
	struct nkd_config *a = parse_new(a_text), *b = parse_new(b_text);
	bool same = nkd_account_same_keepalive(&a->accounts[0], &b->accounts[0]);

	free(a);
	free(b);
	return same;
}

static void reload_same_registration(void)
{
	static const char *const changes[] = {
		"ProxyServer = sip2.example.com\n", "ProxyServerPort = 5080\n",
		"RegistrarServer = reg.example.com\n", "RegistrarServerPort = 5070\n",
		"OutboundProxy = 192.0.2.1\n", "OutboundProxyPort = 5090\n",
		"RegisterExpires = 3600\n", "X_ProxyServerRedundancy = true\n",
		"X_SecondaryRegistration = true\n",
		"X_CheckPrimaryServerInterval = 120\n",
		"X_RegisterIncludeInstance = true\n",
		"X_AcceptSipFromRegistrarOnly = false\n",
	};
	static const char *const account_changes[] = {
		"Enable = false\n", "AuthUserName = 1002\n", "AuthPassword = pw2\n",
		"URI = 2001\n", "X_UserAgentPort = 5070\n", "X_UserAgentPorts = 5070\n",
		"X_LocalProxy = 127.0.0.1:5070\n",
	};
	char text[1024];
	size_t i;

	CHECK(same_registration(BASE, BASE));
	/* Comments, order, the default spelled out and keep-alives: no change. */
	CHECK(same_registration(BASE, "# reordered\n" SP1 "X_UserAgentPort = 5060\n"
				"AuthPassword = pw\nURI = 1001\n" PROFILE_A
				"RegisterExpires = 60\n"));
	CHECK(same_registration(BASE, BASE "X_KeepAliveExpires = 20\n"));
	/* The same servers under another letter. */
	CHECK(same_registration(BASE, "[ITSP Profile B - SIP]\nProxyServer = sip.example.com\n"
				SP1 "AuthPassword = pw\nX_ServProvProfile = B\n"));
	for (i = 0; i < ARRAY_SIZE(changes); i++) {
		snprintf(text, sizeof(text), "[SP1 Service]\nAuthUserName = 1001\n"
			 "AuthPassword = pw\n[ITSP Profile A - SIP]\n%s%s",
			 strncmp(changes[i], "ProxyServer =", 13) ?
			 "ProxyServer = sip.example.com\n" : "", changes[i]);
		if (same_registration(BASE, text))
			test_fail(__FILE__, __LINE__, "same after %s", changes[i]);
	}
	for (i = 0; i < ARRAY_SIZE(account_changes); i++) {
		snprintf(text, sizeof(text), PROFILE_A "[SP1 Service]\n%s%s%s",
			 strncmp(account_changes[i], "AuthUserName", 12) ?
			 "AuthUserName = 1001\n" : "",
			 strncmp(account_changes[i], "AuthPassword", 12) ?
			 "AuthPassword = pw\n" : "", account_changes[i]);
		if (same_registration(BASE, text))
			test_fail(__FILE__, __LINE__, "same after %s", account_changes[i]);
	}
	/* The port cycle's order is the order tried. */
	CHECK(!same_registration(BASE "X_UserAgentPorts = 5070, 5071\n",
				 BASE "X_UserAgentPorts = 5071, 5070\n"));
	CHECK(same_registration(BASE "X_UserAgentPorts = 5070, 5071\n",
				BASE "X_UserAgentPorts = 5070,5071\n"));
}

static void reload_same_keepalive(void)
{
	static const char *const changes[] = {
		"X_KeepAliveEnable = false\n", "X_KeepAliveExpires = 20\n",
		"X_KeepAliveServer = stun.example.com\n",
		"X_KeepAliveServerPort = 3478\n", "X_KeepAliveMsgType = stun\n",
	};
	char text[1024];
	size_t i;

	CHECK(same_keepalive(BASE, BASE));
	CHECK(same_keepalive(BASE, PROFILE_A SP1 "AuthPassword = other\n"
			     "X_KeepAliveEnable = true\nX_UserAgentPort = 5070\n"));
	CHECK(same_keepalive(BASE, PROFILE_A SP1 "X_KeepAliveEnable = true\n"
			     "X_KeepAliveExpires = 29\nURI = 2001\n"));
	for (i = 0; i < ARRAY_SIZE(changes); i++) {
		snprintf(text, sizeof(text), PROFILE_A SP1 "%s%s",
			 strncmp(changes[i], "X_KeepAliveEnable", 17) ?
			 "X_KeepAliveEnable = true\n" : "", changes[i]);
		if (same_keepalive(BASE, text))
			test_fail(__FILE__, __LINE__, "same after %s", changes[i]);
	}
	CHECK(!same_keepalive(BASE "X_KeepAliveMsgType = custom\nX_CustomKeepAliveMsg = mtd=PING\n",
			      BASE "X_KeepAliveMsgType = custom\nX_CustomKeepAliveMsg = mtd=PONG\n"));
}

static void load_errors(void)
{
	strcpy(err, "unset");
	CHECK_INT(nkd_config_load("/nonexistent/natkeepd.conf", &cfg, err, sizeof(err)), -1);
	CHECK_STR(err, "/nonexistent/natkeepd.conf: No such file or directory");
	CHECK_INT(nkd_config_load(".", &cfg, err, sizeof(err)), -1);
	CHECK_STR(err, ".: Is a directory");
}

/* From a file, the messages name it as given. */
static void load_a_file(void)
{
	char path[] = "/tmp/natkeepd-test-XXXXXX";
	static const char bad[] = PROFILE_A SP1 "X_KeepAliveExpires = 0\n";
	int fd = mkstemp(path);
	char want[128];

	CHECK(fd >= 0);
	if (fd < 0)
		return;
	CHECK_INT(write(fd, full_file, sizeof(full_file) - 1), sizeof(full_file) - 1);
	CHECK_INT(nkd_config_load(path, &cfg, err, sizeof(err)), 0);
	CHECK_STR(cfg.path, path);
	CHECK_STR(cfg.accounts[3].custom_keepalive_msg, "mtd=NOTIFY;event=check-sync;user=2000");
	CHECK(ftruncate(fd, 0) == 0);
	CHECK_INT(pwrite(fd, bad, sizeof(bad) - 1, 0), sizeof(bad) - 1);
	CHECK_INT(nkd_config_load(path, &cfg, err, sizeof(err)), -1);
	snprintf(want, sizeof(want),
		 "%s:5: X_KeepAliveExpires: \"0\" is out of range (1..3600 seconds)", path);
	CHECK_STR(err, want);
	close(fd);
	unlink(path);
}

/* The shipped example loads, and is what it says it is. */
static void example_config_loads(void)
{
	const struct nkd_profile *a = &cfg.profiles[0];
	const struct nkd_account_config *sp1 = &cfg.accounts[0];
	unsigned int i;

	strcpy(err, "unset");
	if (nkd_config_load(EXAMPLE_CONF, &cfg, err, sizeof(err))) {
		test_fail(__FILE__, __LINE__, "refused: %s", err);
		return;
	}
	CHECK(a->present);
	CHECK(a->proxy_server_redundancy);
	CHECK(a->proxy_server[0] >= 'a' && a->proxy_server[0] <= 'z');
	CHECK(sp1->present);
	CHECK(sp1->enable);
	CHECK_INT(sp1->profile, 0);
	CHECK(sp1->auth_user[0]);
	for (i = 1; i < NKD_MAX_PROFILES; i++)
		CHECK(!cfg.profiles[i].present);
	for (i = 1; i < NKD_MAX_ACCOUNTS; i++)
		CHECK(!cfg.accounts[i].present);
	/* The commented-out lines are the defaults: the agent's are untouched. */
	CHECK_STR(cfg.agent.control_socket, "/run/natkeepd.sock");
	CHECK_INT(cfg.agent.transaction_timeout_s, 8);
}

/* Every commented-out "# Name = value" of the example is valid when set. */
static void example_defaults_are_the_defaults(void)
{
	static struct nkd_config plain, uncommented;
	FILE *f = fopen(EXAMPLE_CONF, "r");
	char line[1100], *text = NULL;
	size_t len = 0, n = 0;
	FILE *out;

	if (!f) {
		test_fail(__FILE__, __LINE__, "%s: %s", EXAMPLE_CONF, strerror(errno));
		return;
	}
	out = open_memstream(&text, &len);
	while (fgets(line, sizeof(line), f)) {
		const char *p = line;

		/* "#Name = value" (no space after '#'): a default, commented out. */
		if (p[0] == '#' && p[1] >= 'A' && p[1] <= 'Z' && strchr(p, '=')) {
			p++;
			n++;
		}
		fputs(p, out);
	}
	fclose(f);
	fclose(out);
	CHECK(n >= 20);
	if (nkd_config_load(EXAMPLE_CONF, &plain, err, sizeof(err)))
		test_fail(__FILE__, __LINE__, "refused: %s", err);
	if (nkd_config_parse(text, len, EXAMPLE_CONF, &uncommented, err, sizeof(err)))
		test_fail(__FILE__, __LINE__, "uncommented: %s", err);
	CHECK(!memcmp(&plain.agent, &uncommented.agent, sizeof(plain.agent)));
	CHECK(!memcmp(plain.accounts, uncommented.accounts, sizeof(plain.accounts)));
	CHECK(!memcmp(plain.profiles, uncommented.profiles, sizeof(plain.profiles)));
	free(text);
}

/* The whole of a file, NUL-terminated; free() it. */
static char *slurp(const char *path)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "r"), *out;
	int c;

	if (!f) {
		test_fail(__FILE__, __LINE__, "%s: %s", path, strerror(errno));
		return NULL;
	}
	out = open_memstream(&text, &len);
	while ((c = fgetc(f)) != EOF)
		fputc(c, out);
	fclose(f);
	fclose(out);
	return text;
}

/* The example and the man page name every parameter the parser knows. */
static void docs_name_every_parameter(void)
{
	char *example = slurp(EXAMPLE_CONF), *man = slurp(MAN_PAGE);
	char want[128];
	size_t k, i;

	for (k = 0; example && man && k < NKD_SECTION_KINDS; k++) {
		const struct nkd_section_params *sp = &nkd_section_params[k];

		for (i = 0; i < sp->count; i++) {
			const char *name = sp->params[i].name;

			snprintf(want, sizeof(want), "\n%s =", name);
			if (!strstr(example, want)) {
				snprintf(want, sizeof(want), "\n#%s =", name);
				if (!strstr(example, want))
					test_fail(__FILE__, __LINE__, "%s: no %s", EXAMPLE_CONF, name);
			}
			snprintf(want, sizeof(want), "\n.BI %s ", name);
			if (!strstr(man, want))
				test_fail(__FILE__, __LINE__, "%s: no %s", MAN_PAGE, name);
		}
	}
	free(example);
	free(man);
}

/* A short error buffer gets a cut, terminated message. */
static void short_error_buffer(void)
{
	char small[16];

	memset(small, 'x', sizeof(small));
	CHECK_INT(nkd_config_parse("[SP9 Service]\n", 14, FILE_NAME, &cfg, small,
				   sizeof(small)), -1);
	CHECK_STR(small, "natkeepd.conf:1");
	CHECK_INT(nkd_config_parse("[SP9 Service]\n", 14, FILE_NAME, &cfg, NULL, 0), -1);
}

static const struct test_case cases[] = {
	TEST_CASE(defaults_of_every_parameter),
	TEST_CASE(empty_file_is_the_defaults),
	TEST_CASE(section_defaults),
	TEST_CASE(full_file_sets_every_field),
	TEST_CASE(names_of_enumerations),
	TEST_CASE(section_names),
	TEST_CASE(section_errors),
	TEST_CASE(line_errors),
	TEST_CASE(parameter_errors),
	TEST_CASE(value_errors),
	TEST_CASE(hosts),
	TEST_CASE(over_long_values),
	TEST_CASE(quoting),
	TEST_CASE(comments_and_semicolons),
	TEST_CASE(line_endings),
	TEST_CASE(uri_forms),
	TEST_CASE(user_agent_ports),
	TEST_CASE(keepalive_server_port_zero),
	TEST_CASE(cross_check_errors),
	TEST_CASE(local_port_conflicts),
	TEST_CASE(local_proxy),
	TEST_CASE(reload_same_registration),
	TEST_CASE(reload_same_keepalive),
	TEST_CASE(load_errors),
	TEST_CASE(load_a_file),
	TEST_CASE(example_config_loads),
	TEST_CASE(example_defaults_are_the_defaults),
	TEST_CASE(docs_name_every_parameter),
	TEST_CASE(short_error_buffer),
};
TEST_SUITE(config_suite, cases);

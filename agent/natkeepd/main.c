// SPDX-License-Identifier: GPL-2.0
/*
 * natkeepd: registers the gateway's SIP accounts with proxy server
 * redundancy and dual registration, and drives natkeep.ko's keep-alives.
 * Signals: SIGHUP reloads the configuration (a bad file is refused and the
 * running one kept; unchanged registrations stay), SIGTERM/SIGINT
 * un-register and exit, SIGUSR2 exits for a restart: the registrations and
 * keep-alive flows stay, for the next natkeepd to take over (handover.h).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sofia-sip/su.h>

#include "agent.h"
#include "clock.h"
#include "control.h"
#include "kernel.h"
#include "log.h"
#include "netwatch.h"
#include "resolver.h"
#include "service_notify.h"
#include "sofia_log.h"

#define NKD_CONFIG_DEFAULT	"/etc/natkeepd.conf"

static struct nkd_agent agent;

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: natkeepd [-c CONFIG] [-f] [-d] [-s SOCKET] [-t]\n"
		"  -c CONFIG  configuration file (default " NKD_CONFIG_DEFAULT ")\n"
		"  -f         foreground, log to stderr\n"
		"  -d         log debug messages too\n"
		"  -s SOCKET  control socket (overrides ControlSocket)\n"
		"  -t         check the configuration and exit\n"
		"  -V         version\n"
		"See natkeepd(8), natkeepd.conf(5).\n");
}

/*
 * The passwords: never in a core dump (nor readable through /proc by
 * another user's ptrace), and a file others can read is worth a word.
 * Warned, not refused: OpenWrt writes its files 0644.
 */
static void guard_secrets(const struct nkd_config *cfg)
{
	bool secrets = false;
	struct stat st;

	prctl(PR_SET_DUMPABLE, 0);
	for (int i = 0; i < NKD_MAX_ACCOUNTS; i++)
		secrets |= cfg->accounts[i].present && cfg->accounts[i].auth_password[0];
	if (secrets && !stat(cfg->path, &st) && (st.st_mode & S_IROTH))
		nkd_warn("%s holds SIP passwords and every user can read it: chmod o-r it "
			 "(natkeepd's packages make it 0640, root:natkeepd)", cfg->path);
}


static int on_signal(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	struct signalfd_siginfo si;
	int fd = *(int *)arg;

	(void)magic;
	(void)w;
	while (read(fd, &si, sizeof(si)) == sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGHUP:
			nkd_agent_reload(&agent);
			break;
		case SIGTERM:
		case SIGINT:
			nkd_agent_terminate(&agent);
			break;
		case SIGUSR2:
			nkd_agent_hand_over(&agent);
			break;
		case SIGCHLD:
			nkd_agent_children_exited(&agent);
			break;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *config = NKD_CONFIG_DEFAULT, *socket_path = NULL;
	bool foreground = false, debug = false, check_only = false;
	char err[NKD_CONFIG_ERR_MAX];
	int opt, ret, sigfd, sigwait_index = -1;
	su_wait_t sigwait;
	sigset_t mask;

	while ((opt = getopt(argc, argv, "c:fds:tVh")) != -1) {
		switch (opt) {
		case 'c': config = optarg; break;
		case 'f': foreground = true; break;
		case 'd': debug = true; break;
		case 's': socket_path = optarg; break;
		case 't': check_only = true; break;
		case 'V': printf("natkeepd %s\n", NATKEEP_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (nkd_config_load(config, &agent.cfg, err, sizeof(err))) {
		fprintf(stderr, "natkeepd: %s\n", err);
		return 1;
	}
	if (check_only) {
		printf("%s: configuration OK\n", config);
		return 0;
	}
	if (socket_path)
		snprintf(agent.cfg.agent.control_socket, sizeof(agent.cfg.agent.control_socket),
			 "%s", socket_path);
	nkd_log_open(foreground, debug ? NKD_LOG_DEBUG : agent.cfg.agent.log_level);
	nkd_service_notify_init();
	srandom((unsigned int)(time(NULL) ^ getpid()));

	/* Blocked for the signalfd, before any thread (a hook's fork too). */
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGUSR2);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sigfd < 0) {
		nkd_err("signalfd: %s", strerror(errno));
		return 1;
	}

	nkd_clock_steady_sofia();
	nkd_sofia_log_start();
	su_init();
	agent.root = su_root_create(NULL);
	if (!agent.root) {
		nkd_err("cannot create the event loop");
		return 1;
	}
	if (su_wait_create(&sigwait, sigfd, SU_WAIT_IN) ||
	    (sigwait_index = su_root_register(agent.root, &sigwait, on_signal, &sigfd, 0)) < 0) {
		nkd_err("cannot watch signals");
		return 1;
	}
	if (nkd_agent_open_kernel(&agent))
		return 1;
	if (nkd_resolver_init(agent.root, agent.cfg.agent.resolv_conf))
		nkd_warn("cannot start the DNS resolver: only IP addresses will work");
	ret = nkd_control_open(&agent, agent.cfg.agent.control_socket);
	if (ret == -EADDRINUSE)
		nkd_err("control socket %s: another natkeepd serves it: not starting",
			agent.cfg.agent.control_socket);
	else if (ret == -EEXIST)
		nkd_err("control socket %s: something else than a socket is there (left "
			"as it is): not starting", agent.cfg.agent.control_socket);
	else if (ret)
		nkd_err("control socket %s: %s", agent.cfg.agent.control_socket, strerror(-ret));
	if (ret)
		return 1;
	if (nkd_netwatch_start(agent.root, nkd_agent_network_changed, &agent))
		nkd_warn("cannot watch addresses and routes: address changes go unnoticed");

	nkd_notice("natkeepd %s starting with %s", NATKEEP_VERSION, config);
	guard_secrets(&agent.cfg);
	nkd_agent_start(&agent);

	while (!nkd_agent_done(&agent)) {
		su_root_run(agent.root);
		nkd_agent_reap_gone(&agent);
	}
	nkd_agent_reap_gone(&agent);
	nkd_notice("natkeepd stopped");

	nkd_netwatch_stop();
	nkd_control_close();
	nkd_resolver_uninit();
	nkd_kernel_close();
	su_root_deregister(agent.root, sigwait_index);
	su_root_destroy(agent.root);
	su_deinit();
	close(sigfd);
	return agent.exit_code;
}

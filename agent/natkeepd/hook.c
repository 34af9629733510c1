// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "hook.h"
#include "log.h"

static void endpoint_of(const struct nkd_server *s, char *buf, size_t len)
{
	buf[0] = '\0';
	if (s)
		nk_endpoint_format(s->target.ep.family, &s->target.ep.addr,
				   s->target.ep.port, buf, len);
}

void nkd_hook_run(const char *command, const struct nkd_account *acct, const char *state)
{
	const struct nkd_server *p = nkd_redundancy_primary(&acct->red);
	const struct nkd_server *s = nkd_redundancy_secondary(&acct->red);
	char server[NK_ENDPOINT_STRLEN], secondary[NK_ENDPOINT_STRLEN];
	sigset_t all;
	pid_t pid;

	if (!command || !command[0])
		return;
	endpoint_of(p, server, sizeof(server));
	endpoint_of(s, secondary, sizeof(secondary));
	pid = fork();
	if (pid < 0) {
		nkd_warn("ServerChangeHook: fork: %s", strerror(errno));
		return;
	}
	if (pid > 0) {
		nkd_debug("ServerChangeHook %s started (pid %d)", command, (int)pid);
		return;
	}
	/* The child: signals as a fresh process has them. */
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	setenv("NATKEEP_ACCOUNT", acct->cfg.name, 1);
	setenv("NATKEEP_STATE", state, 1);
	setenv("NATKEEP_SERVER", server, 1);
	setenv("NATKEEP_SERVER_HOST", p ? p->target.host : "", 1);
	setenv("NATKEEP_SECONDARY", secondary, 1);
	setenv("NATKEEP_AOR", acct->aor, 1);
	execl(command, command, (char *)NULL);
	fprintf(stderr, "natkeepd: ServerChangeHook %s: %s\n", command, strerror(errno));
	_exit(127);
}

void nkd_hook_reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (WIFEXITED(status) && WEXITSTATUS(status))
			nkd_warn("ServerChangeHook (pid %d) exited with status %d", (int)pid,
				 WEXITSTATUS(status));
		else if (WIFSIGNALED(status))
			nkd_warn("ServerChangeHook (pid %d) killed by signal %d", (int)pid,
				 WTERMSIG(status));
	}
}

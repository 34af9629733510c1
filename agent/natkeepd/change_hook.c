// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "change_hook.h"
#include "log.h"
#include "registration.h"

static void endpoint_of(const struct nk_endpoint *ep, char *buf, size_t len)
{
	buf[0] = '\0';
	if (ep)
		nk_endpoint_format(ep->family, &ep->addr, ep->port, buf, len);
}

extern char **environ;

/*
 * Closes every fd from first on, in a forked child (async-signal-safe):
 * close_range(2) where the kernel has it (5.9), else one by one.
 */
static void close_from(int first, long max_fd)
{
#ifdef SYS_close_range
	if (!syscall(SYS_close_range, (unsigned int)first, ~0U, 0))
		return;
#endif
	for (long fd = first; fd < max_fd; fd++)
		close((int)fd);
}

pid_t nkd_hook_run(const char *command, const struct nkd_account *acct, const char *state)
{
	long max_fd;
	const struct nkd_server *p = nkd_redundancy_primary(&acct->red);
	const struct nkd_server *s = nkd_redundancy_secondary(&acct->red);
	char server[NK_ENDPOINT_STRLEN], secondary[NK_ENDPOINT_STRLEN];
	char vars[6][sizeof(acct->aor) + 32];
	char *argv[] = { (char *)command, NULL };
	size_t n = 0, i;
	char **envp;
	sigset_t none;
	pid_t pid;

	if (!command || !command[0])
		return 0;
	endpoint_of(nkd_reg_current_server(acct), server, sizeof(server));
	endpoint_of(s ? &s->target.ep : NULL, secondary, sizeof(secondary));
	snprintf(vars[0], sizeof(vars[0]), "NATKEEP_ACCOUNT=%s", acct->cfg.name);
	snprintf(vars[1], sizeof(vars[1]), "NATKEEP_STATE=%s", state);
	snprintf(vars[2], sizeof(vars[2]), "NATKEEP_SERVER=%s", server);
	snprintf(vars[3], sizeof(vars[3]), "NATKEEP_SERVER_HOST=%s", p ? p->target.host : "");
	snprintf(vars[4], sizeof(vars[4]), "NATKEEP_SECONDARY=%s", secondary);
	snprintf(vars[5], sizeof(vars[5]), "NATKEEP_AOR=%s", acct->aor);
	/* Built before fork(): sofia's threads make the child async-signal-only. */
	while (environ[n])
		n++;
	envp = calloc(n + 7, sizeof(*envp));
	if (!envp)
		return 0;
	for (i = 0; i < n; i++)
		envp[i] = environ[i];
	for (i = 0; i < 6; i++)
		envp[n + i] = vars[i];
	sigemptyset(&none);
	max_fd = sysconf(_SC_OPEN_MAX);
	pid = fork();
	if (pid == 0) {
		struct sigaction dfl = { .sa_handler = SIG_DFL };

		/*
		 * The child: signals as a fresh process has them, and none of
		 * our sockets (SIP, netlink, control): a long-lived child would
		 * hold the account's port, and the next bind of it would fail.
		 */
		sigprocmask(SIG_SETMASK, &none, NULL);
		sigaction(SIGPIPE, &dfl, NULL);
		close_from(3, max_fd);
		execve(command, argv, envp);
		_exit(127);
	}
	free(envp);
	if (pid < 0) {
		nkd_warn("ServerChangeHook: fork: %s", strerror(errno));
		return 0;
	}
	nkd_debug("ServerChangeHook %s started (pid %d)", command, (int)pid);
	return pid;
}

void nkd_hook_reap(void (*ended)(pid_t pid, void *ctx), void *ctx)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			nkd_warn("ServerChangeHook (pid %d) could not be run", (int)pid);
		else if (WIFEXITED(status) && WEXITSTATUS(status))
			nkd_warn("ServerChangeHook (pid %d) exited with status %d", (int)pid,
				 WEXITSTATUS(status));
		else if (WIFSIGNALED(status))
			nkd_warn("ServerChangeHook (pid %d) killed by signal %d", (int)pid,
				 WTERMSIG(status));
		ended(pid, ctx);
	}
}

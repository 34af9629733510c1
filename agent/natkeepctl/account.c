// SPDX-License-Identifier: GPL-2.0
/*
 * "natkeepctl account show": natkeepd's accounts and their servers, asked
 * over its control socket (the daemon formats them; -j asks for JSON).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "nk_agent_socket.h"
#include "nkctl.h"
#include "report.h"

void nkctl_account_usage(FILE *out)
{
	fprintf(out,
		"Usage: natkeepctl [-j] account [show] [socket PATH]\n"
		"  natkeepd's accounts: state, candidate servers, Contact, public\n"
		"  address, keep-alive flow (socket default " NK_AGENT_SOCKET_DEFAULT
		", or $" NK_AGENT_SOCKET_ENV ")\n");
}

static int ask(const char *path, const char *request)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	FILE *err_out = stderr;
	char buf[4096];
	ssize_t n;
	int fd, ret = NKCTL_EXIT_OK;
	bool first = true;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		nkctl_error("account: socket path too long: %s", path);
		return NKCTL_EXIT_USAGE;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		nkctl_error("account: cannot reach natkeepd at %s: %s%s",
			    path, strerror(errno),
			    errno == ENOENT || errno == ECONNREFUSED ? " (is natkeepd running?)" : "");
		if (fd >= 0)
			close(fd);
		return NKCTL_EXIT_FAILURE;
	}
	if (write(fd, request, strlen(request)) < 0 || write(fd, "\n", 1) < 0) {
		nkctl_error("account: %s: %s", path, strerror(errno));
		close(fd);
		return NKCTL_EXIT_FAILURE;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (first && n >= 6 && !memcmp(buf, "error:", 6)) {
			ret = NKCTL_EXIT_FAILURE;
			err_out = nkctl_error_start_foreign();
		}
		first = false;
		fwrite(buf, 1, (size_t)n, ret ? err_out : stdout);
	}
	close(fd);
	return ret;
}

int nkctl_account_run(const struct nkctl_opts *opts, int argc, char **argv)
{
	const char *path = getenv(NK_AGENT_SOCKET_ENV);
	int i = 0;

	if (!path || !*path)
		path = NK_AGENT_SOCKET_DEFAULT;
	if (i < argc && !strcmp(argv[i], "show"))
		i++;
	else if (i < argc && !strcmp(argv[i], "help")) {
		nkctl_account_usage(stdout);
		return NKCTL_EXIT_OK;
	}
	for (; i < argc; i++) {
		if (!strcmp(argv[i], "socket") && i + 1 < argc) {
			path = argv[++i];
			continue;
		}
		char msg[128];

		snprintf(msg, sizeof(msg), "unexpected \"%s\"", argv[i]);
		return nkctl_usage_error("account", msg);
	}
	return ask(path, opts->json ? "show json" : "show");
}

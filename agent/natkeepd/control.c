// SPDX-License-Identifier: GPL-2.0
/* The control socket: a request line in, the answer out, closed. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "control.h"
#include "log.h"
#include "status.h"

/* A client that says nothing does not hold the daemon up for long. */
#define NKD_CONTROL_READ_MS	500

static struct {
	struct nkd_agent *agent;
	int fd;
	su_wait_t wait;
	int index;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
} control = { .fd = -1, .index = -1 };

static void answer(int fd, const char *request)
{
	FILE *out = fdopen(dup(fd), "w");

	if (!out)
		return;
	if (!strcmp(request, "show"))
		nkd_status_write(control.agent, out, false);
	else if (!strcmp(request, "show json"))
		nkd_status_write(control.agent, out, true);
	else
		fprintf(out, "error: unknown request \"%.40s\" (show, show json)\n", request);
	fclose(out);
}

static void serve(int fd)
{
	char line[128];
	size_t len = 0;

	while (len < sizeof(line) - 1) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, NKD_CONTROL_READ_MS) <= 0)
			break;
		n = recv(fd, line + len, sizeof(line) - 1 - len, MSG_DONTWAIT);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (memchr(line, '\n', len))
			break;
	}
	line[len] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	answer(fd, line);
}

static int on_connect(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	int fd;

	(void)magic;
	(void)w;
	(void)arg;
	fd = accept4(control.fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return 0;
	serve(fd);
	close(fd);
	return 0;
}

int nkd_control_open(struct nkd_agent *agent, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t old;

	control.agent = agent;
	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	snprintf(control.path, sizeof(control.path), "%s", path);
	control.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (control.fd < 0)
		return -errno;
	/* A socket left by a daemon that died; a running one would answer. */
	unlink(path);
	old = umask(0117);	/* owner and group: the status shows the accounts */
	if (bind(control.fd, (struct sockaddr *)&sun, sizeof(sun)) || listen(control.fd, 8)) {
		int ret = -errno;

		umask(old);
		close(control.fd);
		control.fd = -1;
		return ret;
	}
	umask(old);
	if (su_wait_create(&control.wait, control.fd, SU_WAIT_ACCEPT) ||
	    (control.index = su_root_register(agent->root, &control.wait, on_connect,
					      NULL, 0)) < 0) {
		nkd_control_close();
		return -ENOMEM;
	}
	return 0;
}

void nkd_control_close(void)
{
	if (control.index >= 0)
		su_root_deregister(control.agent->root, control.index);
	control.index = -1;
	if (control.fd >= 0) {
		close(control.fd);
		unlink(control.path);
	}
	control.fd = -1;
}

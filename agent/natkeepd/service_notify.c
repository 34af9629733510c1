// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "log.h"
#include "service_notify.h"

static struct sockaddr_un notify_addr;
static socklen_t notify_len;	/* 0: no manager to tell */

void nkd_service_notify_init(void)
{
	const char *path = getenv("NOTIFY_SOCKET");
	size_t n;

	notify_len = 0;
	if (!path || !*path)
		return;
	n = strlen(path);
	/* A path, or "@name" for a name in the abstract namespace. */
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(notify_addr.sun_path)) {
		nkd_warn("NOTIFY_SOCKET=%s: not a socket path: the service manager "
			 "is not told when natkeepd is ready", path);
		unsetenv("NOTIFY_SOCKET");
		return;
	}
	notify_addr.sun_family = AF_UNIX;
	memcpy(notify_addr.sun_path, path, n);
	if (path[0] == '@')
		notify_addr.sun_path[0] = '\0';
	notify_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n +
				 (path[0] == '/'));
	unsetenv("NOTIFY_SOCKET");
}

void nkd_service_notify(const char *state)
{
	int fd;

	if (!notify_len)
		return;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	    sendto(fd, state, strlen(state), MSG_NOSIGNAL,
		   (const struct sockaddr *)&notify_addr, notify_len) < 0)
		nkd_warn("cannot tell the service manager \"%s\": %s", state,
			 strerror(errno));
	if (fd >= 0)
		close(fd);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * natkeepd's notifications to systemd: "READY=1" and the like reach the
 * socket $NOTIFY_SOCKET names, a path or an abstract name ("@..."), and
 * nothing is sent without one or with a name that is not a socket's. The
 * variable is gone afterwards: hooks do not inherit it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "runner.h"
#include "service_notify.h"

/* A datagram socket bound to @name (a path, or "@" for an abstract one). */
static int listener(const char *name)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len = sizeof(sa.sun_family) + strlen(name);
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memcpy(sa.sun_path, name, strlen(name));
	if (name[0] == '@')
		sa.sun_path[0] = '\0';
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, len)) {
		test_fail(__FILE__, __LINE__, "bind %s: %s", name, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* What arrived at @fd (empty if nothing did). */
static const char *received(int fd)
{
	static char buf[256];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void ready_reaches_a_socket_path(void)
{
	char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/nk-notify-%d", (int)getpid());
	unlink(path);
	fd = listener(path);
	if (fd < 0)
		return;
	setenv("NOTIFY_SOCKET", path, 1);
	nkd_service_notify_init();
	CHECK(getenv("NOTIFY_SOCKET") == NULL);
	nkd_service_notify("READY=1");
	CHECK_STR(received(fd), "READY=1");
	nkd_service_notify("STOPPING=1\nSTATUS=bye");
	CHECK_STR(received(fd), "STOPPING=1\nSTATUS=bye");
	close(fd);
	unlink(path);
}

static void ready_reaches_an_abstract_name(void)
{
	char name[64];
	int fd;

	snprintf(name, sizeof(name), "@nk-notify-%d", (int)getpid());
	fd = listener(name);
	if (fd < 0)
		return;
	setenv("NOTIFY_SOCKET", name, 1);
	nkd_service_notify_init();
	nkd_service_notify("READY=1");
	CHECK_STR(received(fd), "READY=1");

	/* Started again without a manager: nothing goes to the old one. */
	unsetenv("NOTIFY_SOCKET");
	nkd_service_notify_init();
	nkd_service_notify("READY=1");
	CHECK_STR(received(fd), "");
	close(fd);
}

static void a_name_that_is_no_socket_is_dropped(void)
{
	setenv("NOTIFY_SOCKET", "run/relative", 1);
	nkd_service_notify_init();
	CHECK(getenv("NOTIFY_SOCKET") == NULL);
	nkd_service_notify("READY=1");	/* nothing to check but no crash */
}

static const struct test_case cases[] = {
	TEST_CASE(ready_reaches_a_socket_path),
	TEST_CASE(ready_reaches_an_abstract_name),
	TEST_CASE(a_name_that_is_no_socket_is_dropped),
};
TEST_SUITE(service_notify_suite, cases);

// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket: a request line in, the answer out, closed. Clients
 * are served from the event loop without ever blocking it: each is read
 * and written as its socket allows, within a deadline, and at most
 * NKD_CONTROL_CLIENTS at a time, the oldest giving way to a new one; one
 * that dawdles, floods or never reads its answer is dropped, and the
 * daemon goes on meanwhile.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "control.h"
#include "log.h"
#include "status.h"

/* A request and its answer, start to end, take at most this. */
#define NKD_CONTROL_DEADLINE_MS	2000
#define NKD_CONTROL_CLIENTS	16
#define NKD_CONTROL_LINE_MAX	128

struct client {
	int fd;				/* -1: free */
	su_wait_t wait;
	int index;			/* su_root registration, -1: none */
	su_timer_t *deadline;
	char line[NKD_CONTROL_LINE_MAX];
	size_t len;
	char *out;			/* the answer, once the request is in */
	size_t out_len, out_sent;
	unsigned long serial;		/* order of arrival */
};

static struct {
	struct nkd_agent *agent;
	int fd;
	su_wait_t wait;
	int index;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct client clients[NKD_CONTROL_CLIENTS];
	unsigned long dropped;		/* clients given up on */
	unsigned long serial;
} control = { .fd = -1, .index = -1 };

static void client_close(struct client *c)
{
	if (c->index >= 0)
		su_root_deregister(control.agent->root, c->index);
	c->index = -1;
	if (c->deadline)
		su_timer_destroy(c->deadline);
	c->deadline = NULL;
	free(c->out);
	c->out = NULL;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

/* The 1st, 2nd, 4th, 8th ...: a flood of them must not flood the log too. */
static bool count_dropped(void)
{
	control.dropped++;
	return !(control.dropped & (control.dropped - 1));
}

static void client_dropped(struct client *c, const char *why)
{
	if (count_dropped())
		nkd_warn("control socket: a client dropped: %s (%lu so far)", why,
			 control.dropped);
	client_close(c);
}

static void deadline_expired(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	(void)magic;
	(void)t;
	client_dropped((struct client *)arg, "no request, or its answer not read, in time");
}

static bool make_answer(struct client *c)
{
	FILE *out = open_memstream(&c->out, &c->out_len);

	if (!out)
		return false;
	c->line[strcspn(c->line, "\r\n")] = '\0';
	if (!strcmp(c->line, "show"))
		nkd_status_write(control.agent, out, false);
	else if (!strcmp(c->line, "show json"))
		nkd_status_write(control.agent, out, true);
	else
		fprintf(out, "error: unknown request \"%.40s\" (show, show json)\n", c->line);
	return !fclose(out);
}

static int on_client(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg);

/* Waits for events (SU_WAIT_IN or SU_WAIT_OUT) on the client's socket. */
static bool client_wait(struct client *c, int events)
{
	if (c->index >= 0)
		su_root_deregister(control.agent->root, c->index);
	c->index = -1;
	if (su_wait_create(&c->wait, c->fd, events))
		return false;
	c->index = su_root_register(control.agent->root, &c->wait, on_client,
				    (su_wakeup_arg_t *)c, 0);
	return c->index >= 0;
}

/* Sends what the socket takes; true while more is to come. */
static bool client_send(struct client *c)
{
	while (c->out_sent < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_sent, c->out_len - c->out_sent,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
		c->out_sent += (size_t)n;
	}
	return false;
}

static int on_client(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	struct client *c = (struct client *)arg;
	ssize_t n;

	(void)magic;
	(void)w;
	if (c->out) {
		if (!client_send(c))
			client_close(c);
		return 0;
	}
	n = recv(c->fd, c->line + c->len, sizeof(c->line) - 1 - c->len, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
		return 0;
	if (n < 0) {
		client_close(c);
		return 0;
	}
	if (n > 0)
		c->len += (size_t)n;
	c->line[c->len] = '\0';
	/* The line is in (or all there will be), or it is too long to be one. */
	if (n > 0 && !memchr(c->line, '\n', c->len) && c->len < sizeof(c->line) - 1)
		return 0;
	if (n > 0 && !memchr(c->line, '\n', c->len)) {
		client_dropped(c, "a request longer than any");
		return 0;
	}
	if (!make_answer(c)) {
		client_close(c);
		return 0;
	}
	if (!client_send(c) || !client_wait(c, SU_WAIT_OUT))
		client_close(c);
	return 0;
}

static void take_client(int fd);

static int on_connect(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	int fd;

	(void)magic;
	(void)w;
	(void)arg;
	/* All that wait, a few at a time: a crowd must not fill the backlog. */
	for (int n = 0; n < NKD_CONTROL_CLIENTS; n++) {
		fd = accept4(control.fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0)
			return 0;
		take_client(fd);
	}
	return 0;
}

static void take_client(int fd)
{
	struct client *c = NULL;

	for (size_t i = 0; i < NKD_CONTROL_CLIENTS && !c; i++)
		if (control.clients[i].fd < 0)
			c = &control.clients[i];
	if (!c) {
		/* Full: the one here longest goes (a silent crowd cannot lock us out). */
		c = &control.clients[0];
		for (size_t i = 1; i < NKD_CONTROL_CLIENTS; i++)
			if (control.clients[i].serial < c->serial)
				c = &control.clients[i];
		client_dropped(c, "crowded out by newer ones");
	}
	c->fd = fd;
	c->serial = ++control.serial;
	c->len = 0;
	c->out_len = c->out_sent = 0;
	c->deadline = su_timer_create(su_root_task(control.agent->root), 0);
	if (!c->deadline || su_timer_set_interval(c->deadline, deadline_expired,
						  (su_timer_arg_t *)c, NKD_CONTROL_DEADLINE_MS) ||
	    !client_wait(c, SU_WAIT_IN))
		client_close(c);
}

/*
 * Whether path is a socket some process serves (another natkeepd): then
 * it is not ours to take. One that refuses is a dead daemon's, to replace.
 */
static int check_path(const char *path, const struct sockaddr_un *sun)
{
	struct stat st;
	int fd, ret = 0;

	if (lstat(path, &st))
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;		/* not a socket: never deleted */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (!connect(fd, (const struct sockaddr *)sun, sizeof(*sun)))
		ret = -EADDRINUSE;
	else if (errno == ECONNREFUSED && unlink(path))
		ret = -errno;
	else if (errno != ECONNREFUSED)
		ret = -errno;
	close(fd);
	return ret;
}

int nkd_control_open(struct nkd_agent *agent, const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	mode_t old;
	int ret;

	control.agent = agent;
	for (size_t i = 0; i < NKD_CONTROL_CLIENTS; i++) {
		control.clients[i].fd = -1;
		control.clients[i].index = -1;
	}
	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	ret = check_path(path, &sun);
	if (ret)
		return ret;
	control.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (control.fd < 0)
		return -errno;
	old = umask(0117);	/* owner and group: the status shows the accounts */
	if (bind(control.fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    listen(control.fd, NKD_CONTROL_CLIENTS)) {
		ret = -errno;
		umask(old);
		close(control.fd);
		control.fd = -1;
		return ret;
	}
	umask(old);
	snprintf(control.path, sizeof(control.path), "%s", path);
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
	for (size_t i = 0; i < NKD_CONTROL_CLIENTS; i++)
		if (control.clients[i].fd >= 0)
			client_close(&control.clients[i]);
	if (control.index >= 0)
		su_root_deregister(control.agent->root, control.index);
	control.index = -1;
	if (control.fd >= 0) {
		close(control.fd);
		unlink(control.path);
	}
	control.fd = -1;
}

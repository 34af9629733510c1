// SPDX-License-Identifier: GPL-2.0
/* rtnetlink address and route events, debounced. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/rtnetlink.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/route/addr.h>
#include <netlink/route/route.h>

#include "log.h"
#include "netwatch.h"

static struct {
	su_root_t *root;
	struct nl_sock *sk;
	su_wait_t wait;
	int index;
	su_timer_t *settle;
	void (*changed)(void *ctx);
	void *ctx;
} watch = { .index = -1 };

static void settled(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	(void)magic;
	(void)t;
	(void)arg;
	watch.changed(watch.ctx);
}

/* libnl-route parses the message into an address or a route object. */
static void describe(struct nl_object *obj, void *arg)
{
	const char *type = nl_object_get_type(obj);
	struct nl_addr *a = NULL;
	char buf[64] = "?";

	(void)arg;
	if (!strcmp(type, "route/addr"))
		a = rtnl_addr_get_local((struct rtnl_addr *)obj);
	else if (!strcmp(type, "route/route"))
		a = rtnl_route_get_dst((struct rtnl_route *)obj);
	if (a)
		nl_addr2str(a, buf, sizeof(buf));
	nkd_debug("network: %s %s %s", nl_object_get_msgtype(obj) == RTM_DELADDR ||
		  nl_object_get_msgtype(obj) == RTM_DELROUTE ? "gone" : "new", type, buf);
}

static int on_message(struct nl_msg *msg, void *arg)
{
	(void)arg;
	nl_msg_parse(msg, describe, NULL);
	su_timer_set_interval(watch.settle, settled, NULL, NKD_NETWATCH_SETTLE_MS);
	return NL_OK;
}

static int readable(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	int ret;

	(void)magic;
	(void)w;
	(void)arg;
	ret = nl_recvmsgs_default(watch.sk);
	if (ret < 0 && ret != -NLE_AGAIN) {
		/* Lost messages (ENOBUFS): whatever changed, look again. */
		nkd_debug("network: %s", nl_geterror(ret));
		su_timer_set_interval(watch.settle, settled, NULL, NKD_NETWATCH_SETTLE_MS);
	}
	return 0;
}

int nkd_netwatch_start(su_root_t *root, void (*changed)(void *ctx), void *ctx)
{
	int ret;

	watch.root = root;
	watch.changed = changed;
	watch.ctx = ctx;
	watch.settle = su_timer_create(su_root_task(root), NKD_NETWATCH_SETTLE_MS);
	watch.sk = nl_socket_alloc();
	if (!watch.settle || !watch.sk)
		goto fail;
	nl_socket_disable_seq_check(watch.sk);
	nl_socket_modify_cb(watch.sk, NL_CB_VALID, NL_CB_CUSTOM, on_message, NULL);
	ret = nl_connect(watch.sk, NETLINK_ROUTE);
	if (ret < 0)
		goto fail;
	ret = nl_socket_add_memberships(watch.sk, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV4_ROUTE,
					RTNLGRP_IPV6_IFADDR, RTNLGRP_IPV6_ROUTE, RTNLGRP_LINK, 0);
	if (ret < 0)
		goto fail;
	nl_socket_set_nonblocking(watch.sk);
	if (su_wait_create(&watch.wait, nl_socket_get_fd(watch.sk), SU_WAIT_IN) ||
	    (watch.index = su_root_register(root, &watch.wait, readable, NULL, 0)) < 0)
		goto fail;
	return 0;
fail:
	nkd_netwatch_stop();
	return -ENOMEM;
}

void nkd_netwatch_stop(void)
{
	if (watch.index >= 0)
		su_root_deregister(watch.root, watch.index);
	watch.index = -1;
	if (watch.sk)
		nl_socket_free(watch.sk);
	watch.sk = NULL;
	if (watch.settle)
		su_timer_destroy(watch.settle);
	watch.settle = NULL;
}

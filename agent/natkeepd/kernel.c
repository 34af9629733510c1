// SPDX-License-Identifier: GPL-2.0
/* natkeepd <-> natkeep.ko: requests on one socket, events on another. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sofia-sip/su_wait.h>

#include "kernel.h"
#include "log.h"
#include "nk_genl.h"

/* How often to look for a module that is not loaded. */
#define NKD_KERNEL_RETRY_MS	5000

static struct {
	su_root_t *root;
	struct nkd_kernel_handlers handlers;
	bool open;
	struct nk_genl requests;
	struct nk_genl events;
	su_wait_t wait;
	int wait_index;
	su_timer_t *retry;
} kernel = { .wait_index = -1 };

static void format_error(const struct nk_error *e, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s%s%s%s%s", strerror(-e->code),
		 e->msg[0] ? ": " : "", e->msg,
		 e->attr_name ? " at " : "", e->attr_name ? e->attr_name : "");
}

static int on_event(const struct nlmsghdr *nlh, void *data)
{
	struct nk_flow flow;
	char why[128];
	int cmd = nk_msg_cmd(nlh);

	(void)data;
	if (cmd != NATKEEP_CMD_MAPPING_CHANGED && cmd != NATKEEP_CMD_PEER_UNRESPONSIVE &&
	    cmd != NATKEEP_CMD_PEER_RESPONSIVE && cmd != NATKEEP_CMD_FLOW_DEL)
		return 0;
	if (nk_flow_parse(nlh, &flow, why, sizeof(why))) {
		nkd_warn("natkeep.ko: unreadable event: %s", why);
		return 0;
	}
	kernel.handlers.event(kernel.handlers.ctx, cmd, &flow);
	return 0;
}

static int events_ready(su_root_magic_t *magic, su_wait_t *w, su_wakeup_arg_t *arg)
{
	int ret;

	(void)magic;
	(void)w;
	(void)arg;
	ret = nk_genl_receive_events(&kernel.events, on_event, NULL);
	if (ret == -ENOBUFS) {
		nkd_warn("natkeep.ko: events were lost (socket buffer full): "
			 "reading the flows again");
		kernel.handlers.lost(kernel.handlers.ctx);
	} else if (ret && ret != -EAGAIN && ret != -EINTR)
		nkd_warn("natkeep.ko: reading events: %s", strerror(-ret));
	return 0;
}

static void close_sockets(void)
{
	if (kernel.wait_index >= 0) {
		su_root_deregister(kernel.root, kernel.wait_index);
		kernel.wait_index = -1;
	}
	if (kernel.open) {
		nk_genl_close(&kernel.requests);
		nk_genl_close(&kernel.events);
	}
	kernel.open = false;
}

static int connect_module(void)
{
	struct nk_error e;
	int ret;

	ret = nk_genl_open(&kernel.requests, &e);
	if (ret)
		return ret;
	ret = nk_genl_open(&kernel.events, &e);
	if (!ret)
		ret = nk_genl_join_events(&kernel.events);
	if (ret) {
		nk_genl_close(&kernel.requests);
		return ret;
	}
	kernel.open = true;
	if (su_wait_create(&kernel.wait, nk_genl_fd(&kernel.events), SU_WAIT_IN) ||
	    (kernel.wait_index = su_root_register(kernel.root, &kernel.wait,
						  events_ready, NULL, 0)) < 0) {
		close_sockets();
		return -ENOMEM;
	}
	return 0;
}

static void retry_expired(su_root_magic_t *magic, su_timer_t *t, su_timer_arg_t *arg)
{
	(void)magic;
	(void)t;
	(void)arg;
	if (connect_module())
		return;
	su_timer_reset(kernel.retry);
	nkd_notice("natkeep.ko is loaded now: kernel keep-alives on");
	kernel.handlers.available(kernel.handlers.ctx);
}

int nkd_kernel_open(su_root_t *root, const struct nkd_kernel_handlers *handlers)
{
	int ret;

	kernel.root = root;
	kernel.handlers = *handlers;
	ret = connect_module();
	if (ret == -ENOENT) {
		kernel.retry = su_timer_create(su_root_task(root), NKD_KERNEL_RETRY_MS);
		if (kernel.retry)
			su_timer_set_for_ever(kernel.retry, retry_expired, NULL);
	}
	return ret;
}

void nkd_kernel_close(void)
{
	close_sockets();
	if (kernel.retry)
		su_timer_destroy(kernel.retry);
	kernel.retry = NULL;
}

bool nkd_kernel_available(void)
{
	return kernel.open;
}

static int collect(const struct nlmsghdr *nlh, void *data)
{
	struct nk_flow *out = data;
	char why[128];

	if (nk_flow_parse(nlh, out, why, sizeof(why))) {
		nkd_warn("natkeep.ko: unreadable reply: %s", why);
		return -EBADMSG;
	}
	return 0;
}

/*
 * -ENOENT means an unknown flow, or a family that is gone (rmmod) or has
 * a new id (the module loaded again): ask the controller which.
 */
static bool module_gone(int ret)
{
	struct nk_genl probe;
	struct nk_error e;
	bool gone;

	if (ret != -ENOENT)
		return false;
	ret = nk_genl_open(&probe, &e);
	if (ret)
		return ret == -ENOENT;
	gone = probe.family.id != kernel.requests.family.id;
	nk_genl_close(&probe);
	return gone;
}

static void lost_module(void)
{
	nkd_warn("natkeep.ko went away: no kernel keep-alives until it is back");
	close_sockets();
	if (!kernel.retry) {
		kernel.retry = su_timer_create(su_root_task(kernel.root), NKD_KERNEL_RETRY_MS);
		if (!kernel.retry)
			return;
	}
	su_timer_set_for_ever(kernel.retry, retry_expired, NULL);
}

static int transact(uint8_t cmd, uint16_t flags, const struct nk_flow *flow,
		    uint32_t id, struct nk_flow *reply, struct nk_error *e)
{
	char buf[NK_MSG_BUF_LEN];
	struct nlmsghdr *req;
	int ret;

	memset(e, 0, sizeof(*e));
	if (!kernel.open)
		return e->code = -ENOENT;
	req = nk_genl_request(&kernel.requests, buf, cmd, NLM_F_REQUEST | flags);
	if (flow) {
		ret = nk_flow_put(req, sizeof(buf), flow);
		if (ret)
			return e->code = ret;
	}
	if (id)
		mnl_attr_put_u32(req, NATKEEP_A_FLOW_ID, id);
	ret = nk_genl_transact(&kernel.requests, req, reply ? collect : NULL, reply, e);
	if (module_gone(ret))
		lost_module();
	return ret;
}

struct same_endpoints {
	const struct nk_flow *want;
	uint32_t id;
};

static int find_same(const struct nlmsghdr *nlh, void *data)
{
	struct same_endpoints *s = data;
	struct nk_flow f;
	char why[128];
	size_t len = nk_addr_len(s->want->family);

	if (nk_flow_parse(nlh, &f, why, sizeof(why)))
		return 0;
	if (f.family == s->want->family && f.local_port == s->want->local_port &&
	    f.remote_port == s->want->remote_port &&
	    !memcmp(&f.local_addr, &s->want->local_addr, len) &&
	    !memcmp(&f.remote_addr, &s->want->remote_addr, len))
		s->id = f.id;
	return 0;
}

/* The id of the flow with flow's endpoints, 0 if none. */
static uint32_t existing_flow(const struct nk_flow *flow)
{
	char buf[NK_MSG_BUF_LEN];
	struct same_endpoints s = { flow, 0 };
	struct nk_error e;

	nk_genl_transact(&kernel.requests,
			 nk_genl_request(&kernel.requests, buf, NATKEEP_CMD_FLOW_GET,
					 NLM_F_REQUEST | NLM_F_DUMP),
			 find_same, &s, &e);
	return s.id;
}

struct each_flow {
	void (*fn)(const struct nk_flow *flow, void *ctx);
	void *ctx;
};

static int call_each(const struct nlmsghdr *nlh, void *data)
{
	struct each_flow *each = data;
	struct nk_flow f;
	char why[128];

	if (nk_flow_parse(nlh, &f, why, sizeof(why))) {
		nkd_warn("natkeep.ko: unreadable flow: %s", why);
		return 0;
	}
	each->fn(&f, each->ctx);
	return 0;
}

int nkd_kernel_flow_each(void (*fn)(const struct nk_flow *flow, void *ctx), void *ctx)
{
	char buf[NK_MSG_BUF_LEN];
	struct each_flow each = { fn, ctx };
	struct nk_error e;

	if (!kernel.open)
		return -ENOENT;
	return nk_genl_transact(&kernel.requests,
				nk_genl_request(&kernel.requests, buf, NATKEEP_CMD_FLOW_GET,
						NLM_F_REQUEST | NLM_F_DUMP),
				call_each, &each, &e);
}

int nkd_kernel_flow_apply(const struct nk_flow *flow, uint32_t *id,
			  char *err, size_t errlen)
{
	struct nk_flow want = *flow, reply;
	struct nk_error e;
	int ret;

	want.fields &= NK_FLOW_CHANGEABLE;
	if (*id) {
		ret = transact(NATKEEP_CMD_FLOW_SET, NLM_F_ACK, &want, *id, &reply, &e);
		if (ret != -ENOENT || !kernel.open)
			goto out;
		/* Deleted behind our back (natkeepctl): create it again. */
	}
	ret = transact(NATKEEP_CMD_FLOW_NEW, NLM_F_ACK, &want, 0, &reply, &e);
	if (ret == -EEXIST) {
		uint32_t old = existing_flow(&want);

		if (old) {
			nkd_info("natkeep.ko: taking over flow %u", old);
			ret = transact(NATKEEP_CMD_FLOW_SET, NLM_F_ACK, &want, old, &reply, &e);
		}
	}
out:
	if (ret) {
		format_error(&e, err, errlen);
		return ret;
	}
	*id = reply.id;
	return 0;
}

int nkd_kernel_flow_delete(uint32_t id)
{
	struct nk_error e;
	int ret = transact(NATKEEP_CMD_FLOW_DEL, NLM_F_ACK, NULL, id, NULL, &e);

	return ret == -ENOENT ? 0 : ret;
}

int nkd_kernel_flow_get(uint32_t id, struct nk_flow *out)
{
	struct nk_error e;

	memset(out, 0, sizeof(*out));
	return transact(NATKEEP_CMD_FLOW_GET, NLM_F_ACK, NULL, id, out, &e);
}

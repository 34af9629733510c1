// SPDX-License-Identifier: GPL-2.0
#include "nk_genl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/genetlink.h>
#include <linux/natkeep.h>
#include <linux/netlink.h>

#include "nk_array.h"
#include "nk_msg.h"

/* Dump messages can be up to 32 KiB; leave room for more. */
#define NK_RX_BUF_LEN (64 * 1024)

struct transaction {
	nk_reply_cb_t cb;
	void *data;
	const struct nlmsghdr *req;
	struct nk_error *err;
};

static int on_data(const struct nlmsghdr *nlh, void *data)
{
	struct transaction *t = data;
	int ret;

	if (!t->cb)
		return MNL_CB_OK;
	ret = t->cb(nlh, t->data);
	if (ret < 0) {
		t->err->code = ret;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

/* NLMSG_ERROR (the ACK) and NLMSG_DONE both end a transaction. */
static int on_ack(const struct nlmsghdr *nlh, void *data)
{
	struct transaction *t = data;

	return nk_ack_parse(nlh, t->req, t->err) ? MNL_CB_ERROR : MNL_CB_STOP;
}

static int on_noop(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

static mnl_cb_t ctl_callbacks[] = {
	[NLMSG_NOOP]	= on_noop,
	[NLMSG_ERROR]	= on_ack,
	[NLMSG_DONE]	= on_ack,
};

int nk_genl_transact(struct nk_genl *genl, struct nlmsghdr *req,
		     nk_reply_cb_t cb, void *data, struct nk_error *err)
{
	struct transaction t = { .cb = cb, .data = data, .req = req, .err = err };
	ssize_t len;
	int run;

	memset(err, 0, sizeof(*err));
	req->nlmsg_seq = ++genl->seq;
	if (mnl_socket_sendto(genl->nl, req, req->nlmsg_len) < 0) {
		err->code = -errno;
		return err->code;
	}
	do {
		len = mnl_socket_recvfrom(genl->nl, genl->rx_buf, genl->rx_len);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			err->code = -errno;
			return err->code;
		}
		errno = 0;
		run = mnl_cb_run2(genl->rx_buf, (size_t)len, req->nlmsg_seq,
				  genl->portid, on_data, &t, ctl_callbacks,
				  ARRAY_SIZE(ctl_callbacks));
	} while (run == MNL_CB_OK);
	if (run == MNL_CB_ERROR && !err->code) {
		/* libmnl's own checks: wrong sequence, interrupted dump, ... */
		err->code = errno ? -errno : -EPROTO;
		if (errno == EINTR)
			strcpy(err->msg, "dump interrupted by a concurrent change, try again");
	}
	return err->code;
}

struct nlmsghdr *nk_genl_request(struct nk_genl *genl, void *buf, uint8_t cmd,
				 uint16_t flags)
{
	return nk_msg_start(buf, genl->family.id, flags, cmd, NATKEEP_GENL_VERSION);
}

static int on_family(const struct nlmsghdr *nlh, void *data)
{
	return nk_ctrl_parse_family(nlh, NATKEEP_MCGRP_EVENTS, data);
}

int nk_genl_connect(struct nk_genl *genl, struct nk_error *err)
{
	int one = 1;

	memset(genl, 0, sizeof(*genl));
	memset(err, 0, sizeof(*err));
	genl->rx_len = NK_RX_BUF_LEN;
	genl->rx_buf = malloc(genl->rx_len);
	if (!genl->rx_buf) {
		err->code = -ENOMEM;
		return err->code;
	}
	genl->nl = mnl_socket_open(NETLINK_GENERIC);
	if (!genl->nl || mnl_socket_bind(genl->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err->code = -errno;
		nk_genl_close(genl);
		return err->code;
	}
	genl->portid = mnl_socket_get_portid(genl->nl);
	genl->seq = (uint32_t)time(NULL);
	/* Older kernels lack these; errors are then just less precise. */
	mnl_socket_setsockopt(genl->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(genl->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	return 0;
}

int nk_genl_open(struct nk_genl *genl, struct nk_error *err)
{
	char buf[NK_MSG_BUF_LEN];
	int ret;

	ret = nk_genl_connect(genl, err);
	if (ret)
		return ret;
	ret = nk_genl_transact(genl, nk_ctrl_getfamily_request(buf, NATKEEP_GENL_NAME),
			       on_family, &genl->family, err);
	if (!ret && !genl->family.id)
		ret = err->code = -ENOENT;
	if (ret)
		nk_genl_close(genl);
	return ret;
}

void nk_genl_close(struct nk_genl *genl)
{
	if (genl->nl)
		mnl_socket_close(genl->nl);
	free(genl->rx_buf);
	genl->nl = NULL;
	genl->rx_buf = NULL;
}

int nk_genl_join_events(struct nk_genl *genl)
{
	int group;

	if (!genl->family.has_group)
		return -ENOENT;
	group = (int)genl->family.group_id;
	if (mnl_socket_setsockopt(genl->nl, NETLINK_ADD_MEMBERSHIP, &group,
				  sizeof(group)) < 0)
		return -errno;
	return 0;
}

int nk_genl_fd(const struct nk_genl *genl)
{
	return mnl_socket_get_fd(genl->nl);
}

struct event_filter {
	uint16_t family_id;
	nk_reply_cb_t cb;
	void *data;
};

static int on_event(const struct nlmsghdr *nlh, void *data)
{
	struct event_filter *filter = data;

	if (nlh->nlmsg_type != filter->family_id)
		return MNL_CB_OK;
	return filter->cb(nlh, filter->data) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

int nk_genl_receive_events(struct nk_genl *genl, nk_reply_cb_t cb, void *data)
{
	struct event_filter filter = {
		.family_id = genl->family.id, .cb = cb, .data = data,
	};
	ssize_t len;

	len = mnl_socket_recvfrom(genl->nl, genl->rx_buf, genl->rx_len);
	if (len < 0)
		return -errno;
	/* Sequence 0 and port 0: events are not answers to us. */
	if (mnl_cb_run(genl->rx_buf, (size_t)len, 0, 0, on_event, &filter) < 0)
		return errno ? -errno : -EPROTO;
	return 0;
}

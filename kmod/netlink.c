// SPDX-License-Identifier: GPL-2.0
#include <linux/natkeep.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "flow.h"
#include "netlink.h"
#include "timer.h"

static struct genl_family nk_genl_family;

enum nk_mcgrp {
	NK_MCGRP_EVENTS,
};

static const struct genl_multicast_group nk_mcgrps[] = {
	[NK_MCGRP_EVENTS] = { .name = NATKEEP_MCGRP_EVENTS },
};

static int nk_fill_stats(struct sk_buff *skb, const struct nk_flow *flow)
{
	struct nk_flow_stats_snapshot snap;
	struct nlattr *stats, *hist;
	int b;

	nk_stats_read(&flow->stats, &snap);
	stats = nla_nest_start(skb, NATKEEP_A_STATS);
	if (!stats)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, NATKEEP_STATS_TX_PACKETS, snap.tx_packets,
			      NATKEEP_STATS_PAD) ||
	    nla_put_u64_64bit(skb, NATKEEP_STATS_TX_ERRORS, snap.tx_errors,
			      NATKEEP_STATS_PAD) ||
	    nla_put_u64_64bit(skb, NATKEEP_STATS_LATENESS_MAX_NS,
			      snap.lateness_max_ns, NATKEEP_STATS_PAD))
		return -EMSGSIZE;
	if (snap.last_tx_ns &&
	    nla_put_u64_64bit(skb, NATKEEP_STATS_LAST_TX_AGE_NS,
			      ktime_get_ns() - snap.last_tx_ns,
			      NATKEEP_STATS_PAD))
		return -EMSGSIZE;

	hist = nla_nest_start(skb, NATKEEP_STATS_LATENESS);
	if (!hist)
		return -EMSGSIZE;
	for (b = 0; b < NATKEEP_LATENESS_BUCKETS; b++) {
		if (snap.lateness[b] &&
		    nla_put_u64_64bit(skb, b + 1, snap.lateness[b],
				      NATKEEP_LATENESS_PAD))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, hist);
	nla_nest_end(skb, stats);
	return 0;
}

/* One flow as a message; replies carry the stats, events do not. */
static int nk_fill_flow(struct sk_buff *skb, const struct nk_flow *flow,
			u32 portid, u32 seq, int flags, u8 cmd, bool with_stats)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &nk_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, NATKEEP_A_FLOW_ID, flow->id) ||
	    nk_params_fill(skb, &flow->params))
		goto cancel;
	if (with_stats &&
	    (nla_put_u64_64bit(skb, NATKEEP_A_NEXT_SEND_NS,
			       nk_timers_next_send_ns(flow), NATKEEP_A_PAD) ||
	     nk_fill_stats(skb, flow)))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static void nk_notify(struct nk_net *nn, const struct nk_flow *flow, u8 cmd)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&nk_genl_family, nn->net, NK_MCGRP_EVENTS))
		return;
	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!skb)
		return;
	if (nk_fill_flow(skb, flow, 0, 0, 0, cmd, false)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&nk_genl_family, nn->net, skb, 0,
				NK_MCGRP_EVENTS, GFP_KERNEL);
}

static int nk_reply_flow(struct genl_info *info, const struct nk_flow *flow,
			 struct sk_buff *msg, u8 cmd)
{
	int err;

	err = nk_fill_flow(msg, flow, info->snd_portid, info->snd_seq, 0,
			   cmd, true);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

/* The flow NATKEEP_A_FLOW_ID names; caller holds nn->lock. */
static struct nk_flow *nk_flow_from_info(struct nk_net *nn,
					 struct genl_info *info)
{
	struct nlattr *attr = info->attrs[NATKEEP_A_FLOW_ID];
	struct nk_flow *flow;

	if (GENL_REQ_ATTR_CHECK(info, NATKEEP_A_FLOW_ID)) {
		GENL_SET_ERR_MSG(info, "the flow id is missing");
		return ERR_PTR(-EINVAL);
	}
	flow = nk_flow_find(nn, nla_get_u32(attr));
	if (!flow) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "no flow with this id");
		return ERR_PTR(-ENOENT);
	}
	return flow;
}

static int nk_nl_flow_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nk_net *nn = nk_net_get(genl_info_net(info));
	struct nk_flow_params params;
	struct nk_flow *flow;
	struct sk_buff *msg;
	int err;

	if (info->attrs[NATKEEP_A_FLOW_ID]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[NATKEEP_A_FLOW_ID],
				    "the kernel chooses a new flow's id");
		return -EINVAL;
	}
	err = nk_params_parse(info->attrs, &params, true, info->extack);
	if (err)
		return err;
	/* Allocated first: once the flow exists, the reply cannot fail. */
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&nn->lock);
	flow = nk_flow_create(nn, &params, info->extack);
	if (IS_ERR(flow)) {
		mutex_unlock(&nn->lock);
		nlmsg_free(msg);
		return PTR_ERR(flow);
	}
	nk_notify(nn, flow, NATKEEP_CMD_FLOW_NEW);
	err = nk_reply_flow(info, flow, msg, NATKEEP_CMD_FLOW_NEW);
	mutex_unlock(&nn->lock);
	return err;
}

static int nk_nl_flow_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nk_net *nn = nk_net_get(genl_info_net(info));
	struct nk_flow_params params;
	struct nk_flow *flow;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&nn->lock);
	flow = nk_flow_from_info(nn, info);
	if (IS_ERR(flow)) {
		err = PTR_ERR(flow);
		goto err_unlock;
	}
	params = flow->params;
	err = nk_params_parse(info->attrs, &params, false, info->extack);
	if (err)
		goto err_unlock;
	flow = nk_flow_replace(flow, &params, info->extack);
	if (IS_ERR(flow)) {
		err = PTR_ERR(flow);
		goto err_unlock;
	}
	nk_notify(nn, flow, NATKEEP_CMD_FLOW_SET);
	err = nk_reply_flow(info, flow, msg, NATKEEP_CMD_FLOW_SET);
	mutex_unlock(&nn->lock);
	return err;

err_unlock:
	mutex_unlock(&nn->lock);
	nlmsg_free(msg);
	return err;
}

static int nk_nl_flow_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nk_net *nn = nk_net_get(genl_info_net(info));
	struct nk_flow *flow;

	mutex_lock(&nn->lock);
	flow = nk_flow_from_info(nn, info);
	if (IS_ERR(flow)) {
		mutex_unlock(&nn->lock);
		return PTR_ERR(flow);
	}
	nk_notify(nn, flow, NATKEEP_CMD_FLOW_DEL);
	nk_flow_delete(flow);
	mutex_unlock(&nn->lock);
	return 0;
}

static int nk_nl_flow_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nk_net *nn = nk_net_get(genl_info_net(info));
	struct nk_flow *flow;
	struct sk_buff *msg;
	int err;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&nn->lock);
	flow = nk_flow_from_info(nn, info);
	if (IS_ERR(flow)) {
		mutex_unlock(&nn->lock);
		nlmsg_free(msg);
		return PTR_ERR(flow);
	}
	err = nk_reply_flow(info, flow, msg, NATKEEP_CMD_FLOW_GET);
	mutex_unlock(&nn->lock);
	return err;
}

/* cb->args[0]: the id to resume from. */
static int nk_nl_flow_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nk_net *nn = nk_net_get(sock_net(skb->sk));
	unsigned long id = cb->args[0];
	struct nk_flow *flow;
	int err = 0;

	mutex_lock(&nn->lock);
	xa_for_each_start(&nn->flows, id, flow, cb->args[0]) {
		err = nk_fill_flow(skb, flow, NETLINK_CB(cb->skb).portid,
				   cb->nlh->nlmsg_seq, NLM_F_MULTI,
				   NATKEEP_CMD_FLOW_GET, true);
		if (err)
			break;
	}
	mutex_unlock(&nn->lock);
	cb->args[0] = id;
	if (!err)
		return 0;
	/* A full skb ends this part of the dump; a flow that fits nowhere is an error. */
	return skb->len ? skb->len : err;
}

static const struct genl_ops nk_genl_ops[] = {
	{
		.cmd = NATKEEP_CMD_FLOW_NEW,
		.doit = nk_nl_flow_new,
		.policy = nk_flow_policy,
		.maxattr = NATKEEP_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NATKEEP_CMD_FLOW_SET,
		.doit = nk_nl_flow_set,
		.policy = nk_flow_policy,
		.maxattr = NATKEEP_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NATKEEP_CMD_FLOW_DEL,
		.doit = nk_nl_flow_del,
		.policy = nk_flow_policy,
		.maxattr = NATKEEP_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = NATKEEP_CMD_FLOW_GET,
		.doit = nk_nl_flow_get,
		.dumpit = nk_nl_flow_dump,
		.policy = nk_flow_policy,
		.maxattr = NATKEEP_A_MAX,
	},
};

static struct genl_family nk_genl_family __ro_after_init = {
	.name = NATKEEP_GENL_NAME,
	.version = NATKEEP_GENL_VERSION,
	.maxattr = NATKEEP_A_MAX,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = nk_genl_ops,
	.n_ops = ARRAY_SIZE(nk_genl_ops),
	.mcgrps = nk_mcgrps,
	.n_mcgrps = ARRAY_SIZE(nk_mcgrps),
};

int nk_netlink_init(void)
{
	return genl_register_family(&nk_genl_family);
}

void nk_netlink_uninit(void)
{
	genl_unregister_family(&nk_genl_family);
}

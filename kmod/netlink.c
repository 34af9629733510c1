// SPDX-License-Identifier: GPL-2.0
#include <linux/natkeep.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "flow.h"
#include "netlink.h"
#include "timer.h"

static struct genl_family nk_genl_family;

/*
 * Set at unload, a grace period before the family goes: the timers and
 * hooks, which run under RCU (softirq, rcu_read_lock()) and stop after
 * it, send no more events to a family that is not registered.
 */
static bool nk_closing;

enum nk_mcgrp {
	NK_MCGRP_EVENTS,
};

static const struct genl_multicast_group nk_mcgrps[] = {
	[NK_MCGRP_EVENTS] = { .name = NATKEEP_MCGRP_EVENTS },
};

static int nk_fill_mapping(struct sk_buff *skb, int type,
			   const struct nk_mapping *m)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest ||
	    nla_put_u16(skb, NATKEEP_MAPPING_FAMILY, m->family) ||
	    nla_put(skb, NATKEEP_MAPPING_ADDR,
		    m->family == AF_INET ? sizeof(m->addr.ip) :
					   sizeof(m->addr.ip6), &m->addr) ||
	    nla_put_u16(skb, NATKEEP_MAPPING_PORT, m->port) ||
	    nla_put_u8(skb, NATKEEP_MAPPING_SOURCE, m->source))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* What the flow learned of its peer: mapping and, if it is asked, liveness. */
static int nk_fill_peer(struct sk_buff *skb, struct nk_flow *flow,
			const struct nk_peer_state *peer)
{
	if (peer->mapping.family &&
	    nk_fill_mapping(skb, NATKEEP_A_MAPPING, &peer->mapping))
		return -EMSGSIZE;
	if (nk_flow_payload(flow)->answered &&
	    nla_put_u8(skb, NATKEEP_A_PEER_RESPONSIVE, !peer->unresponsive))
		return -EMSGSIZE;
	return 0;
}

static int nk_fill_peer_stats(struct sk_buff *skb,
			      const struct nk_peer_state *peer)
{
	if (nla_put_u64_64bit(skb, NATKEEP_STATS_RX_RESPONSES, peer->responses,
			      NATKEEP_STATS_PAD) ||
	    nla_put_u32(skb, NATKEEP_STATS_MISSES, peer->misses) ||
	    nla_put_u64_64bit(skb, NATKEEP_STATS_MISSES_TOTAL,
			      peer->misses_total, NATKEEP_STATS_PAD) ||
	    nla_put_u64_64bit(skb, NATKEEP_STATS_MAPPING_CHANGES,
			      peer->mapping_changes, NATKEEP_STATS_PAD))
		return -EMSGSIZE;
	if (peer->rtt_last_us &&
	    (nla_put_u64_64bit(skb, NATKEEP_STATS_RTT_LAST_NS,
			       (u64)peer->rtt_last_us * NSEC_PER_USEC,
			       NATKEEP_STATS_PAD) ||
	     nla_put_u64_64bit(skb, NATKEEP_STATS_RTT_SMOOTHED_NS,
			       (u64)peer->rtt_smoothed_us * NSEC_PER_USEC,
			       NATKEEP_STATS_PAD)))
		return -EMSGSIZE;
	return 0;
}

/* The counters flows and namespaces share. */
static int nk_fill_counters(struct sk_buff *skb, u64 tx_packets, u64 tx_errors,
			    u64 lateness_max_ns)
{
	if (nla_put_u64_64bit(skb, NATKEEP_STATS_TX_PACKETS, tx_packets,
			      NATKEEP_STATS_PAD) ||
	    nla_put_u64_64bit(skb, NATKEEP_STATS_TX_ERRORS, tx_errors,
			      NATKEEP_STATS_PAD) ||
	    nla_put_u64_64bit(skb, NATKEEP_STATS_LATENESS_MAX_NS,
			      lateness_max_ns, NATKEEP_STATS_PAD))
		return -EMSGSIZE;
	return 0;
}

/* A namespace's lateness histogram, empty buckets left out. */
static int nk_fill_histogram(struct sk_buff *skb, const u64 *lateness)
{
	struct nlattr *hist = nla_nest_start(skb, NATKEEP_STATS_LATENESS);
	int b;

	if (!hist)
		return -EMSGSIZE;
	for (b = 0; b < NATKEEP_LATENESS_BUCKETS; b++) {
		if (lateness[b] &&
		    nla_put_u64_64bit(skb, b + 1, lateness[b],
				      NATKEEP_LATENESS_PAD))
			return -EMSGSIZE;
	}
	nla_nest_end(skb, hist);
	return 0;
}

static int nk_fill_stats(struct sk_buff *skb, const struct nk_peer_state *peer)
{
	struct nlattr *stats = nla_nest_start(skb, NATKEEP_A_STATS);

	if (!stats ||
	    nk_fill_counters(skb, peer->tx_packets, peer->tx_errors,
			     (u64)peer->lateness_max_us * NSEC_PER_USEC) ||
	    nk_fill_peer_stats(skb, peer))
		return -EMSGSIZE;
	if (nk_peer_attempted(peer) &&
	    nla_put_u64_64bit(skb, NATKEEP_STATS_LAST_TX_AGE_NS,
			      (u64)nk_peer_since_last_send_us(peer, ktime_get()) *
			      NSEC_PER_USEC, NATKEEP_STATS_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, stats);
	return 0;
}

/*
 * One flow as a message; replies carry the stats, events do not, and a
 * MAPPING_CHANGED event carries the mapping before (@old_mapping).
 */
static int nk_fill_flow(struct sk_buff *skb, struct nk_flow *flow,
			u32 portid, u32 seq, int flags, u8 cmd, bool with_stats,
			const struct nk_mapping *old_mapping)
{
	struct nk_peer_state peer;
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &nk_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	nk_peer_read(&flow->peer, &peer);
	if (nla_put_u32(skb, NATKEEP_A_FLOW_ID, flow->id) ||
	    nk_params_fill(skb, &flow->params) ||
	    nk_fill_peer(skb, flow, &peer))
		goto cancel;
	if (old_mapping &&
	    nk_fill_mapping(skb, NATKEEP_A_OLD_MAPPING, old_mapping))
		goto cancel;
	if (with_stats &&
	    (nla_put_u64_64bit(skb, NATKEEP_A_NEXT_SEND_NS,
			       nk_timers_next_send_ns(flow), NATKEEP_A_PAD) ||
	     nk_fill_stats(skb, &peer)))
		goto cancel;
	genlmsg_end(skb, hdr);
	return 0;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * An event about @flow. Those about its peer carry the stats (RTT, misses).
 * @gfp: GFP_KERNEL from netlink requests, GFP_ATOMIC from the timer and
 * the hook.
 */
static void nk_notify_event(struct nk_flow *flow, u8 cmd,
			    const struct nk_mapping *old_mapping,
			    bool with_stats, gfp_t gfp)
{
	struct net *net = flow->nn->net;
	struct sk_buff *skb;

	if (!genl_has_listeners(&nk_genl_family, net, NK_MCGRP_EVENTS))
		return;
	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, gfp);
	if (!skb)
		return;
	if (nk_fill_flow(skb, flow, 0, 0, 0, cmd, with_stats, old_mapping)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&nk_genl_family, net, skb, 0,
				NK_MCGRP_EVENTS, gfp);
}

static void nk_notify(struct nk_flow *flow, u8 cmd)
{
	nk_notify_event(flow, cmd, NULL, false, GFP_KERNEL);
}

/*
 * From the timer and the hook. A flow being deleted or replaced tells
 * nothing more: FLOW_DEL or FLOW_SET is its last event.
 */
static bool nk_peer_may_tell(const struct nk_flow *flow)
{
	return !READ_ONCE(nk_closing) && !nk_timers_stopping(flow);
}

/* The flow's mapping changed from @old (NULL: none); it carries the new one. */
void nk_netlink_notify_mapping(struct nk_flow *flow,
			       const struct nk_mapping *old)
{
	if (nk_peer_may_tell(flow))
		nk_notify_event(flow, NATKEEP_CMD_MAPPING_CHANGED, old, true,
				GFP_ATOMIC);
}

void nk_netlink_notify_peer(struct nk_flow *flow, u8 cmd)
{
	if (nk_peer_may_tell(flow))
		nk_notify_event(flow, cmd, NULL, true, GFP_ATOMIC);
}

static int nk_reply_flow(struct genl_info *info, struct nk_flow *flow,
			 struct sk_buff *msg, u8 cmd)
{
	int err;

	err = nk_fill_flow(msg, flow, info->snd_portid, info->snd_seq, 0,
			   cmd, true, NULL);
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
		goto out_params;
	/* Allocated first: once the flow exists, the reply cannot fail. */
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		err = -ENOMEM;
		goto out_params;
	}

	mutex_lock(&nn->lock);
	flow = nk_flow_create(nn, &params, info->extack);
	if (IS_ERR(flow)) {
		mutex_unlock(&nn->lock);
		nlmsg_free(msg);
		err = PTR_ERR(flow);
		goto out_params;
	}
	nk_notify(flow, NATKEEP_CMD_FLOW_NEW);
	err = nk_reply_flow(info, flow, msg, NATKEEP_CMD_FLOW_NEW);
	mutex_unlock(&nn->lock);
out_params:
	/* The flow took the SIP text, if it was made; else it goes here. */
	nk_params_release(&params);
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
	err = nk_params_copy(&params, &flow->params);
	if (err)
		goto err_unlock;
	err = nk_params_parse(info->attrs, &params, false, info->extack);
	if (err)
		goto err_params;
	flow = nk_flow_replace(flow, &params, info->extack);
	if (IS_ERR(flow)) {
		err = PTR_ERR(flow);
		goto err_params;
	}
	nk_notify(flow, NATKEEP_CMD_FLOW_SET);
	err = nk_reply_flow(info, flow, msg, NATKEEP_CMD_FLOW_SET);
	mutex_unlock(&nn->lock);
	return err;

err_params:
	nk_params_release(&params);
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
	/* Stopped first: no event of the flow's comes after this one. */
	nk_flow_remove(flow);
	nk_notify(flow, NATKEEP_CMD_FLOW_DEL);
	nk_flow_release(flow);
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
				   NATKEEP_CMD_FLOW_GET, true, NULL);
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

static int nk_fill_net_stats(struct sk_buff *skb, struct nk_net *nn)
{
	struct nk_stats_snapshot snap;
	struct nlattr *stats;
	unsigned int flows;

	mutex_lock(&nn->lock);
	flows = nn->count;
	mutex_unlock(&nn->lock);
	nk_net_stats_read(nn->stats, &snap);
	if (nla_put_u32(skb, NATKEEP_A_FLOWS, flows))
		return -EMSGSIZE;
	stats = nla_nest_start(skb, NATKEEP_A_STATS);
	if (!stats ||
	    nk_fill_counters(skb, snap.tx_packets, snap.tx_errors,
			     snap.lateness_max_ns) ||
	    nk_fill_histogram(skb, snap.lateness))
		return -EMSGSIZE;
	nla_nest_end(skb, stats);
	return 0;
}

static int nk_nl_stats_get(struct sk_buff *skb, struct genl_info *info)
{
	struct nk_net *nn = nk_net_get(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &nk_genl_family, 0,
				NATKEEP_CMD_STATS_GET);
	if (!hdr || nk_fill_net_stats(msg, nn)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
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
	{
		.cmd = NATKEEP_CMD_STATS_GET,
		.doit = nk_nl_stats_get,
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
	WRITE_ONCE(nk_closing, true);
	synchronize_rcu();
	genl_unregister_family(&nk_genl_family);
}

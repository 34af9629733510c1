/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flows and the per-namespace flow table.
 *
 * A flow's parameters and payload never change once it is published: a
 * change builds a new flow with the same id and swaps it in (nk_flow_replace),
 * so that lookups in the packet path under RCU always see a consistent flow.
 * Only the timer-owned part (route cache, stats) changes, and only from the
 * flow's own timer expiry, which never runs concurrently with itself.
 * Changes to the table are serialised by nk_net.lock.
 */
#ifndef _NK_FLOW_H
#define _NK_FLOW_H

#include <linux/hrtimer.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/xarray.h>

#include "hook.h"
#include "params.h"
#include "payload.h"
#include "peer.h"
#include "stats.h"

struct dst_entry;
struct net;

struct nk_net {
	struct net *net;
	struct mutex lock;		/* serialises all changes below */
	struct xarray flows;		/* flow id -> flow */
	u32 next_id;			/* for cyclic id allocation */
	unsigned int count;
	struct rhashtable table;	/* nk_flow_key -> flow */
	struct nk_hooks hooks;		/* netfilter hooks, once a flow exists */
};

struct nk_flow {
	struct rhash_head node;
	struct nk_flow_params params;
	struct nk_payload payload;
	struct nk_net *nn;
	u32 id;

	/* Owned by the timer's expiry (timer.c), the only writer. */
	struct hrtimer timer;
	raw_spinlock_t timer_lock;	/* timer_flags */
	unsigned long timer_flags;
	struct llist_node due;		/* in a CPU's send queue */
	ktime_t next_send;		/* due time of the next send */
	struct dst_entry *dst;		/* cached route */
	union nk_addr dst_saddr;	/* source the cached route chose */
	u32 dst_cookie;
	struct nk_flow_stats stats;

	/* Written by the timer and the hook, under its own lock. */
	struct nk_peer peer;

	struct rcu_head rcu;
};

int nk_flow_init(void);
void nk_flow_uninit(void);

struct nk_net *nk_net_get(const struct net *net);
struct nk_flow *nk_flow_find(struct nk_net *nn, u32 id);
struct nk_flow *nk_flow_lookup(struct nk_net *nn, const struct nk_flow_key *key);
struct nk_flow *nk_flow_create(struct nk_net *nn,
			       struct nk_flow_params *params,
			       struct netlink_ext_ack *extack);
struct nk_flow *nk_flow_replace(struct nk_flow *old,
				struct nk_flow_params *params,
				struct netlink_ext_ack *extack);
void nk_flow_delete(struct nk_flow *flow);

#endif /* _NK_FLOW_H */

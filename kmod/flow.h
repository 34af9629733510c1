/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flows and the per-namespace flow table.
 *
 * A flow's parameters and payload never change once it is published: a
 * change builds a new flow with the same id and swaps it in (nk_flow_replace),
 * so that lookups in the packet path under RCU always see a consistent flow.
 * Only the timer-owned part (its place in a timer queue) and the peer
 * record (sends and replies, under its lock) change; the first only from the
 * flow's own timer expiry, which never runs concurrently with itself.
 * Changes to the table are serialised by nk_net.lock.
 */
#ifndef _NK_FLOW_H
#define _NK_FLOW_H

#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/rhashtable-types.h>
#include <linux/timerqueue.h>
#include <linux/xarray.h>

#include "hook.h"
#include "params.h"
#include "payload.h"
#include "peer.h"
#include "stats.h"

struct net;

struct nk_net {
	struct net *net;
	struct mutex lock;		/* serialises all changes below */
	struct xarray flows;		/* flow id -> flow */
	u32 next_id;			/* for cyclic id allocation */
	unsigned int count;
	struct rhashtable table;	/* nk_flow_key -> flow */
	struct nk_hooks hooks;		/* netfilter hooks, once a flow exists */
	struct nk_net_stats __percpu *stats;	/* all its flows' sends */
};

struct nk_flow {
	struct rhash_head node;
	struct nk_flow_params params;
	struct nk_net *nn;
	u32 id;

	/* Owned by the timer (timer.c): the flow's place in a CPU's queue. */
	u16 timer_cpu;
	u8 timer_state;
	union {
		struct timerqueue_node timer_node;
		struct rcu_head rcu;	/* once the timer has stopped */
	};
	ktime_t next_send;		/* due time of the next send */

	/* Sends and replies: written by the timer and the hook, under its lock. */
	struct nk_peer peer;
};

/* What the flow sends: the ops of its message type. */
static inline const struct nk_payload_ops *nk_flow_payload(const struct nk_flow *flow)
{
	return nk_payload_ops(flow->params.msg_type);
}

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
void nk_flow_remove(struct nk_flow *flow);
void nk_flow_release(struct nk_flow *flow);

#endif /* _NK_FLOW_H */

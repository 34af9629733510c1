// SPDX-License-Identifier: GPL-2.0
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "flow.h"
#include "timer.h"

static unsigned int max_flows = 16384;
module_param(max_flows, uint, 0644);
MODULE_PARM_DESC(max_flows, "Most flows one network namespace may hold (default 16384)");

static unsigned int nk_net_id __read_mostly;

/* A cache of their own: flows are many and alike, and slabinfo counts them. */
static struct kmem_cache *nk_flow_cache __read_mostly;

static const struct rhashtable_params nk_flow_table_params = {
	.key_len = sizeof(struct nk_flow_key),
	.key_offset = offsetof(struct nk_flow, params.key),
	.head_offset = offsetof(struct nk_flow, node),
	.automatic_shrinking = true,
};

struct nk_net *nk_net_get(const struct net *net)
{
	return net_generic(net, nk_net_id);
}

/* Caller holds nn->lock. */
struct nk_flow *nk_flow_find(struct nk_net *nn, u32 id)
{
	return xa_load(&nn->flows, id);
}

/* The flow a packet belongs to; caller holds rcu_read_lock(). */
struct nk_flow *nk_flow_lookup(struct nk_net *nn, const struct nk_flow_key *key)
{
	return rhashtable_lookup(&nn->table, key, nk_flow_table_params);
}

static void nk_flow_free(struct nk_flow *flow)
{
	nk_params_release(&flow->params);
	kmem_cache_free(nk_flow_cache, flow);
}

/* The new flow takes @params' SIP text: @params keeps none. */
static struct nk_flow *nk_flow_alloc(struct nk_net *nn,
				     struct nk_flow_params *params,
				     struct netlink_ext_ack *extack)
{
	struct nk_flow *flow;
	int err;

	flow = kmem_cache_zalloc(nk_flow_cache, GFP_KERNEL_ACCOUNT);
	if (!flow)
		return ERR_PTR(-ENOMEM);
	flow->params = *params;
	params->sip = NULL;
	flow->nn = nn;
	err = nk_payload_init(&flow->params, extack);
	if (err) {
		nk_flow_free(flow);
		return ERR_PTR(err);
	}
	nk_peer_init(&flow->peer);
	nk_timers_init(flow);
	return flow;
}

/* The last reader under RCU is gone: the timer was stopped before. */
static void nk_flow_free_rcu(struct rcu_head *rcu)
{
	nk_flow_free(container_of(rcu, struct nk_flow, rcu));
}

/* Stop a flow that is out of the table and free it after a grace period. */
static void nk_flow_release(struct nk_flow *flow)
{
	nk_timers_stop(flow);
	call_rcu(&flow->rcu, nk_flow_free_rcu);
}

static int nk_flow_table_insert(struct nk_net *nn, struct nk_flow *flow,
				struct netlink_ext_ack *extack)
{
	int err;

	err = rhashtable_lookup_insert_fast(&nn->table, &flow->node,
					    nk_flow_table_params);
	if (err == -EEXIST)
		NL_SET_ERR_MSG(extack,
			       "a flow from this local address and port to this remote address and port exists");
	return err;
}

struct nk_flow *nk_flow_create(struct nk_net *nn,
			       struct nk_flow_params *params,
			       struct netlink_ext_ack *extack)
{
	struct nk_flow *flow;
	int err;

	lockdep_assert_held(&nn->lock);
	if (nn->count >= READ_ONCE(max_flows)) {
		NL_SET_ERR_MSG(extack,
			       "this network namespace holds the most flows allowed (module parameter max_flows)");
		return ERR_PTR(-ENOSPC);
	}

	flow = nk_flow_alloc(nn, params, extack);
	if (IS_ERR(flow))
		return flow;

	err = xa_alloc_cyclic(&nn->flows, &flow->id, flow, xa_limit_31b,
			      &nn->next_id, GFP_KERNEL_ACCOUNT);
	if (err < 0)
		goto err_free;
	err = nk_hooks_port_get(nn, ntohs(flow->params.key.local_port));
	if (err)
		goto err_erase;
	err = nk_flow_table_insert(nn, flow, extack);
	if (err)
		goto err_port;

	nn->count++;
	nk_timers_start(flow, nk_timers_first_expiry(flow));
	pr_debug("flow %u created in netns %u\n", flow->id, nn->net->ns.inum);
	return flow;

err_port:
	nk_hooks_port_put(nn);
err_erase:
	xa_erase(&nn->flows, flow->id);
err_free:
	nk_flow_free(flow);
	return ERR_PTR(err);
}

/*
 * Put a new flow with @params (whose SIP text it takes) in the place of
 * @old: same id, same stats, same knowledge of its peer. On error nothing
 * has changed. The send schedule continues unless the interval changed.
 */
struct nk_flow *nk_flow_replace(struct nk_flow *old,
				struct nk_flow_params *params,
				struct netlink_ext_ack *extack)
{
	u16 old_port = ntohs(old->params.key.local_port);
	u16 new_port = ntohs(params->key.local_port);
	bool same_key = nk_params_same_key(params, &old->params);
	struct nk_net *nn = old->nn;
	struct nk_flow *flow;
	ktime_t next;
	int err;

	lockdep_assert_held(&nn->lock);
	flow = nk_flow_alloc(nn, params, extack);
	if (IS_ERR(flow))
		return flow;
	flow->id = old->id;

	if (new_port != old_port) {
		err = nk_hooks_port_get(nn, new_port);
		if (err)
			goto err_free;
	}
	if (same_key)
		err = rhashtable_replace_fast(&nn->table, &old->node,
					      &flow->node,
					      nk_flow_table_params);
	else
		err = nk_flow_table_insert(nn, flow, extack);
	if (err)
		goto err_port;
	/* Replacing a present entry allocates nothing and cannot fail. */
	xa_store(&nn->flows, flow->id, flow, GFP_KERNEL);
	if (!same_key)
		rhashtable_remove_fast(&nn->table, &old->node,
				       nk_flow_table_params);
	if (new_port != old_port)
		nk_hooks_port_put(nn);

	next = nk_timers_stop(old);
	nk_peer_carry_over(&flow->peer, &old->peer);
	if (!nk_params_same_schedule(&flow->params, &old->params))
		next = nk_timers_first_expiry(flow);
	nk_timers_start(flow, next);

	call_rcu(&old->rcu, nk_flow_free_rcu);
	pr_debug("flow %u changed\n", flow->id);
	return flow;

err_port:
	if (new_port != old_port)
		nk_hooks_port_put(nn);
err_free:
	nk_flow_free(flow);
	return ERR_PTR(err);
}

void nk_flow_delete(struct nk_flow *flow)
{
	struct nk_net *nn = flow->nn;

	lockdep_assert_held(&nn->lock);
	rhashtable_remove_fast(&nn->table, &flow->node, nk_flow_table_params);
	xa_erase(&nn->flows, flow->id);
	nk_hooks_port_put(nn);
	nn->count--;
	pr_debug("flow %u deleted\n", flow->id);
	nk_flow_release(flow);
}

static int __net_init nk_net_init(struct net *net)
{
	struct nk_net *nn = nk_net_get(net);
	int err;

	nn->net = net;
	mutex_init(&nn->lock);
	xa_init_flags(&nn->flows, XA_FLAGS_ALLOC1);
	nn->next_id = 1;
	nn->stats = nk_net_stats_alloc();
	if (!nn->stats)
		return -ENOMEM;
	err = rhashtable_init(&nn->table, &nk_flow_table_params);
	if (err)
		free_percpu(nn->stats);
	return err;
}

/*
 * Unload and namespace exit wait for a grace period after pre_exit: the
 * hooks go here, so that no run of them is left when exit frees what they
 * read (the filter, this nk_net, the module's buffers).
 */
static void __net_exit nk_net_pre_exit(struct net *net)
{
	struct nk_net *nn = nk_net_get(net);

	mutex_lock(&nn->lock);
	nk_hooks_unregister(nn);
	mutex_unlock(&nn->lock);
}

static void __net_exit nk_net_exit(struct net *net)
{
	struct nk_net *nn = nk_net_get(net);
	struct nk_flow *flow;
	unsigned long id;

	mutex_lock(&nn->lock);
	xa_for_each(&nn->flows, id, flow)
		nk_flow_delete(flow);
	mutex_unlock(&nn->lock);
	xa_destroy(&nn->flows);
	rhashtable_destroy(&nn->table);
	/* Stopped timers write no more; flows in a grace period read none. */
	free_percpu(nn->stats);
}

static struct pernet_operations nk_net_ops = {
	.init = nk_net_init,
	.pre_exit = nk_net_pre_exit,
	.exit = nk_net_exit,
	.id = &nk_net_id,
	.size = sizeof(struct nk_net),
};

int nk_flow_init(void)
{
	int err;

	nk_flow_cache = kmem_cache_create("natkeep_flow", sizeof(struct nk_flow),
					  0, SLAB_ACCOUNT, NULL);
	if (!nk_flow_cache)
		return -ENOMEM;
	err = register_pernet_subsys(&nk_net_ops);
	if (err)
		kmem_cache_destroy(nk_flow_cache);
	return err;
}

/* Every namespace's flows are stopped and freed before this returns. */
void nk_flow_uninit(void)
{
	unregister_pernet_subsys(&nk_net_ops);
	rcu_barrier();
	kmem_cache_destroy(nk_flow_cache);
}

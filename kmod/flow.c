// SPDX-License-Identifier: GPL-2.0
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "flow.h"
#include "timer.h"

static unsigned int max_flows = 16384;
module_param(max_flows, uint, 0644);
MODULE_PARM_DESC(max_flows, "Most flows one network namespace may hold (default 16384)");

/*
 * Namespaces owned by a user namespace other than the initial one, which
 * any user can make (unshare -rn), share the host's timer queues: off
 * unless allowed, and then all of them together within a send rate.
 */
static bool userns_flows;
module_param(userns_flows, bool, 0644);
MODULE_PARM_DESC(userns_flows,
		 "Network namespaces owned by another user namespace than the initial one (containers, unshare -rn) may add and change flows (default N)");

static unsigned int userns_max_rate = 1000;
module_param(userns_max_rate, uint, 0644);
MODULE_PARM_DESC(userns_max_rate,
		 "Keep-alives a second the flows of all such namespaces together may send (default 1000)");

/* Their flows' rates, summed: sends a second, in thousandths. */
static atomic_long_t nk_userns_rate = ATOMIC_LONG_INIT(0);

static unsigned int nk_net_id __read_mostly;

/* A cache of their own: flows are many and alike, and slabinfo counts them. */
static struct kmem_cache *nk_flow_cache __read_mostly;

static const struct rhashtable_params nk_flow_table_params = {
	.key_len = NK_FLOW_KEY_LEN,
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

static bool nk_net_is_userns(const struct nk_net *nn)
{
	return nn->net->user_ns != &init_user_ns;
}

/* A flow's most sends a second, in thousandths: randomised, at 80 %. */
static long nk_flow_rate(const struct nk_flow_params *params)
{
	return DIV_ROUND_UP(params->randomize ? 1250000 : 1000000,
			    params->interval_ms);
}

/*
 * A flow of rate @add (and no longer @sub) in @nn: within the limits of
 * namespaces of user namespaces? Counted if so.
 */
static int nk_userns_charge(struct nk_net *nn, long add, long sub,
			    struct netlink_ext_ack *extack)
{
	if (!nk_net_is_userns(nn))
		return 0;
	if (!READ_ONCE(userns_flows)) {
		NL_SET_ERR_MSG(extack,
			       "flows in network namespaces of user namespaces are off (module parameter userns_flows)");
		return -EPERM;
	}
	if (atomic_long_add_return(add - sub, &nk_userns_rate) >
	    (long)READ_ONCE(userns_max_rate) * 1000 && add > sub) {
		atomic_long_sub(add - sub, &nk_userns_rate);
		NL_SET_ERR_MSG(extack,
			       "the flows of user namespaces' network namespaces would send more keep-alives a second than allowed (module parameter userns_max_rate)");
		return -ENOSPC;
	}
	return 0;
}

static void nk_userns_uncharge(struct nk_net *nn, long rate)
{
	if (nk_net_is_userns(nn))
		atomic_long_sub(rate, &nk_userns_rate);
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

/* Free a flow that is out of the table, once its RCU readers are gone. */
void nk_flow_release(struct nk_flow *flow)
{
	call_rcu(&flow->rcu, nk_flow_free_rcu);
}

static void nk_flow_exists(struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack,
		       "a flow from this local address and port to this remote address and port exists");
}

static int nk_flow_table_insert(struct nk_net *nn, struct nk_flow *flow,
				struct netlink_ext_ack *extack)
{
	int err;

	err = rhashtable_lookup_insert_fast(&nn->table, &flow->node,
					    nk_flow_table_params);
	if (err == -EEXIST)
		nk_flow_exists(extack);
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

	err = nk_userns_charge(nn, nk_flow_rate(params), 0, extack);
	if (err)
		return ERR_PTR(err);
	flow = nk_flow_alloc(nn, params, extack);
	if (IS_ERR(flow)) {
		nk_userns_uncharge(nn, nk_flow_rate(params));
		return flow;
	}

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
	nk_userns_uncharge(nn, nk_flow_rate(&flow->params));
	nk_flow_free(flow);
	return ERR_PTR(err);
}

/*
 * Put a new flow with @params (whose SIP text it takes) in the place of
 * @old: same id, same stats, same knowledge of its peer (but the mapping
 * if the key changed). On error nothing has changed. The send schedule
 * continues unless the interval changed. The old flow stops before the new
 * one takes over what it knows and is published; what the old one hears
 * in between (microseconds) is lost, and told again by the next answer.
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
	err = nk_userns_charge(nn, nk_flow_rate(params),
			       nk_flow_rate(&old->params), extack);
	if (err)
		return ERR_PTR(err);
	flow = nk_flow_alloc(nn, params, extack);
	if (IS_ERR(flow)) {
		err = PTR_ERR(flow);
		goto err_charge;
	}
	flow->id = old->id;

	/* The table changes only under nn->lock: no one takes the key meanwhile. */
	if (!same_key && rhashtable_lookup_fast(&nn->table, &flow->params.key,
						nk_flow_table_params)) {
		nk_flow_exists(extack);
		err = -EEXIST;
		goto err_free;
	}
	if (new_port != old_port) {
		err = nk_hooks_port_get(nn, new_port);
		if (err)
			goto err_free;
	}

	next = nk_timers_stop(old);
	nk_peer_carry_over(&flow->peer, &old->peer, same_key);
	if (same_key) {
		/* Replacing a present entry allocates nothing and cannot fail. */
		rhashtable_replace_fast(&nn->table, &old->node, &flow->node,
					nk_flow_table_params);
	} else {
		err = rhashtable_insert_fast(&nn->table, &flow->node,
					     nk_flow_table_params);
		if (err) {
			/* A stopped flow not yet freed may go on. */
			nk_timers_start(old, next);
			goto err_port;
		}
		rhashtable_remove_fast(&nn->table, &old->node,
				       nk_flow_table_params);
	}
	/* Replacing a present entry allocates nothing and cannot fail. */
	xa_store(&nn->flows, flow->id, flow, GFP_KERNEL);
	if (new_port != old_port)
		nk_hooks_port_put(nn);

	if (!nk_params_same_schedule(&flow->params, &old->params))
		next = nk_timers_first_expiry(flow);
	nk_timers_start(flow, next);
	nk_flow_release(old);
	pr_debug("flow %u changed\n", flow->id);
	return flow;

err_port:
	if (new_port != old_port)
		nk_hooks_port_put(nn);
err_free:
	nk_flow_free(flow);
err_charge:
	nk_userns_uncharge(nn, nk_flow_rate(params) -
			   nk_flow_rate(&old->params));
	return ERR_PTR(err);
}

/*
 * Take @flow out of the tables and stop it: it sends and tells no more,
 * and the caller, still under nn->lock, may report it before
 * nk_flow_release().
 */
void nk_flow_remove(struct nk_flow *flow)
{
	struct nk_net *nn = flow->nn;

	lockdep_assert_held(&nn->lock);
	rhashtable_remove_fast(&nn->table, &flow->node, nk_flow_table_params);
	xa_erase(&nn->flows, flow->id);
	nk_hooks_port_put(nn);
	nn->count--;
	nk_userns_uncharge(nn, nk_flow_rate(&flow->params));
	nk_timers_stop(flow);
	pr_debug("flow %u deleted\n", flow->id);
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
	xa_for_each(&nn->flows, id, flow) {
		nk_flow_remove(flow);
		nk_flow_release(flow);
	}
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

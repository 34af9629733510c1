// SPDX-License-Identifier: GPL-2.0
/*
 * LOCAL_IN hooks: UDP to a flow's local port from its remote is read for
 * what the peer tells (STUN responses, SIP responses). Every packet is
 * hostile: headers are read with skb_header_pointer(), the payload is
 * copied (bounded) before the protocol code looks at it, the UDP checksum
 * is verified before anything is believed, and only a STUN answer to the
 * flow's own request is taken away from the SIP socket.
 */
#include <linux/bitmap.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/udp.h>
#include <net/ipv6.h>

#include "flow.h"
#include "hook.h"
#include "peer.h"
#include "proto/sip.h"
#include "proto/stun.h"

/*
 * The most payload read: a SIP response's headers fit (the Via, CSeq and
 * Call-ID come first in practice); a longer message is read up to here.
 */
#define NK_RX_MAX	2048
#define NK_PORTS	(U16_MAX + 1)
/* Deletions the filter may lag behind before a rebuild, at least. */
#define NK_PORTS_STALE_MIN	64

struct nk_port_filter {
	struct rcu_head rcu;
	DECLARE_BITMAP(bits, NK_PORTS);
};

struct nk_rx_buf {
	u8 data[NK_RX_MAX];
};

/* Hooks run with BH disabled: one scratch buffer per CPU is enough. */
static struct nk_rx_buf __percpu *nk_rx_bufs;

/* What the hook knows of a packet once it found its flow. */
struct nk_rx {
	struct sk_buff *skb;
	const struct nf_hook_state *state;
	unsigned int dataoff;		/* the UDP header */
	unsigned int len;		/* UDP payload length */
	union nk_addr daddr;		/* the local address it arrived at */
	__sum16 udp_check;
	u8 nfproto;
};

/* IPv4 UDP may go without a checksum (0); IPv6 may not. */
static bool nk_rx_csum_ok(const struct nk_rx *rx)
{
	if (rx->nfproto == NFPROTO_IPV4 && !rx->udp_check)
		return true;
	return !nf_checksum(rx->skb, rx->state->hook, rx->dataoff,
			    IPPROTO_UDP, rx->nfproto);
}

/* No NAT maps to an unspecified, multicast or broadcast address, or port 0. */
static bool nk_mapping_plausible(const struct nk_proto_addr *m)
{
	const struct in6_addr *a6 = (const struct in6_addr *)m->addr;
	__be32 a4;

	if (!m->port)
		return false;
	if (m->family == AF_INET6)
		return !ipv6_addr_any(a6) && !ipv6_addr_is_multicast(a6);
	memcpy(&a4, m->addr, sizeof(a4));
	return !ipv4_is_zeronet(a4) && !ipv4_is_multicast(a4) &&
	       !ipv4_is_lbcast(a4);
}

/* A STUN response: consume it if it answers this flow's request. */
static unsigned int nk_rx_stun(struct nk_flow *flow, const struct nk_rx *rx,
			       const u8 *msg, unsigned int len)
{
	struct nk_stun_response rsp;
	struct nk_proto_addr *mapped = &rsp.mapped;

	if (nk_stun_parse_response(msg, len, &rsp) != NK_STUN_PARSED)
		return NF_ACCEPT;
	if (!nk_peer_stun_response(flow, &rsp, ktime_get()))
		return NF_ACCEPT;
	if (rsp.success && rsp.has_mapped &&
	    mapped->family == flow->params.key.family &&
	    nk_mapping_plausible(mapped))
		nk_peer_mapping_seen(flow, mapped, NATKEEP_MAPPING_SRC_STUN);
	consume_skb(rx->skb);
	return NF_STOLEN;
}

/*
 * Whether a response's top Via is one this port sent: its sent-by is the
 * address and port the response came back to (a request sent with the
 * local address), or the flow's public mapping (a SIP stack that already
 * puts that in its Via). Anything else tells nothing about this port's
 * mapping, however well-formed.
 */
static bool nk_via_is_ours(struct nk_flow *flow, const struct nk_rx *rx,
			   const struct nk_sip_response *rsp)
{
	const struct nk_proto_addr *by = &rsp->sent_by;
	u16 port = by->port ?: 5060;	/* RFC 3261, 18.1.1 */
	size_t alen = by->family == AF_INET ? 4 : 16;
	struct nk_peer_state peer;

	if (!rsp->has_sent_by || by->family != flow->params.key.family)
		return false;
	if (port == ntohs(flow->params.key.local_port) &&
	    !memcmp(by->addr, &rx->daddr, alen))
		return true;
	nk_peer_read(&flow->peer, &peer);
	return peer.mapping.family && port == peer.mapping.port &&
	       !memcmp(by->addr, &peer.mapping.addr, alen);
}

/* A SIP response: learn from it, and let it go on to the SIP socket. */
static void nk_rx_sip(struct nk_flow *flow, const struct nk_rx *rx,
		      const u8 *msg, unsigned int len)
{
	struct nk_sip_response rsp;
	struct nk_proto_addr mapping;

	if (nk_sip_parse_response((const char *)msg, len, &rsp))
		return;
	nk_peer_sip_response(flow, &rsp, ktime_get());
	if (nk_sip_response_mapping(&rsp, &mapping) &&
	    mapping.family == flow->params.key.family &&
	    nk_mapping_plausible(&mapping) && nk_via_is_ours(flow, rx, &rsp))
		nk_peer_mapping_seen(flow, &mapping, NATKEEP_MAPPING_SRC_VIA);
}

static unsigned int nk_rx_flow(struct nk_flow *flow, const struct nk_rx *rx)
{
	unsigned int len = min_t(unsigned int, rx->len, NK_RX_MAX);
	unsigned int off = rx->dataoff + sizeof(struct udphdr);
	u8 *buf = this_cpu_ptr(nk_rx_bufs)->data;
	bool stun = flow->params.msg_type == NATKEEP_MSG_STUN;

	if (len < NK_STUN_HEADER_LEN || !nk_rx_csum_ok(rx) ||
	    skb_copy_bits(rx->skb, off, buf, len))
		return NF_ACCEPT;
	/* A STUN message is never cut: its length must match the datagram's. */
	if (stun && len == rx->len && nk_stun_looks_like(buf, len))
		return nk_rx_stun(flow, rx, buf, len);
	if (!memcmp(buf, "SIP/2.0 ", 8))
		nk_rx_sip(flow, rx, buf, len);
	return NF_ACCEPT;
}

/* The UDP header at rx->dataoff, if the datagram is whole and to a flow's port. */
static const struct udphdr *nk_rx_udp(struct nk_net *nn, struct nk_rx *rx,
				      struct udphdr *buf)
{
	/* NULL after pre_exit unregistered the hooks, for a run in flight. */
	const struct nk_port_filter *filter = rcu_dereference(nn->hooks.ports);
	const struct udphdr *uh;
	unsigned int ulen;

	uh = skb_header_pointer(rx->skb, rx->dataoff, sizeof(*buf), buf);
	if (!uh || !filter || !test_bit(ntohs(uh->dest), filter->bits))
		return NULL;
	ulen = ntohs(uh->len);
	if (ulen < sizeof(*uh) || ulen > rx->skb->len - rx->dataoff)
		return NULL;
	rx->len = ulen - sizeof(*uh);
	rx->udp_check = uh->check;
	return uh;
}

/* A flow bound to the packet's local address, or to all of them. */
static struct nk_flow *nk_rx_lookup(struct nk_net *nn, struct nk_flow_key *key)
{
	struct nk_flow *flow = nk_flow_lookup(nn, key);

	if (flow)
		return flow;
	memset(&key->local, 0, sizeof(key->local));
	return nk_flow_lookup(nn, key);
}

/* The flow key of a packet to a flow's port (@uh its UDP header). */
static void nk_rx_key(const struct nk_rx *rx, const struct udphdr *uh,
		      struct nk_flow_key *key)
{
	memset(key, 0, sizeof(*key));
	if (rx->nfproto == NFPROTO_IPV4) {
		const struct iphdr *iph = ip_hdr(rx->skb);

		key->family = AF_INET;
		key->local.ip = iph->daddr;
		key->remote.ip = iph->saddr;
	} else {
		const struct ipv6hdr *ip6h = ipv6_hdr(rx->skb);

		key->family = AF_INET6;
		key->local.ip6 = ip6h->daddr;
		key->remote.ip6 = ip6h->saddr;
	}
	key->local_port = uh->dest;
	key->remote_port = uh->source;
}

/*
 * The rest of the way, once the hook found a whole UDP datagram at
 * @dataoff: to a flow's port? whose flow? The port test comes first,
 * before anything else is set up: it is all most packets take.
 */
static unsigned int nk_rx(struct nk_net *nn, struct sk_buff *skb,
			  const struct nf_hook_state *state, u8 nfproto,
			  unsigned int dataoff)
{
	const struct udphdr *uh;
	struct nk_flow_key key;
	struct nk_flow *flow;
	struct udphdr _uh;
	struct nk_rx rx;

	rx.skb = skb;
	rx.dataoff = dataoff;
	uh = nk_rx_udp(nn, &rx, &_uh);
	if (!uh)
		return NF_ACCEPT;
	rx.state = state;
	rx.nfproto = nfproto;
	nk_rx_key(&rx, uh, &key);
	rx.daddr = key.local;
	flow = nk_rx_lookup(nn, &key);
	return flow ? nk_rx_flow(flow, &rx) : NF_ACCEPT;
}

static unsigned int nk_hook_ipv4(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (iph->protocol != IPPROTO_UDP || ip_is_fragment(iph))
		return NF_ACCEPT;
	return nk_rx(priv, skb, state, NFPROTO_IPV4, ip_hdrlen(skb));
}

static unsigned int nk_hook_ipv6(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;
	__be16 frag_off;
	int off;

	off = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), &nexthdr, &frag_off);
	if (off < 0 || nexthdr != IPPROTO_UDP || (frag_off & htons(~0x7)))
		return NF_ACCEPT;
	return nk_rx(priv, skb, state, NFPROTO_IPV6, off);
}

/* After conntrack and input NAT, as the SIP socket will see the packet. */
static const struct nf_hook_ops nk_hook_ops_template[] = {
	{
		.hook = nk_hook_ipv4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_NAT_SRC + 1,
	},
	{
		.hook = nk_hook_ipv6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP6_PRI_NAT_SRC + 1,
	},
};

static struct nk_port_filter *nk_port_filter(struct nk_net *nn)
{
	return rcu_dereference_protected(nn->hooks.ports,
					 lockdep_is_held(&nn->lock));
}

static int nk_hooks_register(struct nk_net *nn)
{
	struct nf_hook_ops *ops = nn->hooks.ops;
	struct nk_port_filter *filter;
	int i, err;

	BUILD_BUG_ON(sizeof(nn->hooks.ops) != sizeof(nk_hook_ops_template));
	filter = kzalloc(sizeof(*filter), GFP_KERNEL_ACCOUNT);
	if (!filter)
		return -ENOMEM;
	/* The hooks may run as soon as they are registered. */
	rcu_assign_pointer(nn->hooks.ports, filter);
	memcpy(ops, nk_hook_ops_template, sizeof(nk_hook_ops_template));
	for (i = 0; i < ARRAY_SIZE(nk_hook_ops_template); i++)
		ops[i].priv = nn;
	err = nf_register_net_hooks(nn->net, ops,
				    ARRAY_SIZE(nk_hook_ops_template));
	if (err) {
		/* The IPv4 hook may have run until the IPv6 one failed. */
		RCU_INIT_POINTER(nn->hooks.ports, NULL);
		kfree_rcu(filter, rcu);
		return err;
	}
	return 0;
}

/*
 * The namespace is going (pre_exit). Unregistering does not wait for the
 * hooks' runs in flight (netfilter frees its entries with call_rcu): they
 * may still read the filter, which goes after a grace period, and this
 * nk_net, which the namespace's exit frees after one.
 */
void nk_hooks_unregister(struct nk_net *nn)
{
	struct nk_port_filter *filter = nk_port_filter(nn);

	if (!filter)
		return;
	nf_unregister_net_hooks(nn->net, nn->hooks.ops,
				ARRAY_SIZE(nk_hook_ops_template));
	RCU_INIT_POINTER(nn->hooks.ports, NULL);
	kfree_rcu(filter, rcu);
}

/* A flow uses local @port; the first flow of a namespace registers the hooks. */
int nk_hooks_port_get(struct nk_net *nn, u16 port)
{
	int err;

	lockdep_assert_held(&nn->lock);
	if (!nk_port_filter(nn)) {
		err = nk_hooks_register(nn);
		if (err)
			return err;
	}
	set_bit(port, nk_port_filter(nn)->bits);
	return 0;
}

/*
 * A new filter with the ports of the flows there are, swapped in for the
 * hook's readers. Without memory the old one stays: it only costs lookups.
 */
static void nk_port_filter_rebuild(struct nk_net *nn)
{
	struct nk_port_filter *filter;
	struct nk_flow *flow;
	unsigned long id;

	filter = kzalloc(sizeof(*filter), GFP_KERNEL_ACCOUNT);
	if (!filter)
		return;
	xa_for_each(&nn->flows, id, flow)
		__set_bit(ntohs(flow->params.key.local_port), filter->bits);
	kfree_rcu(rcu_replace_pointer(nn->hooks.ports, filter,
				      lockdep_is_held(&nn->lock)), rcu);
	nn->hooks.stale = 0;
}

/*
 * A flow gave up its local port (the caller has taken it out of the flow
 * table); its bit stays until the next rebuild. The hooks stay, even
 * without flows, until the namespace goes: each registration and
 * unregistration flips netfilter's static key, a patch of the kernel's
 * text synchronised on every CPU, which flows that come and go should not
 * cost.
 */
void nk_hooks_port_put(struct nk_net *nn)
{
	lockdep_assert_held(&nn->lock);
	if (!nk_port_filter(nn))	/* exit, after pre_exit: nothing to rebuild */
		return;
	if (++nn->hooks.stale > max_t(unsigned int, nn->count,
				      NK_PORTS_STALE_MIN))
		nk_port_filter_rebuild(nn);
}

int nk_hook_init(void)
{
	nk_rx_bufs = alloc_percpu(struct nk_rx_buf);
	return nk_rx_bufs ? 0 : -ENOMEM;
}

void nk_hook_uninit(void)
{
	free_percpu(nk_rx_bufs);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * LOCAL_IN hooks: UDP to a flow's local port from its remote is read for
 * what the peer tells in its answers to the flow's requests (STUN and SIP
 * responses). Every packet is hostile: headers are read with
 * skb_header_pointer(), the payload is copied (bounded) before the
 * protocol code looks at it, the UDP checksum is verified before anything
 * is believed, only an answer to the flow's own request is believed, and
 * only a STUN one is taken away from the SIP socket.
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
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "flow.h"
#include "hook.h"
#include "peer.h"
#include "proto/sip.h"
#include "proto/stun.h"

/*
 * The most payload read: a SIP response's Via, Call-ID and CSeq come first
 * in practice; of a longer message the headers that end within it are
 * parsed (nk_sip_parse_response_head()).
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

/*
 * One scratch buffer per CPU, used with BH disabled (nk_rx()): hooks
 * usually run so, but not when nfqueue hands a packet back (nf_reinject()
 * from a process), and a softirq on this CPU would take the buffer, or
 * the flow's peer lock, from under the interrupted run.
 */
static struct nk_rx_buf __percpu *nk_rx_bufs;

/* What the hook knows of a packet once it found its flow. */
struct nk_rx {
	struct sk_buff *skb;
	const struct nf_hook_state *state;
	unsigned int dataoff;		/* the UDP header */
	unsigned int len;		/* UDP payload length */
	__sum16 udp_check;
	u8 nfproto;
};

/*
 * IPv4 UDP may go without a checksum (0); IPv6 may not. netfilter checks
 * (and may take from the device) the checksum of all the IP payload; bytes
 * after the UDP length, which the socket never sees, need ours instead.
 */
static bool nk_rx_csum_ok(const struct nk_rx *rx)
{
	unsigned int ulen = rx->len + sizeof(struct udphdr);
	__wsum sum;

	if (rx->nfproto == NFPROTO_IPV4 && !rx->udp_check)
		return true;
	if (ulen == rx->skb->len - rx->dataoff)
		return !nf_checksum(rx->skb, rx->state->hook, rx->dataoff,
				    IPPROTO_UDP, rx->nfproto);
	sum = skb_checksum(rx->skb, rx->dataoff, ulen, 0);
	if (rx->nfproto == NFPROTO_IPV4)
		return !csum_tcpudp_magic(ip_hdr(rx->skb)->saddr,
					  ip_hdr(rx->skb)->daddr, ulen,
					  IPPROTO_UDP, sum);
	return !csum_ipv6_magic(&ipv6_hdr(rx->skb)->saddr,
				&ipv6_hdr(rx->skb)->daddr, ulen, IPPROTO_UDP,
				sum);
}

/*
 * The mapping a peer tells, if it can be one: of the flow's family, and no
 * NAT maps to an unspecified, multicast or broadcast address, or port 0.
 */
static const struct nk_proto_addr *nk_rx_mapping(const struct nk_flow *flow,
						 const struct nk_proto_addr *m)
{
	const struct in6_addr *a6 = (const struct in6_addr *)m->addr;
	__be32 a4;

	if (!m->port || m->family != flow->params.key.family)
		return NULL;
	if (m->family == AF_INET6)
		return ipv6_addr_any(a6) || ipv6_addr_is_multicast(a6) ?
		       NULL : m;
	memcpy(&a4, m->addr, sizeof(a4));
	return ipv4_is_zeronet(a4) || ipv4_is_multicast(a4) ||
	       ipv4_is_lbcast(a4) ? NULL : m;
}

/* A STUN response: consume it if it answers this flow's request. */
static unsigned int nk_rx_stun(struct nk_flow *flow, const struct nk_rx *rx,
			       const u8 *msg, unsigned int len)
{
	const struct nk_proto_addr *mapping = NULL;
	struct nk_stun_response rsp;

	if (nk_stun_parse_response(msg, len, &rsp) != NK_STUN_PARSED)
		return NF_ACCEPT;
	if (rsp.success && rsp.has_mapped)
		mapping = nk_rx_mapping(flow, &rsp.mapped);
	if (!nk_peer_stun_response(flow, &rsp, mapping, ktime_get()))
		return NF_ACCEPT;
	consume_skb(rx->skb);
	return NF_STOLEN;
}

/*
 * A SIP response to a SIP flow: if it answers the flow's request (its
 * Call-ID, CSeq and branch: nothing an off-path sender can know), the
 * peer is alive and its top Via tells the mapping. It goes on to the SIP
 * socket either way. True if it is to the flow's request.
 */
static bool nk_rx_sip(struct nk_flow *flow, const struct nk_rx *rx,
		      const u8 *msg, unsigned int len)
{
	const struct nk_proto_addr *mapping = NULL;
	struct nk_sip_response rsp;
	struct nk_proto_addr via;
	int err;

	if (len < rx->len)
		err = nk_sip_parse_response_head((const char *)msg, len, &rsp);
	else
		err = nk_sip_parse_response((const char *)msg, len, &rsp);
	if (err)
		return false;
	if (nk_sip_response_mapping(&rsp, &via))
		mapping = nk_rx_mapping(flow, &via);
	return nk_peer_sip_response(flow, &rsp, mapping, ktime_get());
}

/*
 * The packet as an answer to @flow: NF_STOLEN for the module's own STUN
 * answer, else NF_ACCEPT, with *@ours telling whether it was to the
 * flow's request. BH disabled (nk_rx()).
 */
static unsigned int nk_rx_flow(struct nk_flow *flow, const struct nk_rx *rx,
			       bool *ours)
{
	unsigned int len = min_t(unsigned int, rx->len, NK_RX_MAX);
	unsigned int off = rx->dataoff + sizeof(struct udphdr);
	bool stun = flow->params.msg_type == NATKEEP_MSG_STUN;
	bool sip = nk_flow_payload(flow)->sip;
	u8 *buf = this_cpu_ptr(nk_rx_bufs)->data;

	*ours = false;
	if ((!stun && !sip) || len < NK_STUN_HEADER_LEN ||
	    !nk_rx_csum_ok(rx) || skb_copy_bits(rx->skb, off, buf, len))
		return NF_ACCEPT;
	/* A STUN message is never cut: its length must match the datagram's. */
	if (stun && len == rx->len && nk_stun_looks_like(buf, len)) {
		unsigned int verdict = nk_rx_stun(flow, rx, buf, len);

		*ours = verdict == NF_STOLEN;
		return verdict;
	}
	if (sip && !memcmp(buf, "SIP/2.0 ", 8))
		*ours = nk_rx_sip(flow, rx, buf, len);
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
	unsigned int verdict = NF_ACCEPT;
	struct nk_flow *flow;
	struct udphdr _uh;
	bool ours = false;
	struct nk_rx rx;

	rx.skb = skb;
	rx.dataoff = dataoff;
	uh = nk_rx_udp(nn, &rx, &_uh);
	if (!uh)
		return NF_ACCEPT;
	rx.state = state;
	rx.nfproto = nfproto;
	nk_rx_key(&rx, uh, &key);
	/* Already so but after nf_reinject(): see nk_rx_bufs. */
	local_bh_disable();
	flow = nk_flow_lookup(nn, &key);
	if (flow)
		verdict = nk_rx_flow(flow, &rx, &ours);
	/*
	 * Not an answer to a flow bound to the address it came to: perhaps
	 * one to a flow bound to all addresses, with the same ports and
	 * remote (both may exist).
	 */
	if (!ours) {
		memset(&key.local, 0, sizeof(key.local));
		flow = nk_flow_lookup(nn, &key);
		if (flow)
			verdict = nk_rx_flow(flow, &rx, &ours);
	}
	local_bh_enable();
	return verdict;
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

	/*
	 * Any fragment, the first too: what the UDP socket gets is the
	 * datagram reassembled after LOCAL_IN (or before it, by conntrack's
	 * nf_defrag_ipv6, when that runs in the namespace).
	 */
	off = ipv6_skip_exthdr(skb, sizeof(struct ipv6hdr), &nexthdr, &frag_off);
	if (off < 0 || nexthdr != IPPROTO_UDP ||
	    (frag_off & htons(IP6_OFFSET | IP6_MF)))
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

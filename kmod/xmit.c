// SPDX-License-Identifier: GPL-2.0
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/addrconf.h>
#include <net/dst.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_fib.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/udp.h>

#include "flow.h"
#include "peer.h"
#include "xmit.h"

/*
 * One skb per CPU allocated after a send, off the path between a timer's
 * expiry and the packet, so that the next send on this CPU does not wait
 * for the allocator. Its size fits every keep-alive but the longest SIP
 * texts, which allocate their own.
 */
#define NK_SPARE_SKB_SIZE SKB_WITH_OVERHEAD(2048)

static DEFINE_PER_CPU(struct sk_buff *, nk_spare_skb);

/* A fresh skb with room for @size bytes; softirq context. */
static struct sk_buff *nk_skb_get(unsigned int size)
{
	struct sk_buff *skb = this_cpu_xchg(nk_spare_skb, NULL);

	if (skb && skb_tailroom(skb) >= size)
		return skb;
	/* Too small for this one: it stays for the next. */
	if (skb && this_cpu_cmpxchg(nk_spare_skb, NULL, skb))
		consume_skb(skb);
	return alloc_skb(size, GFP_ATOMIC);
}

/* After a send: a spare for the next one, if this CPU has none. */
void nk_xmit_refill(void)
{
	struct sk_buff *skb;

	if (this_cpu_read(nk_spare_skb))
		return;
	skb = alloc_skb(NK_SPARE_SKB_SIZE, GFP_ATOMIC);
	if (skb && this_cpu_cmpxchg(nk_spare_skb, NULL, skb))
		consume_skb(skb);
}

/* At module exit, once no timer can run. */
void nk_xmit_free_spares(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		consume_skb(per_cpu(nk_spare_skb, cpu));
		per_cpu(nk_spare_skb, cpu) = NULL;
	}
}

/*
 * A route per send, no cache in the flow: looking it up costs the FIB walk
 * (no allocation: the nexthop keeps its output route), a cached dst and the
 * source it chose would cost 28 bytes of every flow, and the route is
 * always the current one. @saddr: the source the route chose.
 */
static struct dst_entry *nk_route4(const struct nk_flow *flow, struct net *net,
				   union nk_addr *saddr)
{
	const struct nk_flow_params *p = &flow->params;
	struct flowi4 fl4 = {
		.daddr = p->key.remote.ip,
		.saddr = p->key.local.ip,
		.flowi4_mark = p->mark,
		.flowi4_tos = RT_TOS(p->dscp << 2),
		.flowi4_proto = IPPROTO_UDP,
		.fl4_sport = p->key.local_port,
		.fl4_dport = p->key.remote_port,
	};
	struct rtable *rt;

	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return ERR_CAST(rt);
	saddr->ip = fl4.saddr;
	return &rt->dst;
}

static struct dst_entry *nk_route6(const struct nk_flow *flow, struct net *net,
				   union nk_addr *saddr)
{
	const struct nk_flow_params *p = &flow->params;
	struct flowi6 fl6 = {
		.daddr = p->key.remote.ip6,
		.saddr = p->key.local.ip6,
		.flowi6_mark = p->mark,
		.flowi6_proto = IPPROTO_UDP,
		.fl6_sport = p->key.local_port,
		.fl6_dport = p->key.remote_port,
	};
	struct dst_entry *dst;

	/* As IPv4's route lookup does: no source that is not ours. */
	if (!ipv6_addr_any(&fl6.saddr) &&
	    !ipv6_chk_addr(net, &fl6.saddr, NULL, 0))
		return ERR_PTR(-EADDRNOTAVAIL);
	dst = ip6_dst_lookup_flow(net, NULL, &fl6, NULL);
	if (IS_ERR(dst))
		return dst;
	saddr->ip6 = fl6.saddr;
	return dst;
}

static struct dst_entry *nk_route(const struct nk_flow *flow, struct net *net,
				  union nk_addr *saddr)
{
	if (flow->params.key.family == AF_INET)
		return nk_route4(flow, net, saddr);
	return nk_route6(flow, net, saddr);
}

static struct udphdr *nk_push_udp(struct sk_buff *skb,
				  const struct nk_flow_key *key)
{
	struct udphdr *uh = skb_push(skb, sizeof(*uh));

	skb_reset_transport_header(skb);
	uh->source = key->local_port;
	uh->dest = key->remote_port;
	uh->len = htons(skb->len);
	uh->check = 0;
	return uh;
}

/* The checksum in software: a keep-alive is a few dozen bytes. */
static void nk_push_ipv4(struct sk_buff *skb, const struct nk_flow *flow,
			 struct dst_entry *dst, __be32 saddr, struct net *net)
{
	const struct nk_flow_params *p = &flow->params;
	__be32 daddr = p->key.remote.ip;
	struct udphdr *uh = nk_push_udp(skb, &p->key);
	unsigned int ulen = skb->len;
	struct iphdr *iph;

	uh->check = csum_tcpudp_magic(saddr, daddr, ulen, IPPROTO_UDP,
				      csum_partial(uh, ulen, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;

	iph = skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph->version = 4;
	iph->ihl = sizeof(*iph) >> 2;
	iph->tos = p->dscp << 2;
	iph->frag_off = htons(IP_DF);
	iph->ttl = ip4_dst_hoplimit(dst);
	iph->protocol = IPPROTO_UDP;
	iph->saddr = saddr;
	iph->daddr = daddr;
	ip_select_ident(net, skb, NULL);
	skb->protocol = htons(ETH_P_IP);
}

static void nk_push_ipv6(struct sk_buff *skb, const struct nk_flow *flow,
			 struct dst_entry *dst, const struct in6_addr *saddr)
{
	const struct nk_flow_params *p = &flow->params;
	const struct in6_addr *daddr = &p->key.remote.ip6;
	struct udphdr *uh = nk_push_udp(skb, &p->key);
	unsigned int ulen = skb->len;
	struct ipv6hdr *ip6h;

	uh->check = csum_ipv6_magic(saddr, daddr, ulen, IPPROTO_UDP,
				    csum_partial(uh, ulen, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;

	ip6h = skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6h, p->dscp << 2, 0);
	ip6h->nexthdr = IPPROTO_UDP;
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	ip6h->saddr = *saddr;
	ip6h->daddr = *daddr;
	skb->protocol = htons(ETH_P_IPV6);
}

/* IPv6 routes are checked against their FIB node's serial number. */
static u32 nk_route_cookie(const struct dst_entry *dst, bool ipv4)
{
	u32 cookie;

	if (ipv4)
		return 0;
	rcu_read_lock();
	cookie = rt6_get_cookie(container_of(dst, struct rt6_info, dst));
	rcu_read_unlock();
	return cookie;
}

/*
 * Build the flow's next keep-alive, routed, numbered and checksummed, into
 * @pkt, to be sent by nk_xmit_send() now or later, in this CPU's spare skb
 * if it has one. Returns 0 or a negative errno (no route, no memory).
 */
int nk_xmit_build(struct nk_flow *flow, struct nk_xmit_packet *pkt)
{
	const struct nk_payload_ops *payload = nk_flow_payload(flow);
	bool ipv4 = flow->params.key.family == AF_INET;
	unsigned int iphlen = ipv4 ? sizeof(struct iphdr) : sizeof(struct ipv6hdr);
	struct net *net = flow->nn->net;
	struct nk_payload_send send;
	struct dst_entry *dst;
	struct sk_buff *skb;
	unsigned int headroom, len;

	dst = nk_route(flow, net, &send.saddr);
	if (IS_ERR(dst))
		return PTR_ERR(dst);
	send.family = flow->params.key.family;
	send.sport = flow->params.key.local_port;
	send.seq = nk_peer_next_seq(&flow->peer);
	len = payload->prepare(&flow->params, &send);

	headroom = LL_RESERVED_SPACE(dst->dev) + iphlen + sizeof(struct udphdr);
	skb = nk_skb_get(headroom + len + dst->dev->needed_tailroom);
	if (!skb) {
		dst_release(dst);
		return -ENOMEM;
	}
	skb_reserve(skb, headroom);
	payload->write(&flow->params, &send, skb_put(skb, len), len);

	if (ipv4)
		nk_push_ipv4(skb, flow, dst, send.saddr.ip, net);
	else
		nk_push_ipv6(skb, flow, dst, &send.saddr.ip6);
	skb->ip_summed = CHECKSUM_NONE;
	skb->mark = flow->params.mark;
	pkt->route_cookie = nk_route_cookie(dst, ipv4);
	skb_dst_set(skb, dst);
	pkt->skb = skb;
	return 0;
}

/* A packet built but not to be sent (its flow stopped, or another's turn). */
void nk_xmit_discard(struct nk_xmit_packet *pkt)
{
	kfree_skb(pkt->skb);
	pkt->skb = NULL;
}

/* Hand @skb to the IP layer; @sent_at: when, told the peer first (@ps). */
static int nk_xmit_out(struct nk_flow *flow, struct sk_buff *skb,
		       ktime_t *sent_at, struct nk_peer_send *ps)
{
	struct net *net = flow->nn->net;
	int err;

	*sent_at = ktime_get();
	nk_peer_sending(flow, *sent_at, ps);
	if (flow->params.key.family == AF_INET)
		err = ip_local_out(net, NULL, skb);
	else
		err = ip6_local_out(net, NULL, skb);
	err = net_xmit_eval(err);
	return err > 0 ? -ENOBUFS : err;
}

/*
 * Send @pkt, built by nk_xmit_build() for @flow, and consume it; one built
 * before a change of routes or addresses is built again. @sent_at is when
 * it was handed to the IP layer, which @ps records (nk_peer_sending()).
 * Returns 0 or a negative errno (no route, no memory, dropped on the way).
 */
int nk_xmit_send(struct nk_flow *flow, struct nk_xmit_packet *pkt,
		 ktime_t *sent_at, struct nk_peer_send *ps)
{
	struct sk_buff *skb;
	int err;

	if (!dst_check(skb_dst(pkt->skb), pkt->route_cookie)) {
		nk_xmit_discard(pkt);
		err = nk_xmit_build(flow, pkt);
		if (err) {
			*sent_at = ktime_get();
			return err;
		}
	}
	skb = pkt->skb;
	pkt->skb = NULL;
	return nk_xmit_out(flow, skb, sent_at, ps);
}

/* Build one keep-alive and send it now. */
int nk_xmit(struct nk_flow *flow, ktime_t *sent_at, struct nk_peer_send *ps)
{
	struct nk_xmit_packet pkt;
	int err = nk_xmit_build(flow, &pkt);

	if (err) {
		*sent_at = ktime_get();
		return err;
	}
	return nk_xmit_out(flow, pkt.skb, sent_at, ps);
}

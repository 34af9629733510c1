/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sending a flow's keep-alive: the payload, a UDP and an IPv4 or IPv6 header
 * built in a fresh skb (one kept ready per CPU), routed at each build, and
 * handed to ip_local_out / ip6_local_out. The build may come well before the
 * send (the timer builds its next flow's packet in advance): one whose route
 * has gone stale since is built again. No socket is involved, so the packet
 * leaves from the flow's local port even while the SIP stack's socket is
 * bound to it, and passes the same netfilter hooks (and NAT) as that
 * socket's packets.
 */
#ifndef _NK_XMIT_H
#define _NK_XMIT_H

#include <linux/ktime.h>

struct nk_flow;
struct nk_peer_send;
struct sk_buff;

/* A keep-alive built ahead of its send, and its route's validity cookie. */
struct nk_xmit_packet {
	struct sk_buff *skb;
	u32 route_cookie;
};

int nk_xmit_build(struct nk_flow *flow, struct nk_xmit_packet *pkt);
int nk_xmit_send(struct nk_flow *flow, struct nk_xmit_packet *pkt,
		 ktime_t *sent_at, struct nk_peer_send *ps);
void nk_xmit_discard(struct nk_xmit_packet *pkt);
int nk_xmit(struct nk_flow *flow, ktime_t *sent_at, struct nk_peer_send *ps);
void nk_xmit_refill(void);
void nk_xmit_free_spares(void);

#endif /* _NK_XMIT_H */

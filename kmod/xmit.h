/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sending a flow's keep-alive: the payload, a UDP and an IPv4 or IPv6 header
 * built in a fresh skb (one kept ready per CPU), routed at each send and
 * handed to ip_local_out / ip6_local_out. No socket is involved, so the packet leaves
 * from the flow's local port even while the SIP stack's socket is bound to
 * it, and passes the same netfilter hooks (and NAT) as that socket's packets.
 */
#ifndef _NK_XMIT_H
#define _NK_XMIT_H

#include <linux/ktime.h>

struct nk_flow;
struct nk_payload_send;

int nk_xmit(struct nk_flow *flow, struct nk_payload_send *send,
	    ktime_t *sent_at, bool spare);
void nk_xmit_refill(void);
void nk_xmit_free_spares(void);

#endif /* _NK_XMIT_H */

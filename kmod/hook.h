/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netfilter hooks (LOCAL_IN, IPv4 and IPv6) that read the replies to a
 * namespace's flows. They are registered in a namespace when its first flow
 * is made and unregistered when the namespace goes. A bitmap of the local
 * ports that flows use is the cheap first test, so that other traffic pays
 * a bit test and nothing more. It may hold ports no flow uses any more
 * (those cost a failed flow lookup): a deletion leaves its bit, and the
 * bitmap is rebuilt from the flows once there have been more deletions
 * than there are flows. A count per port would cost every flow ~9 bytes
 * (a flow is 192 bytes, 21 to a page).
 */
#ifndef _NK_HOOK_H
#define _NK_HOOK_H

#include <linux/netfilter.h>
#include <linux/types.h>

struct nk_net;

struct nk_port_filter;

struct nk_hooks {
	/* local ports of flows, and some stale; NULL: hooks not registered */
	struct nk_port_filter __rcu *ports;
	unsigned int stale;			/* deletions since the last rebuild */
	struct nf_hook_ops ops[2];	/* IPv4, IPv6; netfilter keeps pointers */
};

int nk_hook_init(void);
void nk_hook_uninit(void);

void nk_hooks_unregister(struct nk_net *nn);
int nk_hooks_port_get(struct nk_net *nn, u16 port);
void nk_hooks_port_put(struct nk_net *nn);

#endif /* _NK_HOOK_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The netfilter hooks (LOCAL_IN, IPv4 and IPv6) that read the replies to a
 * namespace's flows. They are registered in a namespace when its first flow
 * is made. A bitmap of the local ports that flows use is the cheap first
 * test, so that other traffic pays a bit test and nothing more.
 */
#ifndef _NK_HOOK_H
#define _NK_HOOK_H

#include <linux/netfilter.h>
#include <linux/types.h>
#include <linux/xarray.h>

struct nk_net;

struct nk_hooks {
	bool registered;
	unsigned long *ports;		/* local ports of flows, for the hook */
	struct xarray port_refs;	/* local port -> number of flows */
	struct nf_hook_ops ops[2];	/* IPv4, IPv6; netfilter keeps pointers */
};

int nk_hook_init(void);
void nk_hook_uninit(void);

void nk_hooks_net_init(struct nk_net *nn);
void nk_hooks_net_exit(struct nk_net *nn);
int nk_hooks_port_get(struct nk_net *nn, u16 port);
void nk_hooks_port_put(struct nk_net *nn, u16 port);

#endif /* _NK_HOOK_H */

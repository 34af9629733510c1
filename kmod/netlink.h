/* SPDX-License-Identifier: GPL-2.0 */
/* The natkeep generic netlink family: commands and the events group. */
#ifndef _NK_NETLINK_H
#define _NK_NETLINK_H

#include <linux/types.h>

struct nk_flow;
struct nk_mapping;

int nk_netlink_init(void);
void nk_netlink_uninit(void);

/* Events on the events group; any context. */
void nk_netlink_notify_mapping(struct nk_flow *flow,
			       const struct nk_mapping *old);
void nk_netlink_notify_peer(struct nk_flow *flow, u8 cmd);

#endif /* _NK_NETLINK_H */

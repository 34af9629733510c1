/* SPDX-License-Identifier: GPL-2.0 */
/* The natkeep generic netlink family: commands and the events group. */
#ifndef _NK_NETLINK_H
#define _NK_NETLINK_H

int nk_netlink_init(void);
void nk_netlink_uninit(void);

#endif /* _NK_NETLINK_H */

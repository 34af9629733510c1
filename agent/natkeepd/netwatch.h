/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gateway's own addresses and routes (rtnetlink through libnl-route-3):
 * after a change, and once things have settled, changed() is called so
 * that accounts whose address towards their server moved register again.
 */
#ifndef NKD_NETWATCH_H
#define NKD_NETWATCH_H

#include <sofia-sip/su_wait.h>

/* Changes closer together than this are one change. */
#define NKD_NETWATCH_SETTLE_MS	500

int nkd_netwatch_start(su_root_t *root, void (*changed)(void *ctx), void *ctx);
void nkd_netwatch_stop(void);

#endif

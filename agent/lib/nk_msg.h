/* SPDX-License-Identifier: GPL-2.0 */
/* Generic netlink message headers. */
#ifndef NK_MSG_H
#define NK_MSG_H

#include <stdint.h>
#include <libmnl/libmnl.h>

/* Room for any request we send: a flow is under 1200 bytes of attributes. */
#define NK_MSG_BUF_LEN 4096

/*
 * Starts a request in buf (at least NK_MSG_BUF_LEN bytes): nlmsghdr
 * with type family_id and flags, then genlmsghdr with cmd and version.
 */
struct nlmsghdr *nk_msg_start(void *buf, uint16_t family_id, uint16_t flags,
			      uint8_t cmd, uint8_t version);

/* The genl command of a message, or -1 when it is too short to have one. */
int nk_msg_cmd(const struct nlmsghdr *nlh);

#endif

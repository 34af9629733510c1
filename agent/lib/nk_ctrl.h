/* SPDX-License-Identifier: GPL-2.0 */
/* Resolving a generic netlink family through the nlctrl family. */
#ifndef NK_CTRL_H
#define NK_CTRL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

struct nk_family {
	uint16_t id;
	uint32_t version;
	bool has_group;
	uint32_t group_id;	/* of the multicast group asked for */
};

/* CTRL_CMD_GETFAMILY for family name, in buf (NK_MSG_BUF_LEN bytes). */
struct nlmsghdr *nk_ctrl_getfamily_request(void *buf, const char *name);

/*
 * Reads a CTRL_CMD_NEWFAMILY reply: the family id, its version and the id
 * of multicast group group_name. Returns 0 or -EBADMSG.
 */
int nk_ctrl_parse_family(const struct nlmsghdr *nlh, const char *group_name,
			 struct nk_family *family);

#endif

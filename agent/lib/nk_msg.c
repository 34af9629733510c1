// SPDX-License-Identifier: GPL-2.0
#include "nk_msg.h"

#include <linux/genetlink.h>

struct nlmsghdr *nk_msg_start(void *buf, uint16_t family_id, uint16_t flags,
			      uint8_t cmd, uint8_t version)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = family_id;
	nlh->nlmsg_flags = flags;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = version;
	return nlh;
}

int nk_msg_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*genl))
		return -1;
	return genl->cmd;
}

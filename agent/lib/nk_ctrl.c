// SPDX-License-Identifier: GPL-2.0
#include "nk_ctrl.h"

#include <errno.h>
#include <string.h>
#include <linux/genetlink.h>

#include "nk_attr_walk.h"
#include "nk_msg.h"

struct nlmsghdr *nk_ctrl_getfamily_request(void *buf, const char *name)
{
	struct nlmsghdr *nlh = nk_msg_start(buf, GENL_ID_CTRL,
					    NLM_F_REQUEST | NLM_F_ACK,
					    CTRL_CMD_GETFAMILY, 1);

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, name);
	return nlh;
}

struct family_state {
	struct nk_family *family;
	const char *group_name;
	bool has_id;
	/* The group being read: its name and id may come in any order. */
	bool name_matches;
	bool has_group_id;
	uint32_t group_id;
};

static bool attr_is_string(const struct nlattr *attr, const char *want)
{
	size_t len = mnl_attr_get_payload_len(attr);

	return len == strlen(want) + 1 &&
	       !memcmp(mnl_attr_get_payload(attr), want, len);
}

static int visit_group_attr(const struct nlattr *attr, void *data)
{
	struct family_state *st = data;

	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_MCAST_GRP_NAME:
		st->name_matches = attr_is_string(attr, st->group_name);
		break;
	case CTRL_ATTR_MCAST_GRP_ID:
		if (mnl_attr_get_payload_len(attr) != sizeof(uint32_t))
			return -EBADMSG;
		st->has_group_id = true;
		st->group_id = mnl_attr_get_u32(attr);
		break;
	}
	return 0;
}

static int visit_group(const struct nlattr *attr, void *data)
{
	struct family_state *st = data;
	int err;

	st->name_matches = false;
	st->has_group_id = false;
	err = nk_attr_walk_nested(attr, visit_group_attr, st);
	if (err)
		return err;
	if (st->name_matches && st->has_group_id) {
		st->family->has_group = true;
		st->family->group_id = st->group_id;
	}
	return 0;
}

static int visit_family(const struct nlattr *attr, void *data)
{
	struct family_state *st = data;

	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_get_payload_len(attr) != sizeof(uint16_t))
			return -EBADMSG;
		st->family->id = mnl_attr_get_u16(attr);
		st->has_id = true;
		break;
	case CTRL_ATTR_VERSION:
		if (mnl_attr_get_payload_len(attr) != sizeof(uint32_t))
			return -EBADMSG;
		st->family->version = mnl_attr_get_u32(attr);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		if (st->group_name)
			return nk_attr_walk_nested(attr, visit_group, st);
		break;
	}
	return 0;
}

int nk_ctrl_parse_family(const struct nlmsghdr *nlh, const char *group_name,
			 struct nk_family *family)
{
	struct family_state st = { .family = family, .group_name = group_name };

	memset(family, 0, sizeof(*family));
	if (nk_attr_walk_genl(nlh, visit_family, &st) || !st.has_id)
		return -EBADMSG;
	return 0;
}

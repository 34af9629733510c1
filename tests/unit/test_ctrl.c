// SPDX-License-Identifier: GPL-2.0
/* Family resolution through nlctrl (agent/lib/nk_ctrl.c). */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/natkeep.h>

#include "nk_attr_walk.h"
#include "nk_ctrl.h"
#include "nk_msg.h"
#include "runner.h"

static char buf[NK_MSG_BUF_LEN];

static void put_group(struct nlmsghdr *nlh, uint16_t index, const char *name, uint32_t id,
		      bool id_first)
{
	struct nlattr *group = mnl_attr_nest_start(nlh, index);

	if (id_first)
		mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, id);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, name);
	if (!id_first)
		mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, id);
	mnl_attr_nest_end(nlh, group);
}

static struct nlmsghdr *newfamily_reply(bool with_groups)
{
	struct nlmsghdr *nlh = nk_msg_start(buf, GENL_ID_CTRL, 0, CTRL_CMD_NEWFAMILY, 2);
	struct nlattr *groups;

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NATKEEP_GENL_NAME);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x22);
	mnl_attr_put_u32(nlh, CTRL_ATTR_VERSION, NATKEEP_GENL_VERSION);
	mnl_attr_put_u32(nlh, CTRL_ATTR_HDRSIZE, 0);
	if (with_groups) {
		groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
		put_group(nlh, 1, "event", 9, false);	/* a near miss first */
		put_group(nlh, 2, NATKEEP_MCGRP_EVENTS, 11, true);
		put_group(nlh, 3, "eventsx", 12, false);
		mnl_attr_nest_end(nlh, groups);
	}
	return nlh;
}

static void request_names_the_family(void)
{
	struct nlmsghdr *nlh = nk_ctrl_getfamily_request(buf, NATKEEP_GENL_NAME);
	struct nlattr *attr = (struct nlattr *)((char *)mnl_nlmsg_get_payload(nlh) + 4);

	CHECK_INT(nlh->nlmsg_type, GENL_ID_CTRL);
	CHECK_INT(nk_msg_cmd(nlh), CTRL_CMD_GETFAMILY);
	CHECK_INT(mnl_attr_get_type(attr), CTRL_ATTR_FAMILY_NAME);
	CHECK_STR(mnl_attr_get_str(attr), "natkeep");
}

static void finds_id_version_and_events_group(void)
{
	struct nk_family family;

	CHECK_INT(nk_ctrl_parse_family(newfamily_reply(true), NATKEEP_MCGRP_EVENTS,
				       &family), 0);
	CHECK_INT(family.id, 0x22);
	CHECK_INT(family.version, NATKEEP_GENL_VERSION);
	CHECK(family.has_group);
	CHECK_INT(family.group_id, 11);
}

static void reports_a_missing_group(void)
{
	struct nk_family family;

	CHECK_INT(nk_ctrl_parse_family(newfamily_reply(false), NATKEEP_MCGRP_EVENTS,
				       &family), 0);
	CHECK(!family.has_group);
}

static void rejects_reply_without_id(void)
{
	struct nk_family family;
	struct nlmsghdr *nlh = nk_msg_start(buf, GENL_ID_CTRL, 0, CTRL_CMD_NEWFAMILY, 2);

	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, NATKEEP_GENL_NAME);
	CHECK_INT(nk_ctrl_parse_family(nlh, NATKEEP_MCGRP_EVENTS, &family), -EBADMSG);
	mnl_attr_put_u32(nlh, CTRL_ATTR_FAMILY_ID, 0x22);	/* wrong size */
	CHECK_INT(nk_ctrl_parse_family(nlh, NATKEEP_MCGRP_EVENTS, &family), -EBADMSG);
}

static const struct test_case cases[] = {
	TEST_CASE(request_names_the_family),
	TEST_CASE(finds_id_version_and_events_group),
	TEST_CASE(reports_a_missing_group),
	TEST_CASE(rejects_reply_without_id),
};
TEST_SUITE(ctrl_suite, cases);

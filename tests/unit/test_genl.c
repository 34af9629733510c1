// SPDX-License-Identifier: GPL-2.0
/*
 * The netlink connection (agent/lib/nk_genl.c) against the running kernel's
 * nlctrl family, which every Linux has: requests, dumps, ACKs and extacks
 * go through the same code as natkeep's.
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/natkeep.h>

#include "nk_ctrl.h"
#include "nk_genl.h"
#include "runner.h"

static int count_families(const struct nlmsghdr *nlh, void *data)
{
	struct nk_family family;

	if (nk_ctrl_parse_family(nlh, NULL, &family))
		return -EBADMSG;
	(*(int *)data)++;
	return 0;
}

static void dump_of_nlctrl_families_ends_cleanly(void)
{
	char buf[NK_MSG_BUF_LEN];
	struct nk_genl genl;
	struct nk_error err;
	struct nlmsghdr *req;
	int count = 0;

	if (nk_genl_connect(&genl, &err)) {
		test_fail(__FILE__, __LINE__, "no generic netlink: %d", err.code);
		return;
	}
	req = nk_msg_start(buf, GENL_ID_CTRL, NLM_F_REQUEST | NLM_F_DUMP,
			   CTRL_CMD_GETFAMILY, 1);
	CHECK_INT(nk_genl_transact(&genl, req, count_families, &count, &err), 0);
	CHECK(count >= 1);	/* nlctrl itself at least */
	/* A second request on the same socket: sequence numbers move on. */
	req = nk_ctrl_getfamily_request(buf, "nlctrl");
	count = 0;
	CHECK_INT(nk_genl_transact(&genl, req, count_families, &count, &err), 0);
	CHECK_INT(count, 1);
	nk_genl_close(&genl);
}

static void unknown_family_is_enoent(void)
{
	char buf[NK_MSG_BUF_LEN];
	struct nk_genl genl;
	struct nk_error err;

	if (nk_genl_connect(&genl, &err))
		return;
	CHECK_INT(nk_genl_transact(&genl,
				   nk_ctrl_getfamily_request(buf, "natkeep-no-such"),
				   count_families, &(int){ 0 }, &err), -ENOENT);
	nk_genl_close(&genl);
}

static void open_finds_natkeep_or_says_enoent(void)
{
	struct nk_genl genl;
	struct nk_error err;
	int ret = nk_genl_open(&genl, &err);

	/* Here the module is usually absent; in the test VM it is loaded. */
	if (ret == 0) {
		CHECK(genl.family.id != 0);
		CHECK(genl.family.has_group);
		CHECK_INT(nk_genl_join_events(&genl), 0);
		nk_genl_close(&genl);
	} else {
		CHECK_INT(ret, -ENOENT);
		CHECK(genl.nl == NULL);
	}
}

static const struct test_case cases[] = {
	TEST_CASE(dump_of_nlctrl_families_ends_cleanly),
	TEST_CASE(unknown_family_is_enoent),
	TEST_CASE(open_finds_natkeep_or_says_enoent),
};
TEST_SUITE(genl_suite, cases);

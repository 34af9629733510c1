// SPDX-License-Identifier: GPL-2.0
/* ACKs and extended ACKs (agent/lib/nk_ack.c). */
#include <errno.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include "nk_ack.h"
#include "nk_msg.h"
#include "runner.h"
#include "test_util.h"

static char req_buf[NK_MSG_BUF_LEN];
static char ack_buf[NK_MSG_BUF_LEN];

static struct nlmsghdr *flow_new_request(void)
{
	struct nlmsghdr *req = nk_msg_start(req_buf, TEST_FAMILY_ID,
					    NLM_F_REQUEST | NLM_F_ACK,
					    NATKEEP_CMD_FLOW_NEW, 1);
	struct nk_flow flow;

	test_flow_config(&flow);
	flow.fields &= ~NK_FLOW_ID;
	nk_flow_put(req, sizeof(req_buf), &flow);
	req->nlmsg_seq = 42;
	return req;
}

/* Offset of the first attribute of type in req, from the start of req. */
static uint32_t offset_of(const struct nlmsghdr *req, uint16_t type)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, req, 4)
		if (mnl_attr_get_type(attr) == type)
			return (uint32_t)((const char *)attr - (const char *)req);
	return 0;
}

/*
 * What the kernel sends back: nlmsgerr (with the whole request unless
 * capped), then the extack attributes.
 */
static struct nlmsghdr *error_for(const struct nlmsghdr *req, int error,
				  bool capped, const char *msg,
				  int offs, int missing)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(ack_buf);
	size_t echoed = capped ? sizeof(struct nlmsghdr) : req->nlmsg_len;
	struct nlmsgerr *nle;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = capped ? NLM_F_CAPPED : 0;
	nle = mnl_nlmsg_put_extra_header(nlh, sizeof(*nle) - sizeof(nle->msg) + echoed);
	nle->error = error;
	memcpy(&nle->msg, req, echoed);
	if (msg || offs >= 0 || missing >= 0)
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	if (offs >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, (uint32_t)offs);
	if (missing >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, (uint32_t)missing);
	return nlh;
}

static void plain_ack_is_success(void)
{
	struct nlmsghdr *req = flow_new_request();
	struct nk_error err;

	CHECK_INT(nk_ack_parse(error_for(req, 0, true, NULL, -1, -1), req, &err), 0);
	CHECK_INT(err.code, 0);
	CHECK_STR(err.msg, "");
	CHECK(!err.has_offset);
}

static void reads_message_and_names_attribute_capped(void)
{
	struct nlmsghdr *req = flow_new_request();
	uint32_t offs = offset_of(req, NATKEEP_A_INTERVAL_MS);
	struct nk_error err;

	CHECK(offs != 0);
	CHECK_INT(nk_ack_parse(error_for(req, -ERANGE, true, "interval too short\n",
					 (int)offs, -1), req, &err), -ERANGE);
	CHECK_STR(err.msg, "interval too short");
	CHECK(err.has_offset);
	CHECK_INT(err.offset, offs);
	CHECK_STR(err.attr_name, "interval_ms");
}

static void reads_extack_after_an_uncapped_echo(void)
{
	struct nlmsghdr *req = flow_new_request();
	uint32_t offs = offset_of(req, NATKEEP_A_REMOTE_ADDR);
	struct nk_error err;

	/* The offset may point inside the attribute's payload too. */
	CHECK_INT(nk_ack_parse(error_for(req, -EINVAL, false, "multicast remote",
					 (int)offs + 4, -1), req, &err), -EINVAL);
	CHECK_STR(err.msg, "multicast remote");
	CHECK_STR(err.attr_name, "remote_addr");
}

static void reads_missing_attribute(void)
{
	struct nlmsghdr *req = flow_new_request();
	struct nk_error err;

	CHECK_INT(nk_ack_parse(error_for(req, -EINVAL, true, NULL, -1,
					 NATKEEP_A_MSG_TYPE), req, &err), -EINVAL);
	CHECK(err.has_missing);
	CHECK_STR(err.missing_name, "msg_type");
}

static void offset_outside_request_has_no_name(void)
{
	struct nlmsghdr *req = flow_new_request();
	struct nk_error err;

	nk_ack_parse(error_for(req, -EINVAL, true, "x", (int)req->nlmsg_len + 8, -1),
		     req, &err);
	CHECK(err.has_offset);
	CHECK(err.attr_name == NULL);
	/* Inside the headers, before any attribute. */
	CHECK(nk_request_attr_at(req, 2) == NULL);
	/* Without the request the offset is still reported. */
	nk_ack_parse(error_for(req, -EINVAL, true, "x", 24, -1), NULL, &err);
	CHECK(err.has_offset);
	CHECK(err.attr_name == NULL);
}

static void unterminated_message_is_cut_safely(void)
{
	struct nlmsghdr *req = flow_new_request();
	struct nlmsghdr *nlh = error_for(req, -EINVAL, true, NULL, -1, -1);
	char long_msg[400];
	struct nk_error err;

	memset(long_msg, 'x', sizeof(long_msg));
	nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	mnl_attr_put(nlh, NLMSGERR_ATTR_MSG, sizeof(long_msg), long_msg);
	CHECK_INT(nk_ack_parse(nlh, req, &err), -EINVAL);
	CHECK_INT(strlen(err.msg), sizeof(err.msg) - 1);
}

static void done_with_error_ends_a_dump(void)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(ack_buf);
	int32_t *code;
	struct nk_error err;

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	code = mnl_nlmsg_put_extra_header(nlh, sizeof(*code));
	*code = -EPERM;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "no");
	CHECK_INT(nk_ack_parse(nlh, NULL, &err), -EPERM);
	CHECK_STR(err.msg, "no");

	*code = 0;
	CHECK_INT(nk_ack_parse(nlh, NULL, &err), 0);
}

static void malformed_acks_are_rejected(void)
{
	struct nlmsghdr *req = flow_new_request();
	struct nlmsghdr *nlh;
	struct nk_error err;

	nlh = mnl_nlmsg_put_header(ack_buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	mnl_nlmsg_put_extra_header(nlh, 4);	/* shorter than nlmsgerr */
	CHECK_INT(nk_ack_parse(nlh, req, &err), -EBADMSG);

	/* Echoed header claiming more than the message holds. */
	nlh = error_for(req, -EINVAL, true, "m", -1, -1);
	nlh->nlmsg_flags &= (uint16_t)~NLM_F_CAPPED;
	((struct nlmsgerr *)mnl_nlmsg_get_payload(nlh))->msg.nlmsg_len = 4000;
	CHECK_INT(nk_ack_parse(nlh, req, &err), -EINVAL);
	CHECK_STR(err.msg, "");

	/* Not an ACK at all. */
	nlh = mnl_nlmsg_put_header(ack_buf);
	nlh->nlmsg_type = TEST_FAMILY_ID;
	CHECK_INT(nk_ack_parse(nlh, req, &err), -EBADMSG);
}

static const struct test_case cases[] = {
	TEST_CASE(plain_ack_is_success),
	TEST_CASE(reads_message_and_names_attribute_capped),
	TEST_CASE(reads_extack_after_an_uncapped_echo),
	TEST_CASE(reads_missing_attribute),
	TEST_CASE(offset_outside_request_has_no_name),
	TEST_CASE(unterminated_message_is_cut_safely),
	TEST_CASE(done_with_error_ends_a_dump),
	TEST_CASE(malformed_acks_are_rejected),
};
TEST_SUITE(ack_suite, cases);

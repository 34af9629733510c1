// SPDX-License-Identifier: GPL-2.0
#include "nk_ack.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nk_attr_names.h"
#include "nk_attr_walk.h"

struct find_attr {
	const char *base;	/* start of the request */
	uint32_t offset;
	const char *name;
};

static int visit_find_attr(const struct nlattr *attr, void *data)
{
	struct find_attr *find = data;
	uint32_t start = (uint32_t)((const char *)attr - find->base);

	if (find->offset >= start && find->offset < start + attr->nla_len) {
		find->name = nk_attr_name(mnl_attr_get_type(attr));
		return 1;	/* found: stop */
	}
	return 0;
}

const char *nk_request_attr_at(const struct nlmsghdr *req, uint32_t offset)
{
	struct find_attr find = { .base = (const char *)req, .offset = offset };

	if (offset >= req->nlmsg_len)
		return NULL;
	nk_attr_walk_genl(req, visit_find_attr, &find);
	return find.name;
}

struct extack {
	struct nk_error *err;
	const struct nlmsghdr *req;
};

static int visit_extack(const struct nlattr *attr, void *data)
{
	struct extack *ext = data;
	struct nk_error *err = ext->err;
	size_t len = mnl_attr_get_payload_len(attr);

	switch (mnl_attr_get_type(attr)) {
	case NLMSGERR_ATTR_MSG:
		/* A string, but do not trust it to be terminated. */
		if (len >= sizeof(err->msg))
			len = sizeof(err->msg) - 1;
		memcpy(err->msg, mnl_attr_get_payload(attr), len);
		err->msg[len] = '\0';
		len = strlen(err->msg);
		while (len && err->msg[len - 1] == '\n')
			err->msg[--len] = '\0';
		break;
	case NLMSGERR_ATTR_OFFS:
		if (len != sizeof(uint32_t))
			break;
		err->has_offset = true;
		err->offset = mnl_attr_get_u32(attr);
		if (ext->req)
			err->attr_name = nk_request_attr_at(ext->req, err->offset);
		break;
	case NLMSGERR_ATTR_MISS_TYPE:
		if (len != sizeof(uint32_t))
			break;
		err->has_missing = true;
		err->missing_type = mnl_attr_get_u32(attr);
		err->missing_name = nk_attr_name(err->missing_type);
		break;
	default:
		break;
	}
	return 0;
}

int nk_ack_parse(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		 struct nk_error *err)
{
	const char *payload = mnl_nlmsg_get_payload(nlh);
	size_t payload_len = mnl_nlmsg_get_payload_len(nlh);
	struct extack ext = { .err = err, .req = req };
	size_t tlv_offset;
	int32_t code;

	memset(err, 0, sizeof(*err));
	if (nlh->nlmsg_type == NLMSG_DONE) {
		/* A dump's end: an int error code, then the extack TLVs. */
		if (payload_len < sizeof(int32_t))
			return 0;
		memcpy(&code, payload, sizeof(code));
		tlv_offset = sizeof(int32_t);
	} else if (nlh->nlmsg_type == NLMSG_ERROR) {
		struct nlmsgerr nle;

		if (payload_len < sizeof(nle)) {
			err->code = -EBADMSG;
			return err->code;
		}
		memcpy(&nle, payload, sizeof(nle));
		code = nle.error;
		tlv_offset = sizeof(nle);
		/* Without NETLINK_CAP_ACK our whole request is echoed first. */
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			if (nle.msg.nlmsg_len < sizeof(struct nlmsghdr) ||
			    nle.msg.nlmsg_len > payload_len) {
				err->code = code < 0 ? code : -EBADMSG;
				return err->code;
			}
			tlv_offset += nle.msg.nlmsg_len - sizeof(struct nlmsghdr);
		}
	} else {
		err->code = -EBADMSG;
		return err->code;
	}
	if (code > 0) {
		/* Not an errno; keep the sign convention anyway. */
		code = -code;
	}
	err->code = code;
	tlv_offset = MNL_ALIGN(tlv_offset);
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) && tlv_offset < payload_len)
		nk_attr_walk(payload + tlv_offset, payload_len - tlv_offset,
			     visit_extack, &ext);
	return err->code;
}

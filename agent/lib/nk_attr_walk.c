// SPDX-License-Identifier: GPL-2.0
#include "nk_attr_walk.h"

#include <errno.h>
#include <stdio.h>
#include <linux/genetlink.h>

int nk_attr_walk(const void *start, size_t len, nk_attr_visit_t visit,
		 void *data)
{
	const char *pos = start, *end = pos + len;

	while ((size_t)(end - pos) >= sizeof(struct nlattr)) {
		const struct nlattr *attr = (const struct nlattr *)pos;
		size_t aligned;
		int err;

		if (attr->nla_len < sizeof(struct nlattr) ||
		    attr->nla_len > (size_t)(end - pos))
			return -EBADMSG;
		err = visit(attr, data);
		if (err)
			return err;
		aligned = MNL_ALIGN(attr->nla_len);
		if (aligned >= (size_t)(end - pos))
			return 0;
		pos += aligned;
	}
	/* Fewer bytes left than an attribute header: a cut-off message. */
	return pos == end ? 0 : -EBADMSG;
}

int nk_attr_walk_genl(const struct nlmsghdr *nlh, nk_attr_visit_t visit,
		      void *data)
{
	const size_t offset = MNL_ALIGN(sizeof(struct genlmsghdr));

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + offset)
		return -EBADMSG;
	return nk_attr_walk((const char *)mnl_nlmsg_get_payload(nlh) + offset,
			    nlh->nlmsg_len - MNL_NLMSG_HDRLEN - offset, visit, data);
}

int nk_attr_walk_nested(const struct nlattr *attr, nk_attr_visit_t visit,
			void *data)
{
	return nk_attr_walk(mnl_attr_get_payload(attr),
			    mnl_attr_get_payload_len(attr), visit, data);
}

int nk_attr_bad_length(char *err, size_t errlen, const char *what,
		       const struct nlattr *attr)
{
	snprintf(err, errlen, "attribute %s has length %u",
		 what, (unsigned int)mnl_attr_get_payload_len(attr));
	return -EBADMSG;
}

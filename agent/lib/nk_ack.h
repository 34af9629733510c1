/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Acknowledgements and errors from the kernel, with the extended ACK
 * (NETLINK_EXT_ACK) that says what was wrong.
 */
#ifndef NK_ACK_H
#define NK_ACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <libmnl/libmnl.h>

struct nk_error {
	int code;		/* negative errno; 0: no error */
	char msg[256];		/* NLMSGERR_ATTR_MSG, or empty */
	bool has_offset;
	uint32_t offset;	/* NLMSGERR_ATTR_OFFS: into our request */
	const char *attr_name;	/* the attribute at offset, if we know it */
	bool has_missing;
	uint32_t missing_type;	/* NLMSGERR_ATTR_MISS_TYPE */
	const char *missing_name;
};

/*
 * Reads an NLMSG_ERROR message (or the error code and extack of an
 * NLMSG_DONE ending a dump) into err. req, if not NULL, is the request it
 * answers: the offending attribute's offset is then mapped to its name.
 * Returns err->code (0 for a plain ACK) or -EBADMSG for a malformed message.
 */
int nk_ack_parse(const struct nlmsghdr *nlh, const struct nlmsghdr *req,
		 struct nk_error *err);

/*
 * The name of the natkeep attribute of genl request req that starts at (or
 * contains) byte offset from the start of req; NULL when none does.
 */
const char *nk_request_attr_at(const struct nlmsghdr *req, uint32_t offset);

#endif

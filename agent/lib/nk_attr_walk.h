/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A strict walk over netlink attributes. libmnl's mnl_attr_for_each stops
 * quietly at a truncated attribute; replies from the kernel must parse
 * completely or be rejected.
 */
#ifndef NK_ATTR_WALK_H
#define NK_ATTR_WALK_H

#include <stddef.h>
#include <libmnl/libmnl.h>

/* Returns 0 to go on, or a negative errno to stop the walk with. */
typedef int (*nk_attr_visit_t)(const struct nlattr *attr, void *data);

/*
 * Calls visit for every attribute in len bytes at start. Returns 0, the
 * visitor's error, or -EBADMSG when an attribute overruns the buffer.
 */
int nk_attr_walk(const void *start, size_t len, nk_attr_visit_t visit,
		 void *data);

/* The attributes of a generic netlink message (after struct genlmsghdr). */
int nk_attr_walk_genl(const struct nlmsghdr *nlh, nk_attr_visit_t visit,
		      void *data);

/*
 * For visitors: "attribute WHAT has length N" into err (errlen bytes);
 * returns -EBADMSG.
 */
int nk_attr_bad_length(char *err, size_t errlen, const char *what,
		       const struct nlattr *attr);

/* The attributes nested in attr. */
int nk_attr_walk_nested(const struct nlattr *attr, nk_attr_visit_t visit,
			void *data);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/* An IPv4 or IPv6 address, as flows and packets carry them. */
#ifndef _NK_ADDR_H
#define _NK_ADDR_H

#include <linux/in6.h>
#include <linux/types.h>

union nk_addr {
	__be32 ip;
	struct in6_addr ip6;
};

#endif /* _NK_ADDR_H */

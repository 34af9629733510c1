/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A candidate server of an account: where DNS (SRV or A/AAAA) or the
 * configuration says a registrar or outbound proxy is.
 */
#ifndef NKD_SERVER_H
#define NKD_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "nk_addr.h"
#include "sip.h"

#define NKD_MAX_SERVERS	16

struct nkd_target {
	char host[NK_SIP_HOST_MAX + 1];	/* SRV target or the configured name */
	struct nk_endpoint ep;		/* address and port */
	uint16_t priority;		/* SRV priority; 0 for A/AAAA */
	uint16_t weight;		/* SRV weight; 0 for A/AAAA */
};

static inline bool nkd_endpoint_equal(const struct nk_endpoint *a,
				      const struct nk_endpoint *b)
{
	return a->family == b->family && a->port == b->port &&
	       !memcmp(&a->addr, &b->addr, nk_addr_len(a->family));
}

static inline bool nkd_target_same_endpoint(const struct nkd_target *a,
					    const struct nkd_target *b)
{
	return nkd_endpoint_equal(&a->ep, &b->ep);
}

#endif

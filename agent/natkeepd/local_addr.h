/* SPDX-License-Identifier: GPL-2.0 */
/* Our own address towards a server, and whether our SIP socket holds it. */
#ifndef NKD_LOCAL_ADDR_H
#define NKD_LOCAL_ADDR_H

#include <stdbool.h>
#include <stdint.h>

#include "nk_addr.h"

/*
 * The source address the kernel's routing picks towards @to, with @port
 * as its port, in @out. 0, or -errno (no route: -ENETUNREACH).
 */
int nkd_local_towards(const struct nk_endpoint *to, uint16_t port,
		      struct nk_endpoint *out);

/*
 * Whether nothing is bound on @ep (address and UDP port): a probe bind
 * succeeds. False when something holds it, also a wildcard socket, or
 * when the address cannot be bound (not ours, or IPv6 duplicate address
 * detection still under way).
 */
bool nkd_local_port_free(const struct nk_endpoint *ep);

/*
 * Whether a socket bound on @port of the addresses of its time misses
 * the one we would now send from towards @to (that one in @local): the
 * port is free there. A route not there yet misses nothing (its own
 * event comes), nor does loopback (no DHCP moves it).
 */
bool nkd_local_socket_misses(const struct nk_endpoint *to, uint16_t port,
			     struct nk_endpoint *local);

#endif

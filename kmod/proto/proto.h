/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The protocol code (STUN, SIP keep-alive requests and responses, the
 * X_CustomKeepAliveMsg spec) is written once and compiled into the kernel
 * module, the userspace programs, their unit tests and the fuzzers. It uses
 * nothing but this header: fixed-width integers, bool, size_t and the
 * mem*() and str*() functions that both worlds have. No allocation, no
 * globals; every read of input is bounded by its length.
 */
#ifndef _NK_PROTO_H
#define _NK_PROTO_H

#ifdef __KERNEL__
#include <linux/string.h>
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#endif

/* Address families, as Linux numbers them in kernel and userspace alike. */
#define NK_PROTO_AF_INET	2
#define NK_PROTO_AF_INET6	10

/* An address and port as a peer reported it. */
struct nk_proto_addr {
	uint16_t family;	/* NK_PROTO_AF_INET or NK_PROTO_AF_INET6 */
	uint16_t port;		/* host order */
	uint8_t addr[16];	/* network order; IPv4 in the first 4 bytes */
};

#endif /* _NK_PROTO_H */

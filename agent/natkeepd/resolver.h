/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An account's candidate servers from DNS, asynchronously (sofia's sres on
 * the event loop): SRV records of _sip._udp.NAME in RFC 2782 order, each
 * target's A then AAAA records; without SRV records, every A and AAAA
 * record of NAME at one priority with the configured port. An IP address is its own single
 * candidate. The lookup is repeated when the answers' TTL runs out.
 * A failure is not an answer: an SRV query that times out (or SERVFAIL,
 * REFUSED) after SRV records were found is a failed lookup, not a cue to
 * fall back to NAME's A records; an address query of one target that
 * fails keeps that target's addresses from the last lookup. Only NXDOMAIN
 * and "no records of that type" change what is known.
 */
#ifndef NKD_RESOLVER_H
#define NKD_RESOLVER_H

#include <stdint.h>
#include <sofia-sip/su_wait.h>

#include "server.h"

/* Re-resolve no sooner and no later than this, whatever the TTL. */
#define NKD_DNS_TTL_MIN_S	10
#define NKD_DNS_TTL_MAX_S	86400
/* After a failed lookup. */
#define NKD_DNS_RETRY_S		30

/*
 * The result of a lookup: targets (n > 0), or error ("no such name", ...)
 * with n == 0; a failure after earlier success reports the error, and the
 * caller keeps the candidates it has.
 */
typedef void (*nkd_resolve_fn)(void *ctx, const struct nkd_target *targets,
			       size_t n, const char *error);

struct nkd_resolve;

int nkd_resolver_init(su_root_t *root, const char *resolv_conf);
void nkd_resolver_uninit(void);
/* Our address changed: query from new sockets (answers cached stay). */
void nkd_resolver_renew_sockets(void);

/* Starts resolving name (port: when DNS gives none); done() on every result. */
struct nkd_resolve *nkd_resolve_start(const char *name, uint16_t port,
				      nkd_resolve_fn done, void *ctx);
void nkd_resolve_stop(struct nkd_resolve *r);

#endif

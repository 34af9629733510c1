/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIP proxy server redundancy and dual registration, as the OBi's
 * X_ProxyServerRedundancy and X_SecondaryRegistration behave, as a state
 * machine without I/O: the caller feeds it the
 * candidate servers, the outcome of each REGISTER, keep-alive liveness and
 * the time; it answers through nkd_redundancy_ops (register with this
 * server, drop that one, wake me at T). Time is in milliseconds on any
 * monotonic clock, so that tests drive it with a fake one.
 *
 * - The primary is the first candidate, in priority order, that a REGISTER
 *   succeeds with. A search tries each candidate once; when none works it
 *   pauses (RFC 5626 backoff, or the servers' Retry-After) and searches
 *   again from the first.
 * - A failure of the primary (REGISTER refresh failed or timed out,
 *   keep-alive unresponsive) fails over: to the secondary at once if there
 *   is one, else by a new search that skips the failed server.
 * - While candidates of higher priority (a lower SRV priority value) than
 *   the primary exist, every check interval they are tried in order; the
 *   first that registers becomes the primary (fallback).
 * - With dual registration the secondary is the first candidate after the
 *   primary (lower or equal priority) that registers; one that failed is
 *   tried again after the check interval. After a fallback the old primary
 *   becomes the secondary.
 * - Without redundancy there is one candidate: the same rules then only
 *   retry it.
 */
#ifndef NKD_REDUNDANCY_H
#define NKD_REDUNDANCY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "candidates.h"
#include "server.h"

/* What the REGISTER layer says went wrong. */
enum nkd_failure {
	NKD_FAIL_NONE,
	NKD_FAIL_TIMEOUT,	/* no response (OBi error 900) */
	NKD_FAIL_UNREACHABLE,	/* ICMP unreachable, no route (OBi 901) */
	NKD_FAIL_SERVER,	/* 5xx, 6xx */
	NKD_FAIL_AUTH,		/* 403, or a challenge the credentials cannot answer */
	NKD_FAIL_REJECTED,	/* any other final failure (4xx) */
	NKD_FAIL_REDIRECTS,	/* more than 5 redirects in a row */
	NKD_FAIL_UNRESPONSIVE,	/* the keep-alive flow went unanswered */
	NKD_FAIL_GONE,		/* no longer in DNS */
};

/* What a server does for the account now. */
enum nkd_role {
	NKD_ROLE_NONE,
	NKD_ROLE_PRIMARY,	/* registered; calls go here */
	NKD_ROLE_SECONDARY,	/* registered too (dual registration) */
	NKD_ROLE_SEARCH,	/* REGISTER in flight: looking for a primary */
	NKD_ROLE_SEEK_SECONDARY, /* REGISTER in flight: for a secondary */
	NKD_ROLE_PROBE,		/* REGISTER in flight: fallback check */
};

struct nkd_server {
	uint32_t id;		/* stable across DNS updates; never 0 */
	struct nkd_target target;
	enum nkd_role role;
	/* Last outcome, for status. */
	enum nkd_failure last_failure;
	int last_status;	/* SIP status of the last failure, 0 if none */
	char last_reason[64];
	int64_t last_failure_at;	/* 0: never */
	int64_t last_register_at;	/* last 200 OK; 0: never */
	int64_t expires_at;		/* of the binding; 0: none */
	int64_t retry_at;	/* the server's Retry-After: not before */
	int64_t hold_until;	/* failed lately: not as secondary before */
	bool tried;		/* in this search */
	bool probed;		/* in this fallback check */
};

struct nkd_redundancy_ops {
	/*
	 * REGISTER with server id (a new registration). False when none can
	 * be started (no SIP handle): that counts as the server's failure.
	 */
	bool (*start)(void *ctx, uint32_t id);
	/*
	 * Forget server id's registration: with unregister, un-REGISTER
	 * first (it still works); else just drop it.
	 */
	void (*stop)(void *ctx, uint32_t id, bool unregister);
	/* The primary or the secondary changed (also to none). */
	void (*changed)(void *ctx);
	/* Call nkd_redundancy_timer() at time when (ms), replacing any earlier wish. */
	void (*arm)(void *ctx, int64_t when);
	/*
	 * Every candidate failed (all_timeouts: none answered at all). True
	 * when the caller changes something first (another local port,
	 * X_UserAgentPorts): the search then waits, without a pause, for
	 * nkd_redundancy_resume(). May be NULL.
	 */
	bool (*exhausted)(void *ctx, bool all_timeouts);
	nkd_random_fn random;
};

struct nkd_redundancy {
	const struct nkd_redundancy_ops *ops;
	void *ctx;
	bool redundancy;		/* X_ProxyServerRedundancy */
	bool dual;			/* X_SecondaryRegistration (and redundancy) */
	int64_t check_interval_ms;	/* X_CheckPrimaryServerInterval */

	struct nkd_server servers[NKD_MAX_SERVERS];	/* in priority order */
	size_t count;
	uint32_t next_id;
	unsigned int failed_searches;	/* in a row: the backoff's exponent */
	int64_t pause_until;		/* no search before; 0: none */
	int64_t next_check;		/* next fallback check; 0: none due */
	bool held;			/* ops->exhausted() asked to wait */
	bool stopped;
};

enum nkd_account_state {
	NKD_ACCOUNT_NO_SERVERS,		/* nothing to register with (DNS) */
	NKD_ACCOUNT_REGISTERING,	/* searching, none registered yet */
	NKD_ACCOUNT_PAUSED,		/* every candidate failed: waiting */
	NKD_ACCOUNT_REGISTERED,		/* a primary */
	NKD_ACCOUNT_STOPPED,
};

void nkd_redundancy_init(struct nkd_redundancy *r,
			 const struct nkd_redundancy_ops *ops, void *ctx,
			 bool redundancy, bool dual,
			 unsigned int check_interval_s);

/*
 * The candidates now (from DNS), in the order to try them (at most
 * NKD_MAX_SERVERS; without redundancy only the first is used). Servers
 * already known keep their state; registered servers no longer listed are
 * un-registered.
 */
void nkd_redundancy_set_targets(struct nkd_redundancy *r,
				const struct nkd_target *targets, size_t n,
				int64_t now);

/*
 * Before any candidates: the registrations a previous natkeepd left, n
 * servers in priority order with their roles (PRIMARY or SECONDARY; at
 * most one of each). Each gets ops->start(), its REGISTER a refresh of
 * the binding it holds; DNS's candidates later keep these roles.
 */
void nkd_redundancy_adopt(struct nkd_redundancy *r, const struct nkd_target *targets,
			  const enum nkd_role *roles, size_t n, int64_t now);

/* A REGISTER (or refresh) with server id got 200 OK; binding for expires_s. */
void nkd_redundancy_registered(struct nkd_redundancy *r, uint32_t id,
			       unsigned int expires_s, int64_t now);

/*
 * A REGISTER with server id failed for good (after the REGISTER layer's
 * own retries: authentication, redirects, Min-Expires). retry_after_s is
 * the server's Retry-After, 0 if none.
 */
void nkd_redundancy_failed(struct nkd_redundancy *r, uint32_t id,
			   enum nkd_failure why, int status, const char *reason,
			   unsigned int retry_after_s, int64_t now);

/* Search again at once, after ops->exhausted() returned true or a reset. */
void nkd_redundancy_resume(struct nkd_redundancy *r, int64_t now);

/*
 * Drop every registration (no un-REGISTER: the socket is going away) and
 * hold the search until nkd_redundancy_resume(): the caller reopens its
 * socket first (our address changed).
 */
void nkd_redundancy_reset(struct nkd_redundancy *r, int64_t now);

/* The timer armed through ops->arm expired. */
void nkd_redundancy_timer(struct nkd_redundancy *r, int64_t now);

/* Un-register from every server and do nothing more. */
void nkd_redundancy_stop(struct nkd_redundancy *r);

/* The server with this id, or NULL. */
struct nkd_server *nkd_redundancy_find(struct nkd_redundancy *r, uint32_t id);
const struct nkd_server *nkd_redundancy_find_const(const struct nkd_redundancy *r, uint32_t id);
const struct nkd_server *nkd_redundancy_primary(const struct nkd_redundancy *r);
const struct nkd_server *nkd_redundancy_secondary(const struct nkd_redundancy *r);
enum nkd_account_state nkd_redundancy_state(const struct nkd_redundancy *r,
					    int64_t now);

/*
 * A candidate of higher priority than the primary: one the fallback check
 * tries (the "primary fallback list").
 */
bool nkd_redundancy_is_fallback(const struct nkd_redundancy *r,
				const struct nkd_server *s);

const char *nkd_failure_name(enum nkd_failure why);
const char *nkd_role_name(enum nkd_role role);
const char *nkd_account_state_name(enum nkd_account_state state);

#endif

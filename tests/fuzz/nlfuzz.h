/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nlfuzz: a generic netlink fuzzer and stress for the natkeep family, run
 * against the real module (in the test VM). Shared declarations of its
 * parts:
 *
 *   nlfuzz.c         options, workers, namespaces, privileges, summary, log
 *   nlfuzz_nl.c      the netlink socket, message building, and the exchange
 *                    that sends one buffer and checks every answer
 *   nlfuzz_gen.c     the fuzz generators, one per family of mutation
 *   nlfuzz_stress.c  valid add/set/del cycles on shared flows, and
 *                    namespace churn
 *   nlfuzz_peer.c    UDP responders answering STUN and SIP keep-alives
 */
#ifndef NLFUZZ_H
#define NLFUZZ_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/genetlink.h>
#include <linux/natkeep.h>
#include <linux/netlink.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NF_MSG_MAX	(64 * 1024)	/* the largest buffer sent */
#define NF_RX_MAX	(256 * 1024)	/* acks echo 64 KiB requests */
#define NF_ERRNO_MAX	160
#define NF_WORKERS_MAX	64
#define NF_LIVE_MAX	512		/* flow ids a worker remembers */
#define NF_SUB_MAX	64		/* messages the kernel finds in a buffer */
#define NF_SHARED_IDS	64		/* ids the stress workers share */
#define NF_CMD_ROWS	11		/* outcome rows: see nf_counts.err_cmd */

/* xorshift64*: a deterministic stream per worker for a given seed. */
struct nf_rng {
	uint64_t s;
};

static inline uint64_t nf_rnd64(struct nf_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545F4914F6CDD1DULL;
}

/* 0..n-1 (0 when n is 0). */
static inline uint32_t nf_rnd(struct nf_rng *r, uint32_t n)
{
	return n ? (uint32_t)(nf_rnd64(r) % n) : 0;
}

static inline bool nf_chance(struct nf_rng *r, unsigned int percent)
{
	return nf_rnd(r, 100) < percent;
}

struct nf_opts {
	uint64_t seed;
	long messages;		/* in all, split over the workers */
	int workers;
	int netns_workers;	/* the last ones get a network namespace each */
	bool userns;		/* nobody, in a user+net namespace of its own */
	bool capdrop;		/* without CAP_NET_ADMIN in the initial namespace */
	bool stress;		/* valid add/set/del cycles instead of fuzz */
	bool churn;		/* stress: namespaces made and dropped in a loop */
	bool may_go;		/* the module may be removed meanwhile */
	bool cleanup;		/* delete the flows known at the end */
	double seconds;		/* stop after this long (0: no limit) */
	double progress;	/* print the rate every so many seconds */
	double hold;		/* -H: hold a dump open this long */
	int live_cap;		/* flows a worker keeps at most (roughly) */
	uint16_t port_base;	/* responders at base (STUN), base + 1 (SIP) */
	const char *log_path;	/* last messages per worker: PATH.<worker> */
	int log_depth;
	int verbose;
};

/* A worker's counters, in memory shared with the parent. */
struct nf_counts {
	uint64_t sent;		/* buffers sent */
	uint64_t bytes;
	uint64_t replies;	/* messages received (data, acks, done) */
	uint64_t no_answer;	/* buffers that asked for none and got none */
	uint64_t err[NF_ERRNO_MAX + 1];	/* acks of our requests, by -error */
	/* The same by command: natkeep's 0..8, 9: others; 10: not natkeep. */
	uint64_t err_cmd[NF_CMD_ROWS][NF_ERRNO_MAX + 1];
	uint64_t err_other;	/* beyond NF_ERRNO_MAX */
	uint64_t rx_err[NF_ERRNO_MAX + 1];	/* recvmsg() errors (dumps) */
	uint64_t created, deleted;
	uint64_t dumps, dump_msgs;
	uint64_t events, event_overruns;
	uint64_t event_cmd[NATKEEP_CMD_MAX + 1];
	uint64_t namespaces;	/* made by churn */
	uint64_t checks_passed, checks_failed, violations;
	uint64_t peer_stun, peer_sip, peer_silent;	/* the responder's */
	uint64_t no_msg[NF_ERRNO_MAX + 1];	/* errors without extack text */
	struct nf_text_count {		/* the extack messages seen */
		char text[100];
		int err;
		uint64_t count;
	} msgs[48];
	int family_gone;	/* the family went away (rmmod) */
	int done;
	double seconds;
};

/* What the workers share. */
struct nf_shared {
	struct nf_counts w[NF_WORKERS_MAX + 1];	/* [workers]: the parent's responder */
	_Atomic uint32_t ids[NF_SHARED_IDS];	/* stress: flow ids seen lately */
	_Atomic int stop;
};

/* A flow as the fuzzer means it. */
struct nf_flow {
	uint16_t family;
	uint8_t local[16], remote[16];
	uint16_t lport, rport;
	uint32_t interval_ms;
	uint8_t type;
	uint8_t randomize, dscp, fingerprint, miss_limit;
	uint32_t mark;
	uint32_t timeout_ms;
	const char *host, *from_user, *from_domain, *user_agent, *spec;
};

/* Fields of a reply that must say what the request asked (NF_F_*). */
enum {
	NF_F_FAMILY = 1 << 0,
	NF_F_LOCAL = 1 << 1,
	NF_F_REMOTE = 1 << 2,
	NF_F_INTERVAL = 1 << 3,
	NF_F_TYPE = 1 << 4,
	NF_F_DSCP = 1 << 5,
	NF_F_MARK = 1 << 6,
	NF_F_ID = 1 << 7,
};

/* One buffer to send, and what its generator meant by it. */
struct nf_msg {
	union {
		struct nlmsghdr nlh;
		uint8_t buf[NF_MSG_MAX];
	};
	size_t len;		/* bytes to send (nlmsg_len may lie) */
	size_t cap;		/* where the builder stops */
	const char *gen;	/* the generator's name, for reports */
	uint8_t cmd;
	bool valid;		/* well-formed and sensible: only allowed errnos */
	bool must_fail;		/* with valid: success is wrong too */
	bool overflow;		/* an attribute did not fit: intent void */
	int allow[8];		/* with valid: the errnos allowed besides 0 */
	int n_allow;
	uint32_t target_id;	/* the flow it names, if known exactly */
	struct nf_flow want;	/* with want_mask: what the reply must carry */
	unsigned int want_mask;
};

/* What came back for the first message of a buffer. */
struct nf_result {
	int err;		/* 0, -errno, or NF_NO_ANSWER */
	bool has_msg;		/* an extack message came with the error */
	uint32_t id;		/* FLOW_NEW/SET/GET reply's flow id */
	uint32_t stats_flows;	/* STATS_GET's NATKEEP_A_FLOWS */
	bool has_stats;
	uint32_t *dump_ids;	/* a dump's flow ids go here, if set */
	size_t dump_cap, n_dump;
	bool dump_error;	/* the dump ended with an error */
	bool family_gone;
};

#define NF_NO_ANSWER	1

/* A netlink socket to the natkeep family. */
struct nf_nl {
	int fd;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
	uint32_t mcgrp;		/* the events group, 0: none */
	uint8_t *rx;
};

/* A worker: its options, stream, sockets, counters and known flows. */
struct nf_worker {
	const struct nf_opts *o;
	int index;
	bool own_netns;		/* alone in its namespace: exact checks */
	struct nf_rng rng;
	struct nf_nl nl;
	struct nf_nl ev;	/* subscribed to the events */
	struct nf_counts *c;
	struct nf_shared *sh;
	int userns_flows;	/* the module parameter, -1: unknown */
	uint32_t live[NF_LIVE_MAX];
	int n_live;
	uint32_t gone[16];	/* ids this worker deleted lately */
	int n_gone;
	uint32_t last_new_id;	/* stress: ids grow within a namespace */
	struct nf_msg *msg;	/* scratch */
	long budget;		/* messages left */
	double t_end;
	int verbose_left;	/* violation reports left to print */
	int notes_left;		/* odd outcomes left to print */
	struct nf_log *log;
	double hold;		/* sleep between a send and its answers */
};

/* nlfuzz_nl.c */
int nf_nl_open(struct nf_nl *nl, bool cap_ack);
void nf_nl_close(struct nf_nl *nl);
int nf_nl_resolve(struct nf_nl *nl);
int nf_nl_join_events(struct nf_nl *nl);

void nf_msg_begin(struct nf_msg *m, uint16_t type, uint16_t flags,
		  uint8_t cmd, uint8_t version);
void nf_msg_natkeep(struct nf_worker *w, struct nf_msg *m, uint8_t cmd,
		    uint16_t flags);
struct nlattr *nf_put(struct nf_msg *m, uint16_t type, const void *data,
		      size_t len);
void nf_put_u8(struct nf_msg *m, uint16_t type, uint8_t v);
void nf_put_u16(struct nf_msg *m, uint16_t type, uint16_t v);
void nf_put_u32(struct nf_msg *m, uint16_t type, uint32_t v);
void nf_put_u64(struct nf_msg *m, uint16_t type, uint64_t v);
void nf_put_str(struct nf_msg *m, uint16_t type, const char *s);
struct nlattr *nf_nest_begin(struct nf_msg *m, uint16_t type);
void nf_nest_end(struct nf_msg *m, struct nlattr *nest);
void nf_msg_end(struct nf_msg *m);
void nf_msg_allow(struct nf_msg *m, int err);

int nf_exchange(struct nf_worker *w, struct nf_msg *m, struct nf_result *r);
void nf_drain_events(struct nf_worker *w);
void nf_violation(struct nf_worker *w, const struct nf_msg *m,
		  const char *fmt, ...) __attribute__((format(printf, 3, 4)));
double nf_now(void);

/* nlfuzz_gen.c */
void nf_flow_valid(struct nf_worker *w, struct nf_flow *f);
void nf_put_flow(struct nf_msg *m, const struct nf_flow *f);
void nf_fuzz_one(struct nf_worker *w);
void nf_live_add(struct nf_worker *w, uint32_t id);
void nf_live_del(struct nf_worker *w, uint32_t id);
uint32_t nf_live_pick(struct nf_worker *w);
int nf_resync(struct nf_worker *w);
uint16_t nf_local_port(struct nf_worker *w);

/* nlfuzz_stress.c */
void nf_stress_one(struct nf_worker *w);
void nf_churn_one(struct nf_worker *w);

/* nlfuzz_peer.c */
struct nf_peer;
struct nf_peer *nf_peer_open(uint16_t base, struct nf_counts *c, uint64_t seed);
void nf_peer_serve(struct nf_peer *p, int timeout_ms);
pid_t nf_peer_spawn(uint16_t base, struct nf_counts *c, uint64_t seed);

/* nlfuzz.c: the log of the last messages sent */
struct nf_log;
void nf_log_msg(struct nf_log *log, const struct nf_msg *m, uint16_t family);
int nf_lo_up(void);

#endif /* NLFUZZ_H */

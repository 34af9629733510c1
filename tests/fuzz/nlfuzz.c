// SPDX-License-Identifier: GPL-2.0
/*
 * nlfuzz: fuzz and stress the natkeep generic netlink family of the loaded
 * module (run it in the test VM: it makes flows, namespaces and traffic).
 *
 *   nlfuzz [-s SEED] [-n MESSAGES] [-j WORKERS] [-N K] [-u | -P] [-S [-C]]
 *          [-g] [-x] [-t SECONDS] [-i SECONDS] [-H SECONDS] [-F FLOWS] [-p PORT]
 *          [-l FILE [-L N]] [-v]
 *   nlfuzz -D FILE     print the messages a worker's log holds
 *   nlfuzz -R FILE     send them again, checked as in a run
 *
 * -s SEED      the generators' seed (default 1): worker i draws from its own
 *              stream, so a run repeats as far as the kernel's answers do
 * -n MESSAGES  buffers to send, over all workers (default 10000)
 * -j WORKERS   processes, each pinned to a CPU, round-robin (default 1)
 * -N K         the last K workers each unshare(CLONE_NEWNET) into a new
 *              network namespace (with their own responders)
 * -u           workers become nobody (uid 65534) in a user and network
 *              namespace of their own: no flow unless the module's
 *              userns_flows allows it
 * -P           workers drop CAP_NET_ADMIN in the initial namespaces: every
 *              FLOW_NEW/SET/DEL must fail with EPERM
 * -S           stress: valid add/set/del cycles on flows the workers share
 * -C           with -S: each step a namespace made, filled and dropped
 * -g           the module may go away (rmmod): a worker ends quietly when
 *              the family is gone
 * -x           delete the flows the workers know of at the end
 * -t SECONDS   stop after this long, whatever is left of -n
 * -i SECONDS   print the messages sent and the rate every so often
 * -H SECONDS   instead of fuzzing: make some flows, then start a dump on a
 *              fresh socket and read it only after SECONDS (a dump in
 *              progress holds the module: rmmod meanwhile must say busy)
 * -F FLOWS     keep about this many flows per worker (default 24)
 * -p PORT      responders at PORT (STUN) and PORT + 1 (SIP) on 127.0.0.1
 *              and ::1; flows from PORT + 10.. (default 41000)
 * -l FILE      keep the last -L (default 32) buffers each worker sent in
 *              FILE.<worker> (a ring in a shared mapping: it survives the
 *              worker; print it with -D)
 * -v           more output (each violation, up to 20 per worker, is shown
 *              anyway)
 *
 * The last line is "N passed, N failed": exchanges (and end checks) that
 * met the protocol and natkeep.h, and those with a violation.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "nlfuzz.h"

/* --- the log of the last messages ------------------------------------------- */

#define NF_LOG_MAGIC	"NLFUZZ1"

struct nf_log_head {
	char magic[8];
	uint32_t depth;
	uint16_t family;
	uint16_t worker;
	uint64_t count;
};

struct nf_log_slot {
	uint64_t index;
	uint64_t mono_ns;
	uint32_t len;
	uint32_t pad;
	uint8_t data[NF_MSG_MAX];
};

struct nf_log {
	struct nf_log_head *head;
	struct nf_log_slot *slots;
};

static size_t log_size(uint32_t depth)
{
	return sizeof(struct nf_log_head) + depth * sizeof(struct nf_log_slot);
}

static struct nf_log *log_open(const char *path, int worker, uint32_t depth)
{
	char name[4096];
	struct nf_log *log;
	void *map;
	int fd;

	snprintf(name, sizeof(name), "%s.%d", path, worker);
	fd = open(name, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || ftruncate(fd, (off_t)log_size(depth))) {
		fprintf(stderr, "nlfuzz: %s: %s\n", name, strerror(errno));
		exit(2);
	}
	map = mmap(NULL, log_size(depth), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		fprintf(stderr, "nlfuzz: mmap %s: %s\n", name, strerror(errno));
		exit(2);
	}
	log = calloc(1, sizeof(*log));
	log->head = map;
	log->slots = (void *)((uint8_t *)map + sizeof(struct nf_log_head));
	memcpy(log->head->magic, NF_LOG_MAGIC, 8);
	log->head->depth = depth;
	log->head->worker = (uint16_t)worker;
	return log;
}

/* Before the send: what the kernel got last is in the file if it stops. */
void nf_log_msg(struct nf_log *log, const struct nf_msg *m, uint16_t family)
{
	struct nf_log_slot *s = &log->slots[log->head->count % log->head->depth];

	s->index = log->head->count;
	s->mono_ns = (uint64_t)(nf_now() * 1e9);
	s->len = (uint32_t)m->len;
	memcpy(s->data, m->buf, m->len);
	log->head->family = family;
	__atomic_store_n(&log->head->count, log->head->count + 1, __ATOMIC_RELEASE);
}

static struct nf_log_head *log_map(const char *path)
{
	struct stat st;
	void *map;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) || (size_t)st.st_size < sizeof(struct nf_log_head)) {
		fprintf(stderr, "nlfuzz: %s: %s\n", path, fd < 0 ? strerror(errno) : "too short");
		exit(2);
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED || memcmp(((struct nf_log_head *)map)->magic, NF_LOG_MAGIC, 8) ||
	    (size_t)st.st_size < log_size(((struct nf_log_head *)map)->depth)) {
		fprintf(stderr, "nlfuzz: %s: not an nlfuzz log\n", path);
		exit(2);
	}
	return map;
}

/* The slots of a log, oldest first. */
#define for_each_slot(h, s, i)								\
	for (uint64_t i = (h)->count > (h)->depth ? (h)->count - (h)->depth : 0;	\
	     i < (h)->count &&								\
	     ((s) = (void *)((uint8_t *)((h) + 1) + (i % (h)->depth) *			\
				 sizeof(struct nf_log_slot)), 1); i++)

static int log_print(const char *path)
{
	struct nf_log_head *h = log_map(path);
	struct nf_log_slot *s;

	printf("%s: worker %u, family %u, %llu messages sent, the last %llu:\n", path,
	       h->worker, h->family, (unsigned long long)h->count,
	       (unsigned long long)(h->count < h->depth ? h->count : h->depth));
	for_each_slot(h, s, i) {
		const struct nlmsghdr *nlh = (const void *)s->data;
		const struct genlmsghdr *g = (const void *)(s->data + NLMSG_HDRLEN);

		printf("#%llu t=%.6f len=%u", (unsigned long long)s->index,
		       (double)s->mono_ns / 1e9, s->len);
		if (s->len >= NLMSG_HDRLEN)
			printf(" nlmsg_len=%u type=%u flags=%#x seq=%u pid=%u", nlh->nlmsg_len,
			       nlh->nlmsg_type, nlh->nlmsg_flags, nlh->nlmsg_seq, nlh->nlmsg_pid);
		if (s->len >= NLMSG_HDRLEN + GENL_HDRLEN)
			printf(" cmd=%u version=%u reserved=%u", g->cmd, g->version, g->reserved);
		putchar('\n');
		for (uint32_t off = NLMSG_HDRLEN + GENL_HDRLEN; off + NLA_HDRLEN <= s->len;) {
			const struct nlattr *a = (const void *)(s->data + off);

			printf("    attr type=%u%s%s len=%u:", a->nla_type & NLA_TYPE_MASK,
			       a->nla_type & NLA_F_NESTED ? " NESTED" : "",
			       a->nla_type & NLA_F_NET_BYTEORDER ? " NET_BYTEORDER" : "",
			       a->nla_len);
			for (uint32_t k = NLA_HDRLEN; k < a->nla_len && k < 36 && off + k < s->len; k++)
				printf(" %02x", s->data[off + k]);
			printf("%s\n", a->nla_len > 36 ? " ..." : "");
			if (a->nla_len < NLA_HDRLEN)
				break;
			off += NLA_ALIGN(a->nla_len);
		}
		printf("    hex:");
		for (uint32_t k = 0; k < s->len && k < 512; k++)
			printf("%s%02x", k % 32 ? "" : "\n     ", s->data[k]);
		printf("%s\n", s->len > 512 ? " ..." : "");
	}
	return 0;
}

/* --- setting up a worker ------------------------------------------------------ */

int nf_lo_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		return -errno;
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		err = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!err && ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		err = -errno;
	close(fd);
	return err;
}

static void pin(int index)
{
	cpu_set_t set, one;
	int cpus[CPU_SETSIZE], n = 0;

	if (sched_getaffinity(0, sizeof(set), &set))
		return;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &set))
			cpus[n++] = c;
	if (!n)
		return;
	CPU_ZERO(&one);
	CPU_SET(cpus[index % n], &one);
	sched_setaffinity(0, sizeof(one), &one);
}

/* CAP_NET_ADMIN out of every set, for this process and what it runs. */
static int drop_net_admin(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (prctl(PR_CAPBSET_DROP, CAP_NET_ADMIN, 0, 0, 0) ||
	    syscall(SYS_capget, &hdr, data))
		return -errno;
	data[0].effective &= ~(1u << CAP_NET_ADMIN);
	data[0].permitted &= ~(1u << CAP_NET_ADMIN);
	data[0].inheritable &= ~(1u << CAP_NET_ADMIN);
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

/* Nobody, in a user namespace of its own, and a network namespace it owns. */
static int become_nobody(void)
{
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return -errno;
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		return -errno;
	return 0;
}

static int read_userns_flows(void)
{
	char c = 0;
	int fd = open("/sys/module/natkeep/parameters/userns_flows", O_RDONLY);

	if (fd < 0)
		return -1;
	if (read(fd, &c, 1) != 1)
		c = 0;
	close(fd);
	return c == 'Y' ? 1 : c == 'N' ? 0 : -1;
}

static struct nf_shared *shared;

static void on_signal(int sig)
{
	(void)sig;
	if (shared)
		atomic_store(&shared->stop, 1);
}

/* The end of a worker alone in its namespace: the count agrees. */
static void final_checks(struct nf_worker *w)
{
	static uint32_t ids[NF_LIVE_MAX * 8];
	struct nf_result d = { .dump_ids = ids, .dump_cap = NF_LIVE_MAX * 8 };
	struct nf_result s = { 0 };
	struct nf_msg *m = w->msg;

	nf_msg_natkeep(w, m, NATKEEP_CMD_FLOW_GET, NLM_F_DUMP);
	m->gen = "final-dump";
	nf_msg_end(m);
	if (nf_exchange(w, m, &d) < 0 || d.err)
		return;
	nf_msg_natkeep(w, m, NATKEEP_CMD_STATS_GET, 0);
	m->gen = "final-stats";
	nf_msg_end(m);
	if (nf_exchange(w, m, &s) < 0 || !s.has_stats)
		return;
	if (s.stats_flows != d.n_dump) {
		nf_violation(w, NULL, "STATS_GET counts %u flows, the dump shows %zu",
			     s.stats_flows, d.n_dump);
		w->c->checks_failed++;
	} else {
		w->c->checks_passed++;
	}
	if (w->o->verbose)
		fprintf(stderr, "worker %d: %zu flows left in its namespace\n", w->index, d.n_dump);
}

/*
 * -H: flows enough that a dump takes more than one part (the first part
 * of a socket never read from is one page: 68 flows fitted in one, so
 * the module was not held), and a dump left unread: the module stays in
 * use until it is read to its end.
 */
#define NF_HOLD_FLOWS	160

static void hold_dump(struct nf_worker *w)
{
	static uint32_t ids[NF_LIVE_MAX * 8];
	struct nf_result r = { .dump_ids = ids, .dump_cap = NF_LIVE_MAX * 8 };
	struct nf_msg *m = w->msg;
	uint16_t family;

	for (int i = 0; i < NF_HOLD_FLOWS && !w->c->family_gone; i++) {
		struct nf_flow f;

		nf_flow_valid(w, &f);
		f.lport = (uint16_t)(w->o->port_base + 10 + i);
		f.interval_ms = 100 + nf_rnd(&w->rng, 900);
		nf_msg_natkeep(w, m, NATKEEP_CMD_FLOW_NEW, 0);
		m->gen = "hold-new";
		nf_put_flow(m, &f);
		m->valid = true;
		nf_msg_allow(m, EEXIST);
		nf_msg_allow(m, ENOSPC);
		nf_msg_end(m);
		nf_exchange(w, m, &r);
	}
	if (w->c->family_gone)
		return;
	/* A fresh socket has never said how much it reads: page-sized parts. */
	family = w->nl.family;
	nf_nl_close(&w->nl);
	if (nf_nl_open(&w->nl, false))
		return;
	w->nl.family = family;
	nf_msg_natkeep(w, m, NATKEEP_CMD_FLOW_GET, NLM_F_DUMP);
	m->gen = "hold-dump";
	nf_msg_end(m);
	w->hold = w->o->hold;
	nf_exchange(w, m, &r);
	printf("the held dump: %s, %zu flows\n", r.err ? strerrorname_np(-r.err) : "complete",
	       r.n_dump);
	w->budget = 0;
}

/* Delete the flows the worker knows (-x). */
static void cleanup(struct nf_worker *w)
{
	nf_resync(w);
	while (w->n_live && !w->c->family_gone) {
		struct nf_msg *m = w->msg;
		struct nf_result r = { 0 };
		uint32_t id = w->live[w->n_live - 1];

		nf_msg_natkeep(w, m, NATKEEP_CMD_FLOW_DEL, 0);
		m->gen = "cleanup";
		nf_put_u32(m, NATKEEP_A_FLOW_ID, id);
		m->valid = true;
		m->target_id = id;
		nf_msg_allow(m, ENOENT);
		nf_msg_end(m);
		nf_exchange(w, m, &r);
		nf_live_del(w, id);	/* whatever the answer */
	}
}

static void worker_main(const struct nf_opts *o, int index, long budget)
{
	struct nf_worker *w = calloc(1, sizeof(*w));
	bool own_ns = index >= o->workers - o->netns_workers;
	pid_t peer = 0;
	double t0;
	int err;

	prctl(PR_SET_PDEATHSIG, SIGTERM);
	w->o = o;
	w->index = index;
	w->c = &shared->w[index];
	w->sh = shared;
	w->rng.s = (o->seed + 1) * 0x9E3779B97F4A7C15ULL + (uint64_t)index * 0xD1B54A32D192ED03ULL;
	w->rng.s |= 1;
	w->budget = budget;
	w->verbose_left = 20;
	w->notes_left = 5;
	w->userns_flows = read_userns_flows();
	w->msg = malloc(sizeof(*w->msg));
	pin(index);
	if (o->log_path)
		w->log = log_open(o->log_path, index, (uint32_t)o->log_depth);
	if (o->userns) {
		err = become_nobody();
		if (err) {
			fprintf(stderr, "nlfuzz: worker %d: no user namespace: %s\n", index, strerror(-err));
			exit(2);
		}
		own_ns = true;
	} else if (own_ns && unshare(CLONE_NEWNET)) {
		fprintf(stderr, "nlfuzz: worker %d: unshare(CLONE_NEWNET): %s\n", index, strerror(errno));
		exit(2);
	}
	if (own_ns) {
		nf_lo_up();
		peer = nf_peer_spawn(o->port_base, NULL, w->rng.s);
	}
	w->own_netns = own_ns;
	if (o->capdrop && (err = drop_net_admin())) {
		fprintf(stderr, "nlfuzz: worker %d: cannot drop CAP_NET_ADMIN: %s\n", index, strerror(-err));
		exit(2);
	}
	if ((err = nf_nl_open(&w->nl, index & 1)) || (err = nf_nl_resolve(&w->nl))) {
		fprintf(stderr, "nlfuzz: worker %d: family %s: %s\n", index, NATKEEP_GENL_NAME,
			strerror(-err));
		w->c->family_gone = err == -ENOENT;
		w->c->done = 1;
		exit(err == -ENOENT && o->may_go ? 0 : 2);
	}
	if (!nf_nl_open(&w->ev, true)) {
		w->ev.family = w->nl.family;
		w->ev.mcgrp = w->nl.mcgrp;
		if (nf_nl_join_events(&w->ev))
			nf_nl_close(&w->ev);
	}
	t0 = nf_now();
	w->t_end = o->seconds > 0 ? t0 + o->seconds : 0;
	if (o->hold > 0)
		hold_dump(w);
	while (w->budget > 0 && !w->c->family_gone && !atomic_load(&shared->stop) &&
	       (!w->t_end || nf_now() < w->t_end)) {
		if (o->stress && o->churn)
			nf_churn_one(w);
		else if (o->stress)
			nf_stress_one(w);
		else
			nf_fuzz_one(w);
	}
	w->c->seconds = nf_now() - t0;
	if (!w->c->family_gone) {
		nf_drain_events(w);
		if (own_ns && !o->churn)
			final_checks(w);
		if (o->cleanup)
			cleanup(w);
	}
	w->c->done = 1;
	if (peer)
		kill(peer, SIGKILL);
	exit(0);
}

/* --- the summary -------------------------------------------------------------- */

static void add_counts(struct nf_counts *sum, const struct nf_counts *c)
{
	const uint64_t *src = (const uint64_t *)c;
	uint64_t *dst = (uint64_t *)sum;

	/* Every counter up to the messages is a uint64_t. */
	for (size_t i = 0; i < offsetof(struct nf_counts, msgs) / sizeof(uint64_t); i++)
		dst[i] += src[i];
	for (size_t k = 0; k < ARRAY_SIZE(c->msgs) && c->msgs[k].count; k++) {
		size_t j;

		for (j = 0; j < ARRAY_SIZE(sum->msgs) && sum->msgs[j].count; j++)
			if (sum->msgs[j].err == c->msgs[k].err &&
			    !strcmp(sum->msgs[j].text, c->msgs[k].text))
				break;
		if (j == ARRAY_SIZE(sum->msgs))
			continue;
		if (!sum->msgs[j].count) {
			memcpy(sum->msgs[j].text, c->msgs[k].text, sizeof(sum->msgs[j].text));
			sum->msgs[j].err = c->msgs[k].err;
		}
		sum->msgs[j].count += c->msgs[k].count;
	}
	sum->family_gone |= c->family_gone;
	if (c->seconds > sum->seconds)
		sum->seconds = c->seconds;
}

static int by_count(const void *a, const void *b)
{
	const struct nf_text_count *x = a, *y = b;

	return x->count < y->count ? 1 : x->count > y->count ? -1 : 0;
}

static const char *errname(int e)
{
	const char *name = strerrorname_np(e);

	return name ? name : "?";
}

static void errno_line(const char *title, const uint64_t *err, bool zero_is_success)
{
	bool any = false;

	for (int e = 0; e <= NF_ERRNO_MAX; e++) {
		if (!err[e])
			continue;
		if (!any)
			printf("  %s:", title);
		any = true;
		printf(" %s %llu", e ? errname(e) : zero_is_success ? "ok" : "?",
		       (unsigned long long)err[e]);
	}
	if (any)
		putchar('\n');
}

static void summary(const struct nf_opts *o, const char *mode)
{
	static struct nf_counts sum;
	const char *const events[] = { "?", "new", "set", "del", "get", "mapping",
				       "unresponsive", "responsive" };
	size_t n_msgs = 0;

	memset(&sum, 0, sizeof(sum));
	for (int i = 0; i <= o->workers; i++)
		add_counts(&sum, &shared->w[i]);
	char where[128];

	if (o->churn)
		snprintf(where, sizeof(where), "each step a netns of its own");
	else
		snprintf(where, sizeof(where), "%d in a netns of its own%s%s",
			 o->userns ? o->workers : o->netns_workers,
			 o->userns ? ", as nobody in a userns" : "",
			 o->capdrop ? ", without CAP_NET_ADMIN" : "");
	printf("nlfuzz %s: seed %llu, %d worker%s (%s), %.1f s\n", mode,
	       (unsigned long long)o->seed, o->workers, o->workers > 1 ? "s" : "", where,
	       sum.seconds);
	printf("  messages sent %llu (%.1f MB), %.0f messages/s; replies %llu; no answer asked and none came %llu\n",
	       (unsigned long long)sum.sent, (double)sum.bytes / 1e6,
	       sum.seconds > 0 ? (double)sum.sent / sum.seconds : 0.0,
	       (unsigned long long)sum.replies, (unsigned long long)sum.no_answer);
	errno_line("outcomes (acks and dump ends, by errno)", sum.err, true);
	for (int row = 0; row < NF_CMD_ROWS; row++) {
		static const char *const rows[NF_CMD_ROWS] = {
			"cmd 0 (UNSPEC)", "FLOW_NEW", "FLOW_SET", "FLOW_DEL", "FLOW_GET",
			"cmd 5 (MAPPING_CHANGED)", "cmd 6 (PEER_UNRESPONSIVE)",
			"cmd 7 (PEER_RESPONSIVE)", "STATS_GET", "cmd 9..255",
			"not natkeep's (nlctrl, control, no family)",
		};

		errno_line(rows[row], sum.err_cmd[row], true);
	}
	if (sum.err_other)
		printf("  outcomes beyond errno %d: %llu\n", NF_ERRNO_MAX, (unsigned long long)sum.err_other);
	errno_line("socket errors (send/recv)", sum.rx_err, false);
	printf("  flows created %llu, deleted %llu; dumps %llu (%llu flows listed)",
	       (unsigned long long)sum.created, (unsigned long long)sum.deleted,
	       (unsigned long long)sum.dumps, (unsigned long long)sum.dump_msgs);
	if (sum.namespaces)
		printf("; namespaces made and dropped %llu", (unsigned long long)sum.namespaces);
	putchar('\n');
	printf("  events %llu (", (unsigned long long)sum.events);
	for (int c = 1; c <= NATKEEP_CMD_PEER_RESPONSIVE; c++)
		if (c != NATKEEP_CMD_FLOW_GET)
			printf("%s%s %llu", c > 1 ? ", " : "", events[c],
			       (unsigned long long)sum.event_cmd[c]);
	printf("), overruns %llu\n", (unsigned long long)sum.event_overruns);
	printf("  peers answered: STUN %llu, SIP %llu, left unanswered %llu\n",
	       (unsigned long long)sum.peer_stun, (unsigned long long)sum.peer_sip,
	       (unsigned long long)sum.peer_silent);
	while (n_msgs < ARRAY_SIZE(sum.msgs) && sum.msgs[n_msgs].count)
		n_msgs++;
	qsort(sum.msgs, n_msgs, sizeof(sum.msgs[0]), by_count);
	if (n_msgs)
		printf("  extack messages (%zu kinds):\n", n_msgs);
	for (size_t i = 0; i < n_msgs && (o->verbose || i < 12); i++)
		printf("    %8llu %s: %s\n", (unsigned long long)sum.msgs[i].count,
		       errname(sum.msgs[i].err), sum.msgs[i].text);
	errno_line("errors without an extack message (violations)", sum.no_msg, false);
	if (sum.family_gone)
		printf("  the natkeep family went away during the run (module removed)\n");
	printf("  violations: %llu\n", (unsigned long long)sum.violations);
	printf("%llu passed, %llu failed\n", (unsigned long long)sum.checks_passed,
	       (unsigned long long)sum.checks_failed);
}

/* Every -i seconds until the workers are done: is the rate holding? */
static void progress(const struct nf_opts *o, const pid_t *pids)
{
	uint64_t last = 0;
	double t0 = nf_now(), tl = t0;

	for (;;) {
		uint64_t sent = 0, created = 0, violations = 0;
		bool done = true;
		double now;

		usleep((useconds_t)(o->progress * 1e6));
		for (int i = 0; i < o->workers; i++) {
			sent += shared->w[i].sent;
			created += shared->w[i].created;
			violations += shared->w[i].violations;
			done &= shared->w[i].done || kill(pids[i], 0);
		}
		now = nf_now();
		printf("progress +%.0f s: %llu messages, %.0f/s lately; %llu flows made; %llu violations\n",
		       now - t0, (unsigned long long)sent, (double)(sent - last) / (now - tl),
		       (unsigned long long)created, (unsigned long long)violations);
		last = sent;
		tl = now;
		if (done)
			return;
	}
}

/* --- replay ------------------------------------------------------------------- */

static int replay(const struct nf_opts *o, const char *path)
{
	struct nf_log_head *h = log_map(path);
	struct nf_worker *w = calloc(1, sizeof(*w));
	struct nf_log_slot *s;
	int err;

	w->o = o;
	w->c = &shared->w[0];
	w->sh = shared;
	w->msg = malloc(sizeof(*w->msg));
	w->verbose_left = 1000;
	w->budget = 1L << 40;
	if ((err = nf_nl_open(&w->nl, false)) || (err = nf_nl_resolve(&w->nl))) {
		fprintf(stderr, "nlfuzz: family %s: %s\n", NATKEEP_GENL_NAME, strerror(-err));
		return 2;
	}
	for_each_slot(h, s, i) {
		struct nf_result r = { 0 };
		struct nf_msg *m = w->msg;

		nf_msg_begin(m, 0, 0, 0, 0);
		m->gen = "replay";
		memcpy(m->buf, s->data, s->len);
		m->len = s->len;
		if (m->len >= NLMSG_HDRLEN + GENL_HDRLEN)
			m->cmd = m->buf[NLMSG_HDRLEN];
		/* The family may have another id now. */
		if (m->len >= NLMSG_HDRLEN && m->nlh.nlmsg_type == h->family)
			m->nlh.nlmsg_type = w->nl.family;
		nf_exchange(w, m, &r);
		printf("#%llu: %s\n", (unsigned long long)s->index,
		       r.err == NF_NO_ANSWER ? "no answer" : r.err ? errname(-r.err) : "ok");
	}
	w->c->done = 1;
	summary(o, "replay");
	return shared->w[0].checks_failed ? 1 : 0;
}

/* --- main ---------------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr,
		"usage: nlfuzz [-s SEED] [-n MESSAGES] [-j WORKERS] [-N K] [-u | -P] [-S [-C]]\n"
		"              [-g] [-x] [-t SECONDS] [-i SECONDS] [-H SECONDS] [-F FLOWS] [-p PORT]\n"
		"              [-l FILE [-L N]] [-v]\n"
		"       nlfuzz -D FILE | -R FILE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static struct nf_opts o = {
		.seed = 1, .messages = 10000, .workers = 1, .live_cap = 24,
		.port_base = 41000, .log_depth = 32,
	};
	const char *print = NULL, *again = NULL, *mode;
	pid_t pids[NF_WORKERS_MAX], peer = 0;
	int opt, status, failed = 0;

	while ((opt = getopt(argc, argv, "s:n:j:N:uPSCgxt:i:H:F:p:l:L:vD:R:h")) != -1) {
		switch (opt) {
		case 's': o.seed = strtoull(optarg, NULL, 0); break;
		case 'n': o.messages = strtol(optarg, NULL, 0); break;
		case 'j': o.workers = atoi(optarg); break;
		case 'N': o.netns_workers = atoi(optarg); break;
		case 'u': o.userns = true; break;
		case 'P': o.capdrop = true; break;
		case 'S': o.stress = true; break;
		case 'C': o.churn = true; break;
		case 'g': o.may_go = true; break;
		case 'x': o.cleanup = true; break;
		case 't': o.seconds = atof(optarg); break;
		case 'i': o.progress = atof(optarg); break;
		case 'H': o.hold = atof(optarg); break;
		case 'F': o.live_cap = atoi(optarg); break;
		case 'p': o.port_base = (uint16_t)atoi(optarg); break;
		case 'l': o.log_path = optarg; break;
		case 'L': o.log_depth = atoi(optarg); break;
		case 'v': o.verbose++; break;
		case 'D': print = optarg; break;
		case 'R': again = optarg; break;
		default: usage();
		}
	}
	if (optind != argc || o.workers < 1 || o.workers > NF_WORKERS_MAX ||
	    o.netns_workers < 0 || o.netns_workers > o.workers || o.log_depth < 1 ||
	    (o.userns && o.capdrop) || (o.churn && !o.stress) || o.messages < 0)
		usage();
	if (print)
		return log_print(print);
	setvbuf(stdout, NULL, _IOLBF, 0);
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED) {
		perror("nlfuzz: mmap");
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	if (again)
		return replay(&o, again);

	/* The initial namespace's responders, for the workers that stay there. */
	if (!o.userns && o.netns_workers < o.workers)
		peer = nf_peer_spawn(o.port_base, &shared->w[o.workers], o.seed);
	for (int i = 0; i < o.workers; i++) {
		long budget = o.messages / o.workers + (i < o.messages % o.workers);

		pids[i] = fork();
		if (pids[i] < 0) {
			perror("nlfuzz: fork");
			return 2;
		}
		if (!pids[i])
			worker_main(&o, i, budget);
	}
	if (o.progress > 0)
		progress(&o, pids);
	for (int i = 0; i < o.workers; i++) {
		while (waitpid(pids[i], &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "nlfuzz: worker %d ended with %s %d\n", i,
				WIFSIGNALED(status) ? "signal" : "status",
				WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			failed = 1;
		}
	}
	if (peer) {
		kill(peer, SIGKILL);
		waitpid(peer, &status, 0);
	}
	mode = o.stress ? (o.churn ? "stress with namespace churn" : "stress") : "fuzz";
	summary(&o, mode);
	for (int i = 0; i < o.workers; i++)
		failed |= shared->w[i].checks_failed > 0;
	return failed;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * "natkeepctl stats [show]": the network namespace's send statistics over
 * all its flows, with the lateness histogram (the kernel keeps that per
 * namespace only: lateness is the host's more than any flow's).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "genl_session.h"
#include "json_writer.h"
#include "lateness_format.h"
#include "nk_genl.h"
#include "nk_stats.h"
#include "nkctl.h"
#include "report.h"

void nkctl_stats_usage(FILE *out)
{
	fprintf(out,
		"Usage: natkeepctl [-j] stats [show]\n"
		"  this network namespace's keep-alives since the module was loaded:\n"
		"  flows now, sent, errors, lateness histogram and worst lateness\n");
}

struct stats_reply {
	struct nk_ns_stats ns;
	bool seen;
	char parse_error[128];
};

static int collect_stats(const struct nlmsghdr *nlh, void *data)
{
	struct stats_reply *reply = data;

	if (nk_ns_stats_parse(nlh, &reply->ns, reply->parse_error,
			      sizeof(reply->parse_error)))
		return -EBADMSG;
	reply->seen = true;
	return 0;
}

static void print_text(const struct nk_ns_stats *ns)
{
	const struct nk_flow_stats *stats = &ns->stats;

	printf("flows %u sent %llu errors %llu\n", ns->flows,
	       (unsigned long long)stats->tx_packets,
	       (unsigned long long)stats->tx_errors);
	nkctl_lateness_print_text(stdout, stats);
}

static void print_json(const struct nkctl_opts *opts, const struct nk_ns_stats *ns)
{
	struct json_writer jw;

	json_writer_init(&jw, stdout, opts->pretty);
	json_object_start(&jw);
	json_kv_uint(&jw, "flows", ns->flows);
	json_kv_uint(&jw, "tx_packets", ns->stats.tx_packets);
	json_kv_uint(&jw, "tx_errors", ns->stats.tx_errors);
	nkctl_lateness_print_json(&jw, &ns->stats);
	json_object_end(&jw);
	putchar('\n');
}

static int stats_show(struct nk_genl *genl, const struct nkctl_opts *opts)
{
	struct stats_reply reply = { 0 };
	char buf[NK_MSG_BUF_LEN];
	struct nlmsghdr *req;
	struct nk_error err;

	req = nk_genl_request(genl, buf, NATKEEP_CMD_STATS_GET,
			      NLM_F_REQUEST | NLM_F_ACK);
	if (nk_genl_transact(genl, req, collect_stats, &reply, &err)) {
		if (err.code == -EBADMSG && reply.parse_error[0]) {
			nkctl_error("stats: malformed reply from the kernel: %s",
				    reply.parse_error);
			return NKCTL_EXIT_FAILURE;
		}
		return nkctl_kernel_error("stats", &err);
	}
	if (!reply.seen || !reply.ns.has_stats) {
		nkctl_error("stats: the module sent no statistics (older than this natkeepctl?)");
		return NKCTL_EXIT_FAILURE;
	}
	if (opts->json)
		print_json(opts, &reply.ns);
	else
		print_text(&reply.ns);
	return NKCTL_EXIT_OK;
}

int nkctl_stats_run(const struct nkctl_opts *opts, int argc, char **argv)
{
	struct nk_genl own, *genl;
	char message[128];
	int ret;

	if (argc > 0 && !strcmp(argv[0], "help")) {
		nkctl_stats_usage(stdout);
		return NKCTL_EXIT_OK;
	}
	if (argc > 1 || (argc == 1 && strcmp(argv[0], "show"))) {
		snprintf(message, sizeof(message), "unknown command \"%s\"",
			 argc == 1 ? argv[0] : argv[1]);
		return nkctl_usage_error("stats", message);
	}
	genl = nkctl_genl_get(opts, &own, &ret);
	if (!genl)
		return ret;
	ret = stats_show(genl, opts);
	nkctl_genl_put(opts, genl, ret);
	if (fflush(stdout) || ferror(stdout)) {
		nkctl_error("cannot write output: %s", strerror(errno));
		return NKCTL_EXIT_FAILURE;
	}
	return ret;
}

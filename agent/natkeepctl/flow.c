// SPDX-License-Identifier: GPL-2.0
/* "natkeepctl flow": parse (flow_args.c), then ask the kernel and print. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow_args.h"
#include "flow_format.h"
#include "genl_session.h"
#include "nk_genl.h"
#include "nkctl.h"
#include "report.h"

struct flow_list {
	struct nk_flow *flows;
	size_t count;
	size_t capacity;
	char parse_error[128];
};

static int collect_flow(const struct nlmsghdr *nlh, void *data)
{
	struct flow_list *list = data;

	if (list->count == list->capacity) {
		size_t capacity = list->capacity ? list->capacity * 2 : 16;
		struct nk_flow *flows = realloc(list->flows, capacity * sizeof(*flows));

		if (!flows)
			return -ENOMEM;
		list->flows = flows;
		list->capacity = capacity;
	}
	if (nk_flow_parse(nlh, &list->flows[list->count], list->parse_error,
			  sizeof(list->parse_error)))
		return -EBADMSG;
	list->count++;
	return 0;
}

/* The kernel failed us, or sent something we cannot read. */
static int report_failure(const char *what, const struct flow_list *list,
			  const struct nk_error *err)
{
	if (err->code == -EBADMSG && list && list->parse_error[0]) {
		nkctl_error("%s: malformed reply from the kernel: %s",
			    what, list->parse_error);
		return NKCTL_EXIT_FAILURE;
	}
	return nkctl_kernel_error(what, err);
}

static void print_flows(const struct nkctl_opts *opts, const struct flow_list *list,
			bool as_array)
{
	struct json_writer jw;
	size_t i;

	if (!opts->json) {
		for (i = 0; i < list->count; i++)
			nkctl_flow_print_text(stdout, &list->flows[i], NULL);
		return;
	}
	json_writer_init(&jw, stdout, opts->pretty);
	if (as_array)
		json_array_start(&jw);
	for (i = 0; i < list->count; i++)
		nkctl_flow_print_json(&jw, &list->flows[i], NULL);
	if (as_array)
		json_array_end(&jw);
	putchar('\n');
}

/* One flow (id given) or, as a dump, all of them in id order. */
static int get_flows(struct nk_genl *genl, const struct nk_flow *which,
		     struct flow_list *list, struct nk_error *err)
{
	char buf[NK_MSG_BUF_LEN];
	struct nlmsghdr *req;

	if (nk_flow_has(which, NK_FLOW_ID)) {
		req = nk_genl_request(genl, buf, NATKEEP_CMD_FLOW_GET,
				      NLM_F_REQUEST | NLM_F_ACK);
		mnl_attr_put_u32(req, NATKEEP_A_FLOW_ID, which->id);
	} else {
		req = nk_genl_request(genl, buf, NATKEEP_CMD_FLOW_GET,
				      NLM_F_REQUEST | NLM_F_DUMP);
	}
	return nk_genl_transact(genl, req, collect_flow, list, err);
}

static int flow_show(struct nk_genl *genl, const struct nkctl_opts *opts,
		     const struct nk_flow *which)
{
	struct flow_list list = { 0 };
	struct nk_error err;
	int ret = NKCTL_EXIT_OK;

	if (get_flows(genl, which, &list, &err))
		ret = report_failure("flow show", &list, &err);
	else
		print_flows(opts, &list, true);
	free(list.flows);
	return ret;
}

/* Sends FLOW_NEW/SET/DEL; replies, if any, are collected into list. */
static int flow_change(struct nk_genl *genl, uint8_t cmd, const struct nk_flow *flow,
		       struct flow_list *list, struct nk_error *err)
{
	char buf[NK_MSG_BUF_LEN];
	struct nlmsghdr *req;
	int ret;

	req = nk_genl_request(genl, buf, cmd, NLM_F_REQUEST | NLM_F_ACK);
	ret = nk_flow_put(req, sizeof(buf), flow);
	if (ret) {
		memset(err, 0, sizeof(*err));
		err->code = ret;
		return ret;
	}
	return nk_genl_transact(genl, req, collect_flow, list, err);
}

static int flow_add(struct nk_genl *genl, const struct nkctl_opts *opts,
		    const struct nk_flow *flow)
{
	struct flow_list created = { 0 }, shown = { 0 };
	struct nk_error err;
	int ret = NKCTL_EXIT_OK;

	if (flow_change(genl, NATKEEP_CMD_FLOW_NEW, flow, &created, &err)) {
		ret = report_failure("flow add", &created, &err);
		goto out;
	}
	if (!created.count || !nk_flow_has(&created.flows[0], NK_FLOW_ID))
		goto out;	/* a module that only ACKs: nothing to show */
	/*
	 * Show it as "flow show" would. The reply carries the stats; should a
	 * module leave them out, ask for the flow.
	 */
	if (!nk_flow_has(&created.flows[0], NK_FLOW_STATS) &&
	    !get_flows(genl, &created.flows[0], &shown, &err) && shown.count == 1)
		print_flows(opts, &shown, false);
	else
		print_flows(opts, &created, false);
out:
	free(created.flows);
	free(shown.flows);
	return ret;
}

static int flow_set_or_del(struct nk_genl *genl, uint8_t cmd, const char *what,
			   const struct nk_flow *flow)
{
	struct flow_list replies = { 0 };
	struct nk_error err;
	int ret = NKCTL_EXIT_OK;

	if (flow_change(genl, cmd, flow, &replies, &err))
		ret = report_failure(what, &replies, &err);
	free(replies.flows);
	return ret;
}

int nkctl_flow_run(const struct nkctl_opts *opts, int argc, char **argv)
{
	struct nkctl_flow_request req;
	struct nk_genl own, *genl;
	char message[256];
	int ret;

	if (nkctl_flow_parse_args(argc, argv, &req, message, sizeof(message)))
		return nkctl_usage_error("flow", message);
	if (req.action == NKCTL_FLOW_HELP) {
		nkctl_flow_usage(stdout);
		return NKCTL_EXIT_OK;
	}
	genl = nkctl_genl_get(opts, &own, &ret);
	if (!genl)
		return ret;
	switch (req.action) {
	case NKCTL_FLOW_ADD:
		ret = flow_add(genl, opts, &req.flow);
		break;
	case NKCTL_FLOW_SET:
		ret = flow_set_or_del(genl, NATKEEP_CMD_FLOW_SET, "flow set", &req.flow);
		break;
	case NKCTL_FLOW_DEL:
		ret = flow_set_or_del(genl, NATKEEP_CMD_FLOW_DEL, "flow del", &req.flow);
		break;
	case NKCTL_FLOW_SHOW:
	default:
		ret = flow_show(genl, opts, &req.flow);
		break;
	}
	nkctl_genl_put(opts, genl, ret);
	if (fflush(stdout) || ferror(stdout)) {
		nkctl_error("cannot write output: %s", strerror(errno));
		return NKCTL_EXIT_FAILURE;
	}
	return ret;
}

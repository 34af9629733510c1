/* SPDX-License-Identifier: GPL-2.0 */
/*
 * "natkeepctl flow ..." arguments into a request, without sending anything:
 * parse and validate here, act in flow.c.
 */
#ifndef NKCTL_FLOW_ARGS_H
#define NKCTL_FLOW_ARGS_H

#include <stddef.h>
#include <stdio.h>

#include "nk_flow.h"

enum nkctl_flow_action {
	NKCTL_FLOW_SHOW,	/* flow.fields has NK_FLOW_ID for one flow */
	NKCTL_FLOW_ADD,
	NKCTL_FLOW_SET,
	NKCTL_FLOW_DEL,
	NKCTL_FLOW_HELP,
};

struct nkctl_flow_request {
	enum nkctl_flow_action action;
	struct nk_flow flow;	/* the attributes to send */
};

/*
 * argv[0] is the command (show, list, add, set, del, help); argc 0 means
 * show. Returns 0, or -1 with a message naming the bad argument in err.
 */
int nkctl_flow_parse_args(int argc, char **argv, struct nkctl_flow_request *req,
			  char *err, size_t errlen);

#endif

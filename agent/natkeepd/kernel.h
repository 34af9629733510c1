/* SPDX-License-Identifier: GPL-2.0 */
/*
 * natkeepd's link to natkeep.ko: keep-alive flows over generic netlink (the
 * shared libnatkeep), and the module's events. The module may be missing:
 * then the agent registers without kernel keep-alives and looks for the
 * module again now and then.
 */
#ifndef NKD_KERNEL_H
#define NKD_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sofia-sip/su_wait.h>

#include "nk_flow.h"

struct nkd_kernel_handlers {
	/* An event (NATKEEP_CMD_MAPPING_CHANGED, PEER_*, FLOW_DEL) for flow->id. */
	void (*event)(void *ctx, int cmd, const struct nk_flow *flow);
	/* Events were lost (the socket's buffer ran full): look again. */
	void (*lost)(void *ctx);
	/* The module is there now (again): create the flows. */
	void (*available)(void *ctx);
	void *ctx;
};

/*
 * Connects and joins the events group. Returns 0, or -ENOENT when the
 * module is not loaded (it is then looked for every few seconds and
 * handlers->available called when found), or another negative errno.
 */
int nkd_kernel_open(su_root_t *root, const struct nkd_kernel_handlers *handlers);
void nkd_kernel_close(void);
bool nkd_kernel_available(void);

/*
 * Creates a flow, or changes flow *id (not 0) to flow. A flow with the same
 * local and remote endpoints (left by an earlier run: flows outlive the
 * agent) is taken over. On success *id is the flow's id. Returns 0 or a
 * negative errno with the kernel's message in err.
 */
int nkd_kernel_flow_apply(const struct nk_flow *flow, uint32_t *id,
			  char *err, size_t errlen);
int nkd_kernel_flow_delete(uint32_t id);
/* Calls fn for every flow of our network namespace. 0 or a negative errno. */
int nkd_kernel_flow_each(void (*fn)(const struct nk_flow *flow, void *ctx), void *ctx);
/* The flow as the module has it now (stats, mapping). */
int nkd_kernel_flow_get(uint32_t id, struct nk_flow *out);

#endif

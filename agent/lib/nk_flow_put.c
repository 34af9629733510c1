// SPDX-License-Identifier: GPL-2.0
/* Turning a struct nk_flow into FLOW_NEW / FLOW_SET attributes. */
#include "nk_flow.h"

#include <errno.h>

int nk_flow_put(struct nlmsghdr *nlh, size_t buflen, const struct nk_flow *flow)
{
	size_t addr_len = nk_addr_len(flow->family);
	bool ok = true;

	if (nk_flow_has(flow, NK_FLOW_LOCAL_ADDR) || nk_flow_has(flow, NK_FLOW_REMOTE_ADDR)) {
		/* The family says how long the addresses are. */
		if (!nk_flow_has(flow, NK_FLOW_FAMILY) || !addr_len)
			return -EINVAL;
	}
	if (ok && nk_flow_has(flow, NK_FLOW_ID))
		ok = mnl_attr_put_u32_check(nlh, buflen, NATKEEP_A_FLOW_ID, flow->id);
	if (ok && nk_flow_has(flow, NK_FLOW_FAMILY))
		ok = mnl_attr_put_u16_check(nlh, buflen, NATKEEP_A_FAMILY, flow->family);
	if (ok && nk_flow_has(flow, NK_FLOW_LOCAL_ADDR))
		ok = mnl_attr_put_check(nlh, buflen, NATKEEP_A_LOCAL_ADDR, addr_len,
					flow->local_addr.bytes);
	if (ok && nk_flow_has(flow, NK_FLOW_LOCAL_PORT))
		ok = mnl_attr_put_u16_check(nlh, buflen, NATKEEP_A_LOCAL_PORT, flow->local_port);
	if (ok && nk_flow_has(flow, NK_FLOW_REMOTE_ADDR))
		ok = mnl_attr_put_check(nlh, buflen, NATKEEP_A_REMOTE_ADDR, addr_len,
					flow->remote_addr.bytes);
	if (ok && nk_flow_has(flow, NK_FLOW_REMOTE_PORT))
		ok = mnl_attr_put_u16_check(nlh, buflen, NATKEEP_A_REMOTE_PORT, flow->remote_port);
	if (ok && nk_flow_has(flow, NK_FLOW_INTERVAL))
		ok = mnl_attr_put_u32_check(nlh, buflen, NATKEEP_A_INTERVAL_MS, flow->interval_ms);
	if (ok && nk_flow_has(flow, NK_FLOW_RANDOMIZE))
		ok = mnl_attr_put_u8_check(nlh, buflen, NATKEEP_A_RANDOMIZE, flow->randomize ? 1 : 0);
	if (ok && nk_flow_has(flow, NK_FLOW_MSG_TYPE))
		ok = mnl_attr_put_u8_check(nlh, buflen, NATKEEP_A_MSG_TYPE, flow->msg_type);
	if (ok && nk_flow_has(flow, NK_FLOW_MARK))
		ok = mnl_attr_put_u32_check(nlh, buflen, NATKEEP_A_MARK, flow->mark);
	if (ok && nk_flow_has(flow, NK_FLOW_DSCP))
		ok = mnl_attr_put_u8_check(nlh, buflen, NATKEEP_A_DSCP, flow->dscp);
	return ok ? 0 : -EMSGSIZE;
}

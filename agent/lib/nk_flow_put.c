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
	if (ok && nk_flow_has(flow, NK_FLOW_SIP_HOST))
		ok = mnl_attr_put_strz_check(nlh, buflen, NATKEEP_A_SIP_HOST, flow->sip_host);
	if (ok && nk_flow_has(flow, NK_FLOW_SIP_FROM_USER))
		ok = mnl_attr_put_strz_check(nlh, buflen, NATKEEP_A_SIP_FROM_USER,
					     flow->sip_from_user);
	if (ok && nk_flow_has(flow, NK_FLOW_SIP_FROM_DOMAIN))
		ok = mnl_attr_put_strz_check(nlh, buflen, NATKEEP_A_SIP_FROM_DOMAIN,
					     flow->sip_from_domain);
	if (ok && nk_flow_has(flow, NK_FLOW_SIP_USER_AGENT))
		ok = mnl_attr_put_strz_check(nlh, buflen, NATKEEP_A_SIP_USER_AGENT,
					     flow->sip_user_agent);
	if (ok && nk_flow_has(flow, NK_FLOW_CUSTOM_SPEC))
		ok = mnl_attr_put_strz_check(nlh, buflen, NATKEEP_A_CUSTOM_SPEC, flow->custom_spec);
	if (ok && nk_flow_has(flow, NK_FLOW_STUN_FINGERPRINT))
		ok = mnl_attr_put_u8_check(nlh, buflen, NATKEEP_A_STUN_FINGERPRINT,
					   flow->stun_fingerprint ? 1 : 0);
	if (ok && nk_flow_has(flow, NK_FLOW_RESPONSE_TIMEOUT))
		ok = mnl_attr_put_u32_check(nlh, buflen, NATKEEP_A_RESPONSE_TIMEOUT_MS,
					    flow->response_timeout_ms);
	if (ok && nk_flow_has(flow, NK_FLOW_MISS_LIMIT))
		ok = mnl_attr_put_u8_check(nlh, buflen, NATKEEP_A_MISS_LIMIT, flow->miss_limit);
	return ok ? 0 : -EMSGSIZE;
}

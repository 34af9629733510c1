// SPDX-License-Identifier: GPL-2.0
#include "nk_attr_names.h"

#include <stddef.h>
#include <linux/natkeep.h>

#include "nk_array.h"

/* The uapi names without the prefix, and also the JSON keys where there is one. */
static const char *const attr_names[] = {
	[NATKEEP_A_PAD]		= "pad",
	[NATKEEP_A_FLOW_ID]	= "flow_id",
	[NATKEEP_A_FAMILY]	= "family",
	[NATKEEP_A_LOCAL_ADDR]	= "local_addr",
	[NATKEEP_A_LOCAL_PORT]	= "local_port",
	[NATKEEP_A_REMOTE_ADDR]	= "remote_addr",
	[NATKEEP_A_REMOTE_PORT]	= "remote_port",
	[NATKEEP_A_INTERVAL_MS]	= "interval_ms",
	[NATKEEP_A_RANDOMIZE]	= "randomize",
	[NATKEEP_A_MSG_TYPE]	= "msg_type",
	[NATKEEP_A_MARK]	= "mark",
	[NATKEEP_A_DSCP]	= "dscp",
	[NATKEEP_A_NEXT_SEND_NS] = "next_send_ns",
	[NATKEEP_A_STATS]	= "stats",
	[NATKEEP_A_SIP_HOST]	= "sip_host",
	[NATKEEP_A_SIP_FROM_USER] = "sip_from_user",
	[NATKEEP_A_SIP_FROM_DOMAIN] = "sip_from_domain",
	[NATKEEP_A_SIP_USER_AGENT] = "sip_user_agent",
	[NATKEEP_A_CUSTOM_SPEC]	= "custom_spec",
	[NATKEEP_A_STUN_FINGERPRINT] = "stun_fingerprint",
	[NATKEEP_A_RESPONSE_TIMEOUT_MS] = "response_timeout_ms",
	[NATKEEP_A_MISS_LIMIT]	= "miss_limit",
	[NATKEEP_A_MAPPING]	= "mapping",
	[NATKEEP_A_OLD_MAPPING]	= "old_mapping",
	[NATKEEP_A_PEER_RESPONSIVE] = "peer_responsive",
	[NATKEEP_A_FLOWS] = "flows",
};

const char *nk_attr_name(unsigned int type)
{
	if (type >= ARRAY_SIZE(attr_names))
		return NULL;
	return attr_names[type];
}

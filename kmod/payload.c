// SPDX-License-Identifier: GPL-2.0
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/natkeep.h>
#include <linux/netlink.h>
#include <linux/once.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/string.h>

#include "params.h"
#include "payload.h"

static siphash_key_t nk_request_key __read_mostly;

/*
 * SipHash with a key drawn at first use: as unpredictable to anyone without
 * the key as random bytes, and nothing to keep per request: a response is
 * matched by hashing the request number again. @params: the flow's own,
 * whose address tells flows apart.
 */
u64 nk_request_hash(const struct nk_flow_params *params, u32 seq, u32 word)
{
	get_random_once(&nk_request_key, sizeof(nk_request_key));
	return siphash_3u64((unsigned long)params, seq, word, &nk_request_key);
}

/* Fixed messages: the text is the whole payload and never changes. */
static unsigned int nk_text_prepare(const struct nk_flow_params *params,
				    struct nk_payload_send *send)
{
	return strlen(nk_payload_ops(params->msg_type)->text);
}

static void nk_text_write(const struct nk_flow_params *params,
			  const struct nk_payload_send *send, u8 *buf,
			  unsigned int len)
{
	memcpy(buf, nk_payload_ops(params->msg_type)->text, len);
}

static const struct nk_payload_ops nk_payload_keepalive = {
	.name = "keep-alive",
	.prepare = nk_text_prepare,
	.write = nk_text_write,
	.text = "keep-alive\r\n",
};

/* "A blank line": the CRLF keep-alive of RFC 5626 is a double CRLF, the
 * OBi's empty message a single one; we send what the OBi sends.
 */
static const struct nk_payload_ops nk_payload_empty = {
	.name = "empty",
	.prepare = nk_text_prepare,
	.write = nk_text_write,
	.text = "\r\n",
};

const struct nk_payload_ops *const nk_payload_types[NATKEEP_MSG_MAX + 1] = {
	[NATKEEP_MSG_KEEPALIVE] = &nk_payload_keepalive,
	[NATKEEP_MSG_EMPTY] = &nk_payload_empty,
	[NATKEEP_MSG_STUN] = &nk_payload_stun,
	[NATKEEP_MSG_CUSTOM] = &nk_payload_custom,
	[NATKEEP_MSG_OPTIONS] = &nk_payload_options,
	[NATKEEP_MSG_NOTIFY] = &nk_payload_notify,
};

/* NULL for a type this module cannot send. */
const struct nk_payload_ops *nk_payload_ops_get(u8 msg_type)
{
	if (msg_type > NATKEEP_MSG_MAX)
		return NULL;
	return nk_payload_types[msg_type];
}

int nk_payload_init(struct nk_flow_params *params,
		    struct netlink_ext_ack *extack)
{
	const struct nk_payload_ops *ops = nk_payload_ops_get(params->msg_type);

	if (!ops) {
		NL_SET_ERR_MSG(extack, "message type not supported by this module");
		return -EOPNOTSUPP;
	}
	return ops->init ? ops->init(params, extack) : 0;
}

// SPDX-License-Identifier: GPL-2.0
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/natkeep.h>
#include <linux/netlink.h>
#include <linux/string.h>

#include "params.h"
#include "payload.h"

/* Fixed messages: the text is the whole payload and never changes. */
static unsigned int nk_text_len(const struct nk_payload *pl)
{
	return strlen(pl->ops->text);
}

static void nk_text_write(struct nk_payload *pl, u8 *buf)
{
	memcpy(buf, pl->ops->text, strlen(pl->ops->text));
}

static const struct nk_payload_ops nk_payload_keepalive = {
	.name = "keep-alive",
	.len = nk_text_len,
	.write = nk_text_write,
	.text = "keep-alive\r\n",
};

/* "A blank line": the CRLF keep-alive of RFC 5626 is a double CRLF, the
 * OBi's empty message a single one; we send what the OBi sends.
 */
static const struct nk_payload_ops nk_payload_empty = {
	.name = "empty",
	.len = nk_text_len,
	.write = nk_text_write,
	.text = "\r\n",
};

static const struct nk_payload_ops *const nk_payload_types[NATKEEP_MSG_MAX + 1] = {
	[NATKEEP_MSG_KEEPALIVE] = &nk_payload_keepalive,
	[NATKEEP_MSG_EMPTY] = &nk_payload_empty,
};

/* NULL for a type this module cannot send. */
const struct nk_payload_ops *nk_payload_ops_get(u8 msg_type)
{
	if (msg_type > NATKEEP_MSG_MAX)
		return NULL;
	return nk_payload_types[msg_type];
}

int nk_payload_init(struct nk_payload *pl, const struct nk_flow_params *params,
		    struct netlink_ext_ack *extack)
{
	const struct nk_payload_ops *ops = nk_payload_ops_get(params->msg_type);

	if (!ops) {
		NL_SET_ERR_MSG(extack, "message type not supported by this module");
		return -EOPNOTSUPP;
	}
	pl->ops = ops;
	pl->priv = NULL;
	return ops->init ? ops->init(pl, params, extack) : 0;
}

void nk_payload_destroy(struct nk_payload *pl)
{
	if (pl->ops && pl->ops->destroy)
		pl->ops->destroy(pl);
	pl->ops = NULL;
	pl->priv = NULL;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keep-alive payloads: what a flow sends, by message type. Each type is a
 * struct nk_payload_ops; a flow holds a struct nk_payload made from its
 * parameters when the flow is created, and writes each message from it
 * into the skb. Types with per-packet fields (STUN transaction ids, SIP
 * branch and CSeq) fill them in ->write().
 */
#ifndef _NK_PAYLOAD_H
#define _NK_PAYLOAD_H

#include <linux/types.h>

struct netlink_ext_ack;
struct nk_flow_params;
struct nk_payload;

struct nk_payload_ops {
	const char *name;
	/* Make the flow's payload state from its parameters; may be NULL. */
	int (*init)(struct nk_payload *pl, const struct nk_flow_params *params,
		    struct netlink_ext_ack *extack);
	/* Free what ->init() allocated; may be NULL. */
	void (*destroy)(struct nk_payload *pl);
	/* Length in bytes of the next message. */
	unsigned int (*len)(const struct nk_payload *pl);
	/* Write the next message, ->len() bytes, at @buf. Softirq context. */
	void (*write)(struct nk_payload *pl, u8 *buf);
	/* The bytes of a message that never changes, for the generic ops. */
	const char *text;
};

struct nk_payload {
	const struct nk_payload_ops *ops;
	void *priv;
};

const struct nk_payload_ops *nk_payload_ops_get(u8 msg_type);
int nk_payload_init(struct nk_payload *pl, const struct nk_flow_params *params,
		    struct netlink_ext_ack *extack);
void nk_payload_destroy(struct nk_payload *pl);

static inline unsigned int nk_payload_len(const struct nk_payload *pl)
{
	return pl->ops->len(pl);
}

static inline void nk_payload_write(struct nk_payload *pl, u8 *buf)
{
	pl->ops->write(pl, buf);
}

#endif /* _NK_PAYLOAD_H */

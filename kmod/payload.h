/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keep-alive payloads: what a flow sends, by message type. Each type is a
 * struct nk_payload_ops; a flow holds a struct nk_payload made from its
 * parameters when the flow is created. Each send first ->prepare()s the
 * per-packet fields (STUN transaction id, SIP branch and CSeq) and tells
 * the length, then ->write()s the message into the skb.
 */
#ifndef _NK_PAYLOAD_H
#define _NK_PAYLOAD_H

#include <linux/types.h>

#include "proto/sip.h"
#include "proto/stun.h"

struct netlink_ext_ack;
struct nk_flow_params;
struct nk_payload;
union nk_addr;

/* One send: what the payload needs to know, and what a response must match. */
struct nk_payload_send {
	/* in: the packet's source, for the SIP Via and Contact */
	u16 family;
	const union nk_addr *saddr;
	__be16 sport;
	/* out: what a response must match */
	u8 txid[NK_STUN_TXID_LEN];		/* STUN */
	u32 cseq;				/* SIP */
	/* between ->prepare() and ->write() */
	char via_host[NK_SIP_VIA_HOST_MAX + 1];
	char branch[NK_SIP_BRANCH_MAX + 1];
};

struct nk_payload_ops {
	const char *name;
	/* Make the flow's payload state from its parameters; may be NULL. */
	int (*init)(struct nk_payload *pl, const struct nk_flow_params *params,
		    struct netlink_ext_ack *extack);
	/* Free what ->init() allocated; may be NULL. */
	void (*destroy)(struct nk_payload *pl);
	/* Choose this send's fields; return the message length. Softirq. */
	unsigned int (*prepare)(struct nk_payload *pl,
				struct nk_payload_send *send);
	/* Write the prepared message, @len bytes, at @buf. Softirq. */
	void (*write)(const struct nk_payload *pl,
		      const struct nk_payload_send *send, u8 *buf,
		      unsigned int len);
	/* The bytes of a message that never changes, for the generic ops. */
	const char *text;
	/* The peer answers each message (STUN, SIP): liveness is tracked. */
	bool answered;
	/* A SIP request: responses match its Call-ID and CSeq. */
	bool sip;
};

struct nk_payload {
	const struct nk_payload_ops *ops;
	void *priv;		/* per-flow state a type allocates */
	unsigned long arg;	/* a setting small enough to need no allocation */
};

extern const struct nk_payload_ops nk_payload_stun;
extern const struct nk_payload_ops nk_payload_options;
extern const struct nk_payload_ops nk_payload_notify;
extern const struct nk_payload_ops nk_payload_custom;

const struct nk_payload_ops *nk_payload_ops_get(u8 msg_type);
int nk_payload_init(struct nk_payload *pl, const struct nk_flow_params *params,
		    struct netlink_ext_ack *extack);
void nk_payload_destroy(struct nk_payload *pl);

static inline unsigned int nk_payload_prepare(struct nk_payload *pl,
					      struct nk_payload_send *send)
{
	return pl->ops->prepare(pl, send);
}

static inline bool nk_payload_answered(const struct nk_payload *pl)
{
	return pl->ops->answered;
}

static inline void nk_payload_write(const struct nk_payload *pl,
				    const struct nk_payload_send *send,
				    u8 *buf, unsigned int len)
{
	pl->ops->write(pl, send, buf, len);
}

/* The SIP keep-alive's Call-ID, to match responses; NULL for other types. */
const char *nk_payload_sip_call_id(const struct nk_payload *pl);
const char *nk_payload_sip_method(const struct nk_payload *pl);

#endif /* _NK_PAYLOAD_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keep-alive payloads: what a flow sends, by message type. Each type is a
 * struct nk_payload_ops, named by the flow's msg_type; a flow carries no
 * payload state of its own beyond its parameters (a pointer to ops or state
 * would add 8 bytes to every flow, which is 192 bytes, 21 to a page): the SIP
 * types build their message state into the flow's SIP text when the flow
 * is made, and the request number comes from the flow's peer. Each send
 * first ->prepare()s the per-packet fields (STUN transaction id, SIP branch
 * and CSeq) and tells the length, then ->write()s the message into the skb.
 */
#ifndef _NK_PAYLOAD_H
#define _NK_PAYLOAD_H

#include <linux/natkeep.h>
#include <linux/types.h>

#include "addr.h"
#include "proto/sip.h"
#include "proto/stun.h"

struct netlink_ext_ack;
struct nk_flow_params;

#define NK_SIP_ID_BYTES	8	/* random bytes of a Call-ID or tag */

/* The longest keep-alive: IPv6's minimum MTU less its and UDP's headers. */
#define NK_KEEPALIVE_MAX	(1280 - 40 - 8)

/* A SIP keep-alive's fixed parts, built from the SIP text (payload_sip.c). */
struct nk_sip_message {
	struct nk_sip_request req;	/* points into the SIP text and below */
	char remote_host[NK_SIP_VIA_HOST_MAX + sizeof(":65535")];
	char call_id[2 * NK_SIP_ID_BYTES + sizeof("@natkeep")];
	char from_tag[2 * NK_SIP_ID_BYTES + 1];
};

/* One send: what the payload needs to know, and what a response must match. */
struct nk_payload_send {
	/* in: the packet's source, for the SIP Via and Contact */
	u16 family;
	union nk_addr saddr;
	__be16 sport;
	u32 seq;				/* the request's number: */
	/* out: what a response must match */
	u8 txid[NK_STUN_TXID_LEN];		/* STUN's from it, SIP's CSeq */
	/* between ->prepare() and ->write() */
	char via_host[NK_SIP_VIA_HOST_MAX + 1];
	char branch[NK_SIP_BRANCH_MAX + 1];
};

struct nk_payload_ops {
	const char *name;
	/* Build what the type needs in the flow's parameters; may be NULL. */
	int (*init)(struct nk_flow_params *params,
		    struct netlink_ext_ack *extack);
	/* Choose this send's fields; return the message length. Softirq. */
	unsigned int (*prepare)(const struct nk_flow_params *params,
				struct nk_payload_send *send);
	/* Write the prepared message, @len bytes, at @buf. Softirq. */
	void (*write)(const struct nk_flow_params *params,
		      const struct nk_payload_send *send, u8 *buf,
		      unsigned int len);
	/* The bytes of a message that never changes, for the generic ops. */
	const char *text;
	/* The peer answers each message (STUN, SIP): liveness is tracked. */
	bool answered;
	/* A SIP request: responses match its Call-ID and CSeq. */
	bool sip;
};

extern const struct nk_payload_ops nk_payload_stun;
extern const struct nk_payload_ops nk_payload_options;
extern const struct nk_payload_ops nk_payload_notify;
extern const struct nk_payload_ops nk_payload_custom;

extern const struct nk_payload_ops *const nk_payload_types[NATKEEP_MSG_MAX + 1];

/* NULL for a type this module cannot send: for validation. */
const struct nk_payload_ops *nk_payload_ops_get(u8 msg_type);

/* The ops of a flow's type, valid since its parameters were checked. */
static inline const struct nk_payload_ops *nk_payload_ops(u8 msg_type)
{
	return nk_payload_types[msg_type];
}

/* Validate the type, and build what it needs into @params. */
int nk_payload_init(struct nk_flow_params *params,
		    struct netlink_ext_ack *extack);

/* Words of nk_request_hash(), one for each id a request carries. */
enum {
	NK_HASH_STUN_TXID,	/* and the next: 12 bytes */
	NK_HASH_SIP_BRANCH = 2,
};

/* A keyed hash of a flow's request number @seq, the id's @word. */
u64 nk_request_hash(const struct nk_flow_params *params, u32 seq, u32 word);

/* The transaction id of a STUN flow's request number @seq. */
void nk_stun_txid(const struct nk_flow_params *params, u32 seq,
		  u8 txid[NK_STUN_TXID_LEN]);

/* The Via branch (after z9hG4bK) of a SIP flow's request number @seq. */
void nk_sip_branch(const struct nk_flow_params *params, u32 seq,
		   char branch[NK_SIP_BRANCH_MAX + 1]);

#endif /* _NK_PAYLOAD_H */

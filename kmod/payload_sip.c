// SPDX-License-Identifier: GPL-2.0
/*
 * SIP keep-alives: an out-of-dialog OPTIONS, NOTIFY (Event: keep-alive) or
 * custom request, built from the flow's SIP text at each send with a new
 * Via branch and the next CSeq. Sent once: never retransmitted. The
 * Call-ID is random per flow, the branch a keyed hash of the request's
 * number: a response must carry both to be taken as an answer.
 */
#include <linux/kernel.h>
#include <linux/netlink.h>
#include <linux/random.h>
#include <linux/socket.h>

#include "params.h"
#include "payload.h"

static void nk_sip_random_hex(char *dst, unsigned int bytes)
{
	u8 rnd[NK_SIP_ID_BYTES];

	get_random_bytes(rnd, bytes);
	*(char *)bin2hex(dst, rnd, bytes) = '\0';
}

/* Address text as a SIP host: 192.0.2.1 or [2001:db8::1]. */
static int nk_sip_addr_host(char *buf, size_t size, u16 family,
			    const union nk_addr *addr)
{
	if (family == AF_INET)
		return snprintf(buf, size, "%pI4", &addr->ip);
	return snprintf(buf, size, "[%pI6c]", &addr->ip6);
}

/*
 * Every request must fit a packet on any path without fragments (IPv4 ones
 * leave with DF set): its longest form, with the longest Via host, port,
 * branch and CSeq, at most NK_KEEPALIVE_MAX bytes.
 */
static int nk_sip_check_size(const struct nk_flow_params *params,
			     struct netlink_ext_ack *extack)
{
	char host[NK_SIP_VIA_HOST_MAX + 1], branch[NK_SIP_BRANCH_MAX + 1];

	memset(host, '0', NK_SIP_VIA_HOST_MAX);
	host[NK_SIP_VIA_HOST_MAX] = '\0';
	nk_sip_branch(params, 0, branch);
	if (nk_sip_build_request(NULL, 0, &params->sip->msg.req, host,
				 U16_MAX, branch, U32_MAX) <= NK_KEEPALIVE_MAX)
		return 0;
	NL_SET_ERR_MSG(extack,
		       "the SIP texts make a keep-alive longer than fits every path unfragmented (1232 bytes): shorten them");
	return -EMSGSIZE;
}

/* The message's fixed parts, in the SIP text (a changed flow builds anew). */
static int nk_sip_init(struct nk_flow_params *params, const char *method,
		       const char *event, const char *ruri_user,
		       struct netlink_ext_ack *extack)
{
	struct nk_sip_params *sip = params->sip;
	const struct nk_flow_key *key = &params->key;
	struct nk_sip_message *msg = &sip->msg;
	struct nk_sip_request *req = &msg->req;
	int n;

	memset(msg, 0, sizeof(*msg));
	n = nk_sip_addr_host(msg->remote_host, sizeof(msg->remote_host),
			     key->family, &key->remote);
	if (ntohs(key->remote_port) != 5060)
		snprintf(msg->remote_host + n, sizeof(msg->remote_host) - n,
			 ":%u", ntohs(key->remote_port));
	nk_sip_random_hex(msg->call_id, NK_SIP_ID_BYTES);
	strlcat(msg->call_id, "@natkeep", sizeof(msg->call_id));
	nk_sip_random_hex(msg->from_tag, NK_SIP_ID_BYTES);

	req->method = method;
	req->event = event;
	req->ruri_user = ruri_user;
	req->host = sip->host[0] ? sip->host : msg->remote_host;
	req->from_user = sip->from_user;
	req->from_domain = sip->from_domain[0] ? sip->from_domain : req->host;
	req->user_agent = sip->user_agent[0] ? sip->user_agent : NULL;
	req->call_id = msg->call_id;
	req->from_tag = msg->from_tag;
	return nk_sip_check_size(params, extack);
}

static int nk_options_init(struct nk_flow_params *params,
			   struct netlink_ext_ack *extack)
{
	return nk_sip_init(params, "OPTIONS", NULL, NULL, extack);
}

static int nk_notify_init(struct nk_flow_params *params,
			  struct netlink_ext_ack *extack)
{
	return nk_sip_init(params, "NOTIFY", "keep-alive", NULL, extack);
}

static int nk_custom_init(struct nk_flow_params *params,
			  struct netlink_ext_ack *extack)
{
	const struct nk_custom_spec *spec = &params->sip->custom;

	return nk_sip_init(params, spec->method,
			   spec->event[0] ? spec->event : NULL,
			   spec->user[0] ? spec->user : NULL, extack);
}

void nk_sip_branch(const struct nk_flow_params *params, u32 seq,
		   char branch[NK_SIP_BRANCH_MAX + 1])
{
	u64 h = nk_request_hash(params, seq, NK_HASH_SIP_BRANCH);

	BUILD_BUG_ON(2 * sizeof(h) > NK_SIP_BRANCH_MAX);
	*(char *)bin2hex(branch, &h, sizeof(h)) = '\0';
}

static unsigned int nk_sip_prepare(const struct nk_flow_params *params,
				   struct nk_payload_send *send)
{
	nk_sip_branch(params, send->seq, send->branch);
	nk_sip_addr_host(send->via_host, sizeof(send->via_host), send->family,
			 &send->saddr);
	return nk_sip_build_request(NULL, 0, &params->sip->msg.req,
				    send->via_host, ntohs(send->sport),
				    send->branch, send->seq);
}

static void nk_sip_write(const struct nk_flow_params *params,
			 const struct nk_payload_send *send, u8 *buf,
			 unsigned int len)
{
	nk_sip_build_request((char *)buf, len, &params->sip->msg.req,
			     send->via_host, ntohs(send->sport), send->branch,
			     send->seq);
}

const struct nk_payload_ops nk_payload_options = {
	.name = "options",
	.answered = true,
	.sip = true,
	.init = nk_options_init,
	.prepare = nk_sip_prepare,
	.write = nk_sip_write,
};

const struct nk_payload_ops nk_payload_notify = {
	.name = "notify",
	.answered = true,
	.sip = true,
	.init = nk_notify_init,
	.prepare = nk_sip_prepare,
	.write = nk_sip_write,
};

const struct nk_payload_ops nk_payload_custom = {
	.name = "custom",
	.answered = true,
	.sip = true,
	.init = nk_custom_init,
	.prepare = nk_sip_prepare,
	.write = nk_sip_write,
};

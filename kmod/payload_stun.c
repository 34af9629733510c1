// SPDX-License-Identifier: GPL-2.0
/*
 * A STUN Binding Request with a fresh transaction id each time, a keyed
 * hash of the flow and the request's number (nk_request_hash()).
 */
#include <linux/string.h>

#include "params.h"
#include "payload.h"

void nk_stun_txid(const struct nk_flow_params *params, u32 seq,
		  u8 txid[NK_STUN_TXID_LEN])
{
	u64 h[2] = {
		nk_request_hash(params, seq, NK_HASH_STUN_TXID),
		nk_request_hash(params, seq, NK_HASH_STUN_TXID + 1),
	};

	memcpy(txid, h, NK_STUN_TXID_LEN);
}

static unsigned int nk_stun_prepare(const struct nk_flow_params *params,
				    struct nk_payload_send *send)
{
	nk_stun_txid(params, send->seq, send->txid);
	return params->stun_fingerprint ? NK_STUN_REQUEST_MAX_LEN :
					  NK_STUN_HEADER_LEN;
}

static void nk_stun_write(const struct nk_flow_params *params,
			  const struct nk_payload_send *send, u8 *buf,
			  unsigned int len)
{
	nk_stun_build_request(buf, send->txid, params->stun_fingerprint);
}

const struct nk_payload_ops nk_payload_stun = {
	.name = "stun",
	.answered = true,
	.prepare = nk_stun_prepare,
	.write = nk_stun_write,
};

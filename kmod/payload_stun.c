// SPDX-License-Identifier: GPL-2.0
/*
 * A STUN Binding Request with a fresh transaction id each time. The id is
 * a keyed hash (SipHash, a key drawn at first use) of the flow and the
 * request's number, not random bytes to keep: as unpredictable to anyone
 * without the key, and a flow remembers 4 bytes instead of 12 to match the
 * response.
 */
#include <linux/once.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/string.h>

#include "params.h"
#include "payload.h"

static siphash_key_t nk_stun_key __read_mostly;

/* @params: the flow's own, whose address tells flows apart. */
void nk_stun_txid(const struct nk_flow_params *params, u32 seq,
		  u8 txid[NK_STUN_TXID_LEN])
{
	u64 id = (u64)(unsigned long)params;
	u64 h[2];

	get_random_once(&nk_stun_key, sizeof(nk_stun_key));
	h[0] = siphash_3u64(id, seq, 0, &nk_stun_key);
	h[1] = siphash_3u64(id, seq, 1, &nk_stun_key);
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

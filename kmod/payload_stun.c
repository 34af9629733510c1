// SPDX-License-Identifier: GPL-2.0
#include <linux/random.h>

#include "params.h"
#include "payload.h"

/* A STUN Binding Request with a fresh transaction id each time. */
static int nk_stun_init(struct nk_payload *pl,
			const struct nk_flow_params *params,
			struct netlink_ext_ack *extack)
{
	pl->arg = params->stun_fingerprint;
	return 0;
}

static unsigned int nk_stun_prepare(struct nk_payload *pl,
				    struct nk_payload_send *send)
{
	get_random_bytes(send->txid, sizeof(send->txid));
	return pl->arg ? NK_STUN_REQUEST_MAX_LEN : NK_STUN_HEADER_LEN;
}

static void nk_stun_write(const struct nk_payload *pl,
			  const struct nk_payload_send *send, u8 *buf,
			  unsigned int len)
{
	nk_stun_build_request(buf, send->txid, pl->arg);
}

const struct nk_payload_ops nk_payload_stun = {
	.name = "stun",
	.answered = true,
	.init = nk_stun_init,
	.prepare = nk_stun_prepare,
	.write = nk_stun_write,
};

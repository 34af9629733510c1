/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A keep-alive miss confirmed before a failover. natkeep.ko reports a
 * server unresponsive after one unanswered SIP keep-alive; natkeepd then
 * sends one more request of the same kind (OPTIONS, or NOTIFY with Event:
 * keep-alive) from the account's socket, which nta retransmits (after
 * T1, 2*T1, ...). Only when that too goes unanswered for the confirmation
 * time is the server dead: one datagram lost on a lossy uplink is not.
 * natkeep.ko reports unresponsiveness once, when it begins: after an
 * answered confirmation natkeepd asks again every recheck interval until
 * the module says the keep-alives are answered again, so a server that
 * dies meanwhile is still left.
 */
#ifndef NKD_LIVENESS_H
#define NKD_LIVENESS_H

#include <stdint.h>

#include "account.h"

/*
 * Asks reg's server again (msg_type: NATKEEP_MSG_OPTIONS or _NOTIFY);
 * unanswered within timeout_ms, nkd_keepalive_fail_over(reg); answered,
 * again after recheck_ms unless cancelled. False when no request could
 * be sent: the caller decides at once. One at a time: a second call
 * while one is out changes nothing.
 */
bool nkd_liveness_confirm(struct nkd_registration *reg, uint8_t msg_type,
			  uint32_t timeout_ms, uint32_t recheck_ms);
/* The keep-alives are answered again, or the registration ends. */
void nkd_liveness_cancel(struct nkd_registration *reg);

#endif

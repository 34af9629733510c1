/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sofia-sip's own log lines (su_log: nta, tport, the resolver) go to
 * natkeepd's log, at most NKD_SOFIA_LOG_BURST lines per
 * NKD_SOFIA_LOG_PERIOD_MS: nta logs every bad datagram it reads ("tport:
 * Bad message"), and a flood at the SIP port would flood the log. The
 * lines left out are counted in the next line that goes through.
 */
#ifndef NKD_SOFIA_LOG_H
#define NKD_SOFIA_LOG_H

#define NKD_SOFIA_LOG_BURST	10
#define NKD_SOFIA_LOG_PERIOD_MS	10000

/* Call once, before su_init(). */
void nkd_sofia_log_start(void);

#endif

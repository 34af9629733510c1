/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Readiness and state for a service manager, by systemd's notification
 * protocol (sd_notify(3)): a datagram of "KEY=value" lines to the unix
 * socket named by $NOTIFY_SOCKET. The protocol is stable and small enough
 * to speak without libsystemd, which gateways without systemd (OpenWrt)
 * lack; without $NOTIFY_SOCKET every call does nothing.
 */
#ifndef NKD_SERVICE_NOTIFY_H
#define NKD_SERVICE_NOTIFY_H

/*
 * Takes $NOTIFY_SOCKET and removes it from the environment, so that the
 * hooks natkeepd runs do not speak for it. Call once, first.
 */
void nkd_service_notify_init(void);

/* Sends @state ("READY=1", "STOPPING=1\nSTATUS=...") if a manager listens. */
void nkd_service_notify(const char *state);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * natkeepd's control socket, as natkeepd serves it and natkeepctl asks:
 * a UNIX stream socket; the client sends one request line, the daemon
 * answers and closes. Requests: "show" (text), "show json".
 */
#ifndef NK_AGENT_SOCKET_H
#define NK_AGENT_SOCKET_H

/*
 * Where natkeepd keeps its socket and state file unless its configuration
 * says otherwise: the build's RUNSTATEDIR (agent/Makefile), /run by
 * default; OpenWrt's is /var/run.
 */
#ifndef NK_RUNSTATEDIR
#define NK_RUNSTATEDIR		"/run"
#endif

#define NK_AGENT_SOCKET_DEFAULT	NK_RUNSTATEDIR "/natkeepd.sock"
#define NK_AGENT_SOCKET_ENV	"NATKEEPD_SOCKET"	/* natkeepctl's override */

#endif

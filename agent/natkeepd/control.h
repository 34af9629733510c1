/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket (nk_agent_socket.h): one request line per connection,
 * the answer, then the daemon closes it. Anything but the requests there is
 * answered "error: ..." on one line.
 */
#ifndef NKD_CONTROL_H
#define NKD_CONTROL_H

#include "agent.h"

int nkd_control_open(struct nkd_agent *agent, const char *path);
void nkd_control_close(void);

#endif

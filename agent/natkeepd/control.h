/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The control socket (nk_agent_socket.h): one request line per connection,
 * the answer, then the daemon closes it. Anything but the requests there is
 * answered "error: ..." on one line. Mode 0660: root and the daemon's group
 * read the accounts' status.
 */
#ifndef NKD_CONTROL_H
#define NKD_CONTROL_H

#include "agent.h"

/*
 * Serves path. -EADDRINUSE when another process (natkeepd) serves it,
 * -EEXIST when something else than a socket is there (left as it is); a
 * socket nobody serves is replaced.
 */
int nkd_control_open(struct nkd_agent *agent, const char *path);
void nkd_control_close(void);

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The generic netlink connection of a command: its own, or the one that
 * every line of a batch shares (opening a socket and resolving the family
 * for each of 100 000 flows would cost more than creating them).
 */
#ifndef NKCTL_GENL_SESSION_H
#define NKCTL_GENL_SESSION_H

#include <stdbool.h>

#include "nk_genl.h"
#include "nkctl.h"

struct nkctl_genl_session {
	struct nk_genl genl;
	bool open;		/* opened by the first command that needs it */
};

/*
 * The connection for a command: the session's (opened now if it is not
 * yet), or, outside a batch, a new one in *own. NULL when it cannot be
 * opened, after saying why; *ret is then the exit code.
 */
struct nk_genl *nkctl_genl_get(const struct nkctl_opts *opts, struct nk_genl *own,
			       int *ret);

/* The command is done with genl; ret is its exit code. */
void nkctl_genl_put(const struct nkctl_opts *opts, struct nk_genl *genl, int ret);

/* Closes the session's connection, if it was opened. */
void nkctl_genl_session_end(struct nkctl_genl_session *session);

#endif

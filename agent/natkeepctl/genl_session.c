// SPDX-License-Identifier: GPL-2.0
#include "genl_session.h"

#include "report.h"

struct nk_genl *nkctl_genl_get(const struct nkctl_opts *opts, struct nk_genl *own,
			       int *ret)
{
	struct nkctl_genl_session *session = opts->session;
	struct nk_genl *genl = session ? &session->genl : own;
	struct nk_error err;

	if (session && session->open)
		return genl;
	if (nk_genl_open(genl, &err)) {
		*ret = nkctl_open_error(&err);
		return NULL;
	}
	if (session)
		session->open = true;
	return genl;
}

void nkctl_genl_put(const struct nkctl_opts *opts, struct nk_genl *genl, int ret)
{
	struct nkctl_genl_session *session = opts->session;

	if (!session) {
		nk_genl_close(genl);
		return;
	}
	/*
	 * A request that failed half way (a reply we could not read, a dump
	 * cut short) may leave messages in the socket that the next request
	 * would take for its own: that one starts on a new connection.
	 */
	if (ret != NKCTL_EXIT_OK)
		nkctl_genl_session_end(session);
}

void nkctl_genl_session_end(struct nkctl_genl_session *session)
{
	if (session->open)
		nk_genl_close(&session->genl);
	session->open = false;
}

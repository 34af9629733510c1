/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a natkeepd hands to the next one (StateFile): for each account, the
 * registrations it holds (server, role, Call-ID, From tag, CSeq, our
 * address and public mapping, the Contact registered), its keep-alive
 * server, and where the local UA registered with its relay. A restart
 * (SIGUSR2) or a crash leaves it behind; the next start refreshes the
 * same bindings instead of registering anew, and takes the keep-alive
 * flows over. A shutdown (SIGTERM) removes it.
 *
 * The file is text, one record a line, written whole and renamed into
 * place, so that a reader never sees half of one.
 */
#ifndef NKD_HANDOVER_H
#define NKD_HANDOVER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "redundancy.h"

#define NKD_HANDOVER_KEY_MAX	(NK_SIP_USER_MAX + 3 * NK_SIP_HOST_MAX + 64)
#define NKD_HANDOVER_CONTACT_MAX	(NK_SIP_HOST_MAX + 160)
#define NKD_HANDOVER_UA_MAX	(NK_SIP_HOST_MAX + NK_SIP_USER_MAX + 64)

struct nkd_saved_reg {
	struct nkd_target target;
	enum nkd_role role;		/* PRIMARY or SECONDARY */
	char call_id[48];
	char from_tag[24];
	uint32_t cseq;			/* the last one sent */
	struct nk_endpoint local;	/* our address towards the server */
	bool has_mapping;
	struct nk_endpoint mapping;	/* the public one, if learned */
	char contact[NKD_HANDOVER_CONTACT_MAX];	/* as registered */
};

struct nkd_saved_account {
	bool present;
	/* What the registrations depend on: the AOR, registrar and servers. */
	char key[NKD_HANDOVER_KEY_MAX];
	uint16_t port;			/* the SIP socket's */
	bool has_ka_target;		/* X_KeepAliveServer, resolved */
	struct nk_endpoint ka_target;
	unsigned int n_regs;
	struct nkd_saved_reg regs[NKD_MAX_SERVERS];
	/* The UA that registered with the relay (X_LocalProxy), if one did. */
	bool has_ua;
	char ua_contact[NKD_HANDOVER_UA_MAX];
	struct nk_endpoint ua_ep;
	int64_t ua_expires_at;		/* CLOCK_MONOTONIC ms: the boot's clock */
};

/* Writes accounts (NKD_MAX_ACCOUNTS of them) to f. */
void nkd_handover_write(FILE *f, const struct nkd_saved_account *accounts);

/*
 * Reads f into accounts (NKD_MAX_ACCOUNTS). -1 with err set when anything
 * in it is not as nkd_handover_write() writes it: nothing is taken then.
 */
int nkd_handover_read(FILE *f, struct nkd_saved_account *accounts,
		      char *err, size_t errlen);

/* Saves to path (path.tmp renamed over it). 0, or -errno. */
int nkd_handover_save(const char *path, const struct nkd_saved_account *accounts);

/*
 * Loads path: 1 when taken, 0 when there is none, -1 (logged) when it is
 * unreadable or damaged.
 */
int nkd_handover_load(const char *path, struct nkd_saved_account *accounts);

#endif

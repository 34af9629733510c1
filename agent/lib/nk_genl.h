/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A generic netlink connection to the natkeep family: open, send a request,
 * collect the replies and the ACK (with its extack), and listen to events.
 */
#ifndef NK_GENL_H
#define NK_GENL_H

#include <stdint.h>
#include <libmnl/libmnl.h>

#include "nk_ack.h"
#include "nk_ctrl.h"
#include "nk_msg.h"

struct nk_genl {
	struct mnl_socket *nl;
	uint32_t portid;
	uint32_t seq;
	struct nk_family family;	/* natkeep's id and "events" group */
	void *rx_buf;
	size_t rx_len;
};

/* Called for every reply message; 0 to go on, a negative errno to fail. */
typedef int (*nk_reply_cb_t)(const struct nlmsghdr *nlh, void *data);

/*
 * Opens a socket with extended ACKs and resolves the natkeep family.
 * Returns 0, -ENOENT when the family does not exist (module not loaded),
 * or another negative errno; err holds the kernel's explanation if any.
 */
int nk_genl_open(struct nk_genl *genl, struct nk_error *err);
void nk_genl_close(struct nk_genl *genl);

/* The socket alone, family not resolved: for nk_genl_open and for tests. */
int nk_genl_connect(struct nk_genl *genl, struct nk_error *err);

/* Starts a natkeep request with cmd and flags in buf (NK_MSG_BUF_LEN bytes). */
struct nlmsghdr *nk_genl_request(struct nk_genl *genl, void *buf, uint8_t cmd,
				 uint16_t flags);

/*
 * Sends req and passes each reply to cb (may be NULL) until the ACK, the
 * end of a dump, or an error. Returns 0 or a negative errno, with the
 * kernel's extack in err.
 */
int nk_genl_transact(struct nk_genl *genl, struct nlmsghdr *req,
		     nk_reply_cb_t cb, void *data, struct nk_error *err);

/* Joins the NATKEEP_MCGRP_EVENTS multicast group. */
int nk_genl_join_events(struct nk_genl *genl);

int nk_genl_fd(const struct nk_genl *genl);

/*
 * Reads one datagram of events and passes each natkeep message in it to cb.
 * Returns 0, -EAGAIN/-EINTR, -ENOBUFS when events were lost, or an error.
 */
int nk_genl_receive_events(struct nk_genl *genl, nk_reply_cb_t cb, void *data);

#endif

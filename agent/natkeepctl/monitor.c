// SPDX-License-Identifier: GPL-2.0
/* "natkeepctl monitor": print the events group's notifications as they come. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "event_format.h"
#include "nk_genl.h"
#include "nk_msg.h"
#include "nkctl.h"
#include "report.h"

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int signo)
{
	(void)signo;
	stop_requested = 1;
}

static int print_event(const struct nlmsghdr *nlh, void *data)
{
	const struct nkctl_opts *opts = data;
	int cmd = nk_msg_cmd(nlh);
	char parse_error[128];
	struct nk_flow flow;

	if (!nkctl_event_name(cmd))
		return 0;	/* a command of a newer module */
	if (nk_flow_parse(nlh, &flow, parse_error, sizeof(parse_error))) {
		nkctl_error("monitor: malformed event: %s", parse_error);
		return 0;
	}
	if (opts->json) {
		struct json_writer jw;

		/* One object per line, whatever -p says: readers split lines. */
		json_writer_init(&jw, stdout, false);
		nkctl_event_print_json(&jw, cmd, &flow);
		putchar('\n');
	} else {
		nkctl_event_print_text(stdout, cmd, &flow);
	}
	/* Tests and scripts read us through a pipe. */
	fflush(stdout);
	return 0;
}

/*
 * SIGINT/SIGTERM are blocked except inside ppoll, so a signal cannot slip in
 * between the check of stop_requested and the wait.
 */
static int setup_signals(sigset_t *wait_mask)
{
	struct sigaction action = { .sa_handler = on_stop_signal };
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &block, wait_mask))
		return -errno;
	sigdelset(wait_mask, SIGINT);
	sigdelset(wait_mask, SIGTERM);
	sigemptyset(&action.sa_mask);
	if (sigaction(SIGINT, &action, NULL) || sigaction(SIGTERM, &action, NULL))
		return -errno;
	return 0;
}

static int monitor_loop(struct nk_genl *genl, const struct nkctl_opts *opts,
			const sigset_t *wait_mask)
{
	struct pollfd pfd = { .fd = nk_genl_fd(genl), .events = POLLIN };

	while (!stop_requested) {
		int ret = ppoll(&pfd, 1, NULL, wait_mask);

		if (ret < 0) {
			if (errno == EINTR)
				continue;
			nkctl_error("monitor: %s", strerror(errno));
			return NKCTL_EXIT_FAILURE;
		}
		ret = nk_genl_receive_events(genl, print_event, (void *)opts);
		if (ret == -ENOBUFS) {
			/* The socket overflowed; say so and go on. */
			nkctl_error("monitor: events were lost (receive buffer overflow)");
		} else if (ret && ret != -EINTR && ret != -EAGAIN) {
			nkctl_error("monitor: %s", strerror(-ret));
			return NKCTL_EXIT_FAILURE;
		}
	}
	return NKCTL_EXIT_OK;
}

void nkctl_monitor_usage(FILE *out)
{
	fprintf(out,
		"Usage: natkeepctl [ -j ] monitor\n"
		"Prints \"new flow ...\", \"set flow ...\" and \"del flow ...\" for each\n"
		"change of a flow in this network namespace, \"mapping flow ...\" when a\n"
		"flow's public mapping is learned or changes, and \"unresponsive flow ...\"\n"
		"and \"responsive flow ...\" when its peer stops or starts answering,\n"
		"until interrupted.\n");
}

int nkctl_monitor_run(const struct nkctl_opts *opts, int argc, char **argv)
{
	struct nk_genl genl;
	struct nk_error err;
	sigset_t wait_mask;
	char message[128];
	int ret;

	if (argc > 0 && !strcmp(argv[0], "help")) {
		nkctl_monitor_usage(stdout);
		return NKCTL_EXIT_OK;
	}
	if (argc > 0) {
		snprintf(message, sizeof(message), "unknown argument \"%s\" for monitor", argv[0]);
		return nkctl_usage_error("monitor", message);
	}
	if (nk_genl_open(&genl, &err))
		return nkctl_open_error(&err);
	ret = nk_genl_join_events(&genl);
	if (ret) {
		nkctl_error("monitor: cannot join group \"%s\": %s",
			    NATKEEP_MCGRP_EVENTS, strerror(-ret));
		nk_genl_close(&genl);
		return NKCTL_EXIT_FAILURE;
	}
	ret = setup_signals(&wait_mask);
	if (ret) {
		nkctl_error("monitor: %s", strerror(-ret));
		nk_genl_close(&genl);
		return NKCTL_EXIT_FAILURE;
	}
	ret = monitor_loop(&genl, opts, &wait_mask);
	nk_genl_close(&genl);
	return ret;
}

/* SPDX-License-Identifier: GPL-2.0 */
/* What natkeepctl's objects share: global options and the exit codes. */
#ifndef NKCTL_H
#define NKCTL_H

#include <stdbool.h>
#include <stdio.h>

enum nkctl_exit {
	NKCTL_EXIT_OK = 0,
	NKCTL_EXIT_FAILURE = 1,	/* the kernel said no, or could not be asked */
	NKCTL_EXIT_USAGE = 2,	/* bad command line */
};

struct nkctl_genl_session;

struct nkctl_opts {
	bool json;
	bool pretty;
	const char *batch;	/* -b FILE: the commands to run, "-" for stdin */
	bool force;		/* -force: the batch goes on after a failure */
	/*
	 * The netlink connection the commands of a batch share; NULL: each
	 * command opens its own (genl_session.h).
	 */
	struct nkctl_genl_session *session;
};

/* One object of "natkeepctl OBJECT COMMAND ...": argv[0] is its command. */
struct nkctl_object {
	const char *name;
	int (*run)(const struct nkctl_opts *opts, int argc, char **argv);
	void (*usage)(FILE *out);
};

int nkctl_account_run(const struct nkctl_opts *opts, int argc, char **argv);
int nkctl_flow_run(const struct nkctl_opts *opts, int argc, char **argv);
int nkctl_monitor_run(const struct nkctl_opts *opts, int argc, char **argv);
int nkctl_stats_run(const struct nkctl_opts *opts, int argc, char **argv);
void nkctl_account_usage(FILE *out);
void nkctl_flow_usage(FILE *out);
void nkctl_monitor_usage(FILE *out);
void nkctl_stats_usage(FILE *out);

#endif

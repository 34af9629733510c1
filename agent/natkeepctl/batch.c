// SPDX-License-Identifier: GPL-2.0
#include "batch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "nkctl.h"
#include "report.h"
#include "tokenize.h"

/* A command, possibly over several lines joined by backslash-newline. */
struct command_text {
	char *text;
	size_t len;
	size_t capacity;
	unsigned long first_line;
};

static int append(struct command_text *cmd, const char *line, size_t len)
{
	if (cmd->len + len + 1 > cmd->capacity) {
		size_t capacity = cmd->capacity ? cmd->capacity : 256;
		char *text;

		while (capacity < cmd->len + len + 1)
			capacity *= 2;
		text = realloc(cmd->text, capacity);
		if (!text)
			return -ENOMEM;
		cmd->text = text;
		cmd->capacity = capacity;
	}
	memcpy(cmd->text + cmd->len, line, len);
	cmd->len += len;
	return 0;
}

/* The exit code of one command text: split it, then run it. */
static int run_text(const struct command_text *text, nkctl_batch_cmd_t cmd,
		    void *data, bool *more)
{
	struct nkctl_words words;
	char err[128];
	int ret;

	*more = false;
	switch (nkctl_tokenize(text->text, text->len, &words, err, sizeof(err))) {
	case NKCTL_TOKENIZE_OK:
		break;
	case NKCTL_TOKENIZE_MORE:
		*more = true;
		return NKCTL_EXIT_OK;
	case NKCTL_TOKENIZE_BAD:
		nkctl_error("%s", err);
		return NKCTL_EXIT_USAGE;
	case NKCTL_TOKENIZE_NOMEM:
	default:
		nkctl_error("%s", strerror(ENOMEM));
		return NKCTL_EXIT_FAILURE;
	}
	ret = words.argc ? cmd(data, words.argc, words.argv) : NKCTL_EXIT_OK;
	nkctl_words_free(&words);
	return ret;
}

int nkctl_batch_run(FILE *in, const char *name, bool force,
		    nkctl_batch_cmd_t cmd, void *data)
{
	struct command_text text = { 0 };
	unsigned long line_no = 0;
	bool failed = false, more = false;
	char *line = NULL;
	size_t capacity = 0;
	ssize_t n;
	int ret = NKCTL_EXIT_OK;

	while ((n = getline(&line, &capacity, in)) >= 0) {
		size_t len = (size_t)n;

		line_no++;
		if (len && line[len - 1] == '\n')
			len--;
		/* Files written on Windows end their lines with CR LF. */
		if (len && line[len - 1] == '\r')
			len--;
		if (!more) {
			text.len = 0;
			text.first_line = line_no;
		}
		nkctl_report_set_place(name, text.first_line);
		if (append(&text, line, len)) {
			nkctl_error("%s", strerror(ENOMEM));
			ret = NKCTL_EXIT_FAILURE;
			goto out;
		}
		ret = run_text(&text, cmd, data, &more);
		if (more) {
			text.len--;	/* the backslash; the newline is gone */
			continue;
		}
		if (ret != NKCTL_EXIT_OK) {
			failed = true;
			if (!force)
				goto out;
		}
	}
	if (ferror(in)) {
		nkctl_report_set_place(NULL, 0);
		nkctl_error("%s: read error: %s", name, strerror(errno));
		ret = NKCTL_EXIT_FAILURE;
		goto out;
	}
	if (more) {
		nkctl_report_set_place(name, text.first_line);
		nkctl_error("the last line ends with a backslash");
		ret = NKCTL_EXIT_USAGE;
		failed = true;
		if (!force)
			goto out;
	}
	ret = failed ? NKCTL_EXIT_FAILURE : NKCTL_EXIT_OK;
out:
	nkctl_report_set_place(NULL, 0);
	free(line);
	free(text.text);
	return ret;
}

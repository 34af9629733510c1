/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A line of a batch file into words, as sh splits the simple cases; no
 * I/O, no globals: the unit tests call it directly.
 */
#ifndef NKCTL_TOKENIZE_H
#define NKCTL_TOKENIZE_H

#include <stddef.h>

struct nkctl_words {
	int argc;
	char **argv;		/* argc words, then NULL */
	char *text;		/* the words' bytes, one allocation */
};

enum nkctl_tokenize_result {
	NKCTL_TOKENIZE_OK = 0,
	NKCTL_TOKENIZE_MORE,	/* ends with a backslash: the next line goes on */
	NKCTL_TOKENIZE_BAD,	/* err says what is wrong */
	NKCTL_TOKENIZE_NOMEM,
};

/*
 * Splits the len bytes of line (no newline) into words: blanks (space,
 * tab) separate them; '...' takes everything up to the next ' as it is;
 * "..." too, except that \" and \\ stand for " and \; outside quotes a
 * backslash takes the next character as it is; quoted and unquoted parts
 * next to each other make one word ("" alone is an empty word). A # that
 * starts a word begins a comment to the end of the line. An unterminated
 * quote and a NUL byte are errors.
 *
 * On NKCTL_TOKENIZE_OK, words holds them (argc may be 0); free them with
 * nkctl_words_free. Otherwise words is empty (and free to free).
 */
enum nkctl_tokenize_result nkctl_tokenize(const char *line, size_t len,
					  struct nkctl_words *words,
					  char *err, size_t errlen);

void nkctl_words_free(struct nkctl_words *words);

#endif

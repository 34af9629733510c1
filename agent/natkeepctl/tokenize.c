// SPDX-License-Identifier: GPL-2.0
#include "tokenize.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

void nkctl_words_free(struct nkctl_words *words)
{
	free(words->argv);
	free(words->text);
	memset(words, 0, sizeof(*words));
}

static enum nkctl_tokenize_result fail(struct nkctl_words *words, char *err,
				       size_t errlen, size_t column, const char *what)
{
	nkctl_words_free(words);
	snprintf(err, errlen, "%s (column %zu)", what, column + 1);
	return NKCTL_TOKENIZE_BAD;
}

enum nkctl_tokenize_result nkctl_tokenize(const char *line, size_t len,
					  struct nkctl_words *words,
					  char *err, size_t errlen)
{
	const char *nul = memchr(line, '\0', len);
	size_t i = 0, out = 0;

	memset(words, 0, sizeof(*words));
	if (nul)
		return fail(words, err, errlen, (size_t)(nul - line), "NUL byte");
	/*
	 * A word is never longer than its text, and its NUL takes the place
	 * of the blank (or the end) after it: len + 1 bytes hold them all,
	 * and at most one word starts every two bytes.
	 */
	words->text = malloc(len + 1);
	words->argv = malloc((len / 2 + 2) * sizeof(*words->argv));
	if (!words->text || !words->argv) {
		nkctl_words_free(words);
		return NKCTL_TOKENIZE_NOMEM;
	}
	for (;;) {
		while (i < len && is_blank(line[i]))
			i++;
		if (i == len || line[i] == '#')
			break;
		words->argv[words->argc++] = &words->text[out];
		while (i < len && !is_blank(line[i])) {
			size_t open = i;
			char c = line[i++];

			if (c == '\\') {
				if (i == len) {
					nkctl_words_free(words);
					return NKCTL_TOKENIZE_MORE;
				}
				words->text[out++] = line[i++];
			} else if (c == '\'') {
				while (i < len && line[i] != '\'')
					words->text[out++] = line[i++];
				if (i == len)
					return fail(words, err, errlen, open,
						    "unterminated single quote");
				i++;
			} else if (c == '"') {
				while (i < len && line[i] != '"') {
					/* sh's rule, for the two that matter here. */
					if (line[i] == '\\' && i + 1 < len &&
					    (line[i + 1] == '"' || line[i + 1] == '\\'))
						i++;
					words->text[out++] = line[i++];
				}
				if (i == len)
					return fail(words, err, errlen, open,
						    "unterminated double quote");
				i++;
			} else {
				words->text[out++] = c;
			}
		}
		words->text[out++] = '\0';
	}
	words->argv[words->argc] = NULL;
	return NKCTL_TOKENIZE_OK;
}

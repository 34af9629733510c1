// SPDX-License-Identifier: GPL-2.0
/* Batch lines into words (natkeepctl/tokenize.c). */
#include <stdlib.h>

#include "nk_array.h"
#include "runner.h"
#include "tokenize.h"

static enum nkctl_tokenize_result split(const char *line, struct nkctl_words *w,
					char *err)
{
	err[0] = '\0';
	return nkctl_tokenize(line, strlen(line), w, err, 128);
}

/* The words joined by "|", for one CHECK_STR per line. */
static char *joined(const struct nkctl_words *w)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < w->argc; i++)
		len += strlen(w->argv[i]) + 1;
	s = calloc(1, len);
	for (i = 0; s && i < w->argc; i++) {
		if (i)
			strcat(s, "|");
		strcat(s, w->argv[i]);
	}
	return s;
}

static void check_words(const char *file, int line, const char *text,
			const char *expected)
{
	struct nkctl_words w;
	char err[128];
	char *got;

	if (split(text, &w, err) != NKCTL_TOKENIZE_OK) {
		test_fail(file, line, "[%s]: not OK: %s", text, err);
		return;
	}
	if (w.argv[w.argc] != NULL)
		test_fail(file, line, "[%s]: argv not NULL-terminated", text);
	got = joined(&w);
	if (strcmp(got, expected))
		test_fail(file, line, "[%s]\n  got:      \"%s\"\n  expected: \"%s\"",
			  text, got, expected);
	free(got);
	nkctl_words_free(&w);
}

#define CHECK_WORDS(text, expected) check_words(__FILE__, __LINE__, text, expected)

static void blanks_separate_words(void)
{
	struct nkctl_words w;
	char err[128];

	CHECK_WORDS("flow del id 7", "flow|del|id|7");
	CHECK_WORDS("  \tflow   show\t\t id  3  ", "flow|show|id|3");
	CHECK_WORDS("flow", "flow");
	CHECK_INT(split("flow add local 10.0.0.1:5060 remote 10.0.0.2:5060", &w, err),
		  NKCTL_TOKENIZE_OK);
	CHECK_INT(w.argc, 6);
	CHECK_STR(w.argv[3], "10.0.0.1:5060");
	nkctl_words_free(&w);
}

static void blank_lines_and_comments_have_no_words(void)
{
	const char *lines[] = { "", "   ", "\t", "# a comment", "   # indented",
				"#flow del id 1" };
	struct nkctl_words w;
	char err[128];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lines); i++) {
		CHECK_INT(split(lines[i], &w, err), NKCTL_TOKENIZE_OK);
		CHECK_INT(w.argc, 0);
		CHECK(w.argv && !w.argv[0]);
		nkctl_words_free(&w);
	}
	/* As in sh: a # that starts a word; inside a word or quoted, text. */
	CHECK_WORDS("flow del id 7 # the old one", "flow|del|id|7");
	CHECK_WORDS("user-agent a#b", "user-agent|a#b");
	CHECK_WORDS("user-agent \"#1\" '#2' \\#3", "user-agent|#1|#2|#3");
}

static void quotes_group_words(void)
{
	struct nkctl_words w;
	char err[128];

	CHECK_WORDS("flow set id 3 user-agent \"OBi 202\"", "flow|set|id|3|user-agent|OBi 202");
	CHECK_WORDS("spec 'mtd=NOTIFY;event=check-sync'", "spec|mtd=NOTIFY;event=check-sync");
	CHECK_WORDS("a\"b c\"d'e f'g", "ab cde fg");
	CHECK_WORDS("'say \"hi\"' \"it's\"", "say \"hi\"|it's");
	CHECK_WORDS("\"  tab\there  \"", "  tab\there  ");
	/* An empty value: flow set resets a string with it. */
	CHECK_INT(split("flow set id 3 user-agent \"\" host ''", &w, err), NKCTL_TOKENIZE_OK);
	CHECK_INT(w.argc, 8);
	CHECK_STR(w.argv[4], "user-agent");
	CHECK_STR(w.argv[5], "");
	CHECK_STR(w.argv[6], "host");
	CHECK_STR(w.argv[7], "");
	nkctl_words_free(&w);
}

static void backslash_escapes_outside_single_quotes(void)
{
	CHECK_WORDS("OBi\\ 202", "OBi 202");
	CHECK_WORDS("\\\"x\\\" \\'y \\\\", "\"x\"|'y|\\");
	/* In double quotes, as in sh: only \" and \\ are escapes. */
	CHECK_WORDS("\"a \\\"b\\\" c\\\\d \\n\"", "a \"b\" c\\d \\n");
	/* In single quotes, nothing is. */
	CHECK_WORDS("'a\\b\\'", "a\\b\\");
}

static void unterminated_quotes_are_errors(void)
{
	struct nkctl_words w;
	char err[128];

	CHECK_INT(split("flow set id 3 user-agent \"OBi 202", &w, err), NKCTL_TOKENIZE_BAD);
	CHECK_STR(err, "unterminated double quote (column 26)");
	CHECK(!w.argv && !w.text && !w.argc);
	nkctl_words_free(&w);	/* safe on an empty result */
	CHECK_INT(split("spec 'mtd=PING", &w, err), NKCTL_TOKENIZE_BAD);
	CHECK_STR(err, "unterminated single quote (column 6)");
	CHECK_INT(split("a \"b\\\"", &w, err), NKCTL_TOKENIZE_BAD);
	CHECK_CONTAINS(err, "unterminated double quote");
	CHECK_INT(split("'it\\'s'", &w, err), NKCTL_TOKENIZE_BAD);
	CHECK_CONTAINS(err, "unterminated single quote");
}

static void trailing_backslash_asks_for_more(void)
{
	struct nkctl_words w;
	char err[128];

	CHECK_INT(split("flow add local 10.0.0.1:5060 \\", &w, err), NKCTL_TOKENIZE_MORE);
	CHECK(!w.argv && !w.text);
	CHECK_INT(split("\\", &w, err), NKCTL_TOKENIZE_MORE);
	/* Escaped, quoted or in a comment, it is only a character. */
	CHECK_WORDS("a \\\\", "a|\\");
	CHECK_WORDS("a '\\'", "a|\\");
	CHECK_WORDS("a # b \\", "a");
	CHECK_INT(split("a \"b \\", &w, err), NKCTL_TOKENIZE_BAD);
}

static void nul_byte_is_an_error(void)
{
	struct nkctl_words w;
	char err[128];

	CHECK_INT(nkctl_tokenize("flow\0show", 9, &w, err, sizeof(err)), NKCTL_TOKENIZE_BAD);
	CHECK_STR(err, "NUL byte (column 5)");
	/* The length given counts, not a NUL after it. */
	CHECK_INT(nkctl_tokenize("flow show id", 9, &w, err, sizeof(err)), NKCTL_TOKENIZE_OK);
	CHECK_INT(w.argc, 2);
	CHECK_STR(w.argv[1], "show");
	nkctl_words_free(&w);
}

static void no_limits(void)
{
	size_t len = 199999, i;
	char *line = malloc(len + 1), err[128], last[2] = { 0 };
	struct nkctl_words w;

	/* 100 000 one-letter words, the most a line of this length holds. */
	for (i = 0; i < len; i += 2) {
		line[i] = (char)('a' + i / 2 % 26);
		line[i + 1] = ' ';
	}
	line[len] = '\0';
	last[0] = line[len - 1];
	CHECK_INT(nkctl_tokenize(line, len, &w, err, sizeof(err)), NKCTL_TOKENIZE_OK);
	CHECK_INT(w.argc, 100000);
	CHECK_STR(w.argv[0], "a");
	CHECK_STR(w.argv[99999], last);
	CHECK(w.argv[w.argc] == NULL);
	nkctl_words_free(&w);
	/* One long quoted word, and the worst case of empty words. */
	memset(line, 'x', len);
	line[0] = line[len - 1] = '"';
	CHECK_INT(nkctl_tokenize(line, len, &w, err, sizeof(err)), NKCTL_TOKENIZE_OK);
	CHECK_INT(w.argc, 1);
	CHECK_INT(strlen(w.argv[0]), len - 2);
	nkctl_words_free(&w);
	CHECK_INT(nkctl_tokenize("\"\" \"\" ''", 8, &w, err, sizeof(err)), NKCTL_TOKENIZE_OK);
	CHECK_INT(w.argc, 3);
	nkctl_words_free(&w);
	free(line);
}

static const struct test_case cases[] = {
	TEST_CASE(blanks_separate_words),
	TEST_CASE(blank_lines_and_comments_have_no_words),
	TEST_CASE(quotes_group_words),
	TEST_CASE(backslash_escapes_outside_single_quotes),
	TEST_CASE(unterminated_quotes_are_errors),
	TEST_CASE(trailing_backslash_asks_for_more),
	TEST_CASE(nul_byte_is_an_error),
	TEST_CASE(no_limits),
};
TEST_SUITE(tokenize_suite, cases);

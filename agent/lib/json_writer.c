// SPDX-License-Identifier: GPL-2.0
#include "json_writer.h"

void json_writer_init(struct json_writer *jw, FILE *out, bool pretty)
{
	*jw = (struct json_writer){ .out = out, .pretty = pretty };
}

static void newline_indent(struct json_writer *jw, int depth)
{
	int i;

	if (!jw->pretty)
		return;
	fputc('\n', jw->out);
	for (i = 0; i < depth; i++)
		fputs("    ", jw->out);
}

/* Before any value: a comma after the previous item, unless it follows a key. */
static void begin_value(struct json_writer *jw)
{
	if (jw->after_key) {
		jw->after_key = false;
		return;
	}
	if (jw->depth == 0)
		return;
	if (jw->has_items[jw->depth])
		fputc(',', jw->out);
	jw->has_items[jw->depth] = true;
	newline_indent(jw, jw->depth);
}

static void open_container(struct json_writer *jw, char bracket)
{
	begin_value(jw);
	fputc(bracket, jw->out);
	if (jw->depth + 1 < JSON_WRITER_MAX_DEPTH)
		jw->depth++;
	jw->has_items[jw->depth] = false;
}

static void close_container(struct json_writer *jw, char bracket)
{
	if (jw->has_items[jw->depth])
		newline_indent(jw, jw->depth - 1);
	if (jw->depth > 0)
		jw->depth--;
	fputc(bracket, jw->out);
}

void json_object_start(struct json_writer *jw)
{
	open_container(jw, '{');
}

void json_object_end(struct json_writer *jw)
{
	close_container(jw, '}');
}

void json_array_start(struct json_writer *jw)
{
	open_container(jw, '[');
}

void json_array_end(struct json_writer *jw)
{
	close_container(jw, ']');
}

static void write_escaped(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void json_key(struct json_writer *jw, const char *key)
{
	begin_value(jw);
	write_escaped(jw->out, key);
	fputs(jw->pretty ? ": " : ":", jw->out);
	jw->after_key = true;
}

void json_string(struct json_writer *jw, const char *value)
{
	begin_value(jw);
	write_escaped(jw->out, value);
}

void json_uint(struct json_writer *jw, uint64_t value)
{
	begin_value(jw);
	fprintf(jw->out, "%llu", (unsigned long long)value);
}

void json_bool(struct json_writer *jw, bool value)
{
	begin_value(jw);
	fputs(value ? "true" : "false", jw->out);
}

void json_null(struct json_writer *jw)
{
	begin_value(jw);
	fputs("null", jw->out);
}

void json_kv_string(struct json_writer *jw, const char *key, const char *value)
{
	json_key(jw, key);
	json_string(jw, value);
}

void json_kv_uint(struct json_writer *jw, const char *key, uint64_t value)
{
	json_key(jw, key);
	json_uint(jw, value);
}

void json_kv_bool(struct json_writer *jw, const char *key, bool value)
{
	json_key(jw, key);
	json_bool(jw, value);
}

void json_kv_null(struct json_writer *jw, const char *key)
{
	json_key(jw, key);
	json_null(jw);
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer (compact, or indented by 4 for -p): it
 * places the commas and newlines so the formatters only say what to write.
 */
#ifndef NK_JSON_WRITER_H
#define NK_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_WRITER_MAX_DEPTH 16

struct json_writer {
	FILE *out;
	bool pretty;
	int depth;
	bool after_key;
	bool has_items[JSON_WRITER_MAX_DEPTH];
};

void json_writer_init(struct json_writer *jw, FILE *out, bool pretty);

void json_object_start(struct json_writer *jw);
void json_object_end(struct json_writer *jw);
void json_array_start(struct json_writer *jw);
void json_array_end(struct json_writer *jw);

void json_key(struct json_writer *jw, const char *key);
void json_string(struct json_writer *jw, const char *value);
void json_uint(struct json_writer *jw, uint64_t value);
void json_bool(struct json_writer *jw, bool value);
void json_null(struct json_writer *jw);

/* "key": value in an object. */
void json_kv_string(struct json_writer *jw, const char *key, const char *value);
void json_kv_uint(struct json_writer *jw, const char *key, uint64_t value);
void json_kv_bool(struct json_writer *jw, const char *key, bool value);
void json_kv_null(struct json_writer *jw, const char *key);

#endif

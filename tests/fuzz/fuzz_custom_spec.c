// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: nk_custom_spec_parse() on any bytes. A spec that
 * parses must give fields the request builder accepts; one that does not
 * must say why, naming the spec.
 */
#include <stdlib.h>

#include "custom_spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *spec = malloc(size ? size : 1);
	struct nk_custom_spec s;
	const char *err = NULL;

	memcpy(spec, data, size);
	if (nk_custom_spec_parse(spec, size, &s, &err)) {
		if (!err || strncmp(err, "custom spec: ", 13))
			abort();
	} else {
		if (err || !nk_sip_valid_token(s.method))
			abort();
		if (s.event[0] && !nk_sip_valid_token(s.event))
			abort();
		if (s.user[0] && !nk_sip_valid_user(s.user))
			abort();
		if (!strcmp(s.method, "NOTIFY") != !!s.event[0])
			abort();
	}
	free(spec);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
#include "nk_mapping.h"

#include <linux/natkeep.h>

#include "nk_array.h"

static const char *const source_names[] = {
	[NATKEEP_MAPPING_SRC_STUN]	= "stun",
	[NATKEEP_MAPPING_SRC_VIA]	= "via",
};

const char *nk_mapping_source_name(unsigned int source)
{
	if (source >= ARRAY_SIZE(source_names))
		return NULL;
	return source_names[source];
}

void nk_mapping_format(const struct nk_mapping *mapping, char *buf, size_t len)
{
	nk_endpoint_format(mapping->family, &mapping->addr, mapping->port, buf, len);
}

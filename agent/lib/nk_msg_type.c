// SPDX-License-Identifier: GPL-2.0
#include "nk_msg_type.h"

#include <string.h>
#include <stddef.h>
#include <linux/natkeep.h>

#include "nk_array.h"

static const char *const msg_type_names[] = {
	[NATKEEP_MSG_KEEPALIVE]	= "keep-alive",
	[NATKEEP_MSG_EMPTY]	= "empty",
	[NATKEEP_MSG_STUN]	= "stun",
	[NATKEEP_MSG_CUSTOM]	= "custom",
	[NATKEEP_MSG_OPTIONS]	= "options",
	[NATKEEP_MSG_NOTIFY]	= "notify",
};

const char *nk_msg_type_name(unsigned int type)
{
	if (type >= ARRAY_SIZE(msg_type_names))
		return NULL;
	return msg_type_names[type];
}

int nk_msg_type_from_name(const char *name)
{
	unsigned int type;

	for (type = 0; type < ARRAY_SIZE(msg_type_names); type++)
		if (msg_type_names[type] && !strcmp(msg_type_names[type], name))
			return (int)type;
	return -1;
}

const char *nk_msg_type_choices(void)
{
	return "keep-alive|empty|stun|custom|options|notify";
}

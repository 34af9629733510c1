/* SPDX-License-Identifier: GPL-2.0 */
/* The number of elements of an array (not of a pointer), as the kernel's. */
#ifndef NK_ARRAY_H
#define NK_ARRAY_H

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#endif

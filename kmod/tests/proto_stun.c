// SPDX-License-Identifier: GPL-2.0
/* The shared protocol code, built here for the UML test kernel. */
#include "../proto/stun.c"

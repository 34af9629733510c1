/* SPDX-License-Identifier: GPL-2.0 */
/* The one place the version is written; the Makefile and DKMS read it. */
#ifndef _NK_VERSION_H
#define _NK_VERSION_H

#define NATKEEP_VERSION "0.1.0"

#endif /* _NK_VERSION_H */

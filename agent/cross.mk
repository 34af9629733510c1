# SPDX-License-Identifier: GPL-2.0
# How natkeep's userspace is built for its target, a cross build too;
# included by agent/Makefile and the unit tests' Makefile:
#
#   make CROSS_COMPILE=aarch64-linux-gnu- SYSROOT=DIR
#
# CROSS_COMPILE names the compiler and archiver unless CC or AR is given.
# SYSROOT is a directory holding the target's libmnl, libnl and sofia-sip
# in Debian's multiarch layout (tests/cross/sysroot.sh unpacks Debian's
# packages into one): pkg-config looks only there, and the linker finds
# the libraries' own dependencies (libssl, libnl-3) there too. The C
# library is the cross compiler's own.

PKG_CONFIG ?= pkg-config

ifneq ($(CROSS_COMPILE),)
ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc
endif
ifeq ($(origin AR),default)
AR := $(CROSS_COMPILE)ar
endif
endif

ifneq ($(SYSROOT),)
TRIPLET := $(shell $(CC) -dumpmachine)
override PKG_CONFIG := PKG_CONFIG_SYSROOT_DIR=$(SYSROOT) \
	PKG_CONFIG_LIBDIR=$(SYSROOT)/usr/lib/$(TRIPLET)/pkgconfig:$(SYSROOT)/usr/share/pkgconfig \
	$(PKG_CONFIG)
SYSROOT_LDFLAGS := -Wl,-rpath-link,$(SYSROOT)/usr/lib/$(TRIPLET)
endif

# 64-bit file offsets and inode numbers on 32-bit targets too (armhf,
# mipsel): there readdir and stat fail with EOVERFLOW on a file whose
# inode number or directory offset does not fit in 32 bits.
NK_TARGET_CPPFLAGS := -D_FILE_OFFSET_BITS=64

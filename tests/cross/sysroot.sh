#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The libraries natkeepd and natkeepctl link against, for another
# architecture: Debian's own packages of that architecture, unpacked into a
# directory under the cache (the C library is the cross compiler's).
#
#   tests/cross/sysroot.sh ARCH     prints the directory, unpacking it once
#
# The directory's name carries the packages' versions: an update of
# one is a new directory.
set -euo pipefail

arch=${1:?usage: sysroot.sh ARCH}
here=$(cd "$(dirname "$0")" && pwd)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/natkeep
packages=(libsofia-sip-ua0 libsofia-sip-ua-dev libssl3 libmnl0 libmnl-dev
	libnl-3-200 libnl-3-dev libnl-route-3-200 libnl-route-3-dev)

"$here/apt-arch.sh" "$arch" update
key=$(for p in "${packages[@]}"; do "$here/apt-arch.sh" "$arch" version "$p"; done |
	sha256sum | cut -c1-10)
root=$cache/sysroot-$arch-$key
if [ ! -f "$root/.done" ]; then
	rm -rf "$root" "$root.debs"
	mkdir -p "$root.debs"
	(cd "$root.debs" && "$here/apt-arch.sh" "$arch" download "${packages[@]}") \
		> "$root.debs/download.log" 2>&1 || {
		cat "$root.debs/download.log" >&2
		echo "sysroot: could not download the $arch packages" >&2
		exit 1
	}
	for deb in "$root.debs"/*.deb; do
		dpkg-deb -x "$deb" "$root"
	done
	# As on Debian 12 itself (merged /usr), /lib is /usr/lib: libnl's
	# packages put their libraries under /lib, their .pc files say /usr/lib.
	if [ -d "$root/lib" ] && [ ! -L "$root/lib" ]; then
		cp -a "$root/lib/." "$root/usr/lib/"
		rm -rf "${root:?}/lib"
		ln -s usr/lib "$root/lib"
	fi
	rm -rf "$root.debs"
	touch "$root/.done"
fi
echo "$root"

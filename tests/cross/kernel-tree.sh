#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A kernel tree to build natkeep.ko against for another architecture:
# Debian's own headers package of that architecture's kernel, with this
# machine's kbuild tools (linux-kbuild-*, the tools a build runs: fixdep,
# modpost, ...) in place of that architecture's, which would not run
# here. They read any architecture's objects: Debian's modpost is a
# wrapper over one build per word size and byte order. The same version
# as the headers if apt still has it, else the newest of the series.
#
#   tests/cross/kernel-tree.sh ARCH    prints KDIR, unpacking it once
#
# ARCH is arm64 (flavour arm64), armhf (armmp), mipsel (4kc-malta) or
# s390x (s390x).
# Then: make module ARCH=... CROSS_COMPILE=... KDIR=<what it printed>.
set -euo pipefail

arch=${1:?usage: kernel-tree.sh ARCH}
here=$(cd "$(dirname "$0")" && pwd)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/natkeep
host=$(dpkg --print-architecture)
case $arch in
arm64) flavour=arm64 ;;
armhf) flavour=armmp ;;
mipsel) flavour=4kc-malta ;;
s390x) flavour=s390x ;;
*) echo "kernel-tree: unknown architecture $arch (arm64, armhf, mipsel, s390x)" >&2; exit 2 ;;
esac

# The flavour's meta package names the kernel's ABI and version.
"$here/apt-arch.sh" "$arch" update
version=$("$here/apt-arch.sh" "$arch" version "linux-headers-$flavour")
if [ -z "$version" ] || [ "$version" = "(none)" ]; then
	echo "kernel-tree: no linux-headers-$flavour for $arch" >&2
	exit 1
fi
headers=$(cd "$cache" && "$here/apt-arch.sh" "$arch" depends "linux-headers-$flavour" |
	sed -n 's/^ *Depends: \(linux-headers-[^ ]*-'"$flavour"'\)$/\1/p' | head -1)
[ -n "$headers" ] || { echo "kernel-tree: linux-headers-$flavour depends on no headers" >&2; exit 1; }
release=${headers#linux-headers-}
abi=${release%-"$flavour"}
major_minor=${abi%.*}
kbuild=linux-kbuild-$major_minor

root=$cache/kernel-$arch-$release-$version
kdir=$root/usr/src/linux-headers-$release
if [ ! -f "$root/.done" ]; then
	rm -rf "$root" "$root.debs"
	mkdir -p "$root.debs/$arch" "$root.debs/$host"
	{
		(cd "$root.debs/$arch" && "$here/apt-arch.sh" "$arch" download "$headers=$version") &&
		(cd "$root.debs/$host" && "$here/apt-arch.sh" "$host" download \
			"linux-headers-$abi-common=$version" &&
			{ "$here/apt-arch.sh" "$host" download "$kbuild=$version" ||
				"$here/apt-arch.sh" "$host" download "$kbuild"; })
	} > "$root.debs/download.log" 2>&1 || {
		cat "$root.debs/download.log" >&2
		echo "kernel-tree: could not download $headers $version and its $host kbuild" >&2
		exit 1
	}
	for deb in "$root.debs"/*/*.deb; do
		dpkg-deb -x "$deb" "$root"
	done
	rm -rf "$root.debs"
	# The flavour's Makefile includes the common one by its absolute path.
	sed -i "s|^include /usr/src/|include $root/usr/src/|" "$kdir/Makefile"
	touch "$root/.done"
fi
echo "$kdir"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A root filesystem of another architecture for tests/vm/run.sh -a: Debian's
# own packages of that architecture (what the VM scenarios run, and the
# kernel whose headers tests/cross/kernel-tree.sh unpacks, so the module
# built against those loads), unpacked into a directory under the cache.
#
#   tests/cross/rootfs.sh ARCH     prints the directory, making it once
#
# No maintainer script runs: they are ARCH's programs, and this machine
# cannot run them (qemu-user needs binfmt_misc for a script's children;
# debootstrap's second stage could run only inside the VM). What their
# scripts would do that the VM needs is done here: the merged /usr
# symlinks, passwd and group, the awk and which alternatives, depmod.
# The directory's name carries the packages' versions and this file's
# hash: an update of either is a new directory.
set -euo pipefail

arch=${1:?usage: rootfs.sh ARCH}
here=$(cd "$(dirname "$0")" && pwd)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/natkeep

# What the VM's init and the scenarios tests/vm/arm64.sh runs call.
packages=(base-files base-passwd bash coreutils dash debianutils diffutils
	findutils grep gzip mawk sed util-linux procps kmod netbase iproute2
	nftables conntrack python3 coturn busybox-static libc-bin libmnl0)

kdir=$("$here/kernel-tree.sh" "$arch")
release=${kdir##*/linux-headers-}
packages+=("linux-image-$release")

key=$({
	for p in "${packages[@]}"; do "$here/apt-arch.sh" "$arch" version "$p"; done
	sha256sum < "$0"
} | sha256sum | cut -c1-10)
root=$cache/rootfs-$arch-$key
if [ -f "$root/.done" ]; then
	echo "$root"
	exit 0
fi

echo "rootfs: making the $arch root for $release in $root" >&2
# The roots of older package versions go: each is 600 MB.
rm -rf "$cache/rootfs-$arch-"*
mkdir -p "$root.debs"
(cd "$root.debs" && "$here/apt-arch.sh" "$arch" closure "${packages[@]}") \
	> "$root.debs/download.log" 2>&1 || {
	cat "$root.debs/download.log" >&2
	echo "rootfs: could not download the $arch packages" >&2
	exit 1
}

# Merged /usr as on Debian 12: the packages' /bin, /sbin and /lib land in
# /usr through these links (tar keeps a directory symlink when asked).
mkdir -p "$root"/usr/{bin,sbin,lib}
for d in bin sbin lib; do
	ln -s "usr/$d" "$root/$d"
done
for deb in "$root.debs"/*.deb; do
	dpkg-deb --fsys-tarfile "$deb" | tar -x --keep-directory-symlink -C "$root"
done
echo "rootfs: $(find "$root.debs" -name '*.deb' | wc -l) packages unpacked" >&2
rm -rf "$root.debs"

# base-passwd's postinst: the system users and groups.
cp "$root/usr/share/base-passwd/passwd.master" "$root/etc/passwd"
cp "$root/usr/share/base-passwd/group.master" "$root/etc/group"
# update-alternatives' links from mawk's and debianutils' postinst.
[ -e "$root/usr/bin/awk" ] || ln -s mawk "$root/usr/bin/awk"
[ -e "$root/usr/bin/which" ] || ln -s which.debianutils "$root/usr/bin/which"
[ -e "$root/usr/bin/sh" ] || ln -s dash "$root/usr/bin/sh"
# Mount points of the VM's init (tests/vm/init.sh).
mkdir -p "$root"/{proc,sys,dev,run,tmp,root,var/lib,var/log,var/cache,var/spool,var/tmp}
chmod 1777 "$root/tmp" "$root/var/tmp"
# The module index: kmod's depmod reads another architecture's modules.
depmod -b "$root" "$release"
[ -s "$root/lib/modules/$release/modules.dep" ] ||
	{ echo "rootfs: depmod made no modules.dep for $release" >&2; exit 1; }

touch "$root/.done"
echo "$root"

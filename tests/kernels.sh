#!/bin/bash
# The Debian kernels natkeep is built and tested against, as the build and
# the test tiers pick them.
#
#   tests/kernels.sh kdir      the default kernel's headers: the running
#                              kernel's if it has them (a gateway building
#                              for itself), else those Debian's
#                              linux-headers-amd64 depends on (Debian 12's
#                              stock kernel), else the newest installed ones
#                              that are neither -rt nor -cloud
#   tests/kernels.sh default   that kernel's release
#   tests/kernels.sh others    the other releases a VM can boot (headers in
#                              /usr/src and /boot/vmlinuz-*), in version order
set -euo pipefail

headers_release() {
	local d
	d=$(basename "$(realpath "$1")")
	echo "${d#linux-headers-}"
}

default_kdir() {
	local build dep
	build=/lib/modules/$(uname -r)/build
	if [ -d "$build" ]; then
		echo "$build"
		return
	fi
	dep=$(dpkg-query -W -f='${Depends}' linux-headers-amd64 2>/dev/null |
		sed -n 's/^\(linux-headers-[^ ,]*\).*/\1/p')
	if [ -n "$dep" ] && [ -d "/usr/src/$dep" ]; then
		echo "/usr/src/$dep"
		return
	fi
	for h in /usr/src/linux-headers-*-amd64; do
		case $h in *-rt-amd64 | *-cloud-amd64 | *'*'*) ;; *) echo "$h" ;; esac
	done | sort -V | tail -n 1
}

case ${1:-} in
kdir)
	default_kdir
	;;
default)
	kdir=$(default_kdir)
	[ -n "$kdir" ] || { echo "kernels.sh: no kernel headers installed" >&2; exit 1; }
	headers_release "$kdir"
	;;
others)
	kdir=$(default_kdir)
	def=
	[ -n "$kdir" ] && def=$(headers_release "$kdir")
	for h in /usr/src/linux-headers-*-amd64; do
		v=${h#/usr/src/linux-headers-}
		[ "$v" != "$def" ] && [ -f "/boot/vmlinuz-$v" ] && echo "$v"
	done | sort -V
	;;
*)
	sed -n '5,13p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac

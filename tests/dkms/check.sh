#!/bin/bash
# DKMS tier: the module sources that `make dkms-install` ships are added to
# DKMS and built against each installed Debian kernel's headers, as on a
# gateway.
# A version suffix keeps this clear of a natkeep that DKMS already manages.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

kver=${KVER:?KVER: the kernel version to build for}
base=$(sed -n 's/^#define NATKEEP_VERSION "\(.*\)"/\1/p' kmod/version.h)
ver=$base-check
tmp=$(mktemp -d)
. tests/result.sh

cleanup() {
	dkms remove "natkeep/$ver" --all >/dev/null 2>&1
	rm -rf "/usr/src/natkeep-$ver" "$tmp"
}
trap cleanup EXIT
cleanup

make -s dkms-install DESTDIR="$tmp" NK_VERSION="$base" >/dev/null
src=$tmp/usr/src/natkeep-$base
sed -i "s/^PACKAGE_VERSION=.*/PACKAGE_VERSION=\"$ver\"/" "$src/dkms.conf"
cp -a "$src" "/usr/src/natkeep-$ver"

dkms add "natkeep/$ver" >"$tmp/add.log" 2>&1
rc=$?
[ $rc = 0 ] || cat "$tmp/add.log"
result $rc "dkms add natkeep/$ver"
# The default kernel, then the others installed (tests/kernels.sh others).
for k in "$kver" $(tests/kernels.sh others); do
	dkms build "natkeep/$ver" -k "$k" >"$tmp/build.log" 2>&1
	rc=$?
	[ $rc = 0 ] || { cat "$tmp/build.log"; sed -n '1,200p' "/var/lib/dkms/natkeep/$ver/build/make.log" 2>/dev/null; }
	result $rc "dkms build natkeep/$ver for $k"
	ko=$(find "/var/lib/dkms/natkeep/$ver/$k" -name 'natkeep.ko*' 2>/dev/null | head -n 1)
	if [ -n "$ko" ] && modinfo -F vermagic "$ko" | grep -q "^$k "; then
		result 0 "DKMS built natkeep.ko for $k"
	else
		result 1 "DKMS built natkeep.ko for $k (found: ${ko:-nothing})"
	fi
done
result_summary

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The arm64 tier: natkeep.ko and natkeepctl cross-built for arm64 against
# Debian's arm64 kernel headers and libraries (tests/cross/), then the
# module's core VM scenarios in qemu-system-aarch64 booting Debian's arm64
# kernel on a root of Debian's arm64 packages (tests/vm/run.sh -a arm64):
# flows sent on time over IPv4 and IPv6, rmmod with thousands of flows,
# STUN through a NAT, a NAT rebinding found and reported.
#
#   tests/vm/arm64.sh [SCENARIO...]    default: 10-send 40-rmmod-scale
#                                      70-stun 71-rebinding
#
# The build happens in a copy of the tree under /tmp (run.sh -a shares the
# working directory with the VM). Prints "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/tests/result.sh"

[ $# -gt 0 ] || set -- 10-send 40-rmmod-scale 70-stun 71-rebinding
triplet=aarch64-linux-gnu
work=$(mktemp -d /tmp/natkeep-arm64.XXXXXX)
trap 'rm -rf "$work"' EXIT

fail_early() {
	result 1 "$1"
	result_summary
	exit 1
}

kdir=$("$top/tests/cross/kernel-tree.sh" arm64) ||
	fail_early "Debian's arm64 kernel headers unpacked"
sysroot=$("$top/tests/cross/sysroot.sh" arm64) ||
	fail_early "Debian's arm64 libraries unpacked"
rootfs=$("$top/tests/cross/rootfs.sh" arm64) ||
	fail_early "a root of Debian's arm64 packages made"
release=${kdir##*/linux-headers-}
[ -f "$rootfs/boot/vmlinuz-$release" ]
result $? "the arm64 root's kernel is the headers' $release"

"$top/tests/copy-tree.sh" "$work/tree" || fail_early "copy of the tree"
ko=$(ARCH=arm64 CROSS_COMPILE=$triplet- "$top/tests/build-module.sh" "$kdir" \
	"$work/module" 2> "$work/module.log")
rc=$?
grep -v '^Skipping BTF generation' "$work/module.log" | tail -20
result $rc "natkeep.ko builds for $release"
make -s -C "$work/tree/agent" WERROR=1 CROSS_COMPILE="$triplet-" SYSROOT="$sysroot" \
	> "$work/agent.log" 2>&1
rc=$?
[ $rc = 0 ] || tail -20 "$work/agent.log"
result $rc "natkeepctl and natkeepd build for arm64"
if [ ! -f "$ko" ] || [ ! -x "$work/tree/agent/natkeepctl/natkeepctl" ]; then
	fail_early "the arm64 module and natkeepctl to test"
fi

# The scenarios, from the copy, with its arm64 natkeepctl and module.
out=$work/vm.out
(cd "$work" && NK_ROOTFS=$rootfs "$here/run.sh" -a arm64 -t 2400 -- \
	env NK_KO="$ko" "$work/tree/tests/vm/scenarios/all.sh" "$@") | tee "$out"
rc=${PIPESTATUS[0]}
result_counts "$out" "$rc" "the arm64 VM"
result_summary

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The packages tier: the Debian packages installed, used, upgraded and
# purged on a running system, in a VM with systemd as PID 1 (run.sh -S):
# tests/deb/packages-vm.sh says what is checked there.
#
# Two builds of the working tree: this version's packages and the same
# sources labelled 0.0.99, the version the upgrade starts from (natkeep
# has had no release before this one to take the packages of).
# Prints "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/tests/result.sh"
prev_version=0.0.99

tmp=$(mktemp -d /tmp/natkeep-packages.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/new" "$tmp/prev"

NK_DEB_OUT=$tmp/new "$top/tests/deb/build.sh" > "$tmp/build-new.log" 2>&1
rc=$?
[ $rc = 0 ] || grep -v '^PASS' "$tmp/build-new.log"
result $rc "this version's packages build"

"$top/tests/copy-tree.sh" "$tmp/prev-src"
sed -i "s/^#define NATKEEP_VERSION \".*\"/#define NATKEEP_VERSION \"$prev_version\"/" \
	"$tmp/prev-src/kmod/version.h"
sed -i "1s/([^)]*)/($prev_version)/" "$tmp/prev-src/packaging/debian/changelog"
NK_DEB_OUT=$tmp/prev "$tmp/prev-src/tests/deb/build.sh" > "$tmp/build-prev.log" 2>&1
rc=$?
[ $rc = 0 ] || grep -v '^PASS' "$tmp/build-prev.log"
result $rc "the same sources' packages as version $prev_version build"
rm -f "$tmp"/*/natkeep-dbgsym_*.deb

# The VM's DKMS builds take their objects from the host's, through ccache
# (tests/deb/dkms-ccache.sh). The sources are copied just before they
# are compiled there: the include files' times do not count.
export CCACHE_DIR=${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/natkeep/ccache-dkms
export CCACHE_MAXSIZE=100M CCACHE_SLOPPINESS=include_file_mtime,include_file_ctime
kver=$("$top/tests/kernels.sh" default)
for d in prev new; do
	"$here/dkms-ccache.sh" "$tmp/$d"/natkeep-dkms_*.deb "$kver" >"$tmp/ccache-$d.log" 2>&1
	rc=$?
	[ $rc = 0 ] || cat "$tmp/ccache-$d.log"
	result $rc "DKMS builds the $d packages on the host for $kver, through ccache"
done

out=$tmp/vm.out
(cd "$tmp" && "$top/tests/vm/run.sh" -S -t 1800 -- env DEBIAN_KERNEL_USE_CCACHE=1 \
	CCACHE_DIR="$CCACHE_DIR" CCACHE_MAXSIZE="$CCACHE_MAXSIZE" CCACHE_SLOPPINESS="$CCACHE_SLOPPINESS" \
	"$here/packages-vm.sh" "$tmp/prev" "$tmp/new") | tee "$out"
rc=${PIPESTATUS[0]}
result_counts "$out" "$rc" "the packages VM"
result_summary

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

out=$tmp/vm.out
(cd "$tmp" && "$top/tests/vm/run.sh" -S -t 1800 -- \
	"$here/packages-vm.sh" "$tmp/prev" "$tmp/new") | tee "$out"
rc=${PIPESTATUS[0]}
result_counts "$out" "$rc" "the packages VM"
result_summary

#!/bin/bash
# Build natkeep.ko against another kernel's headers, out of the tree: from
# the source tree DKMS gets (make dkms-install), in DIR, with warnings as
# errors; kmod/'s own objects (the default kernel's) stay untouched.
#
#   tests/build-module.sh KDIR DIR
#
# Prints the module's path; the compiler's output goes to stderr.
set -euo pipefail
[ $# = 2 ] || { sed -n '6p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
kdir=$1 dir=$2
top=$(cd "$(dirname "$0")/.." && pwd)

rm -rf "$dir"
mkdir -p "$dir"
make -s -C "$top" dkms-install DESTDIR="$dir/dkms" NK_VERSION=out-of-tree >/dev/null
tree=$dir/dkms/usr/src/natkeep-out-of-tree
make -s -C "$kdir" M="$tree" NATKEEP_WERROR=1 modules >&2
[ -f "$tree/kmod/natkeep.ko" ] || { echo "build-module.sh: no natkeep.ko after the build" >&2; exit 1; }
echo "$tree/kmod/natkeep.ko"

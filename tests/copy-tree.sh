#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copy the tree's sources, without the build products .gitignore names,
# into DEST: a build for another architecture happens in such a copy and
# the native objects stay (tests/cross/build.sh, tests/vm/arm64.sh).
#
#   tests/copy-tree.sh DEST [PATH...]     PATHs relative to the top,
#                                         default the whole tree
set -euo pipefail
dest=${1:?usage: copy-tree.sh DEST [PATH...]}
shift
top=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || set -- .
mkdir -p "$dest"
(cd "$top" && tar -cf - --exclude-vcs --exclude-vcs-ignores "$@") | tar -xf - -C "$dest"

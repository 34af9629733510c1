#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Copy the tree's sources, without the build products .gitignore names,
# into DEST: a build for another architecture happens in such a copy and
# the native objects stay (tests/cross/build.sh, tests/vm/arm64.sh); the
# Debian packages are built from one (tests/deb/build.sh).
#
#   tests/copy-tree.sh DEST [PATH...]     PATHs relative to the top,
#                                         default the whole tree
set -euo pipefail
dest=${1:?usage: copy-tree.sh DEST [PATH...]}
shift
top=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || set -- .
mkdir -p "$dest"
# .gitignore's patterns as tar's (which match a name anywhere in the
# path, as git's do): comments and a directory's trailing slash dropped.
(cd "$top" && tar -cf - --exclude-vcs \
	--exclude-from=<(sed -e '/^#/d' -e '/^$/d' -e 's|/$||' .gitignore) "$@") |
	tar -xf - -C "$dest"

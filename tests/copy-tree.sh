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
cd "$top"
if git rev-parse --is-inside-work-tree > /dev/null 2>&1; then
	# Tracked and untracked files less what any .gitignore names, as git
	# reads them; a tracked file deleted in the work tree is not there.
	git ls-files -z -co --exclude-standard -- "$@" |
		while IFS= read -r -d '' f; do
			[ -e "$f" ] && printf '%s\0' "$f"
		done | tar -cf - --null --no-recursion -T - | tar -xf - -C "$dest"
else
	# A copy without git (a copy of a copy): the top .gitignore's
	# patterns as tar's, comments and a directory's trailing slash dropped.
	[ -r .gitignore ] || { echo "copy-tree: no .gitignore in $top" >&2; exit 1; }
	tar -cf - --exclude=.git \
		--exclude-from=<(sed -e '/^#/d' -e '/^$/d' -e 's|/$||' .gitignore) "$@" |
		tar -xf - -C "$dest"
fi

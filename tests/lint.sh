#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lint beyond checkpatch (tests/style.sh): sparse on the module (make C=2,
# every source file checked), shellcheck on every shell script in the tree
# (warnings and errors), pyflakes on every Python file.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
. tests/result.sh

# Shell: *.sh, and the files whose first line names a shell.
mapfile -t scripts < <(git ls-files | while read -r f; do
	[ -f "$f" ] || continue
	case $f in
	*.sh) echo "$f" ;;
	*.py | *.c | *.h | *.md | *.json | *.xml | *.cfg) ;;
	*) head -c 64 "$f" | head -n 1 | grep -qE '^#!.*/(env )?(ba|da)?sh( |$)' && echo "$f" ;;
	esac
done)
# Off, as they only misread the tests' idioms: SC1091 (libraries sourced
# by computed paths; each is checked on its own), SC2016 ($ in '...' that
# is the text of a bash -c, eval or awk program), SC2317 (functions called
# through check, wait_for or a trap look unreachable).
for f in "${scripts[@]}"; do
	out=$(shellcheck -f gcc -S warning -e SC1091,SC2016,SC2317 "$f" 2>&1)
	result $? "shellcheck $f"
	[ -z "$out" ] || echo "$out"
done

# sparse: the kernel's own checks (address spaces, endianness, locking
# annotations, symbols that should be static). Any warning fails.
kdir=${KDIR:-$(tests/kernels.sh kdir)}
out=$(make -s module KDIR="$kdir" WERROR=1 C=2 2>&1)
rc=$?
out=$(grep -v "^Skipping BTF generation" <<<"$out")
[ "$rc" = 0 ] && ! grep -qE "(warning|error):" <<<"$out"
result $? "sparse (make C=2) on the module, $(basename "$(realpath "$kdir")")"
[ -z "$out" ] || echo "$out"

mapfile -t python < <(git ls-files '*.py')
for f in "${python[@]}"; do
	out=$(pyflakes3 "$f" 2>&1)
	result $? "pyflakes $f"
	[ -z "$out" ] || echo "$out"
done
result_summary

#!/bin/bash
# Kernel coding style: checkpatch.pl from Debian's linux-source, over every
# kernel source file of the module and its KUnit suites.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

cache=${NATKEEP_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/natkeep}
tarball=/usr/src/linux-source-6.1.tar.xz
ver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || echo unknown)
dir=$cache/checkpatch-$ver

if [ ! -x "$dir/scripts/checkpatch.pl" ]; then
	mkdir -p "$dir.tmp"
	tar -xJf "$tarball" -C "$dir.tmp" --strip-components=1 --wildcards \
		'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch' || exit 1
	rm -rf "$dir" && mv "$dir.tmp" "$dir"
fi

passed=0 failed=0
for f in kmod/*.[ch] kmod/proto/*.[ch] kmod/tests/*.c; do
	case $f in *.mod.c) continue ;; esac
	ignore=SPDX_LICENSE_TAG,FILE_PATH_CHANGES
	# The compat header exists to test kernel versions.
	[ "$f" = kmod/compat.h ] && ignore=$ignore,LINUX_VERSION_CODE,CONSTANT_COMPARISON
	# TRACE_EVENT's macro layout is the kernel's own (include/trace/events).
	[ "$f" = kmod/trace.h ] && ignore=$ignore,OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT
	# The protocol code is userspace C11 too: uint8_t, not u8.
	case $f in kmod/proto/*) ignore=$ignore,PREFER_KERNEL_TYPES ;; esac
	if out=$("$dir/scripts/checkpatch.pl" --no-tree --quiet --strict \
		--ignore "$ignore" --file "$f" 2>&1); then
		echo "PASS: checkpatch $f"; passed=$((passed + 1))
	else
		echo "FAIL: checkpatch $f"; echo "$out"; failed=$((failed + 1))
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

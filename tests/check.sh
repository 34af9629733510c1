#!/bin/bash
# `make check`: every test tier in turn. Each tier prints PASS/FAIL lines and
# ends with `N passed, N failed`; a tier that dies without that line counts
# as one failure. The last line is the sum over all tiers.
# TIERS="unit openwrt" (make check TIERS=...) runs only the tiers named.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

export WERROR=${WERROR:-1}
KDIR=${KDIR:-$(tests/kernels.sh kdir)}
KVER=$(basename "$(realpath "$KDIR")")
KVER=${KVER#linux-headers-}
export KDIR KVER

logdir=$(mktemp -d)
trap 'rm -rf "$logdir"' EXIT
total_passed=0 total_failed=0 summary=()

# tier NAME COMMAND...: run one tier, show its output, add up its counts.
tier() {
	local name=$1 log=$logdir/$1.log rc line p f
	shift
	[ -z "${TIERS:-}" ] || [[ " $TIERS " == *" $name "* ]] || return 0
	echo "=== $name: $*"
	local start=$SECONDS
	"$@" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -n "$line" ]; then
		p=${line%% passed*}
		f=${line#*passed, }
		f=${f%% failed*}
	else
		p=0 f=0
	fi
	# A tier that failed without saying so still counts as a failure.
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "FAIL: $name exited with status $rc"
		f=1
	fi
	total_passed=$((total_passed + p))
	total_failed=$((total_failed + f))
	summary+=("$(printf '%-8s %4d passed, %d failed (%ds)' "$name" "$p" "$f" $((SECONDS - start)))")
}

build() {
	local passed=0 failed=0 what
	for what in "module" "userspace"; do
		if make -s "$what" KDIR="$KDIR" WERROR=1; then
			echo "PASS: build $what with warnings as errors"; passed=$((passed + 1))
		else
			echo "FAIL: build $what with warnings as errors"; failed=$((failed + 1))
		fi
	done
	echo "$passed passed, $failed failed"
	[ "$failed" = 0 ]
}

vm() {
	make -s module KDIR="$KDIR" WERROR=1 || return 1
	make -s userspace WERROR=1 || return 1
	make -s -C tests/fuzz nlfuzz || return 1
	# ~24 min alone (80-88, natkeepd's, about 9 of them); a busy machine
	# (another VM) doubles it.
	tests/vm/run.sh -k "$KVER" -t 3600 -- tests/vm/scenarios/all.sh
}

tier build build
tier style tests/style.sh
tier lint tests/lint.sh
tier spec /usr/bin/python3 tests/spec/check.py
tier unit make -s -C tests/unit check
tier openwrt tests/openwrt/test.sh
tier fuzz make -s -C tests/fuzz smoke SMOKE_SECONDS=10
tier kunit tests/kunit/run.sh
tier dkms tests/dkms/check.sh
tier cross tests/cross/build.sh
tier deb tests/deb/build.sh
tier packages tests/deb/packages.sh
tier vm vm
tier kernels tests/vm/kernels.sh
tier arm64 tests/vm/arm64.sh
tier debug tests/vm/debug.sh
tier bench tests/bench/run.sh --smoke

if [ -n "${TIERS:-}" ] && [ ${#summary[@]} = 0 ]; then
	echo "FAIL: TIERS=\"$TIERS\" names no tier"
	total_failed=1
fi

echo "=== summary"
printf '%s\n' "${summary[@]}"
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" = 0 ]

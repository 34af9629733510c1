#!/bin/bash
# The kernels tier: natkeep.ko built, with warnings as errors, against each
# other Debian kernel installed (tests/kernels.sh others: Debian 12's 6.12
# and 6.12 PREEMPT_RT) by tests/build-module.sh, then a choice of the VM
# scenarios in a VM booting that kernel. The vm tier runs them all
# on the default kernel.
#
#   tests/vm/kernels.sh [KVER...]
#
# Each kernel runs the send, namespace-teardown, rebinding and hostile
# scenarios. A kernel without PREEMPT_RT also runs the spoofed-answer,
# bad-input and natkeepd registration ones (the hook's matching of a
# parsed answer, and netlink and natkeepd in process context: the same
# on both); a PREEMPT_RT kernel
# (CONFIG_PREEMPT_RT in its /boot/config-*) instead the module's removal
# with many flows and the teardown under traffic, where threaded softirqs
# change most. NK_KERNEL_SCENARIOS (names, space-separated) replaces
# these lists.
# The last line is "N passed, N failed" over all kernels.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

common="10-send 50-netns-delete 71-rebinding 75-hostile"
not_rt="76-spoofed-answers 30-bad-input 80-natkeepd-register"
rt_only="40-rmmod-scale 51-teardown-under-traffic"

if [ $# -gt 0 ]; then
	kernels=("$@")
else
	mapfile -t kernels < <("$top/tests/kernels.sh" others)
fi
. "$top/tests/result.sh"
summary=()

if [ ${#kernels[@]} -eq 0 ]; then
	result 1 "no other kernel installed (make deps installs Debian 12's 6.12 and 6.12-rt)"
	result_summary
	exit
fi

make -s -C "$top" userspace ${WERROR:+WERROR=1} || result 1 "make userspace"
make -s -C "$top/tests/fuzz" nlfuzz || result 1 "make -C tests/fuzz nlfuzz"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/natkeep-kernels.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

for k in "${kernels[@]}"; do
	# shellcheck disable=SC2154 # tests/result.sh's counters
	start=$SECONDS p0=$passed f0=$failed
	rt=0
	grep -q '^CONFIG_PREEMPT_RT=y' "/boot/config-$k" 2>/dev/null && rt=1
	if [ -n "${NK_KERNEL_SCENARIOS:-}" ]; then
		list=$NK_KERNEL_SCENARIOS
	elif [ $rt = 1 ]; then
		list="$common $rt_only"
	else
		list="$common $not_rt"
	fi
	read -r -d '' -a scenarios <<<"$list"
	echo "=== kernel $k$([ $rt = 1 ] && echo ' (PREEMPT_RT)'): ${scenarios[*]}"

	# -Werror covers the compiler; modpost's warnings are read here.
	if ko=$("$top/tests/build-module.sh" "/usr/src/linux-headers-$k" "$tmp/build-$k" 2>"$tmp/make.log") &&
		! grep -qi 'warning' "$tmp/make.log"; then
		result 0 "natkeep.ko builds against $k with no warning"
	else
		result 1 "natkeep.ko builds against $k with no warning"
		sed 's/^/  /' "$tmp/make.log"
		summary+=("$(printf '%-28s build failed' "$k")")
		continue
	fi
	vermagic=$(modinfo -F vermagic "$ko")
	[ "${vermagic%% *}" = "$k" ]
	result $? "its vermagic names $k ($vermagic)"

	out=$tmp/out-$k
	(cd "$top" && tests/vm/run.sh -k "$k" -t 1800 -- \
		env NK_KO="$ko" tests/vm/scenarios/all.sh "${scenarios[@]}") |
		tee "$out"
	result_counts "$out" "${PIPESTATUS[0]}" "the VM on $k"
	summary+=("$(printf '%-28s %4d passed, %d failed (%d s)' "$k" \
		$((passed - p0)) $((failed - f0)) $((SECONDS - start)))")
done
echo "=== kernels"
printf '%s\n' "${summary[@]}"
result_summary

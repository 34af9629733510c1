#!/bin/bash
# The debug kernel VM tier: the module's VM scenarios under a kernel with
# KASAN, lockdep, DEBUG_ATOMIC_SLEEP, DEBUG_PREEMPT, debugobjects and
# kmemleak (tests/vm/debug-kernel.sh builds it once, cached).
#
#   tests/vm/debug.sh [-t TIMEOUT_S] [-m MEM] [-v] [-w] [SCENARIO...]
#
#   SCENARIO  scenario names (default: $NK_DEBUG_SCENARIOS, else the module's
#             hostile and teardown ones: 30-bad-input 50-netns-delete
#             76-spoofed-answers 78-nfqueue-reinject (75-hostile: 142 s
#             here, and 77-userns, several minutes: run alone); the timing
#             ones are the stock kernel's, 40-rmmod-scale's slab check
#             cannot hold under KASAN, whose quarantine keeps freed objects
#             a while, and 79-netlink-fuzz takes over 10 minutes here:
#             make fuzz runs it)
#   -t SECS   kill the VM after SECS seconds (default 5400)
#   -m MEM    guest memory (default: run.sh -D's, 2048M)
#   -v        the whole kernel console on stderr (run.sh -v)
#   -w        no panic_on_warn: a WARNING/KASAN report does not end the run
#             (run.sh -w); every scenario then reports, the log check fails
#
# Steps: get the debug kernel; build natkeep.ko against it from a copy of
# the module's sources (the files DKMS gets; kmod/'s own objects, built for
# Debian's kernel, stay untouched) in <kernel dir>/module, out of the tree;
# build the userspace programs (make userspace); boot the debug kernel
# (run.sh -D) and run tests/vm/debug-scenarios.sh there: each scenario with
# its kernel log checked (lockdep, KASAN, BUG, WARNING...), then kmemleak,
# which fails on a suspected leak from natkeep.
# Environment: WERROR=1 builds the module with -Werror (as `make check`);
# NK_DEBUG_KCFLAGS, extra compiler flags for the module's build (KCFLAGS);
# NK_FUZZ_MESSAGES, NK_FUZZ_LIVE, passed to the VM (79-netlink-fuzz's
# message count and live flows).
# The last line is "N passed, N failed"; exit status 0 only if all passed.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
start=$SECONDS

default_scenarios="30-bad-input 50-netns-delete 76-spoofed-answers 78-nfqueue-reinject"

log() { printf 'debug: %s\n' "$*" >&2; }
# Before the VM: a failure is one failed test, said as the other tiers do.
die() {
	log "error: $*"
	echo "FAIL: debug tier: $*"
	echo "0 passed, 1 failed"
	exit 1
}
usage() {
	sed -n '6,17p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

timeout_s=5400 run_args=()
while getopts t:m:vwh opt; do
	case $opt in
	t) timeout_s=$OPTARG ;;
	m) run_args+=(-m "$OPTARG") ;;
	v) run_args+=(-v) ;;
	w) run_args+=(-w) ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -gt 0 ]; then
	scenarios=("$@")
else
	read -r -a scenarios <<<"$(echo ${NK_DEBUG_SCENARIOS:-$default_scenarios})"
fi
for s in "${scenarios[@]}"; do
	s=${s%.sh}
	[ -f "$here/scenarios/$s.sh" ] || [ -f "$s.sh" ] || die "no scenario $s in $here/scenarios"
done

# --- the kernel
kdir=$("$here/debug-kernel.sh") || die "the debug kernel did not build (see above)"
krel=$(cat "$kdir/kernelrelease")
log "debug kernel $krel in $kdir (built in $(cat "$kdir/build-seconds")s)"

# --- the module, from a copy of its sources (Makefile's dkms-install set)
mod=$kdir/module
exec 8>"$kdir/.module.lock"
flock 8 # one module build at a time; the .ko is copied out for the run
log "building natkeep.ko against it in $mod"
t0=$SECONDS
mkdir -p "$mod/kmod/proto" "$mod/include/uapi/linux"
# Sources from an earlier build that are gone from the tree go here too;
# cp -p keeps the times, so make rebuilds only what changed.
find "$mod" \( -name '*.[ch]' -o -name Kbuild \) ! -name '*.mod.c' -delete
cp -p "$top/Kbuild" "$mod/"
cp -p "$top/kmod/Kbuild" "$top"/kmod/*.h "$mod/kmod/"
for f in "$top"/kmod/*.c; do
	case $f in *.mod.c) ;; *) cp -p "$f" "$mod/kmod/" ;; esac
done
cp -p "$top"/kmod/proto/*.c "$top"/kmod/proto/*.h "$mod/kmod/proto/"
cp -p "$top/include/uapi/linux/natkeep.h" "$mod/include/uapi/linux/"
rm -f "$mod/kmod/natkeep.ko"
make -C "$kdir/src" O="$kdir/obj" M="$mod" -j"$(nproc)" ${WERROR:+NATKEEP_WERROR=1} \
	${NK_DEBUG_KCFLAGS:+KCFLAGS="$NK_DEBUG_KCFLAGS"} modules >&2 ||
	die "natkeep.ko does not build against the debug kernel ($krel)"
[ -f "$mod/kmod/natkeep.ko" ] || die "no $mod/kmod/natkeep.ko after the build"
# The run's own copy, in a place the VM sees (not /run, not /var/tmp).
tmp=$(mktemp -d "${TMPDIR:-/tmp}/natkeep-debug.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp "$mod/kmod/natkeep.ko" "$tmp/natkeep.ko"
flock -u 8
log "natkeep.ko built in $((SECONDS - t0))s"

# --- the userspace programs (natkeepctl, nlfuzz...) the scenarios use
make -s -C "$top" userspace ${WERROR:+WERROR=1} >&2 || die "make userspace failed"
make -s -C "$top/tests/fuzz" nlfuzz >&2 || die "make -C tests/fuzz nlfuzz failed"

# --- the run
log "booting the debug kernel: ${scenarios[*]} (timeout ${timeout_s}s)"
out=$tmp/out
set +e
(cd "$top" && tests/vm/run.sh -D "$kdir" -t "$timeout_s" "${run_args[@]}" -- \
	env NK_KO="$tmp/natkeep.ko" ${NK_FUZZ_MESSAGES:+NK_FUZZ_MESSAGES="$NK_FUZZ_MESSAGES"} \
	${NK_FUZZ_LIVE:+NK_FUZZ_LIVE="$NK_FUZZ_LIVE"} \
	tests/vm/debug-scenarios.sh "${scenarios[@]}") |
	tee "$out"
rc=${PIPESTATUS[0]}
set -e

secs=$((SECONDS - start))
if grep -q '^debug-scenarios: done at uptime' "$out" &&
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1); then
	echo "debug: took ${secs}s ($((secs / 60)) min $((secs % 60)) s) in all"
	echo "$line"
	exit "$rc"
fi
# The VM died or timed out mid-run (a panic on a WARNING or KASAN report
# with panic_on_warn: run.sh printed the console's splat on stderr).
p=$(grep -c '^PASS: ' "$out" || true)
f=$(grep -c '^FAIL: ' "$out" || true)
echo "FAIL: debug tier: the VM did not finish the run (run.sh exit $rc: 124 timeout, 125 crash/panic; console: ${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/natkeep/vm/last-console.log)"
echo "debug: took ${secs}s ($((secs / 60)) min $((secs % 60)) s) in all"
echo "$p passed, $((f + 1)) failed"
exit 1

#!/bin/bash
# make bench: build, run every benchmark in one VM boot (the hook part in
# more; the relay part on the host), keep the results.
#
#   tests/bench/run.sh            results in tests/bench/results/<date>.json,
#                                 the table on stdout
#   UPDATE_README=1 tests/bench/run.sh    also the tables in
#                                 tests/bench/results/LATEST.md
#   tests/bench/run.sh --smoke    make check's tier: each benchmark for a
#                                 second or two, then only checks that the
#                                 numbers exist and are well formed
#   BENCH_ONLY=lateness,...       some benchmarks only (merged into the day's
#                                 results file)
#   BENCH_KO=/abs/path/natkeep.ko another build of the module (an older
#                                 commit's, to compare) with the tree's
#                                 tools; results in $TMPDIR, not merged
#   BENCH_REF=COMMIT              as BENCH_KO, with that commit's module
#                                 built here (e.g. BENCH_REF=HEAD~10); the
#                                 results name the commit
#   HOOK_BOOTS=N                  the hook part in N boots, pooled (3)
# The lateness part runs twice: on the default kernel and, in a boot of its
# own, on Debian's PREEMPT_RT kernel (part lateness_rt), with the module
# and nkprobe built against that kernel's headers.
set -euo pipefail
cd "$(dirname "$0")/../.."

smoke=0
[ "${1:-}" = --smoke ] && smoke=1
KDIR=${KDIR:-$(tests/kernels.sh kdir)}
KVER=$(basename "$(realpath "$KDIR")")
KVER=${KVER#linux-headers-}

make -s module KDIR="$KDIR" WERROR=1
make -s userspace WERROR=1
make -s -C tests/bench KDIR="$KDIR" WERROR=1

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The VM's parts: all of bench.py's, or BENCH_ONLY's but relay (host-side).
vm_only=
[ -n "${BENCH_ONLY:-}" ] && vm_only=$(echo ",$BENCH_ONLY," | sed 's/,relay,/,/g; s/^,*//; s/,*$//')
args=()
[ $smoke = 1 ] && args+=(--smoke)
[ -n "$vm_only" ] && args+=(--only "$vm_only")
envs=()
ko_label=${BENCH_KO:-} ko_suffix=ko
if [ -n "${BENCH_REF:-}" ]; then
	[ -z "${BENCH_KO:-}" ] || { echo "BENCH_REF and BENCH_KO: give one" >&2; exit 2; }
	ref=$(git rev-parse --verify -q "$BENCH_REF^{commit}") ||
		{ echo "BENCH_REF: $BENCH_REF: no such commit" >&2; exit 2; }
	mkdir "$work/ref"
	git archive "$ref" Kbuild Makefile kmod include | tar -x -C "$work/ref"
	make -s -C "$work/ref" module KDIR="$KDIR" ||
		{ echo "BENCH_REF: the module of $ref does not build" >&2; exit 2; }
	BENCH_KO=$work/ref/kmod/natkeep.ko
	ko_label="the module of commit $ref" ko_suffix=${ref:0:12}
fi
if [ -n "${BENCH_KO:-}" ]; then
	case $BENCH_KO in
	/*) [ -f "$BENCH_KO" ] || { echo "BENCH_KO: $BENCH_KO: no such file" >&2; exit 2; } ;;
	*) echo "BENCH_KO: $BENCH_KO: an absolute path, please" >&2; exit 2 ;;
	esac
	envs=(NATKEEP_BENCH_KO="$BENCH_KO")
fi
# The scale part's userspace sender at the hardware's own speed, before the
# VM boots (nothing else running): the table's estimate of natkeep's CPU on
# this hardware is made from it.
case ",${BENCH_ONLY:-scale}," in
*,scale,*)
	native_args=()
	[ $smoke = 1 ] && native_args+=(--smoke)
	python3 tests/bench/native.py "$work/native.json" "${native_args[@]}" ||
		echo "bench: native.py failed: no estimate at the hardware's speed" >&2
	;;
esac
# Part 6, natkeepd's relay, on the host before the VM boots (relay.py says
# why); merged into the VM's document below.
relay_wanted=0
case ",${BENCH_ONLY:-relay}," in
*,relay,*)
	relay_wanted=1
	relay_args=()
	[ $smoke = 1 ] && relay_args+=(--smoke)
	echo "bench: relay (on the host) ..." >&2
	python3 tests/bench/relay.py "${relay_args[@]}" >"$work/relay.json" ||
		echo "bench: relay.py failed" >&2
	;;
esac
# 3 GiB: 100 000 flows and their peers' sockets; an hour at most (the
# smoke takes 4-5 min: 15 at most, so that a hung VM fails make check in
# its time).
limit=3600
[ $smoke = 1 ] && limit=900
# vm_bench LIMIT OUT MARKS ARGS...: bench.py ARGS in one VM boot; its
# progress to stdout, its document to OUT (empty if it gave none); the VM's
# status. MARKS not empty: qemu counts the guest's instructions into that
# file (tests/bench/tcg/insn_marks.c; the hook part reads them).
vm_bench() {
	local limit=$1 out=$2 marks=$3 rc=0 plugin=()
	shift 3
	[ -n "$marks" ] && plugin=(-p "$PWD/tests/bench/tcg/insn_marks.so,out=$marks")
	tests/vm/run.sh -k "$vm_kver" -m 3072M -t "$limit" "${plugin[@]}" -- env "${envs[@]}" python3 tests/bench/bench.py "$@" \
		>"$work/out" || rc=$?
	grep -v '^NATKEEP-BENCH-JSON ' "$work/out" || true
	{ grep '^NATKEEP-BENCH-JSON ' "$work/out" || true; } | tail -n 1 | sed 's/^NATKEEP-BENCH-JSON //' >"$out"
	return $rc
}
vm_kver=$KVER
rc=0
# The instructions are counted in the boots that run the hook part alone
# (the plugin slows the guest by a quarter: not under the lateness part),
# and in the smoke, so that the counting does not rot.
marks1=
[ $smoke = 1 ] || [ "${BENCH_ONLY:-}" = hook ] && marks1=$work/marks1
if [ -n "${BENCH_ONLY:-}" ] && [ -z "$vm_only" ]; then
	echo '{"parts": {}, "errors": {}, "requested": [], "kernel": "-", "vcpus": 0,
		"cpu_model": "-", "accel": "-"}' >"$work/boot1.json"
else
	vm_bench $limit "$work/boot1.json" "$marks1" "${args[@]}" || rc=$?
fi
if [ ! -s "$work/boot1.json" ]; then
	echo "FAIL: bench: the VM gave no results (status $rc)"
	echo "0 passed, 1 failed"
	exit 1
fi
# The hook part's figure moves between boots by more than one boot's
# interval: HOOK_BOOTS boots in all (3 by default), pooled (hook.pool()).
boots=1
if [ $smoke = 0 ]; then
	case ",${BENCH_ONLY:-hook}," in
	*,hook,*) boots=${HOOK_BOOTS:-3} ;;
	esac
fi
for b in $(seq 2 "$boots"); do
	echo "bench: hook, boot $b of $boots" >&2
	vm_bench 900 "$work/boot$b.json" "$work/marks$b" --only hook || true
done
# The lateness part on PREEMPT_RT: softirqs are threads there.
rt_kver=
case ",${BENCH_ONLY:-lateness}," in
*,lateness,*)
	if [ -n "${BENCH_KO:-}" ]; then
		echo "bench: lateness_rt: not with BENCH_KO (a build for one kernel)" >&2
	else
		for k in $(tests/kernels.sh others); do
			if grep -q '^CONFIG_PREEMPT_RT=y' "/boot/config-$k" 2>/dev/null; then
				rt_kver=$k
			fi
		done
	fi
	;;
esac
if [ -n "$rt_kver" ]; then
	echo "bench: lateness on $rt_kver (PREEMPT_RT)" >&2
	rt_kdir=/usr/src/linux-headers-$rt_kver
	if rt_ko=$(tests/build-module.sh "$rt_kdir" "$work/rt-module") &&
		mkdir "$work/rt-probe" && cp tests/bench/probe/Kbuild tests/bench/probe/nkprobe.c "$work/rt-probe/" &&
		make -s -C "$rt_kdir" M="$work/rt-probe" KCFLAGS=-Werror modules; then
		rt_args=(--only lateness)
		[ $smoke = 1 ] && rt_args+=(--smoke)
		vm_kver=$rt_kver envs=(NATKEEP_BENCH_KO="$rt_ko" NATKEEP_BENCH_PROBE_KO="$work/rt-probe/nkprobe.ko")
		vm_bench $limit "$work/rt.json" "" "${rt_args[@]}" || true
	else
		echo "bench: lateness_rt: the module or nkprobe did not build for $rt_kver" >&2
	fi
fi
host_cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
python3 -c '
import json, os, sys
sys.path.insert(0, "tests/bench")
import hook
from benchlib import write_json
doc = json.load(open(sys.argv[7] + "/boot1.json"))
if "hook" in doc["parts"]:
    parts = [doc["parts"]["hook"]]
    for b in range(2, int(sys.argv[8]) + 1):
        try:
            parts.append(json.load(open("%s/boot%d.json" % (sys.argv[7], b)))["parts"]["hook"])
        except (ValueError, KeyError) as e:
            print("bench: hook: boot %d gave no figures (%s)" % (b, e), file=sys.stderr)
            parts.append(None)
    for b, part in enumerate(parts, 1):
        marks = "%s/marks%d" % (sys.argv[7], b)
        if part and os.path.exists(marks) and not hook.attach_insns(part, marks):
            print("bench: hook: boot %d: instructions not counted: %s" % (b, part["insn_error"]), file=sys.stderr)
    doc["parts"]["hook"] = hook.pool([p for p in parts if p])
doc.update(date=sys.argv[1], host_cpu_model=sys.argv[2], commit=sys.argv[3])
if sys.argv[5]:
    doc["bench_ko"] = sys.argv[5]
if "scale" in doc["parts"] and os.path.exists(sys.argv[6]):
    doc["parts"]["scale"]["native_userspace"] = json.load(open(sys.argv[6]))
if sys.argv[9] == "1":
    doc["requested"].append("relay")
    try:
        doc["parts"]["relay"] = json.load(open(sys.argv[7] + "/relay.json"))
    except (OSError, ValueError) as e:
        doc["errors"]["relay"] = "relay.py gave no figures (%s)" % e
if sys.argv[10]:
    doc["requested"].append("lateness_rt")
    try:
        rt = json.load(open(sys.argv[7] + "/rt.json"))
        part = rt["parts"]["lateness"]
        part["kernel"] = rt["kernel"]
        doc["parts"]["lateness_rt"] = part
    except (OSError, ValueError, KeyError) as e:
        doc["errors"]["lateness_rt"] = "no figures from %s (%s)" % (sys.argv[10], e)
# Each part knows what it measured: BENCH_ONLY merges parts of several runs.
for part in doc["parts"].values():
    part["commit"] = doc["commit"]
write_json(sys.argv[4], doc)
' "$(date -u +%Y-%m-%d)" "$host_cpu" "$commit" "$work/results.json" "$ko_label" \
	"$work/native.json" "$work" "$boots" "$relay_wanted" "$rt_kver"

if [ $smoke = 1 ]; then
	python3 tests/bench/report.py "$work/results.json" --check
	exit
fi
if [ -n "${BENCH_KO:-}" ]; then
	# Another build's figures stay out of the tree's results.
	out=${TMPDIR:-/tmp}/natkeep-bench-$(date -u +%Y-%m-%dT%H%M%S)-$ko_suffix.json
	cp "$work/results.json" "$out"
	echo "results (BENCH_KO, not the tree's): $out"
	python3 tests/bench/report.py "$out"
	exit
fi
mkdir -p tests/bench/results
out=tests/bench/results/$(date -u +%Y-%m-%d).json
# Some benchmarks only (BENCH_ONLY): the day's other results stay, or the
# latest day's; each part keeps the commit it was measured at.
python3 -c '
import glob, json, os, sys
sys.path.insert(0, "tests/bench")
from benchlib import write_json
new = json.load(open(sys.argv[1]))
older = sorted(glob.glob(os.path.join(os.path.dirname(sys.argv[2]), "*.json")))
if os.environ.get("BENCH_ONLY") and (os.path.exists(sys.argv[2]) or older):
    old = json.load(open(sys.argv[2] if os.path.exists(sys.argv[2]) else older[-1]))
    for part in old["parts"].values():
        part.setdefault("commit", old.get("commit", "?"))
    old["commit"] = new["commit"]
    old["date"] = new["date"]
    for name in new["requested"]:
        old["parts"].pop(name, None)
        old.setdefault("errors", {}).pop(name, None)
    old["parts"].update(new["parts"])
    old["errors"].update(new["errors"])
    old["requested"] = list(old["parts"]) + list(old["errors"])
    new = old
write_json(sys.argv[2], new)
' "$work/results.json" "$out"
echo "results: $out"
if [ "${UPDATE_README:-0}" = 1 ]; then
	python3 tests/bench/report.py "$out" --markdown tests/bench/results/LATEST.md
else
	python3 tests/bench/report.py "$out"
fi

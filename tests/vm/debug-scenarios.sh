#!/bin/bash
# The debug kernel tier's runner, inside the VM (tests/vm/debug.sh starts it):
# the given VM scenarios in order in this one boot, as scenarios/all.sh runs
# them all, each timed; then a kmemleak scan, which fails on any suspected
# leak whose allocation backtrace is natkeep's.
#
#   tests/vm/debug-scenarios.sh SCENARIO...
#
#   SCENARIO  a name in tests/vm/scenarios (10-send or 10-send.sh) or a path
#
# The kernel log is checked per scenario (lib.sh's dmesg_check) and once
# more over the whole run (anything between scenarios too).  kmemleak's
# backtraces name an unloaded module's functions by address only: an insmod
# wrapper (first in PATH) records where each natkeep load landed, and its
# frames are named here from the .ko's symbols, "[natkeep, unloaded]".
# A check that fails under the debug kernel because of what that kernel is
# (KASAN's quarantine...), not because of a bug, is expected to: see xfails
# below.  It shows as XFAIL and counts as passed if it was the scenario's
# only kind of failure.
# Environment: NK_KO (the module; see natkeep.sh), NK_KMEMLEAK_PAUSE (seconds
# between the two final scans, default 5), NK_DEBUG_XFAIL (more expected
# failures, one a line, as in xfails).
# Ends with a table of the scenarios' results and times, then the sum as
# "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ $# -eq 0 ]; then
	sed -n '7,9p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
fi
scripts=()
for s in "$@"; do
	case $s in
	*/*) f=$s ;;
	*.sh) f=$here/scenarios/$s ;;
	*) f=$here/scenarios/$s.sh ;;
	esac
	[ -f "$f" ] || { echo "debug-scenarios: no scenario $s ($f)"; echo "0 passed, 1 failed"; exit 1; }
	scripts+=("$f")
done

now() { cut -d' ' -f1 /proc/uptime; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.1f", a - b }'; }
echo "debug-scenarios: kernel $(uname -r), job started at uptime $(now) s," \
	"$(awk '$1 == "MemTotal:" { printf "%d MiB", $2 / 1024 }' /proc/meminfo) of memory"

# --- kmemleak ready; boot-time suspects reported and cleared first
kmemleak=/sys/kernel/debug/kmemleak
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
if [ ! -w "$kmemleak" ]; then
	echo "FAIL: no $kmemleak: not a debug kernel with kmemleak (or it disabled itself; see dmesg)"
	echo "0 passed, 1 failed"
	exit 1
fi
t0=$(now)
echo scan >"$kmemleak"
boot_suspects=$(grep -c '^unreferenced object' "$kmemleak")
echo clear >"$kmemleak"
echo "debug-scenarios: kmemleak: $boot_suspects suspects from the boot, cleared (scan took $(since "$t0")s)"

# --- where natkeep lands at each insmod: PATH's first insmod is a wrapper
work=$(mktemp -d /tmp/natkeep-debug.XXXXXX)
loads=$work/loads
: >"$loads"
real_insmod=$(command -v insmod) || { echo "FAIL: no insmod"; echo "0 passed, 1 failed"; exit 1; }
mkdir "$work/bin"
cat >"$work/bin/insmod" <<EOF
#!/bin/bash
# debug-scenarios.sh: insmod, then where natkeep landed, for kmemleak.
$real_insmod "\$@"
rc=\$?
if [ \$rc = 0 ] && [ -r /sys/module/natkeep/sections/.text ]; then
	# base size .text-address module-file
	echo "\$(awk '\$1 == "natkeep" { print \$6, \$2 }' /proc/modules) \$(cat /sys/module/natkeep/sections/.text) \$1" >>$loads
fi
exit \$rc
EOF
chmod +x "$work/bin/insmod"
export PATH=$work/bin:$PATH

# Expected failures under the debug kernel: "SCENARIO::ERE::why", the ERE
# matching the scenario's "FAIL: ..." line.
xfails=(
	"40-rmmod-scale::^FAIL: Slab back to within 1 MB of before the module::KASAN's quarantine keeps freed objects (the flood's skbs) in Slab after rmmod; kmemleak judges leaks here"
)
if [ -n "${NK_DEBUG_XFAIL:-}" ]; then
	mapfile -t -O ${#xfails[@]} xfails <<<"$NK_DEBUG_XFAIL"
fi
# How many of OUT's FAIL lines are expected for scenario NAME (XFAIL lines
# on stderr).
xfail_count() {
	local name=$1 out=$2 line x sc re why n=0
	while IFS= read -r line; do
		for x in "${xfails[@]}"; do
			sc=${x%%::*} re=${x#*::}
			why=${re#*::} re=${re%%::*}
			if [ "$sc" = "$name" ] && [[ $line =~ $re ]]; then
				echo "XFAIL: ${line#FAIL: } (expected under the debug kernel: $why)" >&2
				n=$((n + 1))
				break
			fi
		done
	done < <(grep '^FAIL: ' "$out")
	echo $n
}

# The run's own checks (kernel log over the whole run, kmemleak) go through
# lib.sh, whose mark is now; natkeep.sh adds its kernel log patterns.
. "$here/lib.sh"
. "$here/natkeep.sh"

# --- the scenarios, as scenarios/all.sh runs them
passed=0 failed=0 table=()
for s in "${scripts[@]}"; do
	name=$(basename "$s" .sh)
	echo "--- $name.sh"
	out=$work/out
	t0=$(now)
	bash "$s" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	secs=$(since "$t0")
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out" | tail -n 1)
	p=${line%% passed*} f=${line#*passed, }
	f=${f%% failed*}
	[ -n "$line" ] || p=0 f=0
	x=$(xfail_count "$name" "$out")
	status=ok
	if [ "$f" -gt 0 ] && [ "$x" = "$f" ]; then
		p=$((p + x)) f=0 rc=0 status="ok, $x xfail"
	fi
	if [ "$rc" != 0 ] && [ "$f" = 0 ]; then
		echo "FAIL: $name.sh exited with status $rc"
		f=1
	fi
	echo "time: $name.sh took ${secs}s"
	passed=$((passed + p)) failed=$((failed + f))
	[ "$f" = 0 ] || status=FAIL
	table+=("$(printf '%-20s %-11s %4d passed, %d failed  %7.1fs' "$name" "$status" "$p" "$f" "$secs")")
	# A scenario that left the module loaded would spoil the next one.
	rmmod natkeep 2>/dev/null && echo "note: $name.sh left natkeep loaded"
done

# --- the whole run's kernel log, then kmemleak
echo "--- debug checks"
dmesg_check
# Lockdep switches itself off at its first report, the boot's included
# (before this job's log mark): it must still be on after the scenarios.
check "lockdep still on after the boot and the scenarios (debug_locks 1)" \
	grep -Eq '^ *debug_locks: +1$' /proc/lockdep_stats

# Symbolize an unloaded natkeep's frames from the loads recorded above
# (stdin to stdout).
nk_symbolize() {
	python3 -c "$symbolize_py" "$loads"
}
read -r -d '' symbolize_py <<'PY'
import re, subprocess, sys

loads = []      # (base, size, text_addr, ko)
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) == 4:
        loads.append((int(f[0], 16), int(f[1]), int(f[2], 16), f[3]))

syms = {}       # ko -> sorted [(offset in .text, size, name)]
def text_syms(ko):
    if ko not in syms:
        out = subprocess.run(["readelf", "-SsW", ko], capture_output=True, text=True).stdout
        m = re.search(r"\[\s*(\d+)\]\s+\.text\s", out)
        ndx = m.group(1) if m else None
        lst = []
        for l in out.splitlines():
            f = l.split()
            if len(f) >= 8 and f[3] == "FUNC" and f[6] == ndx:
                lst.append((int(f[1], 16), int(f[2]), f[7]))
        syms[ko] = sorted(lst)
    return syms[ko]

def name(addr):
    for base, size, text, ko in reversed(loads):
        if base <= addr < base + size:
            best = None
            for off, sz, n in text_syms(ko):
                if off <= addr - text:
                    best = (off, sz, n)
            if best and addr - text < best[0] + max(best[1], 1):
                return "%s+0x%x/0x%x [natkeep, unloaded]" % (best[2], addr - text - best[0], best[1])
            return "[natkeep, unloaded]"
    return None

for line in sys.stdin:
    line = line.rstrip("\n")
    m = re.search(r"\] (0x[0-9a-f]+)$", line)
    if m:
        n = name(int(m.group(1), 16))
        if n:
            line = line[: m.start(1)] + n
    print(line)
PY

t0=$(now)
echo scan >"$kmemleak"
sleep "${NK_KMEMLEAK_PAUSE:-5}"
echo scan >"$kmemleak"
scan_secs=$(since "$t0")
report=$work/kmemleak
nk_symbolize <"$kmemleak" >"$report"
# One suspect a paragraph: "unreferenced object ..." up to the next.
# natkeep's go to natkeep-leaks, the first two others to other-leaks.
awk -v nk="$work/natkeep-leaks" -v other="$work/other-leaks" '
	function flush() {
		if (hit) { printf "%s", rec >nk; n++ }
		else if (rec != "" && o++ < 2) printf "%s", rec >other
	}
	/^unreferenced object/ { flush(); rec = ""; hit = 0 }
	{ rec = rec $0 "\n" }
	/^ *\[<.*natkeep/ { hit = 1 }	# a backtrace line, not the hex dump
	END { flush(); print n + 0 }' "$report" >"$work/natkeep-count"
suspects=$(grep -c '^unreferenced object' "$report")
nk_leaks=$(cat "$work/natkeep-count")
echo "kmemleak: $suspects suspects after the scenarios (two scans, ${scan_secs}s), $nk_leaks with natkeep in the backtrace"
if [ "$nk_leaks" = 0 ]; then
	pass "kmemleak: no suspected leak allocated by natkeep"
else
	fail "kmemleak: $nk_leaks suspected leaks allocated by natkeep:"
	sed 's/^/  | /' "$work/natkeep-leaks" | head -n 200
fi
if [ "$suspects" -gt "$nk_leaks" ]; then
	echo "note: $((suspects - nk_leaks)) other suspects (not natkeep's: the kernel's own); the first:"
	sed 's/^/  | /' "$work/other-leaks" | head -n 60
fi
passed=$((passed + PASS_COUNT)) failed=$((failed + FAIL_COUNT))

echo "--- results under the debug kernel"
printf '%s\n' "${table[@]}"
printf '%-20s %-11s %4d passed, %d failed\n' "debug checks" "$([ "$FAIL_COUNT" = 0 ] && echo ok || echo FAIL)" "$PASS_COUNT" "$FAIL_COUNT"
echo "debug-scenarios: done at uptime $(now) s"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

#!/bin/bash
# More sends asked for than the CPUs can make: 5 000 flows every 10 ms, not
# randomised (500 000 sends a second; the VM makes tens of thousands).
# natkeep serves what it can and leaves the rest of each CPU to everything
# else: over 30 s no soft lockup or RCU stall (the watchdog names a CPU that
# has not scheduled for 20 s; the kernel log check catches it), a userspace
# loop never stops for long, netlink answers, the sends go on, and the
# module unloads in the middle of it.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"

N=5000
dummy_ns over 10.6.0.2/16

check "module loads with max_flows=$N" nk_load max_flows=$N
# A SCHED_OTHER loop on every CPU, noting the longest time it went unserved,
# until the stop file appears.
for cpu in $(seq 0 $(($(nproc) - 1))); do
	taskset -c "$cpu" python3 -c '
import os, sys, time
last = time.monotonic()
worst, n = 0.0, 0
while n % 4096 or not os.path.exists(sys.argv[1]):
    now = time.monotonic()
    worst = max(worst, now - last)
    last = now
    n += 1
print("%.3f" % worst)' "$NK_TMP/stop" >"$NK_TMP/gap$cpu" &
done
check "$N flows every 10 ms, not randomised, created" \
	bash -c '[ "$(ip netns exec over python3 "$1" bulk-add '$N' 10.6.0.2 10000 10.6.0.1:5060 10)" = '$N' ]' \
	_ "$NK_VM/nkraw.py"
sleep 5
in_ns over "$NK_CTL" -j stats >"$NK_TMP/stats1.json"
sleep 25
check "netlink answers while overloaded (stats)" \
	bash -c 'timeout 30 ip netns exec over "$1" -j stats >"$2"' \
	_ "$NK_CTL" "$NK_TMP/stats2.json"
check "the sends go on" python3 -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
print("  sent %d in 25 s" % (b["tx_packets"] - a["tx_packets"]))
sys.exit(0 if b["tx_packets"] > a["tx_packets"] + 1000 else 1)' \
	"$NK_TMP/stats1.json" "$NK_TMP/stats2.json"
check "rmmod while overloaded" nk_unload
touch "$NK_TMP/stop"
wait
for cpu in $(seq 0 $(($(nproc) - 1))); do
	gap=$(cat "$NK_TMP/gap$cpu")
	echo "  CPU $cpu: a userspace loop went $gap s at most without the CPU"
	# A livelocked CPU gives its tasks nothing for as long as it lasts.
	check "userspace on CPU $cpu never waited 5 s" \
		python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < 5 else 1)' "$gap"
done

summary

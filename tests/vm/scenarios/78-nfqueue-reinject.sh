#!/bin/bash
# An inline IPS on the gateway (Suricata, Snort in NFQ mode): an nft queue
# rule in an input chain before natkeep's hook hands the SIP answers to a
# userspace verdict loop, which hands them back with nf_reinject(). Linux
# 6.1 then runs natkeep's hook in that process, with softirqs enabled,
# while the flows' timers fire on the same CPU, 800 times a second. No
# lockup, no lockdep or preemption report, and the answers are still
# matched.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"

FLOWS=16
SECONDS_RUN=15
ns_create gw
ns_create srv
veth_pair gw eth0 10.8.0.2/24 srv eth0 10.8.0.1/24
check "kamailio on 10.8.0.1:5060" peer_kamailio srv 10.8.0.1 5060
check "module loads" nk_load

in_ns gw nft -f - <<EOF
table inet ips {
	chain in {
		type filter hook input priority 0;
		udp sport 5060 counter queue num 0
	}
}
EOF
in_ns gw taskset -c 0 python3 "$NK_VM/nfqueue_verdict.py" -q 0 --cpu 0 \
	-f "$NK_TMP/verdicts" --ready "$NK_TMP/ips.ready" 2>"$NK_TMP/ips.log" &
cleanup_add "kill $! 2>/dev/null"
check "the verdict loop is bound to queue 0, on CPU 0" wait_for 10 test -e "$NK_TMP/ips.ready"

# Flows made on CPU 0 have their timer there, as the verdict loop.
for i in $(seq 0 $((FLOWS - 1))); do
	echo "flow add local 10.8.0.2:$((5100 + 2 * i)) remote 10.8.0.1:5060 interval 20 type options from-user alice misses 255"
done >"$NK_TMP/flows.batch"
check "$FLOWS OPTIONS flows every 20 ms, made on CPU 0" \
	in_ns gw taskset -c 0 "$NK_CTL" -b "$NK_TMP/flows.batch"
responses() {
	in_ns gw "$NK_CTL" -j flow show | python3 -c 'import json, sys
print(sum(f["stats"]["rx_responses"] for f in json.load(sys.stdin)))'
}
sleep "$SECONDS_RUN"
verdicts=$(cat "$NK_TMP/verdicts" 2>/dev/null || echo 0)
r1=$(responses)
echo "  after ${SECONDS_RUN} s: $verdicts verdicts, $r1 answers matched"
check "the answers went through the queue (over 1000 verdicts)" test "$verdicts" -gt 1000
check "and were matched after their reinjection (over 1000)" test "$r1" -gt 1000
sleep 2
check "still matched: the hook and the timers go on" test "$(responses)" -gt "$r1"
check "every flow is answered" python3 -c '
import json, subprocess, sys
flows = json.loads(subprocess.run(["ip", "netns", "exec", "gw", sys.argv[1], "-j", "flow", "show"],
                                  capture_output=True, text=True).stdout)
sys.exit(0 if len(flows) == int(sys.argv[2]) and all(f["stats"]["rx_responses"] for f in flows) else 1)' "$NK_CTL" $FLOWS
check "flows deleted" in_ns gw bash -c "for i in \$(seq 1 $FLOWS); do $NK_CTL flow del id \$i || exit 1; done"
check "module unloads" nk_unload

summary

#!/bin/bash
# An inline IPS on the gateway (Suricata, Snort in NFQ mode): an nft queue
# rule in an input chain before natkeep's hook hands the SIP answers to a
# userspace verdict loop, which hands them back with nf_reinject(). Linux
# 6.1 then runs natkeep's hook in that process, with softirqs enabled,
# while the flows' timers fire on the same CPU, 800 times a second. No
# lockup, no lockdep or preemption report, and the answers are still
# matched. (The module before it locked up CPU 0 in nk_peer_check_timeout()
# within seconds: the tasklet spun on the peer lock the verdict process
# held.)
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"

FLOWS=16
SECONDS_RUN=15
# The debug kernel's verdict loop turns about 360 packets a second: at
# 20 ms the queue would back up until every answer came too late for its
# request. Lockdep needs no load to see a lock taken with softirqs on.
FAST_MS=20
nk_debug_kernel && FAST_MS=100
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

# Flows made on CPU 0 have their timer there, as the verdict loop: 16
# every $FAST_MS ms keep it busy; 4 every second, whose answers come back
# through the queue well within their timeout even under the debug
# kernel, show that answers are still matched.
{
	for i in $(seq 0 $((FLOWS - 1))); do
		echo "flow add local 10.8.0.2:$((5100 + 2 * i)) remote 10.8.0.1:5060 interval $FAST_MS type options from-user alice misses 255"
	done
	for i in 1 2 3 4; do
		echo "flow add local 10.8.0.2:$((5200 + 2 * i)) remote 10.8.0.1:5060 interval 1000 type options from-user bob misses 255"
	done
} >"$NK_TMP/flows.batch"
check "$FLOWS OPTIONS flows every $FAST_MS ms and 4 every second, made on CPU 0" \
	in_ns gw taskset -c 0 "$NK_CTL" -b "$NK_TMP/flows.batch"
# The slow flows answered (and mapped: no NAT, so to their own address).
answered() {
	in_ns gw "$NK_CTL" -j flow show | python3 -c 'import json, sys
flows = [f for f in json.load(sys.stdin) if f["interval_ms"] == 1000]
print(sum(1 for f in flows if f["stats"]["rx_responses"] >= int(sys.argv[1])
          and f["mapping"] and f["mapping"]["source"] == "via"))' "$1"
}
verdicts() {
	cat "$NK_TMP/verdicts" 2>/dev/null || echo 0
}
sleep "$SECONDS_RUN"
v1=$(verdicts)
echo "  after ${SECONDS_RUN} s: $v1 verdicts; slow flows answered 5 times and mapped: $(answered 5)"
check "the answers went through the queue (over 1000 verdicts)" test "$v1" -gt 1000
check "the slow flows' answers were matched after their reinjection" test "$(answered 5)" = 4
sleep 2
check "still going: the hook, the verdicts and the timers" test "$(verdicts)" -gt "$v1"
check "flows deleted" in_ns gw bash -c "for i in \$(seq 1 $((FLOWS + 4))); do $NK_CTL flow del id \$i || exit 1; done"
check "module unloads" nk_unload

summary

#!/bin/bash
# A NAT rebinding while STUN keep-alives run: the NAT starts using another
# outside port for the SIP socket's mapping (a new port range and a flush:
# nk_nat_ports). MAPPING_CHANGED must arrive within
# one keep-alive interval plus the round trip, with the right old and new
# values (the new one as conntrack shows it); before that, over many
# intervals, no event at all. A Via-learned mapping follows the same rules.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"

INTERVAL_MS=1000
nk_nat_topology
check "STUN server (coturn) on 10.3.0.2:3478" peer_stun srv 10.3.0.2 3478
check "module loads" nk_load
nk_events gw "$NK_TMP/events.json"
in_ns gw "$NK_CTL" monitor >"$NK_TMP/monitor.txt" 2>&1 &

check "flow add: stun every $INTERVAL_MS ms" \
	in_ns gw "$NK_CTL" flow add local 10.2.0.2:5060 remote 10.3.0.2:3478 interval $INTERVAL_MS type stun
mapping_events() { nk_event_count "$NK_TMP/events.json" 'e["event"] == "mapping"'; }
check "the first mapping arrives" wait_for 5 bash -c "[ \$($(declare -f nk_event_count mapping_events); NK_TMP=$NK_TMP; mapping_events) -ge 1 ]"
old=$(nk_flow_json gw 1 'f["mapping"]["text"]')
echo "  first mapping: $old"

sleep 10
check "stable NAT: no further event over 10 intervals" test "$(mapping_events)" = 1

# The rebinding: outside ports 30000-30099 from now on.
nk_nat_ports 30000-30099
# A request sent while conntrack -F runs (hundreds of ms under TCG) may
# still use the old mapping: the NAT has rebound once the flush is over.
t0=$NK_NAT_FLUSHED_NS
echo "  the flush took $(((NK_NAT_FLUSHED_NS - NK_NAT_FLUSH_NS) / 1000000)) ms"
check "MAPPING_CHANGED after the rebinding" \
	wait_for 5 bash -c "[ \$($(declare -f nk_event_count mapping_events); NK_TMP=$NK_TMP; mapping_events) -ge 2 ]"
new_port=$(nk_nat_port nat 5060 10.3.0.2 3478)
new="10.3.0.1:$new_port"
python3 - "$NK_TMP/events.json" "$t0" >"$NK_TMP/change.txt" <<'PY'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1]) if '"mapping"' in l]
e = [e for e in events if e["event"] == "mapping"][1]
print(e["old_mapping"], e["mapping"], e["mapping_source"], (e["t_ns"] - int(sys.argv[2])) / 1e6)
PY
read -r ev_old ev_new ev_source ev_ms <"$NK_TMP/change.txt"
echo "  change: $ev_old -> $ev_new ($ev_source) ${ev_ms} ms after the rebinding; conntrack: $new"
check "the event's old mapping is the first one ($old)" test "$ev_old" = "$old"
check "the event's new mapping is conntrack's new one ($new)" test "$ev_new" = "$new"
check "told by STUN" test "$ev_source" = stun
# One interval plus the round trip from the end of the flush, plus the
# recorder's latency (processes are slow under TCG). Not before the
# flush began: the table may be empty before conntrack -F returns (once
# the event came 22 ms before its end).
rtt_ms=$(nk_flow_json gw 1 'f["stats"]["rtt_smoothed_ns"] / 1e6')
flush_ms=$(((NK_NAT_FLUSHED_NS - NK_NAT_FLUSH_NS) / 1000000))
check "within one interval ($INTERVAL_MS ms) plus RTT ($rtt_ms ms) of the flush's end, not before it began (took ${ev_ms} ms)" \
	python3 -c "import sys; sys.exit(not -$flush_ms - 1 <= float('$ev_ms') <= $INTERVAL_MS + float('$rtt_ms') + 300)"
check "flow show: mapping $new, one change counted" \
	nk_flow_json gw 1 '(f["mapping"]["text"] == "'"$new"'" and f["stats"]["mapping_changes"] == 1) or exit(1)'
sleep 5
check "stable again: no further event over 5 intervals" test "$(mapping_events)" = 2
check "natkeepctl monitor printed the change" grep -q "^mapping flow 1 $old -> $new (stun)" "$NK_TMP/monitor.txt"

summary

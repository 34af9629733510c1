#!/bin/bash
# SIP keep-alives (OPTIONS, NOTIFY, a custom PING) answered by real SIP
# servers (kamailio, and sipp as a UAS): the module matches the answers to
# its requests (Call-ID and CSeq) and reports the round trip. When kamailio
# stops answering, each of its flows reports PEER_UNRESPONSIVE once, after
# exactly the miss limit, while the flow to sipp stays quiet; when it
# answers again, PEER_RESPONSIVE.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"

MISSES=3
ns_create gw
ns_create srv
veth_pair gw eth0 10.4.0.2/24 srv eth0 10.4.0.1/24
check "kamailio on 10.4.0.1:5060" peer_kamailio srv 10.4.0.1 5060
check "sipp UAS on 10.4.0.1:5070" peer_sipp_uas srv 10.4.0.1 5070
check "module loads" nk_load
nk_events gw "$NK_TMP/events.json"

add() { in_ns gw "$NK_CTL" flow add interval 400 timeout 300 misses $MISSES from-user alice host natkeep.test "$@"; }
check "flow 1: OPTIONS to kamailio" add local 10.4.0.2:5060 remote 10.4.0.1:5060 type options
check "flow 2: NOTIFY (Event: keep-alive) to kamailio" add local 10.4.0.2:5062 remote 10.4.0.1:5060 type notify user-agent "natkeep test"
check "flow 3: custom mtd=PING;user=bob to kamailio" add local 10.4.0.2:5064 remote 10.4.0.1:5060 type custom spec "mtd=PING;user=bob"
check "flow 4: OPTIONS to sipp" add local 10.4.0.2:5066 remote 10.4.0.1:5070 type options
sleep 4

for id in 1 2 3 4; do
	check "flow $id: answered, RTT measured, responsive, no misses" \
		nk_flow_json gw $id '(f["stats"]["rx_responses"] >= 5 and f["stats"]["rtt_last_ns"] > 0 and f["stats"]["rtt_smoothed_ns"] > 0 and f["peer_responsive"] and f["stats"]["misses_total"] == 0) or exit(1)'
done
check "no liveness event while all answer" \
	test "$(nk_event_count "$NK_TMP/events.json" 'e["event"] in ("unresponsive", "responsive")')" = 0

check "kamailio stops answering" peer_kamailio_mode srv drop
unresponsive() { nk_event_count "$NK_TMP/events.json" 'e["event"] == "unresponsive"'; }
check "PEER_UNRESPONSIVE for kamailio's three flows" \
	wait_for 10 bash -c "[ \$($(declare -f nk_event_count unresponsive); NK_TMP=$NK_TMP; unresponsive) -ge 3 ]"
sleep 2
check "exactly once each, for flows 1, 2 and 3, none for sipp's flow 4" \
	test "$(python3 -c '
import json, sys
print(sorted(e["id"] for e in map(json.loads, open(sys.argv[1])) if e["event"] == "unresponsive"))' "$NK_TMP/events.json")" = "[1, 2, 3]"
check "each after exactly $MISSES misses in a row" \
	test "$(nk_event_count "$NK_TMP/events.json" 'e["event"] == "unresponsive" and e["misses"] == '$MISSES)" = 3
check "flow show: flow 1 unresponsive, still counting misses" \
	nk_flow_json gw 1 '(f["peer_responsive"] is False and f["stats"]["misses"] > '$MISSES') or exit(1)'
check "flow 4 (sipp) still responsive" nk_flow_json gw 4 '(f["peer_responsive"] and f["stats"]["misses_total"] == 0) or exit(1)'

check "kamailio answers again" peer_kamailio_mode srv normal
responsive() { nk_event_count "$NK_TMP/events.json" 'e["event"] == "responsive"'; }
check "PEER_RESPONSIVE for flows 1, 2 and 3" \
	wait_for 10 bash -c "[ \$($(declare -f nk_event_count responsive); NK_TMP=$NK_TMP; responsive) -ge 3 ]"
sleep 1
check "once each, with the misses reset" \
	test "$(nk_event_count "$NK_TMP/events.json" 'e["event"] == "responsive" and e["misses"] == 0')" = 3
check "flow show: flow 2 responsive again" nk_flow_json gw 2 'f["peer_responsive"] or exit(1)'

summary

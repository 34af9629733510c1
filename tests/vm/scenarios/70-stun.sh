#!/bin/bash
# STUN keep-alives through an nftables masquerade NAT to a real STUN server
# (coturn): the module learns the public mapping the NAT gave the SIP
# socket's port (the NAT's outside address and the port conntrack shows),
# reports it once, consumes the STUN answers (the SIP socket bound to the
# same port never sees them), and tracks the round trip. IPv6 with
# FINGERPRINT, without NAT, learns the gateway's own address.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"

nk_nat_topology
check "STUN server (coturn) on 10.3.0.2:3478" peer_stun srv 10.3.0.2 3478
check "STUN server (coturn) on [fd00:7::1]:3478" peer_stun srv fd00:7::1 3478
check "module loads" nk_load
nk_events gw "$NK_TMP/events.json"
in_ns gw "$NK_CTL" monitor >"$NK_TMP/monitor.txt" 2>&1 &

# The SIP socket: bound to the flow's port, registered with a sink, kept open.
nk_sink srv 10.3.0.2 5060 "$NK_TMP/registrar.log" sip
in_ns gw python3 "$NK_VM/sip_phone.py" 0.0.0.0 5060 10.3.0.2 5060 30 "$NK_TMP/phone.log" &
wait_for 10 test -e "$NK_TMP/phone.log.ready"

check "flow add: stun every 500 ms to 10.3.0.2:3478" \
	in_ns gw "$NK_CTL" flow add local 10.2.0.2:5060 remote 10.3.0.2:3478 interval 500 type stun
check "flow add: stun with fingerprint, IPv6" \
	in_ns gw "$NK_CTL" flow add local [fd00:7::2]:5062 remote [fd00:7::1]:3478 interval 500 type stun fingerprint
check "a mapping is learned within 5 s" \
	wait_for 5 bash -c "[ \"\$(ip netns exec gw $NK_CTL -j flow show id 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)[0][\"mapping\"] is not None)')\" = True ]"

public=$(nk_flow_json gw 1 'f["mapping"]["text"]')
nat_port=$(nk_nat_port nat 5060 10.3.0.2 3478)
check "the mapping ($public) is the NAT's outside address and conntrack's port ($nat_port)" \
	test "$public" = "10.3.0.1:$nat_port"
check "the mapping came from STUN" test "$(nk_flow_json gw 1 'f["mapping"]["source"]')" = stun
check "the NAT gave a port from its range, not the SIP socket's own" \
	test "$nat_port" -ge 20000 -a "$nat_port" -le 20099

sleep 5
check "one mapping event for flow 1, the first (no old mapping), over 10 intervals" \
	test "$(nk_event_count "$NK_TMP/events.json" 'e["event"] == "mapping" and e["id"] == 1')" = 1
check "that event tells $public, from STUN" \
	test "$(nk_event_count "$NK_TMP/events.json" 'e["event"] == "mapping" and e["id"] == 1 and e["mapping"] == "'"$public"'" and e["old_mapping"] is None and e["mapping_source"] == "stun"')" = 1
check "no mapping change counted" test "$(nk_flow_json gw 1 'f["stats"]["mapping_changes"]')" = 0
check "every request answered but the one in flight, RTT measured, peer responsive" \
	nk_flow_json gw 1 '(f["stats"]["rx_responses"] >= f["stats"]["tx_packets"] - 1 > 8 and f["stats"]["rtt_last_ns"] > 0 and f["peer_responsive"] and f["stats"]["misses_total"] == 0) or exit(1)'
check "the SIP socket got its REGISTER answer" \
	grep -q " $(printf 'SIP/2.0 200 OK' | od -An -tx1 | tr -d ' \n')" "$NK_TMP/phone.log"
check "the SIP socket got none of the STUN answers (the module consumed them)" \
	bash -c '! grep -q " 0101" "$1"' _ "$NK_TMP/phone.log"

public6=$(nk_flow_json gw 2 'f["mapping"] and f["mapping"]["text"]')
check "IPv6 with FINGERPRINT: mapping [fd00:7::2]:5062, answers counted" \
	bash -c '[ "$1" = "[fd00:7::2]:5062" ] && [ "$(ip netns exec gw "$2" -j flow show id 2 | python3 -c "import json,sys; print(json.load(sys.stdin)[0][\"stats\"][\"rx_responses\"] > 5)")" = True ]' \
	_ "$public6" "$NK_CTL"
check "natkeepctl monitor printed the first mapping" \
	grep -q "^mapping flow 1 (none) -> $public (stun)" "$NK_TMP/monitor.txt"

summary

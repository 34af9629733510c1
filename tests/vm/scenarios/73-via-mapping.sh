#!/bin/bash
# The public mapping from SIP responses: kamailio, reached through the NAT,
# answers with received= and rport= in the top Via. A keep-alive flow shares
# its port with a SIP client that REGISTERs (with digest auth): the module
# reads the mapping from the client's responses, and the client still gets
# every one of them (401, then 200). An OPTIONS flow learns its mapping from
# the answers to its own requests. Both agree with conntrack and with the
# binding kamailio stored.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"

nk_nat_topology
check "kamailio on 10.3.0.2:5060" peer_kamailio srv 10.3.0.2 5060
check "module loads" nk_load
nk_events gw "$NK_TMP/events.json"

check "flow 1: keep-alive from 10.2.0.2:5060, the SIP client's port" \
	in_ns gw "$NK_CTL" flow add local 10.2.0.2:5060 remote 10.3.0.2:5060 interval 1000 type keep-alive
check "the SIP client registers from 10.2.0.2:5060 (401, then 200)" \
	bash -c 'ip netns exec gw python3 "$1" -b 10.2.0.2 -s 5060 -m REGISTER -u alice -p secret \
		--expect 200 10.3.0.2 5060 >"$2"' _ "$NK_PEERS/sip_client.py" "$NK_TMP/register.txt"
sed 's/^/  | /' "$NK_TMP/register.txt"
received=$(sed -n 's/^received: //p' "$NK_TMP/register.txt")
rport=$(sed -n 's/^rport: //p' "$NK_TMP/register.txt")
nat_port=$(nk_nat_port nat 5060 10.3.0.2 5060)
check "kamailio's Via says received=10.3.0.1 rport=$nat_port (the NAT's mapping)" \
	test "$received:$rport" = "10.3.0.1:$nat_port"
check "flow 1's mapping is that, from the Via" \
	nk_flow_json gw 1 '(f["mapping"]["text"] == "10.3.0.1:'"$nat_port"'" and f["mapping"]["source"] == "via") or exit(1)'
check "one mapping event for flow 1, from the Via" \
	test "$(nk_event_count "$NK_TMP/events.json" 'e["event"] == "mapping" and e["id"] == 1 and e["mapping"] == "10.3.0.1:'"$nat_port"'" and e["mapping_source"] == "via"')" = 1
peer_kamailio_bindings srv >"$NK_TMP/bindings.txt"
sed "s/^/  | /" "$NK_TMP/bindings.txt"
check "kamailio stored the same address as the binding's received" \
	grep -q "^alice sip:alice@10.2.0.2:5060 sip:10.3.0.1:$nat_port " "$NK_TMP/bindings.txt"
check "no keep-alive response was mistaken for an answer (flow 1 asks nothing)" \
	nk_flow_json gw 1 '(f["stats"]["rx_responses"] == 0 and f["peer_responsive"] is None) or exit(1)'

check "flow 2: OPTIONS from 10.2.0.2:5062" \
	in_ns gw "$NK_CTL" flow add local 10.2.0.2:5062 remote 10.3.0.2:5060 interval 500 type options from-user alice host natkeep.test
check "flow 2 learns its mapping from its own answers" \
	wait_for 5 bash -c "ip netns exec gw $NK_CTL -j flow show id 2 | grep -q '\"source\": *\"via\"'"
check "and it is conntrack's mapping for 10.2.0.2:5062" \
	nk_flow_json gw 2 '(f["mapping"]["text"] == "10.3.0.1:'"$(nk_nat_port nat 5062 10.3.0.2 5060)"'") or exit(1)'
sleep 3
check "stable: one mapping event per flow over many answers" \
	test "$(nk_event_count "$NK_TMP/events.json" 'e["event"] == "mapping"')" = 2

summary

#!/bin/bash
# The public mapping from SIP responses: kamailio, reached through the NAT,
# answers with received= and rport= in the top Via. A keep-alive flow shares
# its port with a SIP client that REGISTERs (with digest auth): the client
# gets every response (401, then 200), and the flow takes nothing from
# answers to requests it did not send. An OPTIONS flow learns its mapping
# from the answers to its own requests; it agrees with conntrack and with
# the binding kamailio stored for the client.
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
peer_kamailio_bindings srv >"$NK_TMP/bindings.txt"
sed "s/^/  | /" "$NK_TMP/bindings.txt"
check "kamailio stored the same address as the binding's received" \
	grep -q "^alice sip:alice@10.2.0.2:5060 sip:10.3.0.1:$nat_port " "$NK_TMP/bindings.txt"
check "flow 1 takes nothing from answers to the client's requests: no mapping, no answer" \
	nk_flow_json gw 1 '(f["mapping"] is None and f["stats"]["rx_responses"] == 0 and f["peer_responsive"] is None) or exit(1)'

check "flow 2: OPTIONS from 10.2.0.2:5062" \
	in_ns gw "$NK_CTL" flow add local 10.2.0.2:5062 remote 10.3.0.2:5060 interval 500 type options from-user alice host natkeep.test
check "flow 2 learns its mapping from its own answers" \
	wait_for 5 bash -c "ip netns exec gw $NK_CTL -j flow show id 2 | grep -q '\"source\": *\"via\"'"
check "and it is conntrack's mapping for 10.2.0.2:5062" \
	nk_flow_json gw 2 '(f["mapping"]["text"] == "10.3.0.1:'"$(nk_nat_port nat 5062 10.3.0.2 5060)"'") or exit(1)'
sleep 3
check "stable: one mapping event, flow 2's, over many answers" \
	test "$(nk_event_count "$NK_TMP/events.json" 'e["event"] == "mapping"')" = 1

summary

#!/bin/bash
# Hostile input at the hooks: malformed, truncated, oversized and lying STUN
# and SIP responses, garbage, empty datagrams and IP fragments, spoofed
# from each flow's remote address and port (hostile.py) while the flows run
# against real servers. No crash, no kernel warning, no false event: the
# only mapping events are the real first ones, the peers stay responsive,
# and a well-formed STUN answer with a transaction id the module never sent
# is not taken, nor a well-formed SIP response that answers no request of
# the flow's, whatever its Via says (the last checks).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"

ns_create gw
ns_create srv
veth_pair gw eth0 10.6.0.2/24 srv eth0 10.6.0.1/24
check "STUN server on 10.6.0.1:3478" peer_stun srv 10.6.0.1 3478
check "kamailio on 10.6.0.1:5060" peer_kamailio srv 10.6.0.1 5060
check "module loads" nk_load
nk_events gw "$NK_TMP/events.json"

check "flow 1: stun to coturn" \
	in_ns gw "$NK_CTL" flow add local 10.6.0.2:5060 remote 10.6.0.1:3478 interval 300 type stun
check "flow 2: options to kamailio" \
	in_ns gw "$NK_CTL" flow add local 10.6.0.2:5062 remote 10.6.0.1:5060 interval 300 type options from-user alice
check "both learn their mapping" \
	wait_for 5 bash -c "[ \$(ip netns exec gw $NK_CTL -j flow show | grep -o '\"source\"' | wc -l) = 2 ]"
before=$(wc -l <"$NK_TMP/events.json")

categories=all
check "hostile STUN, SIP and garbage from the STUN server's address:port" \
	in_ns srv python3 "$NK_VM/hostile.py" -c "$categories" -n 30 -s 1 10.6.0.1:3478 10.6.0.2:5060
check "hostile STUN, SIP and garbage from the SIP server's address:port" \
	in_ns srv python3 "$NK_VM/hostile.py" -c "$categories" -n 30 -s 2 10.6.0.1:5060 10.6.0.2:5062
sed 's/^/  | /' "$NK_TMP/check.out" | tail -n 25
sleep 2

check "no event from the hostile packets (only the two first mappings)" \
	test "$(wc -l <"$NK_TMP/events.json")" = "$before"
check "the mappings are still the real ones" \
	nk_flow_json gw 1 '(f["mapping"]["text"] == "10.6.0.2:5060" and f["stats"]["mapping_changes"] == 0) or exit(1)'
check "flow 2 too" \
	nk_flow_json gw 2 '(f["mapping"]["text"] == "10.6.0.2:5062" and f["stats"]["mapping_changes"] == 0) or exit(1)'
check "both peers still responsive, no miss" \
	python3 -c '
import json, subprocess, sys
flows = json.loads(subprocess.run(["ip", "netns", "exec", "gw", sys.argv[1], "-j", "flow", "show"],
                                  capture_output=True, text=True).stdout)
sys.exit(0 if all(f["peer_responsive"] and f["stats"]["misses_total"] == 0 for f in flows) else 1)' "$NK_CTL"

# A SIP response to a request this port sent but the flow did not (the
# SIP stack's, say) tells the flow nothing, even with a Via of this port's:
# only answers to the flow's own requests are believed.
check "flow 3: keep-alive to 10.6.0.1:5099" \
	in_ns gw "$NK_CTL" flow add local 10.6.0.2:5064 remote 10.6.0.1:5099 interval 1000 type keep-alive
check "flow 4: options to 10.6.0.1:5099" \
	in_ns gw "$NK_CTL" flow add local 10.6.0.2:5066 remote 10.6.0.1:5099 interval 1000 type options from-user alice
respond() {
	in_ns srv python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.6.0.1", 5099))
for port in (5064, 5066):
    s.sendto(("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.6.0.2:%d;branch=z9hG4bKstack;rport=7777;received=203.0.113.77\r\n"
              "Call-ID: stack@gw\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n" % port).encode(),
             ("10.6.0.2", port))'
}
check "responses whose Via this port sent (10.6.0.2:5064, :5066), to requests the flows did not send" respond
sleep 1
check "... tell flow 3 nothing" nk_flow_json gw 3 '(f["mapping"] is None) or exit(1)'
check "... nor flow 4" nk_flow_json gw 4 '(f["mapping"] is None and f["stats"]["rx_responses"] == 0) or exit(1)'

summary

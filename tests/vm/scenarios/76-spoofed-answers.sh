#!/bin/bash
# Only an answer to a flow's own request moves its mapping. Through the NAT,
# a spoofer sends 200 OKs from the registrar's address to the gateway's
# public mapping, with a Via naming that mapping (anyone who reaches it
# knows it) and received/rport naming other hosts by turns: no event, no
# change in `natkeepctl flow show`. A server that answers each request
# several times with different mappings (on path: it knows the Call-ID and
# branch) moves the mapping at most once a request. A FLOW_SET that keeps
# the key keeps the mapping; one that changes the key drops it, and the new
# binding's mapping comes as a first one. A flow bound to all addresses
# and one bound to one of them, alike otherwise, each get their answers.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"

nk_nat_topology
check "kamailio on 10.3.0.2:5060" peer_kamailio srv 10.3.0.2 5060
check "module loads" nk_load
nk_events gw "$NK_TMP/events.json"

check "flow 1: options from 10.2.0.2:5060 to kamailio" \
	in_ns gw "$NK_CTL" flow add local 10.2.0.2:5060 remote 10.3.0.2:5060 interval 500 type options from-user alice host natkeep.test
check "flow 2: stun from 10.2.0.2:5062 to kamailio (stun.so)" \
	in_ns gw "$NK_CTL" flow add local 10.2.0.2:5062 remote 10.3.0.2:5060 interval 500 type stun
mapped() {
	[ "$(in_ns gw "$NK_CTL" -j flow show | grep -o '"source"' | wc -l)" = 2 ]
}
check "both learn their mapping from their answers" wait_for 10 mapped
port1=$(nk_nat_port nat 5060 10.3.0.2 5060)
port2=$(nk_nat_port nat 5062 10.3.0.2 5060)
check "flow 1's is the NAT's 10.3.0.1:$port1, from the Via" \
	nk_flow_json gw 1 '(f["mapping"]["text"] == "10.3.0.1:'"$port1"'" and f["mapping"]["source"] == "via") or exit(1)'
events_before=$(wc -l <"$NK_TMP/events.json")

# What reaches gw's ports from the registrar's address, counted before natkeep's hook.
counted() {
	in_ns gw nft -j list counter inet spoofcount "$1" | python3 -c 'import json, sys
print([o["counter"]["packets"] for o in json.load(sys.stdin)["nftables"] if "counter" in o][0])'
}
in_ns gw nft -f - <<EOF
table inet spoofcount {
	counter to5060 { }
	counter to5062 { }
	chain in {
		type filter hook input priority -300;
		ip saddr 10.3.0.2 udp sport 5060 udp dport 5060 counter name to5060
		ip saddr 10.3.0.2 udp sport 5060 udp dport 5062 counter name to5062
	}
}
EOF
before1=$(counted to5060) before2=$(counted to5062)

SPOOFED=400
check "$SPOOFED spoofed 200 OKs from 10.3.0.2:5060 to flow 1's mapping 10.3.0.1:$port1" \
	in_ns srv python3 "$NK_VM/hostile.py" --mode raw -c sip-spoofed-mapping -n $SPOOFED -i 0.0005 \
	10.3.0.2:5060 "10.3.0.1:$port1"
check "and to flow 2's 10.3.0.1:$port2" \
	in_ns srv python3 "$NK_VM/hostile.py" --mode raw -c sip-spoofed-mapping -n $SPOOFED -i 0.0005 \
	10.3.0.2:5060 "10.3.0.1:$port2"
arrived() {
	[ $(($(counted to5060) - before1)) -ge $SPOOFED ] && [ $(($(counted to5062) - before2)) -ge $SPOOFED ]
}
check "all of them reached gw's ports through the NAT" wait_for 5 arrived
sleep 1
check "no event from them" test "$(wc -l <"$NK_TMP/events.json")" = "$events_before"
check "flow 1 still has 10.3.0.1:$port1, no change counted" \
	nk_flow_json gw 1 '(f["mapping"]["text"] == "10.3.0.1:'"$port1"'" and f["stats"]["mapping_changes"] == 0) or exit(1)'
check "flow 2 still has 10.3.0.1:$port2, from STUN" \
	nk_flow_json gw 2 '(f["mapping"]["text"] == "10.3.0.1:'"$port2"'" and f["mapping"]["source"] == "stun" and f["stats"]["mapping_changes"] == 0) or exit(1)'
check "both peers still responsive, no miss" python3 -c '
import json, subprocess, sys
flows = json.loads(subprocess.run(["ip", "netns", "exec", "gw", sys.argv[1], "-j", "flow", "show"],
                                  capture_output=True, text=True).stdout)
print([(f["id"], f["stats"]["rx_responses"], f["stats"]["misses_total"]) for f in flows])
sys.exit(0 if all(f["peer_responsive"] and f["stats"]["misses_total"] == 0 for f in flows) else 1)' "$NK_CTL"

# A server that answers each OPTIONS four times, with four mappings, the
# first of which alternates from request to request.
in_ns srv python3 - "$NK_TMP/chatty.count" <<'EOF' &
import re, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.3.0.2", 5071))
sent = requests = 0
while True:
    req, peer = s.recvfrom(4096)
    text = req.decode("latin-1")
    via = re.search(r"^Via: (.*?)\r$", text, re.M).group(1)
    head = "".join(line + "\r\n" for line in text.split("\r\n")
                   if line.split(":")[0] in ("From", "To", "Call-ID", "CSeq"))
    for i in range(4):
        rsp = "SIP/2.0 200 OK\r\nVia: %s;received=203.0.113.%d;rport=%d\r\n%sContent-Length: 0\r\n\r\n" % (
            via.replace(";rport", ""), 1 + (requests + i) % 2, 4000 + (requests + i) % 2, head)
        s.sendto(rsp.encode(), peer)
        sent += 1
    requests += 1
    open(sys.argv[1], "w").write("%d\n" % sent)
EOF
cleanup_add "kill $! 2>/dev/null"
check "flow 3: options from 10.2.0.2:5064 to a server answering each four times" \
	in_ns gw "$NK_CTL" flow add local 10.2.0.2:5064 remote 10.3.0.2:5071 interval 250 norandom type options from-user alice
sleep 3
check "flow 3 is answered" nk_flow_json gw 3 '(f["stats"]["rx_responses"] >= 5) or exit(1)'
check "flow 3 moves at most once a request, and did move" python3 -c '
import json, subprocess, sys
f = json.loads(subprocess.run(["ip", "netns", "exec", "gw", sys.argv[1], "-j", "flow", "show", "id", "3"],
                              capture_output=True, text=True).stdout)[0]
events = [e for e in map(json.loads, open(sys.argv[2])) if e["event"] == "mapping" and e["id"] == 3]
answers = int(open(sys.argv[3]).read())
print("requests %d, answers %d, mapping events %d" % (f["stats"]["tx_packets"], answers, len(events)))
sys.exit(0 if 2 <= len(events) <= f["stats"]["tx_packets"] and answers >= 3 * len(events) else 1)' \
	"$NK_CTL" "$NK_TMP/events.json" "$NK_TMP/chatty.count"
sed 's/^/  | /' "$NK_TMP/check.out"

# FLOW_SET: the same key keeps what the flow learned, another key drops the mapping.
check "flow 2: a new interval (same key)" in_ns gw "$NK_CTL" flow set id 2 interval 400
check "... keeps its mapping" \
	nk_flow_json gw 2 '(f["mapping"]["text"] == "10.3.0.1:'"$port2"'") or exit(1)'
events_before=$(wc -l <"$NK_TMP/events.json")
check "flow 2: a new local port 5066 (another binding)" in_ns gw "$NK_CTL" flow set id 2 local 10.2.0.2:5066
set_event_unmapped() {
	python3 -c '
import json, sys
ev = [e for e in map(json.loads, open(sys.argv[1]).readlines()[int(sys.argv[2]):]) if e["event"] == "set"]
sys.exit(0 if len(ev) == 1 and ev[0]["mapping"] is None else 1)' "$NK_TMP/events.json" "$events_before"
}
check "... and its FLOW_SET event carries no mapping" wait_for 5 set_event_unmapped
check "... then learns the new binding's" \
	wait_for 5 bash -c "ip netns exec gw $NK_CTL -j flow show id 2 | grep -q '\"source\"'"
port3=$(nk_nat_port nat 5066 10.3.0.2 5060)
check "which is 10.3.0.1:$port3, told as a first mapping (no old one)" python3 -c '
import json, sys
ev = [e for e in map(json.loads, open(sys.argv[1]).readlines()[int(sys.argv[2]):])
      if e["event"] == "mapping" and e["id"] == 2]
print(ev)
sys.exit(0 if len(ev) == 1 and ev[0]["mapping"] == sys.argv[3] and ev[0]["old_mapping"] is None else 1)' \
	"$NK_TMP/events.json" "$events_before" "10.3.0.1:$port3"

# A flow bound to all addresses and one bound to the address, with the
# same ports and remote: the answers to each reach their own flow.
check "flow 4: options from 0.0.0.0:5068" \
	in_ns gw "$NK_CTL" flow add local 0.0.0.0:5068 remote 10.3.0.2:5060 interval 500 type options from-user alice
check "flow 5: options from 10.2.0.2:5068, the same port" \
	in_ns gw "$NK_CTL" flow add local 10.2.0.2:5068 remote 10.3.0.2:5060 interval 500 type options from-user bob
both_answered() {
	nk_flow_json gw 4 '(f["stats"]["rx_responses"] >= 3) or exit(1)' &&
		nk_flow_json gw 5 '(f["stats"]["rx_responses"] >= 3) or exit(1)'
}
check "both are answered" wait_for 10 both_answered

summary

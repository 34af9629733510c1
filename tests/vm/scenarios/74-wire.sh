#!/bin/bash
# Every keep-alive the module builds is valid on the wire: a capture at the
# server of STUN (with and without FINGERPRINT, IPv4 and IPv6) and of SIP
# OPTIONS, NOTIFY and a custom PING (IPv4 and IPv6), with the real servers'
# answers, dissects in tshark without a malformed frame or expert error,
# and holds each kind of request the flows sent.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"

ns_create gw
ns_create srv
veth_pair gw eth0 10.5.0.2/24 srv eth0 10.5.0.1/24
nk_addr gw eth0 fd00:5::2/64
nk_addr srv eth0 fd00:5::1/64
check "STUN server on 10.5.0.1:3478" peer_stun srv 10.5.0.1 3478
check "STUN server on [fd00:5::1]:3478" peer_stun srv fd00:5::1 3478
check "kamailio on 10.5.0.1:5060" peer_kamailio srv 10.5.0.1 5060
check "sipp UAS on [fd00:5::1]:5060" peer_sipp_uas srv fd00:5::1 5060
check "module loads" nk_load
check "capture on the server's link" capture_start srv eth0 "$NK_TMP/wire.pcapng" udp

add() { in_ns gw "$NK_CTL" flow add interval 300 "$@"; }
sip=(from-user alice host natkeep.test user-agent "natkeep/wire test")
check "stun" add local 10.5.0.2:6000 remote 10.5.0.1:3478 type stun
check "stun with fingerprint" add local 10.5.0.2:6001 remote 10.5.0.1:3478 type stun fingerprint
check "stun with fingerprint, IPv6" add local [fd00:5::2]:6002 remote [fd00:5::1]:3478 type stun fingerprint
check "options" add local 10.5.0.2:6003 remote 10.5.0.1:5060 type options "${sip[@]}"
check "notify" add local 10.5.0.2:6004 remote 10.5.0.1:5060 type notify "${sip[@]}"
check "custom PING" add local 10.5.0.2:6005 remote 10.5.0.1:5060 type custom spec "mtd=PING;user=bob" "${sip[@]}"
check "custom NOTIFY with its own event" add local 10.5.0.2:6006 remote 10.5.0.1:5060 type custom spec "mtd=NOTIFY;event=check-sync" "${sip[@]}"
check "options, IPv6, to sipp" add local [fd00:5::2]:6007 remote [fd00:5::1]:5060 type options from-user alice
sleep 4
capture_stop "$NK_TMP/wire.pcapng"

check "tshark: no malformed frame, STUN and SIP present" \
	tshark_check_valid "$NK_TMP/wire.pcapng" "stun,sip"
counts=$NK_TMP/tshark.txt
cp "$NK_TMP/check.out" "$counts"
sed 's/^/  | /' "$counts"
for kind in "stun Binding Request" "stun Binding Success Response" "sip OPTIONS request" \
	"sip NOTIFY request" "sip PING request" "sip 200 response to OPTIONS" \
	"sip 200 response to NOTIFY" "sip 200 response to PING"; do
	check "the capture holds: $kind" grep -q "^  $kind: [1-9]" "$counts"
done
check "every flow's requests were answered (servers accepted them)" \
	python3 -c '
import json, subprocess, sys
flows = json.loads(subprocess.run(["ip", "netns", "exec", "gw", sys.argv[1], "-j", "flow", "show"],
                                  capture_output=True, text=True).stdout)
bad = [f["id"] for f in flows if f["stats"]["rx_responses"] < 5 or not f["peer_responsive"]]
sys.exit(1 if bad else 0)' "$NK_CTL"

summary

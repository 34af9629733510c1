#!/bin/bash
# The point of natkeep: keep-alives refresh the SIP socket's own NAT binding.
# A SIP socket is bound to the flow's local port in the gateway namespace and
# registers through an nftables masquerade NAT (to outside ports 20000+, so
# a shared mapping cannot be a coincidence of equal ports); then natkeep
# sends from the same port. Conntrack in the NAT namespace must show one
# mapping, the server must see every datagram from one public address:port,
# and the SIP socket must still receive its replies.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"

check "gw -> NAT (masquerade to outside ports 20000-20099) -> srv" nk_nat_topology
check "module loads" nk_load

nk_sink srv 10.3.0.2 5060 "$NK_TMP/srv.log" sip
in_ns gw python3 "$NK_VM/sip_phone.py" 0.0.0.0 5060 10.3.0.2 5060 8 "$NK_TMP/phone.log" &
phone=$!
check "the SIP socket is bound and registered" wait_for 10 test -e "$NK_TMP/phone.log.ready"
check "flow add from the SIP socket's port while it is bound" \
	in_ns gw "$NK_CTL" flow add local 10.2.0.2:5060 remote 10.3.0.2:5060 interval 200 type keep-alive
sleep 3

public=$(awk 'NR == 1 { print $2 ":" $3 }' "$NK_TMP/srv.log")
check "the server saw the REGISTER first, from the NAT's outside address" \
	bash -c '[[ "$(head -n 1 "$1" | cut -d" " -f4)" == 5245474953544552* ]] && [[ "$2" == 10.3.0.1:200[0-9][0-9] ]]' _ "$NK_TMP/srv.log" "$public"
check "keep-alives arrived (at least 10)" \
	test "$(grep -c ' 6b6565702d616c6976650d0a$' "$NK_TMP/srv.log")" -ge 10
check "every datagram came from the one public mapping $public" \
	test "$(awk '{ print $2 ":" $3 }' "$NK_TMP/srv.log" | sort -u)" = "$public"
in_ns nat conntrack -L -p udp >"$NK_TMP/ct.txt" 2>/dev/null
check "conntrack in the NAT: one UDP mapping, for 10.2.0.2:5060" \
	bash -c '[ "$(grep -c . "$1")" = 1 ] && grep -q "src=10.2.0.2 dst=10.3.0.2 sport=5060 dport=5060 .*src=10.3.0.2 dst=10.3.0.1 sport=5060 dport=${2#*:}" "$1"' \
	_ "$NK_TMP/ct.txt" "$public"
wait "$phone"
check "the SIP socket received the registrar's 200 OK through the NAT" \
	grep -q " $(printf 'SIP/2.0 200 OK' | od -An -tx1 | tr -d ' \n')" "$NK_TMP/phone.log"
check "the kernel counted the keep-alives as sent, without errors" \
	nk_json 'd[0]["stats"]["tx_packets"] >= 10 and d[0]["stats"]["tx_errors"] == 0 or exit(1)' \
	< <(in_ns gw "$NK_CTL" -j flow show)

summary

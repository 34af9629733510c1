#!/bin/bash
# natkeepd over IPv6 (AAAA records, a v6 keep-alive flow) and IPv4 at once
# (dual registration across families), and a change of the gateway's own
# address: the SIP socket is reopened on the new address and the account
# registers again from it (the old address's binding removed), and DNS
# queries leave from it too.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"
. "$(dirname "$0")/../natkeepd.sh"

nk_load
nk_sip_topology
check "kamailio on [fd00:7::1] (no NAT on IPv6)" peer_kamailio srv fd00:7::1 5060
check "kamailio on 10.3.0.11 (behind the NAT)" peer_kamailio srv 10.3.0.11 5060
check "DNS: SRV sip6 (AAAA, priority 10), sip1 (A, priority 20)" \
	peer_dnsmasq srv "$NK_SIP_DNS" \
	--srv-host=_sip._udp.natkeep.test,sip6.natkeep.test,5060,10,10 \
	--srv-host=_sip._udp.natkeep.test,sip1.natkeep.test,5060,20,10 \
	--host-record=sip6.natkeep.test,fd00:7::1 --host-record=sip1.natkeep.test,10.3.0.11 \
	--local-ttl=10
printf 'nameserver %s\n' "$NK_SIP_DNS" >"$NK_TMP/resolv.conf"
nkd_conf <<EOF
[ITSP Profile A - SIP]
ProxyServer = natkeep.test
X_ProxyServerRedundancy = true
X_SecondaryRegistration = true
[SP1 Service]
AuthUserName = alice
AuthPassword = secret
X_KeepAliveEnable = true
X_KeepAliveExpires = 2
X_KeepAliveMsgType = options
EOF
check "natkeepd starts" nkd_start
check "primary over IPv6, secondary over IPv4" \
	nkd_wait 15 'a["current_server"] == "[fd00:7::1]:5060" and server("10.3.0.11:5060").get("state") == "secondary"'
v6_bound() {
	peer_kamailio_bindings srv@fd00:7::1 | grep -q '^alice sip:alice@\[fd00:7::2\]:5060 '
}
check "the IPv6 registrar holds Contact [fd00:7::2]:5060" wait_for 10 v6_bound
v4_public() {
	peer_kamailio_bindings srv@10.3.0.11 | grep -q '^alice sip:alice@10.3.0.1:'
}
check "the IPv4 registrar holds the NAT's public Contact" wait_for 10 v4_public
v6_flow() {
	in_ns gw "$NK_CTL" -j flow show | python3 -c '
import json, sys
f = [x for x in json.load(sys.stdin) if x["remote"] == "[fd00:7::1]:5060"]
assert f and f[0]["family"] == "inet6" and f[0]["stats"]["rx_responses"] >= 1, f
'
}
check "an IPv6 keep-alive flow to [fd00:7::1]:5060, answered" wait_for 10 v6_flow

# The gateway's address changes (a new DHCP lease).
ip -n gw addr del 10.2.0.2/24 dev eth0
ip -n gw addr add 10.2.0.3/24 dev eth0
ip -n gw route add default via 10.2.0.1
check "the change is noticed: socket reopened" \
	wait_for 15 grep -q "our address towards the servers changed: reopening UDP port 5060" "$NKD_LOG"
from_new_address() {
	local p
	p=$(in_ns nat conntrack -L -p udp 2>/dev/null |
		awk '/src=10.2.0.3 dst=10.3.0.11 sport=5060 dport=5060/ {
			for (i = 1; i <= NF; i++) if ($i ~ /^dport=/) p = $i
			sub("dport=", "", p); print p; exit }')
	[ -n "$p" ] && peer_kamailio_bindings srv@10.3.0.11 | grep -q "^alice sip:alice@10.3.0.1:$p "
}
check "registered again from 10.2.0.3 (kamailio has its NAT mapping)" wait_for 15 from_new_address
check "registered with both again" \
	nkd_wait 10 'a["current_server"] == "[fd00:7::1]:5060" and server("10.3.0.11:5060").get("state") == "secondary"'
# The binding from the old address would take calls into the void until it
# expired: the first REGISTER from the new socket removes it (expires=0).
one_v4_binding() {
	[ "$(peer_kamailio_bindings srv@10.3.0.11 | grep -c '^alice ')" = 1 ]
}
check "the old address's binding is removed: the IPv4 registrar holds one Contact" \
	wait_for 10 one_v4_binding
check "the IPv6 registrar holds one Contact, the same" \
	test "$(peer_kamailio_bindings srv@fd00:7::1 | grep -c '^alice ')" = 1
# sres's socket towards the DNS server was connect()ed from 10.2.0.2.
dns_q0=$(peer_dnsmasq_queries _sip._udp.natkeep.test SRV)
dns_again() {
	[ "$(peer_dnsmasq_queries _sip._udp.natkeep.test SRV)" -gt "$dns_q0" ]
}
check "DNS after the change: the next SRV query (TTL 10 s) reaches the server" \
	wait_for 25 dns_again
check "natkeepd stops" nkd_stop
check "no flow left" test "$(in_ns gw "$NK_CTL" -j flow show)" = "[]"
summary

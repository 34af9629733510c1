#!/bin/bash
# DNS failures are not answers. With dual registration at sip1 and sip2
# (SRV records of other.test), a DNS server that refuses the query for
# sip2's address keeps sip2 registered with the address it had; one that
# refuses the SRV query keeps both servers, and does not send the account
# to the bare name's A record. Only a real answer changes the servers: an
# SRV record removed drops sip2, with an un-REGISTER.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"
. "$(dirname "$0")/../natkeepd.sh"

SIP1=10.3.0.11
SIP2=10.3.0.12
WEB=10.3.0.99	# other.test's own A record: the provider's web site
nk_load
nk_sip_topology
check "registrars sip1 and sip2" \
	eval "peer_kamailio srv $SIP1 5060 && peer_kamailio srv $SIP2 5060"

# dnsmasq answers only what it is given: other names it refuses (REFUSED,
# at once: no upstream), as a broken or overloaded resolver does.
srv1=--srv-host=_sip._udp.other.test,sip1.other.test,5060,10,10
srv2=--srv-host=_sip._udp.other.test,sip2.other.test,5060,20,10
a1=--host-record=sip1.other.test,$SIP1
a2=--host-record=sip2.other.test,$SIP2
web=--host-record=other.test,$WEB
check "DNS: other.test's SRV records, sip1 and sip2, TTL 10 s" \
	peer_dnsmasq srv "$NK_SIP_DNS" --local-ttl=10 "$srv1" "$srv2" "$a1" "$a2" "$web"
printf 'nameserver %s\n' "$NK_SIP_DNS" >"$NK_TMP/resolv.conf"

nkd_conf <<EOF
[ITSP Profile A - SIP]
ProxyServer = other.test
RegisterExpires = 300
X_ProxyServerRedundancy = true
X_SecondaryRegistration = true
X_CheckPrimaryServerInterval = 600
[SP1 Service]
AuthUserName = alice
AuthPassword = secret
EOF
check "natkeepd starts" nkd_start
check "primary sip1, secondary sip2" \
	nkd_wait 20 "server('$SIP1:5060').get('state') == 'primary' and server('$SIP2:5060').get('state') == 'secondary'"

unregisters() {
	nkd_registers "srv@$1" 'r["expires"] == "0"'
}
both_kept() {
	nkd_eval "(server('$SIP1:5060').get('state') == 'primary' and
		server('$SIP2:5060').get('state') == 'secondary' and
		not any(s['address'].startswith('$WEB:') for s in a['servers']))" &&
		[ "$(unregisters "$SIP1")" = 0 ] && [ "$(unregisters "$SIP2")" = 0 ]
}

# a) sip2's address query refused
check "DNS refuses sip2.other.test's A query now" \
	peer_dnsmasq_restart --local-ttl=10 "$srv1" "$srv2" "$a1" "$web"
check "natkeepd keeps sip2's address from the last lookup" \
	wait_for 30 grep -q "dns: sip2.other.test: A query unanswered: keeping its 1 address(es)" "$NKD_LOG"
sleep 1
check "sip1 and sip2 stay registered; nothing un-registered" both_kept

# b) the SRV query refused; other.test's A record answered
check "DNS refuses the SRV query now (other.test's A record still answered)" \
	peer_dnsmasq_restart --local-ttl=10 "$a1" "$a2" "$web"
check "natkeepd keeps the servers known" \
	wait_for 30 grep -qE "SP1: DNS: other.test: SRV: .* \(keeping the servers known\)" "$NKD_LOG"
sleep 1
check "sip1 and sip2 stay registered; other.test's A record is no candidate" both_kept

# c) an answer: sip2's SRV record is gone (other.test is the DNS's own now)
check "DNS answers: only sip1's SRV record" \
	peer_dnsmasq_restart --local=/other.test/ --local-ttl=10 "$srv1" "$a1" "$a2" "$web"
check "sip2 is no candidate any more" \
	nkd_wait 45 "not any(s['address'] == '$SIP2:5060' for s in a['servers'])"
check "its binding is removed (un-REGISTER)" wait_for 10 nkd_unbound "srv@$SIP2"
check "sip1 stays the primary" nkd_eval "a['current_server'] == '$SIP1:5060'"
check "natkeepd stops" nkd_stop
summary

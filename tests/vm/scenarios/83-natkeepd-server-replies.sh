#!/bin/bash
# natkeepd and what registrars answer: 423 Interval Too Brief (registered
# with the server's Min-Expires), 503 with Retry-After (the wait honoured
# for a single server; with redundancy the next server at once), 302 (the
# redirect followed, at most 5 in a row; the keep-alives and the current
# server follow it), a 503 from a server that fills in no rport.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"
. "$(dirname "$0")/../natkeepd.sh"

nk_load
nk_sip_topology
check "three registrars and DNS (SRV priorities 10, 20, 30)" nkd_servers 10 20 30

single_server_conf() {
	nkd_conf_alice RegistrarServer="$1" RegisterExpires=60 X_KeepAliveEnable= \
		X_KeepAliveExpires= X_KeepAliveMsgType=
}

# 423: sip1 wants at least 3600 s.
check "sip1 answers 423 (Min-Expires 3600) to shorter registrations" peer_kamailio_mode srv@10.3.0.11 423
single_server_conf 10.3.0.11
check "natkeepd starts (RegisterExpires 60)" nkd_start
check "423: registered with sip1 all the same" nkd_wait 15 'a["state"] == "registered"'
expires_long() {
	peer_kamailio_bindings srv@10.3.0.11 | awk '$4 > 3000 { f = 1 } END { exit !f }'
}
check "423: the binding lasts the server's Min-Expires (over 3000 s)" wait_for 5 expires_long
check "423: the account shows that expiry" \
	nkd_eval 'server("10.3.0.11:5060")["expires_in_ms"] > 3000000'
check "natkeepd stops (un-REGISTER served)" nkd_stop
check "423: no binding left" test -z "$(peer_kamailio_bindings srv@10.3.0.11)"
rm -f "$NKD_SOCK"

# 503 with Retry-After: 5, one server: the next REGISTER after 5 s, not the backoff.
check "sip2 answers 503 with Retry-After: 5" peer_kamailio_mode srv@10.3.0.12 503-short
single_server_conf 10.3.0.12
t0=$(date +%s.%N)
check "natkeepd starts (only sip2)" nkd_start
sleep 13
gaps=$(peer_kamailio_registers srv@10.3.0.12 | awk -v t0="$t0" '
	{ for (i = 1; i <= NF; i++) { if ($i ~ /^t=/) t = substr($i, 3); if ($i ~ /^cseq=/) c = $i } }
	t > t0 && !(c in seen) { seen[c] = 1; if (last) printf "%.1f ", t - last; last = t }')
echo "  seconds between REGISTER attempts at sip2: ${gaps:-none}"
gaps_ok() {
	local g n=0
	for g in $gaps; do
		awk -v g="$g" 'BEGIN { exit !(g >= 4.5 && g <= 7) }' || return 1
		n=$((n + 1))
	done
	[ "$n" -ge 1 ]
}
check "503 + Retry-After 5: REGISTERed again every 5 s (${gaps:-none})" gaps_ok
check "503: the account shows the server error" \
	nkd_eval 'a["state"] != "registered" and server("10.3.0.12:5060")["last_error"]["status"] == 503'
check "natkeepd stops" nkd_stop
rm -f "$NKD_SOCK"

# 503 with Retry-After under redundancy: the next server at once.
check "sip1 back to normal" peer_kamailio_mode srv@10.3.0.11 normal
check "sip1 answers 503 with Retry-After: 5 to everything" peer_kamailio_mode srv@10.3.0.11 503-short
nkd_conf_alice RegisterExpires= X_ProxyServerRedundancy=true X_CheckPrimaryServerInterval=30 \
	X_KeepAliveEnable= X_KeepAliveExpires= X_KeepAliveMsgType=
check "sip2 back to normal" peer_kamailio_mode srv@10.3.0.12 normal
check "natkeepd starts (redundancy)" nkd_start
check "503 from sip1: registered with sip2 within 3 s" \
	nkd_wait 3 'a["current_server"] == "10.3.0.12:5060"'
check "sip1: server-error 503, a fallback candidate" \
	nkd_eval 'server("10.3.0.11:5060")["last_error"]["status"] == 503 and server("10.3.0.11:5060")["state"] == "fallback-candidate"'
check "natkeepd stops" nkd_stop
rm -f "$NKD_SOCK"

# 302: sip3 redirects to sip1; the registration follows it.
check "sip1 normal" peer_kamailio_mode srv@10.3.0.11 normal
check "sip3 redirects REGISTERs to sip1" peer_kamailio_redirect srv@10.3.0.13 "sip:10.3.0.11:5060"
check "sip3 in redirect mode" peer_kamailio_mode srv@10.3.0.13 302
single_server_conf 10.3.0.13
printf 'X_KeepAliveEnable = true\nX_KeepAliveExpires = 2\nX_KeepAliveMsgType = options\n' >>"$NKD_CONF"
check "natkeepd starts (only sip3)" nkd_start
check "302: registered, following the redirect" nkd_wait 15 'a["state"] == "registered"'
check "302: sip1 holds the binding" wait_for 5 nkd_bound srv@10.3.0.11
check "302: the log shows the redirect" grep -q "redirected (1 of 5) to sip:10.3.0.11:5060" "$NKD_LOG"
# The redirect's server is where calls go and what the keep-alives hold
# open, not the redirecting one.
check "302: the current server is sip1, where it was sent" \
	nkd_eval 'a["current_server"] == "10.3.0.11:5060"'
ka_to_sip1() {
	in_ns gw "$NK_CTL" -j flow show | python3 -c '
import json, sys
f = json.load(sys.stdin)
assert len(f) == 1 and f[0]["remote"] == "10.3.0.11:5060", f
assert f[0]["stats"]["rx_responses"] >= 1, f[0]["stats"]
'
}
check "302: the keep-alive flow goes to sip1, answered" wait_for 10 ka_to_sip1
check "natkeepd stops" nkd_stop
rm -f "$NKD_SOCK"

# A redirect loop: sip3 redirects to itself; given up after 5.
check "sip3 redirects to itself" peer_kamailio_redirect srv@10.3.0.13 "sip:10.3.0.13:5060"
check "natkeepd starts (a redirect loop)" nkd_start
check "redirect loop: given up, too-many-redirects" \
	nkd_wait 15 'server("10.3.0.13:5060").get("last_error", {}).get("kind") == "too-many-redirects"'
loops=$(grep -c "redirected (" "$NKD_LOG")
echo "  redirects followed in all: $loops"
check "no redirect loop: 1 + 5 followed over both runs ($loops)" test "$loops" = 6
check "natkeepd stops" nkd_stop
rm -f "$NKD_SOCK"

# A server that fills in no rport (RFC 3581 is optional): its 503 is its
# own, a server error, not a local "unreachable".
nk_addr srv eth0 10.3.0.14/24
# shellcheck disable=SC2034 # read by peer_sipp_uas (peers.sh)
PEER_SIPP_STATUS="503 Service Unavailable"
check "sipp on 10.3.0.14 answers 503, its Via as it came" peer_sipp_uas srv 10.3.0.14 5060
unset PEER_SIPP_STATUS
single_server_conf 10.3.0.14
check "natkeepd starts (a server without rport)" nkd_start
check "no rport: the 503 is a server error, not unreachable" \
	nkd_wait 15 'server("10.3.0.14:5060").get("last_error", {}).get("kind") == "server-error" and server("10.3.0.14:5060")["last_error"]["status"] == 503'
check "natkeepd stops" nkd_stop
rm -f "$NKD_SOCK"

# STUN keep-alives (kamailio answers STUN on its SIP port) form the Contact,
# and DNS asked again after the TTL moves the account when its server leaves.
check "sip1 normal" peer_kamailio_mode srv@10.3.0.11 normal
check "DNS with a 10 s TTL: natkeep.test -> sip1" \
	peer_dnsmasq_restart "srv@$NK_SIP_DNS" \
	--srv-host=_sip._udp.natkeep.test,sip1.natkeep.test,5060,10,10 \
	--host-record=sip1.natkeep.test,10.3.0.11 --host-record=sip2.natkeep.test,10.3.0.12 \
	--local-ttl=10
nkd_conf_alice RegisterExpires= X_ProxyServerRedundancy=true X_KeepAliveExpires=1 \
	X_KeepAliveMsgType=stun
check "natkeepd starts (stun keep-alives)" nkd_start
check "stun: registered with sip1" nkd_wait 15 'a["current_server"] == "10.3.0.11:5060"'
check "stun: the flow learned the NAT's mapping from STUN" \
	nkd_wait 10 'server("10.3.0.11:5060")["flow"]["type"] == "stun" and server("10.3.0.11:5060")["flow"].get("mapping", "").startswith("10.3.0.1:")'
check "stun: the Contact is that mapping" \
	nkd_eval 'server("10.3.0.11:5060")["flow"]["mapping"] in server("10.3.0.11:5060")["contact"]'
nk_nat_ports 20300-20399
stun_rebound() {
	nkd_eval 'server("10.3.0.11:5060")["contact"].split(":")[-1].rstrip(">").isdigit() and 20300 <= int(server("10.3.0.11:5060")["contact"].split(":")[-1].rstrip(">")) <= 20399'
}
check "stun: a rebinding gives a new Contact within 3 s" wait_for 3 stun_rebound
q0=$(peer_dnsmasq_queries "srv@$NK_SIP_DNS" _sip._udp.natkeep.test SRV)
check "DNS now says natkeep.test -> sip2" \
	peer_dnsmasq_restart "srv@$NK_SIP_DNS" \
	--srv-host=_sip._udp.natkeep.test,sip2.natkeep.test,5060,10,10 \
	--host-record=sip1.natkeep.test,10.3.0.11 --host-record=sip2.natkeep.test,10.3.0.12 \
	--local-ttl=10
check "after the TTL (10 s): moved to sip2" nkd_wait 25 'a["current_server"] == "10.3.0.12:5060"'
check "the server that left DNS was un-registered" wait_for 5 nkd_unbound srv@10.3.0.11
q1=$(peer_dnsmasq_queries "srv@$NK_SIP_DNS" _sip._udp.natkeep.test SRV)
echo "  SRV queries while waiting: $((q1 - q0))"
check "natkeepd stops" nkd_stop
summary

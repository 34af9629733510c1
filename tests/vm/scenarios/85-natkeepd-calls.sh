#!/bin/bash
# natkeepd as the gateway's SIP edge (X_LocalProxy): baresip, the gateway's
# own UA, registers with natkeepd and uses it as its outbound proxy; sipp is
# the far party behind the registrars, which route calls to registered
# users and to the far end (record-routing, digest proxy auth).
#  a) the far end calls alice: through the NAT and natkeepd to baresip,
#     answered, ACK, the far end's BYE reaches baresip; the SDP untouched;
#  b) baresip calls the far end: from the account's socket (REGISTER, the
#     keep-alives and the call share one NAT mapping), to the current
#     server, the 407 answered by baresip, 200/ACK/BYE through natkeepd;
#  c) the primary dies: after the failover both calls go through sip2;
#  d) a NAT rebinding: natkeepd re-registers at once and a call reaches
#     baresip without waiting for a refresh;
#  e) a SIP scanner and malformed requests from an address that is no
#     server never reach baresip; what sofia cannot parse is logged and
#     counted; natkeepd stays registered;
#  dual) with dual registration, a call through either registrar reaches
#     baresip.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"
. "$(dirname "$0")/../natkeepd.sh"

INTERVAL=2
FAR=10.3.0.21
nk_load
nk_sip_topology
nk_addr srv eth0 "$FAR/24"
check "two registrars and DNS (SRV priorities 10, 20)" nkd_servers 10 20
for r in 10.3.0.11 10.3.0.12; do
	check "sip at $r routes far... to the far end" \
		peer_kamailio_rpc "srv@$r" cfg.sets natkeep far_end "sip:$FAR:5070"
done

nkd_conf <<EOF
[ITSP Profile A - SIP]
ProxyServer = natkeep.test
RegisterExpires = 600
X_ProxyServerRedundancy = true
X_CheckPrimaryServerInterval = 600
[SP1 Service]
AuthUserName = alice
AuthPassword = secret
X_KeepAliveEnable = true
X_KeepAliveExpires = $INTERVAL
X_KeepAliveMsgType = options
X_LocalProxy = 127.0.0.1:5070
EOF
check "natkeepd starts" nkd_start
check "registered with sip1" nkd_wait 15 'a["current_server"] == "10.3.0.11:5060"'
check "account show: the local UA proxy, no UA yet" \
	nkd_eval 'a["local_proxy"]["listen"] == "127.0.0.1:5070" and a["local_proxy"]["user_agent"] is None'
ACCOUNT='<sip:alice@natkeep.test>;auth_pass=secret;outbound="sip:127.0.0.1:5070";regint=600;answermode=auto'
check "baresip in gw, natkeepd its outbound proxy" peer_baresip gw 127.0.0.1 5080 "$ACCOUNT"
BARESIP_DIR=$PEER_DIR
check "baresip registered with natkeepd (which answered itself)" \
	nkd_wait 15 'a["local_proxy"]["user_agent"] and a["local_proxy"]["user_agent_from"] == "register"'
check "natkeepd's own registration stays the one at sip1" \
	nkd_wait 5 'server("10.3.0.11:5060")["contact"].startswith("<sip:alice@10.3.0.1:")'

# far_calls INST NAME: the far end calls alice through registrar INST (its
# address); succeeds when sipp's one call went through (INVITE, 200, ACK,
# BYE, 200). Its log and errors in NK_TMP/far-NAME.*.
far_calls() {
	in_ns srv bash -c "cd '$NK_TMP' && exec sipp -sf '$NK_PEERS/sipp-call-uac.xml' -s alice \
		-i $FAR -p 5072 -m 1 -d 500 -nostdin -timeout 30 -timeout_error \
		-trace_err -error_file '$NK_TMP/far-$2.err' -trace_msg -message_file '$NK_TMP/far-$2.msg' \
		$1:5060" >"$NK_TMP/far-$2.log" 2>&1 || { sipp_said "far-$2"; return 1; }
}

# alice_calls NAME: baresip calls far1; the far end answers, baresip hangs
# up; succeeds when the far end's sipp saw INVITE, ACK and BYE.
alice_calls() {
	local pid est
	est=$(peer_baresip_count CALL_ESTABLISHED)
	in_ns srv bash -c "cd '$NK_TMP' && exec sipp -sf '$NK_PEERS/sipp-call-uas.xml' \
		-i $FAR -p 5070 -m 1 -nostdin -timeout 30 -timeout_error \
		-trace_err -error_file '$NK_TMP/alice-$1.err' -trace_msg -message_file '$NK_TMP/alice-$1.msg'" \
		>"$NK_TMP/alice-$1.log" 2>&1 &
	pid=$!
	sleep 1
	peer_baresip_cmd dial sip:far1@natkeep.test &&
		peer_baresip_wait CALL_ESTABLISHED $((est + 1)) 20 &&
		sleep 0.5 && peer_baresip_cmd hangup
	wait "$pid" || { sipp_said "alice-$1"; return 1; }
}

# What a failed sipp saw: its errors, the first lines of each message.
sipp_said() {
	tail -n 20 "$NK_TMP/$1.err" 2>/dev/null
	grep -E '^(UDP message|[A-Z]+ sip:|SIP/2.0 )' "$NK_TMP/$1.msg" 2>/dev/null | tail -n 30
}

# The INVITE lines kamailio INST took from alice (after the challenge).
alice_invites() {
	peer_kamailio_calls "$1" | grep -c 'method=INVITE .*from=alice$'
}

# alice_invite_from INST ADDR:PORT: one of them came from there.
alice_invite_from() {
	peer_kamailio_calls "$1" | grep 'method=INVITE .*from=alice$' | grep -q "src=$2 "
}

# a) an incoming call
est=$(peer_baresip_count CALL_ESTABLISHED)
check "a: the far end's call to alice through sip1: 200, ACK, BYE 200" far_calls 10.3.0.11 a
check "a: baresip took the call (answered, established)" \
	peer_baresip_wait CALL_ESTABLISHED $((est + 1)) 5
check "a: and the far end's BYE ended it at baresip" peer_baresip_wait CALL_CLOSED 1 5
check "a: the SDP offer reached baresip untouched" \
	grep -q "o=far 53655765 2353687637 IN IP4 $FAR" "$BARESIP_DIR/baresip.log"
check "a: the far end's ACK and BYE came through natkeepd's Record-Route" \
	grep -q "^Route: .*<sip:10.3.0.1:[0-9]*;lr>" "$NK_TMP/far-a.msg"

# b) an outgoing call
nat_port=$(nk_nat_port nat 5060 10.3.0.11 5060)
check "b: alice calls the far end: answered, ACK, BYE through natkeepd" alice_calls b
check "b: the INVITE went to sip1, challenged and answered by baresip" \
	test "$(alice_invites srv@10.3.0.11)" -ge 1
check "b: it came from the registration's NAT mapping (10.3.0.1:$nat_port)" \
	alice_invite_from srv@10.3.0.11 "10.3.0.1:$nat_port"
# Everything from the gateway to sip1 is one conntrack entry: port 5060.
only_one_mapping() {
	in_ns nat conntrack -L -p udp -d 10.3.0.11 2>/dev/null | grep 'src=10.2.0.2 ' |
		awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^sport=/) { print $i; break } }' |
		sort -u | tr '\n' ' ' | grep -qx 'sport=5060 '
}
check "b: REGISTER, keep-alives and the call share one NAT mapping (conntrack)" only_one_mapping
check "account show counts the relayed requests and the calls" \
	nkd_eval 'a["local_proxy"]["from_ua"] >= 4 and a["local_proxy"]["to_ua"] >= 3 and a["local_proxy"]["calls"] >= 2'

# c) the primary dies; the next calls go through sip2
peer_kamailio_stop srv@10.3.0.11
check "c: failover: current server sip2" nkd_wait 20 'a["current_server"] == "10.3.0.12:5060"'
check "c: the far end's call through sip2 reaches baresip" far_calls 10.3.0.12 c
check "c: alice's next call goes to sip2" alice_calls c
check "c: sip2 took alice's INVITE" test "$(alice_invites srv@10.3.0.12)" -ge 1

# d) a NAT rebinding: a call reaches baresip before any REGISTER refresh
old_port=$(nk_nat_port nat 5060 10.3.0.12 5060)
nk_nat_ports 20300-20399
check "d: natkeepd registered the new mapping at once" wait_for 15 nkd_rebound 10.3.0.12 "$old_port"
check "d: the far end's call reaches baresip over the new mapping" far_calls 10.3.0.12 d

# e) a scanner and malformed requests from an address that is no server
# (baresip answers INVITEs itself: its SIP trace is what it received)
baresip_requests() {
	grep -cE '^(INVITE|OPTIONS) sip:' "$BARESIP_DIR/baresip.log"
}
before=$(baresip_requests)
# Its forged 200s to INVITE name natkeepd's public mapping, then a socket
# beside baresip's: relayed by Via alone, they would reach it.
pub=$(nkd_eval 'server("10.3.0.12:5060")["public_address"]')
nk_sink gw 127.0.0.1 5999 "$NK_TMP/beside-ua.txt"
check "e: the scanner ran (10.2.0.1, on the gateway's LAN side)" \
	bash -c "ip netns exec nat python3 '$NK_VM/sip_scan.py' -n 30 --stray '$pub' \
		'127.0.0.1:5999;rport=5999' 10.2.0.1 10.2.0.2:5060 >'$NK_TMP/scan.out' 2>&1"
sed 's/^/  | /' "$NK_TMP/scan.out"
check "e: no answer to its well-formed requests, none sent on by their Via maddr" \
	grep -q ' 0 to well-formed requests, 0 reflected$' "$NK_TMP/scan.out"
check "e: natkeepd dropped them (account show: dropped_sip)" nkd_wait 5 'a["dropped_sip"] >= 90'
check "e: none of its forged 200s (top Via $pub) went on beside the UA" \
	test ! -s "$NK_TMP/beside-ua.txt"
check "e: none reached baresip" test "$(baresip_requests)" = "$before"
check "e: the malformed ones sofia dropped are logged (one line per 10 s)" \
	wait_for 15 grep -q 'malformed SIP messages dropped on the SIP socket' "$NKD_LOG"
check "e: account show counts them" nkd_wait 5 'a["malformed_sip"] >= 30'

check "e: natkeepd runs on, registered with sip2" \
	nkd_eval 'a["current_server"] == "10.3.0.12:5060" and a["state"] == "registered"'
check "e: and a call still goes through" far_calls 10.3.0.12 e

# f) a restart (SIGUSR2): the UA's registration and the account's are
# taken over; a call reaches baresip, which did not register again
ua=$(nkd_eval 'a["local_proxy"]["user_agent"]')
ua_registers=$(grep -c '^REGISTER sip:' "$BARESIP_DIR/baresip.log")
kill -USR2 "$NKD_PID"
check "f: natkeepd exits for a restart" wait_for 5 bash -c "! kill -0 $NKD_PID 2>/dev/null"
wait "$NKD_PID" 2>/dev/null
NKD_PID=
rm -f "$NKD_SOCK"
check "f: natkeepd starts again" nkd_start
check "f: it knows the UA at once, as before ($ua)" \
	nkd_wait 5 "a['local_proxy']['user_agent'] == '$ua' and a['local_proxy']['user_agent_from'] == 'register'"
check "f: registered with sip2, taken over" nkd_wait 15 'a["current_server"] == "10.3.0.12:5060"'
check "f: the far end's call through sip2 reaches baresip" far_calls 10.3.0.12 f
check "f: baresip did not register again meanwhile" \
	test "$(grep -c '^REGISTER sip:' "$BARESIP_DIR/baresip.log")" = "$ua_registers"

# Dual registration: a call through either registrar reaches baresip.
check "dual: natkeepd stops" nkd_stop
check "dual: sip1 back" peer_kamailio_restart srv@10.3.0.11
for r in 10.3.0.11 10.3.0.12; do
	peer_kamailio_rpc "srv@$r" cfg.sets natkeep far_end "sip:$FAR:5070" >/dev/null
done
sed -i 's/^X_CheckPrimaryServerInterval = 600$/&\nX_SecondaryRegistration = true/' "$NKD_CONF"
rm -f "$NKD_SOCK"
check "dual: natkeepd starts again, X_SecondaryRegistration = true" nkd_start
check "dual: registered with sip1 and sip2" \
	nkd_wait 20 'a["current_server"] == "10.3.0.11:5060" and server("10.3.0.12:5060")["state"] == "secondary"'
# A stopped natkeepd (SIGTERM) forgets the UA: it knows it again at its
# next REGISTER; baresip's account made anew registers at once.
baresip_anew() {
	peer_baresip_cmd uadel sip:alice@natkeep.test && peer_baresip_cmd uanew "$ACCOUNT"
}
check "dual: baresip registers with the restarted natkeepd" baresip_anew
check "dual: natkeepd knows the UA" nkd_wait 15 'a["local_proxy"]["user_agent_from"] == "register"' 
check "dual: a call through the primary sip1 reaches baresip" far_calls 10.3.0.11 dual1
check "dual: a call through the secondary sip2 reaches baresip" far_calls 10.3.0.12 dual2

summary

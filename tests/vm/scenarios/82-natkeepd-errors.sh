#!/bin/bash
# natkeepd in bad situations: a malformed file, the module missing (refused
# or registering without it, then taking it up when loaded), a wrong
# password, a name DNS does not know, every server down (killed, silent),
# an outbound proxy's challenge before the registrar's.
# Each shows a clear state and message, none loops: REGISTERs are counted.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"
. "$(dirname "$0")/../natkeepd.sh"

nk_sip_topology
for a in 10.3.0.11 10.3.0.12 10.3.0.13; do
	check "kamailio on $a" peer_kamailio srv "$a" 5060
done
check "DNS: natkeep.test -> sip1; down.natkeep.test -> sip2, sip3" \
	peer_dnsmasq srv "$NK_SIP_DNS" \
	--srv-host=_sip._udp.natkeep.test,sip1.natkeep.test,5060,10,10 \
	--srv-host=_sip._udp.down.natkeep.test,sip2.natkeep.test,5060,10,10 \
	--srv-host=_sip._udp.down.natkeep.test,sip3.natkeep.test,5060,20,10 \
	--host-record=sip1.natkeep.test,10.3.0.11 --host-record=sip2.natkeep.test,10.3.0.12 \
	--host-record=sip3.natkeep.test,10.3.0.13 --local-ttl=30
printf 'nameserver %s\n' "$NK_SIP_DNS" >"$NK_TMP/resolv.conf"

# A malformed file: file:line: parameter: what is wrong, and no start.
bad=$NK_TMP/bad.conf
printf '[ITSP Profile A - SIP]\nProxyServer = natkeep.test\n[SP1 Service]\nAuthUserName = alice\nX_KeepAliveExpires = 29s\n' >"$bad"
out=$(in_ns gw "$NK_NKD" -t -c "$bad" 2>&1)
rc=$?
echo "  natkeepd -t: $out"
check "malformed file: refused (exit 1)" test "$rc" = 1
check "malformed file: the message names file, line and parameter" \
	grep -q "^natkeepd: $bad:5: X_KeepAliveExpires: " <<<"$out"
printf '[ITSP Profile A - SIP]\nProxyServer = natkeep.test\nX_NoSuchThing = 1\n' >"$bad"
out=$(in_ns gw "$NK_NKD" -f -c "$bad" 2>&1)
check "an unknown parameter stops start-up, named" grep -q "$bad:3: X_NoSuchThing: unknown parameter" <<<"$out"

# The module not loaded: refused when required ...
nkd_conf <<EOF
RequireModule = true
[ITSP Profile A - SIP]
ProxyServer = natkeep.test
[SP1 Service]
AuthUserName = alice
AuthPassword = secret
X_KeepAliveEnable = true
X_KeepAliveExpires = 2
EOF
out=$(in_ns gw "$NK_NKD" -f -c "$NKD_CONF" 2>&1)
rc=$?
check "RequireModule = true without natkeep.ko: refuses to start" test "$rc" = 1
check "... and says why" grep -q "natkeep.ko is not loaded" <<<"$out"
# ... and registers without it otherwise, taking it up once loaded.
sed -i 's/^RequireModule = true/RequireModule = false/' "$NKD_CONF"
check "RequireModule = false: starts" nkd_start
check "registers without kernel keep-alives" \
	nkd_wait 15 'a["state"] == "registered" and not a["keepalive"]["module"]'
check "says so in the log" grep -q "natkeep.ko is not loaded: registering without" "$NKD_LOG"
nk_load
check "natkeep.ko loaded later: the keep-alive flow appears within 10 s" \
	nkd_wait 10 'a["keepalive"]["module"] and server("10.3.0.11:5060")["flow"]["tx_packets"] >= 1'
check "natkeepd stops" nkd_stop
rm -f "$NKD_SOCK"

# Wrong password, unknown name, every server down: three accounts at once.
peer_kamailio_stop srv@10.3.0.12		# killed: ICMP port unreachable
check "sip3 silent (drop mode)" peer_kamailio_mode srv@10.3.0.13 drop
nkd_conf <<EOF
TransactionTimeout = 4
[ITSP Profile A - SIP]
ProxyServer = natkeep.test
X_ProxyServerRedundancy = true
[ITSP Profile B - SIP]
ProxyServer = nosuch.natkeep.test
X_ProxyServerRedundancy = true
[ITSP Profile C - SIP]
ProxyServer = down.natkeep.test
X_ProxyServerRedundancy = true
[SP1 Service]
AuthUserName = alice
AuthPassword = not-the-password
[SP2 Service]
AuthUserName = bob
AuthPassword = secret2
[SP3 Service]
AuthUserName = bob
AuthPassword = secret2
EOF
t0=$(date +%s.%N)
check "natkeepd starts with three failing accounts" nkd_start
sleep 40
show=$(nkd_show)
echo "$show" | sed 's/^/  | /'
acct() {
	nkd_show -j | python3 -c '
import json, sys
a = next(x for x in json.load(sys.stdin) if x["account"] == sys.argv[1])
def server(addr):
    return next((s for s in a["servers"] if s["address"] == addr), {})
r = eval(sys.argv[2])
sys.exit(0 if r else 1)' "$@"
}
check "wrong password: paused, sip1 failed with auth-failed" \
	acct SP1 'a["state"] == "paused" and server("10.3.0.11:5060")["last_error"]["kind"] == "auth-failed"'
sp1=$(nkd_registers srv@10.3.0.11 'r.get("user") == "alice" and float(r.get("t", 0)) > '"$t0")
echo "  REGISTER transactions from SP1 in 40 s: $sp1"
check "wrong password: no 401 loop (at most 4 REGISTER transactions in 40 s: $sp1)" \
	test "$sp1" -le 4
check "wrong password: the log names the account and the credentials" \
	grep -q "SP1: .*refuses the credentials of alice" "$NKD_LOG"
check "unknown name: no servers, DNS error 'no such name'" \
	acct SP2 'a["state"] == "no-servers" and "no such name" in a["dns_error"]'
# (A pause of 30-60 s began after about 4 s: it may be over by now.)
check "every server down: not registered, sip2 unreachable, sip3 timed out" \
	acct SP3 'a["state"] in ("paused", "registering") and server("10.3.0.12:5060")["last_error"]["kind"] == "unreachable" and server("10.3.0.13:5060")["last_error"]["kind"] == "timeout"'
sp3=$(nkd_registers srv@10.3.0.13 'float(r.get("t", 0)) > '"$t0")
echo "  REGISTER transactions at silent sip3 in 40 s: $sp3"
check "every server down: at most 2 REGISTER transactions at sip3 in 40 s ($sp3)" \
	test "$sp3" -le 2
dns=$(peer_dnsmasq_queries "srv@$NK_SIP_DNS" nosuch.natkeep.test)
echo "  DNS queries for nosuch.natkeep.test in 40 s: $dns"
check "unknown name: looked up again, but not in a loop ($dns queries)" \
	bash -c "[ '$dns' -ge 2 ] && [ '$dns' -le 12 ]"
check "natkeepd is still running" kill -0 "$NKD_PID"
check "natkeepd stops" nkd_stop
rm -f "$NKD_SOCK"

# An upstream router that blocks the SIP port: X_UserAgentPorts.
check "the router drops UDP from the gateway's port 5060" in_ns nat nft -f - <<'NFT'
table ip blocker {
	chain forward {
		type filter hook forward priority filter; policy accept;
		iifname "lan0" udp sport 5060 drop
	}
}
NFT
nkd_conf <<EOF
TransactionTimeout = 3
[ITSP Profile A - SIP]
ProxyServer = natkeep.test
[SP1 Service]
AuthUserName = alice
AuthPassword = secret
X_UserAgentPorts = 5070, 5071
EOF
check "natkeepd starts (port 5060 blocked upstream)" nkd_start
check "registered from the next of X_UserAgentPorts within 20 s" \
	nkd_wait 20 'a["state"] == "registered" and a["local_port"] == 5070'
check "the log says why it moved" \
	grep -q "no server answered REGISTER from UDP port 5060: trying port 5070" "$NKD_LOG"
bound_public() {
	peer_kamailio_bindings srv@10.3.0.11 | grep -q '^alice sip:alice@10.3.0.1:'
}
check "kamailio holds the binding, with the NAT's public address" wait_for 5 bound_public
check "natkeepd stops" nkd_stop
in_ns nat nft delete table ip blocker

# An outbound proxy's challenge (407), then the registrar's (401): two
# realms, each answered once.
check "sip1 challenges as a proxy (407) before the registrar's 401" \
	peer_kamailio_mode srv@10.3.0.11 407-401
nkd_conf <<EOF
[ITSP Profile A - SIP]
ProxyServer = natkeep.test
[SP1 Service]
AuthUserName = alice
AuthPassword = secret
EOF
t0=$(date +%s.%N)
check "natkeepd starts" nkd_start
check "registered through both challenges within 15 s" nkd_wait 15 'a["state"] == "registered"'
codes=$(peer_kamailio_registers srv@10.3.0.11 | awk -v t0="$t0" '
	{ split($1, t, "="); if (t[2] + 0 <= t0 + 0) next
	  for (i = 2; i <= NF; i++) if ($i ~ /^code=/) printf "%s ", substr($i, 6) }')
check "kamailio answered 407, 401, then 200 ($codes)" \
	bash -c '[[ "$1" == "407 401 200 "* ]]' _ "$codes"
check "natkeepd stops" nkd_stop
summary

#!/bin/bash
# `make demo` runs this inside the VM.  Part 1: a gateway behind an nftables
# NAT keeps its SIP socket's NAT binding open with natkeep flows to a server,
# and natkeepctl shows them live.  Part 2: natkeepd registers that gateway
# with real registrars (kamailio, digest auth) found by DNS SRV (dnsmasq),
# carries baresip's calls (an incoming call answered), heals a NAT
# rebinding, fails over from a dead primary (the next calls through the
# secondary) and stops cleanly.
# Exits non-zero when a step did not work.
set -uo pipefail
. "$(dirname "$0")/vm/lib.sh"
. "$(dirname "$0")/vm/natkeep.sh"
. "$(dirname "$0")/vm/peers.sh"
. "$(dirname "$0")/vm/natkeepd.sh"

DEMO_T0=$(date +%s%N)
DEMO_FAILED=()

say() { printf '\n## %s\n' "$*"; }
# natkeepctl in the gateway namespace, shown as typed there.
ctl() { printf '$ natkeepctl %s\n' "$*"; in_ns gateway "$NK_CTL" "$@"; }
gwctl() { printf '$ natkeepctl %s\n' "$*"; in_ns gw "$NK_CTL" "$@"; }
acct() { printf '$ natkeepctl account show\n'; nkd_show; }

# expect TEXT CMD...: a step that must work; a failure is reported (and
# makes the demo exit non-zero) but the demo goes on.
expect() {
	local text=$1
	shift
	if "$@" >"$NK_TMP/expect.out" 2>&1; then
		return 0
	fi
	printf '!! FAILED: %s\n' "$text"
	sed 's/^/!!   /' "$NK_TMP/expect.out" | tail -n 10
	DEMO_FAILED+=("$text")
	return 1
}

# The end: the verdict, and the exit status (the EXIT trap cleans up).
finish() {
	local secs
	secs=$(awk -v a="$DEMO_T0" -v b="$(date +%s%N)" 'BEGIN { printf "%.0f", (b - a) / 1e9 }')
	say "Result"
	if dmesg_since_mark | grep -Eq "$NK_DMESG_PATTERN"; then
		DEMO_FAILED+=("kernel log clean")
		dmesg_since_mark | grep -E "$NK_DMESG_PATTERN" | head -n 20
	fi
	if [ ${#DEMO_FAILED[@]} -eq 0 ]; then
		echo "demo OK: every step worked (${secs} s in the VM, kernel log clean)"
		exit 0
	fi
	echo "demo FAILED (${secs} s): ${#DEMO_FAILED[@]} step(s) did not work:"
	printf '  - %s\n' "${DEMO_FAILED[@]}"
	exit 1
}

# wait_until SECS CMD...: retry CMD every 0.1 s until it succeeds, for SECS
# seconds of wall time (wait_for counts tries, and a natkeepctl + python
# try is slow under TCG).
wait_until() {
	local end=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# Seconds (two decimals) from T0_NS to now, or to T1_NS.
since() {
	awk -v a="$1" -v b="${2:-$(date +%s%N)}" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'
}

# natkeepd's log lines at notice level and above after line $1, with their
# time relative to T0_NS ($2): what an operator sees in syslog.
nkd_log_since() {
	tail -n +$(($1 + 1)) "$NKD_LOG" | awk -v t0="${2:-$DEMO_T0}" '
		$2 == "natkeepd" && $3 ~ /^(notice|warning|error):$/ {
			t = $1; $1 = $2 = ""; sub(/^  /, "")
			printf "  natkeepd [%+6.2fs] %s\n", t - t0 / 1e9, $0
		}'
}
nkd_log_lines() { wc -l <"$NKD_LOG"; }

# kamailio's location table for alice at INST, shown as the RPC typed.
bindings() {
	local inst=$1 name=$2 out
	printf '$ kamcmd ul.dump   (%s, %s)\n' "$name" "${inst#*@}"
	out=$(peer_kamailio_bindings "$inst") || { echo "  (not running)"; return 0; }
	if [ -z "$out" ]; then
		echo "  no binding"
	else
		awk '{ printf "  AoR %s  Contact %s  Expires %s\n", $1, $2, $4 }' <<<"$out"
	fi
}

# The REGISTERs INST received after T0_NS, one line each (time from T0_NS),
# in the order natkeepd sent them (CSeq; kamailio's workers may log out of order).
registers() {
	peer_kamailio_registers "$1" | sort -s -t= -k5,5n | awk -v t0="$2" '
		{
			for (i = 1; i <= NF; i++) {
				split($i, kv, "=")
				if (kv[1] != "contact") f[kv[1]] = substr($i, length(kv[1]) + 2)
				else { c = $i; for (j = i + 1; j <= NF; j++) c = c " " $j; f["contact"] = substr(c, 9); break }
			}
			if (f["t"] * 1e9 <= t0) next
			what = f["code"] == "401" ? "401 (digest challenge)" : f["code"] == "200" ? "200 OK" : f["code"]
			printf "  [%+6.2fs] from %-15s REGISTER CSeq %s Contact %s Expires %s -> %s\n",
				f["t"] - t0 / 1e9, f["src"], f["cseq"], f["contact"], f["expires"], what
		}'
}

# When INST first answered a REGISTER matching the awk regexp RE with 200
# after T0_NS, in seconds after T0_NS.
first_200_after() {
	peer_kamailio_registers "$1" | awk -v t0="$2" -v re="$3" '
		{ for (i = 1; i <= NF; i++) if ($i ~ /^t=/) t = substr($i, 3) }
		t * 1e9 > t0 && /code=200/ && $0 ~ re { printf "%.2f", t - t0 / 1e9; exit }'
}

##############################################################################
# Part 1: natkeepctl and the module alone

echo "==== Part 1: natkeep.ko and natkeepctl, flows added by hand ===="

say "Topology: gateway 10.8.0.2 -> NAT (masquerade to 10.9.0.1) -> server 10.9.0.2"
ns_create gateway
ns_create nat
ns_create server
veth_pair gateway eth0 10.8.0.2/24 nat lan0 10.8.0.1/24
veth_pair nat wan0 10.9.0.1/24 server eth0 10.9.0.2/24
nk_addr gateway eth0 fd00:8::2/64
nk_addr server eth0 fd00:9::2/64
ip -n gateway route add default via 10.8.0.1
in_ns nat sysctl -qw net.ipv4.ip_forward=1
modprobe -a nft_chain_nat nft_masq
in_ns nat nft -f - <<'NFT'
table ip nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "wan0" masquerade
	}
}
NFT
# IPv6 has no NAT here: the gateway reaches the server directly.
ip link add v6a netns gateway type veth peer name v6b netns server
ip -n gateway addr add fd00:7::2/64 dev v6a nodad
ip -n server addr add fd00:7::1/64 dev v6b nodad
ip -n gateway link set v6a up
ip -n server link set v6b up

say "Load the module (insmod $(basename "$NK_KO"), built against $(uname -r))"
expect "insmod natkeep.ko" nk_load || finish
modinfo -F version "$NK_KO" | sed 's/^/version /'

say "A SIP socket on 10.8.0.2:5060 registers with the server (a UDP stand-in)"
nk_sink server 10.9.0.2 5060 "$NK_TMP/server.log" sip
nk_sink server fd00:7::1 5060 "$NK_TMP/server6.log"
in_ns gateway python3 "$NK_VM/sip_phone.py" 0.0.0.0 5060 10.9.0.2 5060 30 "$NK_TMP/phone.log" &
expect "the stand-in SIP phone starts" wait_until 10 test -e "$NK_TMP/phone.log.ready"
in_ns gateway "$NK_CTL" monitor >"$NK_TMP/monitor.txt" 2>&1 &
sleep 1

say "Keep-alive flows from the SIP socket's own port, while it stays bound"
ctl flow add local 10.8.0.2:5060 remote 10.9.0.2:5060 interval 500 type keep-alive
ctl flow add local [fd00:7::2]:5060 remote [fd00:7::1]:5060 interval 1s type empty random dscp ef mark 0x10

say "A STUN flow to a real STUN server (coturn) learns the NAT's public mapping"
expect "coturn starts" peer_stun server 10.9.0.2 3478
ctl flow add local 10.8.0.2:5064 remote 10.9.0.2:3478 interval 500 type stun
sleep 3
say "natkeepctl flow show (live counters, mapping, peer, worst lateness)"
ctl flow show
say "natkeepctl stats (the namespace's sends and their lateness histogram)"
ctl stats

say "Change a flow: every 250 ms from now on"
ctl flow set id 1 interval 250
sleep 2
ctl flow show id 1

say "What the server saw (source address:port, count, payload)"
python3 - "$NK_TMP/server.log" <<'PY'
import collections, sys
seen = collections.Counter()
for line in open(sys.argv[1]):
    _, addr, port, data = line.split()
    text = bytes.fromhex(data).decode(errors="replace")
    seen[(addr + ":" + port, text.split("\r\n")[0] or "(blank line)")] += 1
for (src, first_line), n in sorted(seen.items()):
    print("%5d from %-18s %r" % (n, src, first_line))
PY
echo "IPv6: $(wc -l <"$NK_TMP/server6.log") blank-line keep-alives from $(awk '{ print "[" $2 "]:" $3 }' "$NK_TMP/server6.log" | sort -u)"
expect "the server received keep-alives from the NAT's port 5060" \
	grep -q '^[0-9.]* 10.9.0.1 5060 6b6565702d616c697665' "$NK_TMP/server.log"

say "The NAT's mappings: the SIP socket and its keep-alives share one (5060)"
echo "$ conntrack -L -p udp   (in the NAT namespace)"
in_ns nat conntrack -L -p udp 2>/dev/null

say "Delete the flows; natkeepctl monitor saw every change"
ctl flow del id 1
ctl flow del id 2
ctl flow del id 3
sleep 1
echo "$ natkeepctl monitor   (started before the first flow)"
cat "$NK_TMP/monitor.txt"
expect "monitor saw the STUN mapping" grep -q '^mapping flow 3 ' "$NK_TMP/monitor.txt"

# Part 1's peers and namespaces go; part 2 builds its own network.
# shellcheck disable=SC2046 # one pid per word
kill $(jobs -p) 2>/dev/null
wait 2>/dev/null
for ns in gateway nat server; do
	ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
	ip netns del "$ns"
done
# shellcheck disable=SC2034 # lib.sh's cleanup reads it
NK_NAMESPACES=()

##############################################################################
# Part 2: natkeepd, the SIP agent

echo
echo "==== Part 2: natkeepd, the SIP agent, with real registrars ===="

say "natkeepd: gateway 10.2.0.2 -> NAT (10.3.0.1) -> registrars sip1 10.3.0.11, sip2 10.3.0.12, DNS 10.3.0.53"
nk_sip_topology
expect "two kamailio registrars and dnsmasq start" nkd_servers 10 20 || finish
echo "kamailio (digest auth, alice/secret) on 10.3.0.11 and 10.3.0.12, dnsmasq on 10.3.0.53"
echo "The gateway only knows the domain; DNS SRV says which server to use first:"
echo "$ dig +short SRV _sip._udp.natkeep.test"
in_ns gw dig +short +time=3 @"$NK_SIP_DNS" SRV _sip._udp.natkeep.test | sort

say "natkeepd's configuration (OBi parameter names)"
INTERVAL=2
nkd_conf_alice RegisterExpires=300 X_ProxyServerRedundancy=true \
	X_KeepAliveExpires=$INTERVAL X_LocalProxy=127.0.0.1:5070
echo "$ cat natkeepd.conf"
sed 's/^/  /' "$NKD_CONF"

say "Start natkeepd in the gateway: DNS SRV, REGISTER with digest auth through the NAT"
echo "$ natkeepd -f -c natkeepd.conf"
t_start=$(date +%s%N)
expect "natkeepd starts" nkd_start || finish
if ! expect "registered with sip1 (SRV priority 10) within 20 s" \
	wait_until 20 nkd_eval 'a["state"] == "registered" and a["current_server"] == "10.3.0.11:5060"'; then
	nkd_log_since 0 "$t_start"
	nkd_show
	finish
fi
t_reg=$(first_200_after srv@10.3.0.11 "$t_start" "contact=<sip:alice@10[.]3[.]0[.]1:")
nkd_log_since 0 "$t_start"
echo "What sip1 received (the source is the NAT's public address):"
registers srv@10.3.0.11 "$t_start"
echo "The 401's challenge is answered with the credentials; the 200's Via (received/rport)"
echo "tells natkeepd its public address, so it registers that as its Contact."
echo "Registered with the public Contact ${t_reg:-?} s after natkeepd started."
nat_port=$(nk_nat_port nat 5060 10.3.0.11 5060)
public_binding() {
	peer_kamailio_bindings srv@10.3.0.11 | grep -q "^alice sip:alice@10.3.0.1:$1 "
}
expect "kamailio's binding is the NAT's public address 10.3.0.1:${nat_port:-?}" \
	wait_until 10 public_binding "$nat_port"
bindings srv@10.3.0.11 sip1

say "Keep-alives sent by the kernel: the flow natkeepd created"
flow_ok() {
	in_ns gw "$NK_CTL" -j flow show | python3 -c '
import json, sys
f = json.load(sys.stdin)
assert len(f) == 1 and f[0]["remote"] == "10.3.0.11:5060" and f[0]["local"].endswith(":5060"), f
assert f[0]["stats"]["rx_responses"] >= 2, f[0]["stats"]'
}
expect "one kernel flow, OPTIONS from port 5060 to sip1, answered" wait_until 15 flow_ok
echo "OPTIONS every ${INTERVAL} s from the SIP socket's port 5060; kamailio's answers tell the mapping:"
gwctl flow show
echo "$ conntrack -L -p udp   (in the NAT: one mapping for REGISTER and keep-alives)"
in_ns nat conntrack -L -p udp 2>/dev/null | grep 'sport=5060 dport=5060 '
echo "natkeepd's view (natkeepctl finds it through NATKEEPD_SOCKET=$NKD_SOCK):"
acct

say "Calls: baresip, the gateway's SIP UA, uses natkeepd as its outbound proxy"
FAR=10.3.0.21
nk_addr srv eth0 "$FAR/24"
for r in 10.3.0.11 10.3.0.12; do
	peer_kamailio_rpc "srv@$r" cfg.sets natkeep far_end "sip:$FAR:5070" >/dev/null
done
ACCOUNT='<sip:alice@natkeep.test>;auth_pass=secret;outbound="sip:127.0.0.1:5070";regint=60;answermode=auto'
echo "baresip's account: $ACCOUNT"
expect "baresip starts in the gateway" peer_baresip gw 127.0.0.1 5080 "$ACCOUNT" || finish
expect "baresip registered with natkeepd (natkeepd answers that REGISTER itself)" \
	wait_until 15 nkd_eval 'a["local_proxy"]["user_agent"]'
acct | grep -A1 "local UA proxy"
# far_call INST NAME: the far end (sipp on $FAR) calls alice through INST.
far_call() {
	in_ns srv bash -c "cd '$NK_TMP' && exec sipp -sf '$NK_PEERS/sipp-call-uac.xml' -s alice \
		-i $FAR -p 5072 -m 1 -d 1000 -nostdin -timeout 30 -timeout_error $1:5060" \
		>"$NK_TMP/far-$2.log" 2>&1
}
echo "The far end (sipp on $FAR) calls alice through sip1: kamailio looks alice up and"
echo "sends the INVITE to her Contact, the NAT's public mapping; natkeepd passes it to baresip."
expect "the call is answered by baresip (200, ACK), the far end hangs up (BYE, 200)" far_call 10.3.0.11 one
expect "baresip saw the call established and closed" peer_baresip_wait CALL_CLOSED 1 5
echo "baresip's events:"
python3 -c 'import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("class") == "call":
        print("  %s %s %s" % (e["type"], e.get("direction", ""), e.get("peeruri", "")))' "$PEER_BARESIP_EVENTS"
acct | grep -A1 "local UA proxy"

say "A NAT rebinding: the NAT forgets the mapping and picks a new port"
bindings srv@10.3.0.11 sip1
log_mark=$(nkd_log_lines)
echo "$ nft ... masquerade to :20100-20199; conntrack -F   (in the NAT)"
nk_nat_ports 20100-20199
t_flush=$NK_NAT_FLUSH_NS
new_contact_registered() {
	local p
	p=$(nk_nat_port nat 5060 10.3.0.11 5060)
	[ -n "$p" ] && [ "$p" != "$nat_port" ] && public_binding "$p"
}
expect "kamailio's binding has the new port within 15 s" wait_until 15 new_contact_registered
new_port=$(nk_nat_port nat 5060 10.3.0.11 5060)
heal_s=$(first_200_after srv@10.3.0.11 "$t_flush" "10[.]3[.]0[.]1:${new_port}[^0-9]")
echo "NAT port for the SIP socket: ${nat_port:-?} -> ${new_port:-?}"
nkd_log_since "$log_mark" "$t_flush"
registers srv@10.3.0.11 "$t_flush"
one_binding() { [ "$(peer_kamailio_bindings "$1" | wc -l)" = 1 ]; }
expect "the stale binding is gone" wait_until 10 one_binding srv@10.3.0.11
bindings srv@10.3.0.11 sip1
echo "Healed: kamailio had the new Contact ${heal_s:-?} s after the NAT forgot the old one."
echo "(The next keep-alive left through the new mapping; its answer's Via showed the new"
echo "port to the kernel, which told natkeepd: at most one keep-alive interval, ${INTERVAL} s.)"
expect "healed within one keep-alive interval + 1 s (${heal_s:-never})" \
	awk -v s="${heal_s:-99}" -v i="$INTERVAL" 'BEGIN { exit !(s <= i + 1) }'

say "The primary dies: failover to sip2"
echo "Before:"
acct
log_mark=$(nkd_log_lines)
echo "$ kill kamailio sip1"
peer_kamailio_stop srv@10.3.0.11
t_kill=$(date +%s%N)
expect "failover to sip2 within 20 s" \
	wait_until 20 nkd_eval 'a["state"] == "registered" and a["current_server"] == "10.3.0.12:5060"'
nkd_log_since "$log_mark" "$t_kill"
echo "What sip2 received:"
registers srv@10.3.0.12 "$t_kill"
reg2_s=$(first_200_after srv@10.3.0.12 "$t_kill" "")
bound_at() { [ -n "$(peer_kamailio_bindings "$1")" ]; }
expect "sip2 holds alice's binding" wait_until 10 bound_at srv@10.3.0.12
bindings srv@10.3.0.12 sip2
expect "the keep-alives go to sip2 now, answered" \
	wait_until 10 nkd_eval 'server("10.3.0.12:5060")["flow"]["rx_responses"] >= 1'
echo "After:"
acct
echo "Failover: registered with sip2 ${reg2_s:-?} s after sip1 died. The next OPTIONS"
echo "keep-alive to sip1 went unanswered (timeout 1 s): natkeepd left it for the next SRV target."
expect "sip1 failed with keep-alive-unanswered" \
	nkd_eval 'server("10.3.0.11:5060")["last_error"]["kind"] == "keep-alive-unanswered"'

say "The next calls go through sip2, the current server"
echo "The far end calls alice through sip2:"
expect "answered by baresip through sip2" far_call 10.3.0.12 two
expect "baresip saw the second call" peer_baresip_wait CALL_CLOSED 2 5
echo "alice (baresip) calls far1: natkeepd sends the INVITE from the registered socket"
echo "to sip2, the current server; baresip answers kamailio's 407 with alice's credentials."
in_ns srv bash -c "cd '$NK_TMP' && exec sipp -sf '$NK_PEERS/sipp-call-uas.xml' -i $FAR -p 5070 \
	-m 1 -nostdin -timeout 30 -timeout_error" >"$NK_TMP/far-answer.log" 2>&1 &
uas=$!
sleep 1
expect "baresip dials far1" peer_baresip_cmd dial sip:far1@natkeep.test
expect "the far end answers" peer_baresip_wait CALL_ESTABLISHED 3 15
sleep 1
expect "baresip hangs up" peer_baresip_cmd hangup
expect "the far end saw INVITE, ACK and BYE" wait "$uas"
echo "sip2's log of the calls it routed (src: the NAT's public mapping of natkeepd's socket):"
peer_kamailio_calls srv@10.3.0.12 | sed 's/^/  /'
acct | grep -A1 "local UA proxy"

say "Stop natkeepd (SIGTERM): un-REGISTER, flows deleted"
log_mark=$(nkd_log_lines)
echo "$ kill -TERM \$(pidof natkeepd)"
t_stop=$(date +%s%N)
expect "natkeepd exits within 15 s" nkd_stop
echo "natkeepd exited:"
nkd_log_since "$log_mark" "$t_stop"
echo "What sip2 received (Expires 0: the un-REGISTER):"
registers srv@10.3.0.12 "$t_stop"
expect "un-REGISTER (Expires 0) answered 200 by sip2" \
	test -n "$(first_200_after srv@10.3.0.12 "$t_stop" "expires=0 ")"
expect "no binding left at sip2" test -z "$(peer_kamailio_bindings srv@10.3.0.12)"
bindings srv@10.3.0.12 sip2
echo "$ natkeepctl flow show"
flows=$(in_ns gw "$NK_CTL" flow show)
echo "${flows:-(no flows)}"
expect "no flow left in the module" test "$(in_ns gw "$NK_CTL" -j flow show)" = "[]"
expect "natkeepd logged no error" bash -c "! grep -q ' natkeepd error: ' '$NKD_LOG'"

echo
expect "rmmod natkeep" nk_unload && echo "module unloaded"
finish

#!/bin/bash
# natkeepd restarts without a gap: SIGUSR2 (natkeepd.service's restart
# signal) leaves the registration and the keep-alive flow, and the next
# natkeepd refreshes the same binding (Call-ID, Contact) and takes the flow
# over: the registrar never sees Expires: 0 nor loses the binding, the NAT
# mapping stays. SIGTERM still un-registers. After kill -9 while failed
# over, the next natkeepd goes on from the failed-over state and the
# usual rules move it back, leaving exactly the flows of the new state;
# with the state file lost too, the orphan flow is deleted at start.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"
. "$(dirname "$0")/../natkeepd.sh"

INTERVAL=2
CHECK=10
SIP1=10.3.0.11
SIP2=10.3.0.12
nk_load
nk_sip_topology
check "two registrars and DNS (SRV priorities 10, 20)" nkd_servers 10 20

nkd_conf <<EOF
[ITSP Profile A - SIP]
ProxyServer = natkeep.test
RegisterExpires = 300
X_ProxyServerRedundancy = true
X_CheckPrimaryServerInterval = $CHECK
[SP1 Service]
AuthUserName = alice
AuthPassword = secret
X_KeepAliveEnable = true
X_KeepAliveExpires = $INTERVAL
X_KeepAliveMsgType = options
EOF

# The flows in gw as "ID REMOTE TX_PACKETS" lines, by id.
flows() {
	in_ns gw "$NK_CTL" -j flow show | python3 -c '
import json, sys
for f in sorted(json.load(sys.stdin), key=lambda f: f["id"]):
    print(f["id"], f["remote"], f["stats"]["tx_packets"])'
}

# Exactly one flow, to REMOTE.
one_flow_to() {
	[ "$(flows | awk '{ print $2 }')" = "$1" ]
}

# The Call-ID of INST's last REGISTER answered 200.
last_callid() {
	peer_kamailio_registers "$1" | awk '/ code=200 / { c = $0 } END {
		n = split(c, f, " "); for (i = 1; i <= n; i++) if (f[i] ~ /^callid=/) print substr(f[i], 8) }'
}

nkd_kill() {
	kill -KILL "$NKD_PID"
	wait "$NKD_PID" 2>/dev/null
	NKD_PID=
}

# Exits on SIGUSR2 within 5 s, with status 75 (handed over).
nkd_hand_over() {
	local rc=0
	kill -USR2 "$NKD_PID" || return 1
	wait_for 5 bash -c "! kill -0 $NKD_PID 2>/dev/null" || return 1
	wait "$NKD_PID" || rc=$?
	NKD_PID=
	echo "exit status $rc"
	[ "$rc" = 75 ]
}

# A fresh start: the last one's socket file may be left (kill -9).
nkd_restart() {
	rm -f "$NKD_SOCK"
	nkd_start
}

# --- a) a restart keeps the registration and the flow
check "natkeepd starts" nkd_start
check "registered with sip1" nkd_wait 15 "a['current_server'] == '$SIP1:5060'"
check "its keep-alive flow to sip1 is answered" \
	nkd_wait 10 "server('$SIP1:5060')['flow']['rx_responses'] >= 1"
flow_before=$(flows)
callid=$(last_callid "srv@$SIP1")
binding=$(peer_kamailio_bindings "srv@$SIP1" | awk '{ print $2 }')
nat_port=$(nk_nat_port nat 5060 "$SIP1" 5060)
echo "  before: flow $flow_before; Call-ID $callid; binding $binding; NAT port $nat_port"
check "one flow, to sip1" one_flow_to "$SIP1:5060"

# The registrar's binding, five times a second, across the restart.
samples=$NK_TMP/bindings
(
	end=$(($(date +%s) + 14))
	while [ "$(date +%s)" -lt "$end" ]; do
		peer_kamailio_bindings "srv@$SIP1" | awk '{ print $2 } END { if (!NR) print "none" }'
		sleep 0.2
	done
) >"$samples" &
sampler=$!
sleep 1
check "SIGUSR2: natkeepd exits at once, status 75" nkd_hand_over
check "it leaves its state file" test -s "$NK_TMP/natkeepd.state"
check "it said it exits for a restart" grep -q "exiting for a restart" "$NKD_LOG"
id=${flow_before%% *}
tx=$(flows | awk -v id="$id" '$1 == id { print $3 }')
sent_more() {
	[ "$(flows | awk -v id="$id" '$1 == id { print $3 }')" -gt "$tx" ]
}
check "the flow keeps sending without natkeepd" wait_for $((3 * INTERVAL)) sent_more
restarted=$(date +%s.%N)
check "natkeepd starts again" nkd_restart
check "it takes the registration over" \
	wait_for 10 grep -q "taking over the registration at sip:$SIP1:5060;transport=udp (Call-ID $callid," "$NKD_LOG"
check "registered with sip1" nkd_wait 15 "a['current_server'] == '$SIP1:5060'"
# From the registrar: the new natkeepd's REGISTER continues the binding.
after=$(peer_kamailio_registers "srv@$SIP1" | awk -v t0="$restarted" '
	{ for (i = 1; i <= NF; i++) if ($i ~ /^t=/) t = substr($i, 3) }
	t > t0 && / code=200 / { print; exit }')
echo "  the first REGISTER answered after the restart: $after"
check "its REGISTER has the same Call-ID" grep -q " callid=$callid " <<<"$after"
check "and the same Contact" grep -qF "contact=<$binding>" <<<"$after"
cseq_after=$(grep -o ' cseq=[0-9]*' <<<"$after" | cut -d= -f2)
cseq_before=$(peer_kamailio_registers "srv@$SIP1" | awk -v t0="$restarted" '
	{ for (i = 1; i <= NF; i++) { if ($i ~ /^t=/) t = substr($i, 3); if ($i ~ /^cseq=/) c = substr($i, 6) } }
	t <= t0 && c + 0 > max { max = c + 0 } END { print max + 0 }')
check "and a higher CSeq ($cseq_after after $cseq_before)" test "${cseq_after:-0}" -gt "$cseq_before"
wait "$sampler"
echo "  $(wc -l <"$samples") samples: $(sort "$samples" | uniq -c | tr '\n' ';')"
check "the registrar held the binding in every sample, unchanged" \
	bash -c "[ \$(wc -l <'$samples') -ge 5 ] && ! grep -vxF '$binding' '$samples'"
check "the registrar never saw Expires: 0" \
	test "$(nkd_registers "srv@$SIP1" 'r["expires"] == "0"')" = 0
check "the same flow, taken over; no other" \
	test "$(flows | awk '{ print $1, $2 }')" = "$(awk '{ print $1, $2 }' <<<"$flow_before")"
check "the NAT mapping is the same ($nat_port)" \
	bash -c '[ -n "$1" ] && [ "$1" = "$2" ]' _ "$nat_port" "$(nk_nat_port nat 5060 "$SIP1" 5060)"

# --- b) a stop un-registers
check "SIGTERM: natkeepd stops" nkd_stop
check "it un-registered: sip1 holds no binding" wait_for 5 nkd_unbound "srv@$SIP1"
check "no flow left" test -z "$(flows)"
check "no state file left" test ! -e "$NK_TMP/natkeepd.state"

# --- c) kill -9 while failed over: the next natkeepd goes on from there
check "natkeepd starts afresh" nkd_restart
check "registered with sip1" nkd_wait 15 "a['current_server'] == '$SIP1:5060'"
peer_kamailio_stop "srv@$SIP1"
check "failover: current server sip2" nkd_wait 20 "a['current_server'] == '$SIP2:5060'"
check "one flow, to sip2" wait_for 5 one_flow_to "$SIP2:5060"
callid=$(last_callid "srv@$SIP2")
check "kill -9" nkd_kill
check "sip1 restarts" peer_kamailio_restart "srv@$SIP1"
check "natkeepd starts again" nkd_restart
check "it takes the registration at sip2 over" \
	wait_for 10 grep -q "taking over the registration at sip:$SIP2:5060;transport=udp (Call-ID $callid," "$NKD_LOG"
check "fallback: current server sip1 again" \
	nkd_wait $((CHECK + 15)) "a['current_server'] == '$SIP1:5060'"
check "sip2's binding is removed (un-REGISTER)" wait_for 10 nkd_unbound "srv@$SIP2"
check "exactly one flow: to sip1" wait_for 5 one_flow_to "$SIP1:5060"

# --- d) kill -9 while failed over, and the state file lost with it
peer_kamailio_stop "srv@$SIP1"
check "failover: current server sip2" nkd_wait 20 "a['current_server'] == '$SIP2:5060'"
check "one flow, to sip2" wait_for 5 one_flow_to "$SIP2:5060"
check "kill -9" nkd_kill
rm -f "$NK_TMP/natkeepd.state"
check "sip1 restarts" peer_kamailio_restart "srv@$SIP1"
check "natkeepd starts again, with nothing to take over" nkd_restart
check "registered with sip1" nkd_wait 15 "a['current_server'] == '$SIP1:5060'"
check "it deleted the orphan flow to sip2 at start" \
	grep -q "deleting flow .*no account of ours needs it" "$NKD_LOG"
check "exactly one flow: to sip1" wait_for 5 one_flow_to "$SIP1:5060"
check "natkeepd stops" nkd_stop
check "no flow left" test -z "$(flows)"
summary

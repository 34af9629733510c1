#!/bin/bash
# Self-test of the test peers (peers.sh, hostile.py), without the module:
# gw -- nat (nftables masquerade to ports 20000-20099) -- srv, with coturn,
# kamailio and sipp in srv.  From gw through the NAT: STUN mappings and SIP
# Via received/rport must be the NAT's outside address and the public port
# that conntrack shows; REGISTER with digest auth stores the public
# address:port; kamailio's drop mode silences it and back; the capture of
# all that dissects cleanly; hostile.py's datagrams all reach a plain sink
# through the NAT, unchanged, and the sender survives.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"

SRV=10.3.0.2
PUB=10.3.0.1
HOSTILE_MS=0

check "gw -> NAT (masquerade to outside ports 20000-20099) -> srv" nk_nat_topology

info() {
	echo "info: $*"
}

# A value from sip_client.py's output: field NAME FILE
field() {
	sed -n "s/^$1: //p" "$2" | head -n 1
}

# --- peers ---------------------------------------------------------------

check "capture on srv eth0 starts" capture_start srv eth0 "$NK_TMP/srv.pcapng" udp
info "dumpcap ready in ${PEER_READY_S}s"
check "coturn STUN server on $SRV:3478" peer_stun srv $SRV 3478
info "turnserver ready in ${PEER_READY_S}s"
check "kamailio on $SRV:5060" peer_kamailio srv $SRV 5060
info "kamailio ready in ${PEER_READY_S}s"
check "sipp UAS on $SRV:5062" peer_sipp_uas srv $SRV 5062
info "sipp ready in ${PEER_READY_S}s"
check "sipp UAS with a fixed Via mapping on $SRV:5064" peer_sipp_uas srv $SRV 5064 192.0.2.7 4444
info "sipp (fixed Via) ready in ${PEER_READY_S}s"

# --- STUN through the NAT --------------------------------------------------

stun_through_nat() {
	local sport=$1 dport=$2 mapping port
	mapping=$(in_ns gw python3 "$NK_PEERS/stun_client.py" -s "$sport" $SRV "$dport") || return 1
	port=$(nk_nat_port nat "$sport" $SRV "$dport")
	echo "mapping $mapping, conntrack public port ${port:-none}"
	[ -n "$port" ] && [ "$port" -ge 20000 ] && [ "$port" -le 20099 ] &&
		[ "$mapping" = "$PUB:$port" ]
}
check "STUN (coturn): XOR-MAPPED-ADDRESS is the NAT's outside address and conntrack's public port" \
	stun_through_nat 4000 3478
check "STUN (kamailio's stun.so on the SIP port): the same" stun_through_nat 4002 5060

# --- SIP through the NAT ---------------------------------------------------

# sip_via_nat OUT SPORT DPORT ARGS...: a request from gw:SPORT, 200 OK with
# received/rport = the NAT's public address/port for that flow.
sip_via_nat() {
	local out=$1 sport=$2 dport=$3 port
	shift 3
	in_ns gw python3 "$NK_PEERS/sip_client.py" -s "$sport" --expect 200 "$@" $SRV "$dport" >"$out" || {
		cat "$out"
		return 1
	}
	cat "$out"
	port=$(nk_nat_port nat "$sport" $SRV "$dport")
	echo "conntrack public port: ${port:-none}"
	[ -n "$port" ] && [ "$(field received "$out")" = "$PUB" ] && [ "$(field rport "$out")" = "$port" ]
}
check "kamailio: OPTIONS 200, Via received/rport = the NAT's public address:port" \
	sip_via_nat "$NK_TMP/k-options.out" 5060 5060 -m OPTIONS
check "kamailio: NOTIFY 200, the same Via received/rport" \
	sip_via_nat "$NK_TMP/k-notify.out" 5060 5060 -m NOTIFY
check "kamailio: PING (any method) 200" \
	sip_via_nat "$NK_TMP/k-ping.out" 5060 5060 -m PING

# sipp reflects the Via unchanged (it cannot see the source address).
sipp_reflects() {
	local out=$1
	shift
	in_ns gw python3 "$NK_PEERS/sip_client.py" --expect 200 "$@" >"$out" || { cat "$out"; return 1; }
	cat "$out"
	grep -q '^via: SIP/2.0/UDP 10.2.0.2:5070;branch=z9hG4bK[0-9a-f]*;rport$' "$out"
}
check "sipp: OPTIONS 200, Via reflected unchanged" \
	sipp_reflects "$NK_TMP/s-options.out" -s 5070 -m OPTIONS $SRV 5062
check "sipp: NOTIFY 200, Via reflected unchanged" \
	sipp_reflects "$NK_TMP/s-notify.out" -s 5070 -m NOTIFY $SRV 5062
sipp_fixed() {
	local out=$NK_TMP/s-fixed.out
	in_ns gw python3 "$NK_PEERS/sip_client.py" -s 5070 --expect 200 -m "$1" $SRV 5064 >"$out" || { cat "$out"; return 1; }
	cat "$out"
	[ "$(field received "$out")" = 192.0.2.7 ] && [ "$(field rport "$out")" = 4444 ]
}
check "sipp (fixed Via): OPTIONS 200 reporting received=192.0.2.7 rport=4444" sipp_fixed OPTIONS
check "sipp (fixed Via): NOTIFY 200, the same" sipp_fixed NOTIFY

# --- REGISTER with digest auth ------------------------------------------------

register() {
	local out=$NK_TMP/register.out port bindings
	sip_via_nat "$out" 5060 5060 -m REGISTER -u alice -p secret -e 600 || return 1
	port=$(nk_nat_port nat 5060 $SRV 5060)
	bindings=$(peer_kamailio_bindings srv) || return 1
	echo "bindings: $bindings"
	grep -qx "alice sip:alice@10.2.0.2:5060 sip:$PUB:$port [0-9]*" <<<"$bindings"
}
check "REGISTER alice with digest auth: 200, the binding's Received is the NAT's public address:port" register
check "REGISTER with a wrong password: 401 after the retry" \
	in_ns gw python3 "$NK_PEERS/sip_client.py" -s 5066 -m REGISTER -u alice -p wrong --expect 401 $SRV 5060
location_has_alice() {
	peer_kamailio_location srv >"$NK_TMP/ul.dump" || return 1
	grep -q 'AoR: alice' "$NK_TMP/ul.dump"
}
check "the location table (kamcmd ul.dump) has alice" location_has_alice

# --- kamailio's modes ---------------------------------------------------------

# options_silent [sip_client.py ARGS]: no answer at all (sip_client.py exit 2).
options_silent() {
	local out=$NK_TMP/silent.out rc=0
	in_ns gw python3 "$NK_PEERS/sip_client.py" -s 5060 -t 4 "$@" $SRV 5060 >"$out" || rc=$?
	cat "$out"
	[ $rc = 2 ]
}
check "kamailio switched to drop mode" peer_kamailio_mode srv drop
check "kamailio in drop mode: OPTIONS gets no answer" options_silent
check "kamailio in drop mode: REGISTER gets no answer" options_silent -m REGISTER -u alice -p secret
check "kamailio switched back to normal" peer_kamailio_mode srv normal
check "kamailio answers OPTIONS 200 again" \
	sip_via_nat "$NK_TMP/k-again.out" 5060 5060 -m OPTIONS
mode_503() {
	local out=$NK_TMP/503.out
	peer_kamailio_mode srv 503 || return 1
	in_ns gw python3 "$NK_PEERS/sip_client.py" -s 5060 --expect 503 $SRV 5060 >"$out" || { cat "$out"; return 1; }
	cat "$out"
	grep -q '^retry-after: 30$' "$out"
}
check "kamailio in 503 mode: 503 with Retry-After" mode_503
check "kamailio back to normal after 503" peer_kamailio_mode srv normal

# --- the capture ----------------------------------------------------------------

capture_stop "$NK_TMP/srv.pcapng"
if tshark_check_valid "$NK_TMP/srv.pcapng" sip,stun -d udp.port==5062,sip -d udp.port==5064,sip \
	>"$NK_TMP/tshark.out" 2>&1; then
	pass "the capture of STUN and SIP on srv dissects without malformed frames or expert errors"
else
	fail "the capture of STUN and SIP on srv dissects without malformed frames or expert errors"
fi
sed 's/^/  /' "$NK_TMP/tshark.out"
check "the capture has STUN Binding requests and successes, SIP OPTIONS/NOTIFY/REGISTER and 200s" bash -c '
	grep -q "stun Binding Request: [1-9]" "$1" && grep -q "stun Binding Success Response: [1-9]" "$1" &&
	grep -q "sip OPTIONS request: [1-9]" "$1" && grep -q "sip NOTIFY request: [1-9]" "$1" &&
	grep -q "sip REGISTER request: [1-9]" "$1" && grep -q "sip 200 response to OPTIONS: [1-9]" "$1" &&
	grep -q "sip 401 response to REGISTER: [1-9]" "$1"' _ "$NK_TMP/tshark.out"

# --- hostile.py against a plain sink through the NAT -----------------------------

# hostile_run NAME GW_PORT SRV_PORT MODE: open the NAT mapping from
# gw:GW_PORT to srv:SRV_PORT, start a sink on gw:GW_PORT, send everything
# from srv:SRV_PORT to the public mapping, compare.
hostile_run() {
	local name=$1 gport=$2 sport=$3 mode=$4 port t0 rc=0
	# The mapping: one datagram out (an OPTIONS; answered or not).
	in_ns gw python3 "$NK_PEERS/sip_client.py" -s "$gport" -t 1 $SRV "$sport" >/dev/null 2>&1
	port=$(nk_nat_port nat "$gport" $SRV "$sport")
	[ -n "$port" ] || { echo "no conntrack mapping for gw:$gport -> srv:$sport"; return 1; }
	nk_sink gw 10.2.0.2 "$gport" "$NK_TMP/$name.sink" || return 1
	t0=$(date +%s%N)
	in_ns srv python3 "$NK_HOSTILE" --mode "$mode" -n 12 -s 5 -l "$NK_TMP/$name.log" \
		$SRV:"$sport" $PUB:"$port" >"$NK_TMP/$name.out" 2>&1 || rc=$?
	cat "$NK_TMP/$name.out"
	HOSTILE_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
	echo "hostile.py took $HOSTILE_MS ms, exit $rc"
	[ $rc = 0 ] || return 1
	# Wait until the sink has everything (or stops growing).
	local want last=-1 now
	want=$(sed -n 's/^hostile: total [0-9]* deliverable //p' "$NK_TMP/$name.out")
	for _ in $(seq 100); do
		now=$(wc -l <"$NK_TMP/$name.sink")
		[ "$now" -ge "$want" ] && break
		[ "$now" = "$last" ] && sleep 1 && [ "$(wc -l <"$NK_TMP/$name.sink")" = "$now" ] && break
		last=$now
		sleep 0.3
	done
	python3 "$NK_PEERS/sink_match.py" "$NK_TMP/$name.log" "$NK_TMP/$name.sink" $SRV "$sport"
}
check "capture on gw eth0 for the hostile datagrams starts" capture_start gw eth0 "$NK_TMP/hostile.pcapng" udp
check "hostile.py (UDP socket) from srv:5070: every deliverable datagram reaches the sink through the NAT, unchanged" \
	hostile_run hostile-udp 7000 5070 udp
info "hostile.py (UDP socket) ran for ${HOSTILE_MS}ms"
capture_stop "$NK_TMP/hostile.pcapng"
t0=$SECONDS
if tshark_check_valid "$NK_TMP/hostile.pcapng" any -d udp.port==7000,sip >"$NK_TMP/tshark-hostile.out" 2>&1; then
	fail "tshark_check_valid rejects the capture of the hostile datagrams"
	sed 's/^/  /' "$NK_TMP/tshark-hostile.out"
else
	pass "tshark_check_valid rejects the capture of the hostile datagrams"
fi
info "tshark on the hostile capture took $((SECONDS - t0))s;" \
	"$(sed -n 's/^  frames \([0-9]*\).*/\1/p' "$NK_TMP/tshark-hostile.out") frames, bad ones include:" \
	"$(sed -n 's/^  | [0-9]* //p' "$NK_TMP/tshark-hostile.out" | sort -u | head -n 3 | paste -sd';')"
info "hostile.py sent: $(sed -n 's/^hostile: //p' "$NK_TMP/hostile-udp.out" | paste -sd, | sed 's/,/, /g')"
check "hostile.py (raw socket, spoofing kamailio's own 5060): the same" \
	hostile_run hostile-raw 7001 5060 auto
info "hostile.py (raw socket) ran for ${HOSTILE_MS}ms"
check "hostile.py fell back to a raw socket because kamailio holds 5060" \
	grep -q 'sending through a raw socket' "$NK_TMP/hostile-raw.out"
check "hostile.py is deterministic: the same seed gives the same bytes" bash -c '
	python3 "$1" --mode udp -n 3 -s 5 -i 0 -l "$2/det1" -c stun-wrong-tid,sip-nul,garbage 127.0.0.1:0 127.0.0.1:9 >/dev/null &&
	python3 "$1" --mode udp -n 3 -s 5 -i 0 -l "$2/det2" -c stun-wrong-tid,sip-nul,garbage 127.0.0.1:0 127.0.0.1:9 >/dev/null &&
	cmp "$2/det1" "$2/det2"' _ "$NK_HOSTILE" "$NK_TMP"
check "kamailio still answers OPTIONS at the end" \
	sip_via_nat "$NK_TMP/k-final.out" 5060 5060 -m OPTIONS
kamailio_gone() {
	peer_kamailio_stop srv || return 1
	! _peer_bound srv $SRV 5060 && options_silent
}
check "kamailio stopped (peer_kamailio_stop): its port is closed, OPTIONS get no answer" kamailio_gone

summary

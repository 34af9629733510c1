#!/bin/bash
# Self-test of the test peers (peers.sh, hostile.py), without the module:
# gw -- nat (nftables masquerade to ports 20000-20099) -- srv, with coturn,
# kamailio and sipp in srv.  From gw through the NAT: STUN mappings and SIP
# Via received/rport must be the NAT's outside address and the public port
# that conntrack shows; REGISTER with digest auth stores the public
# address:port; kamailio's drop mode silences it and back; the capture of
# all that dissects cleanly; hostile.py's datagrams all reach a plain sink
# through the NAT, unchanged, and the sender survives.  Then the peers of
# the natkeepd scenarios (nk_sip_topology): two kamailio instances in srv on
# 10.3.0.11 and 10.3.0.12, each answering and registering on its own (own
# location table, own REGISTER log), one stopped while the other goes on,
# restarted empty; dnsmasq on 10.3.0.53 with SRV and A records and their
# TTLs, its query log, new records after a restart; nk_with_resolv pointing
# gw's resolver (getent, dig) at it.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"

SRV=10.3.0.2
PUB=10.3.0.1
HOSTILE_MS=0

check "gw -> NAT (masquerade to outside ports 20000-20099) -> srv, with the SIP addresses (nk_sip_topology)" nk_sip_topology

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
# shellcheck disable=SC2120 # its arguments are optional
options_silent() {
	local out=$NK_TMP/silent.out rc=0
	in_ns gw python3 "$NK_PEERS/sip_client.py" -s 5060 -t 4 "$@" $SRV 5060 >"$out" || rc=$?
	cat "$out"
	[ $rc = 2 ]
}
check "kamailio switched to drop mode" peer_kamailio_mode srv drop
check "kamailio in drop mode: OPTIONS gets no answer" options_silent
check "kamailio in drop mode: REGISTER gets no answer" options_silent -m REGISTER -u alice -p secret
# stun_silent: no answer at all (stun_client.py's timeout, not another failure).
stun_silent() {
	local out rc=0
	out=$(in_ns gw python3 "$NK_PEERS/stun_client.py" -s 4004 -t 1 -r 2 $SRV 5060 2>&1) || rc=$?
	echo "$out"
	[ $rc = 1 ] && [[ $out == *"no Binding success response"* ]]
}
check "kamailio in drop mode: a STUN Binding request on its SIP port gets no answer" stun_silent
check "kamailio switched back to normal" peer_kamailio_mode srv normal
check "kamailio answers OPTIONS 200 again" \
	sip_via_nat "$NK_TMP/k-again.out" 5060 5060 -m OPTIONS
check "kamailio answers STUN on its SIP port again" stun_through_nat 4006 5060
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

# --- nk_sip_topology: registrar and DNS addresses on srv -------------------------

# at ADDR CMD [ARGS...]: CMD with SRV=ADDR (sip_via_nat and friends use it).
at() {
	local SRV=$1
	shift
	"$@"
}

# Every address answers UDP from gw, through the NAT: srv has no route to
# gw's 10.2.0.0/24, and the echo server sees the NAT's outside address.
reach_all() {
	local a port=7100 rc=0
	for a in "${NK_SIP_REGISTRARS[@]}" "$NK_SIP_DNS"; do
		nk_udp_echo srv "$a" $port "$NK_TMP/echo-$a.log" || { echo "no echo server on $a"; return 1; }
		nk_udp_ask gw "$a" $port "hello $a" || { echo "no answer from $a"; rc=1; continue; }
		grep -qx "$PUB [0-9]* hello $a" "$NK_TMP/echo-$a.log" || {
			echo "$a saw: $(cat "$NK_TMP/echo-$a.log")"
			rc=1
		}
	done
	ip -n srv route show | grep -q 10.2.0 && { echo "srv has a route to gw"; rc=1; }
	return $rc
}
check "gw reaches ${NK_SIP_REGISTRARS[*]} and $NK_SIP_DNS over UDP, through the NAT (seen from $PUB)" reach_all

# --- two kamailio instances in one namespace ------------------------------------

K1=10.3.0.11
K2=10.3.0.12
check "kamailio srv@$K1 on $K1:5060 (another instance in srv)" peer_kamailio srv $K1 5060
info "kamailio srv@$K1 ready in ${PEER_READY_S}s"
K1_DIR=$PEER_DIR
check "kamailio srv@$K2 on $K2:5060 (and another)" peer_kamailio srv $K2 5060
info "kamailio srv@$K2 ready in ${PEER_READY_S}s"
K2_DIR=$PEER_DIR
own_files() {
	local d
	[ "$K1_DIR" != "$K2_DIR" ] || { echo "one run dir: $K1_DIR"; return 1; }
	for d in "$K1_DIR" "$K2_DIR"; do
		ls -l "$d"
		[ -S "$d/kamailio_ctl" ] && [ -s "$d/kamailio.pid" ] && [ -s "$d/kamailio.log" ] || return 1
	done
	[ "$(cat "$K1_DIR/kamailio.pid")" != "$(cat "$K2_DIR/kamailio.pid")" ]
}
check "each instance has its own run dir, ctl socket, pid file and log" own_files
# srv alone: the first instance started while none was running (srv@$SRV
# was stopped above): a value set through it is seen at srv@$K1 only.
alias_is_k1() {
	local uri=sip:alias-$RANDOM@192.0.2.1 a b
	peer_kamailio_redirect srv "$uri" || return 1
	a=$(peer_kamailio_rpc srv@$K1 cfg.get natkeep redirect) && b=$(peer_kamailio_rpc srv@$K2 cfg.get natkeep redirect) ||
		return 1
	echo "redirect at srv@$K1: $a, at srv@$K2: $b"
	[ "$a" = "$uri" ] && [ "$b" != "$uri" ]
}
check "srv (alone) names srv@$K1 now, not srv@$K2" alias_is_k1

check "srv@$K1: OPTIONS from gw 200, Via received/rport = the NAT's public address:port" \
	at $K1 sip_via_nat "$NK_TMP/k1-options.out" 5080 5060 -m OPTIONS
check "srv@$K2: the same" \
	at $K2 sip_via_nat "$NK_TMP/k2-options.out" 5080 5060 -m OPTIONS

# register_at ADDR INST USER PASS SPORT: digest-authenticated REGISTER from
# gw:SPORT, 200, and INST's binding for USER has the NAT's public address:port.
register_at() {
	local addr=$1 inst=$2 user=$3 pass=$4 sport=$5 port bindings
	at "$addr" sip_via_nat "$NK_TMP/reg-$inst.out" "$sport" 5060 -m REGISTER -u "$user" -p "$pass" -e 600 || return 1
	port=$(nk_nat_port nat "$sport" "$addr" 5060)
	bindings=$(peer_kamailio_bindings "$inst") || return 1
	echo "bindings of $inst: $bindings"
	grep -qx "$user sip:$user@10.2.0.2:$sport sip:$PUB:$port [0-9]*" <<<"$bindings"
}
check "srv@$K1: REGISTER alice with digest auth from gw: 200, binding with the NAT's public address:port" \
	register_at $K1 srv@$K1 alice secret 5080
check "srv@$K2: REGISTER bob with digest auth from gw: 200, the same" \
	register_at $K2 srv@$K2 bob secret2 5082
check "srv@$K2: a wrong password gets 401 after the retry" \
	in_ns gw python3 "$NK_PEERS/sip_client.py" -s 5084 -m REGISTER -u bob -p wrong --expect 401 $K2 5060
own_tables() {
	local b1 b2
	b1=$(peer_kamailio_bindings srv@$K1) && b2=$(peer_kamailio_bindings srv@$K2) || return 1
	echo "srv@$K1: $b1"
	echo "srv@$K2: $b2"
	grep -q '^alice ' <<<"$b1" && ! grep -q '^bob ' <<<"$b1" &&
		grep -q '^bob ' <<<"$b2" && ! grep -q '^alice ' <<<"$b2"
}
check "each instance has its own location table (alice only at $K1, bob only at $K2)" own_tables

# --- the REGISTER log ------------------------------------------------------------

# Distinct REGISTER transactions (Call-ID, CSeq) in INST's log matching the ERE.
reg_count() {
	peer_kamailio_registers "$1" | grep -E -- "$2" | awk '{ print $4, $5 }' | sort -u | wc -l
}
reg_log_k1() {
	local port
	port=$(nk_nat_port nat 5080 $K1 5060)
	peer_kamailio_registers srv@$K1 | tee "$NK_TMP/k1-registers.txt"
	grep -Eq "^t=[0-9]+\.[0-9]{6} src=$PUB:$port code=401 cseq=1 callid=[^ ]+ user=alice expires=600 contact=<sip:alice@10.2.0.2:5080>$" \
		"$NK_TMP/k1-registers.txt" &&
		grep -Eq "^t=[0-9]+\.[0-9]{6} src=$PUB:$port code=200 cseq=2 callid=[^ ]+ user=alice expires=600 contact=<sip:alice@10.2.0.2:5080>$" \
			"$NK_TMP/k1-registers.txt" &&
		[ "$(reg_count srv@$K1 .)" = 2 ] && ! grep -q 'user=bob' "$NK_TMP/k1-registers.txt"
}
check "srv@$K1's REGISTER log: alice's 401 and 200 (source = the NAT's public address:port, Contact, Expires), nothing of bob's" \
	reg_log_k1
count_registers() {
	local before after
	before=$(reg_count srv@$K2 'user=bob')
	for _ in 1 2 3; do
		in_ns gw python3 "$NK_PEERS/sip_client.py" -s 5082 -m REGISTER -u bob -p secret2 -e 600 --expect 200 $K2 5060 ||
			return 1
	done
	after=$(reg_count srv@$K2 'user=bob')
	echo "bob's REGISTER transactions at srv@$K2: $before before, $after after"
	[ $((after - before)) = 6 ] && [ "$(reg_count srv@$K2 ' code=200 .* user=bob ')" = 4 ]
}
check "peer_kamailio_registers counts 3 REGISTERs more (3 x 401 + 200) at srv@$K2" count_registers
unregister() {
	in_ns gw python3 "$NK_PEERS/sip_client.py" -s 5082 -m REGISTER -u bob -p secret2 -e 0 --expect 200 $K2 5060 ||
		return 1
	peer_kamailio_registers srv@$K2 | tail -n 2
	# All of bob's earlier REGISTERs had Expires: 600.
	peer_kamailio_registers srv@$K2 | grep -q ' code=200 .* user=bob expires=0 ' &&
		! peer_kamailio_bindings srv@$K2 | grep -q '^bob '
}
check "un-REGISTER (Expires: 0) of bob: logged with expires=0, the binding is gone" unregister
register_modes() {
	local out=$NK_TMP/modes.out
	peer_kamailio_mode srv@$K2 503-short || return 1
	in_ns gw python3 "$NK_PEERS/sip_client.py" -s 5082 -m REGISTER -u bob -p secret2 --expect 503 $K2 5060 >"$out" || { cat "$out"; return 1; }
	cat "$out"
	grep -qx 'retry-after: 5' "$out" || return 1
	peer_kamailio_mode srv@$K2 503-bare || return 1
	in_ns gw python3 "$NK_PEERS/sip_client.py" -s 5082 -m REGISTER -u bob -p secret2 --expect 503 $K2 5060 >"$out" || { cat "$out"; return 1; }
	cat "$out"
	! grep -q '^retry-after' "$out" || return 1
	peer_kamailio_mode srv@$K2 drop || return 1
	in_ns gw python3 "$NK_PEERS/sip_client.py" -s 5082 -t 2 -m REGISTER -u bob -p secret2 $K2 5060 && return 1
	peer_kamailio_registers srv@$K2 | tail -n 8
	[ "$(reg_count srv@$K2 ' code=503 ')" = 2 ] && [ "$(reg_count srv@$K2 ' code=drop ')" = 1 ] &&
		# srv@$K1 was not switched.
		at $K1 sip_via_nat "$NK_TMP/k1-still.out" 5080 5060 -m OPTIONS
}
check "srv@$K2 in modes 503-short (Retry-After: 5), 503-bare (none), drop: logged as code=503, code=drop; srv@$K1 answers on" \
	register_modes
check "srv@$K2 back to normal" peer_kamailio_mode srv@$K2 normal

# --- stop one, the other goes on; restart it -------------------------------------

stop_k1() {
	peer_kamailio_stop srv@$K1 || return 1
	! _peer_bound srv $K1 5060 || { echo "$K1:5060 still bound"; return 1; }
	at $K1 options_silent || return 1
	at $K2 sip_via_nat "$NK_TMP/k2-alone.out" 5082 5060 -m OPTIONS &&
		peer_kamailio_rpc srv@$K2 core.uptime >/dev/null
}
check "srv@$K1 stopped: its port is closed, no answer; srv@$K2 still answers" stop_k1
check "srv@$K1 stopped: rpc to it fails" bash -c '! peer_kamailio_rpc "srv@$1" core.uptime' _ $K1
restart_k1() {
	peer_kamailio_restart srv@$K1 || return 1
	at $K1 sip_via_nat "$NK_TMP/k1-back.out" 5080 5060 -m OPTIONS || return 1
	# A restarted server: alice is gone until she registers again.
	! peer_kamailio_bindings srv@$K1 | grep -q '^alice ' || { echo "alice survived the restart"; return 1; }
	register_at $K1 srv@$K1 alice secret 5080 || return 1
	# The REGISTER history goes on: the first run's two and these two.
	[ "$(reg_count srv@$K1 'user=alice')" = 4 ]
}
check "peer_kamailio_restart srv@$K1: answers again, empty location table, REGISTER works, log kept" restart_k1
info "kamailio srv@$K1 restarted in ${PEER_READY_S}s"
check "srv (alone) still means srv@$K1 after its restart" alias_is_k1

# --- dnsmasq -----------------------------------------------------------------------

DNS=$NK_SIP_DNS
check "dnsmasq on $DNS:53 with SRV and A records" \
	peer_dnsmasq srv $DNS \
	--srv-host=_sip._udp.natkeep.test,sip1.natkeep.test,5060,10,60 \
	--srv-host=_sip._udp.natkeep.test,sip2.natkeep.test,5060,20,40 \
	--host-record=sip1.natkeep.test,$K1 --host-record=sip2.natkeep.test,$K2,5 --local-ttl=30
info "dnsmasq ready in ${PEER_READY_S}s"
dns_sockets() {
	local socks
	socks=$(ip netns exec srv ss -Hlnut | awk '$5 ~ /:53$/ { print $1, $5 }' | sort -u)
	echo "$socks"
	[ "$socks" = "$(printf 'tcp %s:53\nudp %s:53' $DNS $DNS)" ]
}
check "dnsmasq listens on $DNS:53 (UDP, TCP) and nowhere else" dns_sockets

# dig from gw through the NAT: dig_answer NAME TYPE prints the answer section.
dig_answer() {
	in_ns gw dig +norec +time=2 +tries=2 +noall +answer @$DNS "$@"
}
dig_expect() {
	local want=$1 got
	shift
	got=$(dig_answer "$@") || return 1
	echo "$got"
	[ "$(sed 's/[[:space:]]\+/ /g' <<<"$got" | sort)" = "$(sort <<<"$want")" ]
}
check "SRV _sip._udp.natkeep.test from gw: two targets, priorities 10/20, TTL 30 (--local-ttl)" \
	dig_expect "_sip._udp.natkeep.test. 30 IN SRV 10 60 5060 sip1.natkeep.test.
_sip._udp.natkeep.test. 30 IN SRV 20 40 5060 sip2.natkeep.test." _sip._udp.natkeep.test SRV
check "A sip1.natkeep.test: $K1, TTL 30 (--local-ttl)" \
	dig_expect "sip1.natkeep.test. 30 IN A $K1" sip1.natkeep.test A
check "A sip2.natkeep.test: $K2, TTL 5 (the host-record's own)" \
	dig_expect "sip2.natkeep.test. 5 IN A $K2" sip2.natkeep.test A
dig_status() {
	local want=$1 out
	shift
	out=$(in_ns gw dig +norec +time=2 +tries=2 @$DNS "$@") || { echo "$out"; return 1; }
	grep -E 'status:|IN' <<<"$out"
	grep -q "status: $want," <<<"$out"
}
check "an unknown name in natkeep.test: NXDOMAIN" dig_status NXDOMAIN nope.natkeep.test A
check "no /etc/hosts, no upstream: localhost is REFUSED" dig_status REFUSED localhost A
check "no upstream: example.com is REFUSED" dig_status REFUSED example.com A
query_counts() {
	local all0 s0 a0 all1 s1 a1
	all0=$(peer_dnsmasq_queries) s0=$(peer_dnsmasq_queries sip1.natkeep.test) a0=$(peer_dnsmasq_queries srv@$DNS sip2.natkeep.test A)
	dig_answer sip1.natkeep.test A >/dev/null && dig_answer SIP1.natkeep.test A >/dev/null &&
		dig_answer sip2.natkeep.test A >/dev/null || return 1
	all1=$(peer_dnsmasq_queries) s1=$(peer_dnsmasq_queries sip1.natkeep.test) a1=$(peer_dnsmasq_queries srv@$DNS sip2.natkeep.test A)
	echo "all $all0 -> $all1, sip1 $s0 -> $s1, sip2 A $a0 -> $a1"
	[ $((all1 - all0)) = 3 ] && [ $((s1 - s0)) = 2 ] && [ $((a1 - a0)) = 1 ] &&
		[ "$(peer_dnsmasq_queries _sip._udp.natkeep.test SRV)" = 1 ] &&
		[ "$(peer_dnsmasq_queries _sip._udp.natkeep.test A)" = 0 ]
}
check "peer_dnsmasq_queries counts the queries, per name and type" query_counts
restart_dns() {
	local n0 n1
	n0=$(peer_dnsmasq_queries sip1.natkeep.test)
	peer_dnsmasq_restart --host-record=sip1.natkeep.test,10.3.0.13 || return 1
	# New records only, and the default TTL: 0.
	dig_expect "sip1.natkeep.test. 0 IN A 10.3.0.13" sip1.natkeep.test A || return 1
	dig_expect "" _sip._udp.natkeep.test SRV || return 1
	n1=$(peer_dnsmasq_queries sip1.natkeep.test)
	echo "sip1 queries: $n0 -> $n1"
	[ $((n1 - n0)) = 1 ]
}
check "peer_dnsmasq_restart with new records: the new A (TTL 0 without --local-ttl), no SRV; query log kept" restart_dns
info "dnsmasq restarted in ${PEER_READY_S}s"
check "peer_dnsmasq_restart srv@$DNS with the first records again" \
	peer_dnsmasq_restart srv@$DNS \
	--srv-host=_sip._udp.natkeep.test,sip1.natkeep.test,5060,10,60 \
	--host-record=sip1.natkeep.test,$K1 --local-ttl=30
check "... SRV answered again" \
	dig_expect "_sip._udp.natkeep.test. 30 IN SRV 10 60 5060 sip1.natkeep.test." _sip._udp.natkeep.test SRV
check "... and A" dig_expect "sip1.natkeep.test. 30 IN A $K1" sip1.natkeep.test A

# --- nk_with_resolv ----------------------------------------------------------------

resolv_getent() {
	local n0 n1 out
	n0=$(peer_dnsmasq_queries sip1.natkeep.test)
	out=$(nk_with_resolv gw $DNS getent hosts sip1.natkeep.test) || return 1
	echo "$out"
	n1=$(peer_dnsmasq_queries sip1.natkeep.test)
	echo "sip1 queries: $n0 -> $n1"
	[ "$(sed 's/[[:space:]]\+/ /g' <<<"$out")" = "$K1 sip1.natkeep.test" ] && [ "$n1" -gt "$n0" ]
}
check "nk_with_resolv gw $DNS getent hosts sip1.natkeep.test: $K1, asked of dnsmasq" resolv_getent
resolv_dig() {
	local out
	out=$(nk_with_resolv gw $DNS dig +time=2 +tries=2 +short _sip._udp.natkeep.test SRV) || return 1
	echo "$out"
	[ "$out" = "10 60 5060 sip1.natkeep.test." ]
}
check "nk_with_resolv gw $DNS dig (no @server) SRV _sip._udp.natkeep.test: from dnsmasq" resolv_dig
resolv_conf() {
	local got
	got=$(nk_with_resolv gw $DNS cat /etc/resolv.conf) || return 1
	echo "$got"
	[ "$got" = "nameserver $DNS" ]
}
check "nk_with_resolv: CMD sees 'nameserver $DNS' in /etc/resolv.conf" resolv_conf
no_leak() {
	local before
	before=$(cat /etc/resolv.conf)
	grep -q "$DNS" /etc/resolv.conf && { echo "the VM's resolv.conf names $DNS"; return 1; }
	[ "$(in_ns gw cat /etc/resolv.conf)" = "$before" ] || return 1
	# Without it, gw's resolver does not know the test domain.
	! in_ns gw timeout 20 getent hosts sip1.natkeep.test
}
check "without nk_with_resolv: the VM's resolv.conf, unchanged, and no sip1.natkeep.test" no_leak
with_resolv_pid() {
	local pid comm netns
	nk_with_resolv gw $DNS sleep 30 &
	pid=$!
	sleep 1
	comm=$(cat "/proc/$pid/comm")
	netns=$(ip netns identify "$pid")
	echo "\$! = $pid is $comm, in netns $netns"
	peer_stop "$pid"
	[ "$comm" = sleep ] && [ "$netns" = gw ]
}
check "nk_with_resolv ... &: \$! is CMD itself, in gw" with_resolv_pid

summary

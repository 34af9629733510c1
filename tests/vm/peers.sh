# shellcheck shell=bash
# shellcheck disable=SC2034 # PEER_* and NK_HOSTILE are for the scenarios
# Test peers for natkeep VM scenarios: real STUN and SIP servers, packet
# captures.  Source after lib.sh (and natkeep.sh if wanted):
#
#   . "$(dirname "$0")/../peers.sh"
#
# Every peer runs in the background inside a network namespace, is waited
# for until it answers, and registers its own cleanup (cleanup_add).  Each
# start function sets PEER_READY_S (seconds it took to become ready),
# PEER_DIR (its config/log directory, under $NK_TMP) and PEER_PID (the
# daemon's own pid: `peer_stop $PEER_PID` kills it at once, e.g. for a
# dead server); on failure it prints the tail of the peer's log and
# returns 1.  Call them in the scenario's shell (directly or via check),
# not in $(...) or a pipeline.  Timeouts are generous: the VM runs under TCG.
#
#   peer_stun NS ADDR PORT
#       coturn's turnserver, STUN only (no TURN, no auth, no CLI, no TLS/TCP,
#       no RFC 5780), its SQLite DB and log in PEER_DIR.
#   peer_kamailio NS ADDR PORT [MODE]
#       kamailio 5.6 from peers/kamailio.cfg: 200 OK to OPTIONS/NOTIFY/any
#       method, registrar with digest auth (alice/secret, bob/secret2 at
#       natkeep.test, no DB), nathelper (received/rport, fix_nated_register),
#       STUN on the SIP port (stun.so), a log line per REGISTER.  Several
#       instances in one namespace, one per address, each with its own run
#       dir (PEER_DIR: config, ctl socket, pid file, log) and location table.
#       MODE: normal (default), drop, 503 (Retry-After: 30), 423, 302, 500,
#       503-short (Retry-After: 5), 503-bare (no Retry-After), or 0..7.
#       drop is a silent server: no answer to anything, STUN included (an
#       nftables set in NS drops STUN to ADDR:PORT: stun.so answers before
#       kamailio's script runs).
#   In the functions below INST is NS@ADDR (the instance on ADDR in NS) or
#   NS (NS's first instance: the first started there while none was running).
#   peer_kamailio_mode INST MODE    switch the running instance (kamcmd cfg.seti)
#   peer_kamailio_stop INST         kill it (nothing listens any more)
#   peer_kamailio_restart INST [MODE]
#       stop it if running, start it again: same address, port and start
#       mode (or MODE), an EMPTY location table (a restarted server), the
#       same run dir; its log goes on (the REGISTER history is kept)
#   peer_kamailio_redirect INST URI   the Contact of mode 302
#   peer_kamailio_location INST     print the location table (kamcmd ul.dump)
#   peer_kamailio_bindings INST     one line per binding: AOR CONTACT RECEIVED EXPIRES
#   peer_kamailio_registers INST    one line per REGISTER received (retransmissions
#       too), in all its runs, oldest first:
#         t=SEC.USEC src=IP:PORT code=CODE cseq=N callid=ID user=TO_USER expires=E contact=C
#       CODE: the reply's (401 challenge, 200, 503...) or "drop" (mode drop);
#       E: the Expires header ("-" if none; 0 for an un-REGISTER); C: the
#       Contact header, last (may hold spaces).  One digest-authenticated
#       REGISTER is two lines (401, then 200 with the next cseq).
#   peer_kamailio_calls INST        one line per call-type request it took
#       (INVITE, SUBSCRIBE, MESSAGE, REFER; after the challenge):
#         t=SEC.USEC src=IP:PORT method=M ruri=URI from=FROM_USER
#   peer_kamailio_rpc INST CMD [ARGS...]   any kamcmd command
#   peer_sipp_uas NS ADDR PORT [RECEIVED RPORT]
#       sipp UAS answering every request with 200 OK, forever.  sipp cannot
#       see a request's source address, so its Via is reflected unchanged;
#       with RECEIVED RPORT the Via reports that fixed mapping instead.
#       PEER_SIPP_STATUS="503 Service Unavailable" (without RECEIVED): that
#       status instead of 200 OK.
#   peer_baresip NS ADDR PORT ACCOUNT
#       baresip-core as the gateway's SIP UA (ctrl_tcp on PORT+5, events
#       in PEER_BARESIP_EVENTS); peer_baresip_cmd COMMAND [PARAMS],
#       peer_baresip_wait TYPE N SECS, peer_baresip_count TYPE
#   peer_dnsmasq NS ADDR [DNSMASQ_OPTION...]
#       dnsmasq (dnsmasq-base 2.90) as the test domain's DNS server, in the
#       foreground: only ADDR:53 (UDP and TCP; a specific address, not a
#       wildcard), no config file, no /etc/hosts (--no-hosts), no upstream
#       (--no-resolv: any other name is REFUSED), no DHCP, --local=/natkeep.test/
#       (unknown names there: NXDOMAIN, no SOA), queries logged to
#       PEER_DIR/dnsmasq.log.  Records are options, e.g.
#         --srv-host=_sip._udp.natkeep.test,sip1.natkeep.test,5060,10,60
#             (name,target,port,priority,weight: no TTL field; the answer
#             carries the targets' A records in its additional section)
#         --host-record=sip1.natkeep.test,10.3.0.11[,TTL]
#         --local-ttl=30
#       TTLs (measured): SRV, and host-records without a TTL field, carry
#       --local-ttl, whose default is 0 (every lookup goes to the server);
#       a host-record's own TTL field wins over --local-ttl; --auth-ttl and
#       --max-ttl change nothing here (they are for auth zones / upstream
#       answers).  Answers from records have the aa flag; a missing type of
#       a known name (AAAA of an A-only host) is NOERROR with no answer.
#   In the functions below INST (NS@ADDR) is optional: default, the last
#   dnsmasq started.
#   peer_dnsmasq_queries [INST] [NAME [TYPE]]
#       how many queries it logged (all its runs; the readiness probe's are
#       left out), or only those for NAME (case-insensitive), of TYPE (A, SRV...)
#   peer_dnsmasq_restart [INST] [DNSMASQ_OPTION...]
#       stop it and start again on the same address, with new records (the
#       options replace the old ones) or, without options, the same; its
#       log goes on
#   peer_dnsmasq_stop [INST]        kill it (a dead DNS server)
#   (nk_with_resolv, in natkeep.sh, points a command's resolver at it.)
#   capture_start NS IFACE FILE [FILTER]    dumpcap in NS (pcapng)
#   capture_stop [FILE]                     stop one capture, or all
#   peer_stop PID                           TERM (KILL after 10 s) and reap
#   tshark_check_valid FILE PROTO [TSHARK_ARGS...]
#       PROTO: stun, sip, "sip,stun" or any.  Fails if any frame is
#       malformed or has an expert error, or if no frame of PROTO is there;
#       prints frame counts per STUN message type and SIP method / status.
#       TSHARK_ARGS e.g. -d udp.port==5062,sip for a port the heuristics miss.
#
# Clients (python3, in tests/vm/peers/): stun_client.py ADDR PORT,
# sip_client.py [-m METHOD] [-u USER -p PASS] ADDR PORT; see their --help.

NK_PEERS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/peers
NK_HOSTILE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/hostile.py
declare -gA NK_KAM_DIR=()
declare -gA NK_KAM_PID=()
declare -gA NK_KAM_ARGS=()
declare -gA NK_KAM_FIRST=()
declare -gA NK_CAPTURE_PID=()
declare -gA NK_DNS_DIR=()
declare -gA NK_DNS_PID=()
NK_DNS_LAST=
PEER_READY_S=
PEER_DIR=
PEER_PID=

# Monotonic-enough clock in ns for the ready times.
_peer_now() {
	date +%s%N
}

_peer_elapsed() {
	local t0=$1 t1
	t1=$(_peer_now)
	PEER_READY_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
}

# An address for a client to reach a server bound to ADDR from the server's
# own namespace.
_peer_local_addr() {
	case $1 in
	0.0.0.0) echo 127.0.0.1 ;;
	::) echo ::1 ;;
	*) echo "$1" ;;
	esac
}

_peer_fail() {
	local what=$1 log=$2
	echo "$what did not become ready; log tail ($log):"
	tail -n 30 "$log" 2>/dev/null | sed 's/^/  | /'
	return 1
}

# Stop a background process started by this shell: TERM, wait up to 10 s,
# then KILL.
peer_stop() {
	local pid=$1 i
	kill "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

# Is a UDP socket bound to ADDR:PORT in NS?
_peer_bound() {
	ip netns exec "$1" ss -Hlun | awk -v a="$2:$3" -v b="[$2]:$3" '$4 == a || $4 == b { f = 1 } END { exit !f }'
}

# --- STUN --------------------------------------------------------------

peer_stun() {
	local ns=$1 addr=$2 port=$3 dir t0 pid
	dir=$(mktemp -d "$NK_TMP/stun-$ns.XXXXXX")
	PEER_DIR=$dir
	# No DB in a read-only place (its default is /var/lib/turn/turndb), no
	# syslog, no CLI (a telnet port), no TURN.
	cat >"$dir/turnserver.conf" <<-EOF
		listening-ip=$addr
		listening-port=$port
		stun-only
		no-rfc5780
		no-cli
		no-tls
		no-dtls
		no-tcp
		no-tcp-relay
		no-software-attribute
		userdb=$dir/turndb
		pidfile=$dir/turnserver.pid
		log-file=stdout
		simple-log
	EOF
	t0=$(_peer_now)
	ip netns exec "$ns" turnserver -c "$dir/turnserver.conf" >"$dir/turnserver.log" 2>&1 </dev/null &
	pid=$!
	PEER_PID=$pid
	cleanup_add "peer_stop $pid"
	if ! wait_for 60 in_ns "$ns" python3 "$NK_PEERS/stun_client.py" -t 0.5 -r 1 \
		"$(_peer_local_addr "$addr")" "$port"; then
		_peer_fail "turnserver on $ns $addr:$port" "$dir/turnserver.log"
		return 1
	fi
	_peer_elapsed "$t0"
}

# --- kamailio ----------------------------------------------------------

_peer_kam_mode_nr() {
	case $1 in
	normal | answer | 0) echo 0 ;;
	drop | dead | 1) echo 1 ;;
	503 | 2) echo 2 ;;
	423 | 3) echo 3 ;;
	302 | 4) echo 4 ;;
	500 | 5) echo 5 ;;
	503-short | 6) echo 6 ;;
	503-bare | 7) echo 7 ;;
	407-401 | 8) echo 8 ;;
	*) echo "peer_kamailio: unknown mode '$1' (normal drop 503 423 302 500 503-short 503-bare 407-401)" >&2; return 1 ;;
	esac
}

# The instance key NS@ADDR for NS@ADDR, or for NS (its first instance).
_peer_kam_key() {
	local key=$1
	case $key in
	*@*) ;;
	*) key=${NK_KAM_FIRST[$key]:-} ;;
	esac
	[ -n "$key" ] && [ -n "${NK_KAM_DIR[$key]:-}" ] || {
		echo "peer_kamailio: no kamailio $1" >&2
		return 1
	}
	echo "$key"
}

# The running instance's run dir (fails when it is stopped).
_peer_kam_running_dir() {
	local key
	key=$(_peer_kam_key "$1") || return 1
	[ -n "${NK_KAM_PID[$key]:-}" ] || { echo "peer_kamailio: kamailio $1 is stopped" >&2; return 1; }
	echo "${NK_KAM_DIR[$key]}"
}

peer_kamailio_rpc() {
	local dir
	dir=$(_peer_kam_running_dir "$1") || return 1
	shift
	kamcmd -s "unix:$dir/kamailio_ctl" "$@"
}

peer_kamailio() {
	local ns=$1 addr=$2 port=$3 mode=${4:-normal} key=$1@$2 dir nr first
	nr=$(_peer_kam_mode_nr "$mode") || return 1
	[ -z "${NK_KAM_PID[$key]:-}" ] || { echo "peer_kamailio: kamailio $key is running already"; return 1; }
	first=${NK_KAM_FIRST[$ns]:-}
	dir=$(mktemp -d "$NK_TMP/kamailio-$ns-${addr//:/_}.XXXXXX")
	NK_KAM_DIR[$key]=$dir
	NK_KAM_ARGS[$key]="$ns $addr $port $nr"
	# NS alone: the first instance in NS (again after a stopped one).
	[ -n "$first" ] && [ -n "${NK_KAM_PID[$first]:-}" ] || NK_KAM_FIRST[$ns]=$key
	_peer_kam_start "$key"
}

# The nftables table that silences STUN to the instances in drop mode,
# made once per namespace, before its first instance: later only the set's
# elements change (a hook registered under traffic patches kernel text,
# which hangs qemu's TCG: tests/README.md). STUN is told by its magic cookie,
# the payload's bytes 4-7.
_peer_kam_stun_table() {
	local ns=$1
	in_ns "$ns" nft list table inet nk_peer_dead >/dev/null 2>&1 && return 0
	in_ns "$ns" nft -f - <<'EOF'
table inet nk_peer_dead {
	set v4 { type ipv4_addr . inet_service; }
	set v6 { type ipv6_addr . inet_service; }
	chain input {
		type filter hook input priority 0; policy accept;
		ip daddr . udp dport @v4 @th,96,32 0x2112a442 drop
		ip6 daddr . udp dport @v6 @th,96,32 0x2112a442 drop
	}
}
EOF
}

# STUN to instance KEY dropped (NR 1: mode drop) or answered (any other).
_peer_kam_stun_drop() {
	local key=$1 nr=$2 ns addr port set=v4
	read -r ns addr port _ <<<"${NK_KAM_ARGS[$key]}"
	case $addr in *:*) set=v6 ;; esac
	if [ "$nr" = 1 ]; then
		in_ns "$ns" nft add element inet nk_peer_dead $set "{ $addr . $port }"
	else
		in_ns "$ns" nft delete element inet nk_peer_dead $set "{ $addr . $port }" 2>/dev/null || true
	fi
}

# Start instance KEY from NK_KAM_ARGS in NK_KAM_DIR, mode NR (default: its own).
_peer_kam_start() {
	local key=$1 ns addr port nr dir t0 pid listen
	read -r ns addr port nr <<<"${NK_KAM_ARGS[$key]}"
	nr=${2:-$nr}
	dir=${NK_KAM_DIR[$key]}
	PEER_DIR=$dir
	case $addr in *:*) listen="udp:[$addr]:$port" ;; *) listen="udp:$addr:$port" ;; esac
	sed -e "s|@LISTEN@|$listen|g" -e "s|@RUNDIR@|$dir|g" -e "s|@MODE@|$nr|g" \
		"$NK_PEERS/kamailio.cfg" >"$dir/kamailio.cfg"
	_peer_kam_stun_table "$ns" && _peer_kam_stun_drop "$key" "$nr" || {
		echo "peer_kamailio: the STUN drop set in $ns" >&2
		return 1
	}
	t0=$(_peer_now)
	# -DD: no daemon (this job is the main process), -E: log to stderr,
	# -Y: runtime dir (default /run/kamailio), small memory pools.  The log
	# is appended to: a restarted instance keeps its REGISTER history.
	ip netns exec "$ns" kamailio -f "$dir/kamailio.cfg" -DD -E -Y "$dir" -P "$dir/kamailio.pid" \
		-w "$dir" -m 48 -M 8 >>"$dir/kamailio.log" 2>&1 </dev/null &
	pid=$!
	PEER_PID=$pid
	NK_KAM_PID[$key]=$pid
	cleanup_add "peer_stop $pid"
	# Ready: the control socket answers and the SIP socket is bound.
	if ! wait_for 60 peer_kamailio_rpc "$key" core.uptime ||
		! wait_for 30 _peer_bound "$ns" "$addr" "$port"; then
		_peer_fail "kamailio on $ns $addr:$port" "$dir/kamailio.log"
		return 1
	fi
	# And in any mode but drop, it answers.
	if [ "$nr" != 1 ] && ! in_ns "$ns" python3 "$NK_PEERS/sip_client.py" -t 20 \
		"$(_peer_local_addr "$addr")" "$port" >"$dir/ready.out" 2>&1; then
		cat "$dir/ready.out"
		_peer_fail "kamailio on $ns $addr:$port (OPTIONS)" "$dir/kamailio.log"
		return 1
	fi
	_peer_elapsed "$t0"
}

# Stop it now (a dead server: nothing listens, ICMP port unreachable).
peer_kamailio_stop() {
	local key
	key=$(_peer_kam_key "$1" 2>/dev/null) || return 0
	[ -n "${NK_KAM_PID[$key]:-}" ] || return 0
	peer_stop "${NK_KAM_PID[$key]}"
	unset 'NK_KAM_PID[$key]'
	# Killed, not silent: STUN gets the port unreachable too.
	_peer_kam_stun_drop "$key" 0
}

# Stop (if running) and start again: same address, port and mode (or
# MODE), an empty location table, the same run dir and log.
peer_kamailio_restart() {
	local key nr=
	key=$(_peer_kam_key "$1") || return 1
	if [ -n "${2:-}" ]; then
		nr=$(_peer_kam_mode_nr "$2") || return 1
	fi
	peer_kamailio_stop "$key"
	_peer_kam_start "$key" ${nr:+"$nr"}
}

peer_kamailio_mode() {
	local inst=$1 nr got key
	nr=$(_peer_kam_mode_nr "$2") || return 1
	key=$(_peer_kam_key "$inst") || return 1
	peer_kamailio_rpc "$inst" cfg.seti natkeep mode "$nr" || return 1
	got=$(peer_kamailio_rpc "$inst" cfg.get natkeep mode) || return 1
	[ "$got" = "$nr" ] || { echo "peer_kamailio_mode: mode is $got, not $nr"; return 1; }
	_peer_kam_stun_drop "$key" "$nr"
}

peer_kamailio_redirect() {
	peer_kamailio_rpc "$1" cfg.sets natkeep redirect "$2"
}

peer_kamailio_location() {
	peer_kamailio_rpc "$1" ul.dump
}

# AOR CONTACT RECEIVED EXPIRES per binding ("-" when not set), from ul.dump.
peer_kamailio_bindings() {
	peer_kamailio_location "$1" | awk '
		function val(line) { sub(/^[^:]*: /, "", line); return line }
		/^[ \t]*AoR: / { aor = val($0) }
		/^[ \t]*Address: / { contact = val($0) }
		/^[ \t]*Expires: / { expires = val($0) }
		/^[ \t]*Received: / { rcv = val($0); if (rcv == "[not set]") rcv = "-" }
		/^[ \t]*Last-Modified: / { print aor, contact, rcv, expires; contact = rcv = expires = "" }'
}

# One line per REGISTER the instance received (all its runs), oldest first:
#   t=SEC.USEC src=IP:PORT code=CODE cseq=N callid=ID user=U expires=E contact=C
peer_kamailio_registers() {
	local key
	key=$(_peer_kam_key "$1") || return 1
	sed -n 's/^.*natkeep-register: //p' "${NK_KAM_DIR[$key]}/kamailio.log"
}

peer_kamailio_calls() {
	local key
	key=$(_peer_kam_key "$1") || return 1
	sed -n 's/^.*natkeep-call: //p' "${NK_KAM_DIR[$key]}/kamailio.log"
}

# --- sipp --------------------------------------------------------------

peer_sipp_uas() {
	local ns=$1 addr=$2 port=$3 received=${4:-} rport=${5:-} dir t0 pid xml keys status
	dir=$(mktemp -d "$NK_TMP/sipp-$ns-$port.XXXXXX")
	PEER_DIR=$dir
	xml=$NK_PEERS/sipp-uas.xml
	status=${PEER_SIPP_STATUS:-200 OK}
	keys=()
	if [ "$status" != "200 OK" ]; then
		xml=$dir/sipp-uas.xml
		sed "s|SIP/2.0 200 OK|SIP/2.0 $status|" "$NK_PEERS/sipp-uas.xml" >"$xml"
	fi
	if [ -n "$received" ]; then
		xml=$NK_PEERS/sipp-uas-via.xml
		keys=(-key fake_received "$received" -key fake_rport "$rport")
	fi
	t0=$(_peer_now)
	# No -bg (it would fork away from this job); with stdout not a tty and
	# -nostdin sipp draws no screen.  Its error log goes to PEER_DIR.
	(cd "$dir" && exec ip netns exec "$ns" sipp -sf "$xml" "${keys[@]}" \
		-i "$addr" -p "$port" -t u1 -nostdin -aa -skip_rlimit \
		-trace_err -error_file "$dir/errors.log" >"$dir/sipp.log" 2>&1 </dev/null) &
	pid=$!
	PEER_PID=$pid
	cleanup_add "peer_stop $pid"
	if ! wait_for 60 in_ns "$ns" python3 "$NK_PEERS/sip_client.py" -t 2 --expect "${status%% *}" \
		"$(_peer_local_addr "$addr")" "$port"; then
		cat "$dir/errors.log" >>"$dir/sipp.log" 2>/dev/null
		_peer_fail "sipp on $ns $addr:$port" "$dir/sipp.log"
		return 1
	fi
	_peer_elapsed "$t0"
}

# --- baresip -----------------------------------------------------------

# peer_baresip NS ADDR PORT ACCOUNT: baresip-core as a gateway's SIP UA, on
# ADDR:PORT (UDP) with ctrl_tcp on ADDR:PORT+5, ACCOUNT its accounts line
# (e.g. "<sip:alice@natkeep.test>;outbound=..."). Headless: no UI (menu
# for its dial and hangup commands), a 440 Hz sine for its microphone
# (ausine), /dev/null for its speaker, PCMU.
# Its events go to PEER_BARESIP_EVENTS (JSON lines), its commands through
# PEER_BARESIP_SOCK (baresip_ctl.py serve holds the one ctrl_tcp connection).
peer_baresip() {
	local ns=$1 addr=$2 port=$3 account=$4 dir t0 pid
	dir=$(mktemp -d "$NK_TMP/baresip-$ns-$port.XXXXXX")
	PEER_DIR=$dir
	PEER_BARESIP_CTRL=$addr:$((port + 5))
	PEER_BARESIP_NS=$ns
	PEER_BARESIP_EVENTS=$dir/events.jsonl
	cat >"$dir/config" <<-EOF
		poll_method		epoll
		sip_listen		$addr:$port
		module_path		/usr/lib/baresip/modules
		module			g711.so
		module			ausine.so
		module			aufile.so
		module			ctrl_tcp.so
		module_tmp		account.so
		module_app		menu.so
		ctrl_tcp_listen		$PEER_BARESIP_CTRL
		audio_source		ausine,440
		audio_player		aufile,/dev/null
		audio_alert		aufile,/dev/null
		ausrc_srate		48000
		auplay_srate		48000
		ausrc_channels		2
		auplay_channels		2
	EOF
	printf '%s\n' "$account" >"$dir/accounts"
	t0=$(_peer_now)
	# -s: its SIP trace in the log.
	ip netns exec "$ns" baresip -f "$dir" -s >"$dir/baresip.log" 2>&1 </dev/null &
	pid=$!
	PEER_PID=$pid
	cleanup_add "peer_stop $pid"
	if ! wait_for 30 in_ns "$ns" python3 -c "import socket; socket.create_connection(('$addr', $((port + 5))), 1)"; then
		_peer_fail "baresip on $ns $addr:$port" "$dir/baresip.log"
		return 1
	fi
	# ctrl_tcp serves one connection: baresip_ctl.py serve holds it.
	PEER_BARESIP_SOCK=$dir/ctl.sock
	in_ns "$ns" python3 "$NK_PEERS/baresip_ctl.py" serve "$PEER_BARESIP_CTRL" \
		"$PEER_BARESIP_EVENTS" "$PEER_BARESIP_SOCK" </dev/null >>"$dir/ctl.log" 2>&1 &
	cleanup_add "peer_stop $!"
	if ! wait_for 10 test -S "$PEER_BARESIP_SOCK"; then
		_peer_fail "baresip_ctl.py serve" "$dir/ctl.log"
		return 1
	fi
	_peer_elapsed "$t0"
}

# peer_baresip_cmd COMMAND [PARAMS]: dial URI, hangup, ... (0: ok).
peer_baresip_cmd() {
	python3 "$NK_PEERS/baresip_ctl.py" cmd "$PEER_BARESIP_SOCK" "$@"
}

# peer_baresip_wait TYPE N SECS: until baresip reported N events of TYPE.
peer_baresip_wait() {
	python3 "$NK_PEERS/baresip_ctl.py" wait "$PEER_BARESIP_EVENTS" "$@"
}

# peer_baresip_count TYPE: the events of TYPE so far.
peer_baresip_count() {
	python3 "$NK_PEERS/baresip_ctl.py" count "$PEER_BARESIP_EVENTS" "$1"
}

# --- dnsmasq -----------------------------------------------------------

# The name of the readiness probe's query (left out of the query counts).
NK_DNS_PROBE=ready.peer-dnsmasq.invalid

peer_dnsmasq() {
	local ns=$1 addr=$2 key=$1@$2 dir
	shift 2
	[ -z "${NK_DNS_PID[$key]:-}" ] || { echo "peer_dnsmasq: dnsmasq $key is running already"; return 1; }
	dir=$(mktemp -d "$NK_TMP/dnsmasq-$ns-$addr.XXXXXX")
	NK_DNS_DIR[$key]=$dir
	NK_DNS_LAST=$key
	printf '%s\0' "$@" >"$dir/args"
	_peer_dns_start "$key"
}

# The instance: NS@ADDR when the first argument is one, else the last started.
_peer_dns_key() {
	local key=${1:-$NK_DNS_LAST}
	[ -n "$key" ] && [ -n "${NK_DNS_DIR[$key]:-}" ] || { echo "peer_dnsmasq: no dnsmasq ${1:-}" >&2; return 1; }
	echo "$key"
}

_peer_dns_start() {
	local key=$1 ns=${1%@*} addr=${1##*@} dir t0 pid args=()
	dir=${NK_DNS_DIR[$key]}
	PEER_DIR=$dir
	mapfile -d '' args <"$dir/args"
	t0=$(_peer_now)
	# Only ADDR:53 (--bind-interfaces: no wildcard socket), no config file,
	# no /etc/hosts, no upstream servers, no DHCP (no dhcp-range), as root
	# (its log and pid file are under $NK_TMP).  The log is appended to: a
	# restarted instance keeps its query history.
	ip netns exec "$ns" dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
		--listen-address="$addr" --bind-interfaces --port=53 --user=root --group=root \
		--pid-file="$dir/dnsmasq.pid" --log-queries --log-facility="$dir/dnsmasq.log" \
		--local=/natkeep.test/ "${args[@]}" >>"$dir/dnsmasq.out" 2>&1 </dev/null &
	pid=$!
	PEER_PID=$pid
	NK_DNS_PID[$key]=$pid
	cleanup_add "peer_stop $pid"
	if ! wait_for 30 in_ns "$ns" dig +norec +time=1 +tries=1 @"$addr" "$NK_DNS_PROBE" A; then
		cat "$dir/dnsmasq.out" >>"$dir/dnsmasq.log" 2>/dev/null
		_peer_fail "dnsmasq on $ns $addr:53" "$dir/dnsmasq.log"
		return 1
	fi
	_peer_elapsed "$t0"
}

peer_dnsmasq_stop() {
	local key
	key=$(_peer_dns_key "${1:-}" 2>/dev/null) || return 0
	[ -n "${NK_DNS_PID[$key]:-}" ] || return 0
	peer_stop "${NK_DNS_PID[$key]}"
	unset 'NK_DNS_PID[$key]'
}

peer_dnsmasq_restart() {
	local key inst=
	case ${1:-} in -*) ;; *@*) inst=$1; shift ;; esac
	key=$(_peer_dns_key "$inst") || return 1
	[ $# -eq 0 ] || printf '%s\0' "$@" >"${NK_DNS_DIR[$key]}/args"
	peer_dnsmasq_stop "$key"
	_peer_dns_start "$key"
}

peer_dnsmasq_queries() {
	local key inst=
	case ${1:-} in *@*) inst=$1; shift ;; esac
	key=$(_peer_dns_key "$inst") || return 1
	awk -v name="${1:-}" -v type="${2:-}" -v probe="$NK_DNS_PROBE" '
		{
			for (i = 1; i < NF; i++) if ($i ~ /^query\[[^]]*\]$/) break
			if (i == NF) next
			t = substr($i, 7, length($i) - 7); q = tolower($(i + 1))
			sub(/\.$/, "", q)
			if (q == probe) next
			if (name != "" && q != tolower(name)) next
			if (type != "" && t != toupper(type)) next
			n++
		}
		END { print n + 0 }' "${NK_DNS_DIR[$key]}/dnsmasq.log"
}

# --- captures ----------------------------------------------------------

capture_start() {
	local ns=$1 iface=$2 file=$3 filter=${4:-} t0 pid args=()
	[ -n "$filter" ] && args=(-f "$filter")
	rm -f "$file"
	t0=$(_peer_now)
	ip netns exec "$ns" dumpcap -q -i "$iface" -w "$file" "${args[@]}" >"$file.log" 2>&1 </dev/null &
	pid=$!
	NK_CAPTURE_PID[$file]=$pid
	cleanup_add "capture_stop '$file'"
	# Ready once dumpcap has opened the interface and written the file header.
	if ! wait_for 60 bash -c "grep -q 'Capturing on' '$file.log' && test -s '$file'"; then
		_peer_fail "dumpcap on $ns $iface" "$file.log"
		return 1
	fi
	_peer_elapsed "$t0"
}

capture_stop() {
	local file pid files=("$@")
	[ ${#files[@]} -gt 0 ] || files=("${!NK_CAPTURE_PID[@]}")
	for file in "${files[@]}"; do
		pid=${NK_CAPTURE_PID[$file]:-}
		[ -n "$pid" ] || continue
		# dumpcap reads the kernel's capture buffer in blocks every 250 ms
		# and drops what it has not read when it stops: wait until the
		# file has stopped growing (0.5 s at least, 5 s at most).
		_peer_settle "$file"
		# SIGTERM: dumpcap writes what it has and closes the file.  (Not
		# SIGINT: background jobs of a non-interactive shell ignore it.)
		peer_stop "$pid"
		unset 'NK_CAPTURE_PID[$file]'
	done
}

_peer_settle() {
	local file=$1 size last=-1 i
	for ((i = 0; i < 10; i++)); do
		sleep 0.5
		size=$(stat -c %s "$file" 2>/dev/null || echo 0)
		[ "$size" = "$last" ] && break
		last=$size
	done
}

# tshark as root: Debian's runs (with a warning on stderr, dropped here);
# Lua plugins are off for root anyway.  -n: no name resolution.
_peer_tshark() {
	tshark -n "$@" 2> >(grep -v -e 'Running as user "root"' -e '^$' >&2)
}

tshark_check_valid() {
	local file=$1 proto=$2 out rc=0 p
	shift 2
	[ -s "$file" ] || { echo "tshark_check_valid: $file is missing or empty"; return 1; }
	# One pass (tshark takes seconds to start under TCG).  A frame is bad
	# when it has _ws.malformed or an expert item of severity error
	# (PI_ERROR, 0x00800000 = 8388608, the highest).
	out=$(_peer_tshark -r "$file" "$@" -T fields -E separator='|' -E occurrence=a \
		-e frame.number -e frame.protocols -e _ws.malformed -e _ws.expert.severity \
		-e stun.type -e sip.Method -e sip.Status-Code -e sip.CSeq.method \
		-e _ws.col.Protocol -e _ws.col.Info) || {
		echo "tshark_check_valid: tshark failed on $file"
		return 1
	}
	awk -F'|' -v file="$file" '
		{
			frames++
			info = $10
			for (i = 11; i <= NF; i++) info = info "|" $i
			err = $3 != ""
			ns = split($4, sev, ",")
			for (i = 1; i <= ns; i++) if (sev[i] + 0 >= 8388608) err = 1
			if (err) {
				nbad++
				if (nbad <= 20) bad[nbad] = $1 " " $9 " " info
			}
			if ($2 ~ /(^|:)stun(:|$)/) {
				n["stun"]++
				split($5, t, ",")
				ty = t[1]
				name = ty == "0x0001" ? "Binding Request" : ty == "0x0101" ? "Binding Success Response" : \
					ty == "0x0111" ? "Binding Error Response" : ty == "0x0011" ? "Binding Indication" : "type " ty
				c["stun " name]++
			}
			if ($2 ~ /(^|:)sip(:|$)/) {
				n["sip"]++
				if ($6 != "") c["sip " $6 " request"]++
				else if ($7 != "") c["sip " $7 " response to " $8]++
			}
		}
		END {
			if (nbad) {
				printf "tshark_check_valid: %d malformed frames or expert errors in %s:\n", nbad, file
				for (i = 1; i <= nbad && i <= 20; i++) print "  | " bad[i]
			}
			print "tshark_check_valid: " file
			printf "  frames %d stun %d sip %d bad %d\n", frames, n["stun"], n["sip"], nbad
			fflush()
			for (k in c) print "  " k ": " c[k] | "sort"
			close("sort")
		}' <<<"$out" >"$NK_TMP/tshark_check.out"
	cat "$NK_TMP/tshark_check.out"
	grep -q '^  frames [0-9]* stun [0-9]* sip [0-9]* bad 0$' "$NK_TMP/tshark_check.out" || rc=1
	for p in ${proto//,/ }; do
		[ "$p" = any ] && continue
		if ! grep -Eq "^  frames [0-9]+ .*\b$p [1-9]" "$NK_TMP/tshark_check.out"; then
			echo "tshark_check_valid: no $p frames in $file"
			rc=1
		fi
	done
	return $rc
}

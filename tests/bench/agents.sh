#!/bin/bash
# make bench, part 5, the driver: natkeepd and baresip in one SIP topology,
# the same trials for each.  agents.py runs it and makes the figures.
#
#   agents.sh [-i INTERVAL] [-e EXPIRES] [-w WINDOW] ITEM...
#
#   ITEM        AGENT:TEST:TRIALS:CAP, in the order to run
#     AGENT     natkeepd   OPTIONS keep-alives (kernel), redundancy over SRV
#               baresip    RFC 5626 outbound: STUN keep-alives at the
#                          registrar's Flow-Timer (= INTERVAL), SRV; for the
#                          test dual two flows (outbound, outbound2)
#               baresip-plain  a plain account (no outbound: no keep-alives)
#     TEST      rebind     a NAT rebinding (new port range + conntrack flush)
#               failover   the primary (SRV priority 10) silently dead
#               dual       dual registration while the primary dies
#     CAP       seconds to wait for the heal / failover before a miss
#   -i INTERVAL keep-alive interval, s: natkeepd's X_KeepAliveExpires and the
#               registrars' Flow-Timer (default 5)
#   -e EXPIRES  registration expiry asked for, s (default 600)
#   -w WINDOW   dual: seconds sampled after the death (default 20)
#
# Topology (tests/vm): gw 10.2.0.2 -> NAT (masquerade) -> srv with three
# kamailio registrars 10.3.0.11/.12/.13 (SRV priorities 10, 20, 30 of
# _sip._udp.natkeep.test, A records sipN.natkeep.test) and dnsmasq 10.3.0.53.
# The registrars are the scenarios' kamailio with RFC 5626 outbound on
# (registrar outbound_mode 1, flow_timer INTERVAL): a client asking for
# outbound gets Require: outbound and Flow-Timer; a plain one is served as
# before.  Every agent runs in gw from 10.2.0.2:5060 as alice@natkeep.test.
# Silently dead = an nft drop in srv (prerouting, before conntrack) of
# everything to 10.3.0.11: no answer, no ICMP, STUN included (kamailio's own
# drop mode still answers STUN).
#
# Output on stdout, one JSON object a line: "NKAGENTS-SETUP {...}" (versions,
# RTT), then per trial "NKAGENTS-TRIAL {...}": raw measurements on the
# registrars' clock (the VM's one clock): the trial's REGISTER log lines per
# registrar (kamailio's natkeep-register lines), the event time, the NAT
# ports and, for dual, the binding samples.  Everything else goes to stderr.
# natkeepd needs natkeep.ko (the VM); baresip trials also run on a host.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../vm/lib.sh"
. "$here/../vm/natkeep.sh"
. "$here/../vm/peers.sh"
. "$here/../vm/natkeepd.sh"
# stdout is for the JSON lines only.
exec 3>&1 1>&2

INTERVAL=5 EXPIRES=600 WINDOW=20
while getopts i:e:w: opt; do
	case $opt in
	i) INTERVAL=$OPTARG ;;
	e) EXPIRES=$OPTARG ;;
	w) WINDOW=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { sed -n '4,20p' "$0"; exit 2; }

SERVERS=("${NK_SIP_REGISTRARS[@]}")
PRIMARY=${SERVERS[0]}
BARESIP_MODULES=/usr/lib/baresip/modules
TRIAL=0

say() {
	echo "agents: $*"
}

now() {
	date +%s.%N
}

# NAT port ranges: trial K starts on range (K, 0), a rebinding moves it to (K, 1).
range() {
	local base=$((20000 + 200 * ($1 % 200) + 100 * $2))
	echo "$base-$((base + 99))"
}

# The registrars with RFC 5626 outbound: peers.sh's kamailio.cfg plus two
# registrar parameters, through a copy of its peers directory.
outbound_peers() {
	local dir=$NK_TMP/peers f
	mkdir -p "$dir"
	for f in "$NK_PEERS"/*; do
		ln -s "$f" "$dir/"
	done
	rm "$dir/kamailio.cfg"
	# And JSON-RPC on a datagram socket in the run dir: the dual sampler
	# asks for the bindings without a process per question.
	sed '/^modparam("registrar", "max_expires"/a\
modparam("registrar", "outbound_mode", 1)\
modparam("registrar", "flow_timer", '"$INTERVAL"')\
loadmodule "jsonrpcs.so"\
modparam("jsonrpcs", "transport", 4)\
modparam("jsonrpcs", "pretty_format", 0)\
modparam("jsonrpcs", "dgram_socket", "@RUNDIR@/jsonrpc.sock")' "$NK_PEERS/kamailio.cfg" >"$dir/kamailio.cfg"
	grep -q '"flow_timer", '"$INTERVAL" "$dir/kamailio.cfg" ||
		{ say "kamailio.cfg: no max_expires line to add outbound after"; return 1; }
	NK_PEERS=$dir
}

# Median round trip, ms, of OPTIONS from gw through the NAT to the primary.
rtt_ms() {
	in_ns gw python3 -c '
import socket, sys, time, os
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
dst = (sys.argv[1], 5060)
rtts = []
for i in range(7):
    b = os.urandom(6).hex()
    msg = ("OPTIONS sip:natkeep.test SIP/2.0\r\n"
           "Via: SIP/2.0/UDP 10.2.0.2;branch=z9hG4bK%s;rport\r\n"
           "From: <sip:rtt@natkeep.test>;tag=%s\r\nTo: <sip:natkeep.test>\r\n"
           "Call-ID: %s@rtt\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
           "Content-Length: 0\r\n\r\n" % (b, b, b)).encode()
    t = time.perf_counter()
    s.sendto(msg, dst)
    try:
        s.recvfrom(4096)
    except socket.timeout:
        continue
    rtts.append((time.perf_counter() - t) * 1000)
    time.sleep(0.05)
rtts.sort()
print("%.3f" % rtts[len(rtts) // 2] if rtts else "")' "$PRIMARY"
}

# The primary silently dead, and alive again.
primary_dead() {
	in_ns srv nft -f - <<-EOF
		table inet nkagents {
			chain pre {
				type filter hook prerouting priority -300; policy accept;
				ip daddr $PRIMARY drop
			}
		}
	EOF
}

primary_alive() {
	in_ns srv nft delete table inet nkagents 2>/dev/null
	return 0
}

# Seconds since the epoch of SERVER's first 200 to a REGISTER after T0 (from
# a NAT port in LO..HI when given); empty if none.
first_200() {
	local server=$1 t0=$2 lo=${3:-0} hi=${4:-65535}
	peer_kamailio_registers "srv@$server" | awk -v t0="$t0" -v lo="$lo" -v hi="$hi" '
		{
			t = ""; p = -1
			for (i = 1; i <= NF; i++) {
				if ($i ~ /^t=/) t = substr($i, 3)
				if ($i ~ /^src=/) { p = $i; sub(/.*:/, "", p) }
			}
			if (t + 0 > t0 + 0 && $0 ~ / code=200 / && p + 0 >= lo + 0 && p + 0 <= hi + 0) { print t; exit }
		}'
}

# Wait up to SECS for CMD to succeed (0.25 s steps); the wait's end is the
# trial's, not a figure: agents.py finds the figures in the logs.
wait_s() {
	local secs=$1 end
	shift
	end=$(awk -v n="$(now)" -v s="$secs" 'BEGIN { printf "%.3f", n + s }')
	until "$@"; do
		awk -v n="$(now)" -v e="$end" 'BEGIN { exit !(n >= e) }' && return 1
		sleep 0.25
	done
}

any_200() {  # T0 [LO HI] [SERVER...]: some server's 200 after T0
	local t0=$1 lo=$2 hi=$3 s
	shift 3
	for s in "$@"; do
		[ -n "$(first_200 "$s" "$t0" "$lo" "$hi")" ] && return 0
	done
	return 1
}

# --- the agents --------------------------------------------------------

AGENT_PID=
AGENT_LOG=

start_natkeepd() {  # TEST DIR
	local dual=false
	[ "$1" = dual ] && dual=true
	NKD_LOG=$2/agent.log
	rm -f "$NKD_SOCK"
	nkd_conf_alice RegisterExpires="$EXPIRES" X_ProxyServerRedundancy=true \
		X_SecondaryRegistration="$dual" X_KeepAliveExpires="$INTERVAL"
	cp "$NKD_CONF" "$2/natkeepd.conf"
	nkd_start
	AGENT_PID=$NKD_PID
	AGENT_LOG=$NKD_LOG
}

stop_natkeepd() {
	nkd_stop || say "natkeepd did not stop within 15 s"
}

# baresip's account line, per variant and test.
baresip_account() {  # AGENT TEST
	local acc="<sip:alice@natkeep.test>;auth_pass=secret;regint=$EXPIRES"
	case $1:$2 in
	baresip-plain:*) echo "$acc" ;;
	baresip:dual) echo "$acc;sipnat=outbound;outbound=\"sip:sip1.natkeep.test\";outbound2=\"sip:sip2.natkeep.test\"" ;;
	baresip:*) echo "$acc;sipnat=outbound;outbound=\"sip:natkeep.test\"" ;;
	esac
}

start_baresip() {  # AGENT TEST DIR QUIT_AFTER
	local cfg=$3/baresip
	mkdir -p "$cfg"
	# Headless: no UI module (stdio wants a terminal), no audio driver,
	# one codec.  uuid makes the +sip.instance that outbound needs.
	cat >"$cfg/config" <<-EOF
		poll_method		epoll
		sip_listen		10.2.0.2:5060
		dns_server		$NK_SIP_DNS:53
		module_path		$BARESIP_MODULES
		module			g711.so
		module_tmp		uuid.so
		module_tmp		account.so
	EOF
	baresip_account "$1" "$2" >"$cfg/accounts"
	AGENT_LOG=$3/agent.log
	# -s: SIP trace in the log; -t: quit after the trial at the latest.
	ip netns exec gw baresip -f "$cfg" -s -t "$4" >"$AGENT_LOG" 2>&1 </dev/null &
	AGENT_PID=$!
	cleanup_add "peer_stop $AGENT_PID"
}

stop_baresip() {
	# TERM: it un-registers first; KILL after 5 s.
	kill -TERM "$AGENT_PID" 2>/dev/null
	wait_for 5 bash -c "! kill -0 $AGENT_PID 2>/dev/null"
	kill -9 "$AGENT_PID" 2>/dev/null
	wait "$AGENT_PID" 2>/dev/null
	return 0
}

start_agent() {  # AGENT TEST DIR QUIT_AFTER
	case $1 in
	natkeepd) start_natkeepd "$2" "$3" ;;
	baresip | baresip-plain) start_baresip "$@" ;;
	*) say "unknown agent $1"; return 1 ;;
	esac
}

stop_agent() {  # AGENT
	case $1 in
	natkeepd) stop_natkeepd ;;
	*) stop_baresip ;;
	esac
}

# --- a trial -----------------------------------------------------------

meta() {  # KEY VALUE
	printf '%s=%s\n' "$1" "$2" >>"$DIR/meta"
}

# Dual: every 0.1 s, the time and each registrar's count of alice's
# bindings (ul.lookup over JSON-RPC), until END.
sampler() {  # END
	local socks=() s
	for s in "${SERVERS[@]}"; do
		socks+=("${NK_KAM_DIR[srv@$s]}/jsonrpc.sock")
	done
	python3 - "$1" "$NK_TMP/sampler.sock" "${socks[@]}" <<-'EOF'
		import json, os, socket, sys, time
		end, me, servers = float(sys.argv[1]), sys.argv[2], sys.argv[3:]
		if os.path.exists(me):
		    os.unlink(me)
		s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
		s.bind(me)
		s.settimeout(1.0)
		q = json.dumps({"jsonrpc": "2.0", "method": "ul.lookup",
		                "params": ["location", "alice"], "id": 1}).encode()
		while time.time() < end:
		    t = time.time()
		    counts = []
		    for path in servers:
		        try:
		            s.sendto(q, path)
		            r = json.loads(s.recv(65536))
		            c = r.get("result", {}).get("Contacts", [])
		            counts.append(str(len(c)))
		        except (OSError, ValueError):
		            counts.append("?")
		    print("%.6f %s" % (t, " ".join(counts)), flush=True)
		    time.sleep(max(0.0, 0.1 - (time.time() - t)))
	EOF
}

# natkeepd's own view, as often as natkeepctl can: time and account state.
agent_sampler() {  # END
	local end=$1 state
	while awk -v n="$(now)" -v e="$end" 'BEGIN { exit !(n < e) }'; do
		state=$(nkd_show -j 2>/dev/null | sed -n 's/^\[{"account":"SP1","aor":"[^"]*","state":"\([^"]*\)".*/\1/p')
		echo "$(now) ${state:--}"
		sleep 0.1
	done
}

trial() {  # AGENT TEST K CAP
	local agent=$1 test=$2 k=$3 cap=$4 s t0 t_start lo hi rng quit pids end settle
	TRIAL=$((TRIAL + 1))
	DIR=$NK_TMP/trial$TRIAL
	mkdir -p "$DIR"
	: >"$DIR/meta"
	say "$agent $test trial $k (cap $cap s)"
	meta agent "$agent"
	meta test "$test"
	meta trial "$k"
	meta cap_s "$cap"

	# A clean start: the primary alive, no bindings, a fresh NAT range.
	primary_alive
	for s in "${SERVERS[@]}"; do
		peer_kamailio_rpc "srv@$s" ul.rm location alice >/dev/null 2>&1
	done
	rng=$(range "$TRIAL" 0)
	nk_nat_ports "$rng"
	meta start_range "$rng"

	quit=$((cap + WINDOW + 6 * INTERVAL + 60))
	t_start=$(now)
	meta t_start "$t_start"
	start_agent "$agent" "$test" "$DIR" "$quit" || { meta error "agent did not start"; emit; return; }
	# Registered: a 200 from the primary (and the secondary, dual).
	local want=("$PRIMARY")
	[ "$test" = dual ] && want+=("${SERVERS[1]}")
	registered() {
		local w
		for w in "${want[@]}"; do
			[ -n "$(first_200 "$w" "$t_start")" ] || return 1
		done
	}
	if ! wait_s 30 registered; then
		meta error "not registered with ${want[*]} within 30 s"
		tail -n 30 "$AGENT_LOG" | sed 's/^/  | /'
		stop_agent "$agent"
		emit
		return
	fi
	# Keep-alives running: two intervals, then a random part of one, so
	# that the event falls anywhere in the keep-alive cycle.
	settle=$(awk -v i="$INTERVAL" -v r="$RANDOM" 'BEGIN { printf "%.3f", 2 * i + i * r / 32768 }')
	meta settle_s "$settle"
	sleep "$settle"
	meta public_port "$(nk_nat_port nat 5060 "$PRIMARY" 5060)"

	case $test in
	rebind)
		rng=$(range "$TRIAL" 1)
		lo=${rng%-*} hi=${rng#*-}
		nk_nat_ports "$rng"
		t0=$(awk -v n="$NK_NAT_FLUSH_NS" 'BEGIN { printf "%.6f", n / 1e9 }')
		meta t_event "$t0"
		meta new_range "$rng"
		wait_s "$cap" any_200 "$t0" "$lo" "$hi" "${SERVERS[@]}"
		;;
	failover)
		primary_dead
		t0=$(now)
		meta t_event "$t0"
		wait_s "$cap" any_200 "$t0" 0 65535 "${SERVERS[@]:1}"
		;;
	dual)
		end=$(awk -v n="$(now)" -v w="$WINDOW" 'BEGIN { printf "%.3f", n + 2 + w }')
		sampler "$end" >"$DIR/samples" &
		pids=$!
		if [ "$agent" = natkeepd ]; then
			agent_sampler "$end" >"$DIR/agent-samples" &
			pids+=" $!"
		fi
		sleep 2
		primary_dead
		t0=$(now)
		meta t_event "$t0"
		# shellcheck disable=SC2086 # one pid per word
		wait $pids
		# natkeepd: a new secondary (sip3) registered.
		[ "$agent" = natkeepd ] && wait_s "$cap" any_200 "$t0" 0 65535 "${SERVERS[2]}"
		;;
	esac
	meta t_end "$(now)"
	primary_alive
	stop_agent "$agent"
	for s in "${SERVERS[@]}"; do
		peer_kamailio_registers "srv@$s" >"$DIR/registers-$s"
	done
	emit
}

# One JSON line from $DIR: meta (numbers where they are), the REGISTER lines
# since t_start per registrar, the samples.
emit() {
	python3 - "$DIR" >&3 <<-'EOF'
		import glob, json, os, sys
		d = sys.argv[1]
		doc = {}
		for line in open(os.path.join(d, "meta")):
		    k, _, v = line.rstrip("\n").partition("=")
		    try:
		        doc[k] = int(v)
		    except ValueError:
		        try:
		            doc[k] = float(v)
		        except ValueError:
		            doc[k] = v
		t_start = doc.get("t_start", 0)
		doc["registers"] = {}
		for path in sorted(glob.glob(os.path.join(d, "registers-*"))):
		    lines = []
		    for line in open(path):
		        f = dict(kv.split("=", 1) for kv in line.split()[:7] if "=" in kv)
		        if float(f.get("t", 0)) >= t_start:
		            lines.append(line.rstrip("\n"))
		    doc["registers"][os.path.basename(path)[len("registers-"):]] = lines
		for name in ("samples", "agent-samples"):
		    path = os.path.join(d, name)
		    if os.path.exists(path):
		        doc[name.replace("-", "_")] = [l.split() for l in open(path) if l.strip()]
		print("NKAGENTS-TRIAL " + json.dumps(doc, sort_keys=True), flush=True)
	EOF
}

# --- main --------------------------------------------------------------

need_module=0
for item in "$@"; do
	case $item in natkeepd:*) need_module=1 ;; esac
done
if [ $need_module = 1 ]; then
	nk_load || { say "natkeep.ko does not load: natkeepd cannot be measured here"; exit 1; }
fi
t=$(now)
outbound_peers || exit 1
nk_sip_topology || exit 1
nkd_servers 10 20 30 || exit 1
setup_s=$(awk -v a="$t" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
rtt=$(rtt_ms)
python3 - "$INTERVAL" "$EXPIRES" "$WINDOW" "${rtt:-}" "$setup_s" "$("$NK_NKD" -V 2>&1 | head -n 1)" >&3 <<-'EOF'
	import json, subprocess, sys
	def out(*cmd):
	    try:
	        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
	        return r.stdout.strip().splitlines()[0] if r.stdout.strip() else ""
	    except OSError:
	        return ""
	def pkg(name):
	    return out("dpkg-query", "-W", "-f", "${Version}", name)
	doc = {
	    "interval_s": int(sys.argv[1]), "expires_s": int(sys.argv[2]),
	    "window_s": float(sys.argv[3]),
	    "rtt_ms": float(sys.argv[4]) if sys.argv[4] else None,
	    "setup_s": float(sys.argv[5]),
	    "versions": {
	        "baresip": out("baresip", "-h").split(" Copyright")[0],
	        "baresip-core": pkg("baresip-core"), "libre0": pkg("libre0"),
	        "kamailio": pkg("kamailio"), "dnsmasq-base": pkg("dnsmasq-base"),
	        "natkeepd": sys.argv[6],
	    },
	}
	print("NKAGENTS-SETUP " + json.dumps(doc, sort_keys=True), flush=True)
EOF
for item in "$@"; do
	IFS=: read -r agent test trials cap <<<"$item"
	for ((k = 1; k <= trials; k++)); do
		trial "$agent" "$test" "$k" "$cap"
	done
done
say "done"

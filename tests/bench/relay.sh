#!/bin/bash
# make bench, part 6, the driver: the cost of natkeepd's relay (X_LocalProxy)
# against kamailio doing the same job, and against no edge at all, on the
# same path in the same run. relay.py runs it and makes the figures.
#
#   relay.sh [-d SECONDS] RATE...
#
# It runs on the host, in network namespaces of its own, not in the VM:
# the relay is userspace and needs no module, and under TCG the emulator,
# not the edges, set the figures (at 100 calls/s even the direct path
# failed calls there).
#
# Topology (tests/vm's): gw 10.2.0.2 -> NAT -> srv with the scenarios'
# kamailio registrar 10.3.0.11 (routing far... to the far end) and sipp as
# the far end 10.3.0.21:5070 (answers 180, 200; takes ACK and BYE). The
# caller is sipp in gw (tests/bench/sipp-bench-uac.xml), at each RATE
# (calls a second) for SECONDS (default 20), once per edge:
#   direct    the caller on 10.2.0.2:5090 straight to the registrar
#   kamailio  the caller on 127.0.0.1:5090 -> kamailio's tm on 127.0.0.1:5070
#             -> 10.2.0.2:5060 -> registrar (tests/bench/kamailio-edge.cfg)
#   natkeepd  the caller on 127.0.0.1:5090 -> natkeepd's relay on
#             127.0.0.1:5070 -> its account socket 10.2.0.2:5060 (registered
#             with the registrar; X_LocalUserAgent is the caller)
# The response times come from a capture of the caller's port (dumpcap,
# the kernel's timestamps): sipp's own are in whole ticks of 4 ms here.
#
# Output on stdout, one JSON object per run: "NKRELAY-RUN {...}" with the
# edge, rate, calls asked, sipp's successful and failed calls and the
# response times in ms: rtd1 (INVITE -> 180), rtd2 (BYE -> 200), each the
# first one seen per call, and the edge's CPU time during the run
# (edge_cpu_s: user + system of natkeepd, or of kamailio's processes).
# Everything else goes to stderr.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/../vm/lib.sh"
. "$here/../vm/natkeep.sh"
. "$here/../vm/peers.sh"
. "$here/../vm/natkeepd.sh"
exec 3>&1 1>&2

DURATION=20
while getopts d: opt; do
	case $opt in
	d) DURATION=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { sed -n '2,/^set -uo/{/^set -uo/!s/^# \{0,1\}//p}' "$0"; exit 2; }

REGISTRAR=10.3.0.11
FAR=10.3.0.21

nk_sip_topology || exit 1
nk_addr srv eth0 "$FAR/24" || exit 1
peer_kamailio srv "$REGISTRAR" 5060 || exit 1
peer_kamailio_rpc "srv@$REGISTRAR" cfg.sets natkeep far_end "sip:$FAR:5070" >/dev/null || exit 1

# The far end: one sipp for the whole bench, every call a new sipp call.
(cd "$NK_TMP" && exec ip netns exec srv sipp -sf "$NK_PEERS/sipp-call-uas.xml" \
	-i "$FAR" -p 5070 -nostdin -skip_rlimit -trace_err \
	-error_file "$NK_TMP/far.err" >"$NK_TMP/far.log" 2>&1 </dev/null) &
cleanup_add "peer_stop $!"
wait_for 30 _peer_bound srv "$FAR" 5070 || { echo "relay: the far end's sipp did not start"; exit 1; }
# The first packets of a path wait for ARP (and the NAT's first mapping):
# one call through it, not counted, before the measured ones.
(cd "$NK_TMP" && ip netns exec gw sipp -sf "$here/sipp-bench-uac.xml" -s far1 -i 10.2.0.2 \
	-p 5091 -m 1 -nostdin -timeout 20 "$REGISTRAR:5060" >"$NK_TMP/warmup.log" 2>&1 </dev/null) ||
	echo "relay: the warm-up call failed (the measured ones will say more)"

edge_pid=

start_edge() {  # EDGE
	case $1 in
	direct) ;;
	kamailio)
		sed "s|@REGISTRAR@|$REGISTRAR|" "$here/kamailio-edge.cfg" >"$NK_TMP/edge.cfg"
		ip netns exec gw kamailio -f "$NK_TMP/edge.cfg" -DD -E -Y "$NK_TMP" \
			-P "$NK_TMP/edge.pid" -w "$NK_TMP" -m 64 -M 8 >"$NK_TMP/edge.log" 2>&1 </dev/null &
		edge_pid=$!
		wait_for 30 in_ns gw python3 "$NK_PEERS/sip_client.py" -t 2 127.0.0.1 5070 || return 1
		;;
	natkeepd)
		nkd_conf <<-EOF
			LogLevel = notice
			[ITSP Profile A - SIP]
			ProxyServer = $REGISTRAR
			RegisterExpires = 600
			[SP1 Service]
			AuthUserName = alice
			AuthPassword = secret
			X_LocalProxy = 127.0.0.1:5070
			X_LocalUserAgent = 127.0.0.1:5090
		EOF
		ip netns exec gw "$NK_NKD" -f -c "$NKD_CONF" >>"$NKD_LOG" 2>&1 </dev/null &
		edge_pid=$!
		wait_for 20 test -S "$NKD_SOCK" &&
			wait_for 20 nkd_eval "a['current_server'] == '$REGISTRAR:5060'" || return 1
		;;
	esac
}

stop_edge() {
	[ -n "$edge_pid" ] || return 0
	kill -TERM "$edge_pid" 2>/dev/null
	wait_for 15 bash -c "! kill -0 $edge_pid 2>/dev/null"
	kill -9 "$edge_pid" 2>/dev/null
	wait "$edge_pid" 2>/dev/null
	edge_pid=
	rm -f "$NKD_SOCK"
}

# edge_cpu_ticks: the CPU time (user + system, clock ticks) the edge's
# processes have used so far: natkeepd, or kamailio and its children.
edge_cpu_ticks() {
	local pids=() new=("$edge_pid") p
	[ -n "$edge_pid" ] || { echo 0; return; }
	while [ ${#new[@]} -gt 0 ]; do
		pids+=("${new[@]}")
		mapfile -t new < <(for p in "${new[@]}"; do pgrep -P "$p"; done)
	done
	for p in "${pids[@]}"; do
		sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null
	done | awk '{ t += $12 + $13 } END { print t + 0 }'
}

# run EDGE RATE: one sipp caller at RATE for DURATION; its JSON line.
run() {
	local edge=$1 rate=$2 calls dir local_ip target cpu0 cpu1
	calls=$((rate * DURATION))
	dir=$NK_TMP/$edge-$rate
	mkdir -p "$dir"
	if [ "$edge" = direct ]; then
		local_ip=10.2.0.2 target=$REGISTRAR:5060
	else
		local_ip=127.0.0.1 target=127.0.0.1:5070
	fi
	if ! capture_start gw any "$dir/ua.pcapng" "udp port 5090" >/dev/null; then
		echo "NKRELAY-RUN {\"edge\": \"$edge\", \"rate\": $rate, \"error\": \"no capture\"}" >&3
		return 1
	fi
	# sipp's own -timeout did not always end a run that overran (once, at
	# 150 calls/s through kamailio): timeout(1) makes sure.
	cpu0=$(edge_cpu_ticks)
	(cd "$dir" && timeout -k 5 $((DURATION * 3 + 45)) ip netns exec gw \
		sipp -sf "$here/sipp-bench-uac.xml" -s far1 \
		-i "$local_ip" -p 5090 -r "$rate" -m "$calls" -l $((rate * 10)) \
		-nostdin -skip_rlimit -timeout $((DURATION * 3 + 30)) \
		-trace_stat -stf "$dir/stat.csv" -fd 1 \
		-trace_err -error_file "$dir/err.log" "$target" >"$dir/sipp.log" 2>&1 </dev/null)
	cpu1=$(edge_cpu_ticks)
	capture_stop "$dir/ua.pcapng"
	_peer_tshark -r "$dir/ua.pcapng" -d udp.port==5090,sip -Y sip -T fields \
		-E separator=/t -e frame.time_epoch -e udp.srcport -e udp.dstport \
		-e sip.Call-ID -e sip.Method -e sip.Status-Code -e sip.CSeq.method \
		>"$dir/ua.tsv"
	python3 - "$edge" "$rate" "$calls" "$dir" $((cpu1 - cpu0)) "$(getconf CLK_TCK)" >&3 <<-'PY'
		import csv, glob, json, sys
		edge, rate, calls, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
		out = {"edge": edge, "rate": rate, "calls": calls, "rtd1": [], "rtd2": []}
		if edge != "direct":
		    out["edge_cpu_s"] = int(sys.argv[5]) / int(sys.argv[6])
		# Per call, the first of each: INVITE and BYE out, 180 and BYE's 200 in.
		seen = {}
		for line in open(d + "/ua.tsv"):
		    f = line.rstrip("\n").split("\t")
		    if len(f) < 7:
		        continue
		    t, sport, dport, cid, method, status, cseq = f[:7]
		    if sport == "5090" and method in ("INVITE", "BYE"):
		        key = method
		    elif dport == "5090" and (status, cseq) in (("180", "INVITE"), ("200", "BYE")):
		        key = status + cseq
		    else:
		        continue
		    seen.setdefault(cid, {}).setdefault(key, float(t))
		for c in seen.values():
		    for rtd, a, b in (("rtd1", "INVITE", "180INVITE"), ("rtd2", "BYE", "200BYE")):
		        if a in c and b in c:
		            out[rtd].append(round((c[b] - c[a]) * 1000, 3))
		rows = list(csv.reader(open(d + "/stat.csv"), delimiter=";")) if glob.glob(d + "/stat.csv") else []
		if len(rows) >= 2:
		    head, last = rows[0], rows[-1]
		    for key, name in (("successful", "SuccessfulCall(C)"), ("failed", "FailedCall(C)")):
		        out[key] = int(last[head.index(name)]) if name in head else None
		else:
		    out["error"] = "no sipp statistics"
		print("NKRELAY-RUN " + json.dumps(out))
		print("relay: %s at %d calls/s: %s ok, %s failed, %d + %d response times, edge CPU %s s"
		      % (edge, rate, out.get("successful"), out.get("failed"), len(out["rtd1"]),
		         len(out["rtd2"]), out.get("edge_cpu_s", "-")), file=sys.stderr)
	PY
}

for edge in direct kamailio natkeepd; do
	if ! start_edge "$edge"; then
		echo "NKRELAY-RUN {\"edge\": \"$edge\", \"error\": \"the edge did not start\"}" >&3
		stop_edge
		continue
	fi
	for rate in "$@"; do
		run "$edge" "$rate"
	done
	stop_edge
done

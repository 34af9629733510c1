# shellcheck shell=bash
# natkeepd helpers for VM scenarios; source after lib.sh, natkeep.sh, peers.sh.
#
#   nkd_servers [PRIO...]   kamailio on 10.3.0.11, .12, .13 (as many as PRIOs,
#                           default 10 20 30) and dnsmasq on 10.3.0.53 with
#                           _sip._udp.natkeep.test SRV records sipN.natkeep.test
#                           of those priorities (weight 10), TTL 30 s
#   nkd_conf                write $NKD_CONF: stdin, after a [natkeepd]
#                           section with the socket, resolv.conf and
#                           StateFile ($NK_TMP/natkeepd.state)
#   nkd_conf_alice [KEY=VALUE...]
#                           nkd_conf: alice/secret at natkeep.test (the SRV
#                           records), RegisterExpires 20, OPTIONS every 5 s;
#                           each KEY=VALUE sets or adds a parameter in its
#                           section (KEY= leaves it out: natkeepd's default)
#   nkd_start [ARGS...]     natkeepd -f -d in gw (log $NKD_LOG); NKD_PID
#   nkd_stop                SIGTERM and wait for the exit (15 s)
#   nkd_show [-j]           natkeepctl account show through the socket
#   nkd_eval PY             evaluate PY over the JSON accounts `d` (a = d[0])
#   nkd_wait SECS PY        until PY (as nkd_eval) is true
#   nkd_registers INST [PY] REGISTERs received by kamailio INST: count of
#                           distinct (callid, cseq) whose fields `r` make PY true
#   nkd_bound INST / nkd_unbound INST   kamailio INST has a binding / none
#   nkd_rebound ADDR OLD    alice's binding at the registrar ADDR (10.3.0.1x)
#                           names the NAT's mapping of gw's port 5060 toward
#                           it, and that mapping's port is no longer OLD

NK_NKD=$NK_TOP/agent/natkeepd/natkeepd
NKD_SOCK=$NK_TMP/natkeepd.sock
NKD_LOG=$NK_TMP/natkeepd.log
NKD_CONF=$NK_TMP/natkeepd.conf
NKD_PID=

nkd_servers() {
	local prios=("$@") i rec=()
	[ ${#prios[@]} -gt 0 ] || prios=(10 20 30)
	for i in "${!prios[@]}"; do
		peer_kamailio srv "${NK_SIP_REGISTRARS[i]}" 5060 || return 1
		rec+=("--srv-host=_sip._udp.natkeep.test,sip$((i + 1)).natkeep.test,5060,${prios[i]},10"
			"--host-record=sip$((i + 1)).natkeep.test,${NK_SIP_REGISTRARS[i]}")
	done
	peer_dnsmasq srv "$NK_SIP_DNS" "${rec[@]}" --local-ttl=30 || return 1
	printf 'nameserver %s\n' "$NK_SIP_DNS" >"$NK_TMP/resolv.conf"
}

nkd_conf() {
	{
		printf '[natkeepd]\nControlSocket = %s\nResolvConf = %s\nStateFile = %s\n' \
			"$NKD_SOCK" "$NK_TMP/resolv.conf" "$NK_TMP/natkeepd.state"
		cat
	} >"$NKD_CONF"
}

# The parameters of natkeepd.conf's [natkeepd] and [ITSP Profile] sections,
# as natkeepd's own table names them; any other is an [SP1 Service] one.
nkd_section_keys() {
	echo " $(sed -n "s/^[[:space:]]*$1([a-z_0-9]*, \"\([A-Za-z_0-9]*\)\".*/\1/p" \
		"$NK_TOP/agent/natkeepd/config_values.c" | tr '\n' ' ')"
}
NKD_AGENT_KEYS=$(nkd_section_keys AGENT)
NKD_PROFILE_KEYS=$(nkd_section_keys PROFILE)

nkd_conf_alice() {
	local keys=(ProxyServer RegisterExpires AuthUserName AuthPassword X_KeepAliveEnable
		X_KeepAliveExpires X_KeepAliveMsgType)
	local -A val=([ProxyServer]=natkeep.test [RegisterExpires]=20 [AuthUserName]=alice
		[AuthPassword]=secret [X_KeepAliveEnable]=true [X_KeepAliveExpires]=5
		[X_KeepAliveMsgType]=options)
	local kv key agent=() profile=() account=()
	for kv; do
		key=${kv%%=*}
		[ -n "${val[$key]+set}" ] || keys+=("$key")
		val[$key]=${kv#*=}
	done
	for key in "${keys[@]}"; do
		[ -n "${val[$key]}" ] || continue
		if [[ $NKD_AGENT_KEYS == *" $key "* ]]; then
			agent+=("$key = ${val[$key]}")
		elif [[ $NKD_PROFILE_KEYS == *" $key "* ]]; then
			profile+=("$key = ${val[$key]}")
		else
			account+=("$key = ${val[$key]}")
		fi
	done
	{
		[ ${#agent[@]} = 0 ] || printf '%s\n' "${agent[@]}"
		echo "[ITSP Profile A - SIP]"
		printf '%s\n' "${profile[@]}"
		echo "[SP1 Service]"
		printf '%s\n' "${account[@]}"
	} | nkd_conf
}

nkd_start() {
	ip netns exec gw "$NK_NKD" -f -d -c "$NKD_CONF" "$@" >>"$NKD_LOG" 2>&1 </dev/null &
	NKD_PID=$!
	cleanup_add "nkd_stop"
	wait_for 20 test -S "$NKD_SOCK" || { tail -n 20 "$NKD_LOG"; return 1; }
}

nkd_stop() {
	[ -n "$NKD_PID" ] || return 0
	kill -TERM "$NKD_PID" 2>/dev/null
	wait_for 15 bash -c "! kill -0 $NKD_PID 2>/dev/null"
	local rc=$?
	wait "$NKD_PID" 2>/dev/null
	NKD_PID=
	return $rc
}

# On a failed check, summary shows natkeepd's last words.
nk_on_failure() {
	[ -s "$NKD_LOG" ] || return 0
	echo "natkeepd log (last 80 lines):"
	tail -n 80 "$NKD_LOG" | sed 's/^/  | /'
}

nkd_show() {
	NATKEEPD_SOCKET=$NKD_SOCK "$NK_CTL" "$@" account show
}

nkd_eval() {
	nkd_show -j | python3 -c '
import json, sys
d = json.load(sys.stdin)
a = d[0] if d else None
def server(addr):
    return next((s for s in a["servers"] if s["address"] == addr), {})
r = eval(sys.argv[1])
print(r)
sys.exit(0 if r else 1)' "$1"
}

nkd_wait() {
	wait_for "$1" nkd_eval "$2"
}

nkd_registers() {
	peer_kamailio_registers "$1" | python3 -c '
import sys
seen = set()
for line in sys.stdin:
    r = dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
    if eval(sys.argv[1]):
        seen.add((r.get("callid"), r.get("cseq")))
print(len(seen))' "${2:-True}"
}

nkd_bound() {
	[ -n "$(peer_kamailio_bindings "$1")" ]
}

nkd_unbound() {
	[ -z "$(peer_kamailio_bindings "$1")" ]
}

nkd_rebound() {
	local p
	p=$(nk_nat_port nat 5060 "$1" 5060)
	[ -n "$p" ] && [ "$p" != "$2" ] &&
		peer_kamailio_bindings "srv@$1" | grep -q "^alice sip:alice@10.3.0.1:$p "
}

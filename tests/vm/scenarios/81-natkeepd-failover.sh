#!/bin/bash
# Proxy server redundancy with real registrars: one keep-alive lost on the
# way is not a dead server; a killed primary is left within two keep-alive
# intervals (NOTIFY keep-alives unanswered, the miss confirmed), a
# restarted one taken back within X_CheckPrimaryServerInterval; with dual
# registration both servers hold the binding and killing the primary
# leaves the account registered in every sample, the secondary taking over
# and a new secondary found.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"
. "$(dirname "$0")/../natkeepd.sh"

INTERVAL=2
CHECK=10
nk_load
nk_sip_topology
check "three registrars and DNS (SRV priorities 10, 20, 30)" nkd_servers 10 20 30

# The hook the gateway's call handling would use: it records every change,
# and takes its time (runs that overlapped would show in runs.log).
cat >"$NK_TMP/hook.sh" <<EOF
#!/bin/sh
echo "start \$NATKEEP_STATE" >>"$NK_TMP/runs.log"
echo "\$NATKEEP_ACCOUNT \$NATKEEP_STATE \$NATKEEP_SERVER \$NATKEEP_SERVER_HOST \$NATKEEP_SECONDARY" >>"$NK_TMP/hook.log"
echo "sockets \$(ls -l /proc/\$\$/fd | grep -c 'socket:')" >>"$NK_TMP/hook-fds.log"
env >>"$NK_TMP/hook-env.log"
sleep 0.3
echo end >>"$NK_TMP/runs.log"
EOF
chmod +x "$NK_TMP/hook.sh"

write_conf() {
	nkd_conf_alice ServerChangeHook="$NK_TMP/hook.sh" RegisterExpires=300 \
		X_ProxyServerRedundancy=true X_SecondaryRegistration="$1" \
		X_CheckPrimaryServerInterval="$CHECK" X_KeepAliveExpires="$INTERVAL" \
		X_KeepAliveMsgType="$2"
}



# Seconds from T0 to INST's first 200 OK to a REGISTER after it.
first_200_after() {
	peer_kamailio_registers "$1" | awk -v t0="$2" '
		{ for (i = 1; i <= NF; i++) if ($i ~ /^t=/) t = substr($i, 3) }
		t > t0 && / code=200 / { printf "%.2f", t - t0; exit }'
}

within() {
	awk -v s="$1" -v max="$2" 'BEGIN { exit !(s != "" && s <= max) }'
}

# b) failover and fallback, with NOTIFY keep-alives
write_conf false notify
check "natkeepd starts" nkd_start
check "registered with sip1" nkd_wait 15 'a["current_server"] == "10.3.0.11:5060"'
check "its NOTIFY keep-alives are answered" \
	nkd_wait 10 'server("10.3.0.11:5060")["flow"]["rx_responses"] >= 1'
# A lossy uplink: the NAT drops one NOTIFY to sip1 (a quota that one
# keep-alive's length fits under, two do not), nothing else. The miss is
# confirmed by another NOTIFY, answered: no failover.
notify_to_sip1() {
	in_ns nat nft -f - <<-NFT
		table inet lossy
		delete table inet lossy
		table inet lossy {
			chain forward {
				type filter hook forward priority 0; policy accept;
				ip daddr 10.3.0.11 udp dport 5060 @th,64,48 0x4e4f54494659 $1
			}
		}
	NFT
}
# Packets the rule matched (counted, or dropped).
dropped() {
	in_ns nat nft list table inet lossy | grep -o 'packets [0-9]*' | head -n 1 | cut -d' ' -f2
}
notify_to_sip1 "counter"
counted() {
	[ "$(dropped)" -ge 1 ]
}
check "NOTIFY to sip1 counted" wait_for $((3 * INTERVAL)) counted
size=$(in_ns nat nft list table inet lossy | awk '{ for (i = 1; i < NF; i++) { if ($i == "packets") p = $(i + 1); if ($i == "bytes") b = $(i + 1) } } END { if (p) print int(b / p) }')
echo "  a NOTIFY keep-alive is $size bytes"
notify_to_sip1 "quota $((size + size / 2)) bytes counter drop"
check "the keep-alive's miss is confirmed by another request" \
	wait_for $((4 * INTERVAL)) grep -q "SP1: sip:10.3.0.11:5060;transport=udp missed a keep-alive: asking once more" "$NKD_LOG"
check "which is answered: no failover" \
	wait_for $((2 * INTERVAL)) grep -q "SP1: sip:10.3.0.11:5060;transport=udp answered again (200)" "$NKD_LOG"
check "exactly one NOTIFY was dropped" test "$(dropped)" = 1
sleep $((2 * INTERVAL))
check "still registered with sip1" nkd_eval 'a["current_server"] == "10.3.0.11:5060"'
check "sip1 never failed over" bash -c "! grep -B3 'does not answer keep-alives: failing over' '$NKD_LOG'"
in_ns nat nft delete table inet lossy
peer_kamailio_stop srv@10.3.0.11
died=$(date +%s.%N)
check "failover: current server sip2" nkd_wait 20 'a["current_server"] == "10.3.0.12:5060"'
# From the registrar's clock: its 200 OK to the failover REGISTER.
t=$(first_200_after srv@10.3.0.12 "$died")
echo "  failover to sip2 ${t:-never} s after sip1 died (keep-alive interval $INTERVAL s)"
check "failover to sip2 within 2 keep-alive intervals (${t:-never} s)" within "$t" $((2 * INTERVAL))
check "sip1 failed: keep-alive unanswered" \
	nkd_eval 'server("10.3.0.11:5060")["last_error"]["kind"] == "keep-alive-unanswered"'
check "the hook was told: current server sip2" \
	wait_for 5 grep -qE "^SP1 registered 10.3.0.12:5060 sip2.natkeep.test( |$)" "$NK_TMP/hook.log"
check "sip1 is a fallback candidate now" \
	nkd_eval 'server("10.3.0.11:5060")["state"] == "fallback-candidate"'
check "the keep-alive flow follows: to sip2 now" \
	nkd_wait 5 'server("10.3.0.12:5060")["flow"]["tx_packets"] >= 1'
check "sip2 holds the binding" wait_for 5 nkd_bound srv@10.3.0.12
# From the restart's start: natkeepd's check may reach sip1 before the
# restart helper has seen it up (its 200 would come before a later mark).
back=$(date +%s.%N)
check "sip1 restarts (empty location table)" peer_kamailio_restart srv@10.3.0.11
up=$(awk -v b="$back" -v n="$(date +%s.%N)" 'BEGIN { printf "%.2f", n - b }')
check "fallback: current server sip1 again" nkd_wait $((CHECK + 10)) 'a["current_server"] == "10.3.0.11:5060"'
t=$(first_200_after srv@10.3.0.11 "$back")
echo "  fallback to sip1 ${t:-never} s after its restart began (it took $up s; check interval $CHECK s)"
check "fallback to sip1 within X_CheckPrimaryServerInterval of its restart (${t:-never} s)" \
	within "$t" "$(awk -v u="$up" -v c=$CHECK 'BEGIN { print c + 2 + u }')"
check "after the fallback sip2's binding is removed (un-REGISTER)" \
	wait_for 10 nkd_unbound srv@10.3.0.12
check "sip1 holds the binding again" wait_for 5 nkd_bound srv@10.3.0.11
echo "  hook calls: $(tr '\n' ';' <"$NK_TMP/hook.log")"
hook_order() {
	awk '{ print $3 }' "$NK_TMP/hook.log" | grep . | uniq | tr '\n' ' ' |
		grep -q '^10.3.0.11:5060 10.3.0.12:5060 10.3.0.11:5060 $'
}
check "the hook saw sip1, sip2 (failover), sip1 (fallback), in that order" hook_order
states_in_order() {
	awk '$2 == "registering" && !seen { seen = NR } $2 == "registered" && seen { ok = 1 }
		END { exit !ok }' "$NK_TMP/hook.log"
}
check "the hook saw the states on the way (registering, then registered)" states_in_order
one_at_a_time() {
	awk '/^start/ { if (open) bad = 1; open = 1 } /^end/ { open = 0 } END { exit bad }' \
		"$NK_TMP/runs.log"
}
check "one hook run at a time ($(grep -c ^start "$NK_TMP/runs.log") runs)" one_at_a_time
check "the hook's environment has no password" \
	bash -c "grep -q '^NATKEEP_AOR=' '$NK_TMP/hook-env.log' && ! grep secret '$NK_TMP/hook-env.log'"
check "the hook inherited none of natkeepd's sockets" \
	bash -c "[ -s '$NK_TMP/hook-fds.log' ] && ! grep -vx 'sockets 0' '$NK_TMP/hook-fds.log'"
check "natkeepd stops" nkd_stop

# c) dual registration, with OPTIONS keep-alives
write_conf true options
rm -f "$NKD_SOCK"
check "natkeepd starts (dual registration)" nkd_start
check "primary sip1 and secondary sip2" \
	nkd_wait 15 'server("10.3.0.11:5060").get("state") == "primary" and server("10.3.0.12:5060").get("state") == "secondary"'
check "sip1 and sip2 both hold alice's binding" \
	wait_for 10 eval 'nkd_bound srv@10.3.0.11 && nkd_bound srv@10.3.0.12'
check "two keep-alive flows, one per server" \
	wait_for 10 bash -c "[ \"\$(ip netns exec gw $NK_CTL -j flow show | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')\" = 2 ]"

# Sample the account's state five times a second while the primary dies.
samples=$NK_TMP/samples
(
	end=$(($(date +%s) + 12))
	while [ "$(date +%s)" -lt "$end" ]; do
		# sed, not python: a sample must be cheap under TCG.
		nkd_show -j | sed -n 's/^\[{"account":"SP1","aor":"[^"]*","state":"\([^"]*\)".*"current_server":\("[^"]*"\|null\).*/\1 \2/p'
		sleep 0.2
	done
) >"$samples" &
sampler=$!
sleep 1
peer_kamailio_stop srv@10.3.0.11
wait "$sampler"
echo "  $(wc -l <"$samples") samples: $(sort "$samples" | uniq -c | tr '\n' ';')"
check "registered in every sample while the primary died" \
	bash -c "[ \$(wc -l <'$samples') -ge 6 ] && ! grep -v '^registered ' '$samples'"
check "sip2 took over as primary" nkd_eval 'a["current_server"] == "10.3.0.12:5060"'
check "a new secondary: sip3" nkd_wait 10 'server("10.3.0.13:5060").get("state") == "secondary"'
check "sip3 holds the binding" wait_for 10 nkd_bound srv@10.3.0.13
check "natkeepd stops" nkd_stop
check "no flow left" test "$(in_ns gw "$NK_CTL" -j flow show)" = "[]"
summary

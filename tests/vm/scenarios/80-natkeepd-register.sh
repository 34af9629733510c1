#!/bin/bash
# natkeepd registers through the NAT with the highest-priority SRV server,
# its kernel keep-alive flow leaves from the SIP port, a NAT rebinding is
# healed by a REGISTER with the new Contact within one keep-alive interval,
# SIGHUP changes the flow without touching the registration, and SIGTERM
# un-registers and deletes the flow.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"
. "$(dirname "$0")/../natkeepd.sh"

INTERVAL=2
nk_load
nk_sip_topology
check "two registrars and DNS (SRV priorities 10, 20)" nkd_servers 10 20
nkd_conf_alice RegisterExpires=120 X_ProxyServerRedundancy=true X_KeepAliveExpires=$INTERVAL
check "natkeepd starts" nkd_start

# a) the highest-priority server, with the NAT's public address as Contact
check "registered with sip1 (priority 10) within 15 s" \
	nkd_wait 15 'a["state"] == "registered" and a["current_server"] == "10.3.0.11:5060"'
check "sip1 is primary, sip2 a candidate" \
	nkd_eval 'server("10.3.0.11:5060")["state"] == "primary" and server("10.3.0.12:5060")["state"] == "candidate"'
nat_port=$(nk_nat_port nat 5060 10.3.0.11 5060)
public_binding() {
	peer_kamailio_bindings srv@10.3.0.11 | grep -q "^alice sip:alice@10.3.0.1:$nat_port "
}
check "kamailio's binding: Contact = the NAT's address and port ($nat_port)" \
	wait_for 10 public_binding
check "only that one binding at sip1" \
	test "$(peer_kamailio_bindings srv@10.3.0.11 | wc -l)" = 1
check "no binding at sip2 (no dual registration)" \
	test -z "$(peer_kamailio_bindings srv@10.3.0.12)"
flow_ok() {
	in_ns gw "$NK_CTL" -j flow show | python3 -c '
import json, sys
f = json.load(sys.stdin)
assert len(f) == 1, f
f = f[0]
assert f["local"].endswith(":5060") and f["remote"] == "10.3.0.11:5060", f
assert f["type"] == "options" and f["interval_ms"] == 2000, f
assert f["stats"]["rx_responses"] >= 2, f["stats"]
'
}
check "one kernel flow: options every 2 s from port 5060 to sip1, answered" wait_for 10 flow_ok
check "account show (text) names the primary and the flow" \
	bash -c "NATKEEPD_SOCKET=$NKD_SOCK $NK_CTL account show | grep -q 'primary' &&
		NATKEEPD_SOCKET=$NKD_SOCK $NK_CTL account show | grep -q 'keep-alive flow'"

# d) a NAT rebinding: re-REGISTER with the new Contact within one interval
nk_nat_ports 20100-20199
check "after the rebinding kamailio's binding has the new port" \
	wait_for 15 nkd_rebound 10.3.0.11 "$nat_port"
heal_s=$(peer_kamailio_registers srv@10.3.0.11 | awk -v t0="$NK_NAT_FLUSH_NS" '
	{ for (i = 1; i <= NF; i++) if ($i ~ /^t=/) t = substr($i, 3) }
	t * 1e9 > t0 && /code=200/ && !done { printf "%.2f", t - t0 / 1e9; done = 1 }')
echo "  rebinding healed (200 to the new Contact) ${heal_s:-?} s after the flush"
check "healed within one keep-alive interval + 1 s (${heal_s:-?} s)" \
	awk -v s="${heal_s:-99}" -v i="$INTERVAL" 'BEGIN { exit !(s <= i + 1) }'
one_binding() {
	[ "$(peer_kamailio_bindings srv@10.3.0.11 | wc -l)" = 1 ]
}
check "the stale binding is gone: one binding left" wait_for 10 one_binding
check "account shows the new public address" \
	nkd_eval 'server("10.3.0.11:5060")["public_address"].endswith(":%s" % "'"$(nk_nat_port nat 5060 10.3.0.11 5060)"'")'

# e) a spoofer, from sip1's address to the public mapping, with 200 OKs whose
# Via names that mapping and received/rport other hosts: nothing moves.
public=10.3.0.1:$(nk_nat_port nat 5060 10.3.0.11 5060)
regs=$(nkd_registers srv@10.3.0.11)
check "200 spoofed 200 OKs from 10.3.0.11:5060 to the public mapping $public" \
	in_ns srv python3 "$NK_VM/hostile.py" --mode raw -c sip-spoofed-mapping -n 200 -i 0.001 \
	10.3.0.11:5060 "$public"
sleep 3
check "spoofed: no REGISTER sent for them" test "$(nkd_registers srv@10.3.0.11)" = "$regs"
binding_unmoved() {
	one_binding && peer_kamailio_bindings srv@10.3.0.11 | grep -q "^alice sip:alice@$public "
}
check "spoofed: the binding is still the public mapping, and only it" binding_unmoved
check "spoofed: the account's public address stays $public" \
	nkd_eval 'server("10.3.0.11:5060")["public_address"] == "'"$public"'"'
flow_unmoved() {
	in_ns gw "$NK_CTL" -j flow show | grep -q "\"text\": *\"$public\""
}
check "spoofed: the kernel flow's mapping stays $public" flow_unmoved

# f) SIGHUP with a new keep-alive interval: the flow changes, the registration does not
flow_id=$(in_ns gw "$NK_CTL" -j flow show | nk_json 'd[0]["id"]')
sed -i 's/^X_KeepAliveExpires = .*/X_KeepAliveExpires = 3/' "$NKD_CONF"
sleep 1
regs=$(nkd_registers srv@10.3.0.11)
kill -HUP "$NKD_PID"
interval_is_3s() {
	in_ns gw "$NK_CTL" -j flow show | python3 -c '
import json, sys
f = json.load(sys.stdin)
sys.exit(0 if len(f) == 1 and f[0]["interval_ms"] == 3000 and f[0]["id"] == '"$flow_id"' else 1)'
}
check "SIGHUP: the same flow now every 3 s" wait_for 10 interval_is_3s
sleep 3
check "SIGHUP: no REGISTER sent for it" test "$(nkd_registers srv@10.3.0.11)" = "$regs"
check "SIGHUP: still registered with sip1" nkd_eval 'a["state"] == "registered" and a["current_server"] == "10.3.0.11:5060"'

# A bad file on SIGHUP is refused; everything stays.
sed -i 's/^X_KeepAliveExpires = .*/X_KeepAliveExpires = 0/' "$NKD_CONF"
kill -HUP "$NKD_PID"
check "SIGHUP with a bad file: refused with file:line: parameter" \
	wait_for 10 grep -q "reload refused.*natkeepd.conf:[0-9]*: X_KeepAliveExpires: " "$NKD_LOG"
check "SIGHUP with a bad file: the flow stays" interval_is_3s
check "SIGHUP with a bad file: the registration stays" nkd_eval 'a["state"] == "registered"' 

# SIGTERM: un-REGISTER at the registrar, flows deleted, exit.
check "SIGTERM: natkeepd exits within 15 s" nkd_stop
check "SIGTERM: un-REGISTER (Expires 0) received by sip1" \
	test "$(nkd_registers srv@10.3.0.11 'r.get("expires") == "0" and r.get("code") == "200"')" -ge 1
check "SIGTERM: no binding left at sip1" test -z "$(peer_kamailio_bindings srv@10.3.0.11)"
check "SIGTERM: no flow left in the module" test "$(in_ns gw "$NK_CTL" -j flow show)" = "[]"
check "natkeepd logged no error but the refused reload" \
	bash -c "! grep -E ' error: ' '$NKD_LOG' | grep -v 'reload refused'"
grep -E 'notice|warning' "$NKD_LOG" | sed 's/^/  log: /' | head -n 20
summary

#!/bin/bash
# `make demo` runs this inside the VM: a gateway behind an nftables NAT keeps
# its SIP socket's NAT binding open with natkeep flows to a server, and
# natkeepctl shows them live.
set -uo pipefail
. "$(dirname "$0")/vm/lib.sh"
. "$(dirname "$0")/vm/natkeep.sh"
. "$(dirname "$0")/vm/peers.sh"

say() { printf '\n## %s\n' "$*"; }
# natkeepctl in the gateway namespace, shown as typed there.
ctl() { printf '$ natkeepctl %s\n' "$*"; in_ns gateway "$NK_CTL" "$@"; }

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
nk_load || exit 1
modinfo -F version "$NK_KO" | sed 's/^/version /'

say "A SIP socket on 10.8.0.2:5060 registers with the server (a UDP stand-in)"
nk_sink server 10.9.0.2 5060 "$NK_TMP/server.log" sip
nk_sink server fd00:7::1 5060 "$NK_TMP/server6.log"
in_ns gateway python3 "$NK_VM/sip_phone.py" 0.0.0.0 5060 10.9.0.2 5060 30 "$NK_TMP/phone.log" &
wait_for 10 test -e "$NK_TMP/phone.log.ready"
in_ns gateway "$NK_CTL" monitor >"$NK_TMP/monitor.txt" 2>&1 &
sleep 1

say "Keep-alive flows from the SIP socket's own port, while it stays bound"
ctl flow add local 10.8.0.2:5060 remote 10.9.0.2:5060 interval 500 type keep-alive
ctl flow add local [fd00:7::2]:5060 remote [fd00:7::1]:5060 interval 1s type empty random dscp ef mark 0x10

say "A STUN flow to a real STUN server (coturn) learns the NAT's public mapping"
peer_stun server 10.9.0.2 3478 >/dev/null || echo "(coturn did not start)"
ctl flow add local 10.8.0.2:5064 remote 10.9.0.2:3478 interval 500 type stun
sleep 3
say "natkeepctl flow show (live counters and the lateness histogram)"
ctl flow show
sleep 3
say "...three seconds later"
ctl flow show

say "Change a flow: every 250 ms from now on"
ctl flow set id 1 interval 250
sleep 2
ctl -p flow show id 1

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

say "The NAT's mappings: the SIP socket and its keep-alives share one (5060)"
echo "$ conntrack -L -p udp   (in the NAT namespace)"
in_ns nat conntrack -L -p udp 2>/dev/null

say "Delete the flows; natkeepctl monitor saw every change"
ctl flow del id 1
ctl flow del id 2
ctl flow del id 3
sleep 1
cat "$NK_TMP/monitor.txt"
echo
nk_unload && echo "module unloaded"

#!/bin/bash
# Self-test of the VM harness: what the real scenarios rely on.
#   tests/vm/run.sh -- bash tests/vm/scenarios/00-harness.sh
set -euo pipefail
. "$(dirname "$0")/../lib.sh"

# --- the VM itself
check "running as root in the VM kernel $(uname -r)" test "$(id -u)" = 0 -a -d "/lib/modules/$(uname -r)"
check "/etc is read-only" bash -c '! touch /etc/natkeep-write-test 2>/dev/null'
check "/run, /tmp, /var/lib, /root are writable" \
	bash -c 'for d in /run /tmp /var/lib /root; do touch "$d/.nk-w" && rm "$d/.nk-w" || exit 1; done'
check "bash process substitution (/dev/fd)" bash -c 'test "$(cat <(echo x))" = x'
check "modprobe works (nft_chain_nat nft_masq veth)" modprobe -a nft_chain_nat nft_masq veth

# --- two namespaces on a veth pair
ns_create nk-a
ns_create nk-b
veth_pair nk-a va 10.0.1.1/24 nk-b vb 10.0.1.2/24
nk_addr nk-a va fd00:1::1/64
nk_addr nk-b vb fd00:1::2/64
check "ping a -> b (IPv4)" nk_ping nk-a -c 1 -W 2 10.0.1.2
check "ping a -> b (IPv6)" nk_ping nk-a -c 1 -W 2 fd00:1::2
nk_udp_echo nk-b :: 5060 "$NK_TMP/b.log"
check "UDP a -> b and back (IPv4)" nk_udp_ask nk-a 10.0.1.2 5060 hello4
check "UDP a -> b and back (IPv6)" nk_udp_ask nk-a fd00:1::2 5060 hello6

# --- phone | NAT router (nftables masquerade) | server
ns_create nk-phone
ns_create nk-nat
ns_create nk-srv
veth_pair nk-phone eth0 10.0.2.2/24 nk-nat lan0 10.0.2.1/24
veth_pair nk-nat wan0 10.0.3.1/24 nk-srv eth0 10.0.3.2/24
ip -n nk-phone route add default via 10.0.2.1
in_ns nk-nat sysctl -qw net.ipv4.ip_forward=1
check "nftables masquerade ruleset loads" in_ns nk-nat nft -f - <<'NFT'
table ip nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "wan0" masquerade
	}
}
NFT
nk_udp_echo nk-srv 10.0.3.2 5060 "$NK_TMP/srv.log"
check "UDP phone:5060 -> server:5060 through the NAT" nk_udp_ask nk-phone 10.0.3.2 5060 register 5060
check "server sees the NAT's public address" grep -q '^10\.0\.3\.1 [0-9]* register$' "$NK_TMP/srv.log"
check "conntrack -L in the NAT namespace shows the mapping" \
	bash -c 'ip netns exec nk-nat conntrack -L -p udp 2>/dev/null | tee /dev/stderr |
		grep -q "src=10.0.2.2 dst=10.0.3.2 sport=5060 dport=5060 .*src=10.0.3.2 dst=10.0.3.1 sport=5060"'
check "no conntrack entry leaks into the init namespace" \
	bash -c '! conntrack -L -p udp 2>/dev/null | grep -q 10.0.2.2'

# --- dropping privileges
drop=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all --)
check "root can add a link in a namespace (control)" in_ns nk-nat ip link add nk-d0 type dummy
check "setpriv leaves no effective capabilities" \
	bash -c '"$@" grep -q "^CapEff:[[:space:]]*0*$" /proc/self/status' _ "${drop[@]}"
check "setpriv drops CAP_NET_ADMIN (ip link add refused)" \
	bash -c '! ip netns exec nk-nat "$@" ip link add nk-d1 type dummy' _ "${drop[@]}"

summary

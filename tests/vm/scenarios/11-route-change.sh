#!/bin/bash
# A flow's next keep-alive is built ahead of its due time (routed, with its
# source address): when the route changes in between, the packet that was
# built goes by the new route, not the old one, over IPv4 and IPv6; when
# the route goes away the sends fail (counted) and they resume with it.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"

# gw reaches srv over two links; the flow's peer (10.5.0.1, fd00:5::1) is
# routed over the first, then over the second.
ns_create gw
ns_create srv
veth_pair gw eth0 10.1.0.2/24 srv eth0 10.1.0.1/24
veth_pair gw eth1 10.3.0.2/24 srv eth1 10.3.0.1/24
nk_addr gw eth0 fd00:1::2/64
nk_addr srv eth0 fd00:1::1/64
nk_addr gw eth1 fd00:3::2/64
nk_addr srv eth1 fd00:3::1/64
ip -n gw route add 10.5.0.1/32 via 10.1.0.1 dev eth0
ip -n gw -6 route add fd00:5::1/128 via fd00:1::1 dev eth0

# srv counts the keep-alives by the link they came in on.
in_ns srv nft -f - <<'NFT'
table inet count {
	counter v4_eth0 {}
	counter v4_eth1 {}
	counter v6_eth0 {}
	counter v6_eth1 {}
	chain pre {
		type filter hook prerouting priority -300;
		iifname "eth0" ip daddr 10.5.0.1 udp dport 5070 counter name v4_eth0
		iifname "eth1" ip daddr 10.5.0.1 udp dport 5070 counter name v4_eth1
		iifname "eth0" ip6 daddr fd00:5::1 udp dport 5070 counter name v6_eth0
		iifname "eth1" ip6 daddr fd00:5::1 udp dport 5070 counter name v6_eth1
		udp dport 5070 drop
	}
}
NFT

# packets NAME: what srv's counter NAME has seen.
packets() {
	in_ns srv nft list counter inet count "$1" |
		sed -n 's/.*packets \([0-9]*\).*/\1/p'
}

# above NAME N: srv's counter NAME has seen more than N packets.
above() {
	test "$(packets "$1")" -gt "$2"
}

# changes_after_send NAME CMD...: wait for a keep-alive on NAME (the next
# one is then built, due in a second) and run CMD at once.
changes_after_send() {
	local name=$1
	shift
	wait_for 3 above "$name" "$(packets "$name")" || return 1
	"$@"
}

# A flow's timer is on the CPU it was created from, and a CPU builds ahead
# only the packet of its first flow: one flow a CPU, each built ahead.
v6_cpu=$(($(nproc) - 1))
check "module loads" nk_load
check "flow add: keep-alive every 1 s to 10.5.0.1, IPv4 (CPU 0)" \
	in_ns gw taskset -c 0 "$NK_CTL" flow add local 10.1.0.2:5070 remote 10.5.0.1:5070 interval 1000 type keep-alive
check "flow add: keep-alive every 1 s to fd00:5::1, IPv6 (CPU $v6_cpu)" \
	in_ns gw taskset -c $v6_cpu "$NK_CTL" flow add local [fd00:1::2]:5070 remote [fd00:5::1]:5070 interval 1000 type keep-alive
check "IPv4: the keep-alives go over eth0" wait_for 4 above v4_eth0 1
check "IPv6: the keep-alives go over eth0" wait_for 4 above v6_eth0 1

# sent ID: the keep-alives flow ID has handed to the IP layer.
sent() {
	in_ns gw "$NK_CTL" -j flow show id "$1" | nk_json 'd[0]["stats"]["tx_packets"]'
}

# all_delivered ID OLD NEW: every keep-alive flow ID sent came in on srv's
# counter OLD or NEW, at least 3 on NEW (read while the flow is held).
all_delivered() {
	local n old new
	n=$(sent "$1") old=$(packets "$2") new=$(packets "$3")
	echo "sent $n, came in $old on $2 and $new on $3"
	test "$new" -ge 3 -a $((old + new)) = "$n"
}

# hold ID / resume ID: the flow's next send an hour away (reads of its
# counter and the receiver's then agree), or every second again.
hold() {
	in_ns gw "$NK_CTL" flow set id "$1" interval 3600000
}
resume() {
	in_ns gw "$NK_CTL" flow set id "$1" interval 1000
}

# A packet built for the old route and sent by it would be lost: the old
# route's dst discards what it is given once the route is replaced.
check "IPv4: the route moves to eth1 just after a send" \
	changes_after_send v4_eth0 ip -n gw route replace 10.5.0.1/32 via 10.3.0.1 dev eth1
v4_old=$(packets v4_eth0)
check "IPv6: the route moves to eth1 just after a send" \
	changes_after_send v6_eth0 ip -n gw -6 route replace fd00:5::1/128 via fd00:3::1 dev eth1
v6_old=$(packets v6_eth0)
sleep 3.5
check "IPv4 flow held" hold 1
check "IPv6 flow held" hold 2
# What was sent before the hold has arrived by now.
sleep 0.5
check "IPv4: every keep-alive since the change went over eth1 (the one built before it too)" \
	all_delivered 1 v4_eth0 v4_eth1
check "IPv4: none over eth0 since" test "$(packets v4_eth0)" = "$v4_old"
check "IPv6: every keep-alive since the change went over eth1 (the one built before it too)" \
	all_delivered 2 v6_eth0 v6_eth1
check "IPv6: none over eth0 since" test "$(packets v6_eth0)" = "$v6_old"

# No route at all: each send fails and is counted; the route back, they go.
check "IPv4: the flow sends every second again" resume 1
errors() {
	in_ns gw "$NK_CTL" -j flow show id 1 | nk_json 'd[0]["stats"]["tx_errors"]'
}

check "IPv4: the route is deleted just after a send" \
	changes_after_send v4_eth1 ip -n gw route del 10.5.0.1/32
v4_old=$(packets v4_eth1)
sleep 2.5
check "IPv4: without a route, nothing is sent and the failures are counted" \
	test "$(packets v4_eth1)" = "$v4_old" -a "$(errors)" -ge 2
check "IPv4: the route back, over eth0" ip -n gw route add 10.5.0.1/32 via 10.1.0.1 dev eth0
v4_old=$(packets v4_eth0)
check "IPv4: the sends resume over eth0" wait_for 3 above v4_eth0 "$v4_old"

check "flow del: both flows" \
	bash -c 'ip netns exec gw "$0" flow del id 1 && ip netns exec gw "$0" flow del id 2' "$NK_CTL"
check "module unloads (no flow, no packet left behind)" nk_unload
summary

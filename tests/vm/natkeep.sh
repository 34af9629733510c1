# shellcheck shell=bash
# natkeep helpers for VM scenarios; source after lib.sh.
#
#   nk_load [PARAM=VALUE...]   insmod the module built in kmod/ (rmmod on exit)
#   nk_unload                  rmmod it now
#   nkctl ARGS...              the natkeepctl built in agent/
#   nk_json EXPR               evaluate a Python expression over JSON on stdin
#                              (the parsed document is `d`); prints the result
#   nk_sink NS ADDR PORT FILE [sip]
#                              a UDP receiver logging every datagram (udp_sink.py)
#   nk_slab_objs               flows allocated: objects of the natkeep_flow slab
#   nk_events NS FILE          record the namespace's events (events.py) as JSON lines
#   nk_event_count FILE PY     how many recorded events make the Python test PY
#                              true (the event is `e`), e.g. 'e["event"] == "mapping"'
#   nk_flow_json NS ID PY      evaluate PY over flow ID's `natkeepctl -j` object `f`
#   nk_nat_topology            gw 10.2.0.2 -> nat (masquerade, 10.3.0.1) -> srv 10.3.0.2,
#                              and an IPv6 link without NAT: gw fd00:7::2 - srv fd00:7::1
#   nk_nat_ports RANGE         masquerade to outside ports RANGE (e.g. 20000-20099)
#                              from now on, and forget the NAT's mappings: a rebinding;
#                              NK_NAT_FLUSH_NS is when the flush began,
#                              NK_NAT_FLUSHED_NS when it was over
#   nk_nat_port NS LPORT RADDR RPORT   the NAT's outside port for gw's LPORT -> RADDR:RPORT
#   nk_sip_topology            nk_nat_topology plus, on srv's eth0, three registrars'
#                              addresses NK_SIP_REGISTRARS (10.3.0.11 10.3.0.12 10.3.0.13)
#                              and a DNS server's NK_SIP_DNS (10.3.0.53).  The NAT
#                              masquerades UDP only: from gw, srv is reachable over UDP
#                              (SIP, DNS over UDP, STUN), not ICMP or TCP.
#   nk_with_resolv NS DNS_ADDR CMD [ARGS...]
#                              run CMD (a program) in NS with /etc/resolv.conf reading
#                              "nameserver DNS_ADDR": a private mount namespace
#                              (unshare -m) bind-mounts a file from $NK_TMP over it,
#                              then ip netns exec.  Nothing leaks out: other processes,
#                              in NS too, keep the VM's resolv.conf.  In a subshell
#                              (`nk_with_resolv ... &`, $(...), a pipeline) it execs
#                              (as do unshare, sh and ip netns exec): $! is CMD's own
#                              pid, and nothing after it in that subshell runs.

# A slab cache destroyed with objects left in it (a leak) says so, loudly.
NK_DMESG_PATTERN+='|still has objects|Objects remaining'

NK_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NK_KO=${NK_KO:-$NK_TOP/kmod/natkeep.ko}
NK_CTL=$NK_TOP/agent/natkeepctl/natkeepctl
NK_VM=$NK_TOP/tests/vm

nk_load() {
	insmod "$NK_KO" "$@" || return 1
	cleanup_add "rmmod natkeep"
}

nk_unload() {
	rmmod natkeep
}

nkctl() {
	"$NK_CTL" "$@"
}

nk_json() {
	python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}

nk_sink() {
	local ns=$1 addr=$2 port=$3 file=$4 mode=${5:-}
	: >"$file"
	in_ns "$ns" python3 "$NK_VM/udp_sink.py" "$addr" "$port" "$file" $mode &
	# Ready when the port is bound.
	wait_for 10 bash -c "ip netns exec $ns ss -Hlun | grep -q ':$port '"
}

# SLUB's count is exact only after the per-CPU slabs are flushed: shrink
# first, after an RCU grace period (flows are freed through call_rcu).
nk_slab_objs() {
	local shrink=/sys/kernel/slab/natkeep_flow/shrink
	[ -w $shrink ] && echo 1 >$shrink
	awk '$1 == "natkeep_flow" { print $2; found = 1 } END { if (!found) print 0 }' /proc/slabinfo
}

nk_events() {
	local ns=$1 file=$2
	rm -f "$file.ready"
	in_ns "$ns" python3 "$NK_VM/events.py" "$file" &
	wait_for 20 test -e "$file.ready"
}

nk_event_count() {
	python3 -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    e = json.loads(line)
    n += bool(eval(sys.argv[2]))
print(n)' "$1" "$2"
}

nk_flow_json() {
	in_ns "$1" "$NK_CTL" -j flow show id "$2" |
		python3 -c 'import json, sys; f = json.load(sys.stdin)[0]; print(eval(sys.argv[1]))' "$3"
}

nk_nat_topology() {
	ns_create gw
	ns_create nat
	ns_create srv
	veth_pair gw eth0 10.2.0.2/24 nat lan0 10.2.0.1/24
	veth_pair nat wan0 10.3.0.1/24 srv eth0 10.3.0.2/24
	ip -n gw route add default via 10.2.0.1
	in_ns nat sysctl -qw net.ipv4.ip_forward=1
	modprobe -a nft_chain_nat nft_masq nf_conntrack_netlink
	ip -n gw link add v6 type veth peer name v6 netns srv
	nk_addr gw v6 fd00:7::2/64
	nk_addr srv v6 fd00:7::1/64
	ip -n gw link set v6 up
	ip -n srv link set v6 up
	nk_nat_ports 20000-20099
}

NK_SIP_REGISTRARS=(10.3.0.11 10.3.0.12 10.3.0.13)
NK_SIP_DNS=10.3.0.53

nk_sip_topology() {
	local a
	nk_nat_topology || return 1
	for a in "${NK_SIP_REGISTRARS[@]}" "$NK_SIP_DNS"; do
		nk_addr srv eth0 "$a/24" || return 1
	done
}

# /etc is read-only in the VM, so /etc/netns/NS (ip netns exec's own way)
# cannot be created.
nk_with_resolv() {
	local ns=$1 dns=$2 conf
	shift 2
	conf=$NK_TMP/resolv.conf.$dns
	printf 'nameserver %s\n' "$dns" >"$conf"
	# unshare -m makes the new mount namespace's mounts private: the bind
	# mount is seen by CMD only.  mount --bind follows a symlinked
	# /etc/resolv.conf to its target (which must exist).
	local cmd=(unshare -m sh -c 'mount --bind "$1" /etc/resolv.conf && shift && exec ip netns exec "$@"'
		nk_with_resolv "$conf" "$ns" "$@")
	# In a subshell (`... &`, $(...), a pipeline) exec: $! is CMD's pid.
	if [ "$BASHPID" != "$$" ]; then
		exec "${cmd[@]}"
	fi
	"${cmd[@]}"
}

# Linux's masquerade gives a flushed mapping its old port again when it is
# free: a real rebinding needs a new port range as well as a flush.
nk_nat_ports() {
	in_ns nat nft -f - <<-NFT
		table ip nat
		delete table ip nat
		table ip nat {
			chain postrouting {
				type nat hook postrouting priority srcnat; policy accept;
				oifname "wan0" meta l4proto udp masquerade to :$1
			}
		}
	NFT
	# shellcheck disable=SC2034 # for the scenarios
	NK_NAT_FLUSH_NS=$(date +%s%N)
	in_ns nat conntrack -F >/dev/null 2>&1
	# shellcheck disable=SC2034 # for the scenarios
	NK_NAT_FLUSHED_NS=$(date +%s%N)
	return 0
}

nk_nat_port() {
	in_ns "$1" conntrack -L -p udp 2>/dev/null |
		awk -v s="sport=$2" -v d="dst=$3" -v dp="dport=$4" '
		$0 ~ "src=10.2.0.2 " d " " s " " dp " " {
			for (i = 1; i <= NF; i++) if ($i ~ /^dport=/) p = $i
			sub("dport=", "", p); print p; exit
		}'
}

# Kernel receive time now, on the clock udp_sink.py uses.
nk_now_ns() {
	date +%s%N
}

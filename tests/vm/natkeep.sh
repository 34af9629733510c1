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

# A slab cache destroyed with objects left in it (a leak) says so, loudly.
NK_DMESG_PATTERN+='|still has objects|Objects remaining'

NK_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
NK_KO=$NK_TOP/kmod/natkeep.ko
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

# Kernel receive time now, on the clock udp_sink.py uses.
nk_now_ns() {
	date +%s%N
}

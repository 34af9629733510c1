#!/bin/bash
# Teardown while the hooks run: namespaces deleted, flows deleted and the
# module removed while a flood from the flows' peer arrives on both CPUs
# (stun_flood.py: Binding successes with random transaction ids, each one
# looked up and parsed by natkeep's hook, with the right answers to the
# flows' requests among them). nf_unregister_net_hooks() does not wait for
# hook runs in flight, so natkeep unregisters in the pernet pre_exit and
# frees what a hook reads only after the grace period that follows
# (kmod/hook.c): no oops, no warning, no leak, and the flows still get
# their answers through it all. Netfilter's static keys are held on first
# (nk_hold_nf_keys): turned under traffic, they hang qemu's TCG.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"

FLOWS=10
# At most: each flood is stopped once its part is done (a bound, not a
# duration).
SECONDS_OF_FLOOD=600

check "netfilter's static keys held on" nk_hold_nf_keys
check "module loads" nk_load
ns_create peer

# target NS K: NS behind a veth from peer (10.8.K.1 - 10.8.K.2), with
# FLOWS stun flows from 10.8.K.2:5060.. to the peer's 10.8.K.1:3478.
target() {
	local ns=$1 k=$2 i
	ns_create "$ns"
	veth_pair peer "p$k" "10.8.$k.1/24" "$ns" "t$k" "10.8.$k.2/24"
	for ((i = 0; i < FLOWS; i++)); do
		in_ns "$ns" "$NK_CTL" flow add local "10.8.$k.2:$((5060 + i))" \
			remote "10.8.$k.1:3478" interval 200 type stun || return 1
	done
}

# flood K: one flooder per CPU from the peer's 10.8.K.1:3478 (until
# flood_stop); their pids in FLOODERS, their output in $NK_TMP/flood.K.CPU.
flood() {
	local k=$1 cpu
	FLOODERS=()
	for cpu in 0 1; do
		taskset -c $cpu ip netns exec peer python3 "$NK_VM/stun_flood.py" \
			"10.8.$k.1:3478" "10.8.$k.2" 5060 $FLOWS $SECONDS_OF_FLOOD \
			>"$NK_TMP/flood.$k.$cpu" &
		FLOODERS+=($!)
	done
}

flooding() {
	local pid
	for pid in "${FLOODERS[@]}"; do
		kill -0 "$pid" 2>/dev/null || return 1
	done
}

# answered NS: the flows' matched responses, all together.
answered() {
	in_ns "$1" "$NK_CTL" -j flow show | nk_json 'sum(f["stats"]["rx_responses"] for f in d)'
}

answered_above() {
	[ "$(answered "$1")" -gt "$2" ]
}

slab_empty() {
	[ "$(nk_slab_objs)" = 0 ]
}

# flood_stop K: stop flood K; FLOOD_SENT is what its flooders sent.
flood_stop() {
	local pid
	for pid in "${FLOODERS[@]}"; do kill -TERM "$pid"; wait "$pid"; done
	FLOOD_SENT=$(cat "$NK_TMP/flood.$1".* | awk '{ s += $2 } END { print s + 0 }')
	echo "  flood $1: $FLOOD_SENT datagrams"
}

# Namespaces deleted under the flood: pre_exit, grace period, exit.
for k in 1 2 3; do
	check "namespace $k: $FLOWS flows" target "doomed$k" $k
	flood $k
	check "namespace $k: the flows' answers arrive amid the flood" \
		wait_for 5 answered_above "doomed$k" 0
	check "namespace $k: still flooding when deleted" flooding
	ip netns del "doomed$k"
	check "namespace $k: its flows freed" wait_for 30 slab_empty
	flood_stop $k
	check "namespace $k: the flood ran (over 1000 datagrams)" test "$FLOOD_SENT" -gt 1000
done

# Flows deleted and added back under the flood, in a namespace that stays:
# from one netlink socket (nkraw.py churn), as fast as the module answers.
CHURN=500
check "namespace 10: $FLOWS flows" target gw 10
flood 10
churn_start=$SECONDS
check "$CHURN deletions and additions of a flooded flow" \
	bash -c '[ "$(ip netns exec gw python3 "$1" churn '$CHURN' 10.8.10.2:5060 10.8.10.1:3478 200000 stun)" = '$CHURN' ]' \
	_ "$NK_VM/nkraw.py"
echo "  the churn: $((SECONDS - churn_start)) s"
check "still flooding after the churn" flooding
before=$(answered gw)
check "the flows' answers still arrive" wait_for 5 answered_above gw "$before"
flood_stop 10
check "the churn's flood ran (over 1000 datagrams)" test "$FLOOD_SENT" -gt 1000

# rmmod under the flood (unregister_pernet_subsys: pre_exit for every
# namespace, one grace period, then exit), and back.
add_gw_flows() {
	local i
	for ((i = 0; i < FLOWS; i++)); do
		in_ns gw "$NK_CTL" flow add local "10.8.10.2:$((5060 + i))" \
			remote 10.8.10.1:3478 interval 200 type stun || return 1
	done
}
for round in 1 2 3; do
	if [ $round -gt 1 ]; then
		check "round $round: module loads again" nk_load
		check "round $round: $FLOWS flows" add_gw_flows
	fi
	before=$(answered gw)
	flood 10
	check "round $round: the flows' answers arrive amid the flood" \
		wait_for 5 answered_above gw "$before"
	check "round $round: still flooding at rmmod" flooding
	check "round $round: rmmod under the flood" nk_unload
	check "round $round: the natkeep_flow cache is gone" \
		bash -c '! grep -q "^natkeep_flow " /proc/slabinfo'
	flood_stop 10
	check "round $round: the flood ran (over 1000 datagrams)" test "$FLOOD_SENT" -gt 1000
done
check "the peer still reaches the gateway" nk_ping peer -c 1 -W 5 10.8.10.2

summary

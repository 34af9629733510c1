#!/bin/bash
# Flows belong to their network namespace: deleting the namespace stops and
# frees its flows (and only those), with the module still loaded. The
# module's debug lines count the deletions; the final rmmod would complain
# of any flow left in its slab cache.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"

dummy_ns keep 10.6.0.2/24
dummy_ns doomed 10.6.0.2/24
check "module loads" nk_load
# The module's pr_debug lines tell each flow's creation and deletion.
mount -t debugfs none /sys/kernel/debug 2>/dev/null
check "dynamic debug on for natkeep" \
	bash -c 'echo "module natkeep +p" >/sys/kernel/debug/dynamic_debug/control'

check "100 flows in the doomed namespace" \
	bash -c '[ "$(ip netns exec doomed python3 "$1" bulk-add 100 10.6.0.2 20000 10.6.0.1:5060 100)" = 100 ]' _ "$NK_VM/nkraw.py"
check "10 flows in the kept namespace" \
	bash -c '[ "$(ip netns exec keep python3 "$1" bulk-add 10 10.6.0.2 20000 10.6.0.1:5060 100)" = 10 ]' _ "$NK_VM/nkraw.py"
check "natkeep_flow slab holds 110 objects" test "$(nk_slab_objs)" = 110
sleep 1

ip netns del doomed
# shellcheck disable=SC2034 # lib.sh deletes these at exit
NK_NAMESPACES=(keep)
# Namespace teardown runs in a workqueue: wait for it.
deleted() { dmesg | grep -c "natkeep: flow [0-9]* deleted"; }
check "the doomed namespace's 100 flows are deleted" wait_for 30 bash -c "[ \$($(declare -f deleted); deleted) -ge 100 ]"
sleep 1
check "exactly those 100: the kept namespace lost none" test "$(deleted)" = 100
check "natkeep_flow slab down to the kept 10 objects" test "$(nk_slab_objs)" = 10
check "the kept namespace still has its 10 flows, still sending" \
	nk_json 'len(d) == 10 and all(f["stats"]["tx_packets"] > 0 for f in d) or exit(1)' < <(in_ns keep "$NK_CTL" -j flow show)
check "rmmod with the kept namespace's flows" nk_unload

summary

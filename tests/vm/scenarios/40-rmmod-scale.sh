#!/bin/bash
# 10 000 flows firing (randomised 2 s intervals, so about 5 000 sends a
# second), then rmmod while they fire: no oops, no warning, and the memory
# comes back. The module's own slab cache counts the flows (the VM boots
# with slab_nomerge, so it is not folded into another), and destroying it at
# rmmod complains if any flow was left (natkeep.sh adds that to the kernel
# log check); /proc/meminfo's Slab and VmallocUsed (the hash table) must
# return to where they were.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"

N=10000
# The packets really leave through the IP stack, and vanish.
dummy_ns scale 10.5.0.2/16

meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
sync; echo 3 >/proc/sys/vm/drop_caches
slab0=$(meminfo Slab) vmalloc0=$(meminfo VmallocUsed)

check "module loads with max_flows=$N" nk_load max_flows=$N
check "$N flows created in one netlink session" \
	bash -c '[ "$(ip netns exec scale python3 "$1" bulk-add '$N' 10.5.0.2 10000 10.5.0.1:5060 2000 random)" = '$N' ]' \
	_ "$NK_VM/nkraw.py"
check "natkeep_flow slab holds $N objects" test "$(nk_slab_objs)" = $N
slab1=$(meminfo Slab)
echo "  slab grew by $((slab1 - slab0)) kB for $N flows"
check "the flows' memory shows in Slab (at least 2 MB for $N flows)" test $((slab1 - slab0)) -ge 2000

sleep 3
sent=$(in_ns scale "$NK_CTL" -j flow show | nk_json 'sum(f["stats"]["tx_packets"] for f in d)')
echo "  $sent keep-alives sent in the first seconds"
check "the flows are firing (over 5 000 sends)" test "$sent" -gt 5000
check "rmmod while $N flows fire" nk_unload
check "the natkeep_flow cache is gone" bash -c '! grep -q "^natkeep_flow " /proc/slabinfo'

sync; echo 3 >/proc/sys/vm/drop_caches
sleep 1
slab2=$(meminfo Slab) vmalloc2=$(meminfo VmallocUsed)
echo "  Slab: before $slab0 kB, with flows $slab1 kB, after rmmod $slab2 kB; VmallocUsed before $vmalloc0 kB, after $vmalloc2 kB"
check "Slab back to within 1 MB of before the module" test $((slab2 - slab0)) -le 1024
check "VmallocUsed back to within 256 kB of before the module" test $((vmalloc2 - vmalloc0)) -le 256

summary

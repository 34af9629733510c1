#!/bin/bash
# Bad input is refused with a message that says what is wrong, and changes
# nothing: requests without CAP_NET_ADMIN, out-of-range, malformed and
# oversized attributes (sent raw by bad_requests.py), unknown flow ids, and
# the per-namespace flow limit.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"

ns_create gw
ns_create srv
veth_pair gw eth0 10.4.0.2/24 srv eth0 10.4.0.1/24
check "module loads with max_flows=3" nk_load max_flows=3

check "flow 1 made" in_ns gw "$NK_CTL" flow add local 10.4.0.2:6000 remote 10.4.0.1:6000 interval 1000 type keep-alive
check "flow 2 made" in_ns gw "$NK_CTL" flow add local 10.4.0.2:6001 remote 10.4.0.1:6000 interval 1000 type empty

# --- no CAP_NET_ADMIN
drop=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all --)
for args in "flow add local 10.4.0.2:6002 remote 10.4.0.1:6000 interval 1000 type keep-alive" \
	"flow set id 1 interval 500" "flow del id 1"; do
	in_ns gw "${drop[@]}" "$NK_CTL" $args >"$NK_TMP/out" 2>&1
	rc=$?
	check "unprivileged '$args': refused with EPERM" \
		bash -c '[ "$1" = 1 ] && grep -q "Operation not permitted" "$2"' _ "$rc" "$NK_TMP/out"
done
check "unprivileged 'flow show' still works (reading needs no privilege)" \
	bash -c 'ip netns exec gw "$@" -j flow show | grep -q "\"id\": *2"' _ "${drop[@]}" "$NK_CTL"
check "after the refusals: flow 1 unchanged (interval 1000)" \
	nk_json 'd[0]["interval_ms"] == 1000 or exit(1)' < <(in_ns gw "$NK_CTL" -j flow show id 1)

# --- natkeepctl prints the kernel's message and fails
in_ns gw "$NK_CTL" flow del id 999 >"$NK_TMP/out" 2>&1
rc=$?
check "natkeepctl flow del id 999: exit 1 with the kernel's message" \
	bash -c '[ "$1" = 1 ] && grep -q "No such file or directory: no flow with this id" "$2"' _ "$rc" "$NK_TMP/out"

# --- raw hostile requests
while IFS= read -r line; do
	case $line in
	"PASS: "*) pass "raw: ${line#PASS: }" ;;
	"FAIL: "*) fail "raw: ${line#FAIL: }" ;;
	esac
done < <(ip netns exec gw python3 "$NK_VM/bad_requests.py" 2>&1)

# --- the per-namespace limit
check "flow 3 made (the limit is 3)" in_ns gw "$NK_CTL" flow add local 10.4.0.2:6002 remote 10.4.0.1:6000 interval 1000 type keep-alive
in_ns gw "$NK_CTL" flow add local 10.4.0.2:6003 remote 10.4.0.1:6000 interval 1000 type keep-alive >"$NK_TMP/out" 2>&1
rc=$?
check "a 4th flow: ENOSPC, naming the module parameter" \
	bash -c '[ "$1" = 1 ] && grep -q "No space left on device: .*max_flows" "$2"' _ "$rc" "$NK_TMP/out"
check "the limit is per namespace: another namespace still gets flows" \
	in_ns srv "$NK_CTL" flow add local 10.4.0.1:6000 remote 10.4.0.2:6000 interval 1000 type keep-alive
check "the limit can be raised at run time" bash -c 'echo 4 >/sys/module/natkeep/parameters/max_flows'
check "then a 4th flow is made" in_ns gw "$NK_CTL" flow add local 10.4.0.2:6003 remote 10.4.0.1:6000 interval 1000 type keep-alive
check "gw holds 4 flows" test "$(in_ns gw "$NK_CTL" -j flow show | nk_json 'len(d)')" = 4

summary

#!/bin/bash
# `natkeepctl -b FILE`: a thousand flows from one batch, in one process on
# one netlink socket; a failing line stops the batch there (its status, its
# FILE:LINE) and -force goes on past it; quoting reaches the flow (a
# user-agent with a space, "" to reset it); monitor is refused; a batch
# from stdin deletes them all.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"

N=1000
# The keep-alives leave through the IP stack, and vanish.
dummy_ns gw 10.6.0.2/16
check "module loads" nk_load

# The flows' local ports, from flow show: "port port ...", sorted.
ports() {
	in_ns gw "$NK_CTL" -j flow show |
		python3 -c 'import json, sys; print(" ".join(str(p) for p in sorted(f["local_port"] for f in json.load(sys.stdin))))'
}
add_line() {
	echo "flow add local 10.6.0.2:$1 remote 10.6.0.1:5060 interval 20s type keep-alive"
}

# --- a thousand flows, one invocation
{
	echo "# $N keep-alive flows"
	for ((i = 0; i < N; i++)); do
		add_line $((10000 + i))
		# Blank and comment lines between them are skipped.
		[ $((i % 100)) = 0 ] && printf '\n   # port %d done\n' $((10000 + i))
	done
} >"$NK_TMP/add.txt"
t0=$(nk_now_ns)
in_ns gw "$NK_CTL" -j -b "$NK_TMP/add.txt" >"$NK_TMP/add.out" 2>"$NK_TMP/add.err"
rc=$?
t1=$(nk_now_ns)
echo "  $N flow add lines in $(((t1 - t0) / 1000000)) ms"
check "-j -b: $N flow add lines, exit 0, nothing on stderr" \
	bash -c '[ "$1" = 0 ] && [ ! -s "$2" ]' _ "$rc" "$NK_TMP/add.err"
check "-j -b: one JSON object per created flow, one a line, ids 1..$N" \
	python3 -c '
import json, sys
ids = [json.loads(l)["id"] for l in open(sys.argv[1])]
assert ids == list(range(1, int(sys.argv[2]) + 1)), ids[:5]
' "$NK_TMP/add.out" "$N"
check "flow show: $N flows" test "$(in_ns gw "$NK_CTL" -j flow show | nk_json 'len(d)')" = $N
check "flow show: the ports 10000..$((10000 + N - 1))" \
	test "$(ports)" = "$(seq -s ' ' 10000 $((10000 + N - 1)))"

# One netlink socket for the whole batch (strace counts them).
if command -v strace >/dev/null; then
	for ((i = 0; i < 100; i++)); do add_line $((11000 + i)); done >"$NK_TMP/add100.txt"
	in_ns gw strace -f -qq -e trace=socket -o "$NK_TMP/strace.out" \
		"$NK_CTL" -b "$NK_TMP/add100.txt" >/dev/null
	check "-b: 100 flow add lines open one netlink socket" \
		test "$(grep -c 'socket(AF_NETLINK' "$NK_TMP/strace.out")" = 1
	check "flow show: $((N + 100)) flows" \
		test "$(in_ns gw "$NK_CTL" -j flow show | nk_json 'len(d)')" = $((N + 100))
fi

# --- a failing line stops the batch there
{
	add_line 30000
	add_line 30001
	echo "# line 3: the next is refused by the kernel, a flow of the first batch"
	add_line 10000
	add_line 30002
	add_line 30003
} >"$NK_TMP/stop.txt"
in_ns gw "$NK_CTL" -b "$NK_TMP/stop.txt" >/dev/null 2>"$NK_TMP/stop.err"
rc=$?
check "kernel refusal on line 4: exit 1" test "$rc" = 1
check "kernel refusal on line 4: the message names FILE:4" \
	grep -qx "natkeepctl: $NK_TMP/stop.txt:4: flow add: File exists: .*" "$NK_TMP/stop.err"
check "the lines before it took effect, the lines after it did not" \
	bash -c 'p=" $1 "; [[ $p == *" 30000 30001 "* && $p != *" 30002 "* && $p != *" 30003 "* ]]' _ "$(ports)"

# A bad command line stops it with status 2.
{
	add_line 31000
	echo 'flow add local 10.6.0.2:31001 remote 10.6.0.1:5060 interval 20s type bogus'
	add_line 31002
} >"$NK_TMP/usage.txt"
in_ns gw "$NK_CTL" -b "$NK_TMP/usage.txt" >/dev/null 2>"$NK_TMP/usage.err"
rc=$?
check "bad argument on line 2: exit 2, the message names FILE:2 and the argument" \
	bash -c '[ "$1" = 2 ] && grep -q "^natkeepctl: $2:2: .*bogus" "$3"' _ "$rc" "$NK_TMP/usage.txt" "$NK_TMP/usage.err"
check "line 1 took effect, line 3 did not" \
	bash -c 'p=" $1 "; [[ $p == *" 31000 "* && $p != *" 31002 "* ]]' _ "$(ports)"

# --- -force runs the rest
{
	add_line 32000
	echo 'flow add local 10.6.0.2:32001 remote 10.6.0.1:5060 interval 20s type bogus'
	add_line 10001
	echo 'flow set id 1 user-agent "unterminated'
	add_line 32002
} >"$NK_TMP/force.txt"
in_ns gw "$NK_CTL" -force -b "$NK_TMP/force.txt" >/dev/null 2>"$NK_TMP/force.err"
rc=$?
check "-force: exit 1 when some lines failed" test "$rc" = 1
check "-force: each failure named: lines 2, 3 and 4" \
	bash -c 'grep -q "^natkeepctl: $1:2: .*bogus" "$2" &&
		grep -q "^natkeepctl: $1:3: flow add: File exists" "$2" &&
		grep -q "^natkeepctl: $1:4: unterminated double quote" "$2" &&
		[ "$(grep -c "^natkeepctl: " "$2")" = 3 ]' _ "$NK_TMP/force.txt" "$NK_TMP/force.err"
check "-force: the good lines before and after the failures took effect" \
	bash -c 'p=" $1 "; [[ $p == *" 32000 "* && $p == *" 32002 "* && $p != *" 32001 "* ]]' _ "$(ports)"

# --- quoting: a user-agent with a space, then "" to reset it
cat >"$NK_TMP/sip.txt" <<'EOF'
flow add local 10.6.0.2:33000 remote 10.6.0.1:5060 interval 20s \
	type options from-user 1001 user-agent "OBi 202" host 'sip.example.com'
EOF
id=$(in_ns gw "$NK_CTL" -j -b "$NK_TMP/sip.txt" | nk_json 'd["id"]')
check "a quoted user-agent with a space reaches the flow" \
	test "$(nk_flow_json gw "$id" 'f["user_agent"] + "|" + f["host"]')" = "OBi 202|sip.example.com"
check "flow show (text) shows it" \
	bash -c 'ip netns exec gw "$1" flow show id "$2" | grep -q "ua \"OBi 202\""' _ "$NK_CTL" "$id"
printf 'flow set id %s user-agent ""\n' "$id" >"$NK_TMP/reset.txt"
check "a batch line with \"\" resets it" in_ns gw "$NK_CTL" -b "$NK_TMP/reset.txt"
check "the user-agent is empty again" test "$(nk_flow_json gw "$id" 'repr(f["user_agent"])')" = "''"

# --- monitor never ends: refused
printf 'flow show id 1\nmonitor\n' >"$NK_TMP/monitor.txt"
timeout 10 ip netns exec gw "$NK_CTL" -b "$NK_TMP/monitor.txt" >/dev/null 2>"$NK_TMP/monitor.err"
rc=$?
check "monitor in a batch: refused at once with status 2, naming FILE:2" \
	bash -c '[ "$1" = 2 ] && grep -q "^natkeepctl: $2:2: monitor cannot run in a batch" "$3"' \
	_ "$rc" "$NK_TMP/monitor.txt" "$NK_TMP/monitor.err"

# --- delete them all, by a batch on stdin
total=$(in_ns gw "$NK_CTL" -j flow show | nk_json 'len(d)')
in_ns gw "$NK_CTL" -j flow show | nk_json '"\n".join("flow del id %d" % f["id"] for f in d)' >"$NK_TMP/del.txt"
check "the delete batch has a line per flow ($total)" test "$(wc -l <"$NK_TMP/del.txt")" = "$total"
check "-b - (stdin): every flow deleted, exit 0" \
	bash -c 'ip netns exec gw "$1" -b - <"$2"' _ "$NK_CTL" "$NK_TMP/del.txt"
check "flow show: no flows left" test "$(in_ns gw "$NK_CTL" -j flow show | nk_json 'len(d)')" = 0
printf 'flow del id 1\n' | in_ns gw "$NK_CTL" -b - 2>"$NK_TMP/stdin.err"
rc=$?
check "stdin's place is \"-\": a refusal names -:1" \
	bash -c '[ "$1" = 1 ] && grep -qx "natkeepctl: -:1: flow del: No such file or directory: no flow with this id (attribute flow_id)" "$2"' \
	_ "$rc" "$NK_TMP/stdin.err"
no_flow_objects() { [ "$(nk_slab_objs)" = 0 ]; }
check "natkeep_flow slab holds no flows" wait_for 5 no_flow_objects

summary

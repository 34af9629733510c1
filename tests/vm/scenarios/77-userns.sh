#!/bin/bash
# Flows from user namespaces. Any user can make a network namespace of
# their own (unshare -rn) and be its administrator; its flows would share
# the host's timer queues. By default such namespaces may add no flow
# (module parameter userns_flows); allowed, all of them together send at
# most userns_max_rate keep-alives a second, counted over every user and
# namespace, and given back when their flows or namespaces go. The host's
# flows, meanwhile, keep being answered.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"
. "$(dirname "$0")/../peers.sh"

ns_create gw
ns_create srv
veth_pair gw eth0 10.7.0.2/24 srv eth0 10.7.0.1/24
check "kamailio on 10.7.0.1:5060" peer_kamailio srv 10.7.0.1 5060
check "module loads (default parameters)" nk_load
sysctl -qw kernel.unprivileged_userns_clone=1 2>/dev/null
PARAMS=/sys/module/natkeep/parameters

# As user nobody, in a user and network namespace of its own: add a flow
# to 127.0.0.1 every 10 ms; fails if natkeepctl does.
as_nobody_add() {
	setpriv --reuid=65534 --regid=65534 --clear-groups -- unshare -rn -- sh -c '
ip link set lo up
exec "$1" flow add local 127.0.0.1:5060 remote 127.0.0.1:5070 interval 10 type keep-alive' _ "$NK_CTL"
}
check "nobody is root of its own namespace (unshare -rn works)" \
	setpriv --reuid=65534 --regid=65534 --clear-groups -- unshare -rn -- true
refused() { ! as_nobody_add >"$NK_TMP/refused.out" 2>&1; }
check "by default nobody's namespace may add no flow" refused
sed 's/^/  | /' "$NK_TMP/refused.out"
check "... and is told why, naming the parameter" grep -q "userns_flows" "$NK_TMP/refused.out"
check "no flow was made anywhere" test "$(nk_slab_objs)" = 0

# The host's flows: answered all along.
for port in 5060 5062 5064; do
	check "host flow from 10.7.0.2:$port: options to kamailio every 500 ms" \
		in_ns gw "$NK_CTL" flow add local 10.7.0.2:$port remote 10.7.0.1:5060 interval 500 type options from-user alice
done

# What nobody's processes write.
HOGS=$(mktemp -d /tmp/natkeep-nobody.XXXXXX)
chmod 0777 "$HOGS"
cleanup_add "rm -rf $HOGS"
echo 1 >$PARAMS/userns_flows
echo 500 >$PARAMS/userns_max_rate
# Eight user namespaces each try 20 flows of 100 sends a second; they
# stay (sleeping) until killed, with the flows they got.
hog() {
	exec setpriv --reuid=65534 --regid=65534 --clear-groups -- unshare -rn -- sh -c '
ip link set lo up
ok=0
for p in $(seq 6000 6019); do
	"$1" flow add local 127.0.0.1:$p remote 127.0.0.1:7000 interval 10 type keep-alive >/dev/null 2>>"$2.err" && ok=$((ok + 1))
done
echo $ok >"$2"
exec sleep 600' _ "$NK_CTL" "$1"
}
hogs=()
for i in 1 2 3 4 5 6 7 8; do
	hog "$HOGS/hog$i" &
	hogs+=($!)
done
cleanup_add "kill ${hogs[*]} 2>/dev/null"
all_tried() {
	for i in 1 2 3 4 5 6 7 8; do [ -s "$HOGS/hog$i" ] || return 1; done
}
check "eight user namespaces tried 160 flows" wait_for 60 all_tried
got=$(awk '{ n += $1 } END { print n }' "$HOGS"/hog[1-8])
echo "  user namespaces' flows accepted: $got of 160"
check "all of them together got 500 sends a second: 5 flows of 100" test "$got" = 5
check "the others were told why, naming userns_max_rate" grep -q "userns_max_rate" "$HOGS/hog1.err" "$HOGS/hog8.err"
check "5 + 3 flows exist" test "$(nk_slab_objs)" = 8
# The host's flows from now on, while the user namespaces' send.
before=$(in_ns gw "$NK_CTL" -j flow show)
sleep 5
check "the host's flows are answered, no miss, while theirs send" python3 -c '
import json, subprocess, sys
then = {f["id"]: f["stats"] for f in json.loads(sys.argv[2])}
now = json.loads(subprocess.run(["ip", "netns", "exec", "gw", sys.argv[1], "-j", "flow", "show"],
                                capture_output=True, text=True).stdout)
got = [(f["id"], f["stats"]["rx_responses"] - then[f["id"]]["rx_responses"],
        f["stats"]["misses_total"] - then[f["id"]]["misses_total"]) for f in now]
print("answers and misses in 5 s:", got)
sys.exit(0 if len(now) == 3 and all(f["peer_responsive"] for f in now)
         and all(a >= 8 and m == 0 for _, a, m in got) else 1)' "$NK_CTL" "$before"
sed 's/^/  | /' "$NK_TMP/check.out"

kill "${hogs[@]}" 2>/dev/null
wait "${hogs[@]}" 2>/dev/null
gone() { [ "$(nk_slab_objs)" = 3 ]; }
check "their namespaces gone, their flows go" wait_for 30 gone
rm -f "$HOGS/hog1" "$HOGS/hog1.err"
hog "$HOGS/hog1" &
cleanup_add "kill $! 2>/dev/null"
got_five() { [ -s "$HOGS/hog1" ] && [ "$(cat "$HOGS/hog1")" = 5 ]; }
check "and their rate is given back: a new namespace gets 5 again" wait_for 60 got_five

echo 0 >$PARAMS/userns_flows
check "switched off again: a new one gets none" refused

summary

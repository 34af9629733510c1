#!/bin/bash
# The natkeep family under a netlink fuzzer and a stress (tests/fuzz/nlfuzz,
# `make -C tests/fuzz nlfuzz` first: the VM's root is read-only). nlfuzz
# sends every command, boundary and malformed attributes, lying headers
# and mostly-valid flows that really fire at its own STUN/SIP responders
# on 127.0.0.1 and ::1, and checks every answer against the netlink
# protocol and natkeep.h: any violation fails it. Then, unprivileged
# (nobody in a user namespace of its own; root without CAP_NET_ADMIN:
# EPERM), a stress of valid add/set/del on shared flows, and one with
# namespaces made and dropped with their flows firing. Afterwards the
# module still works, its flow count is the slab's, everything deleted
# frees everything, and rmmod under a last fuzz+stress unloads (or says
# busy) cleanly.
#
# NK_FUZZ_MESSAGES (default 20000) is the main fuzz's count; the other runs
# get a tenth of it each, at most 20000 (a long run: 1000000). NK_FUZZ_LIVE
# (default 24) is the flows each main fuzz worker keeps firing; max_flows
# during the main fuzz is 8/3 of it (64 for 24), so that ENOSPC comes now
# and then. Under the debug kernel the flows' sends cost most of the time:
# 92 messages/s with 24, 258 with 4 (make fuzz's long run). NK_FUZZ_SEED (1).
# Each worker's last messages are kept (nlfuzz -l) and printed when the
# kernel log shows trouble after a step.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"

NLFUZZ=$NK_TOP/tests/fuzz/build/nlfuzz
MESSAGES=${NK_FUZZ_MESSAGES:-20000}
SEED=${NK_FUZZ_SEED:-1}
LIVE=${NK_FUZZ_LIVE:-24}
SMALL=$((MESSAGES / 10 > 20000 ? 20000 : MESSAGES / 10))
T0=$SECONDS

step() {
	echo "== +$((SECONDS - T0)) s: $*"
}

# Kernel trouble lines since the scenario started: to tell which step.
trouble() {
	dmesg_since_mark | grep -cE "$NK_DMESG_PATTERN"
}

# nlfuzz NAME ARGS...: a run, its summary shown (indented, so that its own
# "N passed, N failed" is not taken for the scenario's), its first
# violations, and the time it took. Fails unless it passed everything.
# (Not inside check, which shows a command's output only when it fails.)
nlfuzz() {
	local name=$1 t=$SECONDS rc before
	shift
	before=$(trouble)
	"$NLFUZZ" -l "$NK_TMP/$name.log" "$@" >"$NK_TMP/$name.out" 2>&1
	rc=$?
	show_run "$name" $((SECONDS - t))
	after_step "$name" "$before"
	[ "$rc" = 0 ] && grep -qE '^[0-9]+ passed, 0 failed$' "$NK_TMP/$name.out"
}

show_run() {
	grep -E '^progress' "$NK_TMP/$1.out" | sed 's/^/  | /'
	sed -n '/^nlfuzz /,$p' "$NK_TMP/$1.out" | sed 's/^/  | /'
	# Violations first: notes come early and often, a violation may not.
	grep -m 10 -A 3 -E '^(VIOLATION|nlfuzz:)' "$NK_TMP/$1.out" | sed 's/^/  | /'
	grep -m 3 -A 3 -E '^NOTE' "$NK_TMP/$1.out" | sed 's/^/  | /'
	echo "  ($1: $2 s)"
}

# New kernel trouble during a step: the last messages each worker sent.
after_step() {
	local name=$1 before=$2 f
	[ "$(trouble)" -gt "$before" ] || return 0
	echo "  kernel trouble during $name; the last messages its workers sent:"
	for f in "$NK_TMP/$name.log".*; do
		[ -e "$f" ] && "$NLFUZZ" -D "$f" | tail -n 60 | sed 's/^/  | /'
	done
}

flows_shown() {
	"$NK_CTL" -j flow show | nk_json 'len(d)'
}

slab_is() {
	[ "$(nk_slab_objs)" = "$1" ]
}

# The slab's objects are the initial namespace's flows, once the other
# namespaces (their workers gone) are freed.
slab_matches_dump() {
	local shown
	shown=$(flows_shown) || return 1
	[ "$(nk_slab_objs)" = "$shown" ]
}

check "nlfuzz is built (make -C tests/fuzz nlfuzz)" test -x "$NLFUZZ"
# A limit the fuzz reaches now and then: ENOSPC too.
check "module loads (max_flows=$((LIVE * 8 / 3)))" nk_load max_flows=$((LIVE * 8 / 3))
PARAMS=/sys/module/natkeep/parameters
sysctl -qw kernel.unprivileged_userns_clone=1 2>/dev/null

step "fuzz: $MESSAGES messages, 2 workers on both CPUs, one in a namespace of its own, about $LIVE flows each"
nlfuzz fuzz -s "$SEED" -n "$MESSAGES" -j 2 -N 1 -i 10 -F "$LIVE"
check "fuzz: no protocol or contract violation" test $? = 0
echo 64 >$PARAMS/max_flows

step "unprivileged: $SMALL messages as nobody in a user namespace, $SMALL without CAP_NET_ADMIN"
nlfuzz userns -s $((SEED + 1)) -n "$SMALL" -u
check "as nobody in its own user+net namespace: no violation, no flow (userns_flows off)" test $? = 0
nlfuzz capdrop -s $((SEED + 2)) -n "$SMALL" -P
check "without CAP_NET_ADMIN: every FLOW_NEW/SET/DEL refused with EPERM, reads answered" test $? = 0

step "stress: $((SMALL * 2)) valid add/set/del on shared flows, 2 workers, and namespace churn"
# The churn in the background (its report after the stress's).
nlfuzz churn -S -C -s $((SEED + 3)) -n $((SMALL / 2)) -t 60 -j 2 -p 42100 >"$NK_TMP/churn.report" 2>&1 &
churn=$!
nlfuzz stress -S -s $((SEED + 4)) -n $((SMALL * 2)) -j 2 -p 42000
check "stress: valid requests meet only EEXIST/ENOENT/ENOSPC, deleted flows stay gone" test $? = 0
wait $churn
churn_rc=$?
cat "$NK_TMP/churn.report"
check "namespace churn: namespaces die with their flows firing, no violation" test $churn_rc = 0

step "the module after the fuzz"
check "a valid flow: add" "$NK_CTL" flow add local 127.0.0.1:5999 remote 127.0.0.1:41000 interval 100 type stun
id=$("$NK_CTL" -j flow show | nk_json '[f["id"] for f in d if f["local"] == "127.0.0.1:5999"][0]' 2>/dev/null)
check "a valid flow: show (id ${id:-none})" \
	bash -c '"$1" -j flow show id "$2" | grep -q "127.0.0.1:5999"' _ "$NK_CTL" "${id:-0}"
check "a valid flow: del" "$NK_CTL" flow del id "${id:-0}"
check "the dump's flows are the slab's objects, other namespaces freed (30 s)" \
	wait_for 30 slab_matches_dump
echo "  flows left by the fuzz and the stress: $(flows_shown), slab objects: $(nk_slab_objs)"
check "STATS_GET agrees with the dump" \
	bash -c '[ "$("$1" -j stats | python3 -c "import json,sys; print(json.load(sys.stdin)[\"flows\"])")" = "$2" ]' \
	_ "$NK_CTL" "$(flows_shown)"
nlfuzz cleanup -x -n 0
check "everything left deleted (nlfuzz -x: a dump, then a FLOW_DEL each)" test $? = 0
check "the dump is empty" test "$(flows_shown)" = 0
check "all flows freed: slab objects 0 after a grace period" wait_for 10 slab_is 0

# As nobody, with user namespaces' flows allowed: the rate their flows are
# charged (module parameter userns_max_rate, 1000 sends a second) must all
# come back when the namespace dies, whatever the fuzz did to them.
step "user namespaces allowed: $SMALL messages as nobody, then the rate charge given back"
echo 1 >$PARAMS/userns_flows
nlfuzz userns-on -s $((SEED + 7)) -n "$SMALL" -u
check "as nobody with userns_flows on: no violation" test $? = 0
check "its namespace gone: its flows freed" wait_for 30 slab_is 0
# Ten flows of 10 ms are 1000 sends a second: the eleventh is refused.
ten_fit() {
	setpriv --reuid=65534 --regid=65534 --clear-groups -- unshare -rn -- sh -c '
ip link set lo up
ok=0
for p in $(seq 6000 6010); do
	"$1" flow add local 127.0.0.1:$p remote 127.0.0.1:7000 interval 10 type keep-alive >/dev/null 2>&1 && ok=$((ok + 1))
done
echo $ok' _ "$NK_CTL"
}
got=$(ten_fit)
check "then a new user namespace gets exactly 10 flows of 10 ms (got $got): nothing left charged" \
	test "$got" = 10
echo 0 >$PARAMS/userns_flows

step "rmmod under a last fuzz + stress (background, flows firing)"
"$NLFUZZ" -g -s $((SEED + 5)) -n 1000000 -t 60 -j 2 -N 1 -p 43000 -l "$NK_TMP/last-fuzz.log" \
	>"$NK_TMP/last-fuzz.out" 2>&1 &
last_fuzz=$!
"$NLFUZZ" -g -S -s $((SEED + 6)) -n 1000000 -t 60 -j 1 -p 43100 -l "$NK_TMP/last-stress.log" \
	>"$NK_TMP/last-stress.out" 2>&1 &
last_stress=$!
cleanup_add "kill $last_fuzz $last_stress"
has_flows() { [ "$(nk_slab_objs)" -gt 4 ]; }
check "flows exist while the last runs go" wait_for 20 has_flows
# And a dump left unread meanwhile: rmmod must be refused while it lasts.
# Room for the holder's 160 flows beside the last runs' (its dump must
# take more than one part).
echo 320 >$PARAMS/max_flows
# Held long enough for a loaded VM to get from seeing it to rmmod.
before=$(trouble)
"$NLFUZZ" -g -H 8 -s $((SEED + 8)) -p 44000 >"$NK_TMP/holder.out" 2>&1 &
holder=$!
cleanup_add "kill $holder"
check "a dump held open" wait_for 30 grep -q "^holding" "$NK_TMP/holder.out"
tries=0 unloaded=0 busy=0
while [ $tries -lt 400 ]; do
	tries=$((tries + 1))
	if rmmod natkeep 2>"$NK_TMP/rmmod.err"; then
		unloaded=1
		break
	fi
	# A dump in progress holds the module: rmmod must say so, and only
	# that: "in use" (kmod read the refcount), or EAGAIN (the kernel's
	# delete_module found it taken after kmod read it free).
	grep -qE "in use|Resource temporarily unavailable" "$NK_TMP/rmmod.err" ||
		{ cat "$NK_TMP/rmmod.err"; break; }
	busy=$((busy + 1))
	sleep 0.1
done
echo "  rmmod: $tries tries, $busy refused as busy"
check "rmmod under the fuzz and the stress: unloaded (refusals only EBUSY)" test $unloaded = 1
check "rmmod refused as busy while the dump was held" test $busy -ge 1
wait $holder
holder_rc=$?
sed 's/^/  | /' "$NK_TMP/holder.out" | grep -v "^  |  \{4,\}[0-9]"
check "the held dump read to its end after the refusals, no violation" \
	bash -c '[ "$1" = 0 ] && grep -q "held dump: complete" "$2" &&
		grep -qE "^[0-9]+ passed, 0 failed$" "$2"' _ "$holder_rc" "$NK_TMP/holder.out"
wait $last_fuzz
fuzz_rc=$?
wait $last_stress
stress_rc=$?
show_run last-fuzz "-"
show_run last-stress "-"
after_step last-fuzz "$before"
after_step last-stress "$before"
# On failure the check's output says which part failed, next to the FAIL.
ran_to_the_family_gone() {
	local rc=$1 out=$2 ok=0
	echo "exit status $rc"
	grep -qE "^[0-9]+ passed, 0 failed$" "$out" || { ok=1; echo "no '0 failed' line:"; }
	grep -E "^[0-9]+ passed, [0-9]+ failed$|^  violations:" "$out"
	grep -q "family went away" "$out" || { ok=1; echo "no 'family went away' line"; }
	grep -m 10 -A 3 -E "^(VIOLATION|nlfuzz:)" "$out"
	[ "$rc" = 0 ] && [ $ok = 0 ]
}
check "last-fuzz: no violation; it saw the family go" \
	ran_to_the_family_gone "$fuzz_rc" "$NK_TMP/last-fuzz.out"
check "last-stress: no violation; it saw the family go" \
	ran_to_the_family_gone "$stress_rc" "$NK_TMP/last-stress.out"
check "the natkeep_flow cache is gone" bash -c '! grep -q "^natkeep_flow " /proc/slabinfo'

step "done"
summary

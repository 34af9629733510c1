# shellcheck shell=bash
# Shell library for natkeep VM scenarios (bash, run inside the VM as root).
#
#   . "$(dirname "$0")/../lib.sh"     # from tests/vm/scenarios/*.sh
#
# Results:   pass TEXT | fail TEXT | check TEXT CMD [ARGS...] | summary
#            check runs CMD in the current shell with its output captured,
#            and shows that output (indented) only when CMD fails.
#            summary also checks the kernel log (see dmesg_check) and returns
#            non-zero when anything failed: end a scenario with it.
# Networks:  ns_create NAME; veth_pair NS1 IF1 ADDR1/PFX NS2 IF2 ADDR2/PFX
#            (ADDR "-" for none); dummy_ns NAME ADDR/PFX (a namespace
#            whose packets to the rest of PFX leave through the IP stack
#            on dummy device d0, and vanish); in_ns NS CMD... (CMD: a program, not a
#            shell function); nk_ping NS ARGS; nk_udp_echo / nk_udp_ask.  Namespaces and anything
#            registered with cleanup_add are removed on exit.  Use 10.x and
#            fd00:: addresses only inside namespaces the scenario created.
# Kernel:    the kernel log is marked when this file is sourced; dmesg_check
#            fails on WARNING/BUG/Oops/... lines since then.  DMESG_IGNORE
#            (an ERE) exempts lines a scenario provokes on purpose.
# Waiting:   wait_for SECS CMD...   retry CMD every 0.1 s until it succeeds,
#                                    for SECS seconds at most.
# Hooks:     nk_hold_nf_keys: netfilter's static keys held on to the end, so
#            that hooks can come and go under traffic (TCG; see there).

PASS_COUNT=0
FAIL_COUNT=0
NK_NAMESPACES=()
NK_CLEANUPS=()
NK_TMP=$(mktemp -d /tmp/natkeep-scenario.XXXXXX)

pass() {
	PASS_COUNT=$((PASS_COUNT + 1))
	echo "PASS: $*"
}

fail() {
	FAIL_COUNT=$((FAIL_COUNT + 1))
	echo "FAIL: $*"
}

check() {
	local text=$1 rc=0
	shift
	# Output to a file, not $(...): CMD may start background processes
	# (which would keep a pipe open) or set variables for later checks.
	"$@" >"$NK_TMP/check.out" 2>&1 || rc=$?
	if [ $rc -eq 0 ]; then
		pass "$text"
	else
		fail "$text"
		echo "  command: $* (exit $rc)"
		sed 's/^/  | /' "$NK_TMP/check.out" | tail -n 40
	fi
	return 0
}

summary() {
	dmesg_check
	# A helper library may say what a failure needs to be understood.
	if [ "$FAIL_COUNT" -gt 0 ] && declare -F nk_on_failure >/dev/null; then
		nk_on_failure
	fi
	echo "$PASS_COUNT passed, $FAIL_COUNT failed"
	[ "$FAIL_COUNT" -eq 0 ]
}

# Run CMD every 0.1 s until it succeeds; fail once SECS seconds have
# passed, CMD's own time included (a python3 start alone takes half a
# second under TCG).
wait_for() {
	local end=$((${EPOCHREALTIME//[!0-9]/} + $1 * 1000000))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "${EPOCHREALTIME//[!0-9]/}" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# --- cleanup -----------------------------------------------------------

# Register a command (a string for eval) to run on exit, last first.
cleanup_add() {
	NK_CLEANUPS+=("$1")
}

nk_cleanup() {
	local rc=$? i ns
	set +e
	for ((i = ${#NK_CLEANUPS[@]} - 1; i >= 0; i--)); do
		eval "${NK_CLEANUPS[i]}" >/dev/null 2>&1
	done
	# Background jobs of the scenario (servers, receivers).
	# shellcheck disable=SC2046 # one pid per word
	kill $(jobs -p) 2>/dev/null
	for ns in "${NK_NAMESPACES[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	# Last, with the traffic gone: the keys may turn off now.
	[ -n "${NK_KEYS_NS:-}" ] && ip netns del "$NK_KEYS_NS" 2>/dev/null
	rm -rf "$NK_TMP"
	exit $rc
}
trap nk_cleanup EXIT

# --- network namespaces ------------------------------------------------

ns_create() {
	# One a killed run left behind (make bench's relay part runs on the
	# host, where namespaces outlive the run) is replaced.
	ip netns del "$1" 2>/dev/null || true
	ip netns add "$1"
	NK_NAMESPACES+=("$1")
	ip -n "$1" link set lo up
}

in_ns() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# Add ADDR/PFX (IPv4 or IPv6, "-" for none) to IF in NS; no IPv6 DAD wait.
nk_addr() {
	local ns=$1 ifname=$2 addr=$3
	case $addr in
	-) ;;
	*:*) ip -n "$ns" -6 addr add "$addr" dev "$ifname" nodad ;;
	*) ip -n "$ns" addr add "$addr" dev "$ifname" ;;
	esac
}

veth_pair() {
	local ns1=$1 if1=$2 a1=$3 ns2=$4 if2=$5 a2=$6
	ip -n "$ns1" link add "$if1" type veth peer name "$if2" netns "$ns2"
	nk_addr "$ns1" "$if1" "$a1"
	nk_addr "$ns2" "$if2" "$a2"
	ip -n "$ns1" link set lo up
	ip -n "$ns2" link set lo up
	ip -n "$ns1" link set "$if1" up
	ip -n "$ns2" link set "$if2" up
}

# Keep netfilter's static keys on until the scenario ends (why: the file).
nk_hold_nf_keys() {
	NK_KEYS_NS=nk-keys
	ip netns add "$NK_KEYS_NS" &&
		ip netns exec "$NK_KEYS_NS" nft -f "$(dirname "${BASH_SOURCE[0]}")/hold-nf-keys.nft"
}

dummy_ns() {
	local ns=$1 addr=$2
	ns_create "$ns"
	ip -n "$ns" link add d0 type dummy
	nk_addr "$ns" d0 "$addr"
	ip -n "$ns" link set d0 up
}

# --- kernel log --------------------------------------------------------

NK_DMESG_PATTERN='WARNING:|BUG:|Oops|general protection|KASAN|UBSAN|Kernel panic|kernel BUG|Call Trace|blocked for more than|rcu.*stall|refcount_t:|list_(add|del) corruption'
# The debug kernel's reports (tests/vm/debug.sh).  Most start with WARNING:
# or BUG: already; named anyway, and those that do not: lockdep's non-static
# key, debugobjects, kmemleak giving up (its later scans would be blind).
NK_DMESG_PATTERN+='|possible (circular|recursive) locking|inconsistent lock state|lock inversion|lock order detected'
NK_DMESG_PATTERN+='|suspicious RCU usage|bad unlock balance|held lock freed|lock held when returning to user space'
NK_DMESG_PATTERN+='|INFO: trying to register non-static key|turning off the locking correctness validator'
NK_DMESG_PATTERN+='|sleeping function called from invalid context|scheduling while atomic|in preemptible \[|ODEBUG:'
NK_DMESG_PATTERN+='|kmemleak: .*(disabled|Cannot allocate|pool empty)'
# True under the debug kernel (tests/vm/debug-kernel.sh names it so), whose
# KASAN and lockdep make everything several times slower: a scenario scales
# its load down there, not its checks.
nk_debug_kernel() {
	case $(uname -r) in *-natkeep-debug) return 0 ;; esac
	return 1
}

NK_DMESG_MARK="natkeep-scenario-start $(basename "$0") $$ $(date +%s%N)"

dmesg_mark() {
	echo "$NK_DMESG_MARK" >/dev/kmsg
}

# Kernel log lines after the mark that look like kernel trouble.
dmesg_since_mark() {
	dmesg | awk -v m="$NK_DMESG_MARK" 'found; index($0, m) { found = 1 }'
}

dmesg_check() {
	local bad
	bad=$(dmesg_since_mark | grep -E "$NK_DMESG_PATTERN" || true)
	if [ -n "${DMESG_IGNORE:-}" ] && [ -n "$bad" ]; then
		bad=$(grep -Ev "$DMESG_IGNORE" <<<"$bad" || true)
	fi
	if [ -z "$bad" ]; then
		pass "kernel log clean (no WARNING/BUG/Oops since the scenario started)"
	else
		fail "kernel log clean (no WARNING/BUG/Oops since the scenario started)"
		sed 's/^/  | /' <<<"$bad" | head -n 40
	fi
}

dmesg_mark

# --- tools -------------------------------------------------------------

# ping inside a namespace: nk_ping NS ARGS...  (iputils' ping is not
# installed everywhere; busybox-static's is.)
nk_ping() {
	local ns=$1
	shift
	if command -v ping >/dev/null 2>&1; then
		in_ns "$ns" ping "$@"
	else
		in_ns "$ns" busybox ping "$@"
	fi
}

# UDP echo server in the background (python3): nk_udp_echo NS ADDR PORT LOG
# ADDR "::" takes IPv4 too (peers then show as ::ffff:a.b.c.d).
# Answers "pong <data>" and appends "<src addr> <src port> <data>" to LOG.
nk_udp_echo() {
	local ns=$1 addr=$2 port=$3 log=$4
	rm -f "$log.ready"
	in_ns "$ns" python3 -c '
import socket, sys
addr, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET, socket.SOCK_DGRAM)
s.bind((addr, port))
open(log + ".ready", "w").close()
while True:
    data, peer = s.recvfrom(4096)
    with open(log, "a") as f:
        f.write("%s %d %s\n" % (peer[0], peer[1], data.decode(errors="replace")))
    s.sendto(b"pong " + data, peer)
' "$addr" "$port" "$log" &
	wait_for 10 test -e "$log.ready"
}

# One UDP request/response: nk_udp_ask NS DST PORT MESSAGE [SRC_PORT]
# Prints the answer; fails without one within 3 s.
nk_udp_ask() {
	in_ns "$1" python3 -c '
import socket, sys
dst, port, msg = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
sport = int(sys.argv[4]) if len(sys.argv) > 4 else 0
s = socket.socket(socket.AF_INET6 if ":" in dst else socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("::" if ":" in dst else "0.0.0.0", sport))
s.settimeout(3)
s.sendto(msg, (dst, port))
data, peer = s.recvfrom(4096)
print(data.decode(errors="replace"))
sys.exit(0 if data == b"pong " + msg else 1)
' "${@:2}"
}

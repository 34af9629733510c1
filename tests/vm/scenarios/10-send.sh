#!/bin/bash
# A flow made with natkeepctl delivers its exact payload from the exact
# source address and port, at the set interval, over IPv4 and IPv6; the
# randomised schedule stays within 80..100 % of the interval; `flow set`
# changes the interval, `flow del` stops the sending; the counters add up.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"

ns_create gw
ns_create srv
veth_pair gw eth0 10.1.0.2/24 srv eth0 10.1.0.1/24
nk_addr gw eth0 fd00:1::2/64
nk_addr srv eth0 fd00:1::1/64
check "module loads" nk_load

nk_sink srv 10.1.0.1 5060 "$NK_TMP/ka.log"
nk_sink srv fd00:1::1 5062 "$NK_TMP/empty6.log"
nk_sink srv 10.1.0.1 5064 "$NK_TMP/random.log"

check "flow add: keep-alive every 200 ms, IPv4" \
	in_ns gw "$NK_CTL" flow add local 10.1.0.2:5060 remote 10.1.0.1:5060 interval 200 type keep-alive
check "flow add: empty every 100 ms, IPv6" \
	in_ns gw "$NK_CTL" flow add local [fd00:1::2]:5062 remote [fd00:1::1]:5062 interval 100 type empty
check "flow add: keep-alive every 200 ms, randomised" \
	in_ns gw "$NK_CTL" flow add local 10.1.0.2:5064 remote 10.1.0.1:5064 interval 200 type keep-alive random
sleep 5

check "keep-alive: exact payload and source, 200 ms spacing" \
	python3 "$NK_VM/sink_check.py" "$NK_TMP/ka.log" --payload 'keep-alive\r\n' \
	--src 10.1.0.2 --sport 5060 --interval 200 --min-count 20
check "empty over IPv6: exact payload and source, 100 ms spacing" \
	python3 "$NK_VM/sink_check.py" "$NK_TMP/empty6.log" --payload '\r\n' \
	--src fd00:1::2 --sport 5062 --interval 100 --min-count 40
check "random: every gap within 80..100 % of 200 ms" \
	python3 "$NK_VM/sink_check.py" "$NK_TMP/random.log" --payload 'keep-alive\r\n' \
	--src 10.1.0.2 --sport 5064 --interval 200 --random --min-count 20

# The kernel's counters agree with what arrived (the receiver may lag a
# packet behind the counter: read the counter after the receive log).
received=$(wc -l <"$NK_TMP/ka.log")
in_ns gw "$NK_CTL" -j flow show >"$NK_TMP/show.json"
check "flow show: 3 flows, ids 1..3" \
	test "$(nk_json '[f["id"] for f in d]' <"$NK_TMP/show.json")" = "[1, 2, 3]"
check "flow show: sent >= received, no errors" \
	nk_json 'd[0]["stats"]["tx_packets"] >= '"$received"' > 0 and d[0]["stats"]["tx_errors"] == 0 or exit(1)' <"$NK_TMP/show.json"
check "flow show: a flow's worst lateness, no histogram of its own" \
	nk_json '"lateness" not in d[0]["stats"] and 0 < d[0]["stats"]["lateness_max_ns"] < 1e9 or exit(1)' <"$NK_TMP/show.json"
# The namespace's stats: read after the flows', so at least their sum.
in_ns gw "$NK_CTL" -j stats >"$NK_TMP/stats.json"
sent=$(nk_json 'sum(f["stats"]["tx_packets"] for f in d)' <"$NK_TMP/show.json")
check "stats: 3 flows, at least the flows' sends, no errors" \
	nk_json 'd["flows"] == 3 and d["tx_packets"] >= '"$sent"' and d["tx_errors"] == 0 or exit(1)' <"$NK_TMP/stats.json"
check "stats: the lateness histogram counts every send" \
	nk_json 'sum(b["count"] for b in d["lateness"]) == d["tx_packets"] + d["tx_errors"] or exit(1)' <"$NK_TMP/stats.json"
check "stats: text output" \
	bash -c 'ip netns exec gw "$0" stats | grep -Eq "^flows 3 sent [0-9]+ errors 0$"' "$NK_CTL"
check "flow show: last send less than an interval ago, next within one" \
	nk_json 'd[0]["stats"]["last_tx_age_ns"] < 400e6 and d[0]["next_send_ns"] <= 200e6 or exit(1)' <"$NK_TMP/show.json"
check "flow show: text output names the flow" \
	bash -c 'ip netns exec gw "$0" flow show id 1 | grep -q "local 10.1.0.2:5060 remote 10.1.0.1:5060"' "$NK_CTL"

# flow set: the interval changes, the counters stay.
before=$(in_ns gw "$NK_CTL" -j flow show id 1 | nk_json 'd[0]["stats"]["tx_packets"]')
check "flow set id 1 interval 50" in_ns gw "$NK_CTL" flow set id 1 interval 50
t0=$(nk_now_ns)
sleep 3
t1=$(nk_now_ns)
check "after flow set: 50 ms spacing" \
	python3 "$NK_VM/sink_check.py" "$NK_TMP/ka.log" --payload 'keep-alive\r\n' \
	--src 10.1.0.2 --sport 5060 --interval 50 --min-count 40 --after $((t0 + 100000000)) --before "$t1"
check "after flow set: counters kept" \
	nk_json 'd[0]["stats"]["tx_packets"] > '"$before"' + 40 or exit(1)' \
	< <(in_ns gw "$NK_CTL" -j flow show id 1)

# flow del: nothing more is sent.
check "flow del id 1" in_ns gw "$NK_CTL" flow del id 1
sleep 0.5
n1=$(wc -l <"$NK_TMP/ka.log")
sleep 1
check "after flow del: no more datagrams" test "$(wc -l <"$NK_TMP/ka.log")" = "$n1"
check "after flow del: flow show lists 2 flows" \
	test "$(in_ns gw "$NK_CTL" -j flow show | nk_json 'len(d)')" = 2
check "after flow del: the namespace still counts the deleted flow's sends" \
	nk_json 'd["flows"] == 2 and d["tx_packets"] > '"$(nk_json 'd["tx_packets"]' <"$NK_TMP/stats.json")"' or exit(1)' \
	< <(in_ns gw "$NK_CTL" -j stats)

# Flows live in their namespace: the init namespace has none.
check "the init namespace has no flows" test "$(nkctl -j flow show | nk_json 'len(d)')" = 0
check "the init namespace's stats: no flows, nothing sent" \
	nk_json 'd["flows"] == 0 and d["tx_packets"] == 0 or exit(1)' < <(nkctl -j stats)

summary

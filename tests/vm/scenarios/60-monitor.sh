#!/bin/bash
# `natkeepctl monitor` reports every flow created, changed and deleted in its
# own namespace, as text and as JSON, and nothing from other namespaces.
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../natkeep.sh"

ns_create gw
ns_create other
veth_pair gw eth0 10.7.0.2/24 other eth0 10.7.0.1/24
check "module loads" nk_load

in_ns gw "$NK_CTL" monitor >"$NK_TMP/mon.txt" 2>&1 &
in_ns gw "$NK_CTL" -j monitor >"$NK_TMP/mon.json" 2>&1 &
in_ns other "$NK_CTL" monitor >"$NK_TMP/mon-other.txt" 2>&1 &
# Time for the monitors to start and join the events group.
sleep 2

check "flow add" in_ns gw "$NK_CTL" flow add local 10.7.0.2:5060 remote 10.7.0.1:5060 interval 1000 type keep-alive
check "flow set" in_ns gw "$NK_CTL" flow set id 1 interval 2000 dscp ef
check "flow del" in_ns gw "$NK_CTL" flow del id 1
sleep 1

check "monitor: new flow 1 with its endpoints" \
	grep -q "^new flow 1 local 10.7.0.2:5060 remote 10.7.0.1:5060 type keep-alive interval 1000ms" "$NK_TMP/mon.txt"
check "monitor: set flow 1 with the new interval and DSCP" \
	grep -q "^set flow 1 .*interval 2000ms.*dscp 46" "$NK_TMP/mon.txt"
check "monitor: del flow 1" grep -q "^del flow 1 " "$NK_TMP/mon.txt"
check "monitor: the events in order, three lines" \
	test "$(cut -d' ' -f1 "$NK_TMP/mon.txt" | tr '\n' ' ')" = "new set del "
check "monitor -j: one JSON object per event, in order" \
	python3 -c '
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
assert [e["event"] for e in events] == ["new", "set", "del"], events
assert all(e["id"] == 1 for e in events)
assert events[1]["interval_ms"] == 2000 and events[1]["dscp"] == 46
assert events[0]["local"] == "10.7.0.2:5060" and events[0]["remote"] == "10.7.0.1:5060"
' "$NK_TMP/mon.json"
check "another namespace's monitor saw nothing" test ! -s "$NK_TMP/mon-other.txt"

summary

#!/usr/bin/python3
"""Records natkeep events in this namespace as JSON lines, with the time
each arrived (ns, CLOCK_REALTIME), decoded from the raw netlink messages
(independent of natkeepctl's output). Touches OUT.ready once subscribed.

    events.py OUT

Each line: {"t_ns", "event", "id", "mapping": "addr:port" or null,
"mapping_source", "old_mapping", "responsive", "misses", "rx_responses"}"""
import ipaddress
import json
import os
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nkraw import A, Natkeep, parse_attrs  # noqa: E402

NAMES = {1: "new", 2: "set", 3: "del", 5: "mapping", 6: "unresponsive", 7: "responsive"}
STATS_RX_RESPONSES, STATS_MISSES = 7, 10
SOURCES = {1: "stun", 2: "via"}


def mapping(blob):
    if blob is None:
        return None, None
    m = parse_attrs(blob)
    addr = ipaddress.ip_address(m[2])
    port = struct.unpack("H", m[3][:2])[0]
    text = ("[%s]:%d" if addr.version == 6 else "%s:%d") % (addr, port)
    return text, SOURCES.get(m[4][0])


def main(out):
    nl = Natkeep()
    events = nl.events()
    with open(out, "w", buffering=1) as f:
        open(out + ".ready", "w").close()
        for cmd, attrs in events:
            stats = parse_attrs(attrs.get(A["STATS"], b""))
            new, source = mapping(attrs.get(A["MAPPING"]))
            old, _ = mapping(attrs.get(A["OLD_MAPPING"]))
            resp = attrs.get(A["PEER_RESPONSIVE"])
            f.write(json.dumps({
                "t_ns": time.time_ns(),
                "event": NAMES.get(cmd, cmd),
                "id": struct.unpack("I", attrs[A["FLOW_ID"]][:4])[0],
                "mapping": new, "mapping_source": source, "old_mapping": old,
                "responsive": None if resp is None else bool(resp[0]),
                "misses": struct.unpack("I", stats[STATS_MISSES][:4])[0]
                if STATS_MISSES in stats else None,
                "rx_responses": struct.unpack("Q", stats[STATS_RX_RESPONSES][:8])[0]
                if STATS_RX_RESPONSES in stats else None,
            }) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])

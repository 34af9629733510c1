#!/usr/bin/python3
"""Did a udp_sink.py log get exactly what hostile.py says it sent?

    sink_match.py HOSTILE_LOG SINK_LOG SRC_ADDR SRC_PORT

HOSTILE_LOG: hostile.py --log lines "<category> <payload hex or ->" (the
datagrams that must arrive).  SINK_LOG: udp_sink.py lines "<ns> <addr>
<port> <hex>".  The datagrams in SINK_LOG from SRC_ADDR:SRC_PORT must be
the same multiset of payloads, none missing, none extra, none changed.
Prints counts (per category of what is missing); exit 1 on a mismatch.
"""
import collections
import sys


def main(hostile_log, sink_log, src_addr, src_port):
    want = collections.Counter()
    category = {}
    for line in open(hostile_log):
        cat, data = line.split()
        data = "" if data == "-" else data
        want[data] += 1
        category[data] = cat
    got = collections.Counter()
    other = 0
    for line in open(sink_log):
        fields = line.rstrip("\n").split(" ")
        if len(fields) < 3:
            continue
        data = fields[3] if len(fields) > 3 else ""
        if fields[1] == src_addr and fields[2] == src_port:
            got[data] += 1
        else:
            other += 1
    missing = want - got
    extra = got - want
    print("sink_match: expected %d, received %d from %s:%s (%d from elsewhere)"
          % (sum(want.values()), sum(got.values()), src_addr, src_port, other))
    if missing:
        per = collections.Counter()
        for data, n in missing.items():
            per[category[data]] += n
        print("sink_match: missing: " + ", ".join("%s %d" % kv for kv in sorted(per.items())))
    if extra:
        print("sink_match: %d unexpected datagrams, e.g. %s"
              % (sum(extra.values()), next(iter(extra))[:80]))
    return 1 if missing or extra else 0


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:5]))

#!/usr/bin/python3
"""Hostile and malformed natkeep requests, sent raw (natkeepctl would refuse
to build most of them). Each must fail with the right errno and an extack
message, and leave the namespace's flows exactly as they were.

Prints `PASS: ...` / `FAIL: ...` lines; run in a namespace holding the one
flow the scenario made (id 1)."""
import errno
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nkraw import A, Natkeep, addr, attr, flow_attrs, string, u8, u16, u32  # noqa: E402

nl = Natkeep()
results = []


def report(ok, text):
    print("%s: %s" % ("PASS" if ok else "FAIL", text))
    results.append(ok)


def expect(text, cmd, payload, want_errno, want_msg=None):
    """want_msg: the exact extack text, or None for any non-empty text."""
    before = nl.dump()
    err, msg, _ = nl.request(cmd, payload)
    after = nl.dump()
    # Only the stats and the next-send time move on their own.
    strip = lambda flows: [{k: v for k, v in f.items()
                            if k not in (A["STATS"], A["NEXT_SEND_NS"])} for f in flows]
    wanted = want_errno if isinstance(want_errno, tuple) else (want_errno,)
    ok = err in wanted and msg and (want_msg is None or msg == want_msg)
    report(ok, "%s: %s (%s)" % (text, errno.errorcode.get(err, err), msg))
    report(strip(before) == strip(after), "%s: the flows are unchanged" % text)


def without(payload, atype):
    """The attribute stream minus every attribute of type atype."""
    out, off = b"", 0
    while off < len(payload):
        ln, t = struct.unpack_from("HH", payload, off)
        step = (ln + 3) & ~3
        if t != atype:
            out += payload[off:off + step]
        off += step
    return out


valid = flow_attrs("10.4.0.2", 6000, "10.4.0.1", 6000, 1000)
v4 = lambda t, a: attr(A[t], socket.inet_aton(a))

expect("interval 5 ms", "FLOW_NEW",
       without(valid, A["INTERVAL_MS"]) + u32(A["INTERVAL_MS"], 5),
       errno.ERANGE, "interval out of range (10..3600000 ms)")
expect("interval 3600001 ms", "FLOW_SET",
       u32(A["FLOW_ID"], 1) + u32(A["INTERVAL_MS"], 3600001),
       errno.ERANGE, "interval out of range (10..3600000 ms)")
expect("address family AF_UNIX", "FLOW_NEW",
       without(valid, A["FAMILY"]) + u16(A["FAMILY"], socket.AF_UNIX),
       errno.EAFNOSUPPORT, "address family must be AF_INET (2) or AF_INET6 (10)")
expect("IPv6 family with IPv4 addresses", "FLOW_NEW",
       without(valid, A["FAMILY"]) + u16(A["FAMILY"], socket.AF_INET6),
       errno.EINVAL, "local address length does not match the address family "
       "(4 bytes for AF_INET, 16 for AF_INET6)")
expect("oversized address (64 bytes)", "FLOW_NEW",
       without(valid, A["REMOTE_ADDR"]) + attr(A["REMOTE_ADDR"], b"\x0a" * 64),
       errno.EINVAL, "remote address length does not match the address family "
       "(4 bytes for AF_INET, 16 for AF_INET6)")
expect("oversized message (a 32 KiB attribute of no known type)", "FLOW_NEW",
       valid + attr(200, b"\0" * 32768), errno.EINVAL)
expect("remote 0.0.0.0", "FLOW_NEW",
       without(valid, A["REMOTE_ADDR"]) + v4("REMOTE_ADDR", "0.0.0.0"),
       errno.EINVAL, "remote address must be a unicast address")
expect("remote multicast 224.0.0.1", "FLOW_NEW",
       without(valid, A["REMOTE_ADDR"]) + v4("REMOTE_ADDR", "224.0.0.1"),
       errno.EINVAL, "remote address must be a unicast address")
expect("local port 0", "FLOW_NEW",
       without(valid, A["LOCAL_PORT"]) + u16(A["LOCAL_PORT"], 0),
       errno.EINVAL, "port must be 1..65535")
expect("DSCP 64", "FLOW_NEW", valid + u8(A["DSCP"], 64),
       errno.ERANGE, "DSCP out of range (0..63)")
expect("message type 99", "FLOW_NEW",
       without(valid, A["MSG_TYPE"]) + u8(A["MSG_TYPE"], 99),
       errno.EINVAL, "unknown message type")
expect("randomize 7", "FLOW_NEW", valid + u8(A["RANDOMIZE"], 7),
       errno.EINVAL, "randomize must be 0 or 1")
expect("a new flow without its remote port", "FLOW_NEW",
       without(valid, A["REMOTE_PORT"]),
       errno.EINVAL, "a new flow needs a remote port")
expect("a new flow with an id", "FLOW_NEW", valid + u32(A["FLOW_ID"], 7),
       errno.EINVAL, "the kernel chooses a new flow's id")
expect("read-only attribute (stats) in a request", "FLOW_SET",
       u32(A["FLOW_ID"], 1) + attr(A["STATS"], b""), errno.EINVAL)
expect("u32 attribute given 2 bytes", "FLOW_SET",
       u32(A["FLOW_ID"], 1) + attr(A["INTERVAL_MS"], b"\x10\x00"),
       (errno.EINVAL, errno.ERANGE))  # the policy core's choice differs by version
expect("attribute length past the end of the message", "FLOW_SET",
       u32(A["FLOW_ID"], 1) + struct.pack("HH", 200, A["MARK"]) + b"\0" * 4,
       errno.EINVAL)
expect("attribute length below the header size", "FLOW_SET",
       u32(A["FLOW_ID"], 1) + struct.pack("HH", 2, A["MARK"]) + b"\0" * 4,
       errno.EINVAL)
expect("unknown flow id (set)", "FLOW_SET",
       u32(A["FLOW_ID"], 999) + u32(A["INTERVAL_MS"], 100),
       errno.ENOENT, "no flow with this id")
expect("unknown flow id (del)", "FLOW_DEL", u32(A["FLOW_ID"], 999),
       errno.ENOENT, "no flow with this id")
expect("del without an id", "FLOW_DEL", b"", errno.EINVAL, "the flow id is missing")
expect("a change of family without both addresses", "FLOW_SET",
       u32(A["FLOW_ID"], 1) + u16(A["FAMILY"], socket.AF_INET6) +
       addr(A["REMOTE_ADDR"], "fd00::1"), errno.EINVAL,
       "a new address family needs both the local and the remote address")
expect("a change to SIP OPTIONS without a From user", "FLOW_SET",
       u32(A["FLOW_ID"], 1) + u8(A["MSG_TYPE"], 5), errno.EINVAL,
       "SIP keep-alives (options, notify, custom) need a From user")
expect("a custom spec naming its bad field", "FLOW_SET",
       u32(A["FLOW_ID"], 1) + string(A["CUSTOM_SPEC"], "mtd=PING;event=x"), errno.EINVAL,
       "custom spec: event: only allowed with mtd=NOTIFY")
expect("a From user with a line break", "FLOW_SET",
       u32(A["FLOW_ID"], 1) + string(A["SIP_FROM_USER"], "al\r\nice"), errno.EINVAL,
       "SIP From user: characters a SIP userid may not hold")
expect("a change onto another flow's addresses", "FLOW_SET",
       u32(A["FLOW_ID"], 1) + u16(A["LOCAL_PORT"], 6001),
       errno.EEXIST,
       "a flow from this local address and port to this remote address and port exists")

err, msg, _ = nl.request(99, b"")
report(err == errno.EOPNOTSUPP, "unknown command 99: %s" % errno.errorcode.get(err, err))

print("%d passed, %d failed" % (results.count(True), results.count(False)))
sys.exit(0 if all(results) else 1)

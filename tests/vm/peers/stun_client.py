#!/usr/bin/python3
"""A minimal STUN (RFC 5389) Binding client for the VM scenarios.

    stun_client.py [-s SRC_PORT] [-b SRC_ADDR] [-t TIMEOUT] [-r TRIES] ADDR PORT

Sends a Binding request to ADDR:PORT (IPv4 or IPv6) and prints the
XOR-MAPPED-ADDRESS of the success response as "ADDR:PORT" (IPv6 as
"[ADDR]:PORT"); with only a MAPPED-ADDRESS (RFC 3489 servers) it prints that.
Responses whose transaction id is not ours are ignored, as a correct client
must.  Exit status: 0 with a mapping, 1 on timeout or a bad answer.
"""
import argparse
import ipaddress
import os
import socket
import struct
import sys
import time

MAGIC = 0x2112A442
BINDING_REQUEST = 0x0001
BINDING_SUCCESS = 0x0101
ATTR_MAPPED = 0x0001
ATTR_XOR_MAPPED = 0x0020


def parse_address(value, xor, tid):
    """(addr, port) from a (XOR-)MAPPED-ADDRESS value, or None."""
    if len(value) < 4:
        return None
    family, port = value[1], struct.unpack("!H", value[2:4])[0]
    if family == 1 and len(value) == 8:
        raw = value[4:8]
        key = struct.pack("!I", MAGIC)
    elif family == 2 and len(value) == 20:
        raw = value[4:20]
        key = struct.pack("!I", MAGIC) + tid
    else:
        return None
    if xor:
        port ^= MAGIC >> 16
        raw = bytes(a ^ b for a, b in zip(raw, key))
    return str(ipaddress.ip_address(raw)), port


def parse_response(data, tid):
    """The mapping in a Binding success response for tid, or None."""
    if len(data) < 20:
        return None
    mtype, length, cookie = struct.unpack("!HHI", data[:8])
    if mtype != BINDING_SUCCESS or cookie != MAGIC or data[8:20] != tid:
        return None
    if length != len(data) - 20 or length % 4:
        return None
    mapped = xor_mapped = None
    off = 20
    while off + 4 <= len(data):
        atype, alen = struct.unpack("!HH", data[off:off + 4])
        value = data[off + 4:off + 4 + alen]
        if len(value) != alen:
            return None
        if atype == ATTR_XOR_MAPPED and xor_mapped is None:
            xor_mapped = parse_address(value, True, tid)
        elif atype == ATTR_MAPPED and mapped is None:
            mapped = parse_address(value, False, tid)
        off += 4 + ((alen + 3) & ~3)
    return xor_mapped or mapped


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("addr")
    ap.add_argument("port", type=int)
    ap.add_argument("-s", "--sport", type=int, default=0, help="source port")
    ap.add_argument("-b", "--bind", default=None, help="source address")
    ap.add_argument("-t", "--timeout", type=float, default=1.0,
                    help="seconds to wait for each answer")
    ap.add_argument("-r", "--tries", type=int, default=3)
    args = ap.parse_args()

    v6 = ":" in args.addr
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((args.bind or ("::" if v6 else "0.0.0.0"), args.sport))
    for _ in range(args.tries):
        tid = os.urandom(12)
        s.sendto(struct.pack("!HHI", BINDING_REQUEST, 0, MAGIC) + tid,
                 (args.addr, args.port))
        deadline = time.monotonic() + args.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            s.settimeout(left)
            try:
                data, _ = s.recvfrom(65536)
            except socket.timeout:
                break
            mapping = parse_response(data, tid)
            if mapping:
                addr, port = mapping
                print(("[%s]:%d" if ":" in addr else "%s:%d") % (addr, port))
                return 0
    print("stun_client: no Binding success response from %s:%d"
          % (args.addr, args.port), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())

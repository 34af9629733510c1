#!/usr/bin/python3
"""A UDP receiver for the scenarios: binds ADDR:PORT and writes one line per
datagram to OUT: kernel receive time (ns, CLOCK_REALTIME), source address,
source port, payload in hex. Runs until killed. With `sip`, it also answers
each datagram that starts with "REGISTER " with a "SIP/2.0 200 OK", as a
registrar would, so that the sender can see replies come back through NAT.

    udp_sink.py ADDR PORT OUT [sip]
"""
import socket
import struct
import sys

SO_TIMESTAMPNS = 35


def main(addr, port, out, mode=""):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    s.bind((addr, int(port)))
    with open(out, "w", buffering=1) as f:
        while True:
            data, anc, _, src = s.recvmsg(65536, 64)
            ts = 0
            for level, ctype, cdata in anc:
                if level == socket.SOL_SOCKET and ctype == SO_TIMESTAMPNS:
                    sec, nsec = struct.unpack("qq", cdata[:16])
                    ts = sec * 1000000000 + nsec
            f.write("%d %s %d %s\n" % (ts, src[0], src[1], data.hex()))
            if mode == "sip" and data.startswith(b"REGISTER "):
                s.sendto(b"SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", src)


if __name__ == "__main__":
    main(*sys.argv[1:5])

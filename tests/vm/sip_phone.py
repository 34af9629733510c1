#!/usr/bin/python3
"""A stand-in for a SIP stack's signalling socket: binds ADDR:PORT, sends one
REGISTER to SERVER:SPORT, then keeps the socket open for SECS seconds and
writes every datagram it receives to OUT (source and payload in hex), so a
scenario can check that replies still reach the SIP socket while natkeep
sends keep-alives from the same port. Touches OUT.ready once registered.

    sip_phone.py ADDR PORT SERVER SPORT SECS OUT
"""
import socket
import sys
import time


def main(addr, port, server, sport, secs, out):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((addr, int(port)))
    s.sendto(b"REGISTER sip:example.test SIP/2.0\r\nContent-Length: 0\r\n\r\n",
             (server, int(sport)))
    end = time.monotonic() + float(secs)
    with open(out, "w", buffering=1) as f:
        open(out + ".ready", "w").close()
        while (left := end - time.monotonic()) > 0:
            s.settimeout(left)
            try:
                data, src = s.recvfrom(65536)
            except socket.timeout:
                break
            f.write("%s %d %s\n" % (src[0], src[1], data.hex()))


if __name__ == "__main__":
    main(*sys.argv[1:7])

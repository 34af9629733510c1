#!/usr/bin/python3
"""A SIP scanner and hostile requests, for the natkeep VM scenarios.

    sip_scan.py [-n N] [-r RATE] [--stray TOP NEXT] SRC_ADDR DST_ADDR:DST_PORT

From a UDP socket on SRC_ADDR (any port), to DST: N rounds (default 50) of
what the Internet sends a SIP port: a scanner's OPTIONS and INVITE
(User-Agent friendly-scanner, as sipvicious), then malformed requests:
garbage, a request line alone, a Via without a host, rport and CSeq out of
range, a 60 KiB header line, a 64 KiB INVITE, NUL bytes, and an INVITE
whose Via names another port of SRC_ADDR by maddr (a reflection attempt:
a socket there counts what arrives). --stray: also a forged "200 OK" to
an INVITE per round, its Vias TOP (the proxy's own, which the relay
recognises) and NEXT (where a proxy relaying it by Via would send it
next): an attempt to have the proxy send a datagram of ours to NEXT.
RATE datagrams a second at most
(default 2000). Prints "sip_scan: N datagrams"; answers are read and
counted, never needed: "sip_scan: N answers, M to well-formed requests,
K reflected"."""
import argparse
import random
import socket
import time


def request(method, dst, via, extra="", body="", call_id=None):
    branch = "z9hG4bK%08x" % random.getrandbits(32)
    return ("%s sip:100@%s SIP/2.0\r\n"
            "Via: %s;branch=%s\r\n"
            "From: <sip:100@%s>;tag=%08x\r\n"
            "To: <sip:100@%s>\r\n"
            "Call-ID: %s\r\n"
            "CSeq: 1 %s\r\n"
            "Max-Forwards: 70\r\n"
            "User-Agent: friendly-scanner\r\n"
            "%s"
            "Content-Length: %d\r\n\r\n%s" %
            (method, dst, via, branch, dst, random.getrandbits(32), dst,
             call_id or "%08x@scan" % random.getrandbits(32), method, extra,
             len(body), body)).encode()


WELL_FORMED = b"@scan-ok"


def stray(dst, top, nxt):
    return ("SIP/2.0 200 OK\r\n"
            "Via: SIP/2.0/UDP %s;branch=z9hG4bK%08x\r\n"
            "Via: SIP/2.0/UDP %s;branch=z9hG4bK%08x\r\n"
            "From: <sip:100@%s>;tag=%08x\r\n"
            "To: <sip:100@%s>;tag=%08x\r\n"
            "Call-ID: %08x@scan\r\n"
            "CSeq: 1 INVITE\r\n"
            "Content-Length: 0\r\n\r\n" %
            (top, random.getrandbits(32), nxt, random.getrandbits(32), dst,
             random.getrandbits(32), dst, random.getrandbits(32),
             random.getrandbits(32))).encode()


def rounds(src, dst, victim_port, strays):
    via = "SIP/2.0/UDP %s:5060" % src
    ok = "%08x" % random.getrandbits(32) + WELL_FORMED.decode()
    yield request("OPTIONS", dst, via, call_id=ok)
    yield request("INVITE", dst, via, body="v=0\r\n", call_id=ok)
    yield request("INVITE", dst, "SIP/2.0/UDP %s:%d;maddr=%s" % (src, victim_port, src),
                  body="v=0\r\n", call_id=ok)
    yield bytes(random.getrandbits(8) for _ in range(200))
    yield b"INVITE sip:100@%s SIP/2.0\r\n\r\n" % dst.encode()
    yield request("INVITE", dst, "SIP/2.0/UDP ")
    yield request("OPTIONS", dst, via + ";rport=99999")
    yield request("OPTIONS", dst, via).replace(b"CSeq: 1", b"CSeq: 99999999999")
    yield request("OPTIONS", dst, via, extra="X-Long: %s\r\n" % ("a" * 60000))
    yield request("INVITE", dst, via, body="a" * 64000)
    yield request("OPTIONS", dst, via).replace(b"To:", b"To:\0\0")
    if strays:
        yield stray(dst, *strays)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=50)
    ap.add_argument("-r", "--rate", type=float, default=2000)
    ap.add_argument("--stray", nargs=2, metavar=("TOP", "NEXT"))
    ap.add_argument("src")
    ap.add_argument("dst")
    a = ap.parse_args()
    host, port = a.dst.rsplit(":", 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a.src, 0))
    s.setblocking(False)
    victim = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    victim.bind((a.src, 0))
    victim.setblocking(False)
    random.seed(1)
    sent = answers = answered_ok = reflected = 0

    def drain():
        nonlocal answers, answered_ok, reflected
        for sock in (s, victim):
            try:
                while True:
                    data = sock.recv(65536)
                    if sock is victim:
                        reflected += 1
                        continue
                    answers += 1
                    answered_ok += WELL_FORMED in data
            except OSError:
                pass

    for _ in range(a.n):
        for data in rounds(a.src, host, victim.getsockname()[1], a.stray):
            try:
                s.sendto(data, (host, int(port)))
                sent += 1
            except OSError:
                pass
            time.sleep(1.0 / a.rate)
            drain()
    # Late answers, and an INVITE's retransmitted ones (T1 = 0.5 s).
    end = time.monotonic() + 2
    while time.monotonic() < end:
        time.sleep(0.1)
        drain()
    print("sip_scan: %d datagrams" % sent)
    print("sip_scan: %d answers, %d to well-formed requests, %d reflected" %
          (answers, answered_ok, reflected))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""A SIP scanner and hostile requests, for the natkeep VM scenarios.

    sip_scan.py [-n N] [-r RATE] SRC_ADDR DST_ADDR:DST_PORT

From a UDP socket on SRC_ADDR (any port), to DST: N rounds (default 50) of
what the Internet sends a SIP port: a scanner's OPTIONS and INVITE
(User-Agent friendly-scanner, as sipvicious), then malformed requests:
garbage, a request line alone, a Via without a host, rport and CSeq out of
range, a 60 KiB header line, a 64 KiB INVITE, NUL bytes. RATE datagrams a
second at most (default 2000). Prints "sip_scan: N datagrams"; answers
are read and counted ("sip_scan: N answers"), never needed."""
import argparse
import random
import socket
import time


def request(method, dst, via, extra="", body=""):
    branch = "z9hG4bK%08x" % random.getrandbits(32)
    return ("%s sip:100@%s SIP/2.0\r\n"
            "Via: %s;branch=%s\r\n"
            "From: <sip:100@%s>;tag=%08x\r\n"
            "To: <sip:100@%s>\r\n"
            "Call-ID: %08x@scan\r\n"
            "CSeq: 1 %s\r\n"
            "Max-Forwards: 70\r\n"
            "User-Agent: friendly-scanner\r\n"
            "%s"
            "Content-Length: %d\r\n\r\n%s" %
            (method, dst, via, branch, dst, random.getrandbits(32), dst,
             random.getrandbits(32), method, extra, len(body), body)).encode()


def rounds(src, dst):
    via = "SIP/2.0/UDP %s:5060" % src
    yield request("OPTIONS", dst, via)
    yield request("INVITE", dst, via, body="v=0\r\n")
    yield bytes(random.getrandbits(8) for _ in range(200))
    yield b"INVITE sip:100@%s SIP/2.0\r\n\r\n" % dst.encode()
    yield request("INVITE", dst, "SIP/2.0/UDP ")
    yield request("OPTIONS", dst, via + ";rport=99999")
    yield request("OPTIONS", dst, via).replace(b"CSeq: 1", b"CSeq: 99999999999")
    yield request("OPTIONS", dst, via, extra="X-Long: %s\r\n" % ("a" * 60000))
    yield request("INVITE", dst, via, body="a" * 64000)
    yield request("OPTIONS", dst, via).replace(b"To:", b"To:\0\0")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=50)
    ap.add_argument("-r", "--rate", type=float, default=2000)
    ap.add_argument("src")
    ap.add_argument("dst")
    a = ap.parse_args()
    host, port = a.dst.rsplit(":", 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a.src, 0))
    s.setblocking(False)
    random.seed(1)
    sent = answers = 0
    for _ in range(a.n):
        for data in rounds(a.src, host):
            try:
                s.sendto(data, (host, int(port)))
                sent += 1
            except OSError:
                pass
            time.sleep(1.0 / a.rate)
            try:
                while s.recv(65536):
                    answers += 1
            except OSError:
                pass
    print("sip_scan: %d datagrams" % sent)
    print("sip_scan: %d answers" % answers)


if __name__ == "__main__":
    main()

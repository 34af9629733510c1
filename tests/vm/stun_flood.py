#!/usr/bin/python3
"""A STUN server that floods, for the natkeep VM scenarios.

    stun_flood.py ADDR:PORT DST_ADDR FIRST_PORT COUNT SECONDS

Binds ADDR:PORT (with SO_REUSEPORT, so that one per CPU can share it) and
for SECONDS sends, as fast as it can, Binding success responses with random
transaction ids to DST_ADDR:FIRST_PORT .. FIRST_PORT+COUNT-1 in turn (the
flows' local ports: each one reaches natkeep's hook as a response from the
flow's peer, is looked up and parsed, and matches no request). Between
sends it answers every Binding request that arrives, as a STUN server
would, with the request's transaction id and the source it came from: the
flows' real answers arrive among the flood. Errors (the destination's
namespace gone, a full buffer) are counted, and the flood goes on, until SECONDS have passed or SIGTERM comes.

Output: "sent N failed F answered A".
"""
import errno
import os
import signal
import socket
import sys
import time

from hostile import stun_attr, stun_msg, xor_addr


def binding_success(tid, addr, port):
    """A Binding success response carrying XOR-MAPPED-ADDRESS addr:port."""
    return stun_msg(0x0101, tid, stun_attr(0x0020, xor_addr(addr, port, tid)))


def main(local, dst, first, count, seconds):
    host, port = local.rsplit(":", 1)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    s.bind((host, int(port)))
    s.setblocking(False)
    first, count = int(first), int(count)
    sent = failed = answered = 0
    end = [time.monotonic() + float(seconds)]
    signal.signal(signal.SIGTERM, lambda *_: end.__setitem__(0, 0))
    i = 0
    while time.monotonic() < end[0]:
        for _ in range(32):
            to = (dst, first + i % count)
            i += 1
            try:
                s.sendto(binding_success(os.urandom(12), dst, to[1]), to)
                sent += 1
            except OSError:
                failed += 1
        while True:
            try:
                data, src = s.recvfrom(2048)
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.ECONNREFUSED):
                    failed += 1
                break
            if len(data) >= 20 and data[:2] == b"\x00\x01":
                try:
                    s.sendto(binding_success(data[8:20], *src), src)
                    answered += 1
                except OSError:
                    failed += 1
    print("sent %d failed %d answered %d" % (sent, failed, answered))


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__.split("\n\n")[1])
    main(*sys.argv[1:])

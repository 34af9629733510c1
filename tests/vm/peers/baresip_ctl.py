#!/usr/bin/python3
"""baresip's ctrl_tcp (netstring-framed JSON) for the natkeep VM scenarios.

ctrl_tcp serves one connection at a time (a new one closes the old), so
one process holds it, records every event and passes commands on:

    baresip_ctl.py serve ADDR:PORT EVENTS SOCKET
        connect to baresip's ctrl_tcp at ADDR:PORT; one JSON line per event
        to the file EVENTS; commands from clients of the UNIX socket SOCKET
    baresip_ctl.py cmd SOCKET COMMAND [PARAMS]
        a command (dial URI, hangup, ...) through `serve`: exits 0 when
        baresip answers ok, else prints the answer and exits 1
    baresip_ctl.py wait EVENTS TYPE N SECS
        until EVENTS holds N events of TYPE (CALL_ESTABLISHED...): 0, or 1
    baresip_ctl.py count EVENTS TYPE
        prints how many EVENTS holds"""
import json
import os
import select
import socket
import sys
import time


class Netstrings:
    """Splits a byte stream into the JSON objects of its netstrings."""

    def __init__(self):
        self.buf = b""

    def feed(self, data):
        self.buf += data
        out = []
        while True:
            colon = self.buf.find(b":")
            if colon < 0:
                break
            n = int(self.buf[:colon])
            if len(self.buf) < colon + n + 2:
                break
            out.append(json.loads(self.buf[colon + 1:colon + 1 + n]))
            self.buf = self.buf[colon + n + 2:]
        return out


def netstring(obj):
    data = json.dumps(obj).encode()
    return b"%d:%s," % (len(data), data)


def serve(where, events, path):
    host, port = where.rsplit(":", 1)
    bs = socket.create_connection((host, int(port)), timeout=10)
    bs.settimeout(None)
    if os.path.exists(path):
        os.unlink(path)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(4)
    parser, waiting, n = Netstrings(), {}, 0
    with open(events, "a") as out:
        while True:
            ready, _, _ = select.select([bs, srv] + list(waiting.values()), [], [])
            if bs in ready:
                data = bs.recv(65536)
                if not data:
                    return 1
                for obj in parser.feed(data):
                    out.write(json.dumps(obj) + "\n")
                    out.flush()
                    client = waiting.pop(obj.get("token"), None) if obj.get("response") else None
                    if client:
                        client.sendall(json.dumps(obj).encode() + b"\n")
                        client.close()
            if srv in ready:
                client, _ = srv.accept()
                cmd = json.loads(client.makefile().readline())
                n += 1
                token = "natkeep-%d" % n
                bs.sendall(netstring({"command": cmd[0], "params": " ".join(cmd[1:]),
                                      "token": token}))
                waiting[token] = client
            for token, client in list(waiting.items()):
                if client in ready:	# the client went away
                    client.close()
                    del waiting[token]


def command(path, args):
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.settimeout(20)
    c.connect(path)
    c.sendall(json.dumps(args).encode() + b"\n")
    line = c.makefile().readline()
    answer = json.loads(line) if line else {}
    if answer.get("ok"):
        return 0
    print(line.strip() or "no answer from baresip")
    return 1


def count(path, kind):
    try:
        with open(path) as f:
            return sum(1 for line in f if json.loads(line).get("type") == kind)
    except FileNotFoundError:
        return 0


def main():
    a = sys.argv[1:]
    if len(a) == 4 and a[0] == "serve":
        return serve(a[1], a[2], a[3])
    if len(a) >= 3 and a[0] == "cmd":
        return command(a[1], a[2:])
    if len(a) == 5 and a[0] == "wait":
        end = time.time() + float(a[4])
        while time.time() < end:
            if count(a[1], a[2]) >= int(a[3]):
                return 0
            time.sleep(0.1)
        return 1
    if len(a) == 3 and a[0] == "count":
        print(count(a[1], a[2]))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())

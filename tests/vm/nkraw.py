#!/usr/bin/python3
"""Raw generic netlink requests to natkeep, for tests that must send what
natkeepctl never would (hostile and malformed messages) or many requests
from one socket (bulk flow creation).

As a library:  nl = Natkeep(); err, msg, replies = nl.request(cmd, attrs)
As a command:  nkraw.py bulk-add N LOCAL_ADDR FIRST_PORT REMOTE_ADDR:PORT INTERVAL_MS [random]
               nkraw.py churn N LOCAL_ADDR:PORT REMOTE_ADDR:PORT INTERVAL_MS stun
                                         (N times: delete that flow, add it again)
               nkraw.py count            (number of flows in this namespace)
"""
import ipaddress
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NETLINK_EXT_ACK, NETLINK_CAP_ACK, SOL_NETLINK = 11, 10, 270
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS = 1, 2

# include/uapi/linux/natkeep.h
CMD = dict(FLOW_NEW=1, FLOW_SET=2, FLOW_DEL=3, FLOW_GET=4)
CMD.update(MAPPING_CHANGED=5, PEER_UNRESPONSIVE=6, PEER_RESPONSIVE=7)
A = dict(PAD=1, FLOW_ID=2, FAMILY=3, LOCAL_ADDR=4, LOCAL_PORT=5, REMOTE_ADDR=6,
         REMOTE_PORT=7, INTERVAL_MS=8, RANDOMIZE=9, MSG_TYPE=10, MARK=11, DSCP=12,
         NEXT_SEND_NS=13, STATS=14, SIP_HOST=15, SIP_FROM_USER=16, SIP_FROM_DOMAIN=17,
         SIP_USER_AGENT=18, CUSTOM_SPEC=19, STUN_FINGERPRINT=20, RESPONSE_TIMEOUT_MS=21,
         MISS_LIMIT=22, MAPPING=23, OLD_MAPPING=24, PEER_RESPONSIVE=25)
MSG_KEEPALIVE, MSG_EMPTY, MSG_STUN, MSG_CUSTOM, MSG_OPTIONS, MSG_NOTIFY = 1, 2, 3, 4, 5, 6
CTRL_ATTR_MCAST_GROUPS, CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 7, 1, 2


def attr(atype, payload):
    """One netlink attribute, padded to 4 bytes."""
    hdr = struct.pack("HH", 4 + len(payload), atype)
    return hdr + payload + b"\0" * (-len(payload) % 4)


def u8(t, v): return attr(t, struct.pack("B", v))
def u16(t, v): return attr(t, struct.pack("H", v))
def u32(t, v): return attr(t, struct.pack("I", v))


def string(t, text):
    return attr(t, text.encode() + b"\0")


def addr(t, text):
    return attr(t, ipaddress.ip_address(text).packed)


def parse_attrs(data):
    out, off = {}, 0
    while off + 4 <= len(data):
        ln, t = struct.unpack_from("HH", data, off)
        if ln < 4:
            break
        out[t & 0x3fff] = data[off + 4:off + ln]
        off += (ln + 3) & ~3
    return out


class Natkeep:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.bind((0, 0))
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.seq = 0
        err, msg, replies = self._request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                          attr(CTRL_ATTR_FAMILY_NAME, b"natkeep\0"), 0)
        if err:
            raise OSError(-err, "natkeep family not found (module not loaded?)")
        ctrl = parse_attrs(replies[0])
        self.family = struct.unpack("H", ctrl[CTRL_ATTR_FAMILY_ID][:2])[0]
        self.groups = {}
        for grp in parse_attrs(ctrl.get(CTRL_ATTR_MCAST_GROUPS, b"")).values():
            g = parse_attrs(grp)
            name = g[CTRL_ATTR_MCAST_GRP_NAME].rstrip(b"\0").decode()
            self.groups[name] = struct.unpack("I", g[CTRL_ATTR_MCAST_GRP_ID][:4])[0]

    def events(self):
        """Yield (command, attributes) of each event on the events group."""
        SOL_NETLINK_ADD_MEMBERSHIP = 1
        self.sock.setsockopt(SOL_NETLINK, SOL_NETLINK_ADD_MEMBERSHIP, self.groups["events"])
        while True:
            data = self.sock.recv(1 << 16)
            off = 0
            while off + 16 <= len(data):
                ln, mtype, _, _, _ = struct.unpack_from("IHHII", data, off)
                if mtype == self.family:
                    yield data[off + 16], parse_attrs(data[off + 20:off + ln])
                off += (ln + 3) & ~3

    def send(self, msg_type, cmd, payload, flags):
        self.seq += 1
        body = struct.pack("BBH", cmd, 1, 0) + payload
        hdr = struct.pack("IHHII", 16 + len(body), msg_type, NLM_F_REQUEST | NLM_F_ACK | flags,
                          self.seq, 0)
        self.sock.send(hdr + body)
        return self.seq

    def receive(self, seq):
        """(errno or 0, extack message or None, [reply attribute blobs])."""
        replies = []
        while True:
            data = self.sock.recv(1 << 20)
            off = 0
            while off + 16 <= len(data):
                ln, mtype, flags, mseq, _ = struct.unpack_from("IHHII", data, off)
                body = data[off + 16:off + ln]
                off += (ln + 3) & ~3
                if mseq != seq:
                    continue
                if mtype == NLMSG_ERROR:
                    err = -struct.unpack_from("i", body)[0]
                    # With CAP_ACK only the request's header is echoed; then TLVs.
                    tlv = parse_attrs(body[4 + 16:]) if flags & 0x200 else {}
                    msg = tlv.get(NLMSGERR_ATTR_MSG, b"").rstrip(b"\0").decode() or None
                    return err, msg, replies
                if mtype == NLMSG_DONE:
                    return 0, None, replies
                replies.append(body[4:])

    def _request(self, msg_type, cmd, payload, flags):
        return self.receive(self.send(msg_type, cmd, payload, flags))

    def request(self, cmd, payload=b"", flags=0):
        return self._request(self.family, CMD[cmd] if isinstance(cmd, str) else cmd,
                             payload, flags)

    def dump(self):
        err, msg, replies = self.request("FLOW_GET", b"", NLM_F_DUMP)
        if err:
            raise OSError(err, msg)
        return [parse_attrs(r) for r in replies]


def flow_attrs(local, lport, remote, rport, interval, msg_type=MSG_KEEPALIVE, randomize=0):
    family = socket.AF_INET6 if ":" in local else socket.AF_INET
    return (u16(A["FAMILY"], family) + addr(A["LOCAL_ADDR"], local) +
            u16(A["LOCAL_PORT"], lport) + addr(A["REMOTE_ADDR"], remote) +
            u16(A["REMOTE_PORT"], rport) + u32(A["INTERVAL_MS"], interval) +
            u8(A["MSG_TYPE"], msg_type) + u8(A["RANDOMIZE"], randomize))


def bulk_add(n, local, first_port, remote, interval, randomize):
    """n flows from consecutive local ports, requests pipelined in windows."""
    raddr, rport = remote.rsplit(":", 1)
    nl, made, window = Natkeep(), 0, 64
    port = first_port
    while made < n:
        seqs = []
        for _ in range(min(window, n - made)):
            seqs.append(nl.send(nl.family, CMD["FLOW_NEW"],
                                flow_attrs(local, port, raddr, int(rport), interval,
                                           randomize=randomize), 0))
            port += 1
        for s in seqs:
            err, msg, _ = nl.receive(s)
            if err:
                print("bulk-add: flow %d: %s: %s" % (made, os.strerror(err), msg),
                      file=sys.stderr)
                return 1
            made += 1
    print(made)
    return 0


def churn(n, local, remote, interval, msg_type):
    """n deletions of the flow from local to remote, each added back at
    once: one socket, no process started between them."""
    laddr, lport = local.rsplit(":", 1)
    raddr, rport = remote.rsplit(":", 1)
    key = {A["LOCAL_ADDR"]: ipaddress.ip_address(laddr).packed,
           A["LOCAL_PORT"]: struct.pack("H", int(lport)),
           A["REMOTE_ADDR"]: ipaddress.ip_address(raddr).packed,
           A["REMOTE_PORT"]: struct.pack("H", int(rport))}
    nl = Natkeep()
    ids = [f[A["FLOW_ID"]] for f in nl.dump()
           if all(f.get(t) == v for t, v in key.items())]
    if len(ids) != 1:
        print("churn: %d flows from %s to %s, not one" % (len(ids), local, remote),
              file=sys.stderr)
        return 1
    flow_id = ids[0]
    for i in range(n):
        for cmd, payload in (("FLOW_DEL", attr(A["FLOW_ID"], flow_id)),
                             ("FLOW_NEW", flow_attrs(laddr, int(lport), raddr, int(rport),
                                                     interval, msg_type))):
            err, msg, replies = nl.request(cmd, payload)
            if err:
                print("churn: round %d: %s: %s: %s" % (i, cmd, os.strerror(err), msg),
                      file=sys.stderr)
                return 1
        flow_id = parse_attrs(replies[0])[A["FLOW_ID"]]
    print(n)
    return 0


def main(argv):
    if argv[:1] == ["bulk-add"] and len(argv) >= 6:
        return bulk_add(int(argv[1]), argv[2], int(argv[3]), argv[4], int(argv[5]),
                        1 if argv[6:7] == ["random"] else 0)
    if argv[:1] == ["churn"] and argv[5:6] == ["stun"]:
        return churn(int(argv[1]), argv[2], argv[3], int(argv[4]), MSG_STUN)
    if argv[:1] == ["count"]:
        print(len(Natkeep().dump()))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/python3
"""A minimal nfnetlink_queue verdict loop: a userspace IPS stand-in.

Inline IPSes such as Suricata or Snort (NFQ mode) sit behind an nft `queue`
rule: the kernel hands each matching packet to a userspace process over
netlink, and the packet waits in the kernel until that process sends a
verdict for it.  This program plays that part for the tests, without the
IPS and without libnetfilter_queue (standard library only): it binds a
queue, reads NFQNL_MSG_PACKET messages and answers each with an
NFQNL_MSG_VERDICT (NF_ACCEPT or NF_DROP) as fast as it can.

Why it matters: with a rule such as

    nft add rule inet q in udp dport 5555 queue num 0

in an input chain, an accepted packet re-enters the stack through
nf_reinject(), called from the verdict's sendmsg() in this process.  On
Linux 6.1 that runs the remaining LOCAL_IN hooks (those after the queue
rule's priority) in process context, with softirqs enabled, on the CPU
this process runs on (see --cpu); only the final okfn (local delivery)
runs with bottom halves disabled.  Hooks that assume LOCAL_IN always runs
in softirq context are exercised this way.

    nfqueue_verdict.py [-q NUM] [-c COUNT] [-f FILE] [--ready FILE]
                       [--cpu N] [--verdict accept|drop] [--batch N]
                       [--copy meta|packet] [--maxlen N] [--fail-open]
                       [--rcvbuf BYTES] [-v]

It runs until COUNT verdicts were sent or SIGTERM/SIGINT, then prints a
summary on stderr (including the kernel's drop counters for the queue).
-f FILE holds the number of verdicts sent so far (rewritten atomically
every second and on exit); --ready FILE is created once the queue is bound
and configured.  Exit status: 0, or 1 when binding/configuring failed.

Caveats, from net/netfilter/nfnetlink_queue.c: when the queue holds
--maxlen packets (default 1024) awaiting verdicts, or this socket's receive
buffer is full, further packets are dropped (counted in the summary), or
accepted without being queued with --fail-open.  Packets still waiting for
a verdict when this program exits are dropped, and so are packets that
reach the rule while no process is bound, unless the rule says `bypass`.
"""
import argparse
import dataclasses
import errno
import os
import signal
import socket
import struct
import sys
import time

# include/uapi/linux/netlink.h
NETLINK_NETFILTER = 12
SOL_NETLINK = 270
NETLINK_NO_ENOBUFS = 5
NETLINK_EXT_ACK = 11
NLM_F_REQUEST, NLM_F_ACK = 0x1, 0x4
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200   # flags of an error ack
NLMSG_ERROR = 2
NLMSGERR_ATTR_MSG = 1
NLA_TYPE_MASK = 0x3fff
SO_RCVBUFFORCE = getattr(socket, "SO_RCVBUFFORCE", 33)

# include/uapi/linux/netfilter/nfnetlink.h and nfnetlink_queue.h
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
PACKET_TYPE = (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET
VERDICT_TYPE = (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_VERDICT
CONFIG_TYPE = (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_CONFIG
NFQA_PACKET_HDR, NFQA_VERDICT_HDR = 1, 2
NFQA_IFINDEX_INDEV, NFQA_PAYLOAD = 5, 10
NFQA_CFG_CMD, NFQA_CFG_PARAMS, NFQA_CFG_QUEUE_MAXLEN = 1, 2, 3
NFQA_CFG_MASK, NFQA_CFG_FLAGS = 4, 5
NFQNL_CFG_CMD_BIND, NFQNL_CFG_CMD_PF_BIND = 1, 3
NFQNL_COPY_META, NFQNL_COPY_PACKET = 1, 2
NFQA_CFG_F_FAIL_OPEN = 1 << 0

# include/uapi/linux/netfilter.h
NF_DROP, NF_ACCEPT = 0, 1
HOOKS = ("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING")

NLMSGHDR = struct.Struct("=IHHII")        # len, type, flags, seq, pid
NLMSG_LEN_TYPE = struct.Struct("=IH")      # its first two fields
NFGENMSG = struct.Struct("!BBH")          # family, version, res_id (BE)
NLATTR = struct.Struct("=HH")             # len, type
PACKET_HDR = struct.Struct("!IHB")        # packet_id, hw_protocol, hook
VERDICT_LEN = NLMSGHDR.size + NFGENMSG.size + NLATTR.size + 8

RECV_BUF = 256 * 1024    # one packet message is at most ~64 KiB + headers
MAX_BATCH = 1024         # 32 KiB of verdicts per send, well under sndbuf
TICK_S = 1.0             # progress file period
RCVTIMEO_S = 0.2         # how long a signal may wait for the loop to see it


def nlattr(atype, payload):
    """One netlink attribute, padded to 4 bytes."""
    return (NLATTR.pack(NLATTR.size + len(payload), atype) + payload +
            b"\0" * (-len(payload) % 4))


class NfqError(Exception):
    """A configuration request the kernel refused (or never answered)."""

    def __init__(self, what, reason, err=0):
        super().__init__("%s failed: %s" % (what, reason))
        self.what, self.errno = what, err


class NfQueue:
    """One nfnetlink_queue queue bound on a netlink socket of our own."""

    def __init__(self, queue_num, rcvbuf):
        self.queue_num = queue_num
        self.seq = 0
        self.stash = []          # packets that arrived while configuring
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_NETFILTER)
        # The kernel drops a packet (or fails it open) when our receive
        # buffer is full: make it big.  SO_RCVBUFFORCE goes past
        # net.core.rmem_max but needs CAP_NET_ADMIN, which binding does too.
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, rcvbuf)
        except OSError:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        # Without it an overrun makes the next recv() fail with ENOBUFS;
        # the lost packets show in the kernel's counters either way.
        try:
            self.sock.setsockopt(SOL_NETLINK, NETLINK_NO_ENOBUFS, 1)
        except OSError:
            pass
        # Extended acks carry the kernel's reason for a refused request.
        try:
            self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        except OSError:
            pass
        # A bounded blocking recv(): one syscall per packet (a Python
        # socket timeout would add a poll()), yet signals and the progress
        # file get a look-in when traffic stops.
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO,
                             struct.pack("ll", 0, int(RCVTIMEO_S * 1e6)))
        self.sock.bind((0, 0))

        # A verdict is an nlmsghdr, this constant part, then the verdict
        # and the packet id; the nlmsghdr's seq is the packet id too, so
        # that an error ack names the packet.
        self.verdict_tail = (NFGENMSG.pack(socket.AF_UNSPEC, 0, queue_num) +
                             NLATTR.pack(NLATTR.size + 8, NFQA_VERDICT_HDR))

    def close(self):
        self.sock.close()

    def config(self, what, *attrs):
        """Send one NFQNL_MSG_CONFIG request and wait for its ack."""
        self.seq += 1
        body = (NFGENMSG.pack(socket.AF_UNSPEC, 0, self.queue_num) +
                b"".join(attrs))
        msg = NLMSGHDR.pack(NLMSGHDR.size + len(body),
                            CONFIG_TYPE,
                            NLM_F_REQUEST | NLM_F_ACK, self.seq, 0) + body
        self.sock.send(msg)
        buf = bytearray(RECV_BUF)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                n = self.sock.recv_into(buf)
            except BlockingIOError:
                continue
            except OSError as e:
                if e.errno == errno.ENOBUFS:
                    continue
                raise
            for off, nlen, ntype in nlmsgs(buf, n):
                if ntype == NLMSG_ERROR:
                    err, seq = parse_error(buf, off)
                    if seq != self.seq:
                        continue
                    if err:
                        reason = os.strerror(-err)
                        msg = extack_msg(buf, off, nlen)
                        if msg:
                            reason += " (%s)" % msg
                        raise NfqError(what, reason, -err)
                    return
                if ntype == PACKET_TYPE:
                    # The queue exists from BIND on: keep what arrives
                    # before the rest of the configuration is acked.
                    self.stash.append(bytes(buf[off:off + nlen]))
        raise NfqError(what, "no answer from the kernel")

    def bind(self, copy_mode, maxlen, fail_open):
        q = self.queue_num
        cmd = NFQNL_CFG_CMD_BIND
        try:
            self.config("binding queue %d" % q,
                        nlattr(NFQA_CFG_CMD, struct.pack("!BxH", cmd, 0)))
        except NfqError as e:
            # The kernel says EPERM both without CAP_NET_ADMIN and when
            # another socket holds the queue (EBUSY is for our own).
            if e.errno != errno.EPERM:
                raise
            row = self.proc_row()
            why = ("already bound by netlink port %d" % row[1] if row
                   else "CAP_NET_ADMIN needed")
            raise NfqError(e.what, "%s (%s)" % (os.strerror(e.errno), why),
                           e.errno) from None
        # Obsolete since Linux 3.8 (the kernel answers 0 and does nothing),
        # sent for older kernels, where it registered the queue handler for
        # the family; after BIND, so that a refusal names the queue.
        for family in (socket.AF_INET, socket.AF_INET6):
            cmd = NFQNL_CFG_CMD_PF_BIND
            self.config("PF_BIND %s for queue %d" % (family.name, q),
                        nlattr(NFQA_CFG_CMD, struct.pack("!BxH", cmd,
                                                         family)))
        # copy_range 0xffff: the kernel clamps it to what fits an attribute.
        mode, rng = ((NFQNL_COPY_PACKET, 0xffff) if copy_mode == "packet"
                     else (NFQNL_COPY_META, 0))
        self.config("setting copy mode %s on queue %d" % (copy_mode, q),
                    nlattr(NFQA_CFG_PARAMS, struct.pack("!IB", rng, mode)))
        if maxlen is not None:
            self.config("setting maxlen %d on queue %d" % (maxlen, q),
                        nlattr(NFQA_CFG_QUEUE_MAXLEN,
                               struct.pack("!I", maxlen)))
        if fail_open:
            flag = struct.pack("!I", NFQA_CFG_F_FAIL_OPEN)
            self.config("setting fail-open on queue %d" % q,
                        nlattr(NFQA_CFG_MASK, flag),
                        nlattr(NFQA_CFG_FLAGS, flag))

    def verdict(self, out, verdict, pkt_id):
        """Append one NFQNL_MSG_VERDICT for pkt_id to the bytearray out."""
        out += NLMSGHDR.pack(VERDICT_LEN, VERDICT_TYPE, NLM_F_REQUEST,
                             pkt_id, 0)
        out += self.verdict_tail
        out += struct.pack("!II", verdict, pkt_id)

    def proc_row(self):
        """Our queue's line of /proc/net/netfilter/nfnetlink_queue, or None.

        As integers: queue, peer port ID, waiting, copy mode, copy range,
        dropped with the queue full, dropped with our socket full, last
        packet id, 1.  Per network namespace, root only; the queue exists
        until its socket closes."""
        try:
            with open("/proc/net/netfilter/nfnetlink_queue") as f:
                for line in f:
                    row = [int(v) for v in line.split()]
                    if row and row[0] == self.queue_num:
                        return row
        except (OSError, ValueError):
            pass
        return None


def nlmsgs(buf, n):
    """Yield (offset, length, type) of the netlink messages in buf[:n]."""
    off = 0
    while off + NLMSGHDR.size <= n:
        nlen, ntype = NLMSG_LEN_TYPE.unpack_from(buf, off)
        if nlen < NLMSGHDR.size or off + nlen > n:
            return                      # truncated: cannot happen here
        yield off, nlen, ntype
        off += (nlen + 3) & ~3


def parse_error(buf, off):
    """(error, seq of the request) of the NLMSG_ERROR at off."""
    err, = struct.unpack_from("=i", buf, off + NLMSGHDR.size)
    seq = struct.unpack_from("=I", buf, off + NLMSGHDR.size + 4 + 8)[0]
    return err, seq


def extack_msg(buf, off, nlen):
    """The NLMSGERR_ATTR_MSG text of an error ack, or ''."""
    flags = struct.unpack_from("=H", buf, off + 6)[0]
    if not flags & NLM_F_ACK_TLVS:
        return ""
    # The acked request follows the error code: whole, or just its header.
    req = off + NLMSGHDR.size + 4
    a = req + (NLMSGHDR.size if flags & NLM_F_CAPPED
               else (NLMSGHDR.unpack_from(buf, req)[0] + 3) & ~3)
    end = off + nlen
    while a + NLATTR.size <= end:
        alen, atype = NLATTR.unpack_from(buf, a)
        if alen < NLATTR.size:
            break
        if atype & NLA_TYPE_MASK == NLMSGERR_ATTR_MSG:
            return bytes(buf[a + 4:a + alen]).rstrip(b"\0").decode(
                errors="replace")
        a += (alen + 3) & ~3
    return ""


def parse_packet(buf, off, nlen):
    """(packet id, hw protocol, hook, indev, payload offset, payload length)
    of the NFQNL_MSG_PACKET at off; payload offset is -1 without one."""
    pkt_id = hw_proto = hook = indev = None
    pay_off, pay_len = -1, 0
    a = off + NLMSGHDR.size + NFGENMSG.size
    end = off + nlen
    while a + NLATTR.size <= end:
        alen, atype = NLATTR.unpack_from(buf, a)
        if alen < NLATTR.size:
            break
        atype &= NLA_TYPE_MASK
        if atype == NFQA_PACKET_HDR:
            pkt_id, hw_proto, hook = PACKET_HDR.unpack_from(buf, a + 4)
        elif atype == NFQA_IFINDEX_INDEV:
            indev, = struct.unpack_from("!I", buf, a + 4)
        elif atype == NFQA_PAYLOAD:
            pay_off, pay_len = a + 4, alen - 4
        a += (alen + 3) & ~3
    return pkt_id, hw_proto, hook, indev, pay_off, pay_len


def describe_payload(buf, off, length):
    """'proto src -> dst' of an IP packet, for -v."""
    if length < 1:
        return "no payload"
    version = buf[off] >> 4
    if version == 4 and length >= 20:
        ihl = (buf[off] & 0xf) * 4
        proto = buf[off + 9]
        src = socket.inet_ntop(socket.AF_INET, bytes(buf[off + 12:off + 16]))
        dst = socket.inet_ntop(socket.AF_INET, bytes(buf[off + 16:off + 20]))
        l4 = off + ihl
    elif version == 6 and length >= 40:
        proto = buf[off + 6]           # extension headers not followed
        src = socket.inet_ntop(socket.AF_INET6, bytes(buf[off + 8:off + 24]))
        dst = socket.inet_ntop(socket.AF_INET6,
                               bytes(buf[off + 24:off + 40]))
        src, dst, l4 = "[%s]" % src, "[%s]" % dst, off + 40
    else:
        return "%d bytes, not IP" % length
    if proto in (socket.IPPROTO_TCP, socket.IPPROTO_UDP) and \
            l4 + 4 <= off + length:
        sport, dport = struct.unpack_from("!HH", buf, l4)
        src, dst = "%s:%d" % (src, sport), "%s:%d" % (dst, dport)
    return "proto %d %s -> %s, %d bytes" % (proto, src, dst, length)


def write_count(path, count):
    """Replace path's content with count, atomically for a poller."""
    tmp = "%s.tmp%d" % (path, os.getpid())
    with open(tmp, "w") as f:
        f.write("%d\n" % count)
    os.replace(tmp, path)


@dataclasses.dataclass
class Stats:
    verdicts: int = 0
    enobufs: int = 0
    verdict_errors: int = 0
    first: float = None     # monotonic time of the first packet
    last: float = None      # monotonic time of the last verdict sent


def serve(nfq, args, stats, stopping):
    """Receive packets and send their verdicts until done or stopping()."""
    verdict = NF_ACCEPT if args.verdict == "accept" else NF_DROP
    buf = bytearray(RECV_BUF)
    recv_into, send = nfq.sock.recv_into, nfq.sock.send
    next_tick = time.monotonic() + TICK_S

    def note_error(data, off):
        # Not asked for (no NLM_F_ACK): only failed verdicts come back,
        # e.g. ENOENT for an id the kernel no longer holds.
        err, pkt_id = parse_error(data, off)
        if err:
            stats.verdict_errors += 1
            if stats.verdict_errors <= 10:
                print("nfqueue: verdict for packet %d failed: %s"
                      % (pkt_id, os.strerror(-err)), file=sys.stderr)

    def handle(data, n, out):
        """Queue the verdicts for the messages in data[:n] into out."""
        queued = 0
        for off, nlen, ntype in nlmsgs(data, n):
            if ntype == NLMSG_ERROR:
                note_error(data, off)
                continue
            if ntype != PACKET_TYPE:
                continue
            pkt_id, hw_proto, hook, indev, pay_off, pay_len = \
                parse_packet(data, off, nlen)
            if pkt_id is None:
                continue                # no NFQA_PACKET_HDR: not a packet
            if stats.first is None:
                stats.first = time.monotonic()
            if args.verbose:
                hook_name = HOOKS[hook] if hook < len(HOOKS) else str(hook)
                what = (describe_payload(data, pay_off, pay_len)
                        if pay_off >= 0 else "metadata only")
                print("packet %d: hw 0x%04x, hook %s, indev %s, %s"
                      % (pkt_id, hw_proto, hook_name, indev, what),
                      file=sys.stderr)
            nfq.verdict(out, verdict, pkt_id)
            queued += 1
        return queued

    while not stopping():
        room = (MAX_BATCH if args.count is None
                else args.count - stats.verdicts)
        if room <= 0:
            break
        room = min(room, args.batch)
        out = bytearray()
        queued = 0
        while nfq.stash and queued < room:
            msg = nfq.stash.pop(0)
            queued += handle(msg, len(msg), out)
        # Block for the first packet, then take what is already waiting
        # (up to --batch) and answer it all with one send(): one message
        # per verdict, each with its own nlmsghdr.
        flags = 0
        while queued < room:
            try:
                n = recv_into(buf, 0, flags)
            except BlockingIOError:
                break                   # timed out, or nothing more waiting
            except OSError as e:
                if e.errno != errno.ENOBUFS:
                    raise
                stats.enobufs += 1      # packets lost; the queue goes on
                continue
            queued += handle(buf, n, out)
            flags = socket.MSG_DONTWAIT
            if stopping():
                break
        if out:
            # nfnetlink processes the messages one by one and goes on past
            # a failed one; the reinjection runs within this send().
            send(out)
            stats.verdicts += queued
            stats.last = time.monotonic()
        if args.file and time.monotonic() >= next_tick:
            write_count(args.file, stats.verdicts)
            next_tick = time.monotonic() + TICK_S

    # The acks of failed verdicts are queued to us within send(): count
    # those not read yet.  Packets read here get no verdict: the kernel
    # drops them when the socket closes, as those still unread.  (Bounded:
    # a flood with a long queue could keep this going.)
    deadline = time.monotonic() + RCVTIMEO_S
    while time.monotonic() < deadline:
        try:
            n = recv_into(buf, 0, socket.MSG_DONTWAIT)
        except BlockingIOError:
            break
        except OSError as e:
            if e.errno != errno.ENOBUFS:
                raise
            continue
        for off, nlen, ntype in nlmsgs(buf, n):
            if ntype == NLMSG_ERROR:
                note_error(buf, off)


def summary(args, stats, counters):
    """The closing line on stderr."""
    if stats.first is not None and stats.last is not None \
            and stats.last > stats.first:
        elapsed = stats.last - stats.first
        rate = ", %.2f s from the first packet, %.0f/s" % (
            elapsed, stats.verdicts / elapsed)
    else:
        rate = ""
    kernel = ("; kernel: %d dropped with the queue full, %d with the socket "
              "full" % counters if counters else "")
    print("nfqueue: queue %d: %d verdicts (%s)%s; %d ENOBUFS, %d failed "
          "verdicts%s" % (args.queue, stats.verdicts, args.verdict, rate,
                          stats.enobufs, stats.verdict_errors, kernel),
          file=sys.stderr)


def main():
    p = argparse.ArgumentParser(
        description="Answer nfnetlink_queue packets with verdicts "
                    "(a userspace IPS stand-in).")
    p.add_argument("-q", "--queue", type=int, default=0, metavar="NUM",
                   help="queue number (default 0)")
    p.add_argument("-c", "--count", type=int, metavar="COUNT",
                   help="stop after COUNT verdicts (default: run until "
                        "SIGTERM/SIGINT)")
    p.add_argument("-f", "--file", metavar="FILE",
                   help="write the number of verdicts to FILE every second "
                        "and on exit")
    p.add_argument("--ready", metavar="FILE",
                   help="create FILE once the queue is bound")
    p.add_argument("--cpu", type=int, metavar="N", help="run on CPU N only")
    p.add_argument("--verdict", choices=("accept", "drop"), default="accept")
    p.add_argument("--batch", type=int, default=64, metavar="N",
                   help="answer up to N waiting packets with one send() "
                        "(default 64; 1: one send per packet)")
    p.add_argument("--copy", choices=("meta", "packet"), default="packet",
                   help="ask for metadata only, or the packet too "
                        "(default packet, as an IPS would)")
    p.add_argument("--maxlen", type=int, metavar="N",
                   help="queue length limit (kernel default 1024)")
    p.add_argument("--fail-open", action="store_true",
                   help="have the kernel accept packets that do not fit "
                        "the queue instead of dropping them")
    p.add_argument("--rcvbuf", type=int, default=16 << 20, metavar="BYTES",
                   help="socket receive buffer (default 16 MiB)")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="one line per packet on stderr")
    args = p.parse_args()
    if not 0 <= args.queue <= 65535:
        p.error("-q NUM must be 0 to 65535")
    for name in ("count", "maxlen", "batch", "rcvbuf"):
        if getattr(args, name) is not None and getattr(args, name) < 1:
            p.error("--%s must be at least 1" % name)
    args.batch = min(args.batch, MAX_BATCH)

    if args.cpu is not None:
        # nf_reinject() runs in our send(): this is where LOCAL_IN goes on.
        os.sched_setaffinity(0, {args.cpu})

    stop = []

    def on_signal(signum, frame):
        stop.append(signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    stats = Stats()
    try:
        nfq = NfQueue(args.queue, args.rcvbuf)
    except OSError as e:
        print("nfqueue: opening a NETLINK_NETFILTER socket failed: %s"
              % e.strerror, file=sys.stderr)
        return 1
    try:
        nfq.bind(args.copy, args.maxlen, args.fail_open)
    except NfqError as e:
        print("nfqueue: %s" % e, file=sys.stderr)
        nfq.close()
        return 1
    if args.file:
        write_count(args.file, 0)
    if args.ready:
        with open(args.ready, "w") as f:
            f.write("%d\n" % os.getpid())

    try:
        serve(nfq, args, stats, lambda: bool(stop))
    finally:
        row = nfq.proc_row()
        counters = (row[5], row[6]) if row else None
        nfq.close()
        if args.file:
            write_count(args.file, stats.verdicts)
        summary(args, stats, counters)
    return 0


if __name__ == "__main__":
    sys.exit(main())

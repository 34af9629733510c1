#!/usr/bin/python3
"""Hostile STUN/SIP response generator for the natkeep VM scenarios.

    hostile.py [options] SRC_ADDR:SRC_PORT DST_ADDR:DST_PORT

Sends malformed, truncated, oversized and lying STUN and SIP responses (and
garbage, zero-length datagrams and hand-made IPv4 fragments) from
SRC_ADDR:SRC_PORT -- the flow's remote, i.e. the server; run it in the
namespace that owns SRC_ADDR -- to DST_ADDR:DST_PORT (the flow's local side,
or the NAT's public mapping of it).  IPv6 addresses as [ADDR]:PORT.

Sending: by default (--mode auto) a UDP socket bound to SRC; if that port is
in use (a real server listens there) it falls back to a raw IPv4 socket
(IP_HDRINCL) that writes the UDP/IP headers itself and fragments large
datagrams by hand.  --mode udp / --mode raw force one way.  Raw mode and
the `fragments` category are IPv4 only (skipped with a note for IPv6).

Options:
  -c, --categories LIST   comma-separated categories or `all` (default)
  -n, --count N           datagrams per category (default 20; `fragments`
                          counts fragment sets); variants are cycled
  -s, --seed S            random seed (default 1): same seed, same bytes
  -i, --interval SECS     pause after each datagram, scaled by its size in
                          1500-byte units (default 0.002), so that a slow
                          receiver is not overrun
  -l, --log FILE          write one line per datagram that must arrive:
                          "<category> <payload hex>" (zero-length: "-")
  --list                  list the categories and exit

Output: one line per category, "hostile: CATEGORY N" (N datagrams sent, of
which the deliverable ones are also in --log), then
"hostile: total T deliverable D" where D counts the datagrams a receiver
must get (fragment sets left incomplete or overlapping on purpose are not
deliverable), and "hostile: decoy-mapping ADDR:PORT" lines: mappings that
the lying messages (wrong transaction id, unmatched SIP response) carry and
that a correct keep-alive receiver must never report.
Exit status 0 unless sending failed (an error other than ENOBUFS/EAGAIN).
"""
import argparse
import errno
import ipaddress
import random
import socket
import struct
import sys
import time

MAGIC = 0x2112A442
MAX_UDP4 = 65507          # largest IPv4 UDP payload
MAX_UDP6 = 65527 - 20     # conservative for IPv6 without jumbograms

# Mappings that lying messages carry (documentation ranges: never real).
DECOY_STUN = ("203.0.113.66", 6666)
DECOY_SIP = ("203.0.113.77", 7777)
DECOY_SIP_2 = ("198.51.100.99", 9999)


# ---------------------------------------------------------------- STUN

def stun_attr(atype, value, pad=True):
    a = struct.pack("!HH", atype, len(value)) + value
    if pad and len(value) % 4:
        a += b"\0" * (4 - len(value) % 4)
    return a


def xor_addr(addr, port, tid):
    ip = ipaddress.ip_address(addr)
    xport = port ^ (MAGIC >> 16)
    if ip.version == 4:
        raw = bytes(a ^ b for a, b in zip(ip.packed, struct.pack("!I", MAGIC)))
        return struct.pack("!BBH", 0, 1, xport) + raw
    key = struct.pack("!I", MAGIC) + tid
    raw = bytes(a ^ b for a, b in zip(ip.packed, key))
    return struct.pack("!BBH", 0, 2, xport) + raw


def stun_msg(mtype, tid, attrs=b"", length=None, cookie=MAGIC):
    if length is None:
        length = len(attrs)
    return struct.pack("!HHI", mtype, length & 0xFFFF, cookie) + tid + attrs


def cat_stun_lying_length(rng):
    tid = rng.randbytes(12)
    xma = stun_attr(0x0020, xor_addr("198.51.100.1", 1234, tid))
    variants = [
        stun_msg(0x0101, tid, xma, length=len(xma) + 4),      # claims more
        stun_msg(0x0101, tid, xma, length=len(xma) + 400),
        stun_msg(0x0101, tid, xma, length=0xFFFF),
        stun_msg(0x0101, tid, xma, length=len(xma) - 4),      # claims less
        stun_msg(0x0101, tid, xma, length=0),                 # attrs beyond
        stun_msg(0x0101, tid, xma, length=len(xma) - 1),      # not 4-aligned
        stun_msg(0x0101, tid, xma + b"\0\0", length=len(xma) + 2),
        stun_msg(0x0101, tid, b"", length=12),
        stun_msg(0x0101, tid)[:rng.randrange(1, 20)],          # short header
        stun_msg(0x0101, tid, xma)[:20 + rng.randrange(1, len(xma))],  # cut
    ]
    return variants


def cat_stun_attr_overrun(rng):
    tid = rng.randbytes(12)
    good = xor_addr("198.51.100.2", 2345, tid)
    variants = []
    for alen in (9, 12, 100, 0xFFFF, 0xFFFC):
        a = struct.pack("!HH", 0x0020, alen) + good
        variants.append(stun_msg(0x0101, tid, a))
    # A second attribute whose header is cut in half.
    a = stun_attr(0x8022, b"natkeep") + b"\x00\x20"
    variants.append(stun_msg(0x0101, tid, a))
    # Attribute header claiming length past the message's own length field.
    a = stun_attr(0x0020, good)
    variants.append(stun_msg(0x0101, tid, a + struct.pack("!HH", 0x0020, 8),
                             length=len(a) + 4))
    # MAPPED-ADDRESS overrunning, then a good XOR-MAPPED-ADDRESS after it.
    a = struct.pack("!HH", 0x0001, 200) + good + stun_attr(0x0020, good)
    variants.append(stun_msg(0x0101, tid, a))
    # Many tiny attributes up to the end, the last one overrunning by one.
    a = b"".join(stun_attr(0x8000 + i, b"") for i in range(50))
    a += struct.pack("!HH", 0x0020, 1)
    variants.append(stun_msg(0x0101, tid, a))
    return variants


def cat_stun_xma_bad(rng):
    tid = rng.randbytes(12)
    good = xor_addr("198.51.100.3", 3456, tid)
    variants = []
    for fam in (0x00, 0x03, 0xFF):
        v = good[:1] + bytes([fam]) + good[2:]
        variants.append(stun_msg(0x0101, tid, stun_attr(0x0020, v)))
    variants += [
        stun_msg(0x0101, tid, stun_attr(0x0020, b"")),              # length 0
        stun_msg(0x0101, tid, stun_attr(0x0020, good[:4])),         # no addr
        stun_msg(0x0101, tid, stun_attr(0x0020, good[:7])),         # short v4
        stun_msg(0x0101, tid, stun_attr(0x0020, good + b"\0" * 4)),  # long v4
        # family IPv6 with an IPv4-sized value, and IPv4 with an IPv6 size
        stun_msg(0x0101, tid, stun_attr(0x0020, good[:1] + b"\x02" + good[2:])),
        stun_msg(0x0101, tid, stun_attr(
            0x0020, good[:1] + b"\x01" + good[2:] + b"\0" * 12)),
        stun_msg(0x0101, tid, stun_attr(0x0001, b"\x00\x03\x00\x01")),
        # Binding *error* response and an indication carrying a mapping
        stun_msg(0x0111, tid, stun_attr(0x0020, good)),
        stun_msg(0x0011, tid, stun_attr(0x0020, good)),
        # wrong magic cookie (RFC 3489 style) with a mapping
        stun_msg(0x0101, tid, stun_attr(0x0020, good), cookie=0x12345678),
    ]
    return variants


def cat_stun_wrong_tid(rng):
    """Well-formed Binding successes with a valid-looking decoy mapping and
    a random transaction id: must NOT be taken as a mapping."""
    out = []
    for _ in range(4):
        tid = rng.randbytes(12)
        attrs = stun_attr(0x0020, xor_addr(*DECOY_STUN, tid))
        attrs += stun_attr(0x0001, struct.pack("!BBH", 0, 1, DECOY_STUN[1])
                           + ipaddress.ip_address(DECOY_STUN[0]).packed)
        attrs += stun_attr(0x8022, b"hostile")
        out.append(stun_msg(0x0101, tid, attrs))
    return out


def cat_stun_huge(rng, maxlen):
    tid = rng.randbytes(12)
    body = stun_attr(0x0020, xor_addr("198.51.100.4", 4567, tid))
    # Fill to the largest datagram with SOFTWARE/unknown attributes.
    chunk = stun_attr(0x8022, b"A" * 760)
    while len(body) + len(chunk) + 20 <= maxlen:
        body += chunk
    full = stun_msg(0x0101, tid, body)
    # Exactly the largest datagram, its length field lying (max 0xFFFF).
    pad = maxlen - len(full)
    full_pad = full + b"\xAA" * pad
    return [full, full_pad, stun_msg(0x0101, tid, rng.randbytes(maxlen - 20))]


# ---------------------------------------------------------------- SIP

def sip_response(rng, status="SIP/2.0 200 OK", via_params=";rport=5060;received=10.2.0.2",
                 extra="", cseq="1 OPTIONS", eol="\r\n", branch=None, sent_by="10.2.0.2:5060"):
    branch = branch or "z9hG4bK" + rng.randbytes(6).hex()
    lines = [
        status,
        "Via: SIP/2.0/UDP %s;branch=%s%s" % (sent_by, branch, via_params),
        "From: <sip:natkeep@natkeep.test>;tag=%s" % rng.randbytes(4).hex(),
        "To: <sip:natkeep.test>;tag=%s" % rng.randbytes(4).hex(),
        "Call-ID: %s@hostile" % rng.randbytes(6).hex(),
        "CSeq: " + cseq,
    ]
    if extra:
        lines.append(extra)
    lines += ["Content-Length: 0", "", ""]
    return eol.join(lines).encode("latin-1")


def cat_sip_many_via(rng, maxlen):
    vias = "".join("Via: SIP/2.0/UDP 10.%d.%d.%d:5060;branch=z9hG4bK%d;rport=%d;received=10.0.0.%d\r\n"
                   % (i >> 16 & 255, i >> 8 & 255, i & 255, i, 1024 + i % 60000, i % 250)
                   for i in range(10000))
    out = []
    # 10 000 Via header lines (cut to the largest datagram) ...
    msg = sip_response(rng).replace(b"\r\nFrom:", ("\r\n" + vias.rstrip("\r\n") + "\r\nFrom:").encode(), 1)
    out.append(msg[:maxlen])
    # ... and 10 000 Via values in one comma-separated header.
    one = ", ".join("SIP/2.0/UDP 10.0.%d.%d:5060;branch=z9hG4bK%d;rport" % (i >> 8 & 255, i & 255, i)
                    for i in range(10000))
    out.append(sip_response(rng, via_params=";rport=1;received=10.2.0.2, " + one)[:maxlen])
    # 10 000 tiny Via headers that fit whole.
    tiny = "".join("v:SIP/2.0/UDP a;rport=%d\r\n" % (i % 65536) for i in range(10000))
    msg = sip_response(rng).replace(b"\r\nFrom:", ("\r\n" + tiny.rstrip("\r\n") + "\r\nFrom:").encode(), 1)
    out.append(msg[:maxlen])
    return out


def cat_sip_long_line(rng, maxlen):
    n = min(60 * 1024, maxlen - 400)
    return [
        sip_response(rng, extra="X-Long: " + "x" * n),
        sip_response(rng, via_params=";rport=5060;received=10.2.0.2;x=" + "y" * n),
        sip_response(rng, status="SIP/2.0 200 " + "O" * n),
        ("SIP/2.0 200 OK\r\nVia: " + "z" * n).encode(),        # never ends
        sip_response(rng, cseq="1 " + "OPTIONS" * (n // 7)),
    ]


def cat_sip_nul(rng):
    return [
        sip_response(rng, status="SIP/2.0 200\0OK"),
        sip_response(rng, status="SIP/2.0\x00200 OK"),
        sip_response(rng, via_params=";rport=50\x0060;received=10.2.0.2"),
        sip_response(rng, via_params=";rport=5060;received=10.2\x00.0.2"),
        sip_response(rng, via_params="\x00;rport=5060;received=10.2.0.2"),
        sip_response(rng, extra="X-Nul: \x00\x00\x00"),
        sip_response(rng).replace(b"Via:", b"V\x00a:"),
        sip_response(rng, cseq="1\x00 OPTIONS"),
        b"\x00" * 64,
        b"SIP/2.0 200 OK\r\n\x00",
    ]


def cat_sip_bad_rport(rng):
    vals = ["99999", "65536", "0", "-1", "", "abc", "1e3", "5060.5", " 5060",
            "4294967297", "18446744073709551617", "0x13c4", "+5060"]
    out = [sip_response(rng, via_params=";rport=%s;received=10.2.0.2" % v) for v in vals]
    out.append(sip_response(rng, via_params=";rport=5060;rport=5061;received=10.2.0.2"))
    out.append(sip_response(rng, via_params=";rport;received=10.2.0.2"))
    out.append(sip_response(rng, via_params=";RPORT=5060;RECEIVED=10.2.0.2"))
    return out


def cat_sip_bad_received(rng):
    vals = ["999.1.1.1", "", "1.2.3", "1.2.3.4.5", "256.256.256.256", "::1",
            "[::1]", "fd00::zz", "10.2.0.2x", "0.0.0.0", "255.255.255.255",
            "01.02.03.04", "1.2.3.4%eth0", "a" * 300]
    return [sip_response(rng, via_params=";rport=5060;received=%s" % v) for v in vals]


def cat_sip_bad_status(rng):
    vals = ["SIP/2.0 99999 Whatever", "SIP/2.0 abc OK", "SIP/2.0 2000 OK",
            "SIP/2.0 -1 OK", "SIP/2.0 099 OK", "SIP/2.0 20 OK", "SIP/2.0  200 OK",
            "SIP/2.0 700 Beyond", "SIP/3.0 200 OK", "SIP/2.0200 OK",
            "sip/2.0 200 OK", "SIP/2.0 4294967496 OK"]
    return [sip_response(rng, status=s) for s in vals]


def cat_sip_no_crlf(rng):
    return [
        sip_response(rng, eol="\n"),
        sip_response(rng, eol="\r"),
        sip_response(rng, eol=""),
        sip_response(rng).rstrip(b"\r\n"),                    # no blank line
        sip_response(rng).replace(b"\r\n\r\n", b"\r\n"),
        b"SIP/2.0 200 OK",
        b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.2.0.2:5060;rport=5060;received=10.2.0.2",
        sip_response(rng).replace(b"\r\nVia:", b"\r\n Via:", 1),   # a folded line
    ]


def cat_sip_only_version(rng):
    return [b"SIP/2.0", b"SIP/2.0 ", b"SIP/2.0 200", b"SIP/2.0\r\n\r\n",
            b"SIP/", b"S", b"SIP/2.0 200 OK\r\n\r\n"]


def cat_sip_cseq_huge(rng):
    vals = ["%d OPTIONS" % 2 ** 40, "%d OPTIONS" % 2 ** 32, "%d OPTIONS" % (2 ** 31),
            "-1 OPTIONS", "99999999999999999999999 OPTIONS", "1", "OPTIONS",
            "%d NOTIFY" % 2 ** 40, "1 OPTIONS 2", "0x10 OPTIONS"]
    return [sip_response(rng, cseq=v) for v in vals]


def cat_sip_unmatched(rng):
    """A well-formed 200 OK with a decoy received/rport, for a request never
    sent (random branch, Call-ID and CSeq): must NOT be taken as a mapping."""
    out = []
    for method in ("OPTIONS", "NOTIFY", "REGISTER", "PING"):
        out.append(sip_response(
            rng, via_params=";rport=%d;received=%s" % (DECOY_SIP[1], DECOY_SIP[0]),
            cseq="%d %s" % (rng.randrange(1, 2 ** 31), method)))
    return out


def cat_sip_spoofed_mapping(rng, dst):
    """200 OKs whose top Via names where they are sent (a gateway's public
    mapping: anyone who can reach it knows it) and whose received/rport
    name other hosts, alternately: a spoofer moving the mapping back and
    forth. They answer no request (guessed CSeq, unknown Call-ID and
    branch): must NOT be taken."""
    host = "[%s]" % dst[0] if ":" in dst[0] else dst[0]
    out = []
    for i in range(20):
        decoy = (DECOY_SIP, DECOY_SIP_2)[i % 2]
        out.append(sip_response(
            rng, sent_by="%s:%d" % (host, dst[1]),
            via_params=";rport=%d;received=%s" % (decoy[1], decoy[0]),
            cseq="%d %s" % (1 + i // 2, ("OPTIONS", "REGISTER")[i // 10])))
    return out


def cat_sip_huge(rng, maxlen):
    msg = sip_response(rng, extra="Content-Type: text/plain")
    body = b"B" * (maxlen - len(msg) - 20)
    msg = msg.replace(b"Content-Length: 0", b"Content-Length: %d" % len(body)) + body
    return [msg[:maxlen], sip_response(rng, extra="X-Pad: " + "p" * (maxlen - 400))[:maxlen]]


def cat_garbage(rng, maxlen):
    out = []
    for i in range(8):
        n = rng.choice([1, 2, 3, 19, 20, 21, 100, 512, 1472, 1473, 4000, 9000])
        data = rng.randbytes(n)
        if i % 4 == 1:
            data = b"SIP/2.0 " + data
        elif i % 4 == 2:
            data = b"\x01\x01" + data[:2] + struct.pack("!I", MAGIC) + data[4:]
        elif i % 4 == 3:
            data = rng.randbytes(min(maxlen, rng.randrange(1, maxlen)))
        out.append(data)
    return out


def sip_request(rng, dst, method="OPTIONS", via=None, extra="", body=""):
    """A request to a user at dst, from a stranger (10.9.9.9), Via as given."""
    host = "[%s]" % dst[0] if ":" in dst[0] else dst[0]
    via = via if via is not None else \
        "Via: SIP/2.0/UDP 10.9.9.9:5060;branch=z9hG4bK%s;rport" % rng.randbytes(6).hex()
    lines = ["%s sip:alice@%s:%d SIP/2.0" % (method, host, dst[1])]
    if via:
        lines.append(via)
    lines += [
        "Max-Forwards: 70",
        "From: <sip:mallory@10.9.9.9>;tag=%s" % rng.randbytes(4).hex(),
        "To: <sip:alice@%s>" % host,
        "Call-ID: %s@hostile" % rng.randbytes(6).hex(),
        "CSeq: %d %s" % (rng.randrange(1, 2 ** 31), method),
        "Contact: <sip:mallory@10.9.9.9:5060>",
    ]
    if extra:
        lines.append(extra)
    if body:
        lines.append("Content-Type: application/sdp")
    lines += ["Content-Length: %d" % len(body), "", body]
    return "\r\n".join(lines).encode("latin-1")


SDP = ("v=0\r\no=- 1 1 IN IP4 10.9.9.9\r\ns=-\r\nc=IN IP4 10.9.9.9\r\nt=0 0\r\n"
       "m=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n")


def cat_sip_req_stranger(rng, dst):
    """Well-formed requests from a host that is none of the account's
    servers: OPTIONS, INVITE with SDP, MESSAGE, SUBSCRIBE, REGISTER, BYE."""
    return [sip_request(rng, dst, "OPTIONS"),
            sip_request(rng, dst, "INVITE", body=SDP),
            sip_request(rng, dst, "MESSAGE", extra="Content-Type: text/plain"),
            sip_request(rng, dst, "SUBSCRIBE", extra="Event: presence"),
            sip_request(rng, dst, "REGISTER", extra="Expires: 3600"),
            sip_request(rng, dst, "BYE", extra="")]


def cat_sip_req_bad_via(rng, dst):
    """Requests whose Via is missing, aimed elsewhere (maddr, a third
    party's sent-by), or malformed."""
    b = "z9hG4bK" + rng.randbytes(6).hex()
    vias = ["",
            "Via: SIP/2.0/UDP 10.9.9.9:5060;branch=%s;maddr=10.8.8.8" % b,
            "Via: SIP/2.0/UDP 10.8.8.8:9;branch=%s" % b,
            "Via: SIP/2.0/UDP 999.1.1.1:5060;branch=%s" % b,
            "Via: SIP/2.0/UDP 10.9.9.9:99999;branch=%s;rport=abc" % b,
            "Via: SIP/2.0/TLS 10.9.9.9;branch=%s" % b,
            "Via: SIP/2.0/UDP 10.9.9.9;branch=z9hG4bK" + "b" * 4000,
            "Via: garbage",
            "Via: SIP/2.0/UDP",
            "Via: SIP/2.0/UDP [::1;branch=%s" % b]
    return [sip_request(rng, dst, rng.choice(["OPTIONS", "INVITE", "NOTIFY"]), via=v)
            for v in vias]


def cat_sip_req_truncated(rng, dst):
    """An INVITE with SDP cut short at random points."""
    whole = sip_request(rng, dst, "INVITE", body=SDP)
    return [whole[:rng.randrange(1, len(whole))] for _ in range(8)]


def cat_sip_req_huge(rng, dst, maxlen):
    """64 KiB requests: a long header, a long body."""
    head = sip_request(rng, dst, "OPTIONS", extra="X-Pad: " + "p" * (maxlen - 600))
    body = "b" * (maxlen - 700)
    return [head[:maxlen], sip_request(rng, dst, "MESSAGE", body=body)[:maxlen]]


def cat_zero_length(rng):
    return [b""]


CATEGORIES = [
    ("stun-lying-length", "STUN Binding successes whose header length lies", cat_stun_lying_length),
    ("stun-attr-overrun", "STUN attributes that overrun the message", cat_stun_attr_overrun),
    ("stun-xma-bad", "XOR-MAPPED-ADDRESS with family 0/3/255, length 0, bad sizes; error/indication classes", cat_stun_xma_bad),
    ("stun-wrong-tid", "valid Binding success, decoy mapping, random transaction id", cat_stun_wrong_tid),
    ("stun-huge", "64 KiB STUN datagrams", cat_stun_huge),
    ("sip-many-via", "SIP responses with 10 000 Via headers/values", cat_sip_many_via),
    ("sip-long-line", "SIP responses with a 60 KiB header line", cat_sip_long_line),
    ("sip-nul", "SIP responses with NUL bytes", cat_sip_nul),
    ("sip-bad-rport", "rport=99999, 65536, 0, -1, empty, text, ...", cat_sip_bad_rport),
    ("sip-bad-received", "received=999.1.1.1, empty, IPv6, ...", cat_sip_bad_received),
    ("sip-bad-status", "status SIP/2.0 99999, abc, 2000, ...", cat_sip_bad_status),
    ("sip-no-crlf", "bare LF/CR line ends, no blank line, no line end", cat_sip_no_crlf),
    ("sip-only-version", '"SIP/2.0" and other stubs', cat_sip_only_version),
    ("sip-cseq-huge", "CSeq 2^40, 2^32, -1, no method, ...", cat_sip_cseq_huge),
    ("sip-unmatched", "valid 200 OK, decoy received/rport, unknown branch/CSeq", cat_sip_unmatched),
    ("sip-spoofed-mapping", "200 OKs to the destination whose Via names it, received/rport other hosts "
                            "by turns, answering nothing sent", cat_sip_spoofed_mapping),
    ("sip-huge", "64 KiB SIP datagrams", cat_sip_huge),
    ("sip-req-stranger", "well-formed requests from a host that is no server", cat_sip_req_stranger),
    ("sip-req-bad-via", "requests without Via, with maddr, a third party's or a malformed one",
                        cat_sip_req_bad_via),
    ("sip-req-truncated", "an INVITE cut short", cat_sip_req_truncated),
    ("sip-req-huge", "64 KiB requests", cat_sip_req_huge),
    ("garbage", "random bytes, some with SIP/STUN prefixes", cat_garbage),
    ("zero-length", "UDP datagrams with no payload", cat_zero_length),
    ("fragments", "hand-made IPv4 fragments: complete (in order, reversed, 8-byte), "
                  "first only, last only, overlapping", None),
]
NEEDS_MAXLEN = {"stun-huge", "sip-many-via", "sip-long-line", "sip-huge", "garbage"}
NEEDS_DST = {"sip-spoofed-mapping", "sip-req-stranger", "sip-req-bad-via", "sip-req-truncated"}


# ---------------------------------------------------------------- sending

def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def udp_packet(src, dst, payload):
    """UDP header + payload with a correct checksum (IPv4)."""
    length = 8 + len(payload)
    pseudo = (socket.inet_aton(src[0]) + socket.inet_aton(dst[0])
              + struct.pack("!BBH", 0, 17, length))
    hdr = struct.pack("!HHHH", src[1], dst[1], length, 0)
    csum = checksum(pseudo + hdr + payload) or 0xFFFF
    return struct.pack("!HHHH", src[1], dst[1], length, csum) + payload


def ip_fragment(src, dst, ident, offset, more, data):
    flags = (0x2000 if more else 0) | (offset // 8)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(data), ident, flags,
                      64, 17, 0, socket.inet_aton(src), socket.inet_aton(dst))
    return hdr + data


def split(udp, size):
    """[(offset, more, data)] with every fragment but the last a multiple of 8."""
    size -= size % 8
    out = []
    for off in range(0, len(udp), size):
        out.append((off, off + size < len(udp), udp[off:off + size]))
    return out


class Sender:
    def __init__(self, src, dst, mode, interval):
        self.src, self.dst, self.interval = src, dst, interval
        self.v6 = ":" in dst[0]
        self.udp = self.raw = None
        if mode in ("auto", "udp"):
            fam = socket.AF_INET6 if self.v6 else socket.AF_INET
            s = socket.socket(fam, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
            try:
                s.bind(src)
                self.udp = s
            except OSError as e:
                s.close()
                if mode == "udp" or e.errno != errno.EADDRINUSE:
                    raise
                print("hostile: %s:%d is in use, sending through a raw socket"
                      % src, file=sys.stderr)
        if self.udp is None or (not self.v6):
            try:
                self.raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
                self.raw.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
            except (OSError, PermissionError):
                if self.udp is None:
                    raise
        if self.udp is None and self.v6:
            raise SystemExit("hostile: raw mode is IPv4 only")
        self.ident = 0

    def pause(self, nbytes):
        if self.interval:
            time.sleep(self.interval * max(1, (nbytes + 1499) // 1500))

    def _retry(self, fn):
        for _ in range(200):
            try:
                return fn()
            except OSError as e:
                if e.errno in (errno.ENOBUFS, errno.EAGAIN):
                    time.sleep(0.01)
                    continue
                if e.errno == errno.ECONNREFUSED:
                    return None  # ICMP from an earlier datagram
                raise
        raise OSError(errno.ENOBUFS, "send buffer stayed full")

    def send_raw_ip(self, pkt):
        self._retry(lambda: self.raw.sendto(pkt, (self.dst[0], 0)))

    def next_ident(self, rng):
        self.ident = rng.randrange(1, 65536)
        return self.ident

    def send(self, payload, rng):
        if self.udp is not None:
            self._retry(lambda: self.udp.sendto(payload, self.dst))
        else:
            udp = udp_packet(self.src, self.dst, payload)
            ident = self.next_ident(rng)
            for off, more, data in split(udp, 1480):
                self.send_raw_ip(ip_fragment(self.src[0], self.dst[0], ident, off, more, data))
        self.pause(len(payload))

    def send_fragments(self, rng, kind, payload):
        """One hand-made fragment set; True when it must arrive."""
        udp = udp_packet(self.src, self.dst, payload)
        ident = self.next_ident(rng)
        if kind == "tiny":
            frags = split(udp, 8)
        else:
            frags = split(udp, 256)
        deliverable = True
        if kind == "reversed":
            frags = frags[::-1]
        elif kind == "first-only":
            frags = frags[:1]
            deliverable = False
        elif kind == "last-only":
            frags = frags[-1:]
            deliverable = False
        elif kind == "overlap":
            # The second fragment starts 8 bytes into the first one.
            off, more, data = frags[1]
            frags[1] = (off - 8, more, udp[off - 8:off] + data)
            deliverable = False
        for off, more, data in frags:
            self.send_raw_ip(ip_fragment(self.src[0], self.dst[0], ident, off, more, data))
        self.pause(len(udp))
        return deliverable


def parse_endpoint(text):
    if text.startswith("["):
        host, _, port = text[1:].partition("]:")
    else:
        host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise SystemExit("hostile: bad address %r (want ADDR:PORT or [ADDR]:PORT)" % text)
    return host, int(port)


def main():
    ap = argparse.ArgumentParser(usage=__doc__)
    ap.add_argument("src", nargs="?")
    ap.add_argument("dst", nargs="?")
    ap.add_argument("-c", "--categories", default="all")
    ap.add_argument("-n", "--count", type=int, default=20)
    ap.add_argument("-s", "--seed", type=int, default=1)
    ap.add_argument("-i", "--interval", type=float, default=0.002)
    ap.add_argument("-l", "--log", default=None)
    ap.add_argument("--mode", choices=("auto", "udp", "raw"), default="auto")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()

    if args.list:
        for name, text, _ in CATEGORIES:
            print("%-18s %s" % (name, text))
        return 0
    if not args.src or not args.dst:
        ap.error("SRC_ADDR:SRC_PORT and DST_ADDR:DST_PORT are needed")
    src, dst = parse_endpoint(args.src), parse_endpoint(args.dst)
    names = [c[0] for c in CATEGORIES]
    chosen = names if args.categories == "all" else args.categories.split(",")
    for c in chosen:
        if c not in names:
            raise SystemExit("hostile: unknown category %r (see --list)" % c)

    v6 = ":" in dst[0]
    maxlen = MAX_UDP6 if v6 else MAX_UDP4
    sender = Sender(src, dst, args.mode, args.interval)
    log = open(args.log, "w") if args.log else None
    total = deliverable = 0
    counts = {}
    for name, _, gen in CATEGORIES:
        if name not in chosen:
            continue
        # One generator per category, seeded from the seed and the name:
        # choosing other categories does not change this one's bytes.
        rng = random.Random("%d/%s" % (args.seed, name))
        sent = 0
        if name == "fragments":
            if v6 or sender.raw is None:
                print("hostile: fragments skipped (IPv4 and a raw socket only)")
                counts[name] = 0
                continue
            kinds = ["in-order", "reversed", "tiny", "first-only", "last-only", "overlap"]
            for i in range(args.count):
                kind = kinds[i % len(kinds)]
                payload = cat_sip_unmatched(rng)[0] if i % 2 else \
                    cat_stun_wrong_tid(rng)[0] + stun_attr(0x8022, rng.randbytes(600))
                if sender.send_fragments(rng, kind, payload):
                    deliverable += 1
                    if log:
                        log.write("%s %s\n" % (name, payload.hex() or "-"))
                sent += 1
        else:
            pool = []
            for i in range(args.count):
                if not pool:
                    if name == "sip-req-huge":
                        pool = gen(rng, dst, maxlen)
                    elif name in NEEDS_MAXLEN:
                        pool = gen(rng, maxlen)
                    elif name in NEEDS_DST:
                        pool = gen(rng, dst)
                    else:
                        pool = gen(rng)
                    pool = [p[:maxlen] for p in pool][::-1]
                payload = pool.pop()
                sender.send(payload, rng)
                deliverable += 1
                if log:
                    log.write("%s %s\n" % (name, payload.hex() or "-"))
                sent += 1
        counts[name] = sent
        total += sent
        print("hostile: %s %d" % (name, sent))
        sys.stdout.flush()
    if log:
        log.close()
    print("hostile: total %d deliverable %d" % (total, deliverable))
    print("hostile: decoy-mapping %s:%d" % DECOY_STUN)
    print("hostile: decoy-mapping %s:%d" % DECOY_SIP)
    print("hostile: decoy-mapping %s:%d" % DECOY_SIP_2)
    return 0


if __name__ == "__main__":
    sys.exit(main())

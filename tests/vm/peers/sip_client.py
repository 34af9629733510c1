#!/usr/bin/python3
"""A small SIP-over-UDP client for the VM scenarios.

    sip_client.py [options] ADDR PORT

Sends one request (OPTIONS by default; NOTIFY, REGISTER, PING, any method)
to ADDR:PORT, retransmitting it like a UAC (RFC 3261 timer E: 0.5 s, 1 s,
2 s, ... until --timeout), and prints, for the final response:

    status: SIP/2.0 200 OK
    via: SIP/2.0/UDP 10.2.0.2:5060;branch=z9hG4bK...;received=10.3.0.1;rport=20000
    received: 10.3.0.1
    rport: 20000

(received/rport lines only when the top Via has them).  A REGISTER that gets
401/407 is retried once with digest credentials (-u/-p; MD5, qop=auth when
offered).  Exit status: 0 when a final response came (whatever its code;
check it with --expect CODE to get exit 1 on another code), 2 on timeout.

Options: -s SRC_PORT, -b SRC_ADDR, -m METHOD, -d DOMAIN (Request-URI and
To/From domain, default natkeep.test), -u USER, -p PASSWORD, -e EXPIRES,
-c CONTACT (default sip:USER@LOCAL_ADDR:LOCAL_PORT), -t TIMEOUT (s, default 8),
--no-rport (leave ;rport out of the Via), -v (print every message to stderr),
--expect CODE.
"""
import argparse
import hashlib
import os
import re
import socket
import sys
import time


def token():
    return os.urandom(6).hex()


def parse_response(data):
    """(status code, status line, headers as [(name, value)]) or None."""
    try:
        text = data.decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - decode with replace never fails
        return None
    head = text.split("\r\n\r\n", 1)[0]
    lines = head.split("\r\n")
    m = re.match(r"SIP/2\.0 (\d{3}) ", lines[0] + " ")
    if not m:
        return None
    headers = []
    for line in lines[1:]:
        if line[:1] in (" ", "\t") and headers:
            headers[-1] = (headers[-1][0], headers[-1][1] + " " + line.strip())
        elif ":" in line:
            name, value = line.split(":", 1)
            headers.append((name.strip().lower(), value.strip()))
    return int(m.group(1)), lines[0], headers


def header(headers, *names):
    for name, value in headers:
        if name in names:
            return value
    return None


def top_via(headers):
    value = header(headers, "via", "v")
    if value is None:
        return None
    return value.split(",", 1)[0].strip()


def digest_header(challenge, method, uri, user, password, nc=1):
    params = {k.lower(): a or b for k, a, b in
              re.findall(r'(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]*))', challenge)}
    realm, nonce = params.get("realm", ""), params.get("nonce", "")
    algorithm = params.get("algorithm", "MD5")
    if algorithm.upper() != "MD5":
        raise SystemExit("sip_client: digest algorithm %s not supported" % algorithm)

    def md5(s):
        return hashlib.md5(s.encode()).hexdigest()

    ha1 = md5("%s:%s:%s" % (user, realm, password))
    ha2 = md5("%s:%s" % (method, uri))
    fields = ['username="%s"' % user, 'realm="%s"' % realm,
              'nonce="%s"' % nonce, 'uri="%s"' % uri, "algorithm=MD5"]
    qops = [q.strip() for q in params.get("qop", "").split(",") if q.strip()]
    if "auth" in qops:
        cnonce = token()
        ncs = "%08x" % nc
        resp = md5("%s:%s:%s:%s:auth:%s" % (ha1, nonce, ncs, cnonce, ha2))
        fields += ["qop=auth", "nc=%s" % ncs, 'cnonce="%s"' % cnonce]
    else:
        resp = md5("%s:%s:%s" % (ha1, nonce, ha2))
    fields.append('response="%s"' % resp)
    if "opaque" in params:
        fields.append('opaque="%s"' % params["opaque"])
    return "Digest " + ", ".join(fields)


class Client:
    def __init__(self, args):
        self.args = args
        v6 = ":" in args.addr
        self.sock = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET,
                                  socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((args.bind or ("::" if v6 else "0.0.0.0"), args.sport))
        self.sock.connect((args.addr, args.port))
        local = self.sock.getsockname()
        self.laddr, self.lport = local[0], local[1]
        self.host = "[%s]" % self.laddr if v6 else self.laddr
        self.call_id = token() + "@natkeep-test"
        self.from_tag = token()
        self.cseq = 1

    def build(self, method, extra=()):
        a = self.args
        user = a.user or "natkeep"
        if method == "REGISTER":
            uri = "sip:%s" % a.domain
            to = "<sip:%s@%s>" % (user, a.domain)
        else:
            uri = "sip:%s" % a.domain if a.user is None else "sip:%s@%s" % (user, a.domain)
            to = "<%s>" % uri
        branch = "z9hG4bK" + token()
        via = "SIP/2.0/UDP %s:%d;branch=%s%s" % (
            self.host, self.lport, branch, "" if a.no_rport else ";rport")
        lines = [
            "%s %s SIP/2.0" % (method, uri),
            "Via: " + via,
            "Max-Forwards: 70",
            "From: <sip:%s@%s>;tag=%s" % (user, a.domain, self.from_tag),
            "To: " + to,
            "Call-ID: " + self.call_id,
            "CSeq: %d %s" % (self.cseq, method),
            "Contact: <%s>" % (a.contact or "sip:%s@%s:%d" % (user, self.host, self.lport)),
            "User-Agent: natkeep-test-sip-client",
        ]
        if method == "REGISTER":
            lines.append("Expires: %d" % a.expires)
        if method == "NOTIFY":
            lines += ["Event: keep-alive", "Subscription-State: active"]
        lines += list(extra)
        lines += ["Content-Length: 0", "", ""]
        return uri, branch, "\r\n".join(lines).encode()

    def transaction(self, method, extra=()):
        """Send, retransmit, return (code, status line, headers) or None."""
        uri, branch, msg = self.build(method, extra)
        if self.args.verbose:
            sys.stderr.write(">>> %s\n" % msg.decode())
        deadline = time.monotonic() + self.args.timeout
        interval = 0.5
        next_send = time.monotonic()
        while True:
            now = time.monotonic()
            if now >= deadline:
                return uri, None
            if now >= next_send:
                try:
                    self.sock.send(msg)
                except ConnectionRefusedError:
                    pass  # ICMP port unreachable from an earlier send
                next_send = now + interval
                interval = min(interval * 2, 4.0)
            self.sock.settimeout(max(0.01, min(next_send, deadline) - time.monotonic()))
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            except ConnectionRefusedError:
                continue
            if self.args.verbose:
                sys.stderr.write("<<< %s\n" % data.decode("utf-8", "replace"))
            resp = parse_response(data)
            if resp is None:
                continue
            code, _, headers = resp
            via = top_via(headers) or ""
            if "branch=%s" % branch not in via:
                continue  # not ours (or a stray retransmission)
            if code < 200:
                continue
            return uri, resp

    def run(self):
        a = self.args
        method = a.method.upper()
        uri, resp = self.transaction(method)
        if resp and method == "REGISTER" and resp[0] in (401, 407) and a.user:
            name = "www-authenticate" if resp[0] == 401 else "proxy-authenticate"
            hname = "Authorization" if resp[0] == 401 else "Proxy-Authorization"
            challenge = header(resp[2], name)
            if challenge:
                self.cseq += 1
                auth = digest_header(challenge, method, uri, a.user, a.password or "")
                uri, resp = self.transaction(method, ["%s: %s" % (hname, auth)])
        if resp is None:
            print("status: timeout")
            return 2
        code, status, headers = resp
        via = top_via(headers) or ""
        print("status: " + status)
        print("via: " + via)
        for param in ("received", "rport"):
            m = re.search(r";\s*%s=([^;,\s]+)" % param, via)
            if m:
                print("%s: %s" % (param, m.group(1)))
        for name in ("contact", "www-authenticate", "retry-after", "min-expires"):
            value = header(headers, name, "m" if name == "contact" else name)
            if value:
                print("%s: %s" % (name, value))
        if a.expect is not None and code != a.expect:
            return 1
        return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("addr")
    ap.add_argument("port", type=int)
    ap.add_argument("-s", "--sport", type=int, default=0)
    ap.add_argument("-b", "--bind", default=None)
    ap.add_argument("-m", "--method", default="OPTIONS")
    ap.add_argument("-d", "--domain", default="natkeep.test")
    ap.add_argument("-u", "--user", default=None)
    ap.add_argument("-p", "--password", default=None)
    ap.add_argument("-e", "--expires", type=int, default=300)
    ap.add_argument("-c", "--contact", default=None)
    ap.add_argument("-t", "--timeout", type=float, default=8.0)
    ap.add_argument("--no-rport", action="store_true")
    ap.add_argument("--expect", type=int, default=None)
    ap.add_argument("-v", "--verbose", action="store_true")
    return Client(ap.parse_args()).run()


if __name__ == "__main__":
    sys.exit(main())

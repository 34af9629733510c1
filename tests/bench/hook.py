#!/usr/bin/env python3
"""make bench, part 3: what natkeep's netfilter hooks cost other traffic.

A UDP flood (udpflood, one sender thread) from namespace nkb-hs to a
socket on a port that is no flow's, in nkb-hr0 or nkb-hr1, over veth.
Conditions, each pair measured in alternating trials so that both see the
same machine:
  - module not loaded vs loaded without flows (insmod/rmmod between trials);
  - with N flows (100 000) in nkb-hr1 vs none in nkb-hr0 (module loaded);
  - the parse: SIP responses from a flow's peer to the flow's port (each one
    parsed and matched against the request in flight) vs the same datagrams
    to a port that is no flow's.
Figure: packets per second received; cost = 1 - rate / baseline rate. The
N flows send too (5000 packets/s at 100 000): both sides of that pair run
while they do.
"""
import os
import statistics
import subprocess
import time

from benchlib import NATKEEP_KO, NATKEEPCTL, TOP, Cleanup, in_ns, sh

UDPFLOOD = os.path.join(TOP, "tests", "bench", "udpflood")
SND = "nkb-hs"
RCV = ("nkb-hr0", "nkb-hr1")
TMP = "/tmp/nkbench-hook"
SIP_200 = ("SIP/2.0 200 OK\r\n"
           "Via: SIP/2.0/UDP 10.40.1.2:5060;branch=z9hG4bKbench;rport=5060;"
           "received=10.40.1.2\r\n"
           "From: <sip:bench@10.40.1.1>;tag=1\r\n"
           "To: <sip:bench@10.40.1.1>;tag=2\r\n"
           "Call-ID: bench@10.40.1.2\r\n"
           "CSeq: 1 OPTIONS\r\n"
           "Content-Length: 0\r\n\r\n")


def topology(c):
    c.netns(SND)
    for i, ns in enumerate(RCV):
        c.netns(ns)
        c.veth(SND, "s%d" % i, "10.40.%d.1/24" % i, ns, "r%d" % i,
               "10.40.%d.2/24" % i)
    # Flows in nkb-hr1 send to a dummy device, which drops them.
    sh("ip", "-n", RCV[1], "link", "add", "d0", "type", "dummy")
    sh("ip", "-n", RCV[1], "addr", "add", "10.41.0.1/24", "dev", "d0")
    sh("ip", "-n", RCV[1], "link", "set", "d0", "up")


def trial(i, port, seconds, payload=None, sport=7000):
    """Datagrams per second that reach a socket on PORT in RCV[i]."""
    dst = "10.40.%d.2:%d" % (i, port)
    recv = subprocess.Popen(in_ns(RCV[i], UDPFLOOD, "recv", dst, str(seconds)),
                            stdout=subprocess.PIPE, text=True)
    time.sleep(0.3)
    send = ["send", "10.40.%d.1:%d" % (i, sport), dst, str(seconds + 1.0)]
    if payload:
        send.append(payload)
    sh(*in_ns(SND, UDPFLOOD, *send))
    out, _ = recv.communicate(timeout=30)
    return float(out.split("rate")[1])


def cost(rates, base):
    if not rates or not base or not statistics.median(base):
        return None
    return 1.0 - statistics.median(rates) / statistics.median(base)


def create_flows(ns, n):
    """N keep-alive flows in NS: 50 000 local ports, then more remote ports."""
    os.makedirs(TMP, exist_ok=True)
    path = TMP + "/add"
    with open(path, "w") as f:
        for i in range(n):
            f.write("flow add local 10.41.0.1:%d remote 10.41.0.2:%d "
                    "interval 20s type keep-alive random\n" %
                    (10000 + i % 50000, 5060 + i // 50000))
    sh(*in_ns(ns, NATKEEPCTL, "-b", path))


def run(args):
    res = {"trial_s": args.seconds, "trials": args.trials, "flows": args.flows}
    with Cleanup() as c:
        topology(c)
        c.call(lambda: sh("rmmod", "natkeep", check=False))
        unloaded, loaded = [], []
        for t in range(args.trials):
            for load in ((False, True) if t % 2 == 0 else (True, False)):
                if load:
                    sh("insmod", NATKEEP_KO)
                (loaded if load else unloaded).append(trial(0, 9999, args.seconds))
                if load:
                    sh("rmmod", "natkeep")
        res["not_loaded_pps"] = unloaded
        res["loaded_no_flows_pps"] = loaded
        res["loaded_no_flows_cost"] = cost(loaded, unloaded)

        sh("insmod", NATKEEP_KO, "max_flows=%d" % (args.flows + 16))
        create_flows(RCV[1], args.flows)
        time.sleep(args.settle)
        without, with_flows = [], []
        # A-B, B-A, ...: a drift in the machine's speed favours neither.
        for t in range(args.trials):
            for i in ((0, 1) if t % 2 == 0 else (1, 0)):
                rate = trial(i, 9999, args.seconds)
                (with_flows if i else without).append(rate)
        res["no_flows_pps"] = without
        res["with_flows_pps"] = with_flows
        res["with_flows_cost"] = cost(with_flows, without)

        # The parse: a SIP flow from 10.40.1.2:5060 to the flood's source.
        sh(*in_ns(RCV[1], NATKEEPCTL, "flow", "add", "local", "10.40.1.2:5060",
                  "remote", "10.40.1.1:5060", "interval", "20s", "type",
                  "options", "from-user", "bench"))
        payload = TMP + "/sip200"
        with open(payload, "w") as f:
            f.write(SIP_200)
        other, parsed = [], []
        for t in range(args.trials):
            for port in ((9999, 5060) if t % 2 == 0 else (5060, 9999)):
                rate = trial(1, port, args.seconds, payload, sport=5060)
                (parsed if port == 5060 else other).append(rate)
        res["sip_to_other_port_pps"] = other
        res["sip_to_flow_port_pps"] = parsed
        res["parse_cost"] = cost(parsed, other)
    return res

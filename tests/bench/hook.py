#!/usr/bin/env python3
"""make bench, part 3: what natkeep's netfilter hooks cost other traffic.

A UDP flood (udpflood, one sender thread) from namespace nkb-hs to a
socket on a port that is no flow's, in nkb-hr0 or nkb-hr1, over veth.
  - module not loaded vs loaded without flows: trials with insmod/rmmod
    between them, A-B, B-A, ...; cost per pair of trials, median over the
    pairs. (A namespace registers the hooks with its first flow: without
    flows the packet path is the kernel's own.)
  - with no flows in either (the method's own bias: the same code), with
    one flow in nkb-hr1 (the hooks registered, the port filter's
    test the only work for the flood), then with N flows (100 000) more,
    vs none in nkb-hr0 (module loaded),
    and the parse: SIP responses from a flow's peer to the flow's port
    (each one parsed and matched against the request in flight) vs the same
    datagrams to a port that is no flow's. One flood alternates between the
    two destinations in slices (50 ms; A B B A ...): a send to a local
    socket is received on the sender's CPU before send() returns, so a
    slice's rate is the whole path's, and the machine's speed, which drifts
    by tens of percent between minutes here, is the same for neighbouring
    slices. Cost per pair of slices, median over the pairs, with a 95 %
    confidence interval of the median.
Cost = 1 - rate / baseline rate. The N flows send too (5000 packets/s at
100 000): both sides of that pair run while they do.

One boot's figure moves by 2-3 points from boot to boot (the same module
measured twice gave 2.3 % and -2.7 %), more than its own interval allows:
make bench runs this part in several boots and pool() judges them
together, with an interval that counts the boots' scatter. The null pair
shows why: the two destinations' paths, the same code, read -0.6..6.4 %
apart by boot (2026-12-03), each boot's interval tight.
"""
import math
import os
import random
import statistics
import subprocess
import time

from benchlib import (NATKEEP_KO, NATKEEPCTL, TOP, Cleanup, in_ns,
                      module_cpu_by_cpu, sh)

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


def pinned(cpu, argv):
    argv = list(argv)
    return ["taskset", "-c", str(cpu)] + argv if os.cpu_count() > 1 else argv


def alternating(dsts, args, payload=None, sport=7000):
    """Packets/s of each slice to DSTS[0] (A) and to DSTS[1] (B), from one
    flood that alternates between them; the lists pair up by index."""
    recvs = [subprocess.Popen(pinned(1, in_ns(ns, UDPFLOOD, "recv", dst,
                                              str(args.alt_s + 1))),
                              stdout=subprocess.PIPE, text=True)
             for ns, dst in dsts]
    time.sleep(0.3)
    send = ["alt", "0.0.0.0:%d" % sport, str(args.slice_ms), str(args.alt_s),
            dsts[0][1], dsts[1][1]]
    if payload:
        send.append(payload)
    out = sh(*pinned(0, in_ns(SND, UDPFLOOD, *send)))
    for r in recvs:
        r.communicate(timeout=30)
    rates = ([], [])
    for line in out.splitlines():
        f = line.split()
        # slice K dest D sent N failed N seconds S
        rates[int(f[3])].append(int(f[5]) / float(f[9]))
    n = min(len(rates[0]), len(rates[1]))
    return rates[0][:n], rates[1][:n]


# The flood's two destinations: no flows in nkb-hr0, natkeep's in nkb-hr1.
NS_PAIR = ((RCV[0], "10.40.0.2:9999"), (RCV[1], "10.40.1.2:9999"))


def compare(res, name, keys, dsts, args, payload=None, sport=7000):
    """One alternating() flood between DSTS, its rates under KEYS (baseline,
    measured) and its cost as NAME (record())."""
    base, rates = alternating(dsts, args, payload, sport)
    res[keys[0]], res[keys[1]] = base, rates
    record(res, name, rates, base)


def pair_costs(rates, base):
    """1 - rate / baseline for each pair (the same index)."""
    return [1.0 - r / b for r, b in zip(rates, base) if b]


def median_ci(values):
    """A 95 % confidence interval of the median (order statistics)."""
    v = sorted(values)
    n = len(v)
    if n < 6:
        return None
    half = 1.96 * math.sqrt(n) / 2
    return [v[max(0, int(n / 2 - half))], v[min(n - 1, int(math.ceil(n / 2 + half)))]]


def record(res, name, rates, base):
    """The pairs' costs, their median as NAME_cost and its interval."""
    costs = pair_costs(rates, base)
    res[name + "_pair_costs"] = costs
    res[name + "_cost"] = statistics.median(costs) if costs else None
    res[name + "_cost_ci"] = median_ci(costs)


COSTS = ("loaded_no_flows", "null", "one_flow", "with_flows", "parse")
RATES = ("not_loaded_pps", "loaded_no_flows_pps", "null_base_pps",
         "null_pps", "one_flow_base_pps",
         "one_flow_pps", "no_flows_pps", "with_flows_pps",
         "sip_to_other_port_pps", "sip_to_flow_port_pps")


def boots_ci(boots, resamples=4000, seed=1):
    """A 95 % interval of the median of pooled pairs, BOOTS a list of each
    boot's pair costs: a two-level bootstrap (boots drawn with replacement,
    then each drawn boot's pairs), so that boots that disagree widen it."""
    boots = [b for b in boots if b]
    if not boots:
        return None
    rng = random.Random(seed)
    medians = []
    for _ in range(resamples):
        drawn = []
        for _ in boots:
            b = rng.choice(boots)
            drawn.extend(rng.choices(b, k=len(b)))
        medians.append(statistics.median(drawn))
    medians.sort()
    return [medians[int(0.025 * resamples)],
            medians[min(resamples - 1, int(0.975 * resamples))]]


def pool(parts):
    """The hook part of several boots as one: pairs and rates pooled, each
    cost the median of the pooled pairs with boots_ci()'s interval (one
    boot: its own median_ci()), and each boot's own figures under "boots"."""
    out = dict(parts[0])
    out["boots"] = [dict({c + k: p.get(c + k) for c in COSTS
                          for k in ("_cost", "_cost_ci")},
                         with_flows_timer_cpu=p.get("with_flows_timer_cpu"))
                    for p in parts]
    for k in RATES:
        out[k] = [r for p in parts for r in p[k]]
    for c in COSTS:
        per_boot = [p[c + "_pair_costs"] for p in parts]
        pooled = [x for b in per_boot for x in b]
        out[c + "_pair_costs"] = pooled
        out[c + "_cost"] = statistics.median(pooled) if pooled else None
        out[c + "_cost_ci"] = (boots_ci(per_boot) if len(parts) > 1
                               else median_ci(pooled))
    return out


def create_flows(ns, n):
    """N keep-alive flows in NS: 50 000 local ports, then more remote ports;
    the same number created from each CPU, so each CPU's queue holds the
    same share in every boot (a flow's timer stays on the CPU it was
    created on)."""
    os.makedirs(TMP, exist_ok=True)
    cpus = os.cpu_count()
    for cpu in range(cpus):
        path = "%s/add%d" % (TMP, cpu)
        with open(path, "w") as f:
            for i in range(cpu, n, cpus):
                f.write("flow add local 10.41.0.1:%d remote 10.41.0.2:%d "
                        "interval 20s type keep-alive random\n" %
                        (10000 + i % 50000, 5060 + i // 50000))
        sh(*pinned(cpu, in_ns(ns, NATKEEPCTL, "-b", path)))


def timer_cpu_delta(before):
    """Per CPU, [ns, runs] of natkeep's timer runs since BEFORE."""
    after = module_cpu_by_cpu()
    return {str(c): [v[0] - before.get(c, [0, 0])[0],
                     v[1] - before.get(c, [0, 0])[1]]
            for c, v in sorted(after.items())}


def run(args):
    res = {"trial_s": args.seconds, "trials": args.trials, "flows": args.flows,
           "slice_ms": args.slice_ms, "alt_s": args.alt_s}
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
        record(res, "loaded_no_flows", loaded, unloaded)

        sh("insmod", NATKEEP_KO, "max_flows=%d" % (args.flows + 16))
        # No flows anywhere: the two destinations' paths are the same code,
        # so whatever this reads is the method's own bias.
        compare(res, "null", ("null_base_pps", "null_pps"), NS_PAIR, args)
        # One flow: natkeep's hooks in the receiver's namespace, the port
        # filter's test and nothing else on this flood's path.
        sh(*in_ns(RCV[1], NATKEEPCTL, "flow", "add", "local", "10.41.0.1:9000",
                  "remote", "10.41.0.2:5060", "interval", "20s", "type",
                  "keep-alive"))
        time.sleep(args.settle)
        compare(res, "one_flow", ("one_flow_base_pps", "one_flow_pps"),
                NS_PAIR, args)

        create_flows(RCV[1], args.flows)
        time.sleep(args.settle)
        before = module_cpu_by_cpu()
        compare(res, "with_flows", ("no_flows_pps", "with_flows_pps"), NS_PAIR,
                args)
        # Where the flows' sends ran meanwhile (the flood is on CPU 0).
        res["with_flows_timer_cpu"] = timer_cpu_delta(before)

        # The parse: a SIP flow from 10.40.1.2:5060 to the flood's source.
        sh(*in_ns(RCV[1], NATKEEPCTL, "flow", "add", "local", "10.40.1.2:5060",
                  "remote", "10.40.1.1:5060", "interval", "20s", "type",
                  "options", "from-user", "bench"))
        payload = TMP + "/sip200"
        with open(payload, "w") as f:
            f.write(SIP_200)
        compare(res, "parse", ("sip_to_other_port_pps", "sip_to_flow_port_pps"),
                ((RCV[1], "10.40.1.2:9999"), (RCV[1], "10.40.1.2:5060")), args,
                payload, sport=5060)
    return res

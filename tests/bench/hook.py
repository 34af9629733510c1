#!/usr/bin/env python3
"""make bench, part 3: what natkeep's netfilter hooks cost other traffic.

A UDP flood (udpflood alt, one sender thread on CPU 0) from namespace
nkb-hs alternates in slices (50 ms; A B B A ...) between a socket on a
port that is no flow's in nkb-hr0 (A) and one in nkb-hr1 (B), over veth.
A send to a local socket is received on the sender's CPU before send()
returns, so a slice's rate is the whole path's, and neighbouring slices
see the same machine, whose speed drifts by tens of percent between
minutes here. Per pair of neighbouring slices, q = B's rate / A's.

q also holds the two paths' own difference: two namespaces and two veth
pairs, the same code, read up to 6 points apart in a boot and not stable
within it (2026-12-03), more than the 2 % target. So B is compared with
itself (a crossover): periods of one flood each in which natkeep is in
one of five states, in the order N F L O W W O L F N (a palindrome, so
that a steady drift cancels):
  N  module not loaded
  F  not loaded, an empty nftables input chain in nkb-hr1 instead: what
     any netfilter hook there costs (a reference, not natkeep's)
  L  loaded, no flows: without flows a namespace has no natkeep hook, the
     path is the kernel's own (the method's null)
  O  one flow in nkb-hr1: its hooks, the port filter's test the flood's
     only extra work
  W  that flow and FLOWS (100 000) more in nkb-hr1, sending meanwhile
Cost of X = 1 - median q in X's periods / median q in N's. The receiving
sockets live through every period: between periods only the module's
state changes (the flood stopped). None of those changes patches kernel
text, netfilter's static keys being held on (hold_netfilter_keys()).

Time under TCG still drifts by points between minutes, so qemu counts
the guest's instructions too, when run.sh loads tests/bench/tcg/insn_marks.so
(udpflood executes a marker at each slice boundary): attach_insns() reads
each slice's count on the flood's CPU, and boot_costs() fits per period
count = path(A or B) x datagrams + background x seconds; B's path minus
A's in X minus the same in N is what natkeep adds to a datagram, counted
rather than timed.

The parse: SIP responses from a flow's peer to the flow's port vs the same
datagrams to a port that is no flow's, both in nkb-hr1, one alternating
flood: cost per pair of slices, median over the pairs.

One boot's figures move from boot to boot by more than one boot's
interval: make bench runs this part in several boots and pool() judges
them together.
"""
import math
import os
import random
import statistics
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


def pinned(cpu, argv):
    argv = list(argv)
    return ["taskset", "-c", str(cpu)] + argv if os.cpu_count() > 1 else argv


def receiver(c, ns, dst):
    """A socket on DST in NS, drained until C closes."""
    c.spawn(*pinned(1, in_ns(ns, UDPFLOOD, "recv", dst, "86400")))


def flood(a, b, seconds, slice_ms, payload=None, sport=7000):
    """One flood alternating between A and B (ADDR:PORT, both received in
    their namespaces) for SECONDS: each slice's [destination, datagrams
    sent, seconds], in order (as udpflood's markers delimit them)."""
    send = ["alt", "0.0.0.0:%d" % sport, str(slice_ms), str(seconds), a, b]
    if payload:
        send.append(payload)
    out = sh(*pinned(0, in_ns(SND, UDPFLOOD, *send)))
    slices = []
    for line in out.splitlines():
        f = line.split()
        # slice K dest D sent N failed N seconds S
        slices.append([int(f[3]), int(f[5]), float(f[9])])
    return slices


def paired(slices, values):
    """VALUES (one per slice) of the slices to A and of those to B, both
    lists cut to the same length: A's k-th and B's k-th are neighbours."""
    sides = ([], [])
    for (dest, _, _), v in zip(slices, values):
        sides[dest].append(v)
    n = min(len(sides[0]), len(sides[1]))
    return sides[0][:n], sides[1][:n]


def slice_rates(slices):
    return paired(slices, [sent / secs for _, sent, secs in slices])


def period(state, slices):
    """A period as the results keep it: its state and its slices (the
    rates are derived from them: rate_pairs())."""
    return {"state": state, "slices": slices}


DST_A, DST_B = "10.40.0.2:9999", "10.40.1.2:9999"
# The states in the order of the periods, and what each one's cost is.
ORDER = "NFLOWWOLFN"
STATE_COSTS = (("F", "nftables_chain"), ("L", "loaded_no_flows"),
               ("O", "one_flow"), ("W", "with_flows"))
COSTS = tuple(name for _, name in STATE_COSTS) + ("parse",)
RATES = ("sip_to_other_port_pps", "sip_to_flow_port_pps")


def rate_pairs(p):
    """(A's rate, B's rate) of each pair of neighbouring slices in period
    P; a resampled period carries its own."""
    if "pairs" in p:
        return p["pairs"]
    return list(zip(*slice_rates(p["slices"])))


def ratios(p):
    """q of each pair of slices in period P: B's rate / A's."""
    return [b / a for a, b in rate_pairs(p) if a]


def resampled(periods, rng):
    """PERIODS with each one's pairs, and its slices, drawn with
    replacement."""
    out = []
    for p in periods:
        pairs = p["pairs"]
        q = {"state": p["state"], "pairs": rng.choices(pairs, k=len(pairs))}
        if "slice_insns" in p:
            idx = rng.choices(range(len(p["slices"])), k=len(p["slices"]))
            q["slices"] = [p["slices"][i] for i in idx]
            q["slice_insns"] = [p["slice_insns"][i] for i in idx]
        out.append(q)
    return out


def solve3(rows, ys):
    """Least squares: x minimising |rows . x - ys| (3 unknowns), by the
    normal equations; None if they are singular."""
    m = [[sum(r[i] * r[j] for r in rows) for j in range(3)] for i in range(3)]
    v = [sum(r[i] * y for r, y in zip(rows, ys)) for i in range(3)]
    for i in range(3):
        if abs(m[i][i]) < 1e-9:
            return None
        for j in range(i + 1, 3):
            f = m[j][i] / m[i][i]
            m[j] = [mj - f * mi for mj, mi in zip(m[j], m[i])]
            v[j] -= f * v[i]
    x = [0.0] * 3
    for i in (2, 1, 0):
        x[i] = (v[i] - sum(m[i][c] * x[c] for c in range(i + 1, 3))) / m[i][i]
    return x


def insn_paths(slices, insns):
    """Instructions per datagram on A's path and on B's, from each slice's
    count on the flood's CPU: count = path(dest) x datagrams + background x
    seconds (timer ticks, the flows' sends: the same per second for both,
    not per datagram), fitted over the slices."""
    x = solve3([[sent * (dest == 0), sent * (dest == 1), secs]
                for dest, sent, secs in slices], insns)
    return None if x is None else (x[0], x[1])


def summary(p):
    """What the figures read of period P: its q's and, if its instructions
    were counted, insn_paths()."""
    counted = "slice_insns" in p
    return {"state": p["state"], "q": ratios(p), "counted": counted,
            "fit": (insn_paths(p["slices"], p["slice_insns"])
                    if counted else None)}


def boot_costs(periods):
    """One boot's figures of each state X against N: NAME_cost = 1 - median
    q in X / median q in N (by time); if its instructions were counted,
    NAME_insn_extra = B's path minus A's in X, minus the same in N (what
    natkeep adds to a datagram to B, in instructions), and NAME_insn_cost =
    that as a share of B's path in N."""
    sums = [summary(p) for p in periods]
    counted = all(s["counted"] for s in sums)

    def q(state):
        return [x for s in sums if s["state"] == state for x in s["q"]]

    def fits(state):
        return [s["fit"] for s in sums if s["state"] == state and s["fit"]]
    out, qn, fn = {}, q("N"), fits("N")
    for state, name in STATE_COSTS:
        qx, fx = q(state), fits(state)
        if qx and qn:
            out[name + "_cost"] = 1.0 - statistics.median(qx) / statistics.median(qn)
        if counted and fx and fn:
            extra = (statistics.fmean(b - a for a, b in fx) -
                     statistics.fmean(b - a for a, b in fn))
            out[name + "_insn_extra"] = extra
            out[name + "_insn_cost"] = extra / statistics.fmean(b for _, b in fn)
    return out


def crossover_costs(res, boots, ci=True, resamples=1000, seed=1):
    """The mean over BOOTS (lists of periods) of each of boot_costs()'
    figures into RES; with CI a 95 % interval of each (boots drawn with
    replacement, then each drawn boot's pairs and slices within each
    period, so that boots that disagree widen it: seconds of work, on the
    host, not in the VM)."""
    per_boot = [boot_costs(b) for b in boots]
    keys = sorted({k for f in per_boot for k in f})
    for k in keys:
        res[k] = statistics.fmean(f[k] for f in per_boot if k in f)
    if not ci:
        return
    rng = random.Random(seed)
    draws = {k: [] for k in keys}
    boots = [[dict(p, pairs=rate_pairs(p)) for p in b] for b in boots]
    for _ in range(resamples):
        figures = [boot_costs(resampled(rng.choice(boots), rng)) for _ in boots]
        for k in keys:
            values = [f[k] for f in figures if k in f]
            if values:
                draws[k].append(statistics.fmean(values))
    for k in keys:
        v = sorted(draws[k])
        res[k + "_ci"] = ([v[int(0.025 * len(v))],
                           v[min(len(v) - 1, int(0.975 * len(v)))]]
                          if v else None)


def attach_insns(part, marks_path):
    """Each slice's instructions on the flood's CPU ("slice_insns") from
    insn_marks' file MARKS_PATH, and the parse's by instructions: the
    floods' markers in order, one more than each flood's slices, each
    counted on the vCPU that executed it (udpflood's: the one whose
    softirq receives what it sends, natkeep's hook included; the
    receivers' CPU is left out, as how many datagrams a wakeup drains there
    depends on timing). False, with part["insn_error"], if they do not
    line up."""
    marks = []
    with open(marks_path) as f:
        for line in f:
            w = line.split()
            if w and w[0] == "MARK":
                marks.append((int(w[2]), [int(x) for x in w[3:]]))
    floods = [p["slices"] for p in part["periods"]] + [part["parse_slices"]]
    need = sum(len(s) + 1 for s in floods)
    if len(marks) != need:
        part["insn_error"] = "%d markers counted, %d expected" % (len(marks), need)
        return False
    counts, at = [], 0
    for slices in floods:
        run = marks[at:at + len(slices) + 1]
        at += len(slices) + 1
        vcpu = run[0][0]
        if any(v != vcpu or len(c) <= vcpu for v, c in run):
            part["insn_error"] = "a flood's markers on more than one vCPU"
            return False
        counts.append([b[1][vcpu] - a[1][vcpu] for a, b in zip(run, run[1:])])
    for p, c in zip(part["periods"], counts):
        p["slice_insns"] = c
    fit = insn_paths(part["parse_slices"], counts[-1])
    if fit:
        other, to_flow = fit
        part["parse_insn_extra"] = to_flow - other
        part["parse_insn_cost"] = (to_flow - other) / other
    return True


def path_figures(periods):
    """How far apart the two destinations' paths read without natkeep (1 -
    median q in N), and how far that moved from the first N period to the
    last (the crossover's premise: it stays)."""
    ns = [p for p in periods if p["state"] == "N"]
    first, last = (statistics.median(ratios(ns[0])),
                   statistics.median(ratios(ns[-1])))
    return {"paths": 1.0 - statistics.median(
        [q for p in ns for q in ratios(p)]), "paths_moved": 1.0 - last / first}


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


def boot_figures(part):
    """One boot's own costs, with their intervals, and path figures."""
    out = {k: part.get(k) for k in ("paths", "paths_moved",
                                    "with_flows_timer_cpu", "rmmod_s",
                                    "parse_cost", "parse_insn_cost",
                                    "parse_insn_extra", "insn_error")}
    crossover_costs(out, [part["periods"]])
    out["parse_cost_ci"] = median_ci(part["parse_pair_costs"])
    return out


def pool(parts):
    """The hook part of several boots as one: each state's cost the mean of
    the boots' with crossover_costs()' interval, the parse the median of the
    pooled pairs with boots_ci()'s, the periods of each boot under
    "boot_periods" and each boot's own figures under "boots"."""
    out = dict(parts[0])
    out["boots"] = [boot_figures(p) for p in parts]
    out["boot_periods"] = [p["periods"] for p in parts]
    out.pop("periods", None)
    crossover_costs(out, out["boot_periods"])
    for k in RATES:
        out[k] = [r for p in parts for r in p[k]]
    per_boot = [p["parse_pair_costs"] for p in parts]
    out["parse_pair_costs"] = [x for b in per_boot for x in b]
    out["parse_cost"] = statistics.median(out["parse_pair_costs"])
    out["parse_cost_ci"] = (boots_ci(per_boot) if len(parts) > 1
                            else median_ci(out["parse_pair_costs"]))
    for k in ("parse_insn_cost", "parse_insn_extra"):
        values = [p[k] for p in parts if p.get(k) is not None]
        out[k] = statistics.fmean(values) if values else None
    out["insn_boots"] = sum(1 for p in parts if "parse_insn_cost" in p)
    out.pop("insn_error", None)
    out.pop("parse_slices", None)
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


FIREWALL = """table inet nkb_fw {
    chain input { type filter hook input priority 0; policy accept; }
}
"""


class Natkeep:
    """The receiver's namespace's state for the crossover: N, F, L, O or W
    (ORDER)."""

    def __init__(self, args):
        self.args = args
        self.state = "N"
        self.rmmod_s = []

    def go(self, state):
        """From the state now to STATE (the flood stopped): unloaded first
        if STATE holds fewer flows, then loaded and given them; F's chain
        only in F."""
        level, was = "NFLOW".index, self.state
        if self.state == "F" and state != "F":
            sh(*in_ns(RCV[1], "nft", "delete", "table", "inet", "nkb_fw"))
            self.state = "N"
        if level(state) < level(self.state):
            start = time.monotonic()
            sh("rmmod", "natkeep")
            self.rmmod_s.append(time.monotonic() - start)
            self.state = "N"
        if state == "F" and self.state == "N":
            sh(*in_ns(RCV[1], "nft", "-f", "-"), input=FIREWALL)
            self.state = "F"
        if self.state == "N" and state != "N":
            sh("insmod", NATKEEP_KO, "max_flows=%d" % (self.args.flows + 16))
            self.state = "L"
        if self.state == "L" and state in "OW":
            sh(*in_ns(RCV[1], NATKEEPCTL, "flow", "add", "local",
                      "10.41.0.1:9000", "remote", "10.41.0.2:5060",
                      "interval", "20s", "type", "keep-alive"))
            self.state = "O"
        if self.state == "O" and state == "W":
            create_flows(RCV[1], self.args.flows)
            self.state = "W"
        if state != was and state in "OW":
            time.sleep(self.args.settle)


def run(args):
    res = {"flows": args.flows, "slice_ms": args.slice_ms,
           "period_s": args.period_s, "order": ORDER}
    with Cleanup() as c:
        topology(c)
        c.call(lambda: sh("rmmod", "natkeep", check=False))
        receiver(c, RCV[0], DST_A)
        receiver(c, RCV[1], DST_B)
        module = Natkeep(args)
        periods, timer = [], {}
        for state in ORDER:
            module.go(state)
            before = module_cpu_by_cpu() if state == "W" else None
            periods.append(period(state, flood(DST_A, DST_B, args.period_s,
                                               args.slice_ms)))
            if before is not None:
                # Where the flows' sends ran meanwhile (the flood is on CPU 0).
                for cpu, v in timer_cpu_delta(before).items():
                    t = timer.setdefault(cpu, [0, 0])
                    t[0], t[1] = t[0] + v[0], t[1] + v[1]
        res["periods"] = periods
        res["with_flows_timer_cpu"] = timer
        res["rmmod_s"] = module.rmmod_s
        crossover_costs(res, [periods], ci=False)
        res.update(path_figures(periods))

        # The parse: a SIP flow from 10.40.1.2:5060 to the flood's source.
        module.go("L")
        sh(*in_ns(RCV[1], NATKEEPCTL, "flow", "add", "local", "10.40.1.2:5060",
                  "remote", "10.40.1.1:5060", "interval", "20s", "type",
                  "options", "from-user", "bench"))
        receiver(c, RCV[1], "10.40.1.2:5060")
        payload = TMP + "/sip200"
        os.makedirs(TMP, exist_ok=True)
        with open(payload, "w") as f:
            f.write(SIP_200)
        time.sleep(0.3)
        res["parse_slices"] = flood(DST_B, "10.40.1.2:5060", args.period_s,
                                    args.slice_ms, payload, sport=5060)
        other, to_flow = slice_rates(res["parse_slices"])
        res["sip_to_other_port_pps"], res["sip_to_flow_port_pps"] = other, to_flow
        res["parse_pair_costs"] = pair_costs(to_flow, other)
        res["parse_cost"] = (statistics.median(res["parse_pair_costs"])
                             if res["parse_pair_costs"] else None)
        res["parse_cost_ci"] = median_ci(res["parse_pair_costs"])
    return res

#!/usr/bin/env python3
"""make bench, part 6: natkeepd's relay (X_LocalProxy) against kamailio as
the same edge, and no edge, on the host (tests/bench/run.sh runs it before
the VM boots: the relay is userspace, and under TCG the emulator, not the
edges, set the figures).

relay.sh (beside this file) runs sipp calls through each edge at each rate
and prints sipp's counts and the response times from a capture of the
caller's packets; this module makes the figures:

  - capacity: the highest rate each edge carried with no failed call;
    target: natkeepd at least 100 calls/s;
  - latency: p50 and p99 of INVITE -> 180 and BYE -> 200 through each
    edge; what an edge adds is its figure less the direct path's, and the
    ratio natkeepd / kamailio of what they add is the verdict (target: at
    most 2);
  - CPU: each edge's CPU time per call that went through (kamailio: all
    its processes), and natkeepd's against kamailio's.

    relay.py [--smoke] [--duration S] [RATE...]
        run it alone (as root), the JSON on stdout, the table on stderr
"""
import argparse
import json
import math
import os
import platform
import subprocess
import sys

from benchlib import TOP, is_number, percentile

RELAY_SH = os.path.join(TOP, "tests", "bench", "relay.sh")
EDGES = ("direct", "kamailio", "natkeepd")
TARGET_RATE = 100
TARGET_RATIO = 2.0
FLOOR_MS = 0.1


def rates(smoke):
    return [5] if smoke else [100, 200, 400]


def run(args):
    cmd = [RELAY_SH, "-d", str(args.duration)] + [str(r) for r in args.rates]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)
    runs = []
    for line in p.stdout.splitlines():
        if line.startswith("NKRELAY-RUN "):
            runs.append(json.loads(line.split(" ", 1)[1]))
    part = {"duration_s": args.duration, "rates": args.rates, "runs": [],
            "exit": p.returncode, "where": "host", "kernel": platform.release(),
            "cpus": os.cpu_count()}
    for r in runs:
        fig = {k: r.get(k) for k in ("edge", "rate", "calls", "successful",
                                     "failed", "error")}
        for rtd in ("rtd1", "rtd2"):
            values = sorted(r.get(rtd) or [])
            fig[rtd + "_n"] = len(values)
            fig[rtd + "_p50_ms"] = percentile(values, 50) if values else None
            fig[rtd + "_p99_ms"] = percentile(values, 99) if values else None
        cpu, ok = r.get("edge_cpu_s"), r.get("successful")
        fig["cpu_us_per_call"] = (round(cpu * 1e6 / ok, 1)
                                  if cpu is not None and ok else None)
        fig["clean"] = (r.get("failed") == 0 and r.get("successful") == r.get("calls"))
        part["runs"].append(fig)
    part["summary"] = summary(part)
    return part


def of(part, edge, rate):
    for r in part["runs"]:
        if r["edge"] == edge and r.get("rate") == rate:
            return r
    return None


def summary(part):
    s = {"capacity": {}, "added_ms": {}}
    for edge in EDGES:
        clean = [r["rate"] for r in part["runs"]
                 if r["edge"] == edge and r.get("clean")]
        s["capacity"][edge] = max(clean) if clean else 0
    # Latency at the highest rate every edge carried cleanly.
    common = [rate for rate in part["rates"]
              if all((of(part, e, rate) or {}).get("clean") for e in EDGES)]
    s["rate_compared"] = max(common) if common else None
    ratios = []
    if common:
        rate = s["rate_compared"]
        d = of(part, "direct", rate)
        for edge in ("kamailio", "natkeepd"):
            e = of(part, edge, rate)
            s["added_ms"][edge] = {
                k: round(e[k] - d[k], 3) for k in
                ("rtd1_p50_ms", "rtd1_p99_ms", "rtd2_p50_ms", "rtd2_p99_ms")
                if e.get(k) is not None and d.get(k) is not None}
        for k, v in s["added_ms"]["natkeepd"].items():
            base = s["added_ms"]["kamailio"].get(k)
            # Under 0.1 ms, what an edge adds is within the direct path's
            # own spread from one run to the next: counted as 0.1.
            ratios.append(max(v, FLOOR_MS) / max(base, FLOOR_MS)
                          if base is not None else math.inf)
    s["ratio"] = round(max(ratios), 2) if ratios else None
    # CPU per call at the highest rate both edges carried cleanly.
    both = [rate for rate in part["rates"]
            if all((of(part, e, rate) or {}).get("clean") and
                   (of(part, e, rate) or {}).get("cpu_us_per_call")
                   for e in ("kamailio", "natkeepd"))]
    s["cpu_rate"] = max(both) if both else None
    s["cpu_ratio"] = (round(of(part, "natkeepd", s["cpu_rate"])["cpu_us_per_call"] /
                            of(part, "kamailio", s["cpu_rate"])["cpu_us_per_call"], 2)
                      if both else None)
    s["capacity_met"] = s["capacity"]["natkeepd"] >= TARGET_RATE
    s["latency_met"] = s["ratio"] is not None and s["ratio"] <= TARGET_RATIO
    return s


def ms(x):
    return "-" if x is None else "%.2f" % x


def table(part):
    s = part["summary"]
    out = ["### 6. natkeepd's relay against kamailio as the gateway's edge", ""]
    out.append("sipp calls (INVITE, 180, 200, ACK, BYE, 200; tests/bench/"
               "sipp-bench-uac.xml) from the gateway's UA through each edge "
               "to the registrar and a sipp far end behind the NAT, %d s per "
               "rate, on the host (%s CPUs, kernel %s), not in the VM "
               "(tests/bench/relay.sh). kamailio: tm, double Record-Route "
               "(tests/bench/kamailio-edge.cfg); direct: no edge. Response "
               "times in ms from a capture of the caller's packets; an "
               "edge's cost is its figure less direct's." % (
                   part["duration_s"], part.get("cpus", "?"),
                   part.get("kernel", "?")))
    out.append("")
    out.append("| edge | calls/s | calls ok / failed | INVITE→180 p50 | p99 "
               "| BYE→200 p50 | p99 | edge CPU per call (µs) |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in part["runs"]:
        if r.get("error"):
            out.append("| %s | %s | %s | | | | | |" % (r["edge"], r.get("rate", "-"),
                                                    r["error"]))
            continue
        cpu = r.get("cpu_us_per_call")
        out.append("| %s | %d | %s / %s | %s | %s | %s | %s | %s |" % (
            r["edge"], r["rate"], r.get("successful"), r.get("failed"),
            ms(r["rtd1_p50_ms"]), ms(r["rtd1_p99_ms"]),
            ms(r["rtd2_p50_ms"]), ms(r["rtd2_p99_ms"]),
            "-" if cpu is None else "%.0f" % cpu))
    out.append("")
    out.append("Highest rate with no failed call: %s. Compared at %s calls/s, "
               "what each edge adds (ms): kamailio %s, natkeepd %s; natkeepd / "
               "kamailio at worst %s (target ≤ %.0f: %s); natkeepd's capacity "
               "target %d calls/s: %s." % (
                   ", ".join("%s %s" % (e, s["capacity"][e]) for e in EDGES),
                   s["rate_compared"],
                   json.dumps(s["added_ms"].get("kamailio", {})),
                   json.dumps(s["added_ms"].get("natkeepd", {})),
                   s["ratio"], TARGET_RATIO,
                   "met" if s["latency_met"] else "MISSED", TARGET_RATE,
                   "met" if s["capacity_met"] else "MISSED"))
    if s.get("cpu_ratio") is not None:
        out.append("")
        out.append("CPU per call at %d calls/s: natkeepd / kamailio %.2f." % (
            s["cpu_rate"], s["cpu_ratio"]))
    return out


def check(part, result):
    """make check's smoke: every edge ran every rate, calls went through
    each edge, the figures are numbers. Failed calls are a figure here,
    not a test's failure (the calls' behaviour is VM scenario 85's); no
    time asserted."""
    for edge in EDGES:
        for rate in part["rates"]:
            r = of(part, edge, rate) or {}
            name = "relay: %s at %s calls/s" % (edge, rate)
            ok, failed = r.get("successful"), r.get("failed")
            result("%s: ran (%s)" % (name, r.get("error", "ok")),
                   bool(r) and not r.get("error"))
            result("%s: %s of %s calls went through, %s failed" % (
                name, ok, r.get("calls"), failed),
                is_number(ok) and is_number(failed) and ok >= 1 and
                ok + failed <= r.get("calls", 0))
            for k in ("rtd1_p50_ms", "rtd1_p99_ms", "rtd2_p50_ms", "rtd2_p99_ms"):
                result("%s: %s a number >= 0" % (name, k),
                       is_number(r.get(k)) and r[k] >= 0)
            if edge != "direct":
                result("%s: the edge's CPU per call a number >= 0 (%s µs)" % (
                    name, r.get("cpu_us_per_call")),
                    is_number(r.get("cpu_us_per_call")) and r["cpu_us_per_call"] >= 0)
    s = part.get("summary", {})
    result("relay: the ratio a number, or none when no rate was clean for "
           "every edge (%s at %s calls/s)" % (s.get("ratio"), s.get("rate_compared")),
           is_number(s.get("ratio")) or
           (s.get("ratio") is None and s.get("rate_compared") is None))
    result("relay: table renders", bool(table(part)))


def main():
    ap = argparse.ArgumentParser(description="part 6 of make bench, alone")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--duration", type=int)
    ap.add_argument("rates", nargs="*", type=int)
    a = ap.parse_args()
    args = argparse.Namespace(duration=a.duration or (2 if a.smoke else 20),
                              rates=a.rates or rates(a.smoke))
    part = run(args)
    print(json.dumps(part, indent=1, sort_keys=True))
    print("\n".join(table(part)), file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""make bench inside the VM: every benchmark in turn, one JSON document
(part 6, relay.py, runs on the host: tests/bench/run.sh).

    bench.py [--smoke] [--only a,b]

Progress goes to stderr; the document is the last stdout line, prefixed
with "NATKEEP-BENCH-JSON " (the VM's disk is read-only: stdout is the way
out). --smoke runs each benchmark for a second or two: make check asserts
that each ran and produced well-formed numbers, never what they are.
"""
import argparse
import json
import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import agents  # noqa: E402
import hook  # noqa: E402
import lateness  # noqa: E402
import scale  # noqa: E402
from benchlib import (NATKEEP_KO, Cleanup, hold_netfilter_keys,  # noqa: E402
                      sh)


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def lateness_part(smoke):
    args = argparse.Namespace(seconds=2 if smoke else 45, period_ms=20,
                              conditions=list(lateness.CONDITIONS))
    return lateness.run(args)


def scale_args(smoke):
    """The scale part's sizes and times (native.py, on the host, too)."""
    if smoke:
        return argparse.Namespace(sizes=[160], interval="1s", settle=1.5,
                                  window=1.5, single=5)
    return argparse.Namespace(sizes=[1000, 10000, 100000], interval="20s",
                              settle=25, window=20, single=200)


def scale_part(smoke):
    return scale.run(scale_args(smoke))


def hook_part(smoke):
    if smoke:
        args = argparse.Namespace(flows=200, settle=0, slice_ms=50,
                                  period_s=1)
    else:
        args = argparse.Namespace(flows=100000, settle=5, slice_ms=50,
                                  period_s=20)
    return hook.run(args)


def agents_part(smoke):
    if smoke:
        args = argparse.Namespace(interval=2, expires=600, window=6,
                                  plan=agents.plan(True))
    else:
        args = argparse.Namespace(interval=5, expires=600, window=20,
                                  plan=agents.plan(False))
    return agents.run(args)


# Parts whose smoke make check leaves out (BENCH_ONLY=NAME still runs it).
NOT_IN_SMOKE = ()

PARTS = {
    "lateness": lateness_part,
    "scale": scale_part,
    "hook": hook_part,
    "agents": agents_part,
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--only")
    args = ap.parse_args()
    if args.only is None:
        args.only = ",".join(n for n in PARTS
                             if not (args.smoke and n in NOT_IN_SMOKE))
    doc = {
        "smoke": args.smoke,
        "kernel": platform.release(),
        "cpu_model": cpu_model(),
        "vcpus": os.cpu_count(),
        "accel": os.environ.get("NK_VM_ACCEL", "unknown"),
        "module": NATKEEP_KO,
        "module_srcversion": sh("modinfo", "-F", "srcversion",
                                NATKEEP_KO).strip(),
        "requested": args.only.split(","),
        "parts": {},
        "errors": {},
    }
    with Cleanup() as c:
        # Before any traffic: no part turns a static key under traffic.
        hold_netfilter_keys(c)
        for name in args.only.split(","):
            start = time.monotonic()
            print("bench: %s ..." % name, file=sys.stderr, flush=True)
            try:
                doc["parts"][name] = PARTS[name](args.smoke)
            except Exception as e:  # noqa: BLE001 -- reported, the rest runs
                doc["errors"][name] = "%s: %s" % (type(e).__name__, e)
                print("bench: %s failed: %s" % (name, e), file=sys.stderr)
            print("bench: %s done in %.0f s" % (name, time.monotonic() - start),
                  file=sys.stderr, flush=True)
    print("NATKEEP-BENCH-JSON " + json.dumps(doc, sort_keys=True))


if __name__ == "__main__":
    main()

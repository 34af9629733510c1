#!/usr/bin/env python3
"""Where a natkeep send's lateness goes, step by step, from tracepoints.

One keep-alive flow on CPU 1 (every 20 ms, a fixed schedule, to a receiver
over veth), traced on that CPU only with the events of each step of its
path: the timer interrupt's entry, natkeep's hrtimer callback, the
interrupt's exit, the HI softirq's and the tasklet's entries, and
natkeep:natkeep_send (which has when the packet was handed to the IP
layer). Each event costs 1-2 µs under TCG: the steps are inflated by that
much, the table is for finding the big ones. Idle, then under CPU load.
Runs in the VM (make bench's, or the VM tier's):

    tests/vm/run.sh -k KVER -t 300 -- python3 tests/bench/lateness_trace.py [--seconds S]

The README's performance section says what it found on 2026-12-03.
"""
import argparse
import os
import re
import time

from benchlib import (NATKEEP_KO, NATKEEPCTL, TRACEFS, Cleanup, drop_udp, in_ns,
                      percentile, sh, tracefs)

EVENTS = ("irq_vectors/local_timer_entry", "irq_vectors/local_timer_exit",
          "timer/hrtimer_expire_entry", "timer/hrtimer_expire_exit",
          "irq/softirq_entry", "irq/tasklet_entry", "natkeep/natkeep_send")
# (name, from, to): the steps, between the marks of parse_sends()
STEPS = (("the interrupt's entry to natkeep's callback", "entry", "callback"),
         ("natkeep's hrtimer callback", "callback", "callback_exit"),
         ("the rest of the hard interrupt", "callback_exit", "irq_exit"),
         ("the interrupt's exit to the HI softirq", "irq_exit", "softirq"),
         ("the HI softirq to natkeep's tasklet", "softirq", "tasklet"),
         ("natkeep's tasklet to the IP layer", "tasklet", "sent"),
         ("the interrupt's entry to the IP layer", "entry", "sent"))
LINE = re.compile(r"\s(\d+)\.(\d+): (\w+): (.*)")


def parse_sends(text):
    """Per send, the time of each mark (ns, CLOCK_MONOTONIC)."""
    sends, marks = [], {}
    for line in text.splitlines():
        m = LINE.search(line)
        if not m:
            continue
        t = int(m.group(1)) * 1000000000 + int(m.group(2).ljust(9, "0")[:9])
        event, rest = m.group(3), m.group(4)
        if event == "local_timer_entry":
            marks = {"entry": t}
        elif event == "hrtimer_expire_entry" and "nk_hard_expired" in rest:
            marks["callback"] = t
        elif event == "hrtimer_expire_exit" and "callback" in marks:
            marks.setdefault("callback_exit", t)
        elif event == "local_timer_exit" and "callback_exit" in marks:
            marks.setdefault("irq_exit", t)
        elif event == "softirq_entry" and "vec=0" in rest and "irq_exit" in marks:
            marks.setdefault("softirq", t)
        elif event == "tasklet_entry" and "softirq" in marks:
            marks.setdefault("tasklet", t)
        elif event == "natkeep_send":
            f = re.search(r"due=(-?\d+) late=(-?\d+)", rest)
            marks["sent"] = int(f.group(1)) + int(f.group(2))
            if all(k in marks for _, a, b in STEPS for k in (a, b)):
                sends.append(marks)
            marks = {}
    return sends


def report(condition, sends):
    print("%s: %d sends traced (µs)" % (condition, len(sends)))
    if not sends:
        return
    print("  %-46s %7s %7s %7s" % ("step", "p50", "p90", "p99"))
    for name, a, b in STEPS:
        v = sorted(s[b] - s[a] for s in sends)
        print("  %-46s %7.1f %7.1f %7.1f" % (
            name, percentile(v, 50) / 1e3, percentile(v, 90) / 1e3,
            percentile(v, 99) / 1e3))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5)
    args = ap.parse_args()
    cpu = 1 if os.cpu_count() > 1 else 0
    if not os.path.exists(os.path.join(TRACEFS, "trace")):
        sh("mount", "-t", "tracefs", "nodev", TRACEFS)
    with Cleanup() as c:
        c.module(NATKEEP_KO)
        c.netns("nkt-snd")
        c.netns("nkt-rcv")
        c.veth("nkt-snd", "v0", "10.9.0.1/24", "nkt-rcv", "v1", "10.9.0.2/24")
        drop_udp("nkt-rcv", "8061-8061")
        sh("taskset", "-c", str(cpu), *in_ns(
            "nkt-snd", NATKEEPCTL, "flow", "add", "local", "10.9.0.1:5061",
            "remote", "10.9.0.2:8061", "interval", "20", "type",
            "keep-alive", "norandom"))
        tracefs("trace_clock", "mono")
        tracefs("tracing_cpumask", "%x" % (1 << cpu))
        tracefs("buffer_size_kb", "16384")
        c.call(lambda: tracefs("events/enable", "0"))
        for e in EVENTS:
            tracefs("events/%s/enable" % e, "1")
        for condition in ("idle", "cpu"):
            load = None
            if condition == "cpu":
                load = c.spawn("stress-ng", "--cpu", "0", "--timeout",
                               "%ds" % (args.seconds + 3), "--quiet",
                               cwd="/tmp")
                time.sleep(1)
            tracefs("trace", "")
            tracefs("tracing_on", "1")
            time.sleep(args.seconds)
            tracefs("tracing_on", "0")
            with open(os.path.join(TRACEFS, "trace")) as f:
                report(condition, parse_sends(f.read()))
            if load:
                load.kill()
                load.wait()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""make bench, part 1: send lateness of natkeep against a userspace sender.

Two senders on one CPU, each on its own grid of PERIOD (phases apart, so
that they do not delay each other): natkeep's flow (hard hrtimer + HI
tasklet, its packet built ahead of its due time) and usender (timerfd +
sendto). nkprobe puts a reference hard irq hrtimer on each grid, on the
same CPU, and timestamps every packet at LOCAL_OUT; per tick, sender minus
reference is the paired lateness. A third grid has no sender: its
reference raises a HI tasklet that takes the time (the floor: the earliest
moment any sender, which needs softirq or process context, could send on
that tick). Conditions: idle, CPU load (stress-ng on every vCPU), network
load (iperf3 UDP flood between two other namespaces), both.

    lateness.py OUT.json [--seconds S] [--period-ms P] [--conditions a,b]
"""
import argparse
import json
import os
import re
import time

from benchlib import (NATKEEP_KO, NATKEEPCTL, PROBE_KO, TRACEFS, USENDER, Cleanup,
                      drop_udp, in_ns, now_ns, percentiles, sh, tracefs, write_json)

SND, RCV, FLOOD_A, FLOOD_B = "nkb-snd", "nkb-rcv", "nkb-fa", "nkb-fb"
SND_ADDR, RCV_ADDR = "10.9.0.1", "10.9.0.2"
CONDITIONS = ("idle", "cpu", "net", "cpu+net")
# name, source port, and what sends: a natkeep flow (NATKEEP; the module
# of NATKEEP_BENCH_KO, if set: make bench BENCH_KO= or BENCH_REF=), USENDER,
# or FLOOR: no sender, nkprobe's HI tasklet on its reference's tick (port 0)
NATKEEP, FLOOR = "natkeep", "floor"
SENDERS = (("natkeep", 5061, NATKEEP),
           ("userspace", 5063, USENDER),
           ("floor", 0, FLOOR))
SEND_EVENT = "events/natkeep/natkeep_send/enable"


def tick_ns():
    """The scheduler tick's period: hrtimer ticks expire on its multiples."""
    try:
        with open("/boot/config-" + os.uname().release) as f:
            m = re.search(r"^CONFIG_HZ=(\d+)$", f.read(), re.M)
            return 1000000000 // int(m.group(1))
    except (OSError, AttributeError):
        return 4000000


def clear_of_ticks(phase, tick):
    """At least a quarter tick away from every tick: a timer that expires
    just before a tick shares its interrupt with the tick's handler once the
    emulator delivers the interrupt late (by ~0.2 ms), which on hardware
    (late by microseconds) almost never happens."""
    return tick // 4 <= phase % tick <= tick - tick // 4


def apart(phase, others, period, gap):
    return all(min((phase - o) % period, (o - phase) % period) >= gap
               for o in others)


def delete_flow(sport):
    for f in json.loads(sh(*in_ns(SND, NATKEEPCTL, "-j", "flow", "show"))):
        if f["local_port"] == sport:
            sh(*in_ns(SND, NATKEEPCTL, "flow", "del", "id", str(f["id"])))


def natkeep_flow(cpu, sport, period_ms, phases, tick):
    """A keep-alive flow whose timer lives on CPU (created from there), on a
    phase clear of the ticks and of the other senders' PHASES (a flow sends
    one interval after its creation: re-created until it is)."""
    period = period_ms * 1000000
    local = "%s:%d" % (SND_ADDR, sport)
    for _ in range(40):
        sh("taskset", "-c", str(cpu), *in_ns(
            SND, NATKEEPCTL, "flow", "add", "local", local, "remote",
            "%s:%d" % (RCV_ADDR, sport + 3000), "interval", str(period_ms),
            "type", "keep-alive", "norandom"))
        phase = natkeep_phases(period, [sport])[sport]
        if clear_of_ticks(phase, tick) and apart(phase, phases, period,
                                                 period // 6):
            return phase
        delete_flow(sport)
    raise RuntimeError("no natkeep flow on a phase clear of the ticks")


def quiet_tracing(c):
    """Recording off, and off for good the sched_switch probe an event's
    enabling adds (record-cmd): enabling an event patches kernel text, and
    so does that probe, in __schedule (tests/README.md: under TCG a text
    patch hangs the guest if another vCPU runs it meanwhile). Put back
    when C closes: call this before the module is loaded, so that it is
    put back after the module, and its event, are gone."""
    if not os.path.exists(TRACEFS + "/trace"):
        sh("mount", "-t", "tracefs", "nodev", TRACEFS, check=False)
    old = {n: tracefs(n) for n in ("options/record-cmd", "tracing_on")}
    c.call(lambda: [tracefs(n, v) for n, v in old.items()])
    tracefs("tracing_on", "0")
    tracefs("options/record-cmd", "0")


def natkeep_phases(period_ns, ports):
    """Each flow's due time of a recent send, from natkeep:natkeep_send
    (enabled before the flows were made; recording on only meanwhile)."""
    tracefs("trace", "")
    tracefs("tracing_on", "1")
    time.sleep(4 * period_ns / 1e9)
    tracefs("tracing_on", "0")
    with open(TRACEFS + "/trace") as f:
        text = f.read()
    due = {}
    for m in re.finditer(r"sport=(\d+) due=(\d+)", text):
        due[int(m.group(1))] = int(m.group(2))
    missing = [p for p in ports if p not in due]
    if missing:
        raise RuntimeError("no natkeep_send event for ports %s" % missing)
    return {p: due[p] % period_ns for p in ports}


def free_phase(period_ns, taken, tick):
    """The phase clear of the ticks farthest from every phase taken."""
    def distance(phase):
        return min(min((phase - t) % period_ns, (t - phase) % period_ns)
                   for t in taken)
    step = tick // 8
    return max((p for p in range(0, period_ns, step)
                if clear_of_ticks(p, tick)), key=distance)


def start_load(c, condition, seconds):
    procs = []
    if "cpu" in condition:
        procs.append(c.spawn("stress-ng", "--cpu", "0", "--timeout",
                             "%ds" % (seconds + 5), "--quiet"))
    if "net" in condition:
        procs.append(c.spawn(*in_ns(FLOOD_B, "iperf3", "-s", "-B",
                                    "10.9.1.2")))
        time.sleep(0.5)
        procs.append(c.spawn(*in_ns(FLOOD_A, "iperf3", "-c", "10.9.1.2",
                                    "-u", "-b", "0", "-l", "64", "-t",
                                    str(seconds + 5))))
    return procs


def read_probe():
    with open("/proc/nkprobe") as f:
        return f.read()


def parse_probe(text, names):
    """Per channel: ref and sender lateness per tick, contexts, counters."""
    chans = [{"ref": {}, "late": {}, "ctx": {}} for _ in names]
    for line in text.splitlines():
        m = re.match(r"# channel (\d+) port \d+ start \d+ dups (\d+) off_cpu (\d+)", line)
        if m:
            chans[int(m.group(1))]["dups"] = int(m.group(2))
            chans[int(m.group(1))]["off_cpu"] = int(m.group(3))
            continue
        if line.startswith("#"):
            continue
        f = line.split()
        k = int(f[0])
        for i, ch in enumerate(chans):
            ref, late, ctx = f[1 + 3 * i:4 + 3 * i]
            if ref != "-":
                ch["ref"][k] = int(ref)
            if late != "-":
                ch["late"][k] = int(late)
                ch["ctx"][ctx] = ch["ctx"].get(ctx, 0) + 1
    out = {}
    for name, ch in zip(names, chans):
        paired = [ch["late"][k] - ch["ref"][k] for k in ch["late"]
                  if k in ch["ref"]]
        out[name] = {
            "free": percentiles(ch["late"].values()),
            "ref": percentiles(ch["ref"].values()),
            "paired": percentiles(paired),
            "contexts": ch["ctx"],
            "dups": ch.get("dups", 0),
            "off_cpu": ch.get("off_cpu", 0),
        }
    return out


def run(args):
    period_ns = args.period_ms * 1000000
    ticks = int(args.seconds * 1000 / args.period_ms)
    cpu = 1 if os.cpu_count() > 1 else 0
    result = {"period_ms": args.period_ms, "seconds": args.seconds,
              "cpu": cpu, "conditions": {}}
    with Cleanup() as c:
        old = sh("sysctl", "-n", "kernel.timer_migration").strip()
        # Timers stay on the CPU that armed them: pairing needs one CPU.
        sh("sysctl", "-qw", "kernel.timer_migration=0")
        c.call(lambda: sh("sysctl", "-qw", "kernel.timer_migration=" + old))
        quiet_tracing(c)
        c.module(NATKEEP_KO)
        # Once, before any flow sends; rmmod takes it away with the module.
        tracefs(SEND_EVENT, "1")
        c.netns(SND)
        c.netns(RCV)
        c.veth(SND, "v0", SND_ADDR + "/24", RCV, "v1", RCV_ADDR + "/24")
        drop_udp(RCV, "8000-8100")
        c.netns(FLOOD_A)
        c.netns(FLOOD_B)
        c.veth(FLOOD_A, "f0", "10.9.1.1/24", FLOOD_B, "f1", "10.9.1.2/24")
        ports = [p for _, p, _ in SENDERS]
        flow_ports = [p for _, p, kind in SENDERS if kind == NATKEEP]
        user_port = [p for _, p, kind in SENDERS if kind == USENDER][0]
        floor_port = [p for _, p, kind in SENDERS if kind == FLOOR][0]
        tick = tick_ns()
        taken = []
        for _, port, kind in SENDERS:
            if kind == NATKEEP:
                taken.append(natkeep_flow(cpu, port, args.period_ms, taken,
                                          tick))
        user_phase = free_phase(period_ns, taken, tick)
        floor_phase = free_phase(period_ns, taken + [user_phase], tick)
        for condition in args.conditions:
            load = start_load(c, condition, args.seconds)
            time.sleep(1)
            phases = natkeep_phases(period_ns, flow_ports)
            phases[user_port] = user_phase
            phases[floor_port] = floor_phase
            # insmod takes up to a second under TCG: tick 0 comes later.
            base = now_ns() + 2000000000
            starts = [base + (phases[p] - base) % period_ns for p in ports]
            sh("insmod", PROBE_KO, "period_ns=%d" % period_ns,
               "ticks=%d" % ticks, "cpu=%d" % cpu,
               "ports=" + ",".join(map(str, ports)),
               "starts=" + ",".join(map(str, starts)))
            try:
                sender = c.spawn("taskset", "-c", str(cpu), *in_ns(
                    SND, USENDER, str(starts[ports.index(user_port)]),
                    str(period_ns), str(ticks),
                    "%s:%d" % (SND_ADDR, user_port),
                    "%s:%d" % (RCV_ADDR, user_port + 3000)))
                end = max(starts) + ticks * period_ns
                time.sleep(max(0, end - now_ns()) / 1e9 + 0.2)
                sender.wait(timeout=10)
                text = read_probe()
            finally:
                sh("rmmod", "nkprobe", check=False)
            for p in load:
                p.kill()
                p.wait()
            result["conditions"][condition] = parse_probe(
                text, [n for n, _, _ in SENDERS])
            result["conditions"][condition]["ticks"] = ticks
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seconds", type=float, default=45)
    ap.add_argument("--period-ms", type=int, default=20)
    ap.add_argument("--conditions", default=",".join(CONDITIONS))
    args = ap.parse_args()
    args.conditions = args.conditions.split(",")
    write_json(args.out, run(args))


if __name__ == "__main__":
    main()

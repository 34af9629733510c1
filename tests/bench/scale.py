#!/usr/bin/env python3
"""make bench, parts 2 and 4: many flows, and the control plane.

Part 2 (scale): N keep-alive flows (N = 1 000, 10 000, 100 000) over eight
namespaces, interval 20 s with RFC 5626 randomisation, sent to a dummy
device (which drops them: the cost measured is natkeep's, not a receiver's).
  - memory: two ways, before, with the flows, and after deleting them
    (per flow). What the flows are charged: the flows are created from a
    memory cgroup of their own, and the module allocates what a flow holds
    with GFP_KERNEL_ACCOUNT, so the cgroup's kernel memory is that and
    nothing else (exact, but blind to the per-namespace hash table, whose
    buckets a kernel worker allocates). And the machine's unreclaimable
    slab + vmalloc, with every cache shrunk first (all of it, the table
    included, but whatever else the kernel did meanwhile too: noisy at a
    thousand flows), the cross-check. The figure judged is the charged
    one plus what the tables can take at most (rhashtable's sizing) plus
    what the flow cache's slabs cost beyond the charge (the cache's
    geometry). A namespace's first flow registers its hooks and port
    filter, which stay with the namespace: measured once, before the
    sizes, and kept apart;
  - CPU, two ways, over a window at steady state, in % of one core. The
    time the module's timer runs took, which it measures itself (debugfs
    natkeep/cpu_time): direct and unaffected by the emulator's drift, but
    without the interrupt's entry and the softirq's dispatch around each
    run (their number per second is reported). The verdict is on it. And,
    to cross-check with what it leaves out, what is left over for a
    SCHED_IDLE spinner on every CPU (cpuspin) against the same window
    without flows (before creating them and after deleting them); under
    the emulator its windows drift by more than the figure. (/proc/stat's
    tick-based accounting is blind to softirq work that is short and
    never at a tick: it saw 0.1 % for 100 000 flows.) The same is measured
    for usender (timerfd + sendto) sending as many packets per second from
    userspace, its CPU time by the scheduler's clock: the baseline
    natkeep's CPU is compared with (and native.py measures it on the host,
    for an estimate at the hardware's speed);
  - burstiness: packets in each 10 ms window (nkprobe's bins at LOCAL_OUT)
    over another window: the largest against the mean, and against the
    largest that as many sends at uniformly random times would give.
Part 4 (control plane): flows created per second with one natkeepctl
invocation per flow and with one batch (natkeepctl -b) per namespace, the
time to dump them (flow show, text and -j), and deletions per second.
"""
import json
import os
import random
import re
import time

import subprocess

from benchlib import (NATKEEP_KO, NATKEEPCTL, PROBE_KO, TOP, Cleanup, in_ns,
                      module_cpu_by_cpu, now_ns, sh, start_usender,
                      usender_result)

NAMESPACES = 8
FIRST_PORT = 10000
CPUSPIN = os.path.join(TOP, "tests", "bench", "cpuspin")
TMP = "/tmp/nkbench-scale"
FLOW_CGROUP = "/sys/fs/cgroup/nkbench-flows"


def ns_name(k):
    return "nkb-scale%d" % k


def make_namespaces(c):
    for k in range(NAMESPACES):
        ns = c.netns(ns_name(k))
        sh("ip", "-n", ns, "link", "add", "d0", "type", "dummy")
        sh("ip", "-n", ns, "addr", "add", "10.30.%d.1/24" % k, "dev", "d0")
        sh("ip", "-n", ns, "link", "set", "d0", "up")


def meminfo():
    out = {}
    with open("/proc/meminfo") as f:
        for line in f:
            m = re.match(r"(\w+):\s+(\d+) kB", line)
            if m:
                out[m.group(1)] = int(m.group(2)) * 1024
    return out["SUnreclaim"] + out["VmallocUsed"]


def make_flow_cgroup(c):
    """The memory cgroup flows are created from (cgroup v2, mounted)."""
    with open("/sys/fs/cgroup/cgroup.subtree_control", "w") as f:
        f.write("+memory")
    os.makedirs(FLOW_CGROUP, exist_ok=True)
    c.undo.append(lambda: os.rmdir(FLOW_CGROUP))


def join_flow_cgroup():
    """preexec_fn: the child process and what it runs, in FLOW_CGROUP.
    Every natkeepctl that adds or deletes runs there, so that the module's
    memory stays charged to it (a deletion may rebuild a namespace's port
    filter: the new one is charged to the deleter)."""
    with open(FLOW_CGROUP + "/cgroup.procs", "w") as f:
        f.write(str(os.getpid()))


def charged():
    """Kernel memory charged to FLOW_CGROUP, its processes gone: read
    until it holds still (the cgroup's statistics are flushed every 2 s,
    and objects freed after an RCU grace period are uncharged then)."""
    last = None
    for _ in range(8):
        time.sleep(2.1)
        with open(FLOW_CGROUP + "/memory.stat") as f:
            stat = dict(line.split() for line in f)
        now = sum(int(stat[k]) for k in ("slab_unreclaimable", "percpu", "vmalloc"))
        if now == last:
            break
        last = now
    return now


def table_bytes_at_most(n):
    """A namespace's flow table holding N flows, as rhashtable sizes it:
    64 buckets (or fewer, after shrinking), doubled while more than 3/4
    full, in one allocation of a 64-byte header and 8 bytes a bucket,
    which kmalloc rounds up to a power of two. A kernel worker allocates
    it, so no cgroup is charged for it."""
    buckets = 64
    while n > buckets * 3 // 4:
        buckets *= 2
    return 1 << (64 + 8 * buckets - 1).bit_length()


def shrink_slabs():
    """Give every slab cache's empty slabs back, so that meminfo() counts
    objects rather than the caches' slack."""
    for name in os.listdir("/sys/kernel/slab"):
        path = os.path.join("/sys/kernel/slab", name)
        if os.path.islink(path):
            continue
        try:
            with open(os.path.join(path, "shrink"), "w") as f:
                f.write("1")
        except OSError:
            pass
    time.sleep(0.5)


def system_memory():
    shrink_slabs()
    return meminfo()


def flow_slab():
    with open("/proc/slabinfo") as f:
        for line in f:
            if line.startswith("natkeep_flow "):
                fields = line.split()
                return {"active": int(fields[1]), "objsize": int(fields[3])}
    return {"active": 0, "objsize": 0}


KMALLOC_SIZES = (8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192)


def slab_overhead_per_flow():
    """What a flow object costs beyond what memcg charges for it
    (its size and an 8-byte pointer to its cgroup): the slab page's
    leftover shared among its objects, and the rounding of the slab's
    vector of those pointers, which kmalloc allocates uncharged."""
    def read(name):
        with open("/sys/kernel/slab/natkeep_flow/" + name) as f:
            return int(f.read())
    objects, size = read("objs_per_slab"), read("slab_size")
    page = os.sysconf("SC_PAGE_SIZE") << read("order")
    vector = next(k for k in KMALLOC_SIZES if k >= 8 * objects)
    return page / objects - size + vector / objects - 8


def module_cpu():
    """Nanoseconds natkeep's timer runs have taken, and how many runs, on
    all CPUs together."""
    by_cpu = module_cpu_by_cpu().values()
    return sum(v[0] for v in by_cpu), sum(v[1] for v in by_cpu)


def spin_rounds(seconds):
    """Rounds a SCHED_IDLE spinner on each CPU gets through in SECONDS."""
    procs = [subprocess.Popen(["taskset", "-c", str(cpu), "chrt", "--idle", "0",
                               CPUSPIN, str(seconds)], stdout=subprocess.PIPE,
                              text=True)
             for cpu in range(os.cpu_count())]
    return sum(int(p.communicate()[0]) for p in procs)


def userspace_rounds(rate, seconds):
    """spin_rounds while usender sends RATE packets/s for SECONDS; how
    many it sent, and its CPU time (ns)."""
    sender = start_usender(ns_name(0), rate, seconds, "10.30.0.1:9000",
                           "10.30.0.2:5060", 300000000)
    time.sleep(0.3)
    rounds = spin_rounds(seconds)
    return (rounds,) + usender_result(sender, seconds + 30)


def interval_s(text):
    return float(text[:-1]) if text.endswith("s") else float(text) / 1000


def cpu_used(rounds, baseline):
    """% of one core that was not left over, against BASELINE rounds."""
    return 100.0 * os.cpu_count() * (1.0 - rounds / baseline)


def add_lines(k, count, interval, msg_type):
    return ["flow add local 10.30.%d.1:%d remote 10.30.%d.2:5060 interval %s "
            "type %s random" % (k, FIRST_PORT + i, k, interval, msg_type)
            for i in range(count)]


def run_batch(k, name, lines):
    path = "%s/%s-%d" % (TMP, name, k)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    sh(*in_ns(ns_name(k), NATKEEPCTL, "-b", path), preexec_fn=join_flow_cgroup)


def flow_ids(k):
    out = sh(*in_ns(ns_name(k), NATKEEPCTL, "-j", "flow", "show"))
    return [f["id"] for f in json.loads(out)]


def create(n, interval, msg_type):
    """N flows over the namespaces, one batch each; seconds taken."""
    per_ns = n // NAMESPACES
    start = time.monotonic()
    for k in range(NAMESPACES):
        run_batch(k, "add", add_lines(k, per_ns, interval, msg_type))
    return time.monotonic() - start


def dump_seconds(json_output):
    start = time.monotonic()
    for k in range(NAMESPACES):
        args = ["-j"] if json_output else []
        sh(*in_ns(ns_name(k), NATKEEPCTL, *args, "flow", "show"))
    return time.monotonic() - start


def delete_all():
    ids = {k: flow_ids(k) for k in range(NAMESPACES)}
    start = time.monotonic()
    for k, flows in ids.items():
        if flows:
            run_batch(k, "del", ["flow del id %d" % i for i in flows])
    return sum(len(v) for v in ids.values()), time.monotonic() - start


def uniform_max(total, bins, trials=5):
    """Largest bin count of TOTAL sends at uniformly random times."""
    maxima = []
    for _ in range(trials):
        counts = [0] * bins
        for _ in range(total):
            counts[random.randrange(bins)] += 1
        maxima.append(max(counts))
    return sorted(maxima)[len(maxima) // 2]


def burstiness(per_ns, seconds, bin_ms=10):
    bins = int(seconds * 1000 / bin_ms)
    start = now_ns() + 1500000000
    sh("insmod", PROBE_KO, "bins=%d" % bins, "bin_ns=%d" % (bin_ms * 1000000),
       "bins_start_ns=%d" % start, "bin_ports_lo=%d" % FIRST_PORT,
       "bin_ports_hi=%d" % (FIRST_PORT + per_ns - 1))
    try:
        time.sleep(max(0, start + bins * bin_ms * 1000000 - now_ns()) / 1e9 + 0.1)
        with open("/proc/nkprobe_bins") as f:
            counts = [int(x) for x in f.read().split()]
    finally:
        sh("rmmod", "nkprobe", check=False)
    total = sum(counts)
    mean = total / len(counts) if counts else 0
    return {
        "bin_ms": bin_ms, "bins": len(counts), "packets": total,
        "mean": mean, "max": max(counts) if counts else 0,
        "max_over_mean": (max(counts) / mean) if mean else None,
        "uniform_random_max": uniform_max(total, len(counts)),
    }


def scale_point(n, args):
    per_ns = n // NAMESPACES
    charged_before = charged()
    mem_before = system_memory()
    create_s = create(n, args.interval, "keep-alive")
    charged_with = charged()
    mem_with = system_memory()
    slab = flow_slab()
    # The first sends come 80-100 % of an interval after creation; then
    # the randomised intervals keep them apart.
    time.sleep(args.settle)
    start_ns, (cpu_ns, runs) = now_ns(), module_cpu()
    rounds_with = spin_rounds(args.window)
    end_ns, (cpu_ns_end, runs_end) = now_ns(), module_cpu()
    window_ns = end_ns - start_ns
    bursts = burstiness(per_ns, args.window)
    dump_text = dump_seconds(False)
    dump_json = dump_seconds(True)
    deleted, delete_s = delete_all()
    charged_after = charged()
    mem_after = system_memory()
    # The baseline: the same window before the flows and after them (the
    # next size's "before").
    before = args.rounds_idle
    after = spin_rounds(args.window)
    baseline = (before + after) / 2
    rate = n / interval_s(args.interval)
    user_rounds, user_sent, user_cpu_ns = userspace_rounds(rate, args.window)
    args.rounds_idle = spin_rounds(args.window)
    natkeep_cpu = 100.0 * (cpu_ns_end - cpu_ns) / window_ns
    user_cpu = 100.0 * user_cpu_ns / (args.window * 1e9)
    spin_cpu = cpu_used(rounds_with, baseline)
    # The two baselines apart say how far the emulator's speed drifts
    # between windows: the figure is known no better than between them.
    spin_range = sorted((cpu_used(rounds_with, before), cpu_used(rounds_with, after)))
    user_spin_cpu = cpu_used(user_rounds, (after + args.rounds_idle) / 2)
    return {
        "flows": n,
        "memory_per_flow": (mem_with - mem_before) / n,
        "memory_left_per_flow": (mem_after - mem_before) / n,
        "charged_per_flow": (charged_with - charged_before) / n,
        "charged_left_per_flow": (charged_after - charged_before) / n,
        "table_per_flow_at_most": NAMESPACES * table_bytes_at_most(per_ns) / n,
        "slab_overhead_per_flow": slab_overhead_per_flow(),
        "flow_object_size": slab["objsize"],
        "flows_in_cache_with": slab["active"],
        "flows_in_cache_after": flow_slab()["active"],
        "cpu_percent_of_one_core": natkeep_cpu,
        "timer_runs_per_s": (runs_end - runs) * 1e9 / window_ns,
        "spin_cpu_percent_of_one_core": spin_cpu,
        "spin_cpu_percent_range": spin_range,
        "spin_rounds_with_flows": rounds_with,
        "spin_rounds_without": baseline,
        "spin_rounds_before": before,
        "spin_rounds_after": after,
        "packets_per_s": rate,
        "userspace_cpu_percent_of_one_core": user_cpu,
        "userspace_spin_cpu_percent_of_one_core": user_spin_cpu,
        "userspace_packets_per_s": user_sent / args.window,
        "cpu_vs_userspace": natkeep_cpu / user_cpu if user_cpu > 0 else None,
        "burstiness": bursts,
        "control": {
            "batch_add_per_s": n / create_s,
            "batch_del_per_s": deleted / delete_s if delete_s else None,
            "dump_text_s": dump_text,
            "dump_json_s": dump_json,
        },
    }


def single_invocations(count):
    """Flows created per second with one natkeepctl process per flow."""
    ns = ns_name(0)
    start = time.monotonic()
    for i in range(count):
        sh(*in_ns(ns, NATKEEPCTL, "flow", "add", "local",
                  "10.30.0.1:%d" % (FIRST_PORT + i), "remote", "10.30.0.2:5060",
                  "interval", "20s", "type", "keep-alive"),
           preexec_fn=join_flow_cgroup)
    per_s = count / (time.monotonic() - start)
    delete_all()
    return per_s


def namespace_memory():
    """What the first flow of a namespace leaves charged after it is
    gone (the hooks, the port filter), per namespace."""
    before = charged()
    create(NAMESPACES, "20s", "keep-alive")
    delete_all()
    return (charged() - before) / NAMESPACES


def stun_memory(n, interval):
    """Memory per flow of STUN flows (answers expected: peer state), the
    system's and the charged."""
    charged_before = charged()
    before = system_memory()
    create(n, interval, "stun")
    charged_with = charged()
    with_flows = system_memory()
    delete_all()
    return (with_flows - before) / n, (charged_with - charged_before) / n


def run(args):
    os.makedirs(TMP, exist_ok=True)
    result = {"interval": args.interval, "window_s": args.window,
              "namespaces": NAMESPACES, "points": []}
    with Cleanup() as c:
        c.module(NATKEEP_KO, "max_flows=%d" % (max(args.sizes) // NAMESPACES + 16))
        make_namespaces(c)
        make_flow_cgroup(c)
        result["charged_per_namespace"] = namespace_memory()
        args.rounds_idle = spin_rounds(args.window)
        result["single_add_per_s"] = single_invocations(args.single)
        result["single_add_count"] = args.single
        for n in args.sizes:
            result["points"].append(scale_point(n, args))
        result["stun_flows"] = args.sizes[0]
        result["stun_memory_per_flow"], result["stun_charged_per_flow"] = \
            stun_memory(args.sizes[0], args.interval)
        result["stun_table_per_flow_at_most"] = \
            NAMESPACES * table_bytes_at_most(args.sizes[0] // NAMESPACES) / args.sizes[0]
    return result

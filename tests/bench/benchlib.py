"""Helpers shared by make bench's benchmarks (run inside the VM as root).

Namespaces and background processes are registered with a Cleanup and
removed when it closes; every figure a benchmark reports goes through
percentiles() so that each carries its sample count.
"""
import json
import math
import os
import subprocess
import time

TOP = os.path.realpath(os.path.join(os.path.dirname(__file__), "..", ".."))
# BENCH_KO=path (make bench) measures another build, e.g. an older one.
NATKEEP_KO = (os.environ.get("NATKEEP_BENCH_KO") or
              os.path.join(TOP, "kmod", "natkeep.ko"))
# Another kernel's builds of both (run.sh's lateness part on PREEMPT_RT).
PROBE_KO = (os.environ.get("NATKEEP_BENCH_PROBE_KO") or
            os.path.join(TOP, "tests", "bench", "probe", "nkprobe.ko"))
NATKEEPCTL = os.path.join(TOP, "agent", "natkeepctl", "natkeepctl")
USENDER = os.path.join(TOP, "tests", "bench", "usender")
CPU_TIME = "/sys/kernel/debug/natkeep/cpu_time"


def sh(*args, check=True, capture=True, **kw):
    """Run a command; its stdout as text."""
    r = subprocess.run(args, check=False, text=True,
                       stdout=subprocess.PIPE if capture else None,
                       stderr=subprocess.PIPE if capture else None, **kw)
    if check and r.returncode != 0:
        raise RuntimeError("%s: exit %d: %s" % (" ".join(args), r.returncode,
                                                (r.stderr or "").strip()))
    return r.stdout or ""


def module_cpu_by_cpu():
    """{cpu: [ns, runs]}: the time natkeep's timer runs have taken on each
    CPU, as the module measures it (debugfs natkeep/cpu_time), and how many
    runs."""
    if not os.path.exists(CPU_TIME):
        sh("mount", "-t", "debugfs", "none", "/sys/kernel/debug")
    by_cpu = {}
    with open(CPU_TIME) as f:
        for line in f:
            cpu, cpu_ns, cpu_runs = line.split()
            by_cpu[int(cpu)] = [int(cpu_ns), int(cpu_runs)]
    return by_cpu


def now_ns():
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


def start_usender(ns, rate, seconds, local, remote, lead_ns):
    """usender in NS sending RATE packets/s for SECONDS from LOCAL to
    REMOTE ("ADDR:PORT"), its first tick LEAD_NS from now."""
    period = int(1e9 / rate)
    ticks = int(seconds * 1e9 / period)
    return subprocess.Popen(in_ns(ns, USENDER, str(now_ns() + lead_ns), str(period),
                                  str(ticks), local, remote),
                            stdout=subprocess.PIPE, text=True)


def usender_result(sender, timeout):
    """What a started usender sent, and its CPU time (ns)."""
    out, _ = sender.communicate(timeout=timeout)
    if sender.returncode:
        raise subprocess.CalledProcessError(sender.returncode, sender.args,
                                            output=out)
    words = out.split()
    return int(words[1]), int(words[3])


class Cleanup:
    """Namespaces, processes and commands to undo, last first."""

    def __init__(self):
        self.undo = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for fn in reversed(self.undo):
            try:
                fn()
            except Exception:  # noqa: BLE001 -- undo what can be undone
                pass
        self.undo = []

    def netns(self, name):
        sh("ip", "netns", "add", name)
        self.undo.append(lambda: sh("ip", "netns", "del", name, check=False))
        sh("ip", "-n", name, "link", "set", "lo", "up")
        return name

    def veth(self, ns1, if1, addr1, ns2, if2, addr2):
        """A veth pair IF1 in NS1, IF2 in NS2, up, with ADDR1 and ADDR2
        (ADDR/PREFIX; None: no address)."""
        sh("ip", "-n", ns1, "link", "add", if1, "type", "veth", "peer",
           "name", if2, "netns", ns2)
        for ns, ifname, addr in ((ns1, if1, addr1), (ns2, if2, addr2)):
            if addr:
                sh("ip", "-n", ns, "addr", "add", addr, "dev", ifname)
        sh("ip", "-n", ns1, "link", "set", if1, "up")
        sh("ip", "-n", ns2, "link", "set", if2, "up")

    def spawn(self, *args, **kw):
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, **kw)

        def stop():
            if p.poll() is None:
                p.kill()
            p.wait()
        self.undo.append(stop)
        return p

    def module(self, path, *params):
        sh("insmod", path, *params)
        name = os.path.basename(path)[:-3]
        self.undo.append(lambda: sh("rmmod", name, check=False))

    def call(self, fn):
        self.undo.append(fn)


def in_ns(ns, *args):
    return ("ip", "netns", "exec", ns) + args


def drop_udp(ns, ports):
    """Drop UDP to PORTS (a "lo-hi" range) as it arrives in NS: a receiver
    that costs nothing and answers nothing (no ICMP)."""
    sh(*in_ns(ns, "nft", "-f", "-"), input="""
table inet nkbench {
    chain in {
        type filter hook prerouting priority -300; policy accept;
        udp dport %s drop
    }
}
""" % ports)


KEYS_NS = "nkb-keys"
HOLD_NF_KEYS = os.path.join(TOP, "tests", "vm", "hold-nf-keys.nft")


def hold_netfilter_keys(c):
    """Keep netfilter's static keys on until C closes (why: the file), so
    that the hooks the bench registers and unregisters under traffic
    (natkeep's, nkprobe's, drop_udp's) only count."""
    c.netns(KEYS_NS)
    sh(*in_ns(KEYS_NS, "nft", "-f", HOLD_NF_KEYS))


def is_number(x):
    """A finite int or float (not a bool): a figure a result may hold."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


TRACEFS = "/sys/kernel/tracing"


def tracefs(name, value=None):
    """Read a tracefs file, or write VALUE to it."""
    with open(os.path.join(TRACEFS, name), "r" if value is None else "w") as f:
        return f.read().strip() if value is None else f.write(value)


def percentile(sorted_values, q):
    """Nearest-rank percentile of an ascending list (q in 0..100)."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(q / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


def percentiles(values):
    v = sorted(values)
    return {
        "n": len(v),
        "p50": percentile(v, 50),
        "p99": percentile(v, 99),
        "p99.9": percentile(v, 99.9),
        "max": v[-1] if v else None,
    }


def _plain(x):
    return not isinstance(x, (dict, list))


def results_text(node, indent=0):
    """NODE as JSON, objects one key a line (sorted), and a list of plain
    values, or of lists of them (a hook period's slices), on one line: a
    results file stays readable and diffable at a third of indent=1's
    size."""
    pad = " " * indent
    if isinstance(node, dict) and node:
        inner = ",\n".join("%s %s: %s" % (pad, json.dumps(k),
                                           results_text(node[k], indent + 1))
                            for k in sorted(node))
        return "{\n%s\n%s}" % (inner, pad)
    if isinstance(node, list) and not all(
            _plain(x) or (isinstance(x, list) and all(map(_plain, x)))
            for x in node):
        inner = ",\n".join(pad + " " + results_text(x, indent + 1)
                            for x in node)
        return "[\n%s\n%s]" % (inner, pad)
    return json.dumps(node, sort_keys=True)


def write_json(path, doc):
    with open(path, "w") as f:
        f.write(results_text(doc) + "\n")

#!/usr/bin/env python3
"""make bench's table, from a results document (bench.py's JSON).

    report.py RESULTS.json                  the table, Markdown, on stdout
    report.py RESULTS.json --markdown FILE  and the tables into FILE
    report.py RESULTS.json --check          make check's smoke: PASS/FAIL per
                                            figure that must exist and be a
                                            number; "N passed, N failed"

Every target is judged on a ratio against a baseline of the same run.
"""
import argparse
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import agents  # noqa: E402 -- part 5 renders and checks itself
import relay  # noqa: E402 -- part 6 too
import hook  # noqa: E402 -- its costs and rates, by name
import lateness  # noqa: E402 -- the senders it measures
from benchlib import is_number  # noqa: E402


SENDER_NAMES = {
    "natkeep": "natkeep (hard hrtimer + HI tasklet, packet built ahead)",
    # Senders of older results files: module parameters since removed.
    "natkeep-when-due": "natkeep, packet built when due (build_ahead=0, since removed)",
    "natkeep-softirq": "natkeep, soft hrtimer sending (softirq_timers=1, since removed)",
    "userspace": "userspace (timerfd + sendto)",
    "floor": "floor: a HI tasklet that only takes the time (no sender)",
}
LATENESS_TARGET = 0.10


def us(ns):
    return "-" if ns is None else "%.0f" % (ns / 1000.0)


def ratio(a, b):
    if a is None or not b:
        return None
    return a / b


def verdict(value, limit, why_missed=""):
    """VALUE against an upper LIMIT; WHY_MISSED said if it is missed."""
    if value is None:
        return "n/a"
    if value <= limit:
        return "%.2f (target <= %.2f: met)" % (value, limit)
    return "%.2f (target <= %.2f: MISSED%s)" % (value, limit, why_missed)


def judged(lo, hi, limit):
    """A figure known only within [lo, hi], against an upper limit: a
    median inside the noise settles nothing."""
    return ("met" if hi <= limit else "MISSED" if lo > limit else
            "not resolved: the interval spans it")


def lateness_table(part, title="### 1. Send lateness"):
    out = []
    out.append(title)
    out.append("")
    out.append("One keep-alive every %d ms per sender, all on CPU %d, %s s "
               "per condition. Times in µs. *Paired*: the sender's lateness "
               "minus that of a reference hard-irq hrtimer expiring on the "
               "same tick and CPU (nkprobe), i.e. what the sender adds to "
               "the emulator's late interrupt. *Floor*: on a grid of its "
               "own, the reference raises a HI tasklet that only takes the "
               "time: HI is the first softirq at the interrupt's exit, and "
               "the stack sends only from softirq or process context, so no "
               "sender can reach the IP layer sooner; where the floor's own "
               "p99 is above the target's share of userspace's, no sender "
               "can meet the target on this machine." %
               (part["period_ms"], part["cpu"], part["seconds"]))
    out.append("")
    out.append("| condition | sender | n | free p50 | free p99 | paired p50 "
               "| paired p99 | paired p99.9 | paired max | in ksoftirqd "
               "| paired p99 / userspace |")
    out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for cond, senders in part["conditions"].items():
        base = senders["userspace"]["paired"]["p99"]
        for name in [n for n in SENDER_NAMES if n in senders]:
            s = senders[name]
            ctx = s["contexts"]
            total = sum(ctx.values()) or 1
            r = ratio(s["paired"]["p99"], base)
            if name == "natkeep":
                floor = ratio(senders.get("floor", {}).get(
                    "paired", {}).get("p99"), base)
                rtext = verdict(r, LATENESS_TARGET, "" if floor is None else
                                "; the floor alone: %.2f" % floor)
            elif name == "userspace":
                rtext = "1 (baseline)"
            else:
                rtext = "-" if r is None else "%.2f" % r
            out.append("| %s | %s | %d | %s | %s | %s | %s | %s | %s | %.1f %% | %s |" % (
                cond, SENDER_NAMES[name], s["paired"]["n"],
                us(s["free"]["p50"]), us(s["free"]["p99"]),
                us(s["paired"]["p50"]), us(s["paired"]["p99"]),
                us(s["paired"]["p99.9"]), us(s["paired"]["max"]),
                100.0 * ctx.get("k", 0) / total, rtext))
    return out


def lateness_rt_table(part):
    out = lateness_table(part, "### 1b. Send lateness on PREEMPT_RT (kernel %s)" %
                         part.get("kernel", "?"))
    out.insert(2, "The same part on Debian's PREEMPT_RT kernel, in a boot of its "
               "own: softirqs run in threads there (ksoftirqd, or the thread "
               "that raised one, as the network's under load), the hard "
               "hrtimers still expire in hard irq context. Compare the ratios "
               "with part 1's, not the times: another boot, another kernel.")
    out.insert(3, "")
    return out


MEMORY_TARGET = 256
CPU_TARGET = 5.0
BURST_TARGET = 3.0
HOOK_TARGET = 0.02


def pct(x):
    return "-" if x is None else "%.1f %%" % (100.0 * x)


def native_text(native):
    if not native:
        return "not measured"
    return "kernel %s, %s s at each rate: %s" % (
        native["kernel"], native["seconds"], ", ".join(
            "%.3f %% at %.0f packets/s" % (q["cpu_percent_of_one_core"], q["packets_per_s"])
            for q in native["points"]))


def scale_table(part):
    out = ["### 2. Scale", ""]
    if any("charged_per_flow" not in p for p in part["points"]):
        # Before 2026-12-02's memory cgroup and the module's CPU time.
        return out + ["Measured by an older method than this report knows: "
                      "see the results file.", ""]
    out.append("Keep-alive flows over %d namespaces, interval %s with RFC 5626 "
               "randomisation, sent to a dummy device. Memory, per flow: "
               "*charged*: the kernel memory charged to the memory cgroup the "
               "flows were created from (exact: the module allocates a flow's "
               "memory with GFP_KERNEL_ACCOUNT); *table*: the most the "
               "namespaces' hash tables can take by rhashtable's sizing (a "
               "kernel worker allocates them, no cgroup is charged); *slab*: "
               "what the flow cache's slabs cost beyond the charge (a "
               "page's leftover, the rounding of its vector of cgroup "
               "pointers), from the cache's geometry; the verdict is on "
               "their sum. *System*: the machine's "
               "unreclaimable slab + vmalloc, caches shrunk, before and with "
               "the flows: the cross-check, noisy by tens of kB. CPU, in %% "
               "of one core over %s s at steady state: *module*: the time "
               "natkeep's timer runs took, as the module measures it "
               "(debugfs natkeep/cpu_time), the verdict's figure; it leaves "
               "out the interrupt's entry and the softirq's dispatch, once "
               "per run (runs/s given). *Spinner*: the rounds a SCHED_IDLE "
               "spinner on each CPU lost against the same window without "
               "flows, [..] against the window before and the one after "
               "alone: the cross-check that sees everything, but the "
               "emulator's speed drifts between windows by as much. "
               "Userspace: usender sending as many packets per second, its "
               "CPU time by the scheduler's clock (and by the spinner). "
               "*At the hardware's speed*: module / userspace times "
               "usender's CPU at that rate on the host, before the VM "
               "booted (%s): an estimate (another kernel; the emulator may "
               "slow one path more than the other), the CPU verdict's "
               "figure where there is one. "
               "Bursts: packets in the busiest 10 ms window "
               "against the mean (at a mean of a few packets per window "
               "the busiest is high by chance alone), and against the "
               "busiest window of as many sends at uniformly random times." %
               (part["namespaces"], part["interval"], part["window_s"],
                native_text(part.get("native_userspace"))))
    out.append("")
    out.append("| flows | charged + table + slab (B/flow) | system (B/flow) | flow object (B) "
               "| left after deletion, charged / system (B/flow) "
               "| CPU, module | runs/s | CPU, spinner | userspace at that rate "
               "| userspace, spinner | module / userspace | at the hardware's speed "
               "| packets/10 ms mean | busiest / mean | busiest / uniform-random busiest |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    native = (part.get("native_userspace") or {}).get("points") or []
    for k, p in enumerate(part["points"]):
        b = p["burstiness"]
        charged, table = p["charged_per_flow"], p["table_per_flow_at_most"]
        slab = p["slab_overhead_per_flow"]
        total = charged + table + slab
        cpu = p["cpu_percent_of_one_core"]
        mom = b["max_over_mean"]
        vs = p.get("cpu_vs_userspace")
        lo, hi = p["spin_cpu_percent_range"]
        # Judged by the ratio where the host's speed is known (native.py).
        estimate = (vs * native[k]["cpu_percent_of_one_core"]
                    if vs is not None and k < len(native) else None)
        verdict = "(target <= %.0f: %s)" % (
            CPU_TARGET, "met" if (cpu if estimate is None else estimate) <= CPU_TARGET
            else "MISSED")
        cpu_text = "%.3f%s | %.0f | %.1f [%.1f, %.1f]" % (
            cpu, " " + verdict if estimate is None else "",
            p["timer_runs_per_s"], p["spin_cpu_percent_of_one_core"], lo, hi)
        estimate_text = "-" if estimate is None else "%.3f %s" % (estimate, verdict)
        out.append("| %d | %.0f + %.0f at most + %.1f = %.1f (target <= %d: %s) | %.0f | %d | %.1f / %.1f | %s | %.3f (%.0f packets/s) | %.1f | %s | %s | %.2f | %s | %s |" % (
            p["flows"], charged, table, slab, total, MEMORY_TARGET,
            "met" if total <= MEMORY_TARGET else "MISSED", p["memory_per_flow"],
            p["flow_object_size"], p["charged_left_per_flow"],
            p["memory_left_per_flow"], cpu_text,
            p["userspace_cpu_percent_of_one_core"], p["userspace_packets_per_s"],
            p["userspace_spin_cpu_percent_of_one_core"],
            "-" if vs is None else "%.2f" % vs, estimate_text,
            b["mean"],
            "-" if mom is None else "%.2f (target <= %.0f: %s)" % (
                mom, BURST_TARGET, "met" if mom <= BURST_TARGET else "MISSED"),
            "-" if not b["uniform_random_max"] else "%.2f" % (b["max"] / b["uniform_random_max"])))
    out.append("")
    out.append("STUN flows (peer state, no SIP text), %d of them, per flow: "
               "%.0f B charged + %.0f B table at most (system: %.0f B). A "
               "namespace's first flow registers the hooks and the port "
               "filter, which stay with the namespace: %.0f B charged per "
               "namespace." % (part["stun_flows"], part["stun_charged_per_flow"],
                               part["stun_table_per_flow_at_most"],
                               part["stun_memory_per_flow"],
                               part["charged_per_namespace"]))
    return out


def hook_table(part):
    out = ["### 3. Hook cost", ""]
    boots = part.get("boot_periods")
    if not boots:
        out.append("(Measured with the method before 2026-12-04, which "
                   "this report no longer reads: see that commit's "
                   "tests/bench/report.py.)")
        return out
    out.append(
        "A UDP flood (one sender thread, 64-byte datagrams) alternating in "
        "slices of %s ms (A B B A ...) between a socket on a port that is "
        "no flow's in one namespace (A) and one in the receiver's "
        "namespace (B), over veth; q = B's rate / A's per pair of "
        "neighbouring slices. Periods of %s s in the order %s, natkeep in "
        "the receiver's namespace: N not loaded, F not loaded but an empty "
        "nftables input chain there (the reference: any netfilter hook), L "
        "loaded without flows, O one flow, W %d flows more. Cost of a state = 1 - its median q / "
        "N's: B against itself, the two paths' own difference cancelled. "
        "%d boot(s): the mean of the boots' costs, its 95 %% interval [..] "
        "a two-level bootstrap (boots, then pairs within each period); "
        "packets/s are B's medians." % (
            part["slice_ms"], part["period_s"], " ".join(part["order"]),
            part["flows"], len(boots)))
    counted = part.get("insn_boots") or 0
    if counted:
        out.append("")
        out.append(
            "*By instructions*: in %d of the boots qemu counted the guest's "
            "instructions (tests/bench/tcg/insn_marks.c) on the flood's "
            "vCPU, whose softirq receives what it sends (natkeep's hook "
            "included), between markers that udpflood executes at each "
            "slice's boundaries. Per period a fit of each slice's count = "
            "path(A or B) x datagrams + background x seconds (ticks, the "
            "flows' own sends); B's path minus A's, in the state minus in "
            "N, is what natkeep adds to a datagram to B (in parentheses), "
            "and that as a share of B's path in N. Time under TCG moves by "
            "points between minutes; a count does not, so the target is "
            "judged by it, the time-based cost reported beside it." %
            counted)
    out.append("")
    out.append("| natkeep in the receiver's namespace | packets/s | "
               "packets/s, N | cost by time | cost by instructions (added "
               "per datagram) |")
    out.append("|---|---:|---:|---:|---:|")

    def b_pps(state):
        return median([b for periods in boots for p in periods
                       if p["state"] == state for _, b in hook.rate_pairs(p)])

    def cell(value, ci, target, note=""):
        """A cost, its interval, NOTE, and with TARGET the verdict."""
        text = pct(value) + (" [%s, %s]" % (pct(ci[0]), pct(ci[1])) if ci else "")
        text += note
        if target and value is not None:
            lo, hi = ci if ci else (value, value)
            text += " (target <= %.0f %%: %s)" % (100 * HOOK_TARGET,
                                                 judged(lo, hi, HOOK_TARGET))
        return text

    def cost_cell(name, target=True):
        return cell(part[name + "_cost"], part.get(name + "_cost_ci"), target)

    def insn_cell(name, target=True):
        if part.get(name + "_insn_cost") is None:
            return "-"
        extra = part.get(name + "_insn_extra")
        return cell(part[name + "_insn_cost"], part.get(name + "_insn_cost_ci"),
                    target, " (%+.0f)" % extra if extra is not None else "")

    what = {"F": "F: not loaded; an empty nftables input chain (what any "
                 "netfilter hook costs: a reference)",
            "L": "L: module loaded, no flows (no natkeep hook: the "
                 "kernel's own path, the method's null)",
            "O": "O: 1 flow (its hooks; the port filter's test the "
                 "flood's only extra work)",
            "W": "W: %d flows more, sending meanwhile" % part["flows"]}

    for state, name in hook.STATE_COSTS:
        if not any(p["state"] == state for periods in boots for p in periods):
            continue    # a run before that state was measured
        ours = state != "F"
        out.append("| %s | %.0f | %.0f | %s | %s |" % (
            what[state], b_pps(state), b_pps("N"), cost_cell(name, ours),
            insn_cell(name, ours)))
    out.append("| SIP 200 OKs from a flow's peer to its port (parsed), "
               "against the same to another port | %.0f | %.0f | %s | %s |" % (
                   median(part["sip_to_flow_port_pps"]),
                   median(part["sip_to_other_port_pps"]),
                   cost_cell("parse", target=False),
                   insn_cell("parse", target=False)))
    out.append("")
    out.append("Each boot alone (paths: 1 - N's median q, how far apart "
               "the two destinations read with the same code; moved: from "
               "the first N period to the last):")
    out.append("")
    costs = [c for c in hook.COSTS if c + "_cost" in part]
    letter = {name: state for state, name in hook.STATE_COSTS}
    names = [letter.get(c, c) for c in costs]
    out.append("| boot | paths | moved | %s | by instructions: %s (added "
               "per datagram) |" % (" | ".join(names), " / ".join(names)))
    out.append("|---:|---:|---:|%s---|" % ("---:|" * len(costs)))
    for i, b in enumerate(part.get("boots") or [], 1):
        cells = [pct(b.get("paths")), pct(b.get("paths_moved"))]
        for c in costs:
            ci = b.get(c + "_cost_ci")
            cells.append(pct(b.get(c + "_cost")) +
                         (" [%s, %s]" % (pct(ci[0]), pct(ci[1])) if ci else ""))
        if b.get("parse_insn_cost") is not None:
            cells.append(" / ".join(
                "%s (%+.0f)" % (pct(b.get(c + "_insn_cost")),
                                b.get(c + "_insn_extra") or 0)
                for c in costs))
        else:
            cells.append(b.get("insn_error") or "not counted")
        out.append("| %d | %s |" % (i, " | ".join(cells)))
    return out


def control_table(part):
    out = ["### 4. Control plane", ""]
    out.append("| operation | rate or time |")
    out.append("|---|---:|")
    out.append("| flow add, one natkeepctl process per flow (%d) | %.0f flows/s |" %
               (part["single_add_count"], part["single_add_per_s"]))
    for p in part["points"]:
        c = p["control"]
        out.append("| flow add, natkeepctl -b, %d flows | %.0f flows/s |" %
                   (p["flows"], c["batch_add_per_s"]))
        out.append("| flow del, natkeepctl -b, %d flows | %.0f flows/s |" %
                   (p["flows"], c["batch_del_per_s"] or 0))
        out.append("| flow show of %d flows: text / -j | %.2f s / %.2f s |" %
                   (p["flows"], c["dump_text_s"], c["dump_json_s"]))
    return out


def median(values):
    return sorted(values)[len(values) // 2] if values else 0


TABLES = {"lateness": lateness_table, "lateness_rt": lateness_rt_table,
          "scale": scale_table, "hook": hook_table,
          "control": control_table,
          "agents": agents.table, "relay": relay.table}


# The numbering, whatever order the JSON keeps.
ORDER = ("lateness", "lateness_rt", "scale", "hook", "control", "agents", "relay")


def render(doc):
    out = ["## Performance (make bench)", ""]
    out.append("Run of %s: kernel %s, %d vCPUs (%s), qemu accel %s; host CPU "
               "%s. Judge by the ratios: the absolute times are an "
               "emulator's." % (
                   doc.get("date", "?"), doc["kernel"], doc["vcpus"],
                   doc["cpu_model"], doc["accel"],
                   doc.get("host_cpu_model", "?")))
    if doc.get("bench_ko"):
        out.append("")
        out.append("Module measured: %s (BENCH_KO, srcversion %s), with "
                   "commit %s's tools." % (doc["bench_ko"],
                                           doc.get("module_srcversion", "?"),
                                           doc.get("commit", "?")))
    out.append("")
    for name in ORDER:
        # Part 4 (the control plane) is measured with part 2's flows.
        part = doc["parts"].get("scale" if name == "control" else name)
        if part is not None:
            out.extend(TABLES[name](part))
            out.append("")
            # A part kept from an earlier run (BENCH_ONLY left it out).
            if name != "control" and part.get("measured_on"):
                out.append("*Part measured on %s, not in this run.*" %
                           part["measured_on"])
                out.append("")
            elif (name != "control" and part.get("commit") and
                  part["commit"] != doc.get("commit")):
                out.append("*Part measured at commit %s.*" % part["commit"])
                out.append("")
    for name, err in doc.get("errors", {}).items():
        out.append("**%s did not run**: %s" % (name, err))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def numbers_in(node, path=""):
    """Every leaf under NODE as (path, value)."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from numbers_in(v, path + "/" + k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from numbers_in(v, "%s/%d" % (path, i))
    else:
        yield path, node


def check_lateness(part, result, name="lateness"):
    for cond in ("idle", "cpu", "net", "cpu+net"):
        senders = part["conditions"].get(cond)
        result("%s: condition %s measured" % (name, cond), senders is not None)
        if senders is None:
            continue
        for sender in [n for n, _, _ in lateness.SENDERS]:
            s = senders.get(sender, {})
            for kind in ("free", "paired", "ref"):
                p = s.get(kind, {})
                ok = p.get("n", 0) > 0 and all(
                    isinstance(p.get(q), int) for q in ("p50", "p99", "p99.9", "max")) \
                    and p["p50"] <= p["p99"] <= p["p99.9"] <= p["max"]
                result("%s: %s %s %s: %d samples, ordered percentiles" %
                       (name, cond, sender, kind, p.get("n", 0)), ok)


def check_scale(part, result):
    result("scale: at least one size measured", bool(part["points"]))
    for p in part["points"]:
        n = p["flows"]
        # The system-wide figure is noise at the smoke's few flows: only
        # the charged one has a sign to check.
        result("scale %d: memory per flow numbers, the charged one positive" % n,
               is_number(p["memory_per_flow"]) and is_number(p["table_per_flow_at_most"]) and
               is_number(p["slab_overhead_per_flow"]) and p["slab_overhead_per_flow"] >= 0 and
               is_number(p["charged_per_flow"]) and p["charged_per_flow"] > 0 and
               is_number(p["charged_left_per_flow"]) and is_number(p["memory_left_per_flow"]))
        result("scale %d: every flow in the slab cache, none after deletion" % n,
               p["flows_in_cache_with"] >= n and p["flows_in_cache_after"] == 0)
        result("scale %d: CPU, natkeep's and userspace's, numbers, the measured times positive" % n,
               is_number(p["cpu_percent_of_one_core"]) and p["cpu_percent_of_one_core"] > 0 and
               p["timer_runs_per_s"] > 0 and
               is_number(p["spin_cpu_percent_of_one_core"]) and
               all(is_number(x) for x in p["spin_cpu_percent_range"]) and
               is_number(p["userspace_cpu_percent_of_one_core"]) and
               p["userspace_cpu_percent_of_one_core"] > 0 and
               is_number(p["userspace_spin_cpu_percent_of_one_core"]) and
               p["userspace_packets_per_s"] > 0)
        b = p["burstiness"]
        result("scale %d: packets counted in %d bins" % (n, b["bins"]),
               b["bins"] > 0 and b["packets"] > 0 and is_number(b["max_over_mean"]))
        c = p["control"]
        result("scale %d: control-plane rates and times are positive" % n,
               all(is_number(c[k]) and c[k] > 0 for k in
                   ("batch_add_per_s", "batch_del_per_s", "dump_text_s", "dump_json_s")))
    native = part.get("native_userspace") or {}
    result("scale: usender at the hardware's speed: a positive CPU figure per size",
           len(native.get("points", ())) == len(part["points"]) and
           all(is_number(q["cpu_percent_of_one_core"]) and q["cpu_percent_of_one_core"] > 0
               for q in native["points"]))
    result("scale: single-invocation rate positive",
           is_number(part["single_add_per_s"]) and part["single_add_per_s"] > 0)
    result("scale: STUN memory per flow numbers, the charged one positive",
           is_number(part["stun_memory_per_flow"]) and
           is_number(part["stun_charged_per_flow"]) and part["stun_charged_per_flow"] > 0)
    result("scale: memory per namespace a number",
           is_number(part["charged_per_namespace"]))


def check_hook(part, result):
    boots = part.get("boot_periods") or []
    result("hook: %d boot(s) of periods %s" % (len(boots), hook.ORDER),
           bool(boots) and all("".join(p["state"] for p in b) == hook.ORDER
                               for b in boots))
    for i, periods in enumerate(boots, 1):
        for p in periods:
            dests = [s[0] for s in p["slices"]]
            rates = [x for pair in hook.rate_pairs(p) for x in pair]
            result("hook: boot %d, period %s: as many slices to A as to B, "
                   "%d positive rates" % (i, p["state"], len(rates)),
                   bool(rates) and set(dests) == {0, 1} and
                   abs(dests.count(0) - dests.count(1)) <= 1 and
                   all(is_number(x) and x > 0 for x in rates))
    for k in hook.RATES:
        v = part[k]
        result("hook: %s: %d positive rates" % (k, len(v)),
               bool(v) and all(is_number(x) and x > 0 for x in v))
    result("hook: parse: a cost below 1 per pair",
           bool(part["parse_pair_costs"]) and
           all(is_number(x) and x < 1 for x in part["parse_pair_costs"]))
    for k in hook.COSTS:
        result("hook: %s_cost a number below 1" % k,
               is_number(part[k + "_cost"]) and part[k + "_cost"] < 1)
    result("hook: instructions counted in each of %d boot(s) (the markers "
           "lined up)" % len(boots), part.get("insn_boots") == len(boots))
    for k in hook.COSTS:
        result("hook: %s by instructions: numbers, the share below 1" % k,
               is_number(part.get(k + "_insn_extra")) and
               is_number(part.get(k + "_insn_cost")) and
               part[k + "_insn_cost"] < 1)
    figures = part.get("boots") or []
    result("hook: each of %d boot(s) with its own costs and paths" %
           len(figures),
           len(figures) == len(boots) and
           all(is_number(b.get(k)) for b in figures
               for k in [c + "_cost" for c in hook.COSTS] +
               ["paths", "paths_moved"]))


def check_lateness_rt(part, result):
    result("lateness_rt: the kernel named (%s)" % part.get("kernel"),
           bool(part.get("kernel")))
    check_lateness(part, result, "lateness_rt")


CHECKS = {"lateness": check_lateness, "lateness_rt": check_lateness_rt,
          "scale": check_scale, "hook": check_hook,
          "agents": agents.check, "relay": relay.check}


def check(doc):
    counts = [0, 0]

    def result(text, ok):
        counts[0 if ok else 1] += 1
        print("%s: bench %s" % ("PASS" if ok else "FAIL", text))

    for name, err in doc.get("errors", {}).items():
        result("%s ran (%s)" % (name, err), False)
    for name in doc.get("requested", CHECKS):
        fn = CHECKS[name]
        part = doc["parts"].get(name)
        result("%s produced a result" % name, part is not None)
        if part is not None:
            fn(part, result)
    bad = [p for p, v in numbers_in(doc["parts"])
           if isinstance(v, float) and not math.isfinite(v)]
    result("no NaN or infinite figure (%s)" % ", ".join(bad[:3]), not bad)
    result("table renders", bool(render(doc)))
    print("%d passed, %d failed" % tuple(counts))
    return counts[1] == 0


def write_markdown(path, table):
    """The tables alone, as a file of their own (tests/bench/results/LATEST.md)."""
    with open(path, "w") as f:
        f.write("<!-- written by make bench UPDATE_README=1 (tests/bench/report.py) -->\n")
        f.write(table)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--markdown")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    with open(args.results) as f:
        doc = json.load(f)
    if args.check:
        sys.exit(0 if check(doc) else 1)
    table = render(doc)
    sys.stdout.write(table)
    if args.markdown:
        write_markdown(args.markdown, table)


if __name__ == "__main__":
    main()

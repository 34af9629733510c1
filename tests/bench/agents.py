#!/usr/bin/env python3
"""make bench, part 5: natkeepd against baresip, same topology, repeated trials.

agents.sh (beside this file) builds the topology of the VM scenarios (gw ->
NAT -> three kamailio registrars behind DNS SRV), runs each agent through
the trials of the plan and prints the raw measurements; this module turns
them into figures, all on the registrars' clock (the VM's one clock):

  - rebind: seconds from the conntrack flush that forces a NAT rebinding (a
    new masquerade port range, then the flush) to the first 200 to a
    REGISTER from the new public port; target one keep-alive interval + 1 RTT;
  - failover: seconds from the primary's silent death (an nft drop, no ICMP)
    to the first 200 to a REGISTER at another registrar; target two
    keep-alive intervals;
  - dual: seconds, over a window around the death, in which no live
    registrar held a binding of the account (sampled); target 0.

A trial whose event did not come within its cap is a miss (None). Both
agents get the same keep-alive interval (natkeepd's X_KeepAliveExpires, the
registrars' Flow-Timer for baresip's RFC 5626 outbound) and expiry.

    agents.py [--smoke] [--interval S] [--window S] [AGENT:TEST:TRIALS:CAP...]
        run it alone (as root; natkeepd needs natkeep.ko: the VM), the
        JSON on stdout, the table on stderr
"""
import argparse
import json
import math
import os
import subprocess
import sys

from benchlib import TOP, is_number, percentile

AGENTS_SH = os.path.join(TOP, "tests", "bench", "agents.sh")
PRIMARY, SECONDARY, THIRD = "10.3.0.11", "10.3.0.12", "10.3.0.13"
TESTS = ("rebind", "failover", "dual")
AGENT_NAMES = {
    "natkeepd": "natkeepd",
    "baresip": "baresip (RFC 5626 outbound)",
    "baresip-plain": "baresip (plain account)",
}
# What each agent is configured with (agents.sh writes exactly this).
CONFIGS = {
    "natkeepd": "ProxyServer = natkeep.test, X_ProxyServerRedundancy = true, "
                "X_KeepAliveMsgType = options (kernel keep-alives), "
                "X_KeepAliveExpires = INTERVAL, RegisterExpires = EXPIRES; "
                "dual: X_SecondaryRegistration = true",
    "baresip": '<sip:alice@natkeep.test>;auth_pass=secret;regint=EXPIRES;'
               'sipnat=outbound;outbound="sip:natkeep.test"; dual: '
               'outbound="sip:sip1.natkeep.test";outbound2="sip:sip2.natkeep.test"',
    "baresip-plain": "<sip:alice@natkeep.test>;auth_pass=secret;regint=EXPIRES",
}


def plan(smoke):
    """The trials: (agent, test, trials, cap_s)."""
    if smoke:
        return [(a, t, 1, 12) for a in ("natkeepd", "baresip") for t in TESTS]
    return [("natkeepd", "rebind", 5, 90), ("natkeepd", "failover", 5, 240),
            ("natkeepd", "dual", 5, 60),
            ("baresip", "rebind", 5, 90), ("baresip", "failover", 3, 240),
            ("baresip", "dual", 3, 60),
            ("baresip-plain", "rebind", 1, 90)]


# --- raw measurements --------------------------------------------------

def parse_register(line):
    """kamailio's natkeep-register line as a dict (t float, port int)."""
    fields = {}
    for kv in line.split(" contact=", 1)[0].split():
        k, _, v = kv.partition("=")
        fields[k] = v
    fields["t"] = float(fields.get("t", "nan"))
    src = fields.get("src", ":")
    fields["port"] = int(src.rsplit(":", 1)[1] or 0)
    return fields


def in_range(port, rng):
    lo, hi = (int(x) for x in rng.split("-"))
    return lo <= port <= hi


def first(trial, after, servers, want_200=True, ports=None):
    """(time, server) of the first REGISTER at SERVERS after AFTER (and
    before the trial's end) that got a 200 (or any answer), or (None, None)."""
    best = (None, None)
    end = trial.get("t_end", math.inf)
    for server in servers:
        for line in trial["registers"].get(server, []):
            r = parse_register(line)
            if not after < r["t"] <= end:
                continue
            if want_200 and r.get("code") != "200":
                continue
            if ports and not in_range(r["port"], ports):
                continue
            if best[0] is None or r["t"] < best[0]:
                best = (r["t"], server)
            break
    return best


def rounded(x, digits=3):
    return None if x is None else round(x, digits)


def figures(trial):
    """One trial's figures from agents.sh's raw measurements."""
    test = trial["test"]
    out = {"trial": trial["trial"]}
    if "error" in trial or "t_event" not in trial:
        out["error"] = trial.get("error", "the trial ended before its event")
        return out
    servers = sorted(trial["registers"])
    t_start = trial["t_start"]
    wanted = [PRIMARY] + ([SECONDARY] if test == "dual" else [])
    times = [first(trial, t_start, [s])[0] for s in wanted]
    out["registered_s"] = rounded(max(times) - t_start) if None not in times else None
    t0 = trial["t_event"]
    out["event_after_s"] = trial.get("settle_s")
    others = [s for s in servers if s != PRIMARY]
    if test == "rebind":
        t, server = first(trial, t0, servers, ports=trial["new_range"])
        out["heal_s"] = rounded(t - t0) if t else None
        out["server"] = server
        t_any, _ = first(trial, t0, servers, want_200=False, ports=trial["new_range"])
        out["first_register_s"] = rounded(t_any - t0) if t_any else None
        out["old_port"] = trial.get("public_port")
        out["missed"] = t is None
    elif test == "failover":
        t, server = first(trial, t0, others)
        out["failover_s"] = rounded(t - t0) if t else None
        out["server"] = server
        t_any, _ = first(trial, t0, others, want_200=False)
        out["first_register_s"] = rounded(t_any - t0) if t_any else None
        out["missed"] = t is None
    else:
        out.update(dual_figures(trial, t0))
        if trial["agent"] == "natkeepd":
            # The redundancy restored: a new secondary (sip3) registered.
            t, _ = first(trial, t0, [THIRD])
            out["new_secondary_s"] = rounded(t - t0) if t else None
    return out


def unregistered(samples, registered):
    """Seconds not registered: a sample that is not counts until the next."""
    total = 0.0
    for i, sample in enumerate(samples[:-1]):
        if not registered(sample):
            total += samples[i + 1][0] - sample[0]
    return total


def dual_figures(trial, t0):
    """From the registrars' samples (every 0.1 s): the time in which no live
    registrar (the primary only before its death) held a binding."""
    samples = [(float(s[0]), [int(n) if n.isdigit() else 0 for n in s[1:]])
               for s in trial.get("samples", [])]
    gaps = [b[0] - a[0] for a, b in zip(samples, samples[1:])]
    ok = len(samples) > 1
    out = {
        "samples": len(samples),
        "failed_queries": sum(n == "?" for s in trial.get("samples", []) for n in s[1:]),
        "sampled_s": rounded(samples[-1][0] - samples[0][0]) if samples else None,
        "sampled_after_death_s": rounded(samples[-1][0] - t0) if samples else None,
        "max_sample_gap_s": rounded(max(gaps)) if gaps else None,
        "unregistered_s": rounded(unregistered(
            samples, lambda s: any(s[1] if s[0] < t0 else s[1][1:]))) if ok else None,
        "missed": not ok,
    }
    if trial["agent"] == "natkeepd":
        # natkeepd's own view (natkeepctl account show), coarser.
        view = [(float(s[0]), s[1]) for s in trial.get("agent_samples", [])]
        out["agent_view_samples"] = len(view)
        out["agent_view_unregistered_s"] = rounded(unregistered(
            view, lambda s: s[1] == "registered")) if len(view) > 1 else None
    return out


FIGURE = {"rebind": "heal_s", "failover": "failover_s", "dual": "unregistered_s"}


def summary(trials, test, target):
    key = FIGURE[test]
    values = [t.get(key) for t in trials]
    got = sorted(v for v in values if v is not None)
    return {
        "figure": key,
        "values": values,
        "n": len(values),
        "missed": sum(v is None for v in values),
        "min": got[0] if got else None,
        "median": percentile(got, 50),
        "max": got[-1] if got else None,
        "target_s": rounded(target),
        "met": bool(values) and not any(v is None for v in values)
        and got[-1] <= target,
    }


def run(args):
    items = ["%s:%s:%d:%d" % p for p in args.plan]
    cmd = ["bash", AGENTS_SH, "-i", "%d" % args.interval, "-e", "%d" % args.expires,
           "-w", "%d" % args.window] + items
    setup, raw = None, []
    # Progress (stderr) passes through; stdout carries the JSON lines.
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    for line in p.stdout:
        if line.startswith("NKAGENTS-SETUP "):
            setup = json.loads(line.split(" ", 1)[1])
        elif line.startswith("NKAGENTS-TRIAL "):
            raw.append(json.loads(line.split(" ", 1)[1]))
    rc = p.wait()
    if setup is None:
        raise RuntimeError("agents.sh: no topology (exit %d)" % rc)
    rtt_s = (setup["rtt_ms"] or 0) / 1000.0
    targets = {"rebind": args.interval + rtt_s, "failover": 2.0 * args.interval,
               "dual": 0.0}
    res = {
        "keepalive_interval_s": args.interval,
        "register_expires_s": args.expires,
        "dual_window_s": args.window,
        "rtt_ms": setup["rtt_ms"],
        "setup_s": setup["setup_s"],
        "versions": setup["versions"],
        "plan": [{"agent": a, "test": t, "trials": k, "cap_s": c}
                 for a, t, k, c in args.plan],
        "targets_s": {k: rounded(v) for k, v in targets.items()},
        "configs": {a: CONFIGS[a].replace("INTERVAL", str(args.interval))
                    .replace("EXPIRES", str(args.expires))
                    for a in sorted({a for a, _, _, _ in args.plan})},
        "agents": {},
        "exit_status": rc,
        "linphone": "not measured: linphone-cli is not installed (Debian's "
                    "pulls 107 packages, avahi-daemon among them)",
    }
    for a, t, _, _ in args.plan:
        trials = [figures(r) for r in raw if r["agent"] == a and r["test"] == t]
        res["agents"].setdefault(a, {})[t] = {
            "trials": trials, "summary": summary(trials, t, targets[t])}
    return res


# --- report.py's table and check ---------------------------------------

def seconds(x):
    return "—" if x is None else "%.2f" % x


def table(part):
    out = ["### 5. natkeepd against baresip", ""]
    v = part["versions"]
    out.append(
        "One topology for both agents, as in the VM scenarios: gw 10.2.0.2 → "
        "NAT (nftables masquerade) → three kamailio %s registrars behind DNS "
        "SRV (priorities 10, 20, 30; dnsmasq), RFC 5626 outbound on "
        "(Flow-Timer = the keep-alive interval). Both agents: keep-alive "
        "interval %d s, registration expiry %d s, alice@natkeep.test from "
        "10.2.0.2:5060; RTT %s ms. Seconds on the registrars' clock, each "
        "trial with a fresh agent and its event 2–3 keep-alive intervals "
        "after the registration (a random point of the cycle). *Rebinding*: from the conntrack flush "
        "(after a new masquerade port range) to the first 200 to a REGISTER "
        "from the new public port. *Failover*: from the primary's silent "
        "death (nft drop: no answer, no ICMP, STUN included) to the first 200 "
        "at another registrar. *Dual*: time with no live registrar holding a "
        "binding, sampled every 0.1 s over %d s after the death. — : nothing within the "
        "trial's cap (a miss)." % (
            v.get("kamailio", "?"), part["keepalive_interval_s"],
            part["register_expires_s"],
            "?" if part["rtt_ms"] is None else "%.2f" % part["rtt_ms"],
            part["dual_window_s"]))
    out.append("")
    if "natkeepd" in part["configs"]:
        out.append("- natkeepd %s: %s." % (v.get("natkeepd", "?").split()[-1],
                                           part["configs"]["natkeepd"]))
    if "baresip" in part["configs"]:
        out.append("- baresip %s (libre %s): `%s`. RFC 5626 outbound: STUN "
               "keep-alives to the registrar every 80–100 %% of its "
               "Flow-Timer; a changed mapping or an unanswered keep-alive "
               "re-REGISTERs after libre's back-off (30–60 s); a REGISTER "
               "times out in 32 s before the next SRV target. Dual: two "
               "outbound flows registered at once (RFC 5626 §4.2), baresip's "
               "nearest thing to dual registration." % (
                   v.get("baresip-core", "?"), v.get("libre0", "?"),
                   part["configs"]["baresip"]))
    if "baresip-plain" in part["configs"]:
        out.append("- baresip, plain account `%s`: no keep-alives; "
                   "re-REGISTER only at the refresh (90 %% of regint)." %
                   part["configs"]["baresip-plain"])
    out.append("- linphone: %s." % part.get("linphone", "not measured"))
    out.append("")
    out.append("| test | agent | trials: s | median | max | target | verdict |")
    out.append("|---|---|---|---:|---:|---:|---|")
    names = {"rebind": "NAT rebinding → re-REGISTER 200",
             "failover": "dead primary → 200 elsewhere",
             "dual": "dual registration: unregistered"}
    for test in TESTS:
        for agent in AGENT_NAMES:
            t = part["agents"].get(agent, {}).get(test)
            if t is None:
                continue
            s = t["summary"]
            extra = ""
            if test == "dual" and agent == "natkeepd":
                ns = [x.get("new_secondary_s") for x in t["trials"]]
                extra = " (new secondary sip3 after %s s)" % ", ".join(
                    seconds(x) for x in ns)
            out.append("| %s | %s | %s%s | %s | %s | %s | %s |" % (
                names[test], AGENT_NAMES[agent],
                ", ".join(seconds(x) for x in s["values"]) or "-", extra,
                seconds(s["median"]), seconds(s["max"]),
                ("≤ %.2f" % s["target_s"]) if test != "dual" else "0",
                "met" if s["met"] else "MISSED"))
    if "baresip" in part["agents"] and "dual" not in part["agents"]["baresip"]:
        out.append("")
        out.append("baresip's dual registration was not measured.")
    return out


def check(part, result):
    """make check's smoke: every planned trial ran and its figures are
    well-formed numbers. natkeepd's must exist (it heals and fails over at
    all, within caps far above the targets); baresip's may be an explicit
    miss (its back-off is longer than the smoke's caps). No time asserted."""
    result("agents: RTT measured (a positive number)",
           is_number(part.get("rtt_ms")) and part["rtt_ms"] > 0)
    result("agents: baresip version recorded",
           bool(part.get("versions", {}).get("baresip-core")))
    for item in part["plan"]:
        agent, test, k = item["agent"], item["test"], item["trials"]
        t = part["agents"].get(agent, {}).get(test, {"trials": []})
        trials = t["trials"]
        result("agents: %s %s: %d of %d trials ran" % (agent, test, len(trials), k),
               len(trials) == k)
        for tr in trials:
            name = "agents: %s %s trial %d" % (agent, test, tr["trial"])
            result("%s: no error (%s)" % (name, tr.get("error", "none")),
                   "error" not in tr)
            r = tr.get("registered_s")
            result("%s: registered_s a number >= 0" % name, is_number(r) and r >= 0)
            key = FIGURE[test]
            v = tr.get(key)
            if test == "dual" or agent == "natkeepd":
                ok = is_number(v) and v >= 0
                what = "a number >= 0"
            else:
                ok = (is_number(v) and v >= 0) or (v is None and tr.get("missed") is True)
                what = "a number >= 0 or an explicit miss"
            result("%s: %s %s" % (name, key, what), ok)
            if test == "dual":
                result("%s: %s samples" % (name, tr.get("samples")),
                       is_number(tr.get("samples")) and tr["samples"] >= 2)
        s = t.get("summary", {})
        result("agents: %s %s: summary (target %s, met %s)" % (
            agent, test, s.get("target_s"), s.get("met")),
            is_number(s.get("target_s")) and isinstance(s.get("met"), bool))
    result("agents: table renders", bool(table(part)))


def main():
    ap = argparse.ArgumentParser(description="part 5 of make bench, alone")
    ap.add_argument("--smoke", action="store_true", help="the smoke plan")
    ap.add_argument("--interval", type=int)
    ap.add_argument("--expires", type=int, default=600)
    ap.add_argument("--window", type=int)
    ap.add_argument("items", nargs="*", help="AGENT:TEST:TRIALS:CAP (default: the plan)")
    a = ap.parse_args()
    items = [tuple(x if i < 2 else int(x) for i, x in enumerate(item.split(":")))
             for item in a.items] or plan(a.smoke)
    args = argparse.Namespace(interval=a.interval or (2 if a.smoke else 5),
                              expires=a.expires,
                              window=a.window or (6 if a.smoke else 20),
                              plan=items)
    part = run(args)
    print(json.dumps(part, indent=1, sort_keys=True))
    print("\n".join(table(part)), file=sys.stderr)


if __name__ == "__main__":
    main()

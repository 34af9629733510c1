#!/usr/bin/python3
"""Checks what udp_sink.py received from one flow.

    sink_check.py FILE --payload TEXT --src ADDR --sport PORT --interval MS
                  [--random] [--min-count N] [--after NS] [--before NS]

Every datagram must carry exactly the payload (Python escapes: 'keep-alive\\r\\n')
from exactly ADDR:PORT. Timing, in kernel receive times:
- fixed interval: the mean gap over the whole run is the interval within 2 %
  (the schedule is absolute, so lateness does not add up into drift) and no
  single gap is off by more than half an interval (emulator noise is ms);
- random: every gap within 80..100 % of the interval (with 5 % or 10 ms of
  slack, whichever is more: both ends of a gap carry the emulator's timer
  noise), their mean near 90 %, and the gaps really vary.
Either way one datagram may arrive late (the emulator stalls the whole VM
now and then, for up to ~100 ms): a gap too long followed by one too short
whose sum is two good gaps, i.e. the schedule kept. It is reported; a
second one, or a pair that does not add up, is a failure.
A flow's very first datagram waits for ARP/NDP to resolve the receiver,
tens of ms under a loaded emulator: without --after, timing starts at the
second datagram (the first one's payload and source are still checked).
Prints what it found; exits 1 with the reason on a mismatch."""
import argparse
import statistics
import sys


def off_gaps(gaps, ok, ok_two):
    """The gaps that OK refuses, as 'MS (gap N)', less one late datagram:
    two neighbours both refused whose sum OK_TWO accepts (printed, not
    counted)."""
    bad = [i for i, g in enumerate(gaps) if not ok(g)]
    if (len(bad) == 2 and bad[1] == bad[0] + 1 and
            ok_two(gaps[bad[0]] + gaps[bad[1]])):
        print("one late datagram, the schedule kept: gaps %.2f, %.2f ms" %
              (gaps[bad[0]], gaps[bad[1]]))
        return []
    return ["%.2f (gap %d of %d)" % (gaps[i], i + 1, len(gaps)) for i in bad]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--payload", required=True)
    ap.add_argument("--src", required=True)
    ap.add_argument("--sport", type=int, required=True)
    ap.add_argument("--interval", type=float, required=True)
    ap.add_argument("--random", action="store_true")
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--after", type=int, default=0)
    ap.add_argument("--before", type=int, default=1 << 63)
    a = ap.parse_args()
    want = a.payload.encode().decode("unicode_escape").encode().hex()

    times, problems = [], []
    for line in open(a.file):
        ts, src, sport, data = (line.split() + [""])[:4]
        ts = int(ts)
        if not a.after <= ts < a.before:
            continue
        if src.removeprefix("::ffff:") != a.src or int(sport) != a.sport:
            problems.append("datagram from %s:%s, want %s:%d" % (src, sport, a.src, a.sport))
        if data != want:
            problems.append("payload %s, want %s" % (data, want))
        times.append(ts)

    timed = times if a.after else times[1:]
    gaps = [(b - t) / 1e6 for t, b in zip(timed, timed[1:])]
    print("%d datagrams" % len(times), end="")
    if gaps:
        print(", gaps ms: mean %.2f median %.2f min %.2f max %.2f" %
              (statistics.mean(gaps), statistics.median(gaps), min(gaps), max(gaps)), end="")
    print()
    if len(times) < a.min_count:
        problems.append("%d datagrams, want at least %d" % (len(times), a.min_count))
    elif a.random:
        slack = max(0.05 * a.interval, 10.0)
        lo, hi = 0.8 * a.interval - slack, a.interval + slack
        bad = off_gaps(gaps, lambda g: lo <= g <= hi,
                       lambda g2: 2 * lo <= g2 <= 2 * hi)
        if bad:
            problems.append("gaps outside %.1f..%.1f ms: %s" % (lo, hi, ", ".join(bad[:5])))
        mean = statistics.mean(gaps)
        if not 0.85 * a.interval <= mean <= 0.95 * a.interval:
            problems.append("mean gap %.2f ms, want about %.1f" % (mean, 0.9 * a.interval))
        if statistics.pstdev(gaps) < 0.02 * a.interval:
            problems.append("gaps do not vary: not randomised")
    else:
        mean = statistics.mean(gaps)
        if abs(mean - a.interval) > 0.02 * a.interval:
            problems.append("mean gap %.2f ms, want %.1f +- 2 %%" % (mean, a.interval))
        bad = off_gaps(gaps, lambda g: abs(g - a.interval) <= 0.5 * a.interval,
                       lambda g2: abs(g2 - 2 * a.interval) <= 0.5 * a.interval)
        if bad:
            problems.append("gaps far from %.1f ms: %s" % (a.interval, ", ".join(bad[:5])))

    for p in sorted(set(problems)):
        print("problem:", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""make bench, on the host before the VM boots: usender's CPU time at the
packet rates of the scale part, at the hardware's own speed (the host runs
no emulator). The scale table turns natkeep's CPU against usender's in the
VM into an estimate of natkeep's CPU on this hardware: the VM's ratio times
usender's cost here. An estimate, not a measurement: the host's kernel is
not the VM's, and the emulator may slow one path more than the other.

    native.py OUT.json [--smoke]

usender sends from one namespace over a veth to a neighbour whose MAC
address no interface has: the peer drops each packet at the first look
(another host's), so the send costs what a send to the VM's dummy device
does, and nothing answers.
"""
import argparse
import json
import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench import scale_args  # noqa: E402
from benchlib import Cleanup, sh, start_usender, usender_result  # noqa: E402
from scale import interval_s  # noqa: E402

SND, PEER = "nkb-native", "nkb-native-peer"


def send_cpu(rate, seconds):
    """usender at RATE packets/s for SECONDS: sent/s and % of one core."""
    sent, cpu_ns = usender_result(start_usender(SND, rate, seconds, "10.30.9.1:9000",
                                                "10.30.9.2:5060", 200000000),
                                  seconds + 30)
    return {"packets_per_s": rate, "sent_per_s": sent / seconds,
            "cpu_percent_of_one_core": 100.0 * cpu_ns / (seconds * 1e9)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    scale = scale_args(args.smoke)
    seconds = 1 if args.smoke else 10
    with Cleanup() as c:
        c.netns(SND)
        c.netns(PEER)
        # The peer has no address: it drops what it is sent unread.
        c.veth(SND, "v0", "10.30.9.1/24", PEER, "v1", None)
        sh("ip", "-n", SND, "neigh", "add", "10.30.9.2", "lladdr",
           "02:00:00:00:00:99", "dev", "v0", "nud", "permanent")
        time.sleep(0.5)
        points = [send_cpu(n / interval_s(scale.interval), seconds)
                  for n in scale.sizes]
    with open(args.out, "w") as f:
        json.dump({"kernel": platform.release(), "seconds": seconds,
                   "points": points}, f)


if __name__ == "__main__":
    main()

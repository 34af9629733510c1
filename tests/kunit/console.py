#!/usr/bin/env python3
"""Post-process a natkeep KUnit UML console (helper of run.sh).

console.py CONSOLE KTAP_OUT
  - writes KTAP_OUT: the console with a KTAP header that covers the test
    module's suites, for `kunit.py parse`. (With kunit.filter_glob the boot-time
    executor prints "KTAP version 1 / 1..0"; a module's suites, run at insmod,
    then come after a plan of 0 and the parser would stop there.)
  - prints kernel trouble reports (BUG/WARNING/Oops/KASAN/lockdep/UBSAN) found
    after init's first "natkeep-kunit: insmod" marker, i.e. while our code was
    loaded, to stderr; known UML-kernel noise is listed and ignored.
  - exit 0 if no report, 1 if there were reports, 2 if the marker is missing.
"""
import re
import sys

MARKER = "natkeep-kunit: insmod"
REPORT = re.compile(
    r"(BUG:|WARNING:|Oops|Kernel panic|UBSAN:|general protection|"
    r"Unable to handle|kernel BUG|INFO: task .* blocked|"
    r"possible recursive locking|possible circular locking|"
    r"inconsistent lock state|suspicious RCU usage|"
    r"=====================*\s*$)")
# Reports that the stock 6.1 UML KUnit kernel prints by itself (not ours):
#  - arch/um/drivers/virt-pci.c: "No virtio device ID configured for PCI"
#    (kunit's arch_uml.config enables UML_PCI_OVER_VIRTIO with no device id),
#    printed at boot, before init.
#  - lockdep "suspicious RCU usage" in lib/maple_tree.c from UML's fork path
#    (force_flush_all / fork_handler), printed once per site on the first fork.
KNOWN_NOISE = [
    re.compile(r"arch/um/drivers/virt-pci\.c"),
    re.compile(r"lib/maple_tree\.c:\d+ suspicious rcu_dereference_check"),
]


def main():
    console, ktap_out = sys.argv[1], sys.argv[2]
    with open(console, errors="backslashreplace") as f:
        lines = f.read().splitlines()

    # --- KTAP: drop top-level headers/plans, prepend one for all suites
    # Only from the first suite on (the boot log would be echoed as noise).
    first = next((i for i, l in enumerate(lines)
                  if re.match(r"^    (KTAP version \d+|# Subtest: )", l)), len(lines))
    body = [l for l in lines[first:]
            if not re.fullmatch(r"KTAP version \d+|TAP version \d+|1\.\.\d+", l)
            and not l.startswith("natkeep-kunit: ")]
    # every suite starts with an indented "# Subtest:" (4 spaces) at top level;
    # counting starts (not results) makes a crashed suite show as missing.
    nsuites = sum(1 for l in body if re.match(r"^    # Subtest: ", l))
    out, n = [], 0
    for l in body:
        m = re.match(r"^(not ok|ok) \d+ (.*)$", l)
        if m:  # renumber top-level results in order (several modules)
            n += 1
            l = f"{m.group(1)} {n} {m.group(2)}"
        out.append(l)
    with open(ktap_out, "w") as f:
        f.write("KTAP version 1\n1..%d\n" % nsuites)
        f.write("\n".join(out) + "\n")

    # --- kernel reports while our module was loaded
    try:
        start = next(i for i, l in enumerate(lines) if l.startswith(MARKER))
    except StopIteration:
        print("kunit: error: init never ran insmod (no '%s' line)" % MARKER,
              file=sys.stderr)
        return 2
    bad, noise = [], []
    i = start
    while i < len(lines):
        if REPORT.search(lines[i]):
            ctx = "\n".join(lines[i:i + 6])
            block = lines[i:i + 40]
            if any(p.search(ctx) for p in KNOWN_NOISE):
                noise.append(next(l for l in lines[i:i + 6]
                                  if any(p.search(l) for p in KNOWN_NOISE)).strip())
                # the splat's body lines (stack, trace) match no REPORT pattern
                i += 6
                continue
            bad.append("\n".join(block))
            i += 40
            continue
        i += 1
    for l in noise:
        print("kunit: ignored known UML kernel noise: %s" % l, file=sys.stderr)
    if bad:
        print("kunit: error: kernel reported problems while the test module was loaded:",
              file=sys.stderr)
        for b in bad[:5]:
            print(b, file=sys.stderr)
            print("...", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

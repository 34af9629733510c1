#!/usr/bin/python3
"""The YNL spec and the uapi header describe one contract: every name and
value the spec defines (commands, attributes, enums, constants, the family
and group names) must be what the header defines. The spec is turned into
C static assertions and compiled against the header, so a mismatch fails
to compile and names the symbol.

Prints PASS/FAIL lines and `N passed, N failed`."""
import os
import subprocess
import sys
import tempfile

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPEC = os.path.join(TOP, "include/uapi/linux/natkeep.yaml")


def cname(prefix, name):
    return (prefix + name).upper().replace("-", "_")


def assertions(spec):
    """(symbol, expected value as C) for everything the spec defines."""
    fam = spec["name"]
    yield "NATKEEP_GENL_NAME", '"%s"' % fam
    for grp in spec["mcast-groups"]["list"]:
        yield "NATKEEP_MCGRP_" + grp["name"].upper(), '"%s"' % grp["name"]
    for d in spec.get("definitions", []):
        if d["type"] == "const":
            yield cname(fam + "-", d["name"]), str(d["value"])
        elif d["type"] == "enum":
            for i, e in enumerate(d["entries"]):
                yield cname(d["name-prefix"], e), str(i)
    for aset in spec["attribute-sets"]:
        value = 0
        for a in aset["attributes"]:
            value = a.get("value", value)
            yield cname(aset["name-prefix"], a["name"]), str(value)
            value += 1
        # Nothing in the header past the spec's last one.
        yield cname(aset["name-prefix"], "max"), str(value - 1)
    ops = spec["operations"]
    value = 0
    for op in ops["list"]:
        value = op.get("value", value)
        yield cname(ops["name-prefix"], op["name"]), str(value)
        value += 1
    yield cname(ops["name-prefix"], "max"), str(value - 1)


def main():
    spec = yaml.safe_load(open(SPEC))
    checks = list(assertions(spec))
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for sym, want in checks:
            src = os.path.join(tmp, "t.c")
            with open(src, "w") as f:
                f.write("#include <linux/natkeep.h>\n#include <string.h>\n")
                if want.startswith('"'):
                    f.write("static const char s[] = %s;\n" % sym)
                    f.write('_Static_assert(sizeof(s) == sizeof(%s), "x");\n' % want)
                    f.write('int main(void) { return strcmp(s, %s) != 0; }\n' % want)
                else:
                    f.write('_Static_assert((%s) == (%s), "x");\n' % (sym, want))
                    f.write("int main(void) { return 0; }\n")
            exe = os.path.join(tmp, "t")
            cc = subprocess.run(["cc", "-std=c11", "-I" + os.path.join(TOP, "include/uapi"),
                                 "-o", exe, src], capture_output=True, text=True)
            ok = cc.returncode == 0 and subprocess.run([exe]).returncode == 0
            if ok:
                passed += 1
            else:
                failed += 1
                print("FAIL: spec says %s = %s, the header does not agree" % (sym, want))
    print("PASS: %d names of natkeep.yaml checked against natkeep.h" % passed if not failed
          else "FAIL: natkeep.yaml and natkeep.h disagree")
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

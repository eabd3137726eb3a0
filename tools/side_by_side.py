#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""side_by_side.py USER_OUTPUT KERNEL_OUTPUT: put the demo's report from
user space next to the kernel's, decode the float bit patterns, and exit
non-zero unless every line is identical (the runs must be bit-identical)."""
import re
import struct
import sys


def report(path):
    lines = {}
    for raw in open(path, errors="replace"):
        m = re.search(r"kmlib-demo: (\S+) (.*)$", raw.strip())
        if m:
            key, rest = m.groups()
            if key == "epoch":
                epoch, _, bits = rest.split()
                key, rest = "epoch %3s loss" % epoch, bits
            lines[key] = rest
    return lines


def show(key, value):
    if key.startswith("epoch"):
        return "%.7f" % struct.unpack("<f", bytes.fromhex(value)[::-1])[0]
    return value


def main():
    user, kern = report(sys.argv[1]), report(sys.argv[2])
    if not user or not kern:
        print("side-by-side: a report is missing (user %d lines, kernel %d)"
              % (len(user), len(kern)))
        return 1
    same = True
    print("%-18s %-36s %-36s %s" % ("", "user space", "kernel", ""))
    for key in list(dict.fromkeys(list(user) + list(kern))):
        u, k = user.get(key, "-"), kern.get(key, "-")
        mark = "=" if u == k else "DIFFERS"
        same &= u == k
        print("%-18s %-36s %-36s %s" % (key, show(key, u) if u != "-" else u,
                                        show(key, k) if k != "-" else k, mark))
    print("bit-identical: %s" % ("yes" if same else "NO"))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())

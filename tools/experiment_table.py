#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# experiment_table.py RESULTS: read the fio JSON reports that
# guest-experiment.sh wrote between "=== fio <scheduler> <run>" and
# "=== end", and print per scheduler and direction the IOPS and the p50,
# p99 and p99.9 completion latency (median over the runs of each
# scheduler), side by side. Fails when a report is missing or fio counted
# errors.
import json
import statistics
import sys


def reports(path):
    cur, buf = None, []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("=== fio "):
                _, _, sched, run = line.split()
                cur, buf = (sched, int(run)), []
            elif line == "=== end" and cur:
                text = "\n".join(buf)
                # fio may print notes before the JSON object
                yield cur, json.loads(text[text.index("{"):])
                cur = None
            elif cur:
                buf.append(line)


def main():
    rows = {}
    errors = 0
    for (sched, _run), rep in reports(sys.argv[1]):
        for job in rep["jobs"]:
            errors += job.get("error", 0) + job.get("total_err", 0)
            for d in ("read", "write"):
                st = job[d]
                pct = st["clat_ns"].get("percentile", {})
                r = rows.setdefault((sched, d), {"iops": [], "p50": [], "p99": [], "p99.9": []})
                r["iops"].append(st["iops"])
                r["p50"].append(pct.get("50.000000", 0) / 1e6)
                r["p99"].append(pct.get("99.000000", 0) / 1e6)
                r["p99.9"].append(pct.get("99.900000", 0) / 1e6)
    if not rows:
        print("experiment: no fio reports in", sys.argv[1])
        return 1
    print(f"{'scheduler':<12} {'dir':<5} {'runs':>4} {'IOPS':>8} {'p50 ms':>8} {'p99 ms':>8} {'p99.9 ms':>9}")
    for (sched, d), r in sorted(rows.items()):
        med = {k: statistics.median(v) for k, v in r.items()}
        print(f"{sched:<12} {d:<5} {len(r['iops']):>4} {med['iops']:>8.1f} {med['p50']:>8.2f} "
              f"{med['p99']:>8.2f} {med['p99.9']:>9.2f}")
    if errors:
        print(f"experiment: fio counted {errors} errors")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
# experiment_table.py RESULTS [--md FILE] [--png FILE] [--setup TEXT]:
# the table and plot of tools/experiment.sh. RESULTS holds one block per
# fio run (tools/kernel/guest-experiment.sh):
#   === run N WORKLOAD CONFIG / --- cpu0 ... / fio JSON+ / --- cpu1 ... /
#   --- attr NAME VALUE ... / === end
# Per workload and configuration, over the repeats: median (min-max) of
# the fio completion latency (mean, p50, p99, p99.9) for reads and writes,
# the mean submission latency (slat: time in the submitting system call,
# e.g. waiting for a scheduler tag; clat starts after it, so a scheduler
# that holds requests at submission looks faster in clat alone),
# IOPS, deadline misses, rejected I/Os, model accuracy and CPU cost per
# request. Deadline misses are counted two ways:
#   read/write miss %: share of I/Os whose completion latency (fio clat, from the
#            JSON+ histogram) exceeded the expiry time of their direction;
#            the same measure for every scheduler (it includes the time on
#            the device, so it is stricter than the scheduler's own)
#   kernel:  stat_deadline_misses / stat_inserted of mq-kmlib (dispatched
#            after the deadline); mq-deadline does not count them: n/a
# Rejections: "EAGAIN (fio)" is fio's count of failed opted-in NOWAIT
# I/Os (the scheduler's rejections plus any NOWAIT failure elsewhere in
# the block layer, e.g. no free tag), "rejected" mq-kmlib's stat_rejected,
# "over budget" its stat_reject_over_budget (predicted misses it did not
# reject because the queue's reject_max per second was used up).
# IOPS: completed I/Os only (fio's own IOPS include failed ones). The
# latencies and miss shares are over completed I/Os only: fio 3.33 leaves
# failed ones out of clat (clat N = total_ios - errors of a direction),
# so rejection removes the requests predicted slowest from the figures.
# CPU per request: guest system+irq+softirq time from /proc/stat (10 ms
# ticks) over the run / completed I/Os (both schedulers, whole guest), and
# mq-kmlib's own stat_hook_ns and stat_train_ns (the training thread) per
# request seen (stat_inserted + stat_rejected).
import argparse
import json
import statistics
import sys

CONFIG_ORDER = ["mq-deadline", "off", "observe", "expedite", "reject", "off-nowait"]
USER_HZ_NS = 10_000_000


def blocks(path):
    cur = None
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("=== run "):
                _, _, n, wl, cfg = line.split()
                cur = {"run": int(n), "wl": wl, "cfg": cfg, "json": [], "attr": {}}
            elif cur is None:
                continue
            elif line == "=== end":
                yield cur
                cur = None
            elif line.startswith("--- cpu0 ") or line.startswith("--- cpu1 "):
                cur[line[4:8]] = [int(x) for x in line.split()[3:]]
            elif line.startswith("--- attr "):
                parts = line.split(None, 3)
                cur["attr"][parts[2]] = parts[3] if len(parts) > 3 else ""
            else:
                cur["json"].append(line)


def num(attrs, name):
    try:
        return float(attrs.get(name, "n/a"))
    except ValueError:
        return None


def parse_run(b):
    text = "\n".join(b["json"])
    try:
        rep = json.loads(text[text.index("{"):])
    except ValueError:
        return None
    job = rep["jobs"][0]  # group_reporting: one entry for the 4 threads
    r = {"wl": b["wl"], "cfg": b["cfg"], "bins": {}}
    a = b["attr"]
    expire = {"read": num(a, "read_expire"), "write": num(a, "write_expire")}
    ios = 0
    miss = 0
    for d in ("read", "write"):
        st = job[d]
        clat = st["clat_ns"]
        pct = clat.get("percentile", {})
        r[d + " mean"] = clat.get("mean", 0) / 1e6
        r[d + " p50"] = pct.get("50.000000", 0) / 1e6
        r[d + " p99"] = pct.get("99.000000", 0) / 1e6
        r[d + " p99.9"] = pct.get("99.900000", 0) / 1e6
        r[d + " slat"] = st.get("slat_ns", {}).get("mean", 0) / 1e6
        r[d + " iops"] = st["iops"]
        bins = {int(k): v for k, v in clat.get("bins", {}).items()}
        r["bins"][d] = bins
        ios += st["total_ios"]
        r[d + " miss %"] = None
        if expire[d] is not None:
            lim = expire[d] * 1e6
            m = sum(v for k, v in bins.items() if k > lim)
            miss += m
            n = sum(bins.values())
            r[d + " miss %"] = 100.0 * m / n if n else None
    err = job.get("total_err", 0)
    ok = max(ios - err, 0)
    # fio counts failed (rejected) I/Os in its IOPS: only completed ones here
    r["iops"] = (r["read iops"] + r["write iops"]) * (ok / ios if ios else 0)
    r["fio miss %"] = 100.0 * miss / ios if ios else None
    r["EAGAIN (fio)"] = job.get("total_err", 0)
    r["rejected"] = num(a, "stat_rejected")
    r["over budget"] = num(a, "stat_reject_over_budget")
    r["errors"] = job.get("error", 0)
    ins = num(a, "stat_inserted")
    dm = num(a, "stat_deadline_misses")
    r["kernel miss %"] = 100.0 * dm / ins if dm is not None and ins else None
    r["predictions"] = num(a, "stat_predictions")
    predicted = bool(r["predictions"])  # policy off predicts nothing
    acc = num(a, "stat_accuracy_ppm")
    r["accuracy %"] = acc / 1e4 if acc is not None and predicted else None
    base = num(a, "stat_baseline_ppm")
    r["baseline %"] = base / 1e4 if base is not None and predicted else None
    # requests the hooks saw: inserted ones and rejected ones (never inserted)
    seen = (ins or 0) + (r["rejected"] or 0)
    hook = num(a, "stat_hook_ns")
    r["hook ns/rq"] = hook / seen if hook is not None and seen else None
    train = num(a, "stat_train_ns")
    r["train ns/rq"] = train / seen if train is not None and seen else None
    if "cpu0" in b and "cpu1" in b and ok:
        # /proc/stat cpu: user nice system idle iowait irq softirq ...
        d = [y - x for x, y in zip(b["cpu0"], b["cpu1"])]
        r["sys us/rq"] = (d[2] + d[5] + d[6]) * USER_HZ_NS / 1e3 / ok
    else:
        r["sys us/rq"] = None
    r["expedited"] = num(a, "stat_expedited")
    r["mem"] = num(a, "mem_bytes")
    r["expire"] = expire
    return r


def cell(vals, fmt):
    vals = [v for v in vals if v is not None]
    if not vals:
        return "n/a"
    med = statistics.median(vals)
    if len(vals) == 1 or min(vals) == max(vals):
        return fmt.format(med)
    return (fmt + " ({}-{})").format(med, fmt.format(min(vals)), fmt.format(max(vals)))


LAT_COLS = [("read mean", "{:.1f}"), ("read p50", "{:.1f}"), ("read p99", "{:.1f}"),
            ("read p99.9", "{:.1f}"), ("read slat", "{:.1f}"), ("write mean", "{:.1f}"),
            ("write p50", "{:.1f}"), ("write p99", "{:.1f}"), ("write p99.9", "{:.1f}"),
            ("write slat", "{:.1f}")]
BEH_COLS = [("iops", "{:.0f}"), ("read miss %", "{:.2f}"), ("write miss %", "{:.2f}"), ("kernel miss %", "{:.2f}"),
            ("EAGAIN (fio)", "{:.0f}"), ("rejected", "{:.0f}"), ("over budget", "{:.0f}"),
            ("expedited", "{:.0f}"), ("predictions", "{:.0f}"),
            ("accuracy %", "{:.1f}"), ("baseline %", "{:.1f}"),
            ("hook ns/rq", "{:.0f}"), ("train ns/rq", "{:.0f}"), ("sys us/rq", "{:.0f}")]


def table(runs, wl, cols, title):
    out = [f"**{wl}**: {title}", "",
           "| config | n | " + " | ".join(c for c, _ in cols) + " |",
           "|---|---|" + "---|" * len(cols)]
    for cfg in CONFIG_ORDER + sorted({r["cfg"] for r in runs} - set(CONFIG_ORDER)):
        rs = [r for r in runs if r["wl"] == wl and r["cfg"] == cfg]
        if rs:
            out.append(f"| {cfg} | {len(rs)} | " +
                       " | ".join(cell([r[c] for r in rs], f) for c, f in cols) + " |")
    return out


def versus(runs, wl):
    """Change of the median mean latency against mq-deadline and off."""
    out = []
    for d in ("read", "write"):
        med = {}
        for cfg in CONFIG_ORDER:
            vals = [r[d + " mean"] for r in runs if r["wl"] == wl and r["cfg"] == cfg]
            if vals:
                med[cfg] = statistics.median(vals)
        parts = []
        for cfg in ("off", "observe", "expedite", "reject", "off-nowait"):
            if cfg in med:
                refs = ("mq-deadline", "off-nowait" if cfg == "reject" else "off")
                rel = [f"{100 * (med[cfg] / med[ref] - 1):+.1f}% vs {ref}"
                       for ref in refs if ref in med and ref != cfg and med[ref]]
                if rel:
                    parts.append(f"{cfg} {', '.join(rel)}")
        if parts:
            out.append(f"- {wl} {d} mean latency: " + "; ".join(parts))
    return out


def plot(runs, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    wls = sorted({r["wl"] for r in runs})
    fig, axes = plt.subplots(len(wls), 2, figsize=(11, 4.2 * len(wls)), squeeze=False)
    for i, wl in enumerate(wls):
        for j, d in enumerate(("read", "write")):
            ax = axes[i][j]
            for cfg in CONFIG_ORDER:
                hist = {}
                for r in runs:
                    if r["wl"] == wl and r["cfg"] == cfg:
                        for k, v in r["bins"].get(d, {}).items():
                            hist[k] = hist.get(k, 0) + v
                if not hist:
                    continue
                total = sum(hist.values())
                xs, ys, above = [], [], total
                for k in sorted(hist):
                    above -= hist[k]
                    if above <= 0:
                        break
                    xs.append(k / 1e6)
                    ys.append(above / total)
                ax.step(xs, ys, where="post", label=cfg)
            exp = next((r["expire"][d] for r in runs if r["wl"] == wl), None)
            if exp:
                ax.axvline(exp, color="grey", linestyle=":", label=f"{d}_expire {exp:.0f} ms")
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel(f"{d} completion latency (ms)")
            ax.set_ylabel("fraction of I/Os slower")
            ax.set_title(f"{wl}: {d}s (all repeats pooled)")
            ax.grid(True, which="both", alpha=0.3)
            ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=90)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--md")
    ap.add_argument("--png")
    ap.add_argument("--setup", default="")
    args = ap.parse_args()
    runs, bad = [], 0
    for b in blocks(args.results):
        r = parse_run(b)
        if r is None:
            print(f"experiment: run {b['run']} {b['wl']} {b['cfg']}: no fio report")
            bad += 1
        else:
            runs.append(r)
    if not runs:
        print("experiment: no fio reports in", args.results)
        return 1
    lines = []
    if args.setup:
        lines += [f"Setup: {args.setup}", ""]
    for wl in sorted({r["wl"] for r in runs}):
        lines += table(runs, wl, LAT_COLS, "completion latency (slat: mean submission latency) in ms, "
                       "median (min-max) over the repeats")
        lines.append("")
        lines += table(runs, wl, BEH_COLS, "throughput, deadlines, model, CPU; median (min-max)")
        lines.append("")
        lines += versus(runs, wl)
        lines.append("")
    mem = [r["mem"] for r in runs if r["mem"] is not None and r["cfg"] != "mq-deadline"]
    if mem:
        lines.append(f"mq-kmlib mem_bytes per queue after a run: {min(mem):.0f}-{max(mem):.0f} B")
    text = "\n".join(lines)
    print(text)
    if args.md:
        with open(args.md, "w") as f:
            f.write(text + "\n")
    if args.png:
        plot(runs, args.png)
        print("plot:", args.png)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

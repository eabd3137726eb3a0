#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""Synthetic mq-kmlib trace (format v1) whose slack is a known linear
function of mqk_features() plus Gaussian noise, and the accuracies a
linear model should reach on it, computed independently with numpy.

  /usr/bin/python3 tools/gen_mqk_trace.py tests/data/mqk_synth.trace \
      tests/data/mqk_synth.expected

The features are recomputed here in exact integer arithmetic from the
definitions in sched/mq-kmlib/mqk_features.c (not from its code). Written
and read in column order different from struct mqk_sample's, with an extra
column the reader must ignore.
"""
import sys

import numpy as np

N = 4000
N_TRAIN = 1000  # the paper's protocol
LAST = 1000  # online: accuracy over the last LAST samples
LR = 0.01  # the tool's linear defaults: SGD, batch 1, 20 epochs
EPOCHS = 20
ONE = 65536
FMAX = 8 * ONE
CAP = 2097152  # 1 GiB in sectors
READ_EXPIRE_US, WRITE_EXPIRE_US = 500000, 5000000
# slack / deadline = B + W . features + noise (then at most 1: wait >= 0)
W = np.array([0.3, -0.2, 0.0, -0.9, -0.2, -0.4, -0.8, 0.1])
B = 1.6
NOISE = 0.15

COLUMNS = ["op", "slack_us", "sector", "sectors", "tag", "capacity",
           "queued_same", "queued_other", "inflight", "recent_wait_us",
           "since_last_us", "deadline_us"]


def ratio_q16(num, den):
    if den == 0:
        return 0
    if num >= 8 * den:
        return FMAX
    return (num << 16) // den


def features(s):
    return [ONE if s["op"] == 1 else 0,
            ratio_q16(s["sectors"], 256),
            ratio_q16(s["sector"], s["capacity"] or 1),
            ratio_q16(s["queued_same"], 32),
            ratio_q16(s["queued_other"], 32),
            ratio_q16(s["inflight"], 32),
            ratio_q16(s["recent_wait_us"], s["deadline_us"] or 1),
            ratio_q16(s["since_last_us"], 1000)]


def target_q16(s):
    den = s["deadline_us"] or 1
    num = s["slack_us"] * ONE
    q = abs(num) // den  # C's division truncates towards zero
    q = -q if num < 0 else q
    return max(-FMAX, min(FMAX, q))


def make_samples(rng):
    out = []
    for i in range(N):
        op = int(rng.random() < 0.3)
        dl = WRITE_EXPIRE_US if op else READ_EXPIRE_US
        s = {"op": op, "sectors": int(8 << rng.integers(0, 6)),
             "sector": int(rng.integers(0, CAP)), "capacity": CAP,
             "queued_same": int(rng.integers(0, 49)),
             "queued_other": int(rng.integers(0, 33)),
             "inflight": int(rng.integers(0, 33)),
             "recent_wait_us": int(rng.integers(0, dl * 6 // 5)),
             "since_last_us": int(min(8000, rng.exponential(300))),
             "deadline_us": dl, "tag": int(rng.integers(-5, 6))}
        x = np.array(features(s), dtype=np.float64) / ONE
        t = min(1.0, B + W @ x + rng.normal(0.0, NOISE))
        s["slack_us"] = int(round(t * dl))
        s["clean"] = B + W @ x  # noiseless truth, for the oracle
        out.append(s)
    return out


def sgd(X, y, w, epochs, lr):
    """Plain SGD on MSE, batch 1, in order: d/dw (p - t)^2 = 2 (p - t) x."""
    for _ in range(epochs):
        for i in range(len(y)):
            e = X[i] @ w - y[i]
            w = w - lr * 2.0 * e * X[i]
    return w


def online(X, y, lr):
    w = np.zeros(X.shape[1])
    pred = np.empty(len(y))
    for i in range(len(y)):
        pred[i] = X[i] @ w
        w = w - lr * 2.0 * (pred[i] - y[i]) * X[i]
    return pred


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_mqk_trace.py TRACE EXPECTED")
    rng = np.random.default_rng(2026)
    samples = make_samples(rng)
    with open(sys.argv[1], "w") as f:
        f.write("# mq-kmlib trace v1\n")
        f.write("# synthetic: tools/gen_mqk_trace.py\n")
        f.write("# columns: " + " ".join(COLUMNS) + "\n")
        for s in samples:
            f.write(" ".join(str(s[c]) for c in COLUMNS) + "\n")

    X = np.array([features(s) for s in samples], dtype=np.float64) / ONE
    X = np.hstack([X, np.ones((N, 1))])  # bias column
    y = np.array([target_q16(s) for s in samples], dtype=np.float64) / ONE
    slack = np.array([s["slack_us"] for s in samples], dtype=np.float64)
    dl = np.array([s["deadline_us"] for s in samples], dtype=np.float64)
    miss = slack < 0
    clean = np.array([s["clean"] for s in samples])

    te = slice(N_TRAIN, N)
    lst = slice(N - LAST, N)

    def acc(pred, sl):
        return float(np.mean((pred[sl] < 0) == miss[sl]))

    def majority(sl):
        m = float(np.mean(miss[sl]))
        return max(m, 1.0 - m)

    def mae(pred, sl):
        return float(np.mean(np.abs(pred[sl] * dl[sl] - slack[sl])))

    w_ls = np.linalg.lstsq(X[:N_TRAIN], y[:N_TRAIN], rcond=None)[0]
    w_sgd = sgd(X[:N_TRAIN], y[:N_TRAIN], np.zeros(X.shape[1]), EPOCHS, LR)
    p_on = online(X, y, LR)
    exp = {
        "samples": N,
        "misses": int(miss.sum()),
        "test_misses": int(miss[te].sum()),
        "last_misses": int(miss[lst].sum()),
        "test_majority": majority(te),
        "online_majority": majority(slice(0, N)),
        "last_majority": majority(lst),
        "test_oracle_accuracy": acc(clean, te),
        "test_lstsq_accuracy": acc(X @ w_ls, te),
        "test_lstsq_mae_us": mae(X @ w_ls, te),
        "test_sgd_accuracy": acc(X @ w_sgd, te),
        "test_sgd_mae_us": mae(X @ w_sgd, te),
        "online_sgd_accuracy": acc(p_on, slice(0, N)),
        "last_sgd_accuracy": acc(p_on, lst),
        "last_sgd_mae_us": mae(p_on, lst),
    }
    with open(sys.argv[2], "w") as f:
        f.write("# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause\n")
        f.write("# tools/gen_mqk_trace.py: numpy's numbers for "
                "mqk_synth.trace (float64; SGD lr %g, batch 1, %d epochs, "
                "zero init)\n" % (LR, EPOCHS))
        for k, v in exp.items():
            f.write("%s %s\n" % (k, repr(v)))
    for k, v in exp.items():
        print(k, v)


if __name__ == "__main__":
    main()

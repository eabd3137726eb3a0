#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""Generate tests/cases/qtrain_vectors.h: golden single SGD steps of the
fixed-point MLP of include/kmlib/qtrain.h, from an independent numpy +
Python integer implementation of the definition written in that header
(sequential int32 saturating sums, ties-to-even roundings, tanh by the
interpolated mpmath table, xoshiro256** for stochastic rounding).
Run: /usr/bin/python3 tools/gen_qtrain_vectors.py > tests/cases/qtrain_vectors.h
"""
import random

import mpmath
import numpy as np

rng = random.Random(20261128)
M64 = (1 << 64) - 1


def sat(v, bits):
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return max(lo, min(hi, int(v)))


def rnd(v, k):
    """v / 2^k to nearest, ties to even (Python >> floors)."""
    v = int(v)
    if k == 0:
        return v
    q = v >> k
    r = v - (q << k)
    half = 1 << (k - 1)
    if r > half:
        return q + 1
    if r < half:
        return q
    return q + (q & 1)


# ---- tanh in Q0.15 from Q3.12: 513-entry table over [0, 8], step 1/64 ----
mpmath.mp.dps = 30
TANH = [min(32767, int(mpmath.nint(mpmath.tanh(mpmath.mpf(i) / 64) * 32768)))
        for i in range(513)]


def tanh15(x):
    ax = abs(x)
    idx, fr = ax >> 6, ax & 63
    if idx >= 512:
        idx, fr = 511, 64
    y = TANH[idx] + (((TANH[idx + 1] - TANH[idx]) * fr + 32) >> 6)
    return -y if x < 0 else y


def tanh_f(z, f):
    z12 = sat(z * (1 << (12 - f)), 16) if f <= 12 else rnd(z, f - 12)
    return tanh15(z12)


# ---- xoshiro256** seeded by splitmix64 (kml_prng) -------------------------
class Prng:
    def __init__(self, seed):
        x = seed & M64
        self.s = []
        for _ in range(4):
            x = (x + 0x9E3779B97F4A7C15) & M64
            z = x
            z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
            self.s.append(z ^ (z >> 31))

    @staticmethod
    def rotl(x, k):
        return ((x << k) | (x >> (64 - k))) & M64

    def u32(self):
        s = self.s
        out = (self.rotl((s[1] * 5) & M64, 7) * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = self.rotl(s[3], 45)
        return out >> 32


# ---- the model --------------------------------------------------------------
class Net:
    def __init__(self, sizes, cfg, ws, bs):
        self.sizes, self.cfg = sizes, cfg
        self.w = [np.array(w, dtype=np.int64).reshape(sizes[l + 1], sizes[l])
                  for l, w in enumerate(ws)]
        self.b = [np.array(b, dtype=np.int64) for b in bs]
        self.prng = Prng(cfg["seed"])

    def forward(self, x):
        f, L = self.cfg["frac"], len(self.w)
        hs, zs = [x], []
        for l in range(L):
            W, b = self.w[l], self.b[l]
            B = x.shape[0]
            z = np.zeros((B, W.shape[0]), dtype=np.int64)
            h = np.zeros_like(z)
            for s in range(B):
                for o in range(W.shape[0]):
                    acc = sat(int(b[o]) << f, 32)
                    for i in range(W.shape[1]):
                        acc = sat(acc + int(W[o, i]) * int(x[s, i]), 32)
                    zz = sat(rnd(acc, f), 16)
                    z[s, o] = zz
                    if l == L - 1:
                        h[s, o] = zz
                    elif self.cfg["act"] == 0:
                        h[s, o] = max(zz, 0)
                    else:
                        h[s, o] = sat(rnd(tanh_f(zz, f), 15 - f), 16)
            zs.append(z)
            hs.append(h)
            x = h
        return zs, hs

    def step(self, x, t):
        c = self.cfg
        f, g, L = c["frac"], c["gfrac"], len(self.w)
        B = x.shape[0]
        lb = B.bit_length() - 1
        zs, hs = self.forward(x)
        e = hs[-1] - t
        se = int((e * e).sum())
        delta = np.vectorize(lambda v: sat(v, 16))(e)
        shift = 2 * f + lb - 1 - g
        gws, gbs = [None] * L, [None] * L
        for l in range(L - 1, -1, -1):
            W, inp = self.w[l], hs[l]
            gw = np.zeros_like(W)
            gb = np.zeros(W.shape[0], dtype=np.int64)
            for o in range(W.shape[0]):
                for i in range(W.shape[1]):
                    acc = 0
                    for s in range(B):
                        acc = sat(acc + int(delta[s, o]) * int(inp[s, i]), 32)
                    gw[o, i] = sat(rnd(acc, shift), 16)
                acc = 0
                for s in range(B):
                    acc = sat(acc + int(delta[s, o]) * (1 << f), 32)
                gb[o] = sat(rnd(acc, shift), 16)
            gws[l], gbs[l] = gw, gb
            if l == 0:
                break
            z = zs[l - 1]
            nd = np.zeros_like(z)
            for s in range(B):
                for j in range(z.shape[1]):
                    acc = 0
                    for o in range(W.shape[0]):
                        acc = sat(acc + int(delta[s, o]) * int(W[o, j]), 32)
                    dh = sat(rnd(acc, f), 16)
                    if c["act"] == 0:
                        nd[s, j] = dh if z[s, j] > 0 else 0
                    else:
                        tt = tanh_f(int(z[s, j]), f)
                        d = 32768 - rnd(tt * tt, 15)
                        nd[s, j] = sat(rnd(dh * d, 15), 16)
            delta = nd
        k = g + 15 - f
        for l in range(L):
            for arr, gr in ((self.w[l], gws[l]), (self.b[l], gbs[l])):
                flat, gflat = arr.reshape(-1), gr.reshape(-1)
                for i in range(flat.size):
                    v = int(gflat[i]) * c["lr"]
                    if c["round"]:
                        u = self.prng.u32() & ((1 << k) - 1)
                        s_ = (v + u) >> k
                    else:
                        s_ = rnd(v, k)
                    flat[i] = sat(int(flat[i]) - s_, 16)
        return zs, hs, gws, gbs, se


def arr(name, ctype, vals):
    vals = [int(v) for v in np.asarray(vals).reshape(-1)]
    body = ", ".join(str(v) for v in vals)
    return f"static const {ctype} {name}[{len(vals)}] = {{ {body} }};\n"


def case(name, sizes, cfg, B, wlim, xlim, blim=0, steps=2):
    ws = [[rng.randint(-wlim, wlim) for _ in range(sizes[l] * sizes[l + 1])]
          for l in range(len(sizes) - 1)]
    bs = [[rng.randint(-blim, blim) for _ in range(sizes[l + 1])]
          for l in range(len(sizes) - 1)]
    x = np.array([[rng.randint(-xlim, xlim) for _ in range(sizes[0])]
                  for _ in range(B)], dtype=np.int64)
    t = np.array([[rng.randint(-xlim, xlim) for _ in range(sizes[-1])]
                  for _ in range(B)], dtype=np.int64)
    net = Net(sizes, cfg, ws, bs)
    out = [f"/* {name}: sizes {sizes}, batch {B}, {cfg} */\n"]
    out.append(arr(f"qt_{name}_sizes", "uint32_t", sizes))
    out.append(f"static const int32_t qt_{name}_cfg[6] = {{ {cfg['frac']}, "
               f"{cfg['gfrac']}, {cfg['lr']}, {cfg['act']}, {cfg['round']}, "
               f"{cfg['seed']} }};\n")
    for l in range(len(ws)):
        out.append(arr(f"qt_{name}_w{l}", "int16_t", ws[l]))
        out.append(arr(f"qt_{name}_b{l}", "int16_t", bs[l]))
    out.append(arr(f"qt_{name}_x", "int16_t", x))
    out.append(arr(f"qt_{name}_t", "int16_t", t))
    _, hs = net.forward(x)
    out.append(arr(f"qt_{name}_y", "int16_t", hs[-1]))
    ses = []
    for s in range(steps):
        _, _, gws, gbs, se = net.step(x, t)
        ses.append(se)
        if s == 0:
            for l in range(len(ws)):
                out.append(arr(f"qt_{name}_gw{l}", "int16_t", gws[l]))
                out.append(arr(f"qt_{name}_gb{l}", "int16_t", gbs[l]))
    for l in range(len(ws)):
        out.append(arr(f"qt_{name}_w{l}_end", "int16_t", net.w[l]))
        out.append(arr(f"qt_{name}_b{l}_end", "int16_t", net.b[l]))
    out.append(arr(f"qt_{name}_se", "int64_t", ses))
    out.append(f"#define QT_{name.upper()}_BATCH {B}\n")
    out.append(f"#define QT_{name.upper()}_STEPS {steps}\n\n")
    return "".join(out)


def cfg(frac, gfrac, lr, act, rnd_, seed=0):
    return {"frac": frac, "gfrac": gfrac, "lr": lr, "act": act,
            "round": rnd_, "seed": seed}


print("/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */")
print("/* Generated by tools/gen_qtrain_vectors.py; do not edit. */")
print("#ifndef KMLIB_QTRAIN_VECTORS_H\n#define KMLIB_QTRAIN_VECTORS_H\n")
print('#include "kmlib/kml_deps.h"\n')
# tanh hidden layer, Q3.12, nearest
print(case("tanh", [3, 5, 2], cfg(12, 12, 9830, 1, 0), 4, 3000, 6000, 800))
# ReLU, Q5.10, gradients with more fraction bits, stochastic rounding
print(case("relu", [4, 6, 3], cfg(10, 14, 3000, 0, 1, 77), 8, 1500, 3000,
           500, steps=3))
# three layers, tanh with Q1.14 (tanh input shifted down), stochastic
print(case("deep", [2, 4, 3, 1], cfg(14, 15, 20000, 1, 1, 5), 2, 12000,
           16000, 4000))
# saturation everywhere: int32 sums, z, errors, gradients, parameters
print(case("sat", [4, 1], cfg(12, 12, 32767, 0, 0), 2, 32767, 32767,
           32767))
# Q1.6 (tanh input shifted up), batch 1, nearest
print(case("low", [2, 3, 1], cfg(6, 8, 16000, 1, 0), 1, 60, 120, 30))
print("#endif /* KMLIB_QTRAIN_VECTORS_H */")

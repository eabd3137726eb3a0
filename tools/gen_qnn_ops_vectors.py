#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""Generate tests/cases/qnn_ops_vectors.h: golden outputs of the quantized
operators of include/kmlib/qnn_ops.h from an independent numpy + Python
integer implementation of their reference definitions:
- int16 x int8 linear: TFLite's 16x8 FullyConnected (int64 accumulator,
  64-bit MultiplyByQuantizedMultiplier with the 16-bit reduced multiplier);
- sigmoid/tanh: Q3.12 rescaling by gemmlowp's MultiplyByQuantizedMultiplier,
  then table + linear interpolation on |x| over the Q0.15 tables of
  src/fixed/fixed_tables.c (read from that file; their values are checked
  against mpmath by the fixed suite), TFLite's output quantizations;
- softmax: exp table in Q0.23 (numpy), rounded normalisation;
- conv2d/conv1d (per-channel, OHWI, NHWC) and max/avg pooling: TFLite's
  reference loops, padding skipped;
- the LSTM cell of qnn_ops.h, written from its definition there;
- the conv, LSTM and int16-linear converters (per-channel int8 weights,
  rounded biases, TFLite QuantizeMultiplier) in double arithmetic.
Run: /usr/bin/python3 tools/gen_qnn_ops_vectors.py > tests/cases/qnn_ops_vectors.h
"""
import math
import os
import re
import numpy as np

I32_MIN, I32_MAX = -2**31, 2**31 - 1
rng = np.random.default_rng(20261129)
ROOT = os.path.dirname(os.path.abspath(__file__)) + "/.."


def c_arr(ctype, name, vals):
    return f"static const {ctype} {name}[] = {{ {', '.join(str(int(v)) for v in np.ravel(vals))} }};"


def wrap32(v):
    v &= 0xFFFFFFFF
    return v - 2**32 if v >= 2**31 else v


def srdhm(a, b):
    if a == b == I32_MIN:
        return I32_MAX
    ab = a * b
    t = ab + ((1 << 30) if ab >= 0 else 1 - (1 << 30))
    q = abs(t) // 2**31
    return q if t >= 0 else -q


def rdbpot(x, e):
    mask = (1 << e) - 1
    return (x >> e) + (1 if (x & mask) > (mask >> 1) + (1 if x < 0 else 0) else 0)


def mbqm(x, m, s):
    return rdbpot(srdhm(wrap32(x << max(s, 0)), m), max(-s, 0))


def mbqm64(acc, m, s):
    acc = min(max(acc, -2**47), 2**47 - 1)
    red = (m + (1 << 15)) >> 16 if m < 0x7FFF0000 else 0x7FFF
    tot = 15 - s
    r = (acc * red + (1 << (tot - 1))) >> tot
    return min(max(r, I32_MIN), I32_MAX)


def sat(v, lo, hi):
    return min(max(v, lo), hi)


def round_half_away_shift(v, n):
    # v / 2^n rounded to nearest, ties away from zero
    d = 1 << n
    q, r = divmod(abs(v), d)
    q += 1 if 2 * r >= d else 0
    return q if v >= 0 else -q


# ---- int16 linear -------------------------------------------------------
def fc16(n_in, n_out, batch, name):
    w = rng.integers(-127, 128, size=(n_out, n_in))
    w[0, 0] = -128
    bias = rng.integers(-2**20, 2**20, size=n_out)
    bias[1] = 2**50  # clamped to 2^47 - 1 before scaling
    mult = rng.integers(2**30, 2**31, size=n_out)
    mult[2] = 0x7FFF0000 + 5  # the reduced multiplier's cap
    shift = rng.integers(-12, -8, size=n_out)
    shift[3] = 7
    shift[4] = -31
    act_min, act_max = -30000, 32767
    x = rng.integers(-32768, 32768, size=(batch, n_in))
    x[0, :] = -32768
    acc = x.astype(np.int64) @ w.astype(np.int64).T
    y = np.empty((batch, n_out), dtype=np.int64)
    for s in range(batch):
        for o in range(n_out):
            v = mbqm64(int(acc[s, o]) + int(bias[o]), int(mult[o]), int(shift[o]))
            y[s, o] = sat(v, act_min, act_max)
    print(f"/* {name}: {n_in} -> {n_out}, batch {batch}, clamp [{act_min}, {act_max}] */")
    print(c_arr("int8_t", f"{name}_w", w))
    print(c_arr("int64_t", f"{name}_bias", [int(b) for b in bias]).replace(", ", "LL, ").replace(" };", "LL };"))
    print(c_arr("int32_t", f"{name}_mult", mult))
    print(c_arr("int32_t", f"{name}_shift", shift))
    print(c_arr("int16_t", f"{name}_x", x))
    print(c_arr("int16_t", f"{name}_y", y))
    print(f"#define {name.upper()}_IN {n_in}\n#define {name.upper()}_OUT {n_out}\n#define {name.upper()}_BATCH {batch}\n#define {name.upper()}_MIN {act_min}\n#define {name.upper()}_MAX {act_max}\n")


# ---- sigmoid / tanh -----------------------------------------------------
def read_table(name):
    src = open(ROOT + "/src/fixed/fixed_tables.c").read()
    body = re.search(name + r"\[[^]]*\] = \{([^}]*)\}", src).group(1)
    vals = [int(v) for v in body.replace("\n", " ").split(",") if v.strip()]
    assert len(vals) == 513
    return vals


SIG, TANH = read_table("kml_sigmoid_q15_table"), read_table("kml_tanh_q15_table")


def interp(tab, ax):
    idx, frac = ax >> 6, ax & 63
    if idx >= 512:
        idx, frac = 511, 64
    lo, hi = tab[idx], tab[idx + 1]
    return lo + (((hi - lo) * frac + 32) >> 6)


def act_q15(kind, q, m, s):
    t = sat(mbqm(q, m, s), -32768, 32767)
    y = interp(SIG if kind == 0 else TANH, abs(t))
    if kind == 0:
        return 32768 - y if t < 0 else y
    return -y if t < 0 else y


def act_lut_i8(kind, zp, m, s):
    lut = []
    for q in range(-128, 128):
        y = act_q15(kind, q - zp, m, s)
        y = round_half_away_shift(y, 7) - 128 if kind == 0 else round_half_away_shift(y, 8)
        lut.append(sat(y, -128, 127))
    return lut


def quantize_multiplier(real):
    # TFLite QuantizeMultiplier (frexp, round half away)
    if real == 0:
        return 0, 0
    mant, exp = np.frexp(real)
    q = int(np.floor(abs(mant) * 2**31 + 0.5))
    if q == 2**31:
        q //= 2
        exp += 1
    if exp < -31:
        return 0, 0
    return q, int(exp)


def acts():
    # (kind, in_scale, in_zp): scales giving inputs within and beyond +-8
    cases = [(0, 0.05, -10), (1, 0.02, 7), (0, 0.125, 0), (1, 0.1, -128)]
    print("/* sigmoid/tanh int8 lookup tables: kind, zp, mult, shift */")
    print("static const int32_t qo_act8_par[][4] = {")
    luts = []
    for kind, sc, zp in cases:
        m, s = quantize_multiplier(sc * 4096)
        print(f"\t{{ {kind}, {zp}, {m}, {s} }},")
        luts.append(act_lut_i8(kind, zp, m, s))
    print("};")
    print(c_arr("int8_t", "qo_act8_lut", luts))
    # int16: symmetric inputs at two scales, every 97th value plus edges
    x = list(range(-32768, 32768, 97)) + [-32768, -1, 0, 1, 32767]
    print(c_arr("int16_t", "qo_act16_x", x))
    print("static const int32_t qo_act16_par[][3] = {")
    ys = []
    for kind, sc in [(0, 1 / 4096), (1, 1 / 4096), (0, 3.0e-4), (1, 1.0e-3)]:
        m, s = quantize_multiplier(sc * 4096)
        print(f"\t{{ {kind}, {m}, {s} }},")
        ys.append([act_q15(kind, v, m, s) for v in x])
    print("};")
    print(c_arr("int16_t", "qo_act16_y", ys))
    print()


# ---- softmax ------------------------------------------------------------
def softmax():
    in_scale, beta = 0.0625, 1.0
    lut = np.round(8388608.0 * np.exp(-np.arange(256) * (np.float64(np.float32(in_scale)) * np.float64(np.float32(beta))))).astype(np.int64)
    rows, n = 5, 10
    x = rng.integers(-128, 128, size=(rows, n))
    x[1, :] = 5  # all equal
    x[2, :] = -128
    x[2, 3] = 127  # one dominant: 255 steps below
    y = np.empty_like(x)
    for r in range(rows):
        m = int(x[r].max())
        e = [int(lut[m - int(v)]) for v in x[r]]
        s = sum(e)
        for i in range(n):
            v = (e[i] * 512 + s) // (2 * s)
            y[r, i] = 127 if v > 255 else v - 128
    print(f"/* softmax: in_scale {in_scale}, beta {beta}, {rows} rows of {n} */")
    print(c_arr("uint32_t", "qo_smax_lut", lut))
    print(c_arr("int8_t", "qo_smax_x", x))
    print(c_arr("int8_t", "qo_smax_y", y))
    print(f"#define QO_SMAX_ROWS {rows}\n#define QO_SMAX_N {n}\n")


# ---- conv2d / pooling -----------------------------------------------------
def out_dim(i, k, s, p):
    return (i + 2 * p - k) // s + 1


def conv2d(name, batch, H, W, C, O, kh, kw, sh, sw, ph, pw):
    in_zp, out_zp = int(rng.integers(-20, 21)), int(rng.integers(-20, 21))
    act_min, act_max = max(-128, out_zp), 127  # fused ReLU
    w = rng.integers(-127, 128, size=(O, kh, kw, C))
    bias = rng.integers(-4000, 4001, size=O)
    mult = rng.integers(2**30, 2**31, size=O)
    k = kh * kw * C
    shift = rng.integers(-9, -6, size=O) - int(np.log2(k)) // 2
    x = rng.integers(-128, 128, size=(batch, H, W, C))
    OH, OW = out_dim(H, kh, sh, ph), out_dim(W, kw, sw, pw)
    y = np.empty((batch, OH, OW, O), dtype=np.int64)
    for b in range(batch):
        for oy in range(OH):
            for ox in range(OW):
                for o in range(O):
                    acc = 0
                    for ky in range(kh):
                        iy = oy * sh - ph + ky
                        if iy < 0 or iy >= H:
                            continue
                        for kx in range(kw):
                            ix = ox * sw - pw + kx
                            if ix < 0 or ix >= W:
                                continue
                            acc += int(np.dot(x[b, iy, ix, :] - in_zp, w[o, ky, kx, :]))
                    acc = sat(acc + int(bias[o]), I32_MIN, I32_MAX)
                    v = mbqm(acc, int(mult[o]), int(shift[o])) + out_zp
                    y[b, oy, ox, o] = sat(v, act_min, act_max)
    print(f"/* {name}: batch {batch}, {H}x{W}x{C} -> {OH}x{OW}x{O}, kernel {kh}x{kw}, stride {sh},{sw}, pad {ph},{pw} */")
    print(f"static const uint32_t {name}_geom[] = {{ {H}, {W}, {C}, {O}, {kh}, {kw}, {sh}, {sw}, {ph}, {pw}, {OH}, {OW}, {batch} }};")
    print(f"static const int32_t {name}_q[] = {{ {in_zp}, {out_zp}, {act_min}, {act_max} }};")
    print(c_arr("int8_t", f"{name}_w", w))
    print(c_arr("int32_t", f"{name}_bias", bias))
    print(c_arr("int32_t", f"{name}_mult", mult))
    print(c_arr("int32_t", f"{name}_shift", shift))
    print(c_arr("int8_t", f"{name}_x", x))
    print(c_arr("int8_t", f"{name}_y", y))
    print()


def pool(name, batch, H, W, C, kh, kw, sh, sw, ph, pw, act_min, act_max):
    x = rng.integers(-128, 128, size=(batch, H, W, C))
    OH, OW = out_dim(H, kh, sh, ph), out_dim(W, kw, sw, pw)
    ymax = np.empty((batch, OH, OW, C), dtype=np.int64)
    yavg = np.empty_like(ymax)
    for b in range(batch):
        for oy in range(OH):
            for ox in range(OW):
                ys = [oy * sh - ph + k for k in range(kh) if 0 <= oy * sh - ph + k < H]
                xs = [ox * sw - pw + k for k in range(kw) if 0 <= ox * sw - pw + k < W]
                win = x[b][np.ix_(ys, xs)].reshape(-1, C)
                for c in range(C):
                    s, cnt = int(win[:, c].sum()), win.shape[0]
                    # C-style truncating division of the TFLite rounding
                    num = s + cnt // 2 if s > 0 else s - cnt // 2
                    a = abs(num) // cnt * (1 if num >= 0 else -1)
                    yavg[b, oy, ox, c] = sat(a, act_min, act_max)
                    ymax[b, oy, ox, c] = sat(int(win[:, c].max()), act_min, act_max)
    print(f"/* {name}: batch {batch}, {H}x{W}x{C} -> {OH}x{OW}, window {kh}x{kw}, stride {sh},{sw}, pad {ph},{pw} */")
    print(f"static const uint32_t {name}_geom[] = {{ {H}, {W}, {C}, {kh}, {kw}, {sh}, {sw}, {ph}, {pw}, {OH}, {OW}, {batch} }};")
    print(f"static const int32_t {name}_clamp[] = {{ {act_min}, {act_max} }};")
    print(c_arr("int8_t", f"{name}_x", x))
    print(c_arr("int8_t", f"{name}_max", ymax))
    print(c_arr("int8_t", f"{name}_avg", yavg))
    print()


# ---- LSTM cell --------------------------------------------------------------
def rnd_away(v, n):
    return round_half_away_shift(v, n)


def lstm(name, batch, T, I, H, with_h0):
    x_zp = int(rng.integers(-10, 11))
    wih = rng.integers(-127, 128, size=(4 * H, I))
    whh = rng.integers(-127, 128, size=(4 * H, H))
    bias = rng.integers(-3000, 3001, size=4 * H)
    # multipliers near what conversion gives for unit-scale weights
    m_ih = rng.integers(2**30, 2**31, size=4 * H)
    s_ih = rng.integers(1, 4, size=4 * H) - 3
    m_hh = rng.integers(2**30, 2**31, size=4 * H)
    s_hh = rng.integers(-2, 1, size=4 * H)
    x = rng.integers(-128, 128, size=(batch, T, I))
    h0 = rng.integers(-128, 128, size=(batch, H)) if with_h0 else np.zeros((batch, H), dtype=np.int64)
    c0 = rng.integers(-20000, 20001, size=(batch, H))
    hs = np.empty((batch, T, H), dtype=np.int64)
    c_end = np.empty((batch, H), dtype=np.int64)
    for b in range(batch):
        hp, c = [int(v) for v in h0[b]], [int(v) for v in c0[b]]
        for t in range(T):
            xt = [int(v) for v in x[b, t]]
            z = []
            for r in range(4 * H):
                ax = sat(sum((xt[i] - x_zp) * int(wih[r, i]) for i in range(I)) + int(bias[r]), I32_MIN, I32_MAX)
                ah = sum(hp[i] * int(whh[r, i]) for i in range(H))
                z.append(sat(mbqm(ax, int(m_ih[r]), int(s_ih[r])) + mbqm(ah, int(m_hh[r]), int(s_hh[r])), -32768, 32767))
            h = []
            for k in range(H):
                i_ = act_q15(0, z[k], 2**30, 1)  # identity rescale: m 2^30, s 1
                f_ = act_q15(0, z[H + k], 2**30, 1)
                g_ = act_q15(1, z[2 * H + k], 2**30, 1)
                o_ = act_q15(0, z[3 * H + k], 2**30, 1)
                cv = sat(rnd_away(f_ * c[k], 15) + rnd_away(i_ * g_, 19), -32768, 32767)
                tc = act_q15(1, sat(2 * cv, -32768, 32767), 2**30, 1)
                c[k] = cv
                h.append(sat(rnd_away(o_ * tc, 23), -128, 127))
            hs[b, t] = h
            hp = h
        c_end[b] = c
    print(f"/* {name}: batch {batch}, {T} steps, {I} -> {H}, x_zp {x_zp}, h0 {'given' if with_h0 else 'zero'} */")
    print(f"static const uint32_t {name}_dims[] = {{ {batch}, {T}, {I}, {H}, {1 if with_h0 else 0} }};")
    print(f"static const int32_t {name}_x_zp = {x_zp};")
    print(c_arr("int8_t", f"{name}_wih", wih))
    print(c_arr("int8_t", f"{name}_whh", whh))
    for k, v in (("bias", bias), ("m_ih", m_ih), ("s_ih", s_ih), ("m_hh", m_hh), ("s_hh", s_hh)):
        print(c_arr("int32_t", f"{name}_{k}", v))
    print(c_arr("int8_t", f"{name}_x", x))
    print(c_arr("int8_t", f"{name}_h0", h0))
    print(c_arr("int16_t", f"{name}_c0", c0))
    print(c_arr("int8_t", f"{name}_hs", hs))
    print(c_arr("int16_t", f"{name}_c", c_end))
    print()


# ---- converters (float parameters -> integer arrays), double arithmetic
# as IEEE gives it: float32 inputs promoted to double, exact round half away
def round_away(v):
    a = abs(v)
    f = math.floor(a)
    q = f + 1 if a - f >= 0.5 else f
    return int(q) if v >= 0 else -int(q)


def qrow(w):
    m = float(np.max(np.abs(w))) if len(w) else 0.0
    s = m / 127.0 if m > 0 else 1.0
    return [sat(round_away(float(v) / s), -127, 127) for v in w], s


def f32(v):
    return float(np.float32(v))


def converters():
    f32a = lambda shape, amp: (rng.standard_normal(shape) * amp).astype(np.float32)
    # conv: O=3, C=2, kh=2, kw=3; channel 1 all zero
    O, C, KH, KW = 3, 2, 2, 3
    w = f32a((O, C, KH, KW), 0.3)
    w[1] = 0
    b = f32a(O, 0.5)
    in_s, out_s = f32(0.02), f32(0.05)
    wq = np.zeros((O, KH, KW, C), dtype=np.int64)
    bq, mq, sq = [], [], []
    for o in range(O):
        row, ws = qrow(w[o].ravel())
        wq[o] = np.array(row).reshape(C, KH, KW).transpose(1, 2, 0)
        bq.append(sat(round_away(float(b[o]) / (in_s * ws)), I32_MIN, I32_MAX))
        m_, s_ = quantize_multiplier(in_s * ws / out_s)
        mq.append(m_)
        sq.append(s_)
    print("/* converters: float32 parameters and their integer conversions */")
    print(f"static const float qo_cc_w[] = {{ {', '.join(repr(float(v)) + 'f' for v in w.ravel())} }};")
    print(f"static const float qo_cc_b[] = {{ {', '.join(repr(float(v)) + 'f' for v in b)} }};")
    print(c_arr("int8_t", "qo_cc_wq", wq))
    for k, v in (("bq", bq), ("mq", mq), ("sq", sq)):
        print(c_arr("int32_t", f"qo_cc_{k}", v))
    # LSTM: in 3, hidden 2
    I, H = 3, 2
    wih, whh = f32a((4 * H, I), 0.5), f32a((4 * H, H), 0.5)
    bih, bhh = f32a(4 * H, 0.3), f32a(4 * H, 0.3)
    xs = f32(0.03)
    qi, qh, bb, m1, s1, m2, s2 = [], [], [], [], [], [], []
    for r in range(4 * H):
        row, si = qrow(wih[r])
        qi += row
        row, sh = qrow(whh[r])
        qh += row
        a, c = quantize_multiplier(xs * si * 4096.0)
        m1.append(a)
        s1.append(c)
        a, c = quantize_multiplier(sh * 32.0)
        m2.append(a)
        s2.append(c)
        bb.append(sat(round_away((float(bih[r]) + float(bhh[r])) / (xs * si)), I32_MIN, I32_MAX))
    for k, v in (("wih", wih), ("whh", whh), ("bih", bih), ("bhh", bhh)):
        print(f"static const float qo_cl_{k}[] = {{ {', '.join(repr(float(x)) + 'f' for x in v.ravel())} }};")
    print(c_arr("int8_t", "qo_cl_qi", qi))
    print(c_arr("int8_t", "qo_cl_qh", qh))
    for k, v in (("b", bb), ("m1", m1), ("s1", s1), ("m2", m2), ("s2", s2)):
        print(c_arr("int32_t", f"qo_cl_{k}", v))
    # int16 linear: a is in x out (kml_nn layout)
    NI, NO = 5, 3
    a_ = f32a((NI, NO), 0.4)
    b_ = f32a(NO, 0.2)
    i_s, o_s = f32(1e-4), f32(3e-4)
    wq16, b16, m16, s16 = [], [], [], []
    for o in range(NO):
        row, ws = qrow(a_[:, o])
        wq16 += row
        b16.append(round_away(float(b_[o]) / (i_s * ws)))
        m_, s_ = quantize_multiplier(i_s * ws / o_s)
        m16.append(m_)
        s16.append(s_)
    print(f"static const float qo_cf_a[] = {{ {', '.join(repr(float(x)) + 'f' for x in a_.ravel())} }};")
    print(f"static const float qo_cf_b[] = {{ {', '.join(repr(float(x)) + 'f' for x in b_)} }};")
    print(c_arr("int8_t", "qo_cf_wq", wq16))
    print(c_arr("int64_t", "qo_cf_bq", b16).replace(" };", "LL };").replace(", ", "LL, "))
    print(c_arr("int32_t", "qo_cf_mq", m16))
    print(c_arr("int32_t", "qo_cf_sq", s16))
    print()


print("/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */")
print("/* Generated by tools/gen_qnn_ops_vectors.py - do not edit. */")
print("#ifndef QNN_OPS_VECTORS_H\n#define QNN_OPS_VECTORS_H\n")
fc16(37, 9, 3, "qo_fc16")
acts()
softmax()
conv2d("qo_conv2d", 2, 5, 6, 3, 4, 3, 2, 2, 1, 1, 1)
conv2d("qo_conv1d", 1, 1, 11, 4, 5, 1, 3, 1, 2, 0, 1)
pool("qo_pool", 2, 5, 7, 3, 3, 2, 2, 2, 1, 1, -100, 100)
lstm("qo_lstm", 2, 4, 5, 6, True)
lstm("qo_lstm0", 1, 3, 3, 4, False)
lstm("qo_lstmw", 1, 2, 20, 17, True)  # SIMD blocks and tails
converters()
conv2d("qo_conv16", 1, 3, 4, 20, 3, 2, 2, 1, 1, 1, 1)  # 20 channels: SIMD rows
print("#endif")

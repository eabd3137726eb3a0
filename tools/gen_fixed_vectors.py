#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
"""Generate tests/cases/fixed_vectors.h: golden vectors for the fixed-point
suite from an independent Python implementation of
 - TFLite's SaturatingRoundingDoublingHighMul, RoundingDivideByPOT and
   MultiplyByQuantizedMultiplier (gemmlowp semantics, written from their
   definitions: ties away from zero, C++ truncating division);
 - the sigmoid/tanh interpolation of src/fixed/activation.c, with the
   exact function values (mpmath) to bound the error;
 - TFLite AffineQuantize / Dequantize / QuantizeMultiplier (float side).
Run: /usr/bin/python3 tools/gen_fixed_vectors.py > tests/cases/fixed_vectors.h
"""
import random
import struct
from fractions import Fraction

import mpmath

I32_MIN, I32_MAX = -2**31, 2**31 - 1
rng = random.Random(20261128)


def wrap32(v):
    v &= 0xFFFFFFFF
    return v - 2**32 if v >= 2**31 else v


def srdhm(a, b):
    if a == b == I32_MIN:
        return I32_MAX
    ab = a * b
    nudge = (1 << 30) if ab >= 0 else 1 - (1 << 30)
    s = ab + nudge
    q = abs(s) // (1 << 31)  # C++ '/' truncates toward zero
    return q if s >= 0 else -q


def rdbpot(x, e):
    mask = (1 << e) - 1
    rem = x & mask
    threshold = (mask >> 1) + (1 if x < 0 else 0)
    return (x >> e) + (1 if rem > threshold else 0)


def mbqm(x, mult, shift):
    left = shift if shift > 0 else 0
    right = -shift if shift < 0 else 0
    return rdbpot(srdhm(wrap32(x * (1 << left)), mult), right)


def c_i32(v):
    return "INT32_MIN" if v == I32_MIN else "%d" % v


# ---- requantization vectors ------------------------------------------------
xs = [I32_MIN, I32_MIN + 1, -2**30, -65536, -1000, -1, 0, 1, 7, 1000, 65535,
      2**30, I32_MAX - 1, I32_MAX]
mults = [0, 1, 2**30, 2**30 + 1, 1518500250, 2**31 - 1]
shifts = [0, 1, 2, 30, -1, -2, -7, -15, -30, -31]
mbqm_vec = []
for x in xs:
    for mlt in mults:
        for s in shifts:
            if rng.random() < 0.25 or (s in (0, -31) and mlt in (2**30, 2**31 - 1)):
                mbqm_vec.append((x, mlt, s))
for _ in range(160):
    x = rng.choice([rng.randint(I32_MIN, I32_MAX), rng.randint(-2**20, 2**20),
                    rng.randint(-300, 300)])
    mlt = rng.randint(2**30, 2**31 - 1)
    s = rng.randint(-31, 30)
    mbqm_vec.append((x, mlt, s))

srdhm_vec = [(I32_MIN, I32_MIN), (I32_MIN, I32_MAX), (I32_MAX, I32_MIN),
             (I32_MAX, I32_MAX), (I32_MIN, 1), (1, 2**30), (-1, 2**30),
             (3, 2**30), (-3, 2**30), (I32_MIN, -1), (-(2**30), 2**30 + 1)]
for _ in range(40):
    srdhm_vec.append((rng.randint(I32_MIN, I32_MAX), rng.randint(I32_MIN, I32_MAX)))

rdbpot_vec = [(x, e) for x in (I32_MIN, -5, -4, -3, -2, -1, 0, 1, 2, 3, 5, 6,
                               I32_MAX, -(2**30), 2**30 + 2**29)
              for e in (0, 1, 2, 31)]
for _ in range(40):
    rdbpot_vec.append((rng.randint(I32_MIN, I32_MAX), rng.randint(0, 31)))

# requantize to int8 with a zero point and a ReLU6-like clamp
rq8 = dict(mult=1518500250, shift=-9, zp=-5, amin=-128, amax=100)
rq8_in = [I32_MIN, -2**20, -70000, -1024, -512, -1, 0, 1, 511, 512, 1023,
          70000, 2**20, I32_MAX] + [rng.randint(-100000, 100000) for _ in range(18)]


def clamp(v, lo, hi):
    return lo if v < lo else hi if v > hi else v


rq8_out = [clamp(mbqm(x, rq8["mult"], rq8["shift"]) + rq8["zp"],
                 rq8["amin"], rq8["amax"]) for x in rq8_in]

# ---- int8 matmul end to end -------------------------------------------------
M, K, N = 3, 5, 4
qa = [rng.randint(-128, 127) for _ in range(M * K)]
qb = [rng.randint(-128, 127) for _ in range(K * N)]
qbias = [rng.randint(-2000, 2000) for _ in range(N)]
qza, qzb = 3, -2
qrq = dict(mult=1299227607, shift=-8, zp=4, amin=-128, amax=127)
qc = []
for i in range(M):
    for j in range(N):
        acc = sum((qa[i * K + p] - qza) * (qb[p * N + j] - qzb) for p in range(K))
        acc += qbias[j]
        qc.append(clamp(mbqm(acc, qrq["mult"], qrq["shift"]) + qrq["zp"], -128, 127))

# ---- activations ---------------------------------------------------------
mpmath.mp.dps = 30


def q15(v):
    return min(32767, int(mpmath.nint(v * 32768)))


SIG = [q15(1 / (1 + mpmath.exp(-mpmath.mpf(i) / 64))) for i in range(513)]
TANH = [q15(mpmath.tanh(mpmath.mpf(i) / 64)) for i in range(513)]


def lookup(tab, ax):
    idx, frac = ax >> 6, ax & 63
    if idx >= 512:
        idx, frac = 511, 64
    return tab[idx] + (((tab[idx + 1] - tab[idx]) * frac + 32) >> 6)


def sig15(x):
    y = lookup(SIG, abs(x))
    return 32768 - y if x < 0 else y


def tanh15(x):
    y = lookup(TANH, abs(x))
    return -y if x < 0 else y


def to_q7(y):
    r = (abs(y) + 128) >> 8  # ties away from zero
    r = r if y >= 0 else -r
    return clamp(r, -128, 127)


act_in = [-32768, -32767, -20000, -4096, -100, -64, -63, -1, 0, 1, 31, 32, 33,
          64, 100, 2048, 4096, 8191, 16384, 30000, 32704, 32767]
act_in += [rng.randint(-32768, 32767) for _ in range(26)]


def exact_q31(v):
    return int(mpmath.nint(v * 2**31))


act_rows = []
for x in act_in:
    xr = mpmath.mpf(x) / 4096
    act_rows.append((x, sig15(x), tanh15(x),
                     exact_q31(1 / (1 + mpmath.exp(-xr))), exact_q31(mpmath.tanh(xr))))
act8_rows = [(x, to_q7(sig15(x * 256)), to_q7(tanh15(x * 256)))
             for x in (-128, -127, -64, -17, -16, -1, 0, 1, 8, 15, 16, 40, 64, 127)]

# ---- float side (TFLite AffineQuantize / Dequantize / QuantizeMultiplier) -


def f32(v):
    return struct.unpack("<f", struct.pack("<f", v))[0]


def round_away(fr):
    a = abs(fr)
    r = int(a + Fraction(1, 2)) if (a - int(a)) >= Fraction(1, 2) else int(a)
    return r if fr >= 0 else -r


def f32_div(a, b):
    return f32(a / b)  # double quotient of floats, rounded to float: exact
    # (a double-rounded float32 quotient equals the correctly rounded one)


qscale, qzp = f32(0.0373), -7
qin = [f32(v) for v in (0.0, -0.0, 0.01865, 0.0186, -0.01865, 1.0, -1.0, 4.7, -4.8,
                        5.0, -5.0, 100.0, -100.0, 0.05595, 2.33, -0.3)]
qin += [f32(rng.uniform(-6, 6)) for _ in range(16)]
qout = [clamp(round_away(Fraction(f32_div(v, qscale))) + qzp, -128, 127) for v in qin]
deq_in = list(range(-128, 128, 17)) + [127]
deq_out = [f32(float(Fraction(qscale) * (q - qzp))) for q in deq_in]

real_mults = [0.0, 1e-12, 2**-32, 2**-31, 0.0001, 0.0078125, 0.3, 0.5, 0.75,
              0.999999999, 1.0, 1.5, 3.14159, 1000.0, 2**30 * 1.25,
              0.00390625 * 0.0173]


def quantize_multiplier(real):
    if real == 0:
        return 0, 0
    fr = Fraction(real)
    e = 0
    while fr >= 1:
        fr /= 2
        e += 1
    while fr < Fraction(1, 2):
        fr *= 2
        e -= 1
    q = round_away(fr * 2**31)
    if q == 2**31:
        q //= 2
        e += 1
    if e < -31:
        return 0, 0
    return q, e


qm_rows = [(r,) + quantize_multiplier(r) for r in real_mults]

# ---- output -----------------------------------------------------------------
o = []
o.append("/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */")
o.append("/* fixed_vectors.h - GENERATED by tools/gen_fixed_vectors.py; do not edit. */")
o.append("#ifndef KMLIB_FIXED_VECTORS_H\n#define KMLIB_FIXED_VECTORS_H\n")
o.append("/* x, mult, shift, MultiplyByQuantizedMultiplier(x, mult, shift) */")
o.append("static const int32_t fv_mbqm[][4] = {")
for x, mlt, s in mbqm_vec:
    o.append("\t{ %s, %d, %d, %s }," % (c_i32(x), mlt, s, c_i32(mbqm(x, mlt, s))))
o.append("};\n")
o.append("/* a, b, SaturatingRoundingDoublingHighMul(a, b) */")
o.append("static const int32_t fv_srdhm[][3] = {")
for a, b in srdhm_vec:
    o.append("\t{ %s, %s, %s }," % (c_i32(a), c_i32(b), c_i32(srdhm(a, b))))
o.append("};\n")
o.append("/* x, exponent, RoundingDivideByPOT(x, exponent) */")
o.append("static const int32_t fv_rdbpot[][3] = {")
for x, e in rdbpot_vec:
    o.append("\t{ %s, %d, %s }," % (c_i32(x), e, c_i32(rdbpot(x, e))))
o.append("};\n")
o.append("/* requantize to int8: mult %d, shift %d, zp %d, clamp [%d, %d] */" %
         (rq8["mult"], rq8["shift"], rq8["zp"], rq8["amin"], rq8["amax"]))
o.append("static const int32_t fv_rq8_in[] = { %s };" % ", ".join(c_i32(v) for v in rq8_in))
o.append("static const int8_t fv_rq8_out[] = { %s };\n" % ", ".join("%d" % v for v in rq8_out))
o.append("/* int8 matmul %dx%dx%d, a_zp %d, b_zp %d, out mult %d shift %d zp %d */" %
         (M, K, N, qza, qzb, qrq["mult"], qrq["shift"], qrq["zp"]))
o.append("static const int8_t fv_qa[] = { %s };" % ", ".join("%d" % v for v in qa))
o.append("static const int8_t fv_qb[] = { %s };" % ", ".join("%d" % v for v in qb))
o.append("static const int32_t fv_qbias[] = { %s };" % ", ".join("%d" % v for v in qbias))
o.append("static const int8_t fv_qc[] = { %s };\n" % ", ".join("%d" % v for v in qc))
o.append("/* x Q3.12, sigmoid Q0.15, tanh Q0.15, exact sigmoid Q0.31, exact tanh Q0.31 */")
o.append("static const int64_t fv_act16[][5] = {")
for r in act_rows:
    o.append("\t{ %d, %d, %d, %d, %d }," % r)
o.append("};\n")
o.append("/* x Q3.4, sigmoid Q0.7, tanh Q0.7 */")
o.append("static const int8_t fv_act8[][3] = {")
for r in act8_rows:
    o.append("\t{ %d, %d, %d }," % r)
o.append("};\n")
o.append("/* quantize with scale %s (float bits 0x%08x), zp %d: float bits in, q out */" %
         (repr(qscale), struct.unpack("<I", struct.pack("<f", qscale))[0], qzp))
o.append("#define FV_QSCALE_BITS 0x%08xu\n#define FV_QZP %d" %
         (struct.unpack("<I", struct.pack("<f", qscale))[0], qzp))
o.append("static const uint32_t fv_quant_in[] = { %s };" %
         ", ".join("0x%08x" % struct.unpack("<I", struct.pack("<f", v))[0] for v in qin))
o.append("static const int8_t fv_quant_out[] = { %s };" % ", ".join("%d" % v for v in qout))
o.append("static const int8_t fv_deq_in[] = { %s };" % ", ".join("%d" % v for v in deq_in))
o.append("static const uint32_t fv_deq_out[] = { %s };\n" %
         ", ".join("0x%08x" % struct.unpack("<I", struct.pack("<f", v))[0] for v in deq_out))
o.append("/* QuantizeMultiplier: real (double bits), mult, shift */")
o.append("static const int64_t fv_qmult[][3] = {")
for r, mlt, s in qm_rows:
    o.append("\t{ 0x%016xll, %d, %d }," % (struct.unpack("<Q", struct.pack("<d", r))[0], mlt, s))
o.append("};\n")
o.append("#endif /* KMLIB_FIXED_VECTORS_H */")
print("\n".join(o))

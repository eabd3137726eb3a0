/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qnn_requant8.h - the int8 output stage of eight channels at once with
 * AVX2, each lane with its own multiplier and shift (user space only:
 * included by qnn.c under KML_SIMD_WIDE; the AVX-512BW path calls it too).
 * Lane by lane the same integers as qnn_rq() (qnn_requant.h), for lanes
 * with mult >= 0 and shift in -31..30; otherwise qnn_rq8() declines and
 * the caller runs the scalar stage.
 *  - saturating bias add: wrap, and where the sum's sign differs from
 *    both operands' (overflow), take INT32_MAX or INT32_MIN by a's sign;
 *  - left shift by max(shift, 0) (VPSLLVD; wraps like qnn_rq());
 *  - floor((x mult + 2^30) / 2^31) from VPMULDQ's signed 64-bit products
 *    of even lanes and of odd lanes moved down: the result fits int32, so
 *    bits 31..62 of the 64-bit sum are it (a logical shift right by 31
 *    for even lanes, left by 1 for odd lanes, which puts it in the odd
 *    int32 half), then one blend;
 *  - RoundingDivideByPOT by right = max(-shift, 0): (h >> right) plus one
 *    where the remainder h & mask exceeds mask / 2 + (h < 0), mask =
 *    ~(-1 << right) (VPSLLVD, VPSRAVD: per-lane counts 0..31);
 *  - clamp to [lo - zp, hi - zp], add zp, keep the low byte of each lane
 *    (exact: the values are int8 by then).
 */
#ifndef KMLIB_QNN_REQUANT8_H
#define KMLIB_QNN_REQUANT8_H

#include "kmlib/kml_deps.h"
#include "kmlib/kml_simd.h"

typedef uint32_t qnn_v8su __attribute__((vector_size(32)));
typedef uint64_t qnn_v4du __attribute__((vector_size(32)));
typedef int8_t qnn_v32qi __attribute__((vector_size(32)));
typedef int8_t qnn_v8qi __attribute__((vector_size(8)));

/* A layer's clamp bounds and zero point and the constants, broadcast
 * once per layer (memory operands in the loop, not rebuilt per group). */
struct qnn_rq8_k {
	kml_v8si lo, hi, zp; /* lo - zp, hi - zp, zp */
	kml_v8si c31, c30, max; /* 31, 30, INT32_MAX */
};

static KML_TARGET_AVX2 inline void qnn_rq8_init(struct qnn_rq8_k *k, int32_t zp,
						int32_t lo, int32_t hi)
{
	int i;

	for (i = 0; i < 8; i++) {
		k->lo[i] = lo - zp;
		k->hi[i] = hi - zp;
		k->zp[i] = zp;
		k->c31[i] = 31;
		k->c30[i] = 30;
		k->max[i] = INT32_MAX;
	}
}

/* sat32(a + b) per lane: wrap, then where the sum's sign differs from
 * both operands' (overflow) take INT32_MAX or INT32_MIN by a's sign. */
static KML_TARGET_AVX2 KML_ALWAYS_INLINE kml_v8si qnn_sat_add8(kml_v8si a,
							       kml_v8si b,
							       kml_v8si max)
{
	kml_v8si s = (kml_v8si)((qnn_v8su)a + (qnn_v8su)b);
	kml_v8si ov = ((a ^ s) & (b ^ s)) >> 31;

	return s ^ ((s ^ ((a >> 31) ^ max)) & ov);
}

/*
 * kml_mul_by_qmult(x, m, sh) per lane for m >= 0 and sh in -31..30 (the
 * caller has checked): the same integers as qnn_rq() before its clamp.
 */
static KML_TARGET_AVX2 KML_ALWAYS_INLINE kml_v8si qnn_mulq8(kml_v8si x,
							    kml_v8si m,
							    kml_v8si sh)
{
	const qnn_v4du half = { 1u << 30, 1u << 30, 1u << 30, 1u << 30 };
	const kml_v8si zero = { 0 }, ones = zero - 1;
	kml_v8si h, nm;
	kml_v4di pe, po;

	x = (kml_v8si)((qnn_v8su)x << (qnn_v8su)kml_simd_max_i32x8(sh, zero));
	pe = kml_simd_mul_even_i32x8(x, m);
	po = kml_simd_mul_even_i32x8((kml_v8si)((qnn_v4du)x >> 32),
				     (kml_v8si)((qnn_v4du)m >> 32));
	pe = (kml_v4di)(((qnn_v4du)pe + half) >> 31);
	po = (kml_v4di)(((qnn_v4du)po + half) << 1);
	h = __builtin_shufflevector((kml_v8si)pe, (kml_v8si)po, 0, 9, 2, 11, 4,
				    13, 6, 15);
	sh = kml_simd_max_i32x8(zero - sh, zero); /* right */
	nm = (kml_v8si)((qnn_v8su)ones << (qnn_v8su)sh);
	/* (rem > thr) is -1 where true */
	return (h >> sh) -
	       ((h & ~nm) > ((kml_v8si)((qnn_v8su)~nm >> 1) - (h >> 31)));
}

/*
 * Channels with exact sums @a and parameters @bias, @mult, @shift (8
 * each) to 8 bytes at @out; false (nothing written) if a lane's mult or
 * shift is outside what qnn_rq() admits.
 */
static KML_TARGET_AVX2 KML_ALWAYS_INLINE bool
qnn_rq8(kml_v8si a, const int32_t *bias, const int32_t *mult,
	const int32_t *shift, const struct qnn_rq8_k *k, int8_t *out)
{
	kml_v8si b, m, sh, q;
	qnn_v32qi c;
	qnn_v8qi r;

	kml_memcpy(&b, bias, sizeof(b));
	kml_memcpy(&m, mult, sizeof(m));
	kml_memcpy(&sh, shift, sizeof(sh));
	if (kml_simd_signs_i32x8(m | (sh + k->c31) | (k->c30 - sh)))
		return false;
	q = qnn_mulq8(qnn_sat_add8(a, b, k->max), m, sh);
	q = kml_simd_min_i32x8(kml_simd_max_i32x8(q, k->lo), k->hi) + k->zp;
	c = (qnn_v32qi)q;
	r = __builtin_shufflevector(c, c, 0, 4, 8, 12, 16, 20, 24, 28);
	kml_memcpy(out, &r, sizeof(r));
	return true;
}

#endif /* KMLIB_QNN_REQUANT8_H */

/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qnn_requant.h - the int8 output stage of one channel in few
 * instructions (private to src/qnn/, nofpu). Bit for bit
 *   clamp(sat32(kml_mul_by_qmult(sat32(acc + bias), mult, shift) + zp),
 *         lo, hi)
 * for the parameters kml_qnn_check() admits (mult >= 0, shift in
 * -31..30; callers test that and fall back otherwise): with mult >= 0,
 * SRDHM's truncating division with its sign-dependent nudge equals
 * floor((x mult + 2^30) / 2^31) (the argument of fixed's requant_fast.h),
 * and its saturating case (INT32_MIN x INT32_MIN) cannot occur.
 * Clamping to [lo - zp, hi - zp] before adding zp cannot overflow where
 * sat32(v + zp) would have been needed.
 */
#ifndef KMLIB_QNN_REQUANT_H
#define KMLIB_QNN_REQUANT_H

#include "kmlib/kml_deps.h"
#include "kmlib/kml_simd.h"

static inline bool qnn_rq_ok(int32_t mult, int32_t shift)
{
	return mult >= 0 && shift >= -31 && shift <= 30;
}

static inline int8_t qnn_rq(int32_t acc, int32_t bias, int32_t mult,
			    int32_t shift, int32_t zp, int32_t lo, int32_t hi)
{
	int64_t a = (int64_t)acc + bias;
	int32_t x, h, right, mask, v;

	a = a > INT32_MAX ? INT32_MAX : a < INT32_MIN ? INT32_MIN : a;
	x = (int32_t)a;
	right = -shift;
	if (shift > 0) {
		x = (int32_t)((uint32_t)x << shift);
		right = 0;
	}
	h = (int32_t)(((int64_t)x * mult + (1 << 30)) >> 31);
	mask = (int32_t)(((uint32_t)1 << right) - 1);
	/* RoundingDivideByPOT: ties away from zero */
	v = (h >> right) + ((h & mask) > (mask >> 1) + (h < 0));
	lo -= zp;
	hi -= zp;
	v = v < lo ? lo : v > hi ? hi : v;
	return (int8_t)(v + zp);
}

#ifdef KML_SIMD_SSE2
/*
 * Four channels at once (user space on x86-64; kmlib.ko builds src/qnn/
 * without SSE and uses qnn_rq()) when they share one shift <= 0 and have
 * multipliers >= 0: the same integers as qnn_rq() lane by lane.
 *  - saturating bias add: wrap, then replace the lanes whose sign flipped
 *    although both operands had the same sign;
 *  - floor((x mult + 2^30) / 2^31) per lane from PMULUDQ's unsigned
 *    products of even and odd lanes: the signed product is that minus
 *    mult 2^32 for x < 0, i.e. minus 2 mult after the shift by 31, and
 *    the result fits int32, so the low 32 bits are exact;
 *  - RoundingDivideByPOT with the common exponent; clamp to
 *    [lo - zp, hi - zp], add zp, and narrow with saturating packs (exact:
 *    the values are already in int8).
 */
typedef int32_t qnn_rq_v4si __attribute__((vector_size(16)));
typedef uint32_t qnn_rq_v4su __attribute__((vector_size(16)));
typedef uint64_t qnn_rq_v2du __attribute__((vector_size(16)));
typedef int16_t qnn_rq_v8hi __attribute__((vector_size(16)));
typedef int8_t qnn_rq_v16qi __attribute__((vector_size(16)));

static inline bool qnn_rq4_ok(const int32_t *mult, const int32_t *shift)
{
	int32_t s = shift[0];

	return s <= 0 && s >= -31 && shift[1] == s && shift[2] == s &&
	       shift[3] == s && (mult[0] | mult[1] | mult[2] | mult[3]) >= 0;
}

static inline void qnn_rq4(const int32_t *acc, const int32_t *bias,
			   const int32_t *mult, int32_t shift, int32_t zp,
			   int32_t lo, int32_t hi, int8_t *out)
{
	const qnn_rq_v2du half = { 1u << 30, 1u << 30 };
	const int32_t right = -shift;
	const int32_t mask = (int32_t)(((uint32_t)1 << right) - 1);
	qnn_rq_v4si a, b, m, sum, ov, h, q, l, u;
	qnn_rq_v2du pe, po;
	qnn_rq_v8hi w;
	qnn_rq_v16qi c;

	kml_memcpy(&a, acc, sizeof(a));
	kml_memcpy(&b, bias, sizeof(b));
	kml_memcpy(&m, mult, sizeof(m));
	sum = (qnn_rq_v4si)((qnn_rq_v4su)a + (qnn_rq_v4su)b);
	ov = (~(a ^ b) & (a ^ sum)) >> 31;
	sum = (((a >> 31) ^ INT32_MAX) & ov) | (sum & ~ov);
	pe = (qnn_rq_v2du)kml_simd_mul_even_u32(sum, m);
	po = (qnn_rq_v2du)kml_simd_mul_even_u32(
	    (qnn_rq_v4si)((qnn_rq_v2du)sum >> 32),
	    (qnn_rq_v4si)((qnn_rq_v2du)m >> 32));
	pe = (pe + half) >> 31;
	po = (po + half) >> 31;
	h = (qnn_rq_v4si)((qnn_rq_v4su)__builtin_shufflevector(
			      (qnn_rq_v4su)pe, (qnn_rq_v4su)po, 0, 4, 2, 6) -
			  (qnn_rq_v4su)((sum >> 31) & (m << 1)));
	/* (rem > thr) is -1 where true */
	q = (h >> right) - ((h & mask) > ((mask >> 1) - (h >> 31)));
	l = (qnn_rq_v4si){ lo - zp, lo - zp, lo - zp, lo - zp };
	u = (qnn_rq_v4si){ hi - zp, hi - zp, hi - zp, hi - zp };
	ov = q < l;
	q = (l & ov) | (q & ~ov);
	ov = q > u;
	q = (u & ov) | (q & ~ov);
	q += zp;
	w = kml_simd_packs_i32(q, q);
	c = kml_simd_packs_i16(w, w);
	kml_memcpy(out, &c, 4);
}
#endif /* KML_SIMD_SSE2 */

#endif /* KMLIB_QNN_REQUANT_H */

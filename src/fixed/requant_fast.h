/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * requant_fast.h - the output stage of quantized kernels with its
 * per-call constants hoisted (private to src/fixed/).
 *
 * Same results as kml_mul_by_qmult() + zero point + clamp for parameters
 * that passed kml_requant_check() (mult >= 0, shift in -31..30): with
 * mult >= 0 the INT32_MIN * INT32_MIN saturation cannot happen, and a
 * zero right shift gives mask 0, for which the rounding step adds 0.
 */
#ifndef KMLIB_REQUANT_FAST_H
#define KMLIB_REQUANT_FAST_H

#include "kmlib/fixed.h"
#include "kmlib/kml_simd.h"

struct kml_rq_fast {
	int64_t mult;
	int32_t left, right, mask, zero_point, lo, hi;
};

static inline void kml_rq_prepare(const struct kml_requant *rq,
				  struct kml_rq_fast *f)
{
	f->mult = rq->mult;
	f->left = rq->shift > 0 ? rq->shift : 0;
	f->right = rq->shift > 0 ? 0 : -rq->shift;
	f->mask = (int32_t)(((uint32_t)1 << f->right) - 1);
	f->zero_point = rq->zero_point;
	f->lo = rq->act_min;
	f->hi = rq->act_max;
}

/*
 * With mult >= 0, x < 0 implies x * mult <= 0, and SRDHM's
 * trunc((ab + (ab >= 0 ? 2^30 : 1 - 2^30)) / 2^31) equals
 * floor((ab + 2^30) / 2^31) in both cases (for a negative numerator n,
 * trunc(n / d) = floor((n + d - 1) / d), and 1 - 2^30 + 2^31 - 1 = 2^30).
 */
static inline int32_t kml_rq_apply(int32_t acc, const struct kml_rq_fast *f)
{
	int32_t x = (int32_t)((uint32_t)acc << f->left);
	int64_t ab = x * f->mult;
	int32_t h = (int32_t)((ab + (1 << 30)) >> 31);
	int32_t rem = h & f->mask;
	int32_t thr = (f->mask >> 1) + (h < 0);
	int64_t v = (int64_t)((h >> f->right) + (rem > thr)) + f->zero_point;

	v = v < f->lo ? f->lo : v;
	return (int32_t)(v > f->hi ? f->hi : v);
}

#ifdef KML_SIMD_SSE2
/*
 * Four lanes at once where the compiler targets SSE2 (user space only;
 * kmlib.ko builds fixed point without SSE), for int8 and int16 outputs.
 * PMULUDQ gives the unsigned 64-bit products of the even lanes; the signed
 * product is that minus mult * 2^32 for a negative x, which after the
 * shift by 31 is minus 2 * mult in the low 32 bits. Only those low 32 bits
 * are kept, so a logical 64-bit shift serves as the arithmetic one SSE2
 * lacks. Wrapping arithmetic is done in unsigned lanes. The zero point is
 * added after clamping to [lo - zp, hi - zp], which cannot overflow.
 */
typedef int32_t kml_rq_v4si __attribute__((vector_size(16)));
typedef uint32_t kml_rq_v4su __attribute__((vector_size(16)));
typedef uint64_t kml_rq_v2du __attribute__((vector_size(16)));

static inline kml_rq_v4si kml_rq_clamp(kml_rq_v4si a, int32_t lo, int32_t hi)
{
	kml_rq_v4si l = { lo, lo, lo, lo }, h = { hi, hi, hi, hi };
	/* clang-format off */
	kml_rq_v4si below = a < l, above = a > h;
	/* clang-format on */

	a = (l & below) | (a & ~below);
	return (h & above) | (a & ~above);
}

static inline kml_rq_v4si kml_rq_apply4(kml_rq_v4si acc,
					const struct kml_rq_fast *f)
{
	const uint32_t m = (uint32_t)f->mult;
	const kml_rq_v4su mv = { m, 0, m, 0 };
	const kml_rq_v2du half = { 1u << 30, 1u << 30 };
	kml_rq_v4su x = (kml_rq_v4su)acc << f->left;
	kml_rq_v4su neg = (kml_rq_v4su)((kml_rq_v4si)x >> 31);
	kml_rq_v2du pe, po;
	kml_rq_v4si h, rem, thr, q;

	pe = kml_simd_mul_even_u32((kml_rq_v4si)x, (kml_rq_v4si)mv);
	po = kml_simd_mul_even_u32((kml_rq_v4si)((kml_rq_v2du)x >> 32),
				   (kml_rq_v4si)mv);
	pe = (pe + half) >> 31;
	po = (po + half) >> 31;
	h = (kml_rq_v4si)((kml_rq_v4su)__builtin_shufflevector(
			      (kml_rq_v4su)pe, (kml_rq_v4su)po, 0, 4, 2, 6) -
			  (neg & (m << 1)));
	rem = h & f->mask;
	thr = (f->mask >> 1) - (h >> 31);
	q = (h >> f->right) - (rem > thr);
	return kml_rq_clamp(q, f->lo - f->zero_point, f->hi - f->zero_point) +
	       f->zero_point;
}

/*
 * Requantize 4 or 8 int32 at @in into int8 / int16 at @out. The values
 * are already clamped to the output range, so the saturating packs
 * (PACKSSDW, PACKSSWB) are exact narrowings.
 */
typedef int16_t kml_rq_v8hi __attribute__((vector_size(16)));
typedef int8_t kml_rq_v16qi __attribute__((vector_size(16)));

static inline kml_rq_v4si kml_rq_load4(const int32_t *in)
{
	kml_rq_v4si v;

	kml_memcpy(&v, in, sizeof(v));
	return v;
}

static inline void kml_rq_store4_i8(const int32_t *in, int8_t *out,
				    const struct kml_rq_fast *f)
{
	kml_rq_v4si v = kml_rq_apply4(kml_rq_load4(in), f);
	kml_rq_v8hi w = kml_simd_packs_i32(v, v);
	kml_rq_v16qi b = kml_simd_packs_i16(w, w);

	kml_memcpy(out, &b, 4);
}

static inline void kml_rq_store8_i8(const int32_t *in, int8_t *out,
				    const struct kml_rq_fast *f)
{
	kml_rq_v8hi w =
	    kml_simd_packs_i32(kml_rq_apply4(kml_rq_load4(in), f),
			       kml_rq_apply4(kml_rq_load4(in + 4), f));
	kml_rq_v16qi b = kml_simd_packs_i16(w, w);

	kml_memcpy(out, &b, 8);
}

static inline void kml_rq_store8_i16(const int32_t *in, int16_t *out,
				     const struct kml_rq_fast *f)
{
	kml_rq_v8hi w =
	    kml_simd_packs_i32(kml_rq_apply4(kml_rq_load4(in), f),
			       kml_rq_apply4(kml_rq_load4(in + 4), f));

	kml_memcpy(out, &w, sizeof(w));
}
#define KML_RQ_VEC 8 /* elements per kml_rq_store8_*() */
#else
#define KML_RQ_VEC 0 /* no vector path: callers use kml_rq_apply() */
#endif /* KML_SIMD_SSE2 */

#endif /* KMLIB_REQUANT_FAST_H */

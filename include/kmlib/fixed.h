/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * fixed.h - 16- and 8-bit fixed point with 32-bit accumulators.
 *
 * Everything here except the "fpu" section at the end is integer-only:
 * it runs in kmlib.ko outside any FPU section, in IRQ context too.
 *
 * Scalar helpers are static inline and total: every input, shifts
 * included, has a defined result (shifts are clamped to the range given),
 * so they return values, not status. Array kernels validate their
 * arguments and return a status.
 *
 * Quantization follows TFLite: real = scale * (q - zero_point);
 * requantization multiplies by a Q31 multiplier and a power of two with
 * MultiplyByQuantizedMultiplier() semantics, bit for bit.
 */
#ifndef KMLIB_FIXED_H
#define KMLIB_FIXED_H

#include "kml_deps.h"
#include "status.h"
#include "tensor.h" /* enum kml_dtype */

/* ---- Saturation and rounding ------------------------------------------ */

static inline int8_t kml_sat_i8(int64_t x)
{
	return (int8_t)(x < INT8_MIN ? INT8_MIN : x > INT8_MAX ? INT8_MAX : x);
}

static inline int16_t kml_sat_i16(int64_t x)
{
	/* clang-format off */
	return (int16_t)(x < INT16_MIN ? INT16_MIN :
			 x > INT16_MAX ? INT16_MAX : x);
	/* clang-format on */
}

static inline int32_t kml_sat_i32(int64_t x)
{
	/* clang-format off */
	return (int32_t)(x < INT32_MIN ? INT32_MIN :
			 x > INT32_MAX ? INT32_MAX : x);
	/* clang-format on */
}

static inline int8_t kml_qadd_i8(int8_t a, int8_t b)
{
	return kml_sat_i8((int32_t)a + b);
}

static inline int8_t kml_qsub_i8(int8_t a, int8_t b)
{
	return kml_sat_i8((int32_t)a - b);
}

static inline int16_t kml_qadd_i16(int16_t a, int16_t b)
{
	return kml_sat_i16((int32_t)a + b);
}

static inline int16_t kml_qsub_i16(int16_t a, int16_t b)
{
	return kml_sat_i16((int32_t)a - b);
}

static inline int32_t kml_qadd_i32(int32_t a, int32_t b)
{
	return kml_sat_i32((int64_t)a + b);
}

static inline int32_t kml_qsub_i32(int32_t a, int32_t b)
{
	return kml_sat_i32((int64_t)a - b);
}

enum kml_round_mode {
	KML_ROUND_HALF_EVEN = 0, /* ties to the even neighbour (IEEE default) */
	KML_ROUND_HALF_AWAY = 1, /* ties away from zero (C round()) */
};

/*
 * x / 2^n rounded to nearest with ties per @mode; n is clamped to 0..62.
 * Exact for every int64 x (no intermediate overflow).
 */
static inline int64_t kml_rshift_round(int64_t x, unsigned int n,
				       unsigned int mode)
{
	int64_t q, r, half;

	if (!n)
		return x;
	if (n > 62)
		n = 62;
	q = x >> n; /* floor: arithmetic shift (gcc and clang, both targets) */
	r = x - (int64_t)((uint64_t)q << n); /* 0 <= r < 2^n */
	half = (int64_t)1 << (n - 1);
	if (r > half)
		return q + 1;
	if (r < half)
		return q;
	if (mode == KML_ROUND_HALF_AWAY)
		return x < 0 ? q : q + 1;
	return q + (q & 1);
}

/*
 * Q-format multiply: (a * b) / 2^frac rounded per @mode and saturated.
 * For Q15 * Q15 -> Q15 use frac = 15; Q7 * Q7 -> Q7: frac = 7.
 * frac is clamped to 0..31.
 */
static inline int16_t kml_qmul_i16(int16_t a, int16_t b, unsigned int frac,
				   unsigned int mode)
{
	return kml_sat_i16(
	    kml_rshift_round((int64_t)a * b, frac > 31 ? 31 : frac, mode));
}

static inline int8_t kml_qmul_i8(int8_t a, int8_t b, unsigned int frac,
				 unsigned int mode)
{
	return kml_sat_i8(
	    kml_rshift_round((int64_t)a * b, frac > 31 ? 31 : frac, mode));
}

/* ---- TFLite requantization ---------------------------------------------- */

/*
 * SaturatingRoundingDoublingHighMul: a * b / 2^31 rounded to nearest,
 * saturating the one overflow case (INT32_MIN * INT32_MIN). As in
 * gemmlowp, ties round up: 2.5 -> 3 but -2.5 -> -2 (the negative nudge
 * is 1 - 2^30 and the division truncates).
 */
static inline int32_t kml_srdhm(int32_t a, int32_t b)
{
	int64_t ab = (int64_t)a * b;
	int64_t nudge = ab >= 0 ? (1 << 30) : 1 - (1 << 30);

	if (a == INT32_MIN && b == INT32_MIN)
		return INT32_MAX;
	/* C division truncates toward zero, as the reference's does */
	return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

/*
 * RoundingDivideByPOT: x / 2^exponent, ties away from zero; exponent is
 * clamped to 0..31.
 */
static inline int32_t kml_rdbpot(int32_t x, int exponent)
{
	int32_t mask, rem, threshold;

	if (exponent <= 0)
		return x;
	if (exponent > 31)
		exponent = 31;
	mask = (int32_t)(((uint32_t)1 << exponent) - 1);
	rem = x & mask;
	threshold = (mask >> 1) + (x < 0 ? 1 : 0);
	return (x >> exponent) + (rem > threshold ? 1 : 0);
}

/*
 * MultiplyByQuantizedMultiplier: x * mult / 2^31 * 2^shift with TFLite's
 * two roundings. shift > 0 shifts left first (the product wraps modulo
 * 2^32 like the reference's int32 multiply on two's complement machines);
 * shift is clamped to -31..31 (TFLite uses -31..30).
 */
static inline int32_t kml_mul_by_qmult(int32_t x, int32_t mult, int shift)
{
	int left, right;

	if (shift > 31)
		shift = 31;
	if (shift < -31)
		shift = -31;
	left = shift > 0 ? shift : 0;
	right = shift > 0 ? 0 : -shift;
	x = (int32_t)((uint32_t)x << left);
	return kml_rdbpot(kml_srdhm(x, mult), right);
}

/* Output stage of a quantized kernel. */
struct kml_requant {
	int32_t mult; /* Q31 multiplier, >= 0 */
	int32_t shift; /* -31..30, TFLite convention (> 0: left) */
	int32_t zero_point; /* added after scaling */
	int32_t act_min, act_max; /* clamp, inside the output dtype */
};

/* Check @rq for an output of @dtype (KML_I8, KML_I16 or KML_I32). */
int kml_requant_check(const struct kml_requant *rq, unsigned int dtype);

/* out[i] = clamp(mul_by_qmult(in[i]) + zero_point). */
int kml_requantize_i8(const int32_t *in, size_t n, const struct kml_requant *rq,
		      int8_t *out);
int kml_requantize_i16(const int32_t *in, size_t n,
		       const struct kml_requant *rq, int16_t *out);

/* ---- Dot products and matmul ------------------------------------------- */

/*
 * *out = sum (a[i] - a_zp) * (b[i] - b_zp); KML_EOVERFLOW if the exact
 * sum does not fit in int32. Zero points must lie in the input's range.
 */
int kml_dot_i8(const int8_t *a, const int8_t *b, size_t n, int32_t a_zp,
	       int32_t b_zp, int32_t *out);
int kml_dot_i16(const int16_t *a, const int16_t *b, size_t n, int32_t a_zp,
		int32_t b_zp, int32_t *out);

/* Largest k for which an int8 dot product can never overflow int32. */
#define KML_I8_MAX_K 33025u /* floor((2^31 - 1) / 255^2) */

/*
 * Quantized C[m x n] = requant(sum_p (op(A)[i][p] - a_zp) *
 * (op(B)[p][j] - b_zp) + bias[j]), layouts and flags as kml_matmul_f32
 * (KML_MM_TRANS_A, KML_MM_TRANS_B; no ACCUMULATE). @bias may be NULL.
 * int8: the sum is exact in int32 for k <= KML_I8_MAX_K (larger k:
 * KML_EOVERFLOW). int16: the sum is exact in int64 and saturated to int32.
 * The bias is added with int32 saturation, then q->out requantizes.
 * Errors: KML_EINVAL (NULL, zero size, unknown flag, bad multiplier or
 * shift), KML_ERANGE (zero point or clamp outside the dtype),
 * KML_EOVERFLOW (sizes, or k as above). Any k is exact: where the
 * compiler targets SSE2 the int8 product runs in vector tiles (for
 * k <= 512), elsewhere and in the kernel in portable tiles, with the same
 * results bit for bit.
 */
struct kml_qmm {
	int32_t a_zero_point, b_zero_point;
	struct kml_requant out;
};
int kml_matmul_i8(const int8_t *a, const int8_t *b, const int32_t *bias,
		  int8_t *c, size_t m, size_t k, size_t n, unsigned int flags,
		  const struct kml_qmm *q);
int kml_matmul_i16(const int16_t *a, const int16_t *b, const int32_t *bias,
		   int16_t *c, size_t m, size_t k, size_t n, unsigned int flags,
		   const struct kml_qmm *q);

/* ---- Activations --------------------------------------------------- */

/*
 * Sigmoid and tanh by linear interpolation in 513-entry tables over
 * [0, 8] (step 1/64, 2 KB in all) and symmetry.
 * int16: input Q3.12 (x = q / 4096, [-8, 8)), output Q0.15
 * (y = q / 32768; sigmoid in [0, 32767], tanh in [-32767, 32767]).
 * Max absolute error against the exact function, measured over every
 * input (tests/user/fixed_accuracy.c, which asserts these bounds):
 *   sigmoid_q15 3.0e-5 (0.98 LSB), tanh_q15 4.7e-5 (1.52 LSB);
 *   sigmoid_q7 7.5e-3, tanh_q7 7.8e-3 (<= 1 LSB: near |x| = 8 the exact
 *   value is above 127/128, the largest Q0.7 number).
 * int8: input Q3.4 (x = q / 16), output Q0.7 (y = q / 128), rounded from
 * the int16 result, ties away from zero.
 */
int16_t kml_sigmoid_q15(int16_t x_q3_12);
int16_t kml_tanh_q15(int16_t x_q3_12);
int8_t kml_sigmoid_q7(int8_t x_q3_4);
int8_t kml_tanh_q7(int8_t x_q3_4);

/* Array forms with a status return. */
int kml_sigmoid_i16(const int16_t *in, size_t n, int16_t *out);
int kml_tanh_i16(const int16_t *in, size_t n, int16_t *out);
int kml_sigmoid_i8(const int8_t *in, size_t n, int8_t *out);
int kml_tanh_i8(const int8_t *in, size_t n, int8_t *out);

/* ---- Quantize / dequantize (fpu: inside kml_fpu_begin/end in the kernel) */

/*
 * TFLite AffineQuantize: q = clamp(round_half_away(x / scale) + zp);
 * NaN -> zp. scale must be finite and > 0; zp within the dtype.
 */
int kml_quantize_f32_i8(const float *x, size_t n, float scale, int32_t zp,
			int8_t *q);
int kml_quantize_f32_i16(const float *x, size_t n, float scale, int32_t zp,
			 int16_t *q);
/* x = scale * (q - zp), rounded once to float. */
int kml_dequantize_i8_f32(const int8_t *q, size_t n, float scale, int32_t zp,
			  float *x);
int kml_dequantize_i16_f32(const int16_t *q, size_t n, float scale, int32_t zp,
			   float *x);
/*
 * TFLite QuantizeMultiplier: real ~= mult * 2^(shift - 31) with mult in
 * [2^30, 2^31), mult rounded half away from zero; 0 for real == 0 and for
 * real < 2^-32 (shift would be below -31). real must be finite and >= 0
 * (KML_EINVAL) and round below 2^30 (shift <= 30, else KML_ERANGE).
 */
int kml_quantize_multiplier(double real, int32_t *mult, int32_t *shift);

#endif /* KMLIB_FIXED_H */

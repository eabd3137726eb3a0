// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * fixed_cases.c - fixed point without the FPU (a NOFPU suite: in the
 * kernel it runs outside any FPU section, so no float may appear here).
 * Golden vectors come from tools/gen_fixed_vectors.py, an independent
 * Python implementation of the TFLite reference arithmetic.
 */
#include "../ktest.h"
#include "kmlib/fixed.h"
#include "kmlib/linalg.h"
#include "kmlib/prng.h"
#include "fixed_vectors.h"

static void fixed_saturate(struct kt_ctx *t)
{
	int32_t r[16];
	int i = 0;

	KT_EXPECT_EQ(t, kml_sat_i8(128), 127);
	KT_EXPECT_EQ(t, kml_sat_i8(-129), -128);
	KT_EXPECT_EQ(t, kml_sat_i8(-5), -5);
	KT_EXPECT_EQ(t, kml_sat_i16(40000), 32767);
	KT_EXPECT_EQ(t, kml_sat_i16(-40000), -32768);
	KT_EXPECT_EQ(t, kml_sat_i32(INT64_MAX), INT32_MAX);
	KT_EXPECT_EQ(t, kml_sat_i32(INT64_MIN), INT32_MIN);
	r[i++] = kml_qadd_i8(100, 100);
	r[i++] = kml_qadd_i8(-100, -100);
	r[i++] = kml_qsub_i8(-100, 100);
	r[i++] = kml_qsub_i8(100, -28);
	r[i++] = kml_qadd_i16(30000, 3000);
	r[i++] = kml_qsub_i16(-30000, 3000);
	r[i++] = kml_qadd_i16(-1, 1);
	r[i++] = kml_qadd_i32(INT32_MAX, 1);
	r[i++] = kml_qsub_i32(INT32_MIN, 1);
	r[i++] = kml_qsub_i32(5, 7);
	KT_EXPECT_EQ(t, r[0], 127);
	KT_EXPECT_EQ(t, r[1], -128);
	KT_EXPECT_EQ(t, r[2], -128);
	KT_EXPECT_EQ(t, r[3], 127);
	KT_EXPECT_EQ(t, r[4], 32767);
	KT_EXPECT_EQ(t, r[5], -32768);
	KT_EXPECT_EQ(t, r[6], 0);
	KT_EXPECT_EQ(t, r[7], INT32_MAX);
	KT_EXPECT_EQ(t, r[8], INT32_MIN);
	KT_EXPECT_EQ(t, r[9], -2);
	kt_digest(t, r, i * sizeof(r[0]));
}

static void fixed_rounding(struct kt_ctx *t)
{
	/* x, n, half-even, half-away */
	static const int64_t v[][4] = {
		{ 5, 1, 2, 3 },
		{ -5, 1, -2, -3 },
		{ 7, 1, 4, 4 },
		{ -7, 1, -4, -4 },
		{ 6, 2, 2, 2 },
		{ 10, 2, 2, 3 },
		{ -10, 2, -2, -3 },
		{ 11, 2, 3, 3 },
		{ -11, 2, -3, -3 },
		{ 9, 2, 2, 2 },
		{ -9, 2, -2, -2 },
		{ 42, 0, 42, 42 },
		{ 1, 1, 0, 1 },
		{ -1, 1, 0, -1 },
		{ 3, 1, 2, 2 },
		{ INT64_MAX, 62, 2, 2 },
		{ INT64_MIN, 62, -2, -2 },
		{ INT64_MIN, 200, -2, -2 }, /* n clamped to 62 */
		{ ((int64_t)3 << 40), 41, 2, 2 },
		{ ((int64_t)5 << 40), 41, 2, 3 },
	};
	size_t i;

	for (i = 0; i < KML_ARRAY_SIZE(v); i++) {
		int64_t e = kml_rshift_round(v[i][0], (unsigned int)v[i][1],
					     KML_ROUND_HALF_EVEN);
		int64_t a = kml_rshift_round(v[i][0], (unsigned int)v[i][1],
					     KML_ROUND_HALF_AWAY);

		KT_EXPECT_EQ(t, e, v[i][2]);
		KT_EXPECT_EQ(t, a, v[i][3]);
		kt_digest(t, &e, sizeof(e));
		kt_digest(t, &a, sizeof(a));
	}
	/* Q15: 0.5 * 0.5 = 0.25; -1 * -1 saturates; ties per mode */
	KT_EXPECT_EQ(t, kml_qmul_i16(16384, 16384, 15, 0), 8192);
	KT_EXPECT_EQ(t, kml_qmul_i16(-32768, -32768, 15, 0), 32767);
	KT_EXPECT_EQ(t, kml_qmul_i16(-32768, 32767, 15, 0), -32767);
	KT_EXPECT_EQ(t, kml_qmul_i16(5, 1, 1, KML_ROUND_HALF_EVEN), 2);
	KT_EXPECT_EQ(t, kml_qmul_i16(5, 1, 1, KML_ROUND_HALF_AWAY), 3);
	KT_EXPECT_EQ(t, kml_qmul_i16(-5, 1, 1, KML_ROUND_HALF_AWAY), -3);
	KT_EXPECT_EQ(t, kml_qmul_i16(-5, 1, 1, KML_ROUND_HALF_EVEN), -2);
	KT_EXPECT_EQ(t, kml_qmul_i16(300, 300, 0, 0), 32767);
	KT_EXPECT_EQ(t, kml_qmul_i16(300, 300, 99, 0), 0); /* frac -> 31 */
	/* Q7: 0.5 * 0.5 = 0.25, -1 * -1 saturates to 127/128 */
	KT_EXPECT_EQ(t, kml_qmul_i8(64, 64, 7, 0), 32);
	KT_EXPECT_EQ(t, kml_qmul_i8(-128, -128, 7, 0), 127);
	KT_EXPECT_EQ(t, kml_qmul_i8(-128, 127, 7, 0), -127);
	KT_EXPECT_EQ(t, kml_qmul_i8(3, 1, 1, KML_ROUND_HALF_EVEN), 2);
	KT_EXPECT_EQ(t, kml_qmul_i8(1, 1, 1, KML_ROUND_HALF_EVEN), 0);
	KT_EXPECT_EQ(t, kml_qmul_i8(1, 1, 1, KML_ROUND_HALF_AWAY), 1);
}

static void fixed_tflite_vectors(struct kt_ctx *t)
{
	size_t i;

	for (i = 0; i < KML_ARRAY_SIZE(fv_srdhm); i++) {
		int32_t r = kml_srdhm(fv_srdhm[i][0], fv_srdhm[i][1]);

		KT_EXPECT_EQ(t, r, fv_srdhm[i][2]);
		kt_digest(t, &r, sizeof(r));
	}
	for (i = 0; i < KML_ARRAY_SIZE(fv_rdbpot); i++) {
		int32_t r = kml_rdbpot(fv_rdbpot[i][0], fv_rdbpot[i][1]);

		KT_EXPECT_EQ(t, r, fv_rdbpot[i][2]);
		kt_digest(t, &r, sizeof(r));
	}
	for (i = 0; i < KML_ARRAY_SIZE(fv_mbqm); i++) {
		int32_t r = kml_mul_by_qmult(fv_mbqm[i][0], fv_mbqm[i][1],
					     fv_mbqm[i][2]);

		if (r != fv_mbqm[i][3])
			kt_fail(t, __FILE__, __LINE__,
				"mbqm(%d, %d, %d) = %d, want %d", fv_mbqm[i][0],
				fv_mbqm[i][1], fv_mbqm[i][2], r, fv_mbqm[i][3]);
		kt_digest(t, &r, sizeof(r));
	}
	/* shifts outside -31..31 are clamped, never undefined */
	KT_EXPECT_EQ(t, kml_mul_by_qmult(-1000, 1 << 30, -40),
		     kml_mul_by_qmult(-1000, 1 << 30, -31));
	KT_EXPECT_EQ(t, kml_mul_by_qmult(3, 1 << 30, 99),
		     kml_mul_by_qmult(3, 1 << 30, 31));
	KT_EXPECT_EQ(t, kml_rdbpot(-7, 99), kml_rdbpot(-7, 31));
	KT_EXPECT_EQ(t, kml_rdbpot(-7, -3), -7);
}

static void fixed_requantize(struct kt_ctx *t)
{
	struct kml_requant rq = { .mult = 1518500250,
				  .shift = -9,
				  .zero_point = -5,
				  .act_min = -128,
				  .act_max = 100 };
	struct kml_requant bad;
	int8_t out[KML_ARRAY_SIZE(fv_rq8_in)];
	int16_t o16[4];
	static const int32_t in16[4] = { 1000, -1001, INT32_MAX, INT32_MIN };
	struct kml_requant rq16 = { .mult = 1 << 30,
				    .shift = 0,
				    .zero_point = 10,
				    .act_min = -32768,
				    .act_max = 32767 };
	size_t i;

	KT_EXPECT_EQ(t, KML_ARRAY_SIZE(fv_rq8_in), KML_ARRAY_SIZE(fv_rq8_out));
	KT_EXPECT_OK(t, kml_requantize_i8(fv_rq8_in, KML_ARRAY_SIZE(fv_rq8_in),
					  &rq, out));
	for (i = 0; i < KML_ARRAY_SIZE(fv_rq8_in); i++)
		KT_EXPECT_EQ(t, out[i], fv_rq8_out[i]);
	kt_digest(t, out, sizeof(out));
	/*
	 * x 0.5 + 10, saturated to int16. SRDHM's nudge rounds ties up:
	 * 500.5 -> 501 but -500.5 -> -500.
	 */
	KT_EXPECT_OK(t, kml_requantize_i16(in16, 4, &rq16, o16));
	KT_EXPECT_EQ(t, o16[0], 510);
	KT_EXPECT_EQ(t, o16[1], -490);
	KT_EXPECT_EQ(t, o16[2], 32767);
	KT_EXPECT_EQ(t, o16[3], -32768);
	kt_digest(t, o16, sizeof(o16));

	KT_EXPECT_EQ(t, kml_requantize_i8(NULL, 1, &rq, out), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_requantize_i8(fv_rq8_in, 1, NULL, out), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_requantize_i8(fv_rq8_in, 1, &rq, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_requantize_i8(fv_rq8_in, 0, &rq, out), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_requantize_i16(in16, 4, &rq, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_requantize_i16(NULL, 4, &rq16, o16), KML_EINVAL);
	bad = rq;
	bad.mult = -1;
	KT_EXPECT_EQ(t, kml_requantize_i8(fv_rq8_in, 1, &bad, out), KML_EINVAL);
	bad = rq;
	bad.shift = 31;
	KT_EXPECT_EQ(t, kml_requantize_i8(fv_rq8_in, 1, &bad, out), KML_EINVAL);
	bad.shift = -32;
	KT_EXPECT_EQ(t, kml_requantize_i8(fv_rq8_in, 1, &bad, out), KML_EINVAL);
	bad = rq;
	bad.zero_point = 128;
	KT_EXPECT_EQ(t, kml_requantize_i8(fv_rq8_in, 1, &bad, out), KML_ERANGE);
	bad = rq;
	bad.act_min = 50;
	bad.act_max = 40;
	KT_EXPECT_EQ(t, kml_requantize_i8(fv_rq8_in, 1, &bad, out), KML_ERANGE);
	bad = rq16;
	bad.act_max = 40000;
	KT_EXPECT_EQ(t, kml_requantize_i16(in16, 1, &bad, o16), KML_ERANGE);
	KT_EXPECT_EQ(t, kml_requant_check(&rq, 99), KML_ENOSYS);
	KT_EXPECT_EQ(t, kml_requant_check(NULL, KML_I8), KML_EINVAL);
	KT_EXPECT_OK(t, kml_requant_check(&rq, KML_I32));
}

static void fixed_dot(struct kt_ctx *t)
{
	static const int8_t a[3] = { 1, 2, 3 }, b[3] = { 4, 5, 6 };
	static const int8_t big[2] = { -128, -128 };
	static const int16_t a16[3] = { 1000, -2000, 3000 };
	static const int16_t b16[3] = { 7, 8, -9 };
	static const int16_t m16[3] = { 32767, 32767, 32767 };
	int32_t r = 0;

	KT_EXPECT_OK(t, kml_dot_i8(a, b, 3, 0, 0, &r));
	KT_EXPECT_EQ(t, r, 32);
	KT_EXPECT_OK(t, kml_dot_i8(a, b, 3, 1, -1, &r));
	KT_EXPECT_EQ(t, r, 20); /* (0, 1, 2) . (5, 6, 7) */
	KT_EXPECT_OK(t, kml_dot_i8(big, big, 2, 127, 127, &r));
	KT_EXPECT_EQ(t, r, 2 * 255 * 255);
	kt_digest(t, &r, sizeof(r));
	KT_EXPECT_OK(t, kml_dot_i16(a16, b16, 3, 0, 0, &r));
	KT_EXPECT_EQ(t, r, 7000 - 16000 - 27000);
	KT_EXPECT_OK(t, kml_dot_i16(a16, b16, 3, -1000, 2, &r));
	KT_EXPECT_EQ(t, r, 2000 * 5 - 1000 * 6 + 4000 * -11);
	kt_digest(t, &r, sizeof(r));
	/* (32767 + 32768)^2 does not fit in int32 */
	KT_EXPECT_EQ(t, kml_dot_i16(m16, m16, 1, -32768, -32768, &r),
		     KML_EOVERFLOW);
	KT_EXPECT_EQ(t, kml_dot_i16(m16, m16, 2, 0, 0, &r), KML_OK);
	KT_EXPECT_EQ(t, r, 2 * 32767 * 32767);
	KT_EXPECT_EQ(t, kml_dot_i16(m16, m16, 3, 0, 0, &r), KML_EOVERFLOW);
	KT_EXPECT_EQ(t, kml_dot_i8(NULL, b, 3, 0, 0, &r), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_dot_i8(a, NULL, 3, 0, 0, &r), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_dot_i8(a, b, 3, 0, 0, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_dot_i8(a, b, 0, 0, 0, &r), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_dot_i8(a, b, 3, 128, 0, &r), KML_ERANGE);
	KT_EXPECT_EQ(t, kml_dot_i8(a, b, 3, 0, -129, &r), KML_ERANGE);
	KT_EXPECT_EQ(t, kml_dot_i16(NULL, b16, 3, 0, 0, &r), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_dot_i16(a16, b16, 0, 0, 0, &r), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_dot_i16(a16, b16, 3, 40000, 0, &r), KML_ERANGE);
}

/* Naive reference: exact int64 sum, int32 saturation, bias, requant. */
static int32_t qmm_ref(const void *a, const void *b, const int32_t *bias,
		       bool wide, size_t i, size_t j, size_t m, size_t k,
		       size_t n, unsigned int fl, const struct kml_qmm *q)
{
	int64_t s = 0, v;
	size_t p;

	for (p = 0; p < k; p++) {
		size_t ia = (fl & KML_MM_TRANS_A) ? p * m + i : i * k + p;
		size_t ib = (fl & KML_MM_TRANS_B) ? j * k + p : p * n + j;
		int64_t av =
		    wide ? ((const int16_t *)a)[ia] : ((const int8_t *)a)[ia];
		int64_t bv =
		    wide ? ((const int16_t *)b)[ib] : ((const int8_t *)b)[ib];

		s += (av - q->a_zero_point) * (bv - q->b_zero_point);
	}
	s = kml_sat_i32(s);
	if (bias)
		s = kml_sat_i32(s + bias[j]);
	v = (int64_t)kml_mul_by_qmult((int32_t)s, q->out.mult, q->out.shift) +
	    q->out.zero_point;
	/* clang-format off */
	return (int32_t)(v < q->out.act_min ? q->out.act_min :
			 v > q->out.act_max ? q->out.act_max : v);
	/* clang-format on */
}

/* odd sizes, tile edges, k tails; vector paths need n >= 8 (m for A^T B^T) */
static const size_t qmm_shapes[][3] = {
	{ 1, 1, 1 },  { 3, 5, 4 },   { 4, 16, 8 },   { 7, 9, 70 },
	{ 2, 67, 3 }, { 9, 11, 13 }, { 12, 20, 16 },
};

static void fixed_matmul_i8(struct kt_ctx *t)
{
	struct kml_qmm q = { .a_zero_point = 3,
			     .b_zero_point = -2,
			     .out = { .mult = 1299227607,
				      .shift = -8,
				      .zero_point = 4,
				      .act_min = -128,
				      .act_max = 127 } };
	struct kml_prng r;
	int8_t *a, *b, *c, c4[12];
	int32_t *bias;
	void *buf;
	size_t s, i, j;
	unsigned int fl;

	/* the Python-computed product */
	KT_EXPECT_OK(t,
		     kml_matmul_i8(fv_qa, fv_qb, fv_qbias, c4, 3, 5, 4, 0, &q));
	for (i = 0; i < 12; i++)
		KT_EXPECT_EQ(t, c4[i], fv_qc[i]);
	kt_digest(t, c4, sizeof(c4));

	if (kml_alloc(t->mem, 4 * 1024, KML_MEM_ATOMIC, &buf)) {
		KT_EXPECT(t, 0);
		return;
	}
	a = buf;
	b = a + 1024;
	c = b + 1024;
	bias = (int32_t *)(c + 1024);
	kml_prng_seed(&r, 5);
	/*
	 * Odd passes: values in -2..2, zero points in -1..1 and an identity
	 * output stage (x * 2^30 * 2 / 2^31), so an accumulator off by one
	 * shows in the output instead of vanishing in the rounding.
	 */
	for (s = 0; s < 2 * KML_ARRAY_SIZE(qmm_shapes); s++) {
		size_t m = qmm_shapes[s / 2][0], k = qmm_shapes[s / 2][1];
		size_t n = qmm_shapes[s / 2][2];
		bool exact = s & 1;

		for (i = 0; i < m * k; i++)
			a[i] = exact ? (int8_t)kml_prng_below(&r, 5) - 2
				     : (int8_t)kml_prng_u32(&r);
		for (i = 0; i < k * n; i++)
			b[i] = exact ? (int8_t)kml_prng_below(&r, 5) - 2
				     : (int8_t)kml_prng_u32(&r);
		for (i = 0; i < n; i++)
			bias[i] = (int32_t)kml_prng_below(&r, 4001) - 2000;
		q.a_zero_point = exact ? (int32_t)kml_prng_below(&r, 3) - 1
				       : (int32_t)kml_prng_below(&r, 256) - 128;
		q.b_zero_point = exact ? (int32_t)kml_prng_below(&r, 3) - 1
				       : (int32_t)kml_prng_below(&r, 256) - 128;
		q.out.mult = exact ? 1 << 30 : 1299227607;
		q.out.shift = exact ? 1 : -8;
		for (fl = 0; fl < 4; fl++) {
			/* with and without bias for every layout */
			const int32_t *bs =
			    ((fl + s / 2) & 1) && !exact ? bias : NULL;

			KT_EXPECT_OK(
			    t, kml_matmul_i8(a, b, bs, c, m, k, n, fl, &q));
			for (i = 0; i < m; i++)
				for (j = 0; j < n; j++)
					KT_EXPECT_EQ(t, c[i * n + j],
						     qmm_ref(a, b, bs, false, i,
							     j, m, k, n, fl,
							     &q));
			kt_digest(t, c, m * n);
		}
	}

	/*
	 * Bias additions that overflow int32 saturate, in every layout's
	 * vector tile (n = 8, k = 8): op(A) all 127, column j of op(B) is
	 * +-127, so the sums are +-129032 and the biases push even columns
	 * past INT32_MAX and odd ones past INT32_MIN.
	 */
	q.a_zero_point = 0;
	q.b_zero_point = 0;
	q.out.mult = 1 << 30;
	q.out.shift = -24;
	q.out.zero_point = 0;
	for (i = 0; i < 8 * 8; i++)
		a[i] = 127;
	for (j = 0; j < 8; j++)
		bias[j] =
		    j & 1 ? INT32_MIN + (int32_t)j : INT32_MAX - (int32_t)j;
	for (fl = 0; fl < 4; fl++) {
		for (i = 0; i < 8 * 8; i++) /* i = p * 8 + j or j * 8 + p */
			b[i] = (int8_t)((fl & KML_MM_TRANS_B ? i / 8 : i) & 1
					    ? -127
					    : 127);
		KT_EXPECT_OK(t, kml_matmul_i8(a, b, bias, c, 8, 8, 8, fl, &q));
		for (i = 0; i < 8; i++)
			for (j = 0; j < 8; j++)
				KT_EXPECT_EQ(t, c[i * 8 + j],
					     qmm_ref(a, b, bias, false, i, j, 8,
						     8, 8, fl, &q));
		/* INT32_MAX -> 2^31 * 2^-25 = 64, INT32_MIN -> -64 */
		KT_EXPECT_EQ(t, c[0], 64);
		KT_EXPECT_EQ(t, c[1], -64);
		kt_digest(t, c, 64);
	}

	/* bad inputs */
	KT_EXPECT_EQ(t, kml_matmul_i8(NULL, b, NULL, c, 2, 2, 2, 0, &q),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_i8(a, NULL, NULL, c, 2, 2, 2, 0, &q),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_i8(a, b, NULL, NULL, 2, 2, 2, 0, &q),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_i8(a, b, NULL, c, 2, 2, 2, 0, NULL),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_i8(a, b, NULL, c, 0, 2, 2, 0, &q),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_i8(a, b, NULL, c, 2, 0, 2, 0, &q),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_i8(a, b, NULL, c, 2, 2, 0, 0, &q),
		     KML_EINVAL);
	KT_EXPECT_EQ(
	    t, kml_matmul_i8(a, b, NULL, c, 2, 2, 2, KML_MM_ACCUMULATE, &q),
	    KML_EINVAL);
	KT_EXPECT_EQ(t,
		     kml_matmul_i8(a, b, NULL, c, (size_t)1 << 62, 4, 1, 0, &q),
		     KML_EOVERFLOW);
	/* checked before any element is read */
	KT_EXPECT_EQ(
	    t, kml_matmul_i8(a, b, NULL, c, 1, KML_I8_MAX_K + 1, 1, 0, &q),
	    KML_EOVERFLOW);
	q.a_zero_point = 128;
	KT_EXPECT_EQ(t, kml_matmul_i8(a, b, NULL, c, 2, 2, 2, 0, &q),
		     KML_ERANGE);
	q.a_zero_point = 0;
	q.out.shift = 40;
	KT_EXPECT_EQ(t, kml_matmul_i8(a, b, NULL, c, 2, 2, 2, 0, &q),
		     KML_EINVAL);
	kml_free(t->mem, buf);
}

static void fixed_matmul_i16(struct kt_ctx *t)
{
	struct kml_qmm q = { .a_zero_point = 0,
			     .b_zero_point = 0,
			     .out = { .mult = 1 << 30,
				      .shift = -3,
				      .zero_point = -7,
				      .act_min = -32768,
				      .act_max = 32767 } };
	static const int16_t big[4] = { 32767, 32767, 32767, 32767 };
	struct kml_prng r;
	int16_t *a, *b, *c, c1[1];
	int32_t *bias;
	void *buf;
	size_t s, i, j;
	unsigned int fl;

	/* 4 * 32767^2 saturates the int32 sum: INT32_MAX * 2^-4 + zp */
	KT_EXPECT_OK(t, kml_matmul_i16(big, big, NULL, c1, 1, 4, 1, 0, &q));
	KT_EXPECT_EQ(t, c1[0], 32767);
	q.out.shift = -20;
	KT_EXPECT_OK(t, kml_matmul_i16(big, big, NULL, c1, 1, 4, 1, 0, &q));
	KT_EXPECT_EQ(t, c1[0], 1024 - 7); /* 2^30 (x 0.5) / 2^20 - 7 */
	kt_digest(t, c1, sizeof(c1));

	if (kml_alloc(t->mem, 8 * 1024, KML_MEM_ATOMIC, &buf)) {
		KT_EXPECT(t, 0);
		return;
	}
	a = buf;
	b = a + 1024;
	c = b + 1024;
	bias = (int32_t *)(c + 1024);
	q.out.shift = -12;
	kml_prng_seed(&r, 6);
	for (s = 0; s < KML_ARRAY_SIZE(qmm_shapes); s++) {
		size_t m = qmm_shapes[s][0], k = qmm_shapes[s][1];
		size_t n = qmm_shapes[s][2];

		for (i = 0; i < m * k; i++)
			a[i] = (int16_t)kml_prng_u32(&r);
		for (i = 0; i < k * n; i++)
			b[i] = (int16_t)(kml_prng_u32(&r) >> 22);
		for (i = 0; i < n; i++)
			bias[i] = (int32_t)kml_prng_u32(&r);
		q.a_zero_point = (int32_t)kml_prng_below(&r, 201) - 100;
		q.b_zero_point = (int32_t)kml_prng_below(&r, 21) - 10;
		for (fl = 0; fl < 4; fl++) {
			const int32_t *bs = (fl & 2) ? bias : NULL;

			KT_EXPECT_OK(
			    t, kml_matmul_i16(a, b, bs, c, m, k, n, fl, &q));
			for (i = 0; i < m; i++)
				for (j = 0; j < n; j++)
					KT_EXPECT_EQ(t, c[i * n + j],
						     qmm_ref(a, b, bs, true, i,
							     j, m, k, n, fl,
							     &q));
			kt_digest(t, c, m * n * sizeof(*c));
		}
	}
	KT_EXPECT_EQ(t, kml_matmul_i16(NULL, b, NULL, c, 2, 2, 2, 0, &q),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_i16(a, b, NULL, c, 2, 2, 2, 0, NULL),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_i16(a, b, NULL, c, 2, 0, 2, 0, &q),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_i16(a, b, NULL, c, 2, 2, 2, 4, &q),
		     KML_EINVAL);
	KT_EXPECT_EQ(
	    t, kml_matmul_i16(a, b, NULL, c, 1, (size_t)1 << 62, 1, 0, &q),
	    KML_EOVERFLOW);
	q.b_zero_point = 40000;
	KT_EXPECT_EQ(t, kml_matmul_i16(a, b, NULL, c, 2, 2, 2, 0, &q),
		     KML_ERANGE);
	q.b_zero_point = 0;
	q.out.act_min = -40000;
	KT_EXPECT_EQ(t, kml_matmul_i16(a, b, NULL, c, 2, 2, 2, 0, &q),
		     KML_ERANGE);
	kml_free(t->mem, buf);
}

/*
 * Activations: bit-exact against the Python model of the interpolation,
 * and within the documented error of the exact function (Q0.31 units:
 * one Q0.15 LSB is 2^16).
 */
static void fixed_activations(struct kt_ctx *t)
{
	int64_t worst_s = 0, worst_t = 0;
	int16_t in16[4] = { -32768, 0, 4096, 32767 }, out16[4];
	int8_t in8[3] = { -128, 0, 127 }, out8[3];
	size_t i;

	for (i = 0; i < KML_ARRAY_SIZE(fv_act16); i++) {
		int16_t x = (int16_t)fv_act16[i][0];
		int16_t s = kml_sigmoid_q15(x), th = kml_tanh_q15(x);
		int64_t es = (int64_t)s * 65536 - fv_act16[i][3];
		int64_t et = (int64_t)th * 65536 - fv_act16[i][4];

		KT_EXPECT_EQ(t, s, fv_act16[i][1]);
		KT_EXPECT_EQ(t, th, fv_act16[i][2]);
		es = es < 0 ? -es : es;
		et = et < 0 ? -et : et;
		worst_s = es > worst_s ? es : worst_s;
		worst_t = et > worst_t ? et : worst_t;
		kt_digest(t, &s, sizeof(s));
		kt_digest(t, &th, sizeof(th));
	}
	/* documented bounds: sigmoid 1.0 LSB, tanh 1.55 LSB of Q0.15 */
	KT_EXPECT(t, worst_s <= 65536); /* 1.0 * 2^16 */
	KT_EXPECT(t, worst_t <= 101581); /* 1.55 * 2^16 */
	for (i = 0; i < KML_ARRAY_SIZE(fv_act8); i++) {
		int8_t s = kml_sigmoid_q7(fv_act8[i][0]);
		int8_t th = kml_tanh_q7(fv_act8[i][0]);

		KT_EXPECT_EQ(t, s, fv_act8[i][1]);
		KT_EXPECT_EQ(t, th, fv_act8[i][2]);
	}
	/* symmetry and range at the ends */
	KT_EXPECT_EQ(t, kml_sigmoid_q15(0), 16384);
	KT_EXPECT_EQ(t, kml_tanh_q15(0), 0);
	KT_EXPECT_EQ(t, kml_tanh_q15(-12345), -kml_tanh_q15(12345));
	KT_EXPECT_EQ(t, kml_sigmoid_q15(-777) + kml_sigmoid_q15(777), 32768);

	KT_EXPECT_OK(t, kml_sigmoid_i16(in16, 4, out16));
	KT_EXPECT_EQ(t, out16[2], kml_sigmoid_q15(4096));
	KT_EXPECT_OK(t, kml_tanh_i16(in16, 4, out16));
	KT_EXPECT_EQ(t, out16[0], kml_tanh_q15(-32768));
	KT_EXPECT_OK(t, kml_sigmoid_i8(in8, 3, out8));
	KT_EXPECT_EQ(t, out8[1], 64);
	KT_EXPECT_OK(t, kml_tanh_i8(in8, 3, out8));
	KT_EXPECT_EQ(t, out8[2], kml_tanh_q7(127));
	kt_digest(t, out16, sizeof(out16));
	kt_digest(t, out8, sizeof(out8));
	KT_EXPECT_EQ(t, kml_sigmoid_i16(NULL, 4, out16), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tanh_i16(in16, 4, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_sigmoid_i8(in8, 0, out8), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tanh_i8(NULL, 3, out8), KML_EINVAL);
}

static const struct kt_case fixed_cases[] = {
	{ "saturate", fixed_saturate },
	{ "rounding", fixed_rounding },
	{ "tflite_vectors", fixed_tflite_vectors },
	{ "requantize", fixed_requantize },
	{ "dot", fixed_dot },
	{ "matmul_i8", fixed_matmul_i8 },
	{ "matmul_i16", fixed_matmul_i16 },
	{ "activations", fixed_activations },
};

KT_SUITE(kt_suite_fixed, "fixed", false, 16384, fixed_cases);

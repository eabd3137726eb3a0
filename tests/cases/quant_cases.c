// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * quant_cases.c - the float side of fixed point: quantize, dequantize and
 * QuantizeMultiplier against tools/gen_fixed_vectors.py (an FPU suite).
 */
#include "../ktest.h"
#include "kmlib/fixed.h"
#include "fixed_vectors.h"

static float bits_f32(uint32_t u)
{
	float f;

	kml_memcpy(&f, &u, sizeof(f));
	return f;
}

static void quant_roundtrip(struct kt_ctx *t)
{
	float scale = bits_f32(FV_QSCALE_BITS), x[KML_ARRAY_SIZE(fv_quant_in)];
	float back[KML_ARRAY_SIZE(fv_deq_in)];
	int8_t q[KML_ARRAY_SIZE(fv_quant_in)];
	int16_t q16[4];
	size_t i;

	for (i = 0; i < KML_ARRAY_SIZE(fv_quant_in); i++)
		x[i] = bits_f32(fv_quant_in[i]);
	KT_EXPECT_OK(
	    t, kml_quantize_f32_i8(x, KML_ARRAY_SIZE(x), scale, FV_QZP, q));
	for (i = 0; i < KML_ARRAY_SIZE(fv_quant_in); i++)
		KT_EXPECT_EQ(t, q[i], fv_quant_out[i]);
	kt_digest(t, q, sizeof(q));
	KT_EXPECT_OK(t,
		     kml_dequantize_i8_f32(fv_deq_in, KML_ARRAY_SIZE(fv_deq_in),
					   scale, FV_QZP, back));
	for (i = 0; i < KML_ARRAY_SIZE(fv_deq_in); i++) {
		uint32_t u;

		kml_memcpy(&u, &back[i], sizeof(u));
		KT_EXPECT_EQ(t, u, fv_deq_out[i]);
	}
	kt_digest(t, back, sizeof(back));

	/* int16, hand-computed: scale 0.5, zp 0: 1.25 / 0.5 = 2.5 -> 3 */
	x[0] = 1.25f;
	x[1] = -1.25f;
	x[2] = 1e9f;
	x[3] = 0.0f / 0.0f;
	KT_EXPECT_OK(t, kml_quantize_f32_i16(x, 4, 0.5f, 0, q16));
	KT_EXPECT(t, q16[0] == 3 && q16[1] == -3 && q16[2] == 32767 &&
			 q16[3] == 0);
	KT_EXPECT_OK(t, kml_quantize_f32_i16(x, 4, 0.5f, 100, q16));
	KT_EXPECT(t, q16[3] == 100); /* NaN -> zero point */
	KT_EXPECT_OK(t, kml_dequantize_i16_f32(q16, 2, 0.5f, 100, back));
	KT_EXPECT(t, back[0] == 1.5f && back[1] == -1.5f);
	kt_digest(t, q16, sizeof(q16));

	KT_EXPECT_EQ(t, kml_quantize_f32_i8(NULL, 1, 1.0f, 0, q), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_quantize_f32_i8(x, 1, 1.0f, 0, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_quantize_f32_i8(x, 0, 1.0f, 0, q), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_quantize_f32_i8(x, 1, 0.0f, 0, q), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_quantize_f32_i8(x, 1, -2.0f, 0, q), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_quantize_f32_i8(x, 1, x[3], 0, q), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_quantize_f32_i8(x, 1, 1.0f, 200, q), KML_ERANGE);
	KT_EXPECT_EQ(t, kml_quantize_f32_i16(x, 1, 1.0f, 40000, q16),
		     KML_ERANGE);
	KT_EXPECT_EQ(t, kml_quantize_f32_i16(NULL, 1, 1.0f, 0, q16),
		     KML_EINVAL);
	x[2] = x[2] * x[2] * x[2] * x[2] * x[2]; /* 1e45: inf */
	KT_EXPECT_EQ(t, kml_dequantize_i8_f32(q, 1, x[2], 0, back), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_dequantize_i8_f32(q, 1, 1.0f, -129, back),
		     KML_ERANGE);
	KT_EXPECT_EQ(t, kml_dequantize_i8_f32(NULL, 1, 1.0f, 0, back),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_dequantize_i16_f32(q16, 0, 1.0f, 0, back),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_dequantize_i16_f32(q16, 1, 1.0f, 0, NULL),
		     KML_EINVAL);
}

static void quant_multiplier(struct kt_ctx *t)
{
	int32_t mult = -1, shift = -1;
	double huge = 1e300;
	size_t i;

	for (i = 0; i < KML_ARRAY_SIZE(fv_qmult); i++) {
		double real;
		uint64_t u = (uint64_t)fv_qmult[i][0];
		int rc;

		kml_memcpy(&real, &u, sizeof(real));
		rc = kml_quantize_multiplier(real, &mult, &shift);
		if (fv_qmult[i][2] > 30) {
			KT_EXPECT_EQ(t, rc, KML_ERANGE);
			continue;
		}
		KT_EXPECT_OK(t, rc);
		KT_EXPECT_EQ(t, mult, fv_qmult[i][1]);
		KT_EXPECT_EQ(t, shift, fv_qmult[i][2]);
		kt_digest(t, &mult, sizeof(mult));
		kt_digest(t, &shift, sizeof(shift));
	}
	KT_EXPECT_EQ(t, kml_quantize_multiplier(-0.5, &mult, &shift),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_quantize_multiplier(huge * huge, &mult, &shift),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_quantize_multiplier(0.5, NULL, &shift), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_quantize_multiplier(0.5, &mult, NULL), KML_EINVAL);
}

static const struct kt_case quant_cases[] = {
	{ "roundtrip", quant_roundtrip },
	{ "multiplier", quant_multiplier },
};

KT_SUITE(kt_suite_quant, "quant", true, 1024, quant_cases);

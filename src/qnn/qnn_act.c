// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_act.c - quantized sigmoid, tanh (int8 through a 256-entry table,
 * int16 per element) and int8 softmax through an exp table (nofpu).
 */
#include "kmlib/qnn_ops.h"
#include "kmlib/fixed.h"

/* y15 of @kind at the Q3.12 rescaling of @q (in_zp already taken out). */
static int32_t act_q15(unsigned int kind, int32_t q, int32_t mult,
		       int32_t shift)
{
	int16_t t = kml_sat_i16(kml_mul_by_qmult(q, mult, shift));

	return kind == KML_QNN_SIGMOID ? kml_sigmoid_q15(t) : kml_tanh_q15(t);
}

static int act_args(unsigned int kind, int32_t mult, int32_t shift)
{
	if (kind != KML_QNN_SIGMOID && kind != KML_QNN_TANH)
		return KML_EINVAL;
	if (mult < 0 || shift < -31 || shift > 30)
		return KML_EINVAL;
	return KML_OK;
}

int kml_qnn_act_lut_i8(unsigned int kind, int32_t in_zp, int32_t in_mult,
		       int32_t in_shift, int8_t lut[256])
{
	int32_t q, y;
	int err = act_args(kind, in_mult, in_shift);

	if (err)
		return err;
	if (!lut)
		return KML_EINVAL;
	if (in_zp < INT8_MIN || in_zp > INT8_MAX)
		return KML_ERANGE;
	for (q = INT8_MIN; q <= INT8_MAX; q++) {
		y = act_q15(kind, q - in_zp, in_mult, in_shift);
		/* sigmoid: scale 1/256 zp -128; tanh: scale 1/128 zp 0 */
		if (kind == KML_QNN_SIGMOID)
			y = (int32_t)kml_rshift_round(y, 7,
						      KML_ROUND_HALF_AWAY) -
			    128;
		else
			y = (int32_t)kml_rshift_round(y, 8,
						      KML_ROUND_HALF_AWAY);
		lut[q + 128] = kml_sat_i8(y);
	}
	return KML_OK;
}

int kml_qnn_lut_i8(const int8_t lut[256], const int8_t *x, size_t n, int8_t *y)
{
	size_t i;

	if (!lut || !x || !y || !n)
		return KML_EINVAL;
	for (i = 0; i < n; i++)
		y[i] = lut[x[i] + 128];
	return KML_OK;
}

int kml_qnn_act_i16(unsigned int kind, int32_t in_mult, int32_t in_shift,
		    const int16_t *x, size_t n, int16_t *y)
{
	size_t i;
	int err = act_args(kind, in_mult, in_shift);

	if (err)
		return err;
	if (!x || !y || !n)
		return KML_EINVAL;
	for (i = 0; i < n; i++)
		y[i] = (int16_t)act_q15(kind, x[i], in_mult, in_shift);
	return KML_OK;
}

int kml_qnn_softmax_i8(const uint32_t lut[256], const int8_t *x, size_t rows,
		       size_t n, int8_t *y)
{
	size_t r, i;

	if (!lut || !x || !y || !rows || !n || !lut[0])
		return KML_EINVAL;
	if (n > KML_QNN_MAX_DIM || rows > SIZE_MAX / n)
		return KML_EOVERFLOW;
	for (r = 0; r < rows; r++, x += n, y += n) {
		uint64_t sum = 0;
		int32_t m = INT8_MIN;

		for (i = 0; i < n; i++)
			m = x[i] > m ? x[i] : m;
		for (i = 0; i < n; i++)
			sum += lut[m - x[i]];
		/* 0 < e <= sum < 2^48: v <= 256, no overflow */
		for (i = 0; i < n; i++) {
			uint64_t e = lut[m - x[i]];
			uint64_t v = (e * 512 + sum) / (2 * sum);

			y[i] = (int8_t)(v > 255 ? 127 : (int32_t)v - 128);
		}
	}
	return KML_OK;
}

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * quant_f32.c - the float side of quantization: quantize, dequantize and
 * the real-multiplier -> (Q31 multiplier, shift) split (fpu: the only
 * float code of the fixed-point area).
 */
#include "kmlib/kml_deps.h"
#include "kmlib/fixed.h"

static bool scale_ok(float scale)
{
	/* finite and > 0: NaN fails the compare, inf - inf is NaN */
	return scale > 0.0f && scale - scale == 0.0f;
}

/*
 * round(v), ties away from zero, for |v| < 2^31 (callers clamp first):
 * truncate, then step away from zero when the dropped part is >= 1/2.
 */
static int64_t round_away(double v)
{
	int64_t t = (int64_t)v;
	double f = v - (double)t; /* exact: |v| < 2^31 */

	if (f >= 0.5)
		return t + 1;
	if (f <= -0.5)
		return t - 1;
	return t;
}

/* clamp(round_away(x / scale) + zp) to [lo, hi]; NaN -> zp. */
static int32_t quantize_one(float x, float scale, int32_t zp, int32_t lo,
			    int32_t hi)
{
	float r = x / scale; /* float division, as the reference does */
	int64_t q;

	if (r != r)
		return zp < lo ? lo : zp > hi ? hi : zp;
	if (r > 4294967296.0f)
		return hi;
	if (r < -4294967296.0f)
		return lo;
	q = round_away((double)r) + zp;
	return (int32_t)(q < lo ? lo : q > hi ? hi : q);
}

int kml_quantize_f32_i8(const float *x, size_t n, float scale, int32_t zp,
			int8_t *q)
{
	size_t i;

	if (!x || !q || !n || !scale_ok(scale))
		return KML_EINVAL;
	if (zp < INT8_MIN || zp > INT8_MAX)
		return KML_ERANGE;
	for (i = 0; i < n; i++)
		q[i] =
		    (int8_t)quantize_one(x[i], scale, zp, INT8_MIN, INT8_MAX);
	return KML_OK;
}

int kml_quantize_f32_i16(const float *x, size_t n, float scale, int32_t zp,
			 int16_t *q)
{
	size_t i;

	if (!x || !q || !n || !scale_ok(scale))
		return KML_EINVAL;
	if (zp < INT16_MIN || zp > INT16_MAX)
		return KML_ERANGE;
	for (i = 0; i < n; i++)
		q[i] = (int16_t)quantize_one(x[i], scale, zp, INT16_MIN,
					     INT16_MAX);
	return KML_OK;
}

/* (double)scale * (q - zp) is exact (24 x 17 bits), so one rounding. */
int kml_dequantize_i8_f32(const int8_t *q, size_t n, float scale, int32_t zp,
			  float *x)
{
	size_t i;

	if (!x || !q || !n || !scale_ok(scale))
		return KML_EINVAL;
	if (zp < INT8_MIN || zp > INT8_MAX)
		return KML_ERANGE;
	for (i = 0; i < n; i++)
		x[i] = (float)((double)scale * (double)((int32_t)q[i] - zp));
	return KML_OK;
}

int kml_dequantize_i16_f32(const int16_t *q, size_t n, float scale, int32_t zp,
			   float *x)
{
	size_t i;

	if (!x || !q || !n || !scale_ok(scale))
		return KML_EINVAL;
	if (zp < INT16_MIN || zp > INT16_MAX)
		return KML_ERANGE;
	for (i = 0; i < n; i++)
		x[i] = (float)((double)scale * (double)((int32_t)q[i] - zp));
	return KML_OK;
}

int kml_quantize_multiplier(double real, int32_t *mult, int32_t *shift)
{
	double frac = real;
	int64_t qf;
	int32_t e = 0;

	if (!mult || !shift)
		return KML_EINVAL;
	if (!(real >= 0.0) || real - real != 0.0)
		return KML_EINVAL; /* negative, NaN or infinite */
	if (real == 0.0) {
		*mult = 0;
		*shift = 0;
		return KML_OK;
	}
	/* frexp by exact scaling: frac in [0.5, 1), real = frac * 2^e */
	while (frac >= 1.0) {
		frac *= 0.5;
		e++;
	}
	while (frac < 0.5) {
		frac *= 2.0;
		e--;
	}
	qf = round_away(frac * 2147483648.0);
	if (qf == ((int64_t)1 << 31)) {
		qf /= 2;
		e++;
	}
	if (e < -31) { /* TFLite flushes tiny multipliers to zero */
		*mult = 0;
		*shift = 0;
		return KML_OK;
	}
	if (e > 30)
		return KML_ERANGE;
	*mult = (int32_t)qf;
	*shift = e;
	return KML_OK;
}

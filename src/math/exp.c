// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* exp.c - exp and expm1 in float and double (see kmath_impl.h). */
#include "kmath_impl.h"

float kml_expf(float x)
{
	uint32_t ix = kml_f2u(x), ax = ix & 0x7fffffff;

	if (KML_UNLIKELY(ax >= 0x42b00000)) { /* |x| >= 88, inf, NaN */
		if (ax > 0x7f800000)
			return x + x;
		if (!(ix >> 31) && ax > 0x42b20000) /* x > 89: overflow */
			return kml_u2f(0x7f800000);
		if ((ix >> 31) && ax > 0x42d00000) /* x < -104: below 2^-150 */
			return 0.0f;
	}
	/* double result within 2^-43: one rounding to float (also to inf) */
	return (float)kml_exp_kernel_fast(x);
}

double kml_exp(double x)
{
	uint64_t ix = kml_d2u(x), ax = ix & ~(1ULL << 63);

	if (KML_UNLIKELY(ax >= 0x4086200000000000ULL)) { /* |x| >= 708 */
		if (ax > 0x7ff0000000000000ULL)
			return x + x;
		if (x > 710.0)
			return kml_u2d(0x7ff0000000000000ULL);
		if (x < -746.0)
			return 0.0;
	}
	if (KML_UNLIKELY(ax < 0x3c90000000000000ULL)) /* |x| < 2^-54 */
		return 1.0 + x;
	return kml_exp_kernel(x, 0.0);
}

double kml_expm1(double x)
{
	uint64_t ix = kml_d2u(x), ax = ix & ~(1ULL << 63);
	double kd, r, p, th, tl, sc, a, b, s, err;
	int64_t k;
	int j, e;

	if (KML_UNLIKELY(ax >= 0x4043000000000000ULL)) { /* |x| >= 38 */
		if (ax > 0x7ff0000000000000ULL)
			return x + x;
		if (ix >> 63) /* exp(x) < 2^-54: -1 after rounding */
			return -1.0;
		return kml_exp(x); /* the -1 is below half an ULP */
	}
	if (ax < 0x3c90000000000000ULL) /* |x| < 2^-54: x itself */
		return x;
	kd = x * KML_INVLN2_64 + KML_EXP_SHIFT;
	kd -= KML_EXP_SHIFT;
	k = (int64_t)kd;
	r = (x - kd * KML_LN2_64_HI) - kd * KML_LN2_64_LO;
	j = (int)(k & 63);
	e = (int)(k >> 6);
	p = r + r * r * (0.5 + r * (0x1.5555555555555p-3 +
			r * (0x1.5555555555555p-5 + r * (0x1.1111111111111p-7 +
			r * 0x1.6c16c16c16c17p-10))));
	if (k == 0) /* exp(r) - 1 directly: no cancellation */
		return p;
	th = kml_exp2_tab[j][0];
	tl = kml_exp2_tab[j][1];
	sc = kml_pow2(e); /* |e| <= 55: exact scaling */
	a = th * sc;
	b = (th * p + tl) * sc;
	/* a - 1 exactly as s + err, then add the small part once */
	kml_two_sum(a, -1.0, &s, &err);
	return s + (err + b);
}

float kml_expm1f(float x)
{
	/* double expm1 is within about 1 ULP of double: one rounding to float */
	return (float)kml_expm1(x);
}

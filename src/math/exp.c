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

/*
 * expm1: exp(x) - 1 = 2^e (T + T p) - 1 with T = 2^(j/64). Near 0 the
 * result is much smaller than its parts, so the parts are kept exact:
 * r as hi + lo, T r as an exact product, 2^e T - 1 and the sum as exact
 * two-term sums; only the final addition and tiny terms round.
 */
double kml_expm1(double x)
{
	uint64_t ix = kml_d2u(x), ax = ix & ~(1ULL << 63);
	double kd, rh, r, rl, q, th, tl, sc, s, err, ph, pl, s2, e2;
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
	rh = x - kd * KML_LN2_64_HI; /* exact */
	r = rh - kd * KML_LN2_64_LO;
	rl = (rh - r) - kd * KML_LN2_64_LO;
	/* exp(r) - 1 = r + q, Taylor to r^6 */
	q = r * r *
	    (0.5 + r * (0x1.5555555555555p-3 +
			r * (0x1.5555555555555p-5 +
			     r * (0x1.1111111111111p-7 +
				  r * 0x1.6c16c16c16c17p-10))));
	if (k == 0)
		return r + (q + rl);
	j = (int)(k & 63);
	e = (int)(k >> 6);
	th = kml_exp2_tab[j][0];
	tl = kml_exp2_tab[j][1];
	sc = kml_pow2(e); /* -56 <= e <= 55: exact scaling */
	kml_two_sum(th * sc, -1.0, &s, &err);
	kml_two_prod(th, r, &ph, &pl);
	kml_two_sum(s, ph * sc, &s2, &e2);
	return s2 + (e2 + err + sc * (pl + th * (q + rl) + tl + tl * r));
}

float kml_expm1f(float x)
{
	/* double expm1 is within 0.75 ULP: one rounding to float */
	return (float)kml_expm1(x);
}

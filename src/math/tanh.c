// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * tanh.c - hyperbolic tangent. Double: a fitted odd polynomial for
 * |x| <= 0.55, else 1 - 2 / (exp(2|x|) + 1); float: from exp(2|x|)
 * in double. |x| beyond where tanh rounds to 1 returns +-1 at once, so
 * nothing overflows for any input.
 */
#include "kmath_impl.h"

extern const double kml_tanh_small[11];

double kml_tanh(double x)
{
	uint64_t ix = kml_d2u(x), ax = ix & ~(1ULL << 63);
	double a, z, r, t, el, d, dl, q, ql;

	if (KML_UNLIKELY(ax >= 0x4036000000000000ULL)) { /* |x| >= 22 */
		if (ax > 0x7ff0000000000000ULL)
			return x + x;
		return (ix >> 63) ? -1.0 : 1.0;
	}
	if (ax < 0x3e30000000000000ULL) /* |x| < 2^-28: x^3/3 is invisible */
		return x;
	a = kml_u2d(ax);
	if (a <= 0.55) {
		/* a + a^3 P(a^2), P fitted (tools/gen_kmath_tables.py) */
		z = a * a;
		r = a + a * z * kml_horner(kml_tanh_small, 11, z);
	} else {
		/*
		 * q = 2 / (e + 1), e = exp(2|x|) = eh + el > 3, with
		 * e + 1 = d + dl (Fast2Sum)
		 */
		t = kml_exp_dd(2 * a, &el);
		d = t + 1.0;
		dl = ((t - d) + 1.0) + el;
		q = 2.0 / d; /* q < 1/2: its rounding is < 1/4 ULP of 1 - q */
		ql = -q * dl * (0.5 * q); /* -q dl / d */
		/* 1 - (q + ql) with 1 - q exact as r + rl (Fast2Sum) */
		r = 1.0 - q;
		r += ((1.0 - r) - q) - ql;
	}
	return (ix >> 63) ? -r : r;
}

float kml_tanhf(float x)
{
	uint32_t ix = kml_f2u(x), ax = ix & 0x7fffffff;
	double a, e, r;

	if (KML_UNLIKELY(ax >= 0x41200000)) { /* |x| >= 10 */
		if (ax > 0x7f800000)
			return x + x;
		return (ix >> 31) ? -1.0f : 1.0f;
	}
	a = kml_u2f(ax);
	if (ax < 0x3a800000) { /* |x| < 2^-10: the series to x^3 is enough */
		r = a - a * a * a * (1.0 / 3.0);
	} else {
		/* e - 1 loses at most 2^-52 / 2^-9 relative: enough here */
		e = kml_exp_kernel_fast(2 * a);
		r = (e - 1.0) / (e + 1.0);
	}
	return (float)((ix >> 31) ? -r : r);
}

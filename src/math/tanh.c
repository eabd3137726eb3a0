// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * tanh.c - hyperbolic tangent. With t = exp(2|x|) - 1:
 * tanh|x| = t / (t + 2) near 0 (no cancellation) and 1 - 2 / (t + 2)
 * further out; |x| beyond where tanh rounds to 1 returns +-1 at once, so
 * nothing overflows for any input.
 */
#include "kmath_impl.h"

double kml_tanh(double x)
{
	uint64_t ix = kml_d2u(x), ax = ix & ~(1ULL << 63);
	double a, t, r;

	if (KML_UNLIKELY(ax >= 0x4036000000000000ULL)) { /* |x| >= 22 */
		if (ax > 0x7ff0000000000000ULL)
			return x + x;
		return (ix >> 63) ? -1.0 : 1.0;
	}
	if (ax < 0x3e30000000000000ULL) /* |x| < 2^-28: x^3/3 is invisible */
		return x;
	a = kml_u2d(ax);
	t = kml_expm1(2 * a);
	if (a > 0.55)
		r = 1.0 - 2.0 / (t + 2.0);
	else
		r = t / (t + 2.0);
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
		/* e - 1 loses at most 2^-52 / 2^-9 relative: fine for a float */
		e = kml_exp_kernel_fast(2 * a);
		r = (e - 1.0) / (e + 1.0);
	}
	return (float)((ix >> 31) ? -r : r);
}

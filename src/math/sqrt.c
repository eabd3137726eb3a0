// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * sqrt.c - square root and its reciprocal.
 *
 * With -fno-math-errno (both builds) the builtins compile to the SSE2
 * sqrtss/sqrtsd instructions, which are correctly rounded; no libm call.
 */
#include "kmath_impl.h"

float kml_sqrtf(float x)
{
	return __builtin_sqrtf(x);
}

double kml_sqrt(double x)
{
	return __builtin_sqrt(x);
}

float kml_rsqrtf(float x)
{
	/* in double: two roundings of 2^-53 each, then one to float */
	return (float)(1.0 / __builtin_sqrt((double)x));
}

/*
 * 1 / sqrt(x) rounds twice, up to ~1.5 ULP; one Newton step on the exact
 * residual t = m r^2 - 1 brings it near 0.5 ULP. x = m 4^e with m in
 * [1, 4) keeps the residual's products in range.
 */
double kml_rsqrt(double x)
{
	uint64_t ix = kml_d2u(x);
	double m, r, h, l, a, b, t;
	int e, adj = 0;

	if (KML_UNLIKELY(ix - 0x0010000000000000ULL >=
			 0x7ff0000000000000ULL - 0x0010000000000000ULL)) {
		/* 0, subnormal, inf, NaN or negative */
		if ((ix << 1) == 0 || ix >= 0x7ff0000000000000ULL)
			return 1.0 / __builtin_sqrt(x);
		ix = kml_d2u(x * 0x1p54); /* positive subnormal */
		adj = 27;
	}
	e = ((int)(ix >> 52) - 1023) >> 1; /* floor(exponent / 2) */
	m = kml_u2d(ix - ((uint64_t)(2 * e) << 52)); /* m = x / 4^e */
	r = 1.0 / __builtin_sqrt(m);
	kml_two_prod(r, r, &h, &l);
	kml_two_prod(m, h, &a, &b);
	t = ((a - 1.0) + b) + m * l;
	r -= 0.5 * r * t;
	return r * kml_pow2(adj - e);
}

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * softplus.c - log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)): the
 * exponential never exceeds 1, so nothing overflows.
 */
#include "kmath_impl.h"

double kml_softplus(double x)
{
	uint64_t ix = kml_d2u(x), ax = ix & ~(1ULL << 63);
	double eh, el, u, c, hi, lo, s, err;

	if (KML_UNLIKELY(ax >= 0x4044000000000000ULL)) { /* |x| >= 40 */
		if (ax > 0x7ff0000000000000ULL)
			return x + x;
		if (!(ix >> 63)) /* log1p(e^-40) is below half an ULP of x */
			return x;
		if (x < -746.0)
			return 0.0;
		return kml_exp_kernel(x, 0.0); /* log1p(e) = e here */
	}
	/*
	 * e = exp(-|x|) = eh + el; log1p(e) as hi + lo, so that the sum with
	 * x (when x > 0) rounds only once at the end. Small e: the series
	 * e - e^2/2 + e^3/3; else 1 + e = u + c exactly (Fast2Sum) and
	 * log1p(e) = log(u) + c / u with log(u) as hi + lo.
	 */
	eh = kml_exp_dd(-kml_u2d(ax), &el);
	if (eh < 0x1p-20) {
		hi = eh;
		lo = el - eh * eh * (0.5 - eh * (1.0 / 3.0));
	} else {
		u = 1.0 + eh;
		c = ((1.0 - u) + eh) + el;
		kml_log_dd(kml_d2u(u), NULL, &hi, &lo);
		lo += c / u;
	}
	if (ix >> 63)
		return hi + lo;
	kml_two_sum(x, hi, &s, &err);
	return s + (err + lo);
}

float kml_softplusf(float x)
{
	uint32_t ix = kml_f2u(x), ax = ix & 0x7fffffff;
	double xd = x, e;

	if (KML_UNLIKELY(ax >= 0x42200000)) { /* |x| >= 40 */
		if (ax > 0x7f800000)
			return x + x;
		if (!(ix >> 31))
			return x;
		if (ax > 0x42d00000) /* x < -104 */
			return 0.0f;
		return (float)kml_exp_kernel_fast(xd);
	}
	e = kml_exp_kernel_fast(-(xd < 0 ? -xd : xd));
	/* log(1 + e) in double: 1 + e is within 2^-53 relative, e <= 1 */
	e = kml_log1p(e);
	return (float)(xd > 0 ? xd + e : e);
}

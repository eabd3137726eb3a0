// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * softplus.c - log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)): the
 * exponential never exceeds 1, so nothing overflows.
 */
#include "kmath_impl.h"

double kml_softplus(double x)
{
	uint64_t ix = kml_d2u(x), ax = ix & ~(1ULL << 63);
	double eh, el, l;

	if (KML_UNLIKELY(ax >= 0x4044000000000000ULL)) { /* |x| >= 40 */
		if (ax > 0x7ff0000000000000ULL)
			return x + x;
		if (!(ix >> 63)) /* log1p(e^-40) is below half an ULP of x */
			return x;
		if (x < -746.0)
			return 0.0;
		return kml_exp_kernel(x, 0.0); /* log1p(e) = e here */
	}
	/* log1p(eh + el) = log1p(eh) + el / (1 + eh) to well below an ULP */
	eh = kml_exp_dd(-kml_u2d(ax), &el);
	l = kml_log1p(eh) + el / (1.0 + eh);
	return (ix >> 63) ? l : x + l;
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

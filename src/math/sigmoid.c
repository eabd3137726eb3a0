// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * sigmoid.c - the logistic function 1 / (1 + exp(-x)).
 * Only exp(-|x|) <= 1 is ever computed, so no input overflows:
 * x >= 0 gives 1 / (1 + e), x < 0 gives e / (1 + e).
 */
#include "kmath_impl.h"

double kml_sigmoid(double x)
{
	uint64_t ix = kml_d2u(x), ax = ix & ~(1ULL << 63);
	uint64_t neg = 0 - (ix >> 63);
	double eh, el, d, dl, n, nl, r, ph, pl;

	if (KML_UNLIKELY(ax >= 0x4044000000000000ULL)) { /* |x| >= 40 */
		if (ax > 0x7ff0000000000000ULL)
			return x + x;
		if (!(ix >> 63)) /* 1 - e^-40 rounds to 1 */
			return 1.0;
		if (x < -746.0) /* below half the smallest subnormal */
			return 0.0;
		return kml_exp_kernel(x, 0.0); /* 1 + e is 1 */
	}
	/*
	 * e = exp(-|x|) <= 1 as eh + el; the result is n / (1 + e) with
	 * n = e for x < 0 and 1 otherwise. d + dl = 1 + e exactly
	 * (Fast2Sum); r = n / d is corrected by the exact remainder.
	 */
	eh = kml_exp_dd(-kml_u2d(ax), &el);
	d = 1.0 + eh;
	dl = ((1.0 - d) + eh) + el;
	n = kml_u2d((kml_d2u(eh) & neg) | (kml_d2u(1.0) & ~neg));
	nl = kml_u2d(kml_d2u(el) & neg);
	r = n / d;
	kml_two_prod(r, d, &ph, &pl);
	return r + (((n - ph) - pl) + nl - r * dl) / d;
}

float kml_sigmoidf(float x)
{
	uint32_t ix = kml_f2u(x), ax = ix & 0x7fffffff;
	uint64_t neg = 0 - (uint64_t)(ix >> 31);
	double e, num;

	if (KML_UNLIKELY(ax >= 0x42200000)) { /* |x| >= 40 */
		if (ax > 0x7f800000)
			return x + x;
		if (!(ix >> 31))
			return 1.0f;
		if (ax > 0x42d00000) /* x < -104: below 2^-150 */
			return 0.0f;
		return (float)kml_exp_kernel_fast(x); /* 1 + e is 1 */
	}
	/* e = exp(-|x|); numerator e for x < 0, else 1, without a branch */
	e = kml_exp_kernel_fast(-kml_u2f(ax));
	num = kml_u2d((kml_d2u(e) & neg) | (kml_d2u(1.0) & ~neg));
	return (float)(num / (1.0 + e));
}

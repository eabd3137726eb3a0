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
	double e;

	if (KML_UNLIKELY(ax >= 0x4044000000000000ULL)) { /* |x| >= 40 */
		if (ax > 0x7ff0000000000000ULL)
			return x + x;
		if (!(ix >> 63)) /* 1 - e^-40 rounds to 1 */
			return 1.0;
		if (x < -746.0) /* below half the smallest subnormal */
			return 0.0;
		return kml_exp_kernel(x, 0.0); /* 1 + e is 1 */
	}
	if (ix >> 63) {
		e = kml_exp_kernel(x, 0.0);
		return e / (1.0 + e);
	}
	return 1.0 / (1.0 + kml_exp_kernel(-x, 0.0));
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

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * erf.c - the error function. |x| < 1/2: x h(x^2) with a fitted
 * polynomial h; 1/2 <= |x| < 1: a fitted polynomial in |x| - 3/4;
 * 1 <= |x| < 6: 1 - exp(-x^2) g(x) with g = erfc exp(x^2)
 * fitted per interval (tools/gen_kmath_tables.py) and x^2 split exactly
 * into hi + lo so exp(-x^2) keeps full precision; |x| >= 6: +-1.
 */
#include "kmath_impl.h"

extern const double kml_erf_small[10];
extern const double kml_erf_small_lo;
extern const double kml_erf_mid[15];
extern const double kml_erf_mid_lo;
extern const double kml_erfc_tab[5][14];

double kml_erf(double x)
{
	uint64_t ix = kml_d2u(x), ax = ix & ~(1ULL << 63);
	double a, hi, lo, mid, g, r, t;
	int i;

	if (KML_UNLIKELY(ax >= 0x4018000000000000ULL)) { /* |x| >= 6 or NaN */
		if (ax > 0x7ff0000000000000ULL)
			return x + x;
		return (ix >> 63) ? -1.0 : 1.0;
	}
	if (ax < 0x3fe0000000000000ULL) { /* |x| < 1/2 */
		if (ax < 0x3e30000000000000ULL) /* |x| < 2^-28: 2x/sqrt(pi) */
			return x * kml_erf_small[0];
		/* x c0 exactly as hi + lo (c0 itself as hi + lo), then the rest
		 */
		kml_two_prod(x, kml_erf_small[0], &hi, &lo);
		return hi +
		       (lo + x * kml_erf_small_lo +
			x * (x * x) * kml_horner(kml_erf_small + 1, 9, x * x));
	}
	a = kml_u2d(ax);
	if (a < 1.0) { /* erf(3/4 + t), |t| <= 1/4, t exact */
		t = a - 0.75;
		r = kml_erf_mid[0] +
		    (kml_erf_mid_lo + t * kml_horner(kml_erf_mid + 1, 14, t));
		return (ix >> 63) ? -r : r;
	}
	if (a < 2.0) {
		i = a < 1.5 ? 0 : 1;
		mid = a < 1.5 ? 1.25 : 1.75;
	} else {
		i = (int)a; /* [2, 3) and [3, 4); [4, 6) is the last */
		mid = i + 0.5;
		if (i >= 4) {
			i = 4;
			mid = 5.0;
		}
	}
	g = kml_horner(kml_erfc_tab[i], 14, a - mid);
	kml_two_prod(a, a, &hi, &lo);
	r = 1.0 - kml_exp_kernel(-hi, -lo) * g;
	return (ix >> 63) ? -r : r;
}

float kml_erff(float x)
{
	return (float)kml_erf(x);
}

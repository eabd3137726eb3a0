// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* log.c - natural logarithm in float and double (see kmath_impl.h). */
#include "kmath_impl.h"

#define D_MIN_NORMAL 0x0010000000000000ULL
#define D_INF 0x7ff0000000000000ULL

/* true unless x (bits v) is a positive normal double */
static inline bool log_unusual(uint64_t v)
{
	return v - D_MIN_NORMAL >= D_INF - D_MIN_NORMAL;
}

/*
 * Results of log-like functions for NaN, inf, 0 and negatives: returns
 * true and sets *out; false for a positive subnormal.
 */
static bool log_special(uint64_t v, double *out)
{
	if ((v << 1) == 0) /* +-0 */
		*out = -kml_u2d(D_INF);
	else if (v == D_INF)
		*out = kml_u2d(v);
	else if ((v & ~(1ULL << 63)) > D_INF) /* NaN */
		*out = kml_u2d(v) + kml_u2d(v);
	else if (v >> 63) /* negative, -inf included */
		*out = kml_u2d(0x7ff8000000000000ULL);
	else
		return false;
	return true;
}

double kml_log(double x)
{
	uint64_t ix = kml_d2u(x);
	double out;

	if (KML_UNLIKELY(log_unusual(ix))) {
		if (log_special(ix, &out))
			return out;
		/* subnormal: scaled bits, the scale taken off the exponent */
		ix = kml_d2u(x * 0x1p54) - (54ULL << 52);
	}
	return kml_log_kernel(ix);
}

float kml_logf(float x)
{
	uint32_t ix = kml_f2u(x);

	if (KML_UNLIKELY(ix - 0x00800000u >= 0x7f800000u - 0x00800000u)) {
		if ((ix << 1) == 0)
			return -kml_u2f(0x7f800000);
		if (ix == 0x7f800000)
			return x;
		if ((ix & 0x7fffffff) > 0x7f800000)
			return x + x;
		if (ix >> 31)
			return kml_u2f(0x7fc00000);
		/* positive subnormal: scaled bits minus the scale */
		ix = kml_f2u(x * 0x1p23f) - (23u << 23);
	}
	return (float)kml_logf_kernel(ix);
}

double kml_log1p(double x)
{
	uint64_t ix = kml_d2u(x), ax = ix & ~(1ULL << 63);
	double u, c, hi, lo;

	if (KML_UNLIKELY(ax < 0x3c90000000000000ULL)) /* |x| < 2^-54 */
		return x;
	if (KML_UNLIKELY(ax >= 0x7ff0000000000000ULL)) { /* inf, NaN */
		if (ax > 0x7ff0000000000000ULL)
			return x + x;
		return (ix >> 63) ? kml_u2d(0x7ff8000000000000ULL) : x;
	}
	if (KML_UNLIKELY(x <= -1.0))
		return x == -1.0 ? -kml_u2d(0x7ff0000000000000ULL)
				 : kml_u2d(0x7ff8000000000000ULL);
	/* 1 + x = u + c exactly; log(1 + x) = log(u) + c / u */
	kml_two_sum(1.0, x, &u, &c);
	kml_log_dd(kml_d2u(u), NULL, &hi, &lo);
	return hi + (lo + c / u);
}

float kml_log1pf(float x)
{
	uint32_t ix = kml_f2u(x), ax = ix & 0x7fffffff;

	if (ax < 0x31000000) /* |x| < 2^-29: x - x^2/2 rounds to x */
		return x;
	if (KML_UNLIKELY(ax >= 0x7f800000)) { /* inf, NaN */
		if (ax > 0x7f800000)
			return x + x;
		return (ix >> 31) ? kml_u2f(0x7fc00000) : x;
	}
	if (KML_UNLIKELY(x <= -1.0f))
		return x == -1.0f ? -kml_u2f(0x7f800000) : kml_u2f(0x7fc00000);
	/* 1 + x is exact in double for |x| >= 2^-29 */
	return (float)kml_log_kernel(kml_d2u(1.0 + (double)x));
}

double kml_log2(double x)
{
	uint64_t ix = kml_d2u(x);
	double out, hi, lo, ph, pl;
	int k, kadj = 0;

	if (KML_UNLIKELY(log_unusual(ix))) {
		if (log_special(ix, &out))
			return out;
		ix = kml_d2u(x * 0x1p54);
		kadj = -54;
	}
	/* log2(x) = k + log(m) / ln2, exact for powers of two */
	kml_log_dd(ix, &k, &hi, &lo);
	kml_two_prod(hi, KML_INVLN2, &ph, &pl);
	pl += hi * KML_INVLN2_LO + lo * KML_INVLN2;
	k += kadj;
	kml_two_sum((double)k, ph, &hi, &lo);
	return hi + (lo + pl);
}

float kml_log2f(float x)
{
	return (float)kml_log2(x);
}

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * pow.c - x^y = exp(y log|x|) with the IEEE 754 / C99 Annex F special
 * cases. The double version carries log|x| as hi + lo (about 2^-68
 * relative) and y log|x| as an exact product, since exp multiplies an
 * absolute error in its argument by up to 745 in relative terms.
 */
#include "kmath_impl.h"

enum { NOT_INT, ODD_INT, EVEN_INT };

/* Integer class of a finite nonzero double given by its bits. */
static inline int int_kind(uint64_t iy)
{
	int e = (int)((iy >> 52) & 0x7ff) - 1023;
	uint64_t unit;

	if (e < 0)
		return NOT_INT;
	if (e > 52)
		return EVEN_INT;
	unit = 1ULL << (52 - e);
	if (iy & (unit - 1))
		return NOT_INT;
	return (iy & unit) ? ODD_INT : EVEN_INT;
}

#define D_INF 0x7ff0000000000000ULL
#define D_SIGN (1ULL << 63)

/*
 * Every case where x or y is 0, inf or NaN, or x == 1, or x < 0.
 * Returns true with *out set when the result is decided; otherwise
 * *neg tells whether the result of |x|^y must be negated.
 */
static bool pow_special(double x, double y, double *out, bool *neg)
{
	uint64_t ix = kml_d2u(x), iy = kml_d2u(y);
	uint64_t ax = ix & ~D_SIGN, ay = iy & ~D_SIGN;
	int kind;

	*neg = false;
	if (ay == 0 || x == 1.0) { /* even for NaN */
		*out = 1.0;
		return true;
	}
	if (ax > D_INF || ay > D_INF) {
		*out = x + y;
		return true;
	}
	if (ay == D_INF) {
		if (ax == 0x3ff0000000000000ULL) /* x = -1 */
			*out = 1.0;
		else if ((ax < 0x3ff0000000000000ULL) == !(iy >> 63))
			*out = 0.0; /* |x| < 1, y = +inf or |x| > 1, y = -inf */
		else
			*out = kml_u2d(D_INF);
		return true;
	}
	kind = int_kind(ay);
	if (x == -1.0) { /* log|x| = 0 would meet a huge y: decide here */
		if (kind == NOT_INT)
			*out = kml_u2d(0x7ff8000000000000ULL);
		else
			*out = kind == ODD_INT ? -1.0 : 1.0;
		return true;
	}
	if (ax == 0 || ax == D_INF) {
		/* |x|^y is 0 or inf; the sign is x's for odd integer y */
		bool big = (ax == 0) == !!(iy >> 63);
		uint64_t s = (kind == ODD_INT) ? (ix & D_SIGN) : 0;

		*out = kml_u2d(s | (big ? D_INF : 0));
		return true;
	}
	if (ix >> 63) {
		if (kind == NOT_INT) {
			*out = kml_u2d(0x7ff8000000000000ULL);
			return true;
		}
		*neg = kind == ODD_INT;
	}
	return false;
}

double kml_pow(double x, double y)
{
	uint64_t ax;
	double out, lh, ll, ph, pl, r;
	bool neg;

	if (KML_UNLIKELY(pow_special(x, y, &out, &neg)))
		return out;
	ax = kml_d2u(x) & ~D_SIGN;
	if (ax < 0x0010000000000000ULL) { /* subnormal |x| */
		kml_log_dd(kml_d2u(kml_u2d(ax) * 0x1p54), NULL, &lh, &ll);
		kml_two_sum(lh, -54 * KML_LN2_HI, &lh, &pl);
		ll += pl - 54 * KML_LN2_LO;
	} else {
		kml_log_dd(ax, NULL, &lh, &ll);
	}
	ph = y * lh;
	if (ph > 710.0 || ph < -746.0 || ph != ph) {
		r = ph > 0 ? kml_u2d(D_INF) : 0.0;
	} else {
		kml_two_prod(y, lh, &ph, &pl);
		pl += y * ll;
		r = kml_exp_kernel(ph, pl);
	}
	return neg ? -r : r;
}

float kml_powf(float x, float y)
{
	uint32_t ix = kml_f2u(x), iy = kml_f2u(y);
	double out, p;
	bool neg = false;

	/* x not a positive normal, or y zero, inf or NaN */
	if (KML_UNLIKELY(ix - 0x00800000u >= 0x7f800000u - 0x00800000u ||
			 (iy << 1) - 1 >= 0xff000000u - 1)) {
		/* decided in double: the same values */
		if (pow_special(x, y, &out, &neg))
			return (float)out;
		/* |x| normal or subnormal: scaled bits minus the scale */
		ix &= 0x7fffffff;
		if (ix < 0x00800000u)
			ix = kml_f2u(kml_u2f(ix) * 0x1p23f) - (23u << 23);
	}
	/* |y log|x|| error ~2^-50 relative: far below a float ULP after exp */
	p = (double)y * kml_logf_kernel_precise(ix);
	if (p > 89.0)
		out = kml_u2d(D_INF);
	else if (p < -104.0)
		out = 0.0;
	else
		out = kml_exp_kernel_fast(p);
	return (float)(neg ? -out : out);
}

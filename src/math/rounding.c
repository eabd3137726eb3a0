// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * rounding.c - floor, ceil and round on the bit patterns (the compiler
 * would call libm for them without SSE4.1).
 *
 * A value with unbiased exponent e has 52 - e (23 - e for float)
 * fraction bits; rounding clears them after adding what moves the
 * magnitude to the next integer when needed (a carry into the exponent
 * is still the right number).
 */
#include "kmath_impl.h"

enum kml_round_mode { KML_FLOOR, KML_CEIL, KML_ROUND };

static inline double round_d(double x, enum kml_round_mode mode)
{
	uint64_t ix = kml_d2u(x), sign = ix & (1ULL << 63), mask;
	int e = (int)((ix >> 52) & 0x7ff) - 1023;
	bool up;

	if (e >= 52) /* integer, inf or NaN */
		return e == 1024 ? x + x : x;
	if (e < 0) { /* |x| < 1: the result is 0 or 1 with x's sign */
		if ((ix << 1) == 0)
			return x;
		if (mode == KML_ROUND)
			up = e == -1;
		else
			up = (mode == KML_FLOOR) == !!sign;
		return kml_u2d(sign | (up ? 0x3ff0000000000000ULL : 0));
	}
	mask = (1ULL << (52 - e)) - 1;
	if (!(ix & mask))
		return x;
	if (mode == KML_ROUND)
		ix += 1ULL << (51 - e); /* half away from zero */
	else if ((mode == KML_FLOOR) == !!sign)
		ix += mask + 1; /* away from zero */
	return kml_u2d(ix & ~mask);
}

static inline float round_f(float x, enum kml_round_mode mode)
{
	uint32_t ix = kml_f2u(x), sign = ix & 0x80000000u, mask;
	int e = (int)((ix >> 23) & 0xff) - 127;
	bool up;

	if (e >= 23)
		return e == 128 ? x + x : x;
	if (e < 0) {
		if ((ix << 1) == 0)
			return x;
		if (mode == KML_ROUND)
			up = e == -1;
		else
			up = (mode == KML_FLOOR) == !!sign;
		return kml_u2f(sign | (up ? 0x3f800000u : 0));
	}
	mask = (1u << (23 - e)) - 1;
	if (!(ix & mask))
		return x;
	if (mode == KML_ROUND)
		ix += 1u << (22 - e);
	else if ((mode == KML_FLOOR) == !!sign)
		ix += mask + 1;
	return kml_u2f(ix & ~mask);
}

float kml_floorf(float x)
{
	return round_f(x, KML_FLOOR);
}

double kml_floor(double x)
{
	return round_d(x, KML_FLOOR);
}

float kml_ceilf(float x)
{
	return round_f(x, KML_CEIL);
}

double kml_ceil(double x)
{
	return round_d(x, KML_CEIL);
}

float kml_roundf(float x)
{
	return round_f(x, KML_ROUND);
}

double kml_round(double x)
{
	return round_d(x, KML_ROUND);
}

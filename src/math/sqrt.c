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

double kml_rsqrt(double x)
{
	return 1.0 / __builtin_sqrt(x);
}

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* basic.c - fabs, fmin, fmax and isnan on the bit patterns. */
#include "kmath_impl.h"

float kml_fabsf(float x)
{
	return kml_u2f(kml_f2u(x) & 0x7fffffff);
}

double kml_fabs(double x)
{
	return kml_u2d(kml_d2u(x) & ~(1ULL << 63));
}

int kml_isnanf(float x)
{
	return (kml_f2u(x) & 0x7fffffff) > 0x7f800000;
}

int kml_isnan(double x)
{
	return (kml_d2u(x) & ~(1ULL << 63)) > 0x7ff0000000000000ULL;
}

float kml_fminf(float x, float y)
{
	if (kml_isnanf(x))
		return y;
	if (kml_isnanf(y) || x < y)
		return x;
	if (x == y) /* equal zeros: prefer -0 */
		return (kml_f2u(x) >> 31) ? x : y;
	return y;
}

double kml_fmin(double x, double y)
{
	if (kml_isnan(x))
		return y;
	if (kml_isnan(y) || x < y)
		return x;
	if (x == y)
		return (kml_d2u(x) >> 63) ? x : y;
	return y;
}

float kml_fmaxf(float x, float y)
{
	if (kml_isnanf(x))
		return y;
	if (kml_isnanf(y) || x > y)
		return x;
	if (x == y) /* equal zeros: prefer +0 */
		return (kml_f2u(x) >> 31) ? y : x;
	return y;
}

double kml_fmax(double x, double y)
{
	if (kml_isnan(x))
		return y;
	if (kml_isnan(y) || x > y)
		return x;
	if (x == y)
		return (kml_d2u(x) >> 63) ? y : x;
	return y;
}

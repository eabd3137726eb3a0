/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * kmath.h - elementary functions without libm, for both targets.
 *
 * Pure numeric functions like libm's: they return the value, never a
 * status. Special values follow C99 Annex F: NaN in gives NaN out,
 * log(0) = -inf, log(x < 0) = NaN, exp overflows to +inf and underflows
 * through the subnormals to 0, pow follows the IEEE special cases.
 * sigmoid, tanh and softplus saturate without overflow for any finite x.
 *
 * FPU code: in the kernel, call these only between kml_fpu_begin() and
 * kml_fpu_end() (and only from objects listed as "fpu").
 *
 * Accuracy against glibc's libm is measured by tools/kmath_ulp.c and
 * written to docs/math.md.
 */
#ifndef KMLIB_KMATH_H
#define KMLIB_KMATH_H

#include "kml_deps.h"
#include "status.h"

float kml_expf(float x);
double kml_exp(double x);
/* exp(x) - 1, accurate near 0 */
float kml_expm1f(float x);
double kml_expm1(double x);

float kml_logf(float x);
double kml_log(double x);
/* log(1 + x), accurate near 0 */
float kml_log1pf(float x);
double kml_log1p(double x);
float kml_log2f(float x);
double kml_log2(double x);

float kml_powf(float x, float y);
double kml_pow(double x, double y);

/* correctly rounded (the SSE2 square root instruction) */
float kml_sqrtf(float x);
double kml_sqrt(double x);
/* 1 / sqrt(x): rsqrt(+0) = +inf, rsqrt(-0) = -inf, rsqrt(+inf) = +0 */
float kml_rsqrtf(float x);
double kml_rsqrt(double x);

float kml_tanhf(float x);
double kml_tanh(double x);
/* logistic function 1 / (1 + exp(-x)) */
float kml_sigmoidf(float x);
double kml_sigmoid(double x);
/*
 * y[i] = kml_sigmoidf(x[i]) bit for bit for i < n, two lanes at a time
 * (y == x allowed). Returns KML_OK, or KML_EINVAL if y or x is NULL and
 * n > 0. The one kmath function that returns a status.
 */
int kml_sigmoidf_vec(float *y, const float *x, size_t n);
/* log(1 + exp(x)) */
float kml_softplusf(float x);
double kml_softplus(double x);
float kml_erff(float x);
double kml_erf(double x);

float kml_floorf(float x);
double kml_floor(double x);
float kml_ceilf(float x);
double kml_ceil(double x);
/* nearest integer, halfway cases away from zero (like C round()) */
float kml_roundf(float x);
double kml_round(double x);
float kml_fabsf(float x);
double kml_fabs(double x);
/* if one argument is NaN the other is returned; fmin(-0, +0) = -0 */
float kml_fminf(float x, float y);
double kml_fmin(double x, double y);
/* if one argument is NaN the other is returned; fmax(-0, +0) = +0 */
float kml_fmaxf(float x, float y);
double kml_fmax(double x, double y);
/* nonzero if x is a NaN */
int kml_isnanf(float x);
int kml_isnan(double x);

#endif /* KMLIB_KMATH_H */

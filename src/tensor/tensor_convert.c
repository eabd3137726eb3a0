// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * tensor_convert.c - values into dtypes: cast between dtypes and fill,
 * with round-half-to-even and saturation for integers (fpu).
 */
#include "kmlib/kml_deps.h"
#include "kmlib/platform.h"
#include "kmlib/tensor.h"
#include "tensor_check.h"

/* Range of an integer dtype. */
static void int_range(unsigned int dtype, int64_t *lo, int64_t *hi)
{
	switch (dtype) {
	case KML_I32:
		*lo = INT32_MIN, *hi = INT32_MAX;
		break;
	case KML_I16:
		*lo = INT16_MIN, *hi = INT16_MAX;
		break;
	default:
		*lo = INT8_MIN, *hi = INT8_MAX;
		break;
	}
}

/*
 * Round half to even, then clamp to [lo, hi]; NaN gives 0. Adding and
 * subtracting 2^52 rounds in the current (nearest-even) mode for
 * |v| < 2^52; larger values are already integers.
 */
static int64_t round_sat(double v, int64_t lo, int64_t hi)
{
	const double big = 4503599627370496.0; /* 2^52 */
	double r;

	if (v != v)
		return 0;
	if (v >= (double)hi)
		return hi;
	if (v <= (double)lo)
		return lo;
	if (v >= 0)
		r = v < big ? (v + big) - big : v;
	else
		r = v > -big ? (v - big) + big : v;
	/* the rounding may reach hi or lo exactly, never beyond */
	return (int64_t)r;
}

static double load_f(const void *data, unsigned int dtype, size_t i)
{
	switch (dtype) {
	case KML_F32:
		return (double)((const float *)data)[i];
	case KML_F64:
		return ((const double *)data)[i];
	case KML_I32:
		return (double)((const int32_t *)data)[i];
	case KML_I16:
		return (double)((const int16_t *)data)[i];
	default:
		return (double)((const int8_t *)data)[i];
	}
}

static int64_t load_i(const void *data, unsigned int dtype, size_t i)
{
	switch (dtype) {
	case KML_I32:
		return ((const int32_t *)data)[i];
	case KML_I16:
		return ((const int16_t *)data)[i];
	default:
		return ((const int8_t *)data)[i];
	}
}

static void store_i(void *data, unsigned int dtype, size_t i, int64_t v)
{
	switch (dtype) {
	case KML_I32:
		((int32_t *)data)[i] = (int32_t)v;
		break;
	case KML_I16:
		((int16_t *)data)[i] = (int16_t)v;
		break;
	default:
		((int8_t *)data)[i] = (int8_t)v;
		break;
	}
}

int kml_tensor_cast(const struct kml_tensor *in, struct kml_tensor *out)
{
	unsigned int sd, dd;
	int64_t lo, hi;
	size_t i;
	int rc = kml_tensor_check2(in, out);

	if (rc)
		return rc;
	if (in->numel != out->numel)
		return KML_EDOM;
	sd = in->dtype;
	dd = out->dtype;
	if (sd == dd)
		return kml_tensor_copy(in, out);
	if (in->data == out->data)
		return KML_EINVAL; /* sizes differ: no in-place conversion */
	if (dd == KML_F32) {
		float *y = out->data;

		/* f64 -> f32 rounds once; the integers convert exactly to
		 * double first, then round once to float */
		for (i = 0; i < in->numel; i++)
			y[i] = (float)load_f(in->data, sd, i);
		return KML_OK;
	}
	if (dd == KML_F64) {
		double *y = out->data;

		for (i = 0; i < in->numel; i++)
			y[i] = load_f(in->data, sd, i);
		return KML_OK;
	}
	int_range(dd, &lo, &hi);
	for (i = 0; i < in->numel; i++) {
		int64_t v;

		if (kml_dtype_is_float(sd)) {
			v = round_sat(load_f(in->data, sd, i), lo, hi);
		} else {
			v = load_i(in->data, sd, i);
			v = v < lo ? lo : v > hi ? hi : v;
		}
		store_i(out->data, dd, i, v);
	}
	return KML_OK;
}

int kml_tensor_fill(struct kml_tensor *t, double v)
{
	int64_t lo, hi, q;
	size_t i;
	int rc = kml_tensor_check(t);

	if (rc)
		return rc;
	if (t->dtype == KML_F32) {
		float *y = t->data, f = (float)v;

		for (i = 0; i < t->numel; i++)
			y[i] = f;
		return KML_OK;
	}
	if (t->dtype == KML_F64) {
		double *y = t->data;

		for (i = 0; i < t->numel; i++)
			y[i] = v;
		return KML_OK;
	}
	int_range(t->dtype, &lo, &hi);
	q = round_sat(v, lo, hi);
	for (i = 0; i < t->numel; i++)
		store_i(t->data, t->dtype, i, q);
	return KML_OK;
}

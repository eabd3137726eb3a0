// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * tensor_reduce.c - sum, mean, max, argmax along an axis and the L2 norm
 * (fpu).
 */
#include "kmlib/kml_deps.h"
#include "kmlib/platform.h"
#include "kmlib/tensor.h"
#include "kmlib/kmath.h"
#include "tensor_check.h"

/* A reduction seen as [outer][len][inner], reducing the middle index. */
struct reduce_geom {
	size_t outer, len, inner;
};

/*
 * Check @out against @in reduced along @axis: @in's shape with that
 * dimension set to 1 or removed; one element for KML_AXIS_ALL.
 */
static int reduce_plan(const struct kml_tensor *in, int axis,
		       const struct kml_tensor *out, struct reduce_geom *g)
{
	unsigned int i, j, ax;
	bool keep = true, drop = true;
	int rc = kml_tensor_check2(in, out);

	if (rc)
		return rc;
	if (axis == KML_AXIS_ALL) {
		if (out->numel != 1)
			return KML_EDOM;
		g->outer = g->inner = 1;
		g->len = in->numel;
		return KML_OK;
	}
	if (axis < 0 || axis >= in->ndim)
		return KML_EDOM;
	ax = (unsigned int)axis;
	/* keepdims form */
	if (out->ndim != in->ndim)
		keep = false;
	for (i = 0; keep && i < in->ndim; i++)
		if (out->shape[i] != (i == ax ? 1 : in->shape[i]))
			keep = false;
	/* dimension removed (a 1-D input reduces to one element) */
	if (in->ndim == 1) {
		drop = out->ndim == 1 && out->numel == 1;
	} else if (out->ndim != in->ndim - 1) {
		drop = false;
	} else {
		for (i = 0, j = 0; drop && i < in->ndim; i++)
			if (i != ax && out->shape[j++] != in->shape[i])
				drop = false;
	}
	if (!keep && !drop)
		return KML_EDOM;
	g->outer = 1;
	g->inner = 1;
	for (i = 0; i < ax; i++)
		g->outer *= in->shape[i];
	for (i = ax + 1; i < in->ndim; i++)
		g->inner *= in->shape[i];
	g->len = in->shape[ax];
	return KML_OK;
}

/* Sum of one lane, in index order, in double. */
static double lane_sum(const struct kml_tensor *in, const struct reduce_geom *g,
		       size_t o, size_t i)
{
	size_t base = o * g->len * g->inner + i, l;
	double s = 0;

	if (in->dtype == KML_F32) {
		const float *x = in->data;

		for (l = 0; l < g->len; l++)
			s += (double)x[base + l * g->inner];
	} else {
		const double *x = in->data;

		for (l = 0; l < g->len; l++)
			s += x[base + l * g->inner];
	}
	return s;
}

static int reduce_sum(const struct kml_tensor *in, int axis,
		      struct kml_tensor *out, bool mean)
{
	struct reduce_geom g;
	size_t o, i;
	int rc = reduce_plan(in, axis, out, &g);

	if (rc)
		return rc;
	if (in->dtype != out->dtype)
		return KML_EDOM;
	if (!kml_dtype_is_float(in->dtype))
		return KML_ENOSYS;
	for (o = 0; o < g.outer; o++) {
		for (i = 0; i < g.inner; i++) {
			double s = lane_sum(in, &g, o, i);

			if (mean)
				s /= (double)g.len;
			if (out->dtype == KML_F32)
				((float *)out->data)[o * g.inner + i] =
				    (float)s;
			else
				((double *)out->data)[o * g.inner + i] = s;
		}
	}
	return KML_OK;
}

int kml_tensor_sum(const struct kml_tensor *in, int axis,
		   struct kml_tensor *out)
{
	return reduce_sum(in, axis, out, false);
}

int kml_tensor_mean(const struct kml_tensor *in, int axis,
		    struct kml_tensor *out)
{
	return reduce_sum(in, axis, out, true);
}

/*
 * Index of the first maximum of one lane; a NaN beats every number and
 * the first NaN stops the search.
 */
#define LANE_ARGMAX(type, data, base, len, step, best_out)                     \
	do {                                                                   \
		const type *x_ = (const type *)(data) + (base);                \
		type b_ = x_[0];                                               \
		size_t l_, bi_ = 0;                                            \
                                                                               \
		for (l_ = 1; l_ < (len) && b_ == b_; l_++) {                   \
			type v_ = x_[l_ * (step)];                             \
                                                                               \
			if (v_ > b_ || v_ != v_) {                             \
				b_ = v_;                                       \
				bi_ = l_;                                      \
			}                                                      \
		}                                                              \
		*(best_out) = bi_;                                             \
	} while (0)

static size_t lane_argmax(const struct kml_tensor *in,
			  const struct reduce_geom *g, size_t o, size_t i)
{
	size_t base = o * g->len * g->inner + i, best = 0;

	switch (in->dtype) {
	case KML_F32:
		LANE_ARGMAX(float, in->data, base, g->len, g->inner, &best);
		break;
	case KML_F64:
		LANE_ARGMAX(double, in->data, base, g->len, g->inner, &best);
		break;
	case KML_I32:
		LANE_ARGMAX(int32_t, in->data, base, g->len, g->inner, &best);
		break;
	case KML_I16:
		LANE_ARGMAX(int16_t, in->data, base, g->len, g->inner, &best);
		break;
	default:
		LANE_ARGMAX(int8_t, in->data, base, g->len, g->inner, &best);
		break;
	}
	return base + best * g->inner;
}

int kml_tensor_max(const struct kml_tensor *in, int axis,
		   struct kml_tensor *out)
{
	struct reduce_geom g;
	size_t o, i, es = 1;
	int rc = reduce_plan(in, axis, out, &g);

	if (rc)
		return rc;
	if (in->dtype != out->dtype)
		return KML_EDOM;
	kml_dtype_size(in->dtype, &es);
	for (o = 0; o < g.outer; o++)
		for (i = 0; i < g.inner; i++)
			kml_memcpy((uint8_t *)out->data +
				       (o * g.inner + i) * es,
				   (const uint8_t *)in->data +
				       lane_argmax(in, &g, o, i) * es,
				   es);
	return KML_OK;
}

int kml_tensor_argmax(const struct kml_tensor *in, int axis,
		      struct kml_tensor *out)
{
	struct reduce_geom g;
	size_t o, i;
	int32_t *idx;
	int rc = reduce_plan(in, axis, out, &g);

	if (rc)
		return rc;
	if (out->dtype != KML_I32)
		return KML_EDOM;
	if (g.len > (size_t)INT32_MAX)
		return KML_EOVERFLOW;
	idx = out->data;
	for (o = 0; o < g.outer; o++)
		for (i = 0; i < g.inner; i++)
			idx[o * g.inner + i] =
			    (int32_t)((lane_argmax(in, &g, o, i) -
				       o * g.len * g.inner - i) /
				      g.inner);
	return KML_OK;
}

int kml_tensor_l2norm(const struct kml_tensor *in, double *out)
{
	double s = 0;
	size_t i;
	int rc = kml_tensor_check(in);

	if (rc)
		return rc;
	if (!out)
		return KML_EINVAL;
	if (!kml_dtype_is_float(in->dtype))
		return KML_ENOSYS;
	if (in->dtype == KML_F32) {
		const float *x = in->data;

		for (i = 0; i < in->numel; i++)
			s += (double)x[i] * (double)x[i];
	} else {
		const double *x = in->data;

		for (i = 0; i < in->numel; i++)
			s += x[i] * x[i];
	}
	*out = kml_sqrt(s);
	return KML_OK;
}

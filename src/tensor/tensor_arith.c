// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * tensor_arith.c - elementwise arithmetic, row broadcast, map and matmul on
 * float32/float64 tensors, and the quantization-parameter setter (fpu).
 */
#include "kmlib/kml_deps.h"
#include "kmlib/platform.h"
#include "kmlib/tensor.h"
#include "kmlib/linalg.h"
#include "tensor_check.h"

int kml_tensor_set_quant(struct kml_tensor *t, float scale, int32_t zero_point)
{
	int rc = kml_tensor_check(t);

	if (rc)
		return rc;
	if (kml_dtype_is_float(t->dtype))
		return KML_ENOSYS;
	/* finite and > 0: NaN fails the compare, inf - inf is NaN */
	if (!(scale > 0.0f) || !(scale - scale == 0.0f))
		return KML_EINVAL;
	if ((t->dtype == KML_I8 &&
	     (zero_point < INT8_MIN || zero_point > INT8_MAX)) ||
	    (t->dtype == KML_I16 &&
	     (zero_point < INT16_MIN || zero_point > INT16_MAX)))
		return KML_ERANGE;
	t->scale = scale;
	t->zero_point = zero_point;
	return KML_OK;
}

/* Same dtype and shape for all three, and a float dtype. */
static int check_binary(const struct kml_tensor *a, const struct kml_tensor *b,
			const struct kml_tensor *out)
{
	int rc = kml_tensor_check3(a, b, out);

	if (rc)
		return rc;
	if (a->dtype != b->dtype || a->dtype != out->dtype)
		return KML_EDOM;
	if (!kml_tensor_same_shape(a, b) || !kml_tensor_same_shape(a, out))
		return KML_EDOM;
	if (!kml_dtype_is_float(a->dtype))
		return KML_ENOSYS;
	return KML_OK;
}

#define BINARY_LOOP(type, a, b, out, n, op)                                    \
	do {                                                                   \
		const type *x_ = (a)->data, *y_ = (b)->data;                   \
		type *z_ = (out)->data;                                        \
		size_t i_;                                                     \
                                                                               \
		for (i_ = 0; i_ < (n); i_++)                                   \
			z_[i_] = x_[i_] op y_[i_];                             \
	} while (0)

#define DEFINE_BINARY(name, op)                                                \
	int kml_tensor_##name(const struct kml_tensor *a,                      \
			      const struct kml_tensor *b,                      \
			      struct kml_tensor *out)                          \
	{                                                                      \
		int rc = check_binary(a, b, out);                              \
                                                                               \
		if (rc)                                                        \
			return rc;                                             \
		if (a->dtype == KML_F32)                                       \
			BINARY_LOOP(float, a, b, out, a->numel, op);           \
		else                                                           \
			BINARY_LOOP(double, a, b, out, a->numel, op);          \
		return KML_OK;                                                 \
	}

DEFINE_BINARY(add, +)
DEFINE_BINARY(sub, -)
DEFINE_BINARY(mul, *)

/* Same dtype and element count, float dtype. */
static int check_unary(const struct kml_tensor *in,
		       const struct kml_tensor *out)
{
	int rc = kml_tensor_check2(in, out);

	if (rc)
		return rc;
	if (in->dtype != out->dtype || !kml_tensor_same_shape(in, out))
		return KML_EDOM;
	if (!kml_dtype_is_float(in->dtype))
		return KML_ENOSYS;
	return KML_OK;
}

int kml_tensor_scale(const struct kml_tensor *in, double alpha,
		     struct kml_tensor *out)
{
	int rc = check_unary(in, out);
	size_t i;

	if (rc)
		return rc;
	if (in->dtype == KML_F32) {
		const float *x = in->data;
		float *y = out->data, af = (float)alpha;

		for (i = 0; i < in->numel; i++)
			y[i] = af * x[i];
	} else {
		const double *x = in->data;
		double *y = out->data;

		for (i = 0; i < in->numel; i++)
			y[i] = alpha * x[i];
	}
	return KML_OK;
}

int kml_tensor_axpy(double alpha, const struct kml_tensor *x,
		    struct kml_tensor *y)
{
	int rc = check_unary(x, y);

	if (rc)
		return rc;
	if (x->dtype == KML_F32)
		return kml_axpy_f32(x->numel, (float)alpha, x->data, y->data);
	return kml_axpy_f64(x->numel, alpha, x->data, y->data);
}

int kml_tensor_map(const struct kml_tensor *in, const struct kml_map_fn *fn,
		   struct kml_tensor *out)
{
	int rc = check_unary(in, out);
	size_t i;

	if (rc)
		return rc;
	if (!fn)
		return KML_EINVAL;
	if (in->dtype == KML_F32) {
		const float *x = in->data;
		float *y = out->data;

		if (!fn->f32)
			return KML_ENOSYS;
		for (i = 0; i < in->numel; i++)
			y[i] = fn->f32(x[i], fn->ctx);
	} else {
		const double *x = in->data;
		double *y = out->data;

		if (!fn->f64)
			return KML_ENOSYS;
		for (i = 0; i < in->numel; i++)
			y[i] = fn->f64(x[i], fn->ctx);
	}
	return KML_OK;
}

int kml_tensor_add_row(const struct kml_tensor *in,
		       const struct kml_tensor *row, struct kml_tensor *out)
{
	size_t rows, cols, r, c;
	int rc = check_unary(in, out);

	if (rc)
		return rc;
	rc = kml_tensor_check(row);
	if (rc)
		return rc;
	if (row->dtype != in->dtype || in->ndim != 2)
		return KML_EDOM;
	rows = in->shape[0];
	cols = in->shape[1];
	if (row->numel != cols || (row->ndim != 1 && row->shape[0] != 1) ||
	    row->ndim > 2)
		return KML_EDOM;
	if (in->dtype == KML_F32) {
		const float *x = in->data, *v = row->data;
		float *y = out->data;

		for (r = 0; r < rows; r++)
			for (c = 0; c < cols; c++)
				y[r * cols + c] = x[r * cols + c] + v[c];
	} else {
		const double *x = in->data, *v = row->data;
		double *y = out->data;

		for (r = 0; r < rows; r++)
			for (c = 0; c < cols; c++)
				y[r * cols + c] = x[r * cols + c] + v[c];
	}
	return KML_OK;
}

int kml_tensor_matmul(const struct kml_tensor *a, const struct kml_tensor *b,
		      struct kml_tensor *out, unsigned int flags)
{
	size_t m, k, kb, n;
	int rc = kml_tensor_check3(a, b, out);

	if (rc)
		return rc;
	if (a->dtype != b->dtype || a->dtype != out->dtype)
		return KML_EDOM;
	if (a->ndim != 2 || b->ndim != 2 || out->ndim != 2)
		return KML_EDOM;
	if (flags & ~(unsigned int)(KML_MM_TRANS_A | KML_MM_TRANS_B |
				    KML_MM_ACCUMULATE))
		return KML_EINVAL;
	m = a->shape[(flags & KML_MM_TRANS_A) ? 1 : 0];
	k = a->shape[(flags & KML_MM_TRANS_A) ? 0 : 1];
	kb = b->shape[(flags & KML_MM_TRANS_B) ? 1 : 0];
	n = b->shape[(flags & KML_MM_TRANS_B) ? 0 : 1];
	if (k != kb || out->shape[0] != m || out->shape[1] != n)
		return KML_EDOM;
	if (!kml_dtype_is_float(a->dtype))
		return KML_ENOSYS;
	if (out->data == a->data || out->data == b->data)
		return KML_EINVAL;
	if (a->dtype == KML_F32)
		return kml_matmul_f32(a->data, b->data, out->data, m, k, n,
				      flags);
	return kml_matmul_f64(a->data, b->data, out->data, m, k, n, flags);
}

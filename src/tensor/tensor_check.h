/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * tensor_check.h - the validation every tensor entry point starts with
 * (private to src/; integer-only, usable from nofpu and fpu files).
 */
#ifndef KMLIB_TENSOR_CHECK_H
#define KMLIB_TENSOR_CHECK_H

#include "kmlib/tensor.h"

/*
 * A usable tensor: non-NULL with data, a known dtype, 1..4 dims, each
 * >= 1, numel equal to their product, and a byte size that fits size_t.
 */
static inline int kml_tensor_check(const struct kml_tensor *t)
{
	size_t n = 1, es;
	unsigned int i;

	if (!t || !t->data || !t->ndim || t->ndim > KML_TENSOR_MAX_DIMS)
		return KML_EINVAL;
	if (kml_dtype_size(t->dtype, &es))
		return KML_ENOSYS;
	for (i = 0; i < t->ndim; i++) {
		if (!t->shape[i])
			return KML_EINVAL;
		if (!kml_size_mul(n, t->shape[i], &n))
			return KML_EOVERFLOW;
	}
	if (n != t->numel)
		return KML_EINVAL;
	if (!kml_size_mul(n, es, &n))
		return KML_EOVERFLOW;
	return KML_OK;
}

static inline int kml_tensor_check2(const struct kml_tensor *a,
				    const struct kml_tensor *b)
{
	int rc = kml_tensor_check(a);

	return rc ? rc : kml_tensor_check(b);
}

static inline int kml_tensor_check3(const struct kml_tensor *a,
				    const struct kml_tensor *b,
				    const struct kml_tensor *c)
{
	int rc = kml_tensor_check2(a, b);

	return rc ? rc : kml_tensor_check(c);
}

/* Float dtypes are what the arithmetic operations support. */
static inline bool kml_dtype_is_float(unsigned int dtype)
{
	return dtype == KML_F32 || dtype == KML_F64;
}

#endif /* KMLIB_TENSOR_CHECK_H */

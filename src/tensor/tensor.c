// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * tensor.c - tensor descriptors, memory, views and byte-moving operations
 * (nofpu: the float scale field is copied with the struct, never read).
 */
#include "kmlib/kml_deps.h"
#include "kmlib/platform.h"
#include "kmlib/tensor.h"
#include "tensor_check.h"

int kml_dtype_size(unsigned int dtype, size_t *out)
{
	/* clang-format off */
	static const uint8_t sizes[] = { [KML_F32] = 4, [KML_F64] = 8,
					 [KML_I32] = 4, [KML_I16] = 2,
					 [KML_I8] = 1 };
	/* clang-format on */

	if (!out)
		return KML_EINVAL;
	if (dtype >= KML_ARRAY_SIZE(sizes) || !sizes[dtype])
		return KML_ENOSYS;
	*out = sizes[dtype];
	return KML_OK;
}

/* Fill @t's shape fields; data and ownership are the caller's business. */
static int tensor_describe(struct kml_tensor *t, unsigned int dtype,
			   unsigned int ndim, const size_t *shape,
			   size_t *bytes)
{
	size_t esize, n = 1;
	unsigned int i;
	int rc;

	if (!t || !shape || !ndim || ndim > KML_TENSOR_MAX_DIMS)
		return KML_EINVAL;
	rc = kml_dtype_size(dtype, &esize);
	if (rc)
		return rc;
	for (i = 0; i < ndim; i++) {
		if (!shape[i])
			return KML_EINVAL;
		if (!kml_size_mul(n, shape[i], &n))
			return KML_EOVERFLOW;
	}
	if (!kml_size_mul(n, esize, bytes))
		return KML_EOVERFLOW;
	kml_memset(t, 0, sizeof(*t));
	t->dtype = (uint8_t)dtype;
	t->ndim = (uint8_t)ndim;
	for (i = 0; i < KML_TENSOR_MAX_DIMS; i++)
		t->shape[i] = i < ndim ? shape[i] : 1;
	t->numel = n;
	return KML_OK;
}

int kml_tensor_init(struct kml_tensor *t, unsigned int dtype, void *data,
		    size_t bytes, unsigned int ndim, const size_t *shape)
{
	struct kml_tensor tmp;
	size_t need, esize = 1;
	int rc;

	if (!t || !data)
		return KML_EINVAL;
	rc = tensor_describe(&tmp, dtype, ndim, shape, &need);
	if (rc)
		return rc;
	if (need > bytes)
		return KML_ENOSPC;
	kml_dtype_size(dtype, &esize);
	if ((uintptr_t)data % esize)
		return KML_EINVAL;
	tmp.data = data;
	*t = tmp;
	return KML_OK;
}

int kml_tensor_alloc(struct kml_tensor *t, struct kml_mem *mem,
		     unsigned int dtype, unsigned int ndim, const size_t *shape,
		     unsigned int mem_flags)
{
	struct kml_tensor tmp;
	size_t need;
	void *p;
	int rc;

	if (!t || !mem)
		return KML_EINVAL;
	rc = tensor_describe(&tmp, dtype, ndim, shape, &need);
	if (rc)
		return rc;
	rc = kml_alloc(mem, need, mem_flags | KML_MEM_ZERO, &p);
	if (rc)
		return rc;
	tmp.data = p;
	tmp.mem = mem;
	tmp.flags = KML_TENSOR_OWNS;
	*t = tmp;
	return KML_OK;
}

void kml_tensor_free(struct kml_tensor *t)
{
	if (!t)
		return;
	if ((t->flags & KML_TENSOR_OWNS) && t->mem)
		kml_free(t->mem, t->data);
	kml_memset(t, 0, sizeof(*t));
}

int kml_tensor_bytes(const struct kml_tensor *t, size_t *out)
{
	size_t esize;
	int rc;

	if (!t || !out)
		return KML_EINVAL;
	rc = kml_dtype_size(t->dtype, &esize);
	if (rc)
		return rc;
	if (!kml_size_mul(t->numel, esize, out))
		return KML_EOVERFLOW;
	return KML_OK;
}

bool kml_tensor_same_shape(const struct kml_tensor *a,
			   const struct kml_tensor *b)
{
	unsigned int i;

	if (!a || !b || a->ndim != b->ndim)
		return false;
	for (i = 0; i < a->ndim; i++)
		if (a->shape[i] != b->shape[i])
			return false;
	return true;
}

int kml_tensor_reshape(const struct kml_tensor *src, struct kml_tensor *view,
		       unsigned int ndim, const size_t *shape)
{
	struct kml_tensor tmp, shape_tmp;
	size_t bytes = 0;
	int rc;

	rc = kml_tensor_check(src);
	if (rc)
		return rc;
	if (!view)
		return KML_EINVAL;
	rc = tensor_describe(&tmp, src->dtype, ndim, shape, &bytes);
	if (rc)
		return rc;
	if (tmp.numel != src->numel)
		return KML_EDOM;
	/*
	 * Start from a copy of @src so the quantization parameters come
	 * along as plain bytes (this file never names the float field).
	 */
	shape_tmp = tmp;
	tmp = *src;
	tmp.flags = 0;
	tmp.mem = NULL;
	tmp.ndim = shape_tmp.ndim;
	kml_memcpy(tmp.shape, shape_tmp.shape, sizeof(tmp.shape));
	*view = tmp;
	return KML_OK;
}

int kml_tensor_slice(const struct kml_tensor *src, struct kml_tensor *view,
		     size_t start, size_t count)
{
	struct kml_tensor tmp;
	size_t row_elems, esize = 1, end, off;
	int rc;

	rc = kml_tensor_check(src);
	if (rc)
		return rc;
	if (!view)
		return KML_EINVAL;
	if (!count || !kml_size_add(start, count, &end) || end > src->shape[0])
		return KML_EDOM;
	kml_dtype_size(src->dtype, &esize);
	row_elems = src->numel / src->shape[0];
	/* start * row_elems * esize < numel * esize, which fits */
	off = start * row_elems * esize;
	tmp = *src;
	tmp.flags = 0;
	tmp.mem = NULL;
	tmp.data = (uint8_t *)src->data + off;
	tmp.shape[0] = count;
	tmp.numel = count * row_elems;
	*view = tmp;
	return KML_OK;
}

int kml_tensor_copy(const struct kml_tensor *in, struct kml_tensor *out)
{
	size_t bytes = 0;
	int rc;

	rc = kml_tensor_check2(in, out);
	if (rc)
		return rc;
	if (in->dtype != out->dtype || in->numel != out->numel)
		return KML_EDOM;
	kml_tensor_bytes(in, &bytes);
	kml_memmove(out->data, in->data, bytes);
	return KML_OK;
}

int kml_tensor_zero(struct kml_tensor *t)
{
	size_t bytes = 0;
	int rc;

	rc = kml_tensor_check(t);
	if (rc)
		return rc;
	kml_tensor_bytes(t, &bytes);
	kml_memset(t->data, 0, bytes);
	return KML_OK;
}

#define TRANSPOSE(type, src, dst, rows, cols)                                  \
	do {                                                                   \
		const type *s_ = (const type *)(src);                          \
		type *d_ = (type *)(dst);                                      \
		size_t r_, c_;                                                 \
                                                                               \
		for (r_ = 0; r_ < (rows); r_++)                                \
			for (c_ = 0; c_ < (cols); c_++)                        \
				d_[c_ * (rows) + r_] = s_[r_ * (cols) + c_];   \
	} while (0)

int kml_tensor_transpose(const struct kml_tensor *in, struct kml_tensor *out)
{
	size_t rows, cols, es = 1;
	int rc;

	rc = kml_tensor_check2(in, out);
	if (rc)
		return rc;
	if (in->dtype != out->dtype)
		return KML_EDOM;
	if (in->ndim != 2 || out->ndim != 2 || out->shape[0] != in->shape[1] ||
	    out->shape[1] != in->shape[0])
		return KML_EDOM;
	if (in->data == out->data)
		return KML_EINVAL; /* in place needs a cycle walk: refuse */
	rows = in->shape[0];
	cols = in->shape[1];
	kml_dtype_size(in->dtype, &es);
	/* elements are moved as same-size integers: no float in this file */
	switch (es) {
	case 8:
		TRANSPOSE(uint64_t, in->data, out->data, rows, cols);
		break;
	case 4:
		TRANSPOSE(uint32_t, in->data, out->data, rows, cols);
		break;
	case 2:
		TRANSPOSE(uint16_t, in->data, out->data, rows, cols);
		break;
	default:
		TRANSPOSE(uint8_t, in->data, out->data, rows, cols);
		break;
	}
	return KML_OK;
}

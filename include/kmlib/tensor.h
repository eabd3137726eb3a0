/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * tensor.h - one tensor type for data and parameters, and its operations.
 *
 * A tensor is a descriptor (dtype, up to 4 dimensions, quantization
 * parameters) over contiguous row-major memory that it may or may not own.
 * Views (reshape, slice of the leading dimension) share the memory of
 * their base and never own it.
 *
 * Operations follow the CMSIS-NN contract: const inputs, a caller-owned
 * output tensor whose shape is checked, a status return, and no allocation
 * inside. Errors: NULL -> KML_EINVAL, shape mismatch -> KML_EDOM, size
 * overflow -> KML_EOVERFLOW, dtype not supported by the operation ->
 * KML_ENOSYS. A failing call leaves its output untouched.
 *
 * Kernel: functions marked [nofpu] may run anywhere; all others compute in
 * float or double and must run between kml_fpu_begin() and kml_fpu_end().
 * The struct holds the float scale, but [nofpu] code never reads it.
 *
 * Quantized dtypes follow TFLite: real = scale * (q - zero_point). The
 * operations here treat integer tensors as plain integers; quantized
 * arithmetic lives in fixed.h.
 */
#ifndef KMLIB_TENSOR_H
#define KMLIB_TENSOR_H

#include "kml_deps.h"
#include "status.h"
#include "platform.h"

enum kml_dtype {
	KML_F32 = 1,
	KML_F64 = 2,
	KML_I32 = 3,
	KML_I16 = 4,
	KML_I8 = 5,
};

#define KML_TENSOR_MAX_DIMS 4
/* Reduce over every element instead of one axis. */
#define KML_AXIS_ALL (-1)

enum kml_tensor_flags {
	KML_TENSOR_OWNS = 1 << 0, /* data came from kml_alloc on mem */
};

struct kml_tensor {
	void *data;
	struct kml_mem *mem; /* owner of data when KML_TENSOR_OWNS */
	size_t shape[KML_TENSOR_MAX_DIMS]; /* unused dims are 1 */
	size_t numel;
	uint8_t dtype; /* enum kml_dtype */
	uint8_t ndim; /* 1..KML_TENSOR_MAX_DIMS */
	uint16_t flags;
	int32_t zero_point;
	float scale; /* quantized dtypes; 0 until kml_tensor_set_quant() */
};

/* ---- Descriptors, memory and views: [nofpu] -------------------------- */

/* Bytes per element of @dtype into *@out; KML_ENOSYS if unknown. */
int kml_dtype_size(unsigned int dtype, size_t *out);

/*
 * Describe @bytes of caller memory at @data as a tensor of @dtype and
 * @shape[0..ndim-1]. Every dimension must be >= 1; the shape must fit in
 * @bytes (KML_ENOSPC otherwise) and in size_t (KML_EOVERFLOW). @data must
 * be aligned for @dtype. The tensor does not own the memory.
 */
int kml_tensor_init(struct kml_tensor *t, unsigned int dtype, void *data,
		    size_t bytes, unsigned int ndim, const size_t *shape);

/*
 * Allocate a zeroed tensor from @mem (flags as for kml_alloc, KML_MEM_ZERO
 * implied). Free it with kml_tensor_free().
 */
int kml_tensor_alloc(struct kml_tensor *t, struct kml_mem *mem,
		     unsigned int dtype, unsigned int ndim, const size_t *shape,
		     unsigned int mem_flags);

/* Release the memory of an owning tensor and clear @t; views just clear. */
void kml_tensor_free(struct kml_tensor *t);

/* Size of the data in bytes into *@out. */
int kml_tensor_bytes(const struct kml_tensor *t, size_t *out);

/* True if @a and @b have the same ndim and dimensions. */
bool kml_tensor_same_shape(const struct kml_tensor *a,
			   const struct kml_tensor *b);

/*
 * View of @src with a new shape of the same element count (KML_EDOM if
 * different). The view shares @src's data and quantization parameters.
 * @view may be @src itself.
 */
int kml_tensor_reshape(const struct kml_tensor *src, struct kml_tensor *view,
		       unsigned int ndim, const size_t *shape);

/*
 * View of rows [start, start + count) of @src's leading dimension, same
 * ndim. KML_EDOM if the range is empty or outside the tensor.
 */
int kml_tensor_slice(const struct kml_tensor *src, struct kml_tensor *view,
		     size_t start, size_t count);

/* out = in (same dtype and element count; shapes may differ). */
int kml_tensor_copy(const struct kml_tensor *in, struct kml_tensor *out);

/* Every byte of @t's data set to zero (0 and +0.0 in every dtype). */
int kml_tensor_zero(struct kml_tensor *t);

/* out = in^T for a 2-D @in (rows x cols), @out cols x rows, any dtype. */
int kml_tensor_transpose(const struct kml_tensor *in, struct kml_tensor *out);

/* ---- Arithmetic (float32 and float64 only, else KML_ENOSYS) ----------- */

/* Quantization parameters; scale must be finite and > 0. */
int kml_tensor_set_quant(struct kml_tensor *t, float scale, int32_t zero_point);

/*
 * Elementwise out = a op b for tensors of one dtype and shape. @out may be
 * @a or @b.
 */
int kml_tensor_add(const struct kml_tensor *a, const struct kml_tensor *b,
		   struct kml_tensor *out);
int kml_tensor_sub(const struct kml_tensor *a, const struct kml_tensor *b,
		   struct kml_tensor *out);
int kml_tensor_mul(const struct kml_tensor *a, const struct kml_tensor *b,
		   struct kml_tensor *out);
/* out = alpha * in (alpha rounded to float for float32 tensors). */
int kml_tensor_scale(const struct kml_tensor *in, double alpha,
		     struct kml_tensor *out);
/* y = y + alpha * x. */
int kml_tensor_axpy(double alpha, const struct kml_tensor *x,
		    struct kml_tensor *y);

/*
 * out = op(a) * op(b) for 2-D tensors (flags: enum kml_mm_flags in
 * linalg.h); out must be 2-D m x n and not share memory with a or b.
 */
int kml_tensor_matmul(const struct kml_tensor *a, const struct kml_tensor *b,
		      struct kml_tensor *out, unsigned int flags);

/* out[r][c] = in[r][c] + row[c]: in and out 2-D rows x cols, row 1-D cols. */
int kml_tensor_add_row(const struct kml_tensor *in,
		       const struct kml_tensor *row, struct kml_tensor *out);

/* Elementwise out = fn(in); the function matching the dtype must be set. */
struct kml_map_fn {
	float (*f32)(float x, void *ctx);
	double (*f64)(double x, void *ctx);
	void *ctx;
};
int kml_tensor_map(const struct kml_tensor *in, const struct kml_map_fn *fn,
		   struct kml_tensor *out);

/*
 * Reductions along @axis (or every element with KML_AXIS_ALL). @out has
 * @in's shape with dimension @axis either set to 1 or removed (a 1-D
 * tensor of one element for KML_AXIS_ALL or a 1-D input). Sums run in index
 * order in double and are rounded once to the output dtype.
 */
int kml_tensor_sum(const struct kml_tensor *in, int axis,
		   struct kml_tensor *out);
int kml_tensor_mean(const struct kml_tensor *in, int axis,
		    struct kml_tensor *out);
/*
 * Maximum along @axis (any dtype; @out of @in's dtype) and the index of the
 * first maximum (@out KML_I32). A NaN counts as larger than any number
 * (the first NaN wins), so NaNs are never hidden.
 */
int kml_tensor_max(const struct kml_tensor *in, int axis,
		   struct kml_tensor *out);
int kml_tensor_argmax(const struct kml_tensor *in, int axis,
		      struct kml_tensor *out);
/* *out = sqrt(sum of squares) over every element, in double. */
int kml_tensor_l2norm(const struct kml_tensor *in, double *out);

/* Every element = v, rounded half to even and saturated for integers. */
int kml_tensor_fill(struct kml_tensor *t, double v);

/*
 * out = in converted to out's dtype, same element count: float to integer
 * rounds half to even and saturates (NaN -> 0); integer to narrower integer
 * saturates; to float rounds to nearest. Quantization parameters are not
 * applied (see fixed.h for quantize/dequantize).
 */
int kml_tensor_cast(const struct kml_tensor *in, struct kml_tensor *out);

/*
 * Quantize a float32 tensor into an int8 or int16 tensor with @out's
 * scale and zero point (kml_tensor_set_quant() first), or back. Same
 * element count; the arithmetic is kml_quantize_f32_i8() and friends
 * (fixed.h). KML_EINVAL if the quantized tensor has no scale yet.
 */
int kml_tensor_quantize(const struct kml_tensor *in, struct kml_tensor *out);
int kml_tensor_dequantize(const struct kml_tensor *in, struct kml_tensor *out);

#endif /* KMLIB_TENSOR_H */

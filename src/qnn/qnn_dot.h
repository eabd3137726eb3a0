/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qnn_dot.h - exact dot products of int8 weight rows with int8 or int16
 * activations for the qnn_ops kernels (private to src/qnn/).
 *
 * Where the compiler targets SSE2 (user space) they run 16 elements at a
 * time with PMADDWD on sign-extended values; the kernel builds these
 * files without SSE and runs the plain loops. Both compute the same
 * exact integer sums, so results are bit-identical.
 */
#ifndef KMLIB_QNN_DOT_H
#define KMLIB_QNN_DOT_H

#include "kmlib/kml_deps.h"
#include "kmlib/kml_simd.h"

#ifdef KML_SIMD_SSE2
typedef int8_t qd_v16qi __attribute__((vector_size(16)));
typedef int16_t qd_v8hi __attribute__((vector_size(16)));
typedef int32_t qd_v4si __attribute__((vector_size(16)));

/* Sign-extend 16 int8 into two vectors of 8 int16 (interleave, >> 8). */
static inline void qd_widen(const int8_t *p, qd_v8hi *lo, qd_v8hi *hi)
{
	qd_v16qi v;

	kml_memcpy(&v, p, sizeof(v));
	*lo = (qd_v8hi)__builtin_shufflevector(v, v, 0, 0, 1, 1, 2, 2, 3, 3, 4,
					       4, 5, 5, 6, 6, 7, 7) >>
	      8;
	*hi =
	    (qd_v8hi)__builtin_shufflevector(v, v, 8, 8, 9, 9, 10, 10, 11, 11,
					     12, 12, 13, 13, 14, 14, 15, 15) >>
	    8;
}

static inline int64_t qd_hsum(qd_v4si v)
{
	return (int64_t)v[0] + v[1] + v[2] + v[3];
}
#endif

/*
 * sum x[i] w[i] exactly (int64) for int16 x. SSE2: int32 lanes take at
 * most 2^24 per 16 elements, flushed to int64 every 1024 elements.
 */
static inline int64_t qnn_dot_i16_i8(const int16_t *x, const int8_t *w,
				     uint32_t n)
{
	int64_t s = 0;
	uint32_t i = 0;

#ifdef KML_SIMD_SSE2
	while (i + 16 <= n) {
		uint32_t end = n - i > 1024 ? i + 1024 : n;
		qd_v4si a = { 0 };

		for (; i + 16 <= end; i += 16) {
			qd_v8hi wl, wh, x0, x1;

			qd_widen(w + i, &wl, &wh);
			kml_memcpy(&x0, x + i, sizeof(x0));
			kml_memcpy(&x1, x + i + 8, sizeof(x1));
			a += kml_simd_madd_i16(x0, wl);
			a += kml_simd_madd_i16(x1, wh);
		}
		s += qd_hsum(a);
	}
#endif
	for (; i < n; i++)
		s += (int32_t)x[i] * w[i];
	return s;
}

/*
 * out[r] = sum (x[i] - zp) w[r stride + i] for rows r < 4 (the LSTM's
 * four gates of one unit share the input), int8 x, zp in int8 and
 * n <= KML_QNN_MAX_WIDTH (each sum fits int32). SSE2: x - zp is widened
 * once per 16 inputs (|x - zp| <= 255 fits int16; lanes take at most
 * 2^17 per 16 inputs, below 2^29 in all).
 */
static inline void qnn_dot4_i8_i8(const int8_t *x, int32_t zp, const int8_t *w,
				  size_t stride, uint32_t n, int32_t *out)
{
	uint32_t i = 0, r;

	for (r = 0; r < 4; r++)
		out[r] = 0;
#ifdef KML_SIMD_SSE2
	if (n >= 16) {
		const int16_t z = (int16_t)zp;
		const qd_v8hi zv = { z, z, z, z, z, z, z, z };
		qd_v4si a[4] = { { 0 }, { 0 }, { 0 }, { 0 } };

		for (; i + 16 <= n; i += 16) {
			qd_v8hi xl, xh, wl, wh;

			qd_widen(x + i, &xl, &xh);
			xl -= zv;
			xh -= zv;
			for (r = 0; r < 4; r++) {
				qd_widen(w + r * stride + i, &wl, &wh);
				a[r] += kml_simd_madd_i16(xl, wl);
				a[r] += kml_simd_madd_i16(xh, wh);
			}
		}
		for (r = 0; r < 4; r++)
			out[r] = (int32_t)qd_hsum(a[r]);
	}
#endif
	for (; i < n; i++)
		for (r = 0; r < 4; r++)
			out[r] += (x[i] - zp) * w[r * stride + i];
}

/* The same for one row (a convolution window's contiguous taps). */
static inline int32_t qnn_dot_i8_i8(const int8_t *x, int32_t zp,
				    const int8_t *w, size_t n)
{
	int32_t s = 0;
	size_t i = 0;

#ifdef KML_SIMD_SSE2
	if (n >= 16) {
		const int16_t z = (int16_t)zp;
		const qd_v8hi zv = { z, z, z, z, z, z, z, z };
		qd_v4si a = { 0 };

		for (; i + 16 <= n; i += 16) {
			qd_v8hi xl, xh, wl, wh;

			qd_widen(x + i, &xl, &xh);
			qd_widen(w + i, &wl, &wh);
			a += kml_simd_madd_i16(xl - zv, wl);
			a += kml_simd_madd_i16(xh - zv, wh);
		}
		s = (int32_t)qd_hsum(a);
	}
#endif
	for (; i < n; i++)
		s += (x[i] - zp) * w[i];
	return s;
}

#endif /* KMLIB_QNN_DOT_H */

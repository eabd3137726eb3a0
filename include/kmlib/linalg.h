/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * linalg.h - raw float kernels on contiguous row-major arrays: matmul and
 * the vector helpers every optimizer and layer needs.
 *
 * All of these are "fpu" code: in kmlib.ko call them only between
 * kml_fpu_begin() and kml_fpu_end(). They never allocate.
 *
 * Determinism: every output element is a sum taken strictly in index
 * order (p = 0, 1, ..., k - 1), each product and each addition rounded on
 * its own (no FMA, no reassociation, no split accumulators), so results
 * are bit-identical on every build and for every tiling, transpose flag
 * and shape split. Vector code only runs several such independent sums
 * side by side.
 */
#ifndef KMLIB_LINALG_H
#define KMLIB_LINALG_H

#include "kml_deps.h"
#include "status.h"

enum kml_mm_flags {
	KML_MM_TRANS_A = 1,
	KML_MM_TRANS_B = 2,
	KML_MM_ACCUMULATE = 4,
};

/*
 * C[m x n] = op(A) * op(B) (or += with KML_MM_ACCUMULATE), all row-major
 * and contiguous: op(A) is m x k (A stored k x m when TRANS_A), op(B) is
 * k x n (B stored n x k when TRANS_B).
 *
 * Each C[i][j] is computed as s = 0 (or s = C[i][j] with ACCUMULATE);
 * for p in 0..k-1: s = s + op(A)[i][p] * op(B)[p][j]; C[i][j] = s.
 * C must not overlap A or B.
 * Returns KML_EINVAL for NULL pointers, a zero size or unknown flags,
 * KML_EOVERFLOW when m*k, k*n or m*n does not fit in size_t.
 */
int kml_matmul_f32(const float *a, const float *b, float *c, size_t m, size_t k,
		   size_t n, unsigned int flags);
int kml_matmul_f64(const double *a, const double *b, double *c, size_t m,
		   size_t k, size_t n, unsigned int flags);

/*
 * The vector helpers return KML_EINVAL for NULL pointers or n == 0.
 * y[i] = y[i] + alpha * x[i] for i < n. x and y may be the same array.
 */
int kml_axpy_f32(size_t n, float alpha, const float *x, float *y);
int kml_axpy_f64(size_t n, double alpha, const double *x, double *y);

/* *out = sum of x[i] * y[i], summed in index order from 0. */
int kml_dot_f32(size_t n, const float *x, const float *y, float *out);
int kml_dot_f64(size_t n, const double *x, const double *y, double *out);

/* x[i] = alpha * x[i]. */
int kml_scale_f32(size_t n, float alpha, float *x);
int kml_scale_f64(size_t n, double alpha, double *x);

#endif /* KMLIB_LINALG_H */

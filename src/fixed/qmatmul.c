// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qmatmul.c - int8 and int16 dot products and matmul with zero points,
 * integer accumulation and TFLite requantization (nofpu).
 *
 * Integer sums are exact, so unlike the float kernels their order is
 * free: the loops are arranged for speed (row of C at a time, columns in
 * chunks held in a small stack array of accumulators).
 */
#include "kmlib/kml_deps.h"
#include "kmlib/kml_simd.h"
#include "kmlib/platform.h"
#include "kmlib/fixed.h"
#include "kmlib/linalg.h"
#include "kmlib/tensor.h"
#include "requant_fast.h"

#define QMM_CHUNK 64 /* columns of C accumulated at once (256 B of stack) */

int kml_dot_i8(const int8_t *a, const int8_t *b, size_t n, int32_t a_zp,
	       int32_t b_zp, int32_t *out)
{
	int64_t s = 0;
	size_t i;

	if (!a || !b || !out || !n)
		return KML_EINVAL;
	if (a_zp < INT8_MIN || a_zp > INT8_MAX || b_zp < INT8_MIN ||
	    b_zp > INT8_MAX)
		return KML_ERANGE;
	for (i = 0; i < n; i++)
		s += (int64_t)((int32_t)a[i] - a_zp) * ((int32_t)b[i] - b_zp);
	if (s < INT32_MIN || s > INT32_MAX)
		return KML_EOVERFLOW;
	*out = (int32_t)s;
	return KML_OK;
}

int kml_dot_i16(const int16_t *a, const int16_t *b, size_t n, int32_t a_zp,
		int32_t b_zp, int32_t *out)
{
	int64_t s = 0;
	size_t i;

	if (!a || !b || !out || !n)
		return KML_EINVAL;
	if (a_zp < INT16_MIN || a_zp > INT16_MAX || b_zp < INT16_MIN ||
	    b_zp > INT16_MAX)
		return KML_ERANGE;
	/* each term < 2^32: 2^31 terms fit in int64; stop early otherwise */
	for (i = 0; i < n; i++) {
		s += (int64_t)((int32_t)a[i] - a_zp) * ((int32_t)b[i] - b_zp);
		if (s < -((int64_t)1 << 62) || s > ((int64_t)1 << 62))
			return KML_EOVERFLOW;
	}
	if (s < INT32_MIN || s > INT32_MAX)
		return KML_EOVERFLOW;
	*out = (int32_t)s;
	return KML_OK;
}

/* Arguments shared by both widths. */
static int qmm_check(const void *a, const void *b, const void *c, size_t m,
		     size_t k, size_t n, unsigned int flags,
		     const struct kml_qmm *q, unsigned int dtype, int32_t lo,
		     int32_t hi)
{
	size_t t;
	int rc;

	if (!a || !b || !c || !q || !m || !k || !n)
		return KML_EINVAL;
	if (flags & ~(unsigned int)(KML_MM_TRANS_A | KML_MM_TRANS_B))
		return KML_EINVAL;
	if (!kml_size_mul(m, k, &t) || !kml_size_mul(t, 2, &t) ||
	    !kml_size_mul(k, n, &t) || !kml_size_mul(t, 2, &t) ||
	    !kml_size_mul(m, n, &t) || !kml_size_mul(t, 2, &t))
		return KML_EOVERFLOW;
	if (q->a_zero_point < lo || q->a_zero_point > hi ||
	    q->b_zero_point < lo || q->b_zero_point > hi)
		return KML_ERANGE;
	rc = kml_requant_check(&q->out, dtype);
	return rc;
}

static inline int32_t qmm_out(int64_t acc, const struct kml_rq_fast *rq)
{
	return kml_rq_apply((int32_t)acc, rq);
}

/*
 * One row of C, columns [j0, j0 + nc), int8. Rows of B in the non
 * transposed layout are read contiguously; the 32-bit sums cannot
 * overflow because k <= KML_I8_MAX_K was checked.
 */
static void qmm_row_i8(const int8_t *a, const int8_t *b, const int32_t *bias,
		       int8_t *c, size_t i, size_t j0, size_t nc, size_t m,
		       size_t k, size_t n, unsigned int flags,
		       const struct kml_qmm *q)
{
	const int32_t za = q->a_zero_point, zb = q->b_zero_point;
	struct kml_rq_fast rq; /* a local: stores to c cannot alias it */
	int32_t acc[QMM_CHUNK];
	size_t p, j;

	kml_rq_prepare(&q->out, &rq);
	for (j = 0; j < nc; j++)
		acc[j] = 0;
	if (!(flags & KML_MM_TRANS_B)) {
		for (p = 0; p < k; p++) {
			int32_t av = ((flags & KML_MM_TRANS_A) ? a[p * m + i]
							       : a[i * k + p]) -
				     za;
			const int8_t *br = b + p * n + j0;

			if (!av)
				continue;
			for (j = 0; j < nc; j++)
				acc[j] += av * ((int32_t)br[j] - zb);
		}
	} else {
		for (j = 0; j < nc; j++) {
			const int8_t *bc = b + (j0 + j) * k;
			int32_t s = 0;

			for (p = 0; p < k; p++) {
				int32_t av = (flags & KML_MM_TRANS_A)
						 ? a[p * m + i]
						 : a[i * k + p];

				s += (av - za) * ((int32_t)bc[p] - zb);
			}
			acc[j] = s;
		}
	}
	for (j = 0; j < nc; j++) {
		int64_t v = acc[j];

		if (bias)
			v = kml_sat_i32(v + bias[j0 + j]);
		c[i * n + j0 + j] = (int8_t)qmm_out(v, &rq);
	}
}

#include "qmatmul_sse2.h"
#include "qmatmul_swar.h"
#include "qmatmul_vnni.h"
#include "qmatmul_avx2.h"
#include "qmatmul_isa.h"

/* Portable int8: 4 x 4 SWAR tiles, single rows, then leftover columns. */
static void qmm_i8_portable(const int8_t *a, const int8_t *b,
			    const int32_t *bias, int8_t *c, size_t m, size_t k,
			    size_t n, unsigned int flags,
			    const struct kml_qmm *q)
{
	bool ta = flags & KML_MM_TRANS_A, tb = flags & KML_MM_TRANS_B;
	struct qmm_view v = { .a = a,
			      .b = b,
			      .a_r = ta ? 1 : k,
			      .a_p = ta ? m : 1,
			      .b_p = tb ? 1 : n,
			      .b_c = tb ? k : 1,
			      .za = q->a_zero_point,
			      .zb = q->b_zero_point };
	int32_t acc[QMM_SWAR_MR][4];
	struct kml_rq_fast rq;
	size_t i, j, n4 = n & ~(size_t)3;
	int r, l, mr;

	kml_rq_prepare(&q->out, &rq);
	for (i = 0; i < m; i += mr) {
		mr = m - i < QMM_SWAR_MR ? 1 : QMM_SWAR_MR;
		for (j = 0; j < n4; j += 4) {
			if (mr == QMM_SWAR_MR)
				qmm_swar_tile(&v, i, j, k, acc, QMM_SWAR_MR);
			else
				qmm_swar_tile(&v, i, j, k, acc, 1);
			for (r = 0; r < mr; r++)
				for (l = 0; l < 4; l++) {
					int64_t x = acc[r][l];

					if (bias)
						x = kml_sat_i32(x +
								bias[j + l]);
					c[(i + r) * n + j + l] =
					    (int8_t)qmm_out(x, &rq);
				}
		}
		for (r = 0; r < mr && n4 < n; r++)
			qmm_row_i8(a, b, bias, c, i + r, n4, n - n4, m, k, n,
				   flags, q);
	}
}

int kml_matmul_i8_isa(const int8_t *a, const int8_t *b, const int32_t *bias,
		      int8_t *c, size_t m, size_t k, size_t n,
		      unsigned int flags, const struct kml_qmm *q, int isa)
{
	bool done;
	int rc;

	rc = qmm_check(a, b, c, m, k, n, flags, q, KML_I8, INT8_MIN, INT8_MAX);
	if (rc)
		return rc;
	if (k > KML_I8_MAX_K)
		return KML_EOVERFLOW;
	switch (isa) {
	case KML_QMM_ISA_AUTO:
		/* the widest vector tiles the CPU has, else portable tiles */
		if (!qmm_i8_vnni(a, b, bias, c, m, k, n, flags, q) &&
		    !qmm_i8_avx2(a, b, bias, c, m, k, n, flags, q) &&
		    !qmm_i8_fast(a, b, bias, c, m, k, n, flags, q))
			qmm_i8_portable(a, b, bias, c, m, k, n, flags, q);
		return KML_OK;
	case KML_QMM_ISA_PORTABLE:
		qmm_i8_portable(a, b, bias, c, m, k, n, flags, q);
		return KML_OK;
	case KML_QMM_ISA_SSE2:
		done = qmm_i8_fast(a, b, bias, c, m, k, n, flags, q);
		break;
	case KML_QMM_ISA_AVX2:
		done = qmm_i8_avx2(a, b, bias, c, m, k, n, flags, q);
		break;
	case KML_QMM_ISA_VNNI:
		done = qmm_i8_vnni(a, b, bias, c, m, k, n, flags, q);
		break;
	default:
		return KML_EINVAL;
	}
	return done ? KML_OK : KML_ENOSYS;
}

int kml_matmul_i8(const int8_t *a, const int8_t *b, const int32_t *bias,
		  int8_t *c, size_t m, size_t k, size_t n, unsigned int flags,
		  const struct kml_qmm *q)
{
	return kml_matmul_i8_isa(a, b, bias, c, m, k, n, flags, q,
				 KML_QMM_ISA_AUTO);
}

/* int16: exact int64 sums, saturated to int32 before bias and requant. */
static void qmm_row_i16(const int16_t *a, const int16_t *b, const int32_t *bias,
			int16_t *c, size_t i, size_t j0, size_t nc, size_t m,
			size_t k, size_t n, unsigned int flags,
			const struct kml_qmm *q)
{
	const int32_t za = q->a_zero_point, zb = q->b_zero_point;
	struct kml_rq_fast rq;
	int64_t acc[QMM_CHUNK / 2];
	size_t p, j;

	kml_rq_prepare(&q->out, &rq);
	for (j = 0; j < nc; j++)
		acc[j] = 0;
	for (p = 0; p < k; p++) {
		int64_t av =
		    (int64_t)((flags & KML_MM_TRANS_A) ? a[p * m + i]
						       : a[i * k + p]) -
		    za;

		if (!av)
			continue;
		if (flags & KML_MM_TRANS_B) {
			for (j = 0; j < nc; j++)
				acc[j] +=
				    av * ((int32_t)b[(j0 + j) * k + p] - zb);
		} else {
			const int16_t *br = b + p * n + j0;

			for (j = 0; j < nc; j++)
				acc[j] += av * ((int32_t)br[j] - zb);
		}
	}
	for (j = 0; j < nc; j++) {
		int64_t v = kml_sat_i32(acc[j]);

		if (bias)
			v = kml_sat_i32(v + bias[j0 + j]);
		c[i * n + j0 + j] = (int16_t)qmm_out(v, &rq);
	}
}

int kml_matmul_i16(const int16_t *a, const int16_t *b, const int32_t *bias,
		   int16_t *c, size_t m, size_t k, size_t n, unsigned int flags,
		   const struct kml_qmm *q)
{
	size_t i, j0;
	int rc;

	rc = qmm_check(a, b, c, m, k, n, flags, q, KML_I16, INT16_MIN,
		       INT16_MAX);
	if (rc)
		return rc;
	/* |term| < 2^32: k < 2^31 keeps the int64 sums exact */
	if (k >= ((size_t)1 << 31))
		return KML_EOVERFLOW;
	for (j0 = 0; j0 < n; j0 += QMM_CHUNK / 2) {
		size_t nc = n - j0 < QMM_CHUNK / 2 ? n - j0 : QMM_CHUNK / 2;

		for (i = 0; i < m; i++)
			qmm_row_i16(a, b, bias, c, i, j0, nc, m, k, n, flags,
				    q);
	}
	return KML_OK;
}

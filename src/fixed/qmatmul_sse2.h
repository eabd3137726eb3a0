/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qmatmul_sse2.h - the int8 matmul tile for compilers targeting SSE2
 * (user space on x86-64). Private to qmatmul.c.
 *
 * In kmlib.ko the fixed-point objects are built without SSE, __SSE2__ is
 * not defined and qmm_i8_fast() reports "not handled", so the portable
 * loops run instead. Both paths compute the same exact integer sums, so
 * the outputs are identical bit for bit.
 *
 * PMADDWD multiplies eight int16 pairs and adds adjacent products into
 * four int32: it consumes two k steps at once. A tile is QMM_MR rows by
 * 8 columns: for each pair of k steps, two rows of B are interleaved byte
 * by byte and widened to int16 (zero point subtracted), and each row's
 * pair of A values (packed once per row block, on the stack: this code
 * never runs in the kernel) is broadcast to all four lanes.
 */
#ifndef KMLIB_QMATMUL_SSE2_H
#define KMLIB_QMATMUL_SSE2_H

#if defined(__SSE2__)

typedef int8_t qmm_v16qi __attribute__((vector_size(16)));
typedef int16_t qmm_v8hi __attribute__((vector_size(16)));
typedef int32_t qmm_v4si __attribute__((vector_size(16)));
typedef int64_t qmm_v2di __attribute__((vector_size(16)));
typedef int32_t qmm_v4si_u __attribute__((vector_size(16), aligned(1)));

#define QMM_MR 4

/* 8 bytes at @p (any alignment) in the low half of a vector. */
static inline qmm_v16qi qmm_load8(const int8_t *p)
{
	int64_t u;

	kml_memcpy(&u, p, sizeof(u));
	return (qmm_v16qi)(qmm_v2di){ u, 0 };
}

/*
 * Widen rows p and p1 of B (8 columns at @b0, @b1) to the pair layout
 * (b0[j] - zb, b1[j] - zb) for columns 0..3 (@lo) and 4..7 (@hi).
 */
static inline void qmm_bpairs(const int8_t *b0, const int8_t *b1,
			      qmm_v8hi zb, qmm_v8hi *lo, qmm_v8hi *hi)
{
	qmm_v16qi r0 = qmm_load8(b0), r1 = qmm_load8(b1), x;

	x = __builtin_shufflevector(r0, r1, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20,
				    5, 21, 6, 22, 7, 23);
	/* duplicate each byte into an int16 lane, then shift: sign extend */
	*lo = ((qmm_v8hi)__builtin_shufflevector(x, x, 0, 0, 1, 1, 2, 2, 3, 3,
						 4, 4, 5, 5, 6, 6, 7, 7) >>
	       8) - zb;
	*hi = ((qmm_v8hi)__builtin_shufflevector(x, x, 8, 8, 9, 9, 10, 10, 11,
						 11, 12, 12, 13, 13, 14, 14,
						 15, 15) >>
	       8) - zb;
}

#define QMM_KP 256 /* k pairs per packed A block: k <= 512 */

/* One pair of k steps: h indexes the packed A pairs. */
static __attribute__((always_inline)) inline void
qmm_step_i8(const uint32_t ap[QMM_MR][QMM_KP], size_t h, const int8_t *b0,
	    const int8_t *b1, qmm_v8hi zbv, qmm_v4si s[QMM_MR][2],
	    const int mr)
{
	qmm_v8hi lo, hi;
	int r;

	qmm_bpairs(b0, b1, zbv, &lo, &hi);
#pragma GCC unroll 4
	for (r = 0; r < mr; r++) {
		uint32_t u = ap[r][h];
		qmm_v4si v = { (int32_t)u, (int32_t)u, (int32_t)u, (int32_t)u };

		s[r][0] += (qmm_v4si)__builtin_ia32_pmaddwd128(lo, (qmm_v8hi)v);
		s[r][1] += (qmm_v4si)__builtin_ia32_pmaddwd128(hi, (qmm_v8hi)v);
	}
}

/*
 * Exact sums (a - za)(b - zb) for mr rows (1 or QMM_MR) and columns
 * [j, j + 8) into acc. @ap holds each row's (a - za) pairs as int16
 * pairs in uint32 (row stride QMM_KP); B is k x n row-major. An odd last
 * k step is paired with a zero A value, so B's row is read once more
 * harmlessly.
 */
static __attribute__((always_inline)) inline void
qmm_tile_i8(const uint32_t ap[QMM_MR][QMM_KP], const int8_t *b, size_t n,
	    size_t k, qmm_v8hi zbv, int32_t acc[QMM_MR][8], const int mr)
{
	qmm_v4si s[QMM_MR][2] = { { { 0 } } };
	const int8_t *bp = b;
	size_t h, kh = k / 2;
	int r;

	for (h = 0; h < kh; h++, bp += 2 * n)
		qmm_step_i8(ap, h, bp, bp + n, zbv, s, mr);
	if (k & 1) /* the packed A pair holds a zero: B's row is reused */
		qmm_step_i8(ap, h, bp, bp, zbv, s, mr);
#pragma GCC unroll 4
	for (r = 0; r < mr; r++) {
		*(qmm_v4si_u *)&acc[r][0] = s[r][0];
		*(qmm_v4si_u *)&acc[r][4] = s[r][1];
	}
}

/* Rows [i, i + mr) of op(A) minus za as int16 pairs (zero-padded). */
static void qmm_pack_a(const int8_t *a, size_t a_r, size_t a_p, size_t k,
		       int32_t za, int mr, uint32_t ap[QMM_MR][QMM_KP])
{
	size_t p;
	int r;

	for (r = 0; r < mr; r++)
		for (p = 0; p < k; p += 2) {
			int32_t x0 = a[r * a_r + p * a_p] - za;
			int32_t x1 = p + 1 < k ? a[r * a_r + (p + 1) * a_p] - za :
						 0;

			ap[r][p / 2] = (uint16_t)x0 |
				       ((uint32_t)(uint16_t)x1 << 16);
		}
}

/*
 * C = requant(op(A) B + bias) for B not transposed and k <= 2 * QMM_KP,
 * 8 columns at a time; returns the number of columns done (a multiple of
 * 8) so the caller finishes the rest.
 */
static size_t qmm_i8_fast(const int8_t *a, const int8_t *b,
			  const int32_t *bias, int8_t *c, size_t m, size_t k,
			  size_t n, unsigned int flags, const struct kml_qmm *q)
{
	struct kml_rq_fast rq;
	size_t a_r = (flags & KML_MM_TRANS_A) ? 1 : k;
	size_t a_p = (flags & KML_MM_TRANS_A) ? m : 1;
	int16_t zb = (int16_t)q->b_zero_point;
	qmm_v8hi zbv = { zb, zb, zb, zb, zb, zb, zb, zb };
	uint32_t ap[QMM_MR][QMM_KP];
	int32_t acc[QMM_MR][8];
	size_t i, j, n8 = n & ~(size_t)7;
	int r, l, mr;

	if ((flags & KML_MM_TRANS_B) || k > 2 * QMM_KP || !n8)
		return 0;
	kml_rq_prepare(&q->out, &rq);
	for (i = 0; i < m; i += mr) {
		mr = m - i < QMM_MR ? 1 : QMM_MR;
		qmm_pack_a(a + i * a_r, a_r, a_p, k, q->a_zero_point, mr, ap);
		for (j = 0; j < n8; j += 8) {
			if (mr == QMM_MR)
				qmm_tile_i8(ap, b + j, n, k, zbv, acc, QMM_MR);
			else
				qmm_tile_i8(ap, b + j, n, k, zbv, acc, 1);
			for (r = 0; r < mr; r++)
				for (l = 0; l < 8; l++) {
					int64_t v = acc[r][l];

					if (bias)
						v = kml_sat_i32(v + bias[j + l]);
					c[(i + r) * n + j + l] =
						(int8_t)qmm_out(v, &rq);
				}
		}
	}
	return n8;
}

#else /* !__SSE2__ */

static size_t qmm_i8_fast(const int8_t *a, const int8_t *b,
			  const int32_t *bias, int8_t *c, size_t m, size_t k,
			  size_t n, unsigned int flags, const struct kml_qmm *q)
{
	(void)a, (void)b, (void)bias, (void)c, (void)m, (void)k, (void)n;
	(void)flags, (void)q;
	return 0;
}

#endif /* __SSE2__ */

#endif /* KMLIB_QMATMUL_SSE2_H */

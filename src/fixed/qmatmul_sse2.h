/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qmatmul_sse2.h - the int8 matmul tile for compilers targeting SSE2
 * (user space on x86-64). Private to qmatmul.c.
 *
 * In kmlib.ko the fixed-point objects are built without SSE, __SSE2__ is
 * not defined and qmm_i8_fast() reports "not handled", so the portable
 * SWAR tiles (qmatmul_swar.h) run instead. Both paths compute the same
 * exact integer sums, so the outputs are identical bit for bit.
 *
 * PMADDWD multiplies eight int16 pairs and adds adjacent products into
 * four int32: it consumes two k steps at once. A tile is QMM_MR rows by
 * 8 columns: for each pair of k steps, two rows of B are interleaved byte
 * by byte, offset to unsigned and zero-extended to int16, and each row's
 * pair of (a - za) values (packed once per row block, on the stack: this
 * code never runs in the kernel) is broadcast to all four lanes; B's
 * offset and zero point come out once per row through the packed row
 * sums. A B^T uses dot-product tiles instead (both operands run along
 * k), and the output stage requantizes four lanes at a time.
 */
#ifndef KMLIB_QMATMUL_SSE2_H
#define KMLIB_QMATMUL_SSE2_H

/* The size profile (KML_SIZE_OPT) runs the portable tiles as kmlib.ko
 * does: same sums, 3.7 KB less. */
#if defined(KML_SIMD_SSE2) && !defined(KML_SIZE_OPT)

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
 * Rows p and p1 of B (8 columns at @b0, @b1) in the pair layout
 * (b0[j], b1[j]) for columns 0..3 (@lo) and 4..7 (@hi), each byte offset
 * by 128 (b ^ 0x80 = b + 128 in 0..255) so that widening is a plain
 * unpack with zero; the offset and B's zero point are taken out once per
 * row of the tile: sum a'(b - zb) = sum a' (b + 128) - (128 + zb) sum a'.
 */
static inline void qmm_bpairs(const int8_t *b0, const int8_t *b1, qmm_v8hi *lo,
			      qmm_v8hi *hi)
{
	const qmm_v16qi flip = {
		-128, -128, -128, -128, -128, -128, -128, -128,
		-128, -128, -128, -128, -128, -128, -128, -128
	};
	const qmm_v16qi zero = { 0 };
	qmm_v16qi r0 = qmm_load8(b0), r1 = qmm_load8(b1), x;

	x = __builtin_shufflevector(r0, r1, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20,
				    5, 21, 6, 22, 7, 23) ^
	    flip;
	*lo = (qmm_v8hi)__builtin_shufflevector(x, zero, 0, 16, 1, 17, 2, 18, 3,
						19, 4, 20, 5, 21, 6, 22, 7, 23);
	*hi = (qmm_v8hi)__builtin_shufflevector(x, zero, 8, 24, 9, 25, 10, 26,
						11, 27, 12, 28, 13, 29, 14, 30,
						15, 31);
}

#define QMM_KP 256 /* k pairs per packed A block: k <= 512 */

/*
 * Packed A: for each pair of k steps h, the QMM_MR rows' (a - za) pairs
 * as int16 pairs in uint32, side by side (one 16-byte load per step),
 * plus each row's sum of (a - za) for the correction above.
 */
struct qmm_apack {
	uint32_t pair[QMM_KP][QMM_MR];
	int32_t sum[QMM_MR];
};

/* One pair of k steps: h indexes the packed A pairs. */
static __attribute__((always_inline)) inline void
qmm_step_i8(const struct qmm_apack *ap, size_t h, const int8_t *b0,
	    const int8_t *b1, qmm_v4si s[QMM_MR][2], const int mr)
{
	qmm_v4si v, w;
	qmm_v8hi lo, hi;
	int r;

	qmm_bpairs(b0, b1, &lo, &hi);
	kml_memcpy(&v, ap->pair[h], sizeof(v));
#pragma GCC unroll 4
	for (r = 0; r < mr; r++) {
		switch (r) { /* broadcast row r's pair (constant lanes) */
		case 0:
			w = __builtin_shufflevector(v, v, 0, 0, 0, 0);
			break;
		case 1:
			w = __builtin_shufflevector(v, v, 1, 1, 1, 1);
			break;
		case 2:
			w = __builtin_shufflevector(v, v, 2, 2, 2, 2);
			break;
		default:
			w = __builtin_shufflevector(v, v, 3, 3, 3, 3);
			break;
		}
		s[r][0] += kml_simd_madd_i16(lo, (qmm_v8hi)w);
		s[r][1] += kml_simd_madd_i16(hi, (qmm_v8hi)w);
	}
}

/*
 * Exact sums (a - za)(b - zb) for mr rows (1 or QMM_MR) and columns
 * [j, j + 8) into acc; B is k x n row-major. An odd last k step is
 * paired with a zero A value, so B's row is read once more harmlessly.
 */
static __attribute__((always_inline)) inline void
qmm_tile_i8(const struct qmm_apack *ap, const int8_t *b, size_t n, size_t k,
	    int32_t zb, int32_t acc[QMM_MR][8], const int mr)
{
	qmm_v4si s[QMM_MR][2] = { { { 0 } } };
	const int8_t *bp = b;
	size_t h, kh = k / 2;
	int r;

	for (h = 0; h < kh; h++, bp += 2 * n)
		qmm_step_i8(ap, h, bp, bp + n, s, mr);
	if (k & 1)
		qmm_step_i8(ap, h, bp, bp, s, mr);
#pragma GCC unroll 4
	for (r = 0; r < mr; r++) {
		int32_t c = (128 + zb) * ap->sum[r];
		qmm_v4si cv = { c, c, c, c };

		*(qmm_v4si_u *)&acc[r][0] = s[r][0] - cv;
		*(qmm_v4si_u *)&acc[r][4] = s[r][1] - cv;
	}
}

/* Rows [i, i + mr) of op(A) minus za as int16 pairs (zero-padded). */
static void qmm_pack_a(const int8_t *a, size_t a_r, size_t a_p, size_t k,
		       int32_t za, int mr, struct qmm_apack *ap)
{
	size_t p;
	int r;

	for (r = 0; r < mr; r++) {
		int32_t sum = 0;

		for (p = 0; p < k; p += 2) {
			int32_t x0 = a[r * a_r + p * a_p] - za;
			int32_t x1 =
			    p + 1 < k ? a[r * a_r + (p + 1) * a_p] - za : 0;

			ap->pair[p / 2][r] =
			    (uint16_t)x0 | ((uint32_t)(uint16_t)x1 << 16);
			sum += x0 + x1;
		}
		ap->sum[r] = sum;
	}
}

/* 8 int8 at @p widened to int16, minus @z. */
static inline qmm_v8hi qmm_widen8(const int8_t *p, qmm_v8hi z)
{
	qmm_v16qi x = qmm_load8(p);

	/* clang-format off */
	return ((qmm_v8hi)__builtin_shufflevector(x, x, 0, 0, 1, 1, 2, 2, 3, 3,
						  4, 4, 5, 5, 6, 6, 7, 7) >>
		8) - z;
	/* clang-format on */
}

static inline int32_t qmm_hsum(qmm_v4si v)
{
	return v[0] + v[1] + v[2] + v[3];
}

/* acc + bias per lane, saturating like kml_sat_i32(acc + bias). */
static inline void qmm_add_bias4(int32_t *acc, const int32_t *bias)
{
	kml_rq_v4si a, b, s, ovf;

	kml_memcpy(&a, acc, sizeof(a));
	kml_memcpy(&b, bias, sizeof(b));
	s = (kml_rq_v4si)((kml_rq_v4su)a + (kml_rq_v4su)b);
	/* both operands' signs differ from s */
	ovf = ((a ^ s) & (b ^ s)) >> 31;
	s = (((a >> 31) ^ INT32_MAX) & ovf) | (s & ~ovf);
	kml_memcpy(acc, &s, sizeof(s));
}

/* Requantize 8 sums of one row into 8 consecutive int8 of C. */
static inline void qmm_put8(int8_t *c, int32_t acc[8], const int32_t *bias,
			    const struct kml_rq_fast *rq)
{
	if (bias) {
		qmm_add_bias4(acc, bias);
		qmm_add_bias4(acc + 4, bias + 4);
	}
	kml_rq_store8_i8(acc, c, rq);
}

/*
 * A B^T: rows of A and of B^T are both contiguous in k, so each C element
 * is a dot product; a tile is mr (1 or 2) rows by 4 columns, eight k steps
 * per PMADDWD pair, the last k % 8 steps in scalar.
 */
static __attribute__((always_inline)) inline void
qmm_tile_nt(const int8_t *a, const int8_t *bt, size_t k, int32_t za, int32_t zb,
	    int32_t acc[2][4], const int mr)
{
	qmm_v4si s[2][4] = { { { 0 } } };
	qmm_v8hi zav = { (int16_t)za, (int16_t)za, (int16_t)za, (int16_t)za,
			 (int16_t)za, (int16_t)za, (int16_t)za, (int16_t)za };
	qmm_v8hi zbv = { (int16_t)zb, (int16_t)zb, (int16_t)zb, (int16_t)zb,
			 (int16_t)zb, (int16_t)zb, (int16_t)zb, (int16_t)zb };
	size_t p, k8 = k & ~(size_t)7;
	int r, c;

	for (p = 0; p < k8; p += 8) {
		qmm_v8hi av[2];

#pragma GCC unroll 2
		for (r = 0; r < mr; r++)
			av[r] = qmm_widen8(a + r * k + p, zav);
#pragma GCC unroll 4
		for (c = 0; c < 4; c++) {
			qmm_v8hi bv = qmm_widen8(bt + c * k + p, zbv);

#pragma GCC unroll 2
			for (r = 0; r < mr; r++)
				s[r][c] += kml_simd_madd_i16(av[r], bv);
		}
	}
	for (r = 0; r < mr; r++)
		for (c = 0; c < 4; c++) {
			int32_t t = qmm_hsum(s[r][c]);

			for (p = k8; p < k; p++)
				t += (a[r * k + p] - za) * (bt[c * k + p] - zb);
			acc[r][c] = t;
		}
}

/* Store one requantized element of C (bias by C's column). */
static inline void qmm_put(int8_t *c, size_t i, size_t j, size_t n, int32_t acc,
			   const int32_t *bias, const struct kml_rq_fast *rq)
{
	int64_t v = acc;

	if (bias)
		v = kml_sat_i32(v + bias[j]);
	c[i * n + j] = (int8_t)qmm_out(v, rq);
}

static void qmm_i8_fast_nt(const int8_t *a, const int8_t *b,
			   const int32_t *bias, int8_t *c, size_t m, size_t k,
			   size_t n, const struct kml_qmm *q,
			   const struct kml_rq_fast *rq)
{
	const int32_t za = q->a_zero_point, zb = q->b_zero_point;
	int32_t acc[2][4];
	size_t i, j, n4 = n & ~(size_t)3;
	int r, mr;

	for (i = 0; i < m; i += mr) {
		mr = m - i < 2 ? 1 : 2;
		for (j = 0; j < n4; j += 4) {
			if (mr == 2)
				qmm_tile_nt(a + i * k, b + j * k, k, za, zb,
					    acc, 2);
			else
				qmm_tile_nt(a + i * k, b + j * k, k, za, zb,
					    acc, 1);
			for (r = 0; r < mr; r++) {
				if (bias)
					qmm_add_bias4(acc[r], bias + j);
				kml_rq_store4_i8(acc[r], c + (i + r) * n + j,
						 rq);
			}
		}
		for (r = 0; r < mr && n4 < n; r++)
			qmm_row_i8(a, b, bias, c, i + r, n4, n - n4, m, k, n,
				   KML_MM_TRANS_B, q);
	}
}

/*
 * The B-rows kernel for the other layouts. With B^T and A^T both given,
 * C^T = B A is computed instead: x (packed pairs) is B, y is A, and the
 * tile is stored transposed.
 */
static void qmm_i8_fast_rows(const int8_t *a, const int8_t *b,
			     const int32_t *bias, int8_t *c, size_t m, size_t k,
			     size_t n, unsigned int flags,
			     const struct kml_qmm *q,
			     const struct kml_rq_fast *rq)
{
	bool tt = (flags & KML_MM_TRANS_A) && (flags & KML_MM_TRANS_B);
	const int8_t *x = tt ? b : a, *y = tt ? a : b;
	size_t x_r = tt ? k : ((flags & KML_MM_TRANS_A) ? 1 : k);
	size_t x_p = tt ? 1 : ((flags & KML_MM_TRANS_A) ? m : 1);
	size_t rows = tt ? n : m, cols = tt ? m : n, y_p = cols;
	int32_t zx = tt ? q->b_zero_point : q->a_zero_point;
	int32_t zy = tt ? q->a_zero_point : q->b_zero_point;
	struct qmm_apack ap;
	int32_t acc[QMM_MR][8];
	size_t i, j, c8 = cols & ~(size_t)7;
	int r, l, mr;

	for (i = 0; i < rows; i += mr) {
		mr = rows - i < QMM_MR ? 1 : QMM_MR;
		qmm_pack_a(x + i * x_r, x_r, x_p, k, zx, mr, &ap);
		for (j = 0; j < c8; j += 8) {
			if (mr == QMM_MR)
				qmm_tile_i8(&ap, y + j, y_p, k, zy, acc,
					    QMM_MR);
			else
				qmm_tile_i8(&ap, y + j, y_p, k, zy, acc, 1);
			for (r = 0; r < mr; r++) {
				if (!tt) {
					qmm_put8(c + (i + r) * n + j, acc[r],
						 bias ? bias + j : NULL, rq);
					continue;
				}
				for (l = 0; l < 8; l++)
					qmm_put(c, j + l, i + r, n, acc[r][l],
						bias, rq);
			}
		}
	}
	/* leftover columns of the tile space: C columns, or C rows for tt */
	for (j = c8; tt && j < cols; j++)
		for (i = 0; i < n; i += QMM_CHUNK)
			qmm_row_i8(a, b, bias, c, j, i,
				   n - i < QMM_CHUNK ? n - i : QMM_CHUNK, m, k,
				   n, flags, q);
	if (!tt && c8 < cols)
		for (i = 0; i < m; i++)
			qmm_row_i8(a, b, bias, c, i, c8, n - c8, m, k, n, flags,
				   q);
}

/*
 * C = requant(op(A) op(B) + bias) with vector tiles; false when the shape
 * is not worth it or k exceeds the packed block (the caller then runs
 * the portable loops).
 */
static bool qmm_i8_fast(const int8_t *a, const int8_t *b, const int32_t *bias,
			int8_t *c, size_t m, size_t k, size_t n,
			unsigned int flags, const struct kml_qmm *q)
{
	bool ta = flags & KML_MM_TRANS_A, tb = flags & KML_MM_TRANS_B;
	struct kml_rq_fast rq;

	if (k > 2 * QMM_KP)
		return false;
	kml_rq_prepare(&q->out, &rq);
	if (!ta && tb) {
		if (n < 4 || k < 8)
			return false;
		qmm_i8_fast_nt(a, b, bias, c, m, k, n, q, &rq);
		return true;
	}
	if ((ta && tb ? m : n) < 8)
		return false;
	qmm_i8_fast_rows(a, b, bias, c, m, k, n, flags, q, &rq);
	return true;
}

#else /* !KML_SIMD_SSE2 || KML_SIZE_OPT */

static bool qmm_i8_fast(const int8_t *a, const int8_t *b, const int32_t *bias,
			int8_t *c, size_t m, size_t k, size_t n,
			unsigned int flags, const struct kml_qmm *q)
{
	(void)a, (void)b, (void)bias, (void)c, (void)m, (void)k, (void)n;
	(void)flags, (void)q;
	return false;
}

#endif /* KML_SIMD_SSE2 */

#endif /* KMLIB_QMATMUL_SSE2_H */

/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qmatmul_avx2.h - the int8 matmul on AVX2 (VPMADDWD), chosen at run time
 * in user space on CPUs without AVX-512 VNNI. Private to qmatmul.c, after
 * qmatmul_vnni.h (same job: x along the tile rows, y packed in panels);
 * not built in kmlib.ko. Exact integer sums, so the same bits as every
 * other path.
 *
 * Both operands are widened once with their zero points taken out
 * (x - zx and y - zy lie in -255..255, int16): a panel holds, for each
 * pair of k steps, 16 columns of (y[2h] - zy, y[2h + 1] - zy) int16
 * pairs; x rows are widened into a block of int16 rows, whose pair h is
 * one 32-bit broadcast. VPMADDWD then adds two exact products per int32
 * lane (|sum| <= 2 * 255^2, no saturation): 16 multiply-adds per
 * instruction and no offset terms. Whole 16-column panels of C, not
 * transposed and without a saturating bias, are requantized on 8 lanes
 * for right shifts 1..22 (the VNNI tile's 64-bit single rounding; AVX2
 * has no 64-bit arithmetic shift, so the high halves are taken); all
 * other tiles go through kml_rq_apply() per element.
 */
#ifndef KMLIB_QMATMUL_AVX2_H
#define KMLIB_QMATMUL_AVX2_H

#ifdef KML_SIMD_SSE2

typedef uint64_t qa_v4du __attribute__((vector_size(32)));
typedef uint32_t qa_v8su __attribute__((vector_size(32)));
typedef int8_t qa_v8qi __attribute__((vector_size(8)));

#define QA_KP 128 /* k pairs per panel: k <= 256 */
#define QA_NC 16 /* columns per panel: two vectors */
#define QA_MR 4 /* rows per tile */
#define QA_RC 32 /* rows of x widened at once (16 KB of stack) */

struct qa_panel {
	kml_v8si p[QA_KP][2]; /* (y - zy) int16 pairs, 8 columns per vector */
	kml_v8si bias[2]; /* a bias that cannot saturate, else 0 */
};

/* x - zx, as int16 rows of 2 QA_KP (zero beyond k) */
struct qa_xblock {
	int16_t r[QA_RC][2 * QA_KP];
};

/* Rows [i, i + nr) of x, widened. */
static KML_TARGET_AVX2 void qa_widen_x(const struct qv_job *jb, size_t i,
				       size_t nr, struct qa_xblock *xb)
{
	const size_t k = jb->k;
	const kml_v16hi zx = (kml_v16hi){ 0 } + (int16_t)jb->zx;
	size_t r, p;

	for (r = 0; r < nr; r++) {
		const int8_t *x = jb->x + (i + r) * jb->x_r;
		int16_t *o = xb->r[r];

		p = 0;
		if (jb->x_p == 1)
			for (; p + 16 <= k; p += 16) {
				kml_v16qi v;
				kml_v16hi w;

				kml_memcpy(&v, x + p, 16);
				w = kml_simd_widen_i8x16(v) - zx;
				kml_memcpy(o + p, &w, 32);
			}
		for (; p < k; p++)
			o[p] = (int16_t)(x[p * jb->x_p] - jb->zx);
		if (k % 2)
			o[k] = 0; /* the odd k step's partner */
	}
}

/* Columns [j0, j0 + nc) of y into a panel (zero beyond k and nc). */
static KML_TARGET_AVX2 void qa_pack_y(const struct qv_job *jb, size_t j0,
				      size_t nc, struct qa_panel *pn)
{
	const size_t kp = (jb->k + 1) / 2;
	const kml_v16hi zy = (kml_v16hi){ 0 } + (int16_t)jb->zy;
	size_t h, j, p;
	int v;

	if (jb->y_c == 1 && jb->k % 2 == 0 && nc == QA_NC) {
		/* two rows of 16 bytes: widen, interleave, fix the halves */
		for (h = 0; h < kp; h++) {
			const int8_t *r0 = jb->y + 2 * h * jb->y_p + j0;
			kml_v16qi b0, b1;
			kml_v16hi w0, w1, lo, hi;

			kml_memcpy(&b0, r0, 16);
			kml_memcpy(&b1, r0 + jb->y_p, 16);
			w0 = kml_simd_widen_i8x16(b0) - zy;
			w1 = kml_simd_widen_i8x16(b1) - zy;
			lo = __builtin_shufflevector(w0, w1, 0, 16, 1, 17, 2,
						     18, 3, 19, 4, 20, 5, 21, 6,
						     22, 7, 23);
			hi = __builtin_shufflevector(w0, w1, 8, 24, 9, 25, 10,
						     26, 11, 27, 12, 28, 13, 29,
						     14, 30, 15, 31);
			pn->p[h][0] = (kml_v8si)lo;
			pn->p[h][1] = (kml_v8si)hi;
		}
	} else if (jb->y_p == 1 && nc == QA_NC) {
		/* columns run along k: widen 16 k steps, scatter 8 pairs */
		kml_memset(pn->p, 0, kp * sizeof(pn->p[0]));
		for (j = 0; j < nc; j++) {
			const int8_t *col = jb->y + (j0 + j) * jb->y_c;
			int32_t *o = (int32_t *)pn->p + j;

			for (p = 0; p + 16 <= jb->k; p += 16) {
				kml_v16qi b;
				kml_v8si w;
				int t;

				kml_memcpy(&b, col + p, 16);
				w = (kml_v8si)(kml_simd_widen_i8x16(b) - zy);
				for (t = 0; t < 8; t++)
					o[(p / 2 + t) * QA_NC] = w[t];
			}
			for (; p < jb->k; p++)
				((int16_t *)(o + (p / 2) * QA_NC))[p % 2] =
				    (int16_t)(col[p] - jb->zy);
		}
	} else {
		kml_memset(pn->p, 0, kp * sizeof(pn->p[0]));
		for (j = 0; j < nc; j++) {
			const int8_t *col = jb->y + (j0 + j) * jb->y_c;
			int16_t *o = (int16_t *)pn->p + 2 * j;

			for (p = 0; p < jb->k; p++)
				o[(p / 2) * 2 * QA_NC + p % 2] =
				    (int16_t)(col[p * jb->y_p] - jb->zy);
		}
	}
	for (v = 0; v < 2; v++) {
		kml_v8si b = { 0 };

		for (j = 8 * (size_t)v; jb->bias && !jb->sat_bias && !jb->tt &&
					j < nc && j < 8 * (size_t)v + 8;
		     j++)
			b[j - 8 * v] = jb->bias[j0 + j];
		pn->bias[v] = b;
	}
}

/* The VNNI tile's hi32 requantization on 8 lanes (qv_rq's constants). */
struct qa_rq {
	kml_v8si mult, lo, hi;
	kml_v4di add, add_neg, neg;
	int sh;
};

static KML_TARGET_AVX2 __attribute__((always_inline)) inline kml_v4di
qa_offset(kml_v4di p, const struct qa_rq *f)
{
	kml_v4di m = p < f->neg;

	return p + ((f->add_neg & m) | (f->add & ~m));
}

static KML_TARGET_AVX2 __attribute__((always_inline)) inline kml_v8si
qa_requant_hi(kml_v8si acc, const struct qa_rq *f)
{
	kml_v4di pe, po;
	kml_v8si q;

	pe = qa_offset(kml_simd_mul_even_i32x8(acc, f->mult), f);
	po = qa_offset(
	    kml_simd_mul_even_i32x8((kml_v8si)((qa_v4du)acc >> 32), f->mult),
	    f);
	q = __builtin_shufflevector((kml_v8si)pe, (kml_v8si)po, 1, 9, 3, 11, 5,
				    13, 7, 15);
	q >>= f->sh;
	q = kml_simd_max_i32x8(q, f->lo);
	return kml_simd_min_i32x8(q, f->hi);
}

/*
 * One tile: mr rows of the widened x block (from row i0 of the block,
 * C row i) by the panel's nc columns at C column j.
 */
static KML_TARGET_AVX2 __attribute__((always_inline)) inline void
qa_tile(const struct qv_job *jb, const struct qa_xblock *xb, size_t i0,
	const struct qa_panel *pn, size_t i, size_t j, size_t nc,
	const struct kml_rq_fast *f, const struct qa_rq *rq, const int mr,
	const bool fast)
{
	const size_t kp = (jb->k + 1) / 2, n = jb->n;
	kml_v8si acc[QA_MR][2];
	size_t h;
	int r, l;

#pragma GCC unroll 4
	for (r = 0; r < mr; r++) {
		kml_v8si b = { 0 };

		if (jb->tt && jb->bias && !jb->sat_bias)
			b += jb->bias[i + r];
		acc[r][0] = pn->bias[0] + b;
		acc[r][1] = pn->bias[1] + b;
	}
	for (h = 0; h < kp; h++) {
		const kml_v16hi y0 = (kml_v16hi)pn->p[h][0];
		const kml_v16hi y1 = (kml_v16hi)pn->p[h][1];

#pragma GCC unroll 4
		for (r = 0; r < mr; r++) {
			int32_t w;
			kml_v16hi xv;

			kml_memcpy(&w, xb->r[i0 + r] + 2 * h, 4);
			xv = (kml_v16hi)((kml_v8si){ 0 } + w);
			acc[r][0] += kml_simd_madd_i16x16(xv, y0);
			acc[r][1] += kml_simd_madd_i16x16(xv, y1);
		}
	}
	if (fast) {
#pragma GCC unroll 4
		for (r = 0; r < mr; r++) {
			kml_v16si q = __builtin_shufflevector(
			    qa_requant_hi(acc[r][0], rq),
			    qa_requant_hi(acc[r][1], rq), 0, 1, 2, 3, 4, 5, 6,
			    7, 8, 9, 10, 11, 12, 13, 14, 15);
			qv_v16qi o8 = __builtin_convertvector(q, qv_v16qi);

			kml_memcpy(jb->c + (i + r) * n + j, &o8, 16);
		}
		return;
	}
	for (r = 0; r < mr; r++) {
		int32_t s[QA_NC];

		kml_memcpy(s, acc[r], sizeof(s));
		for (l = 0; l < (int)nc; l++) {
			int64_t x = s[l];
			int8_t o;

			if (jb->sat_bias)
				x = kml_sat_i32(
				    x + jb->bias[jb->tt ? i + r : j + l]);
			o = (int8_t)kml_rq_apply((int32_t)x, f);
			if (jb->tt)
				jb->c[(j + l) * n + i + r] = o;
			else
				jb->c[(i + r) * n + j + l] = o;
		}
	}
}

static KML_TARGET_AVX2 KML_NOINLINE void qa_run(const struct qv_job *jb,
						const struct kml_rq_fast *f)
{
	struct qa_panel pn __attribute__((aligned(32)));
	struct qa_xblock xb __attribute__((aligned(32)));
	const int r = f->right;
	const bool hi32 = r >= 1 && r <= 22;
	const bool fast = hi32 && !jb->tt && !jb->sat_bias;
	const int64_t zp =
	    hi32 ? (int64_t)f->zero_point * ((int64_t)1 << (31 + r)) : 0;
	struct qa_rq rq;
	size_t i0, i1, i, j;

	rq.mult = (kml_v8si){ 0 } + (int32_t)f->mult;
	rq.lo = (kml_v8si){ 0 } + f->lo;
	rq.hi = (kml_v8si){ 0 } + f->hi;
	rq.add = (kml_v4di){ 0 } + (((int64_t)1 << 30) +
				    ((int64_t)1 << (30 + (hi32 ? r : 0))) + zp);
	rq.add_neg = rq.add - ((int64_t)1 << 31);
	rq.neg = (kml_v4di){ 0 } - ((int64_t)1 << 30);
	rq.sh = r - 1;
	for (i0 = 0; i0 < jb->rows; i0 += QA_RC) {
		i1 = jb->rows - i0 < QA_RC ? jb->rows : i0 + QA_RC;
		qa_widen_x(jb, i0, i1 - i0, &xb);
		for (j = 0; j < jb->cols; j += QA_NC) {
			size_t nc = jb->cols - j < QA_NC ? jb->cols - j : QA_NC;

			qa_pack_y(jb, j, nc, &pn);
			for (i = i0; i + QA_MR <= i1; i += QA_MR) {
				if (fast && nc == QA_NC)
					qa_tile(jb, &xb, i - i0, &pn, i, j, nc,
						f, &rq, QA_MR, true);
				else
					qa_tile(jb, &xb, i - i0, &pn, i, j, nc,
						f, &rq, QA_MR, false);
			}
			for (; i < i1; i++)
				qa_tile(jb, &xb, i - i0, &pn, i, j, nc, f, &rq,
					1, false);
		}
	}
}

/* C = requant(op(A) op(B) + bias) with VPMADDWD; false if not handled. */
static bool qmm_i8_avx2(const int8_t *a, const int8_t *b, const int32_t *bias,
			int8_t *c, size_t m, size_t k, size_t n,
			unsigned int flags, const struct kml_qmm *q)
{
	struct kml_rq_fast rq;
	struct qv_job jb;

	if (k > 2 * QA_KP || !kml_cpu_has_avx2())
		return false;
	qv_job_init(&jb, a, b, bias, c, m, k, n, flags, q);
	kml_rq_prepare(&q->out, &rq);
	qa_run(&jb, &rq);
	return true;
}

#else /* !KML_SIMD_SSE2 */

static bool qmm_i8_avx2(const int8_t *a, const int8_t *b, const int32_t *bias,
			int8_t *c, size_t m, size_t k, size_t n,
			unsigned int flags, const struct kml_qmm *q)
{
	(void)a, (void)b, (void)bias, (void)c, (void)m, (void)k, (void)n;
	(void)flags, (void)q;
	return false;
}

#endif /* KML_SIMD_SSE2 */

#endif /* KMLIB_QMATMUL_AVX2_H */

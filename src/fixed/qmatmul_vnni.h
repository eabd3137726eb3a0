/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qmatmul_vnni.h - the int8 matmul on AVX-512 VNNI (VPDPBUSD), chosen at
 * run time in user space. Private to qmatmul.c; like qmatmul_sse2.h it is
 * not built in kmlib.ko (fixed point is "nofpu" there: no SIMD at all),
 * and all paths compute the same exact integer sums, so the outputs are
 * identical bit for bit.
 *
 * VPDPBUSD adds to each int32 lane the four products of unsigned bytes
 * (here y + 128, "y'") with signed bytes (raw x): four k steps for 16
 * columns per instruction. For a panel of up to 32 columns of y, the
 * quads of k are packed once (y'[p..p+3][c] as the 4 bytes of lane c;
 * padding is 0); x (A, or B for A^T B^T) is broadcast 4 bytes at a time,
 * straight from memory when its rows run along k with k % 4 == 0, else
 * from a packed block. The offsets come out per element with wrapping
 * 32-bit arithmetic (exact, since the true sum fits in int32):
 *   sum (x - zx)(y' - zy') = S - zy' sum x - zx sum y' + k zx zy',
 * zy' = zy + 128. Then bias and requantization on 16 lanes.
 */
#ifndef KMLIB_QMATMUL_VNNI_H
#define KMLIB_QMATMUL_VNNI_H

#ifdef KML_SIMD_SSE2

typedef uint32_t qv_v16su __attribute__((vector_size(64)));
typedef int32_t qv_v8si __attribute__((vector_size(32)));
typedef int64_t qv_v8di __attribute__((vector_size(64)));
typedef int8_t qv_v16qi __attribute__((vector_size(16)));

#define QV_KQ 64 /* k quads per packed panel: k <= 256 */
#define QV_NC 32 /* columns per panel: two vectors */
#define QV_MR 8 /* rows per tile */

struct qv_panel {
	kml_v16si q[QV_KQ][2]; /* y' quads, 16 columns per vector */
	kml_v16si sum[2]; /* sum over k of y' per column */
};

/* Rows of x as 4-byte quads: base + r * rs + q * qs. */
struct qv_xrows {
	const int8_t *base;
	size_t rs, qs;
	int32_t sum[QV_MR];
};

struct qv_job {
	const int8_t *x, *y;
	size_t x_r, x_p, y_p, y_c, rows, cols, k;
	int32_t zx, zy;
	bool tt; /* C^T = B A: tile rows are C columns */
	const int32_t *bias;
	int8_t *c;
	size_t n;
};

/* Pack columns [j0, j0 + nc) of y' into p (zero beyond k and nc). */
static KML_TARGET_AVX512_VNNI void qv_pack_y(const struct qv_job *jb,
					     size_t j0, size_t nc,
					     struct qv_panel *pn)
{
	const kml_v16si ones = (kml_v16si)(qv_v16su){ 0 } + 0x01010101;
	size_t kq = (jb->k + 3) / 4, q, j;
	int t, v;

	kml_memset(pn->q, 0, kq * sizeof(pn->q[0]));
	if (jb->y_c == 1 && jb->k % 4 == 0) {
		/* rows of y: 4 x 16 bytes interleaved into 16 quads */
		const qv_v16qi flip = (qv_v16qi){ 0 } + (int8_t)-128;

		for (q = 0; q < kq; q++) {
			const int8_t *r0 = jb->y + 4 * q * jb->y_p + j0;

			for (j = 0; j + 16 <= nc; j += 16) {
				qv_v16qi a, b, c, d, ab0, ab1, cd0, cd1;
				uint8_t *o = (uint8_t *)&pn->q[q][j / 16];

				kml_memcpy(&a, r0 + j, 16);
				kml_memcpy(&b, r0 + jb->y_p + j, 16);
				kml_memcpy(&c, r0 + 2 * jb->y_p + j, 16);
				kml_memcpy(&d, r0 + 3 * jb->y_p + j, 16);
				ab0 = __builtin_shufflevector(a, b, 0, 16, 1, 17,
					2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
				ab1 = __builtin_shufflevector(a, b, 8, 24, 9, 25,
					10, 26, 11, 27, 12, 28, 13, 29, 14, 30,
					15, 31);
				cd0 = __builtin_shufflevector(c, d, 0, 16, 1, 17,
					2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
				cd1 = __builtin_shufflevector(c, d, 8, 24, 9, 25,
					10, 26, 11, 27, 12, 28, 13, 29, 14, 30,
					15, 31);
				a = (qv_v16qi)__builtin_shufflevector(
					(kml_v8hi)ab0, (kml_v8hi)cd0, 0, 8, 1, 9,
					2, 10, 3, 11) ^ flip;
				b = (qv_v16qi)__builtin_shufflevector(
					(kml_v8hi)ab0, (kml_v8hi)cd0, 4, 12, 5,
					13, 6, 14, 7, 15) ^ flip;
				c = (qv_v16qi)__builtin_shufflevector(
					(kml_v8hi)ab1, (kml_v8hi)cd1, 0, 8, 1, 9,
					2, 10, 3, 11) ^ flip;
				d = (qv_v16qi)__builtin_shufflevector(
					(kml_v8hi)ab1, (kml_v8hi)cd1, 4, 12, 5,
					13, 6, 14, 7, 15) ^ flip;
				kml_memcpy(o, &a, 16);
				kml_memcpy(o + 16, &b, 16);
				kml_memcpy(o + 32, &c, 16);
				kml_memcpy(o + 48, &d, 16);
			}
			for (; j < nc; j++)
				for (t = 0; t < 4; t++)
					((uint8_t *)pn->q[q])[4 * j + t] =
						(uint8_t)(r0[t * jb->y_p + j] ^
							  0x80);
		}
	} else {
		for (j = 0; j < nc; j++) {
			const int8_t *col = jb->y + (j0 + j) * jb->y_c;

			for (q = 0; q < kq; q++)
				for (t = 0; t < 4 && 4 * q + t < jb->k; t++)
					((uint8_t *)pn->q[q])[4 * j + t] =
						(uint8_t)(col[(4 * q + t) *
							      jb->y_p] ^
							  0x80);
		}
	}
	for (v = 0; v < 2; v++) {
		kml_v16si s = { 0 };

		for (q = 0; q < kq; q++)
			s = kml_simd_dpbusd(s, pn->q[q][v], ones);
		pn->sum[v] = s;
	}
}

/* Sum of the k int8 at p (contiguous): PSADBW of p ^ 0x80 minus 128 k. */
static KML_TARGET_AVX512_VNNI int32_t qv_sum_row(const int8_t *p, size_t k)
{
	const kml_v16si flip64 = (kml_v16si){ 0 } + (int32_t)0x80808080;
	const kml_v16qi flip = (kml_v16qi){ 0 } + (int8_t)-128, zero = { 0 };
	size_t i = 0, k16 = k & ~(size_t)15, k64 = k & ~(size_t)63;
	kml_v8di s8 = { 0 };
	kml_v2du s = { 0 };
	int32_t t = 0;

	for (; i < k64; i += 64) {
		kml_v16si v;

		kml_memcpy(&v, p + i, 64);
		s8 += kml_simd_sad_u8x64(v ^ flip64, (kml_v16si){ 0 });
	}
	for (; i < k16; i += 16) {
		kml_v16qi v;

		kml_memcpy(&v, p + i, 16);
		s += kml_simd_sad_u8(v ^ flip, zero);
	}
	for (; i < k; i++)
		t += p[i];
	s8 += (kml_v8di){ (int64_t)(s[0] + s[1]) };
	return (int32_t)(s8[0] + s8[1] + s8[2] + s8[3] + s8[4] + s8[5] +
			 s8[6] + s8[7] - 128 * (int64_t)k16) +
	       t;
}

/* Row sums of x for rows [i, i + nr) (direct rows only). */
static KML_TARGET_AVX512_VNNI void qv_row_sums(const struct qv_job *jb,
					       size_t i, size_t nr,
					       int32_t *sum)
{
	size_t r;

	for (r = 0; r < nr; r++)
		sum[r] = qv_sum_row(jb->x + (i + r) * jb->x_r, jb->k);
}

/*
 * Rows [i, i + mr) of x: direct when they run along k in whole quads,
 * else packed (zero-padded) into buf.
 */
static void qv_rows(const struct qv_job *jb, size_t i, int mr,
		    const int32_t *sums, int32_t buf[QV_KQ][QV_MR],
		    struct qv_xrows *xr)
{
	const int8_t *x = jb->x + i * jb->x_r;
	size_t q, kq = (jb->k + 3) / 4, p;
	int r;

	if (jb->x_p == 1 && jb->k % 4 == 0) {
		xr->base = x, xr->rs = jb->x_r, xr->qs = 4;
		for (r = 0; r < mr; r++)
			xr->sum[r] = sums[r];
		return;
	}
	xr->base = (const int8_t *)buf, xr->rs = 4, xr->qs = 4 * QV_MR;
	for (r = 0; r < mr; r++) {
		int32_t s = 0;

		for (q = 0; q < kq; q++) {
			uint32_t w = 0;

			for (p = 4 * q; p < 4 * q + 4 && p < jb->k; p++) {
				int8_t v = x[r * jb->x_r + p * jb->x_p];

				w |= (uint32_t)(uint8_t)v << (8 * (p % 4));
				s += v;
			}
			buf[q][r] = (int32_t)w;
		}
		xr->sum[r] = s;
	}
}

/* acc + bias per lane, saturating like kml_sat_i32(acc + bias). */
static KML_TARGET_AVX512_VNNI inline kml_v16si qv_add_sat(kml_v16si a,
							  kml_v16si b)
{
	kml_v16si s = (kml_v16si)((qv_v16su)a + (qv_v16su)b);
	kml_v16si ovf = ((a ^ s) & (b ^ s)) >> 31;

	return (((a >> 31) ^ INT32_MAX) & ovf) | (s & ~ovf);
}

/* The requantization constants as vectors, made once per call. */
struct qv_rq {
	kml_v16si mult, mask, thr, lo, hi, zp;
	int left, right;
};

static KML_TARGET_AVX512_VNNI inline void
qv_rq_prepare(const struct kml_rq_fast *f, struct qv_rq *v)
{
	v->mult = (kml_v16si){ 0 } + (int32_t)f->mult;
	v->mask = (kml_v16si){ 0 } + f->mask;
	v->thr = (kml_v16si){ 0 } + (f->mask >> 1);
	v->lo = (kml_v16si){ 0 } + (f->lo - f->zero_point);
	v->hi = (kml_v16si){ 0 } + (f->hi - f->zero_point);
	v->zp = (kml_v16si){ 0 } + f->zero_point;
	v->left = f->left;
	v->right = f->right;
}

/*
 * kml_rq_apply() on 16 lanes: VPMULDQ on the even and the odd lanes
 * (mult < 2^31 is an int32), the rounding shift in 64 bits, the low
 * halves put back together; the zero point is added after the clamp to
 * [lo - zp, hi - zp], which cannot overflow.
 */
static KML_TARGET_AVX512_VNNI __attribute__((always_inline)) inline kml_v16si
qv_requant(kml_v16si acc, const struct qv_rq *f)
{
	const kml_v8di half = (kml_v8di){ 0 } + (1 << 30);
	const kml_v8di low = (kml_v8di){ 0 } + 0xffffffff;
	kml_v16si x = (kml_v16si)((qv_v16su)acc << f->left), h, m, q;
	kml_v8di pe, po;

	pe = (kml_simd_mul_even_i32x16(x, f->mult) + half) >> 31;
	po = (kml_simd_mul_even_i32x16((kml_v16si)((kml_v8di)x >> 32),
				       f->mult) +
	      half) >>
	     31;
	h = (kml_v16si)((pe & low) | (po << 32));
	m = (h & f->mask) > (f->thr - (h >> 31));
	q = (h >> f->right) - m;
	q = kml_simd_max_i32x16(q, f->lo);
	return kml_simd_min_i32x16(q, f->hi) + f->zp;
}

/*
 * One tile: mr rows of x by nv vectors of the panel; writes C after the
 * offsets, bias and requantization. ncols: valid columns in the tile.
 */
static KML_TARGET_AVX512_VNNI __attribute__((always_inline)) inline void
qv_tile(const struct qv_job *jb, const struct qv_xrows *xr,
	const struct qv_panel *pn, size_t i, size_t j, size_t ncols,
	const struct qv_rq *rq, const int mr, const int nv)
{
	/* locals: the int8 stores to C could alias anything in memory */
	const size_t kq = (jb->k + 3) / 4, n = jb->n;
	const int32_t *bias = jb->bias;
	const bool tt = jb->tt;
	int8_t *c = jb->c;
	const uint32_t zx = (uint32_t)jb->zx, zy1 = (uint32_t)jb->zy + 128;
	const uint32_t kzz = (uint32_t)jb->k * zx * zy1;
	const int8_t *xp = xr->base;
	kml_v16si acc[QV_MR][2];
	size_t q;
	int r, v, l;

	/* start from the offsets: - zy' sum x - zx sum y' + k zx zy' */
#pragma GCC unroll 8
	for (r = 0; r < mr; r++) {
		const uint32_t cr = kzz - zy1 * (uint32_t)xr->sum[r];

#pragma GCC unroll 2
		for (v = 0; v < nv; v++)
			acc[r][v] = (kml_v16si)(cr - (qv_v16su)pn->sum[v] * zx);
	}
	for (q = 0; q < kq; q++, xp += xr->qs) {
#pragma GCC unroll 8
		for (r = 0; r < mr; r++) {
			int32_t w;
			kml_v16si xv;

			kml_memcpy(&w, xp + r * xr->rs, 4);
			xv = (kml_v16si){ 0 } + w;
#pragma GCC unroll 2
			for (v = 0; v < nv; v++)
				acc[r][v] = kml_simd_dpbusd(acc[r][v],
							    pn->q[q][v], xv);
		}
	}
#pragma GCC unroll 8
	for (r = 0; r < mr; r++) {
#pragma GCC unroll 2
		for (v = 0; v < nv; v++) {
			size_t j1 = j + 16 * v, nl;
			kml_v16si s = acc[r][v];
			int8_t out[16];
			qv_v16qi o8;

			if (j1 - j >= ncols)
				break;
			nl = ncols - (j1 - j) < 16 ? ncols - (j1 - j) : 16;
			if (bias && !tt) {
				kml_v16si b = { 0 };

				kml_memcpy(&b, bias + j1, nl * 4);
				s = qv_add_sat(s, b);
			} else if (bias) {
				s = qv_add_sat(s, (kml_v16si){ 0 } + bias[i + r]);
			}
			o8 = __builtin_convertvector(qv_requant(s, rq), qv_v16qi);
			if (!tt && nl == 16) {
				kml_memcpy(c + (i + r) * n + j1, &o8, 16);
				continue;
			}
			kml_memcpy(out, &o8, 16);
			for (l = 0; l < (int)nl; l++) {
				if (tt)
					c[(j1 + l) * n + i + r] = out[l];
				else
					c[(i + r) * n + j1 + l] = out[l];
			}
		}
	}
}

#define QV_RC 64 /* rows whose x sums are made once for all panels */

static KML_TARGET_AVX512_VNNI KML_NOINLINE void
qv_run(const struct qv_job *jb, const struct kml_rq_fast *f)
{
	struct qv_panel pn __attribute__((aligned(64)));
	int32_t xbuf[QV_KQ][QV_MR], sums[QV_RC];
	const bool direct = jb->x_p == 1 && jb->k % 4 == 0;
	struct qv_xrows xr;
	struct qv_rq rq;
	size_t i0, i, j;

	qv_rq_prepare(f, &rq);
	for (i0 = 0; i0 < jb->rows; i0 += QV_RC) {
		size_t i1 = jb->rows - i0 < QV_RC ? jb->rows : i0 + QV_RC;

		if (direct)
			qv_row_sums(jb, i0, i1 - i0, sums);
		for (j = 0; j < jb->cols; j += QV_NC) {
			size_t nc = jb->cols - j < QV_NC ? jb->cols - j : QV_NC;

			qv_pack_y(jb, j, nc, &pn);
			for (i = i0; i + QV_MR <= i1; i += QV_MR) {
				qv_rows(jb, i, QV_MR, sums + (i - i0), xbuf,
					&xr);
				if (nc > 16)
					qv_tile(jb, &xr, &pn, i, j, nc, &rq,
						QV_MR, 2);
				else
					qv_tile(jb, &xr, &pn, i, j, nc, &rq,
						QV_MR, 1);
			}
			for (; i < i1; i++) {
				qv_rows(jb, i, 1, sums + (i - i0), xbuf, &xr);
				if (nc > 16)
					qv_tile(jb, &xr, &pn, i, j, nc, &rq, 1,
						2);
				else
					qv_tile(jb, &xr, &pn, i, j, nc, &rq, 1,
						1);
			}
		}
	}
}

/*
 * C = requant(op(A) op(B) + bias) with VPDPBUSD; false when the CPU lacks
 * it or k exceeds a packed panel (the caller then tries the next path).
 */
static bool qmm_i8_vnni(const int8_t *a, const int8_t *b, const int32_t *bias,
			int8_t *c, size_t m, size_t k, size_t n,
			unsigned int flags, const struct kml_qmm *q)
{
	bool ta = flags & KML_MM_TRANS_A, tb = flags & KML_MM_TRANS_B;
	struct kml_rq_fast rq;
	struct qv_job jb = { .k = k, .bias = bias, .c = c, .n = n };

	if (k > 4 * QV_KQ || !kml_cpu_has_avx512_vnni())
		return false;
	jb.tt = ta && tb;
	if (jb.tt) { /* C^T = B A: x = B (n x k), y = A (k x m) */
		jb.x = b, jb.x_r = k, jb.x_p = 1, jb.zx = q->b_zero_point;
		jb.y = a, jb.y_p = m, jb.y_c = 1, jb.zy = q->a_zero_point;
		jb.rows = n, jb.cols = m;
	} else {
		jb.x = a, jb.x_r = ta ? 1 : k, jb.x_p = ta ? m : 1;
		jb.zx = q->a_zero_point;
		jb.y = b, jb.y_p = tb ? 1 : n, jb.y_c = tb ? k : 1;
		jb.zy = q->b_zero_point;
		jb.rows = m, jb.cols = n;
	}
	kml_rq_prepare(&q->out, &rq);
	qv_run(&jb, &rq);
	return true;
}

#else /* !KML_SIMD_SSE2 */

static bool qmm_i8_vnni(const int8_t *a, const int8_t *b, const int32_t *bias,
			int8_t *c, size_t m, size_t k, size_t n,
			unsigned int flags, const struct kml_qmm *q)
{
	(void)a, (void)b, (void)bias, (void)c, (void)m, (void)k, (void)n;
	(void)flags, (void)q;
	return false;
}

#endif /* KML_SIMD_SSE2 */

#endif /* KMLIB_QMATMUL_VNNI_H */

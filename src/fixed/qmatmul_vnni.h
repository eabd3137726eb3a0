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
 * zy' = zy + 128. A bias that cannot saturate (|S| < 2^24 for k <= 256)
 * starts the sums too; then the requantization on 16 lanes, in 64 bits.
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
	kml_v16si off[2]; /* -zx sum y' per column, plus a folded bias */
	kml_v16si bias[2]; /* column bias when it must saturate, else 0 */
};

/* Rows of x as 4-byte quads: base + r * rs + q * qs. */
struct qv_xrows {
	const int8_t *base;
	size_t rs, qs;
	const int32_t *sum; /* row sums of x: the caller's, or own */
	int32_t own[QV_MR];
};

struct qv_job {
	const int8_t *x, *y;
	size_t x_r, x_p, y_p, y_c, rows, cols, k;
	int32_t zx, zy;
	bool tt; /* C^T = B A: tile rows are C columns */
	bool sat_bias; /* a bias near the int32 limits: add it saturating */
	const int32_t *bias;
	int8_t *c;
	size_t n;
};

typedef int8_t qv_v32qi __attribute__((vector_size(32)));
typedef int16_t qv_v16hi __attribute__((vector_size(32)));

/*
 * One k quad of a whole panel: 4 rows x 32 bytes of y (stride ys) into
 * 32 lanes of 4 bytes, flipped to unsigned. Byte then word unpacks work
 * within 128-bit halves, so each result holds 4 columns of the first 16
 * in its low half and the same 4 of the last 16 in its high half.
 */
static KML_TARGET_AVX512_VNNI inline void
qv_pack_quad32(const int8_t *r0, size_t ys, kml_v16si out[2])
{
	const qv_v32qi flip = (qv_v32qi){ 0 } + (int8_t)-128;
	qv_v32qi a, b, c, d;
	qv_v16hi ab0, ab1, cd0, cd1, w[4];
	uint8_t *o = (uint8_t *)out;
	int h;

	kml_memcpy(&a, r0, 32);
	kml_memcpy(&b, r0 + ys, 32);
	kml_memcpy(&c, r0 + 2 * ys, 32);
	kml_memcpy(&d, r0 + 3 * ys, 32);
	a ^= flip, b ^= flip, c ^= flip, d ^= flip;
	ab0 = (qv_v16hi)__builtin_shufflevector(
	    a, b, 0, 32, 1, 33, 2, 34, 3, 35, 4, 36, 5, 37, 6, 38, 7, 39, 16,
	    48, 17, 49, 18, 50, 19, 51, 20, 52, 21, 53, 22, 54, 23, 55);
	ab1 = (qv_v16hi)__builtin_shufflevector(
	    a, b, 8, 40, 9, 41, 10, 42, 11, 43, 12, 44, 13, 45, 14, 46, 15, 47,
	    24, 56, 25, 57, 26, 58, 27, 59, 28, 60, 29, 61, 30, 62, 31, 63);
	cd0 = (qv_v16hi)__builtin_shufflevector(
	    c, d, 0, 32, 1, 33, 2, 34, 3, 35, 4, 36, 5, 37, 6, 38, 7, 39, 16,
	    48, 17, 49, 18, 50, 19, 51, 20, 52, 21, 53, 22, 54, 23, 55);
	cd1 = (qv_v16hi)__builtin_shufflevector(
	    c, d, 8, 40, 9, 41, 10, 42, 11, 43, 12, 44, 13, 45, 14, 46, 15, 47,
	    24, 56, 25, 57, 26, 58, 27, 59, 28, 60, 29, 61, 30, 62, 31, 63);
	w[0] = __builtin_shufflevector(ab0, cd0, 0, 16, 1, 17, 2, 18, 3, 19, 8,
				       24, 9, 25, 10, 26, 11, 27);
	w[1] = __builtin_shufflevector(ab0, cd0, 4, 20, 5, 21, 6, 22, 7, 23, 12,
				       28, 13, 29, 14, 30, 15, 31);
	w[2] = __builtin_shufflevector(ab1, cd1, 0, 16, 1, 17, 2, 18, 3, 19, 8,
				       24, 9, 25, 10, 26, 11, 27);
	w[3] = __builtin_shufflevector(ab1, cd1, 4, 20, 5, 21, 6, 22, 7, 23, 12,
				       28, 13, 29, 14, 30, 15, 31);
	for (h = 0; h < 4; h++) {
		kml_memcpy(o + 16 * h, &w[h], 16);
		kml_memcpy(o + 64 + 16 * h, (uint8_t *)&w[h] + 16, 16);
	}
}

/* Pack columns [j0, j0 + nc) of y' into p (zero beyond k and nc). */
static KML_TARGET_AVX512_VNNI void qv_pack_y(const struct qv_job *jb, size_t j0,
					     size_t nc, struct qv_panel *pn)
{
	const kml_v16si ones = (kml_v16si)(qv_v16su){ 0 } + 0x01010101;
	const uint32_t zx = (uint32_t)jb->zx;
	size_t kq = (jb->k + 3) / 4, q, j;
	int t, v;

	/*
	 * With k % 4 == 0 and a full panel the copies below write every byte;
	 * otherwise the columns past nc must read as 0 (the offsets below sum
	 * both halves of every quad).
	 */
	if (jb->k % 4 || nc != QV_NC || (jb->y_c != 1 && jb->y_p != 1))
		kml_memset(pn->q, 0, kq * sizeof(pn->q[0]));
	if (jb->y_c == 1 && jb->k % 4 == 0) {
		/* rows of y: 4 x 16 bytes interleaved into 16 quads */
		const qv_v16qi flip = (qv_v16qi){ 0 } + (int8_t)-128;

		for (q = 0; q < kq; q++) {
			const int8_t *r0 = jb->y + 4 * q * jb->y_p + j0;

			if (nc == QV_NC) {
				qv_pack_quad32(r0, jb->y_p, pn->q[q]);
				continue;
			}
			for (j = 0; j + 16 <= nc; j += 16) {
				qv_v16qi a, b, c, d, ab0, ab1, cd0, cd1;
				uint8_t *o = (uint8_t *)&pn->q[q][j / 16];

				kml_memcpy(&a, r0 + j, 16);
				kml_memcpy(&b, r0 + jb->y_p + j, 16);
				kml_memcpy(&c, r0 + 2 * jb->y_p + j, 16);
				kml_memcpy(&d, r0 + 3 * jb->y_p + j, 16);
				ab0 = __builtin_shufflevector(
				    a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5,
				    21, 6, 22, 7, 23);
				ab1 = __builtin_shufflevector(
				    a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28,
				    13, 29, 14, 30, 15, 31);
				cd0 = __builtin_shufflevector(
				    c, d, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5,
				    21, 6, 22, 7, 23);
				cd1 = __builtin_shufflevector(
				    c, d, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28,
				    13, 29, 14, 30, 15, 31);
				a = (qv_v16qi)__builtin_shufflevector(
					(kml_v8hi)ab0, (kml_v8hi)cd0, 0, 8, 1,
					9, 2, 10, 3, 11) ^
				    flip;
				b = (qv_v16qi)__builtin_shufflevector(
					(kml_v8hi)ab0, (kml_v8hi)cd0, 4, 12, 5,
					13, 6, 14, 7, 15) ^
				    flip;
				c = (qv_v16qi)__builtin_shufflevector(
					(kml_v8hi)ab1, (kml_v8hi)cd1, 0, 8, 1,
					9, 2, 10, 3, 11) ^
				    flip;
				d = (qv_v16qi)__builtin_shufflevector(
					(kml_v8hi)ab1, (kml_v8hi)cd1, 4, 12, 5,
					13, 6, 14, 7, 15) ^
				    flip;
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
	} else if (jb->y_p == 1 && jb->k % 4 == 0) {
		/* columns of y run along k: each quad is 4 bytes as stored */
		for (j = 0; j < nc; j++) {
			const int8_t *col = jb->y + (j0 + j) * jb->y_c;

			for (q = 0; q < kq; q++) {
				uint32_t w;

				kml_memcpy(&w, col + 4 * q, 4);
				w ^= 0x80808080u;
				kml_memcpy((uint8_t *)pn->q[q] + 4 * j, &w, 4);
			}
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
		kml_v16si s = { 0 }, b = { 0 };

		for (q = 0; q < kq; q++)
			s = kml_simd_dpbusd(s, pn->q[q][v], ones);
		for (j = 16 * (size_t)v;
		     jb->bias && !jb->tt && j < nc && j < 16 * (size_t)v + 16;
		     j++)
			b[j - 16 * v] = jb->bias[j0 + j];
		pn->off[v] = (kml_v16si)((qv_v16su){ 0 } - (qv_v16su)s * zx);
		if (jb->sat_bias)
			pn->bias[v] = b;
		else
			pn->off[v] =
			    (kml_v16si)((qv_v16su)pn->off[v] + (qv_v16su)b);
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
	return (int32_t)(s8[0] + s8[1] + s8[2] + s8[3] + s8[4] + s8[5] + s8[6] +
			 s8[7] - 128 * (int64_t)k16) +
	       t;
}

/*
 * Sums of 16 rows of k % 64 == 0 bytes: VPDPBUSD by ones gives 16 partial
 * sums per row, then four levels of two-input shuffles and adds leave
 * row r's total in lane r (one reduction for 16 rows instead of 16).
 */
static KML_TARGET_AVX512_VNNI void qv_sum_rows16(const int8_t *x, size_t rs,
						 size_t k, int32_t *sum)
{
	const kml_v16si ones = (kml_v16si){ 0 } + 0x01010101;
	kml_v16si v[16], t;
	size_t p;
	int r, h;

#pragma GCC unroll 16
	for (r = 0; r < 16; r++) {
		v[r] = (kml_v16si){ 0 };
		for (p = 0; p < k; p += 64) {
			kml_v16si w;

			kml_memcpy(&w, x + r * rs + p, 64);
			v[r] = kml_simd_dpbusd(v[r], ones, w);
		}
	}
	/* lane 2i: row 2h, 2i + 1: row 2h + 1 (8 partial sums each) */
#pragma GCC unroll 8
	for (h = 0; h < 8; h++)
		v[h] =
		    (kml_v16si)((qv_v16su)__builtin_shufflevector(
				    v[2 * h], v[2 * h + 1], 0, 16, 2, 18, 4, 20,
				    6, 22, 8, 24, 10, 26, 12, 28, 14, 30) +
				(qv_v16su)__builtin_shufflevector(
				    v[2 * h], v[2 * h + 1], 1, 17, 3, 19, 5, 21,
				    7, 23, 9, 25, 11, 27, 13, 29, 15, 31));
		/* groups of 4 lanes: rows 4h .. 4h + 3 (4 partial sums each) */
#pragma GCC unroll 8
	for (h = 0; h < 4; h++)
		v[h] =
		    (kml_v16si)((qv_v16su)__builtin_shufflevector(
				    v[2 * h], v[2 * h + 1], 0, 1, 16, 17, 4, 5,
				    20, 21, 8, 9, 24, 25, 12, 13, 28, 29) +
				(qv_v16su)__builtin_shufflevector(
				    v[2 * h], v[2 * h + 1], 2, 3, 18, 19, 6, 7,
				    22, 23, 10, 11, 26, 27, 14, 15, 30, 31));
		/* groups of 8 lanes: rows 8h .. 8h + 7 (2 partial sums each) */
#pragma GCC unroll 8
	for (h = 0; h < 2; h++)
		v[h] =
		    (kml_v16si)((qv_v16su)__builtin_shufflevector(
				    v[2 * h], v[2 * h + 1], 0, 1, 2, 3, 16, 17,
				    18, 19, 8, 9, 10, 11, 24, 25, 26, 27) +
				(qv_v16su)__builtin_shufflevector(
				    v[2 * h], v[2 * h + 1], 4, 5, 6, 7, 20, 21,
				    22, 23, 12, 13, 14, 15, 28, 29, 30, 31));
	t = (kml_v16si)((qv_v16su)__builtin_shufflevector(
			    v[0], v[1], 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19,
			    20, 21, 22, 23) +
			(qv_v16su)__builtin_shufflevector(
			    v[0], v[1], 8, 9, 10, 11, 12, 13, 14, 15, 24, 25,
			    26, 27, 28, 29, 30, 31));
	kml_memcpy(sum, &t, 64);
}

/* Row sums of x for rows [i, i + nr) (direct rows only). */
static KML_TARGET_AVX512_VNNI void
qv_row_sums(const struct qv_job *jb, size_t i, size_t nr, int32_t *sum)
{
	size_t r = 0;

	if (jb->k % 64 == 0)
		for (; r + 16 <= nr; r += 16)
			qv_sum_rows16(jb->x + (i + r) * jb->x_r, jb->x_r, jb->k,
				      sum + r);
	for (; r < nr; r++)
		sum[r] = qv_sum_row(jb->x + (i + r) * jb->x_r, jb->k);
}

/*
 * Rows [i, i + mr) of x: direct when they run along k in whole quads,
 * else packed (zero-padded) into buf.
 */
static inline void qv_rows(const struct qv_job *jb, size_t i, int mr,
			   const int32_t *sums, int32_t buf[QV_KQ][QV_MR],
			   struct qv_xrows *xr)
{
	const int8_t *x = jb->x + i * jb->x_r;
	size_t q, kq = (jb->k + 3) / 4, p;
	int r;

	if (jb->x_p == 1 && jb->k % 4 == 0) {
		xr->base = x, xr->rs = jb->x_r, xr->qs = 4, xr->sum = sums;
		return;
	}
	xr->sum = xr->own;
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
		xr->own[r] = s;
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

/*
 * The requantization as one rounding shift of p = (acc << left) * mult
 * in 64-bit lanes. kml_rq_apply() rounds twice: h = floor((p + 2^30) /
 * 2^31), then h / 2^r half away from zero, which for r >= 1 is
 * floor((h + 2^(r-1) - [h < 0]) / 2^r). A floor of a floor by powers of
 * two is one floor, and h < 0 exactly when p < -2^30, so
 *   q = floor((p + 2^30 + 2^(30+r) - [p < -2^30] 2^31) / 2^(31+r))
 * (r = 0: floor((p + 2^30) / 2^31)). |p| < 2^62: no step wraps, and
 * |q| < 2^31, so the low halves of the lanes hold q exactly.
 */
struct qv_rq {
	kml_v16si mult, lo, hi, zp;
	kml_v8di add, add_neg, neg; /* add_neg = add - 2^31 (r >= 1) */
	int left, sh;
	/* 1 <= r <= 22: the zero point folded in (see qv_requant_hi) */
	bool hi32;
	kml_v8di add_z, add_z_neg;
	kml_v16si act_lo, act_hi;
};

static KML_TARGET_AVX512_VNNI inline void
qv_rq_prepare(const struct kml_rq_fast *f, struct qv_rq *v)
{
	const int r = f->right;
	const bool hi32 = r >= 1 && r <= 22;
	/* only where it fits: zp 2^(31+r) overflows int64 for r > 24 */
	const int64_t zp = hi32 ? f->zero_point * ((int64_t)1 << (31 + r)) : 0;

	v->mult = (kml_v16si){ 0 } + (int32_t)f->mult;
	v->lo = (kml_v16si){ 0 } + (f->lo - f->zero_point);
	v->hi = (kml_v16si){ 0 } + (f->hi - f->zero_point);
	v->zp = (kml_v16si){ 0 } + f->zero_point;
	v->add = (kml_v8di){ 0 } +
		 (((int64_t)1 << 30) + (r ? (int64_t)1 << (30 + r) : 0));
	v->neg = (kml_v8di){ 0 } - ((int64_t)1 << 30);
	v->add_neg = v->add - (r ? (int64_t)1 << 31 : 0);
	v->left = f->left;
	v->sh = 31 + r;
	v->hi32 = hi32;
	v->add_z = v->add + zp;
	v->add_z_neg = v->add_neg + zp;
	v->act_lo = (kml_v16si){ 0 } + f->lo;
	v->act_hi = (kml_v16si){ 0 } + f->hi;
}

/* p + add, or p + add_neg where p < -2^30 */
static KML_TARGET_AVX512_VNNI __attribute__((always_inline)) inline kml_v8di
qv_offset(kml_v8di p, kml_v8di add, kml_v8di add_neg, kml_v8di neg)
{
	kml_v8di m = p < neg;

	return p + ((add_neg & m) | (add & ~m));
}

static KML_TARGET_AVX512_VNNI __attribute__((always_inline)) inline kml_v8di
qv_round(kml_v8di p, const struct qv_rq *f)
{
	return qv_offset(p, f->add, f->add_neg, f->neg) >> f->sh;
}

/*
 * For 1 <= r <= 22 (hi32): the zero point joins the sum as zp 2^(31+r)
 * (|sum| < 2^62 + 2^61 + 2^60 still fits), so the shift gives q + zp
 * directly, |q + zp| <= 2^30 + 128. The shift is split: the high halves
 * of the 64-bit lanes are floor(sum / 2^32), gathered by one permute,
 * then one 32-bit shift by r - 1 (a floor of a floor by powers of two).
 * No left shift (r >= 1 means shift <= 0).
 */
static KML_TARGET_AVX512_VNNI __attribute__((always_inline)) inline qv_v16qi
qv_requant_hi(kml_v16si acc, const struct qv_rq *f)
{
	kml_v8di pe, po;
	kml_v16si q;

	pe = qv_offset(kml_simd_mul_even_i32x16(acc, f->mult), f->add_z,
		       f->add_z_neg, f->neg);
	po = qv_offset(
	    kml_simd_mul_even_i32x16((kml_v16si)((kml_v8di)acc >> 32), f->mult),
	    f->add_z, f->add_z_neg, f->neg);
	q = __builtin_shufflevector((kml_v16si)pe, (kml_v16si)po, 1, 17, 3, 19,
				    5, 21, 7, 23, 9, 25, 11, 27, 13, 29, 15,
				    31);
	q >>= f->sh - 32;
	q = kml_simd_max_i32x16(q, f->act_lo);
	q = kml_simd_min_i32x16(q, f->act_hi);
	return __builtin_convertvector(q, qv_v16qi);
}

/*
 * 16 lanes: VPMULDQ on the even and the odd lanes (mult < 2^31 is an
 * int32), the low halves of the two results interleaved back, clamped to
 * [lo - zp, hi - zp] (cannot overflow) and the zero point added.
 */
static KML_TARGET_AVX512_VNNI __attribute__((always_inline)) inline qv_v16qi
qv_requant(kml_v16si acc, const struct qv_rq *f, int left)
{
	kml_v16si x = (kml_v16si)((qv_v16su)acc << left), q;
	kml_v8di pe, po;

	pe = qv_round(kml_simd_mul_even_i32x16(x, f->mult), f);
	po = qv_round(
	    kml_simd_mul_even_i32x16((kml_v16si)((kml_v8di)x >> 32), f->mult),
	    f);
	q = __builtin_shufflevector((kml_v16si)pe, (kml_v16si)po, 0, 16, 2, 18,
				    4, 20, 6, 22, 8, 24, 10, 26, 12, 28, 14,
				    30);
	q = kml_simd_max_i32x16(q, f->lo);
	q = kml_simd_min_i32x16(q, f->hi) + f->zp;
	return __builtin_convertvector(q, qv_v16qi);
}

/* Write the first nl lanes of o to C (transposed for tt). */
static inline void qv_store_part(const struct qv_job *jb, qv_v16qi o,
				 size_t row, size_t j1, size_t nl)
{
	int8_t out[16];
	size_t l;

	kml_memcpy(out, &o, 16);
	for (l = 0; l < nl && l < 16; l++) {
		if (jb->tt)
			jb->c[(j1 + l) * jb->n + row] = out[l];
		else
			jb->c[row * jb->n + j1 + l] = out[l];
	}
}

/*
 * One tile: mr rows of x by nv vectors of the panel; writes C after the
 * offsets, bias and requantization. ncols: valid columns in the tile.
 * fast (1, 2): every column valid, C not transposed, no saturating bias,
 * then one straight run of stores; 2 also requantizes by qv_requant_hi().
 */
static KML_TARGET_AVX512_VNNI __attribute__((always_inline)) inline void
qv_tile(const struct qv_job *jb, const struct qv_xrows *xr,
	const struct qv_panel *pn, size_t i, size_t j, size_t ncols,
	const struct qv_rq *rq, const int mr, const int nv, const int fast)
{
	/* locals: the int8 stores to C could alias anything in memory */
	const size_t kq = (jb->k + 3) / 4, n = jb->n;
	const int32_t *bias = jb->bias;
	const bool tt = jb->tt, sat = jb->sat_bias;
	const bool full = !tt && ncols == 16 * (size_t)nv;
	int8_t *c = jb->c;
	const uint32_t zx = (uint32_t)jb->zx, zy1 = (uint32_t)jb->zy + 128;
	const uint32_t kzz = (uint32_t)jb->k * zx * zy1;
	const int8_t *xp = xr->base;
	kml_v16si acc[QV_MR][2];
	size_t q;
	int r, v;

	/* start from the offsets: - zy' sum x - zx sum y' + k zx zy' */
#pragma GCC unroll 8
	for (r = 0; r < mr; r++) {
		uint32_t cr = kzz - zy1 * (uint32_t)xr->sum[r];

		if (tt && bias && !sat)
			cr += (uint32_t)bias[i + r];
#pragma GCC unroll 2
		for (v = 0; v < nv; v++)
			acc[r][v] = (kml_v16si)(cr + (qv_v16su)pn->off[v]);
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
				acc[r][v] =
				    kml_simd_dpbusd(acc[r][v], pn->q[q][v], xv);
		}
	}
	if (fast == 2) { /* as below, requantized by qv_requant_hi() */
		int8_t *o = c + i * n + j;

#pragma GCC unroll 8
		for (r = 0; r < mr; r++, o += n) {
#pragma GCC unroll 2
			for (v = 0; v < nv; v++) {
				qv_v16qi o8 = qv_requant_hi(acc[r][v], rq);

				kml_memcpy(o + 16 * v, &o8, 16);
			}
		}
		return;
	}
	if (fast) { /* whole rows of 16 lanes, no test per vector */
		int8_t *o = c + i * n + j;

		if (rq->left) /* once per tile, not per vector: usually 0 */
#pragma GCC unroll 8
			for (r = 0; r < mr; r++)
#pragma GCC unroll 2
				for (v = 0; v < nv; v++)
					acc[r][v] =
					    (kml_v16si)((qv_v16su)acc[r][v]
							<< rq->left);

#pragma GCC unroll 8
		for (r = 0; r < mr; r++, o += n) {
#pragma GCC unroll 2
			for (v = 0; v < nv; v++) {
				qv_v16qi o8 = qv_requant(acc[r][v], rq, 0);

				kml_memcpy(o + 16 * v, &o8, 16);
			}
		}
		return;
	}
#pragma GCC unroll 8
	for (r = 0; r < mr; r++) {
#pragma GCC unroll 2
		for (v = 0; v < nv; v++) {
			kml_v16si s = acc[r][v];
			qv_v16qi o8;

			if (sat && tt)
				s = qv_add_sat(s,
					       (kml_v16si){ 0 } + bias[i + r]);
			else if (sat)
				s = qv_add_sat(s, pn->bias[v]);
			o8 = qv_requant(s, rq, rq->left);
			if (full)
				kml_memcpy(c + (i + r) * n + j + 16 * v, &o8,
					   16);
			else if (ncols > 16 * (size_t)v)
				qv_store_part(jb, o8, i + r, j + 16 * v,
					      ncols - 16 * v);
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
	const bool fast = !jb->tt && !jb->sat_bias;
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
				if (nc == QV_NC && fast && rq.hi32)
					qv_tile(jb, &xr, &pn, i, j, nc, &rq,
						QV_MR, 2, 2);
				else if (nc == QV_NC && fast)
					qv_tile(jb, &xr, &pn, i, j, nc, &rq,
						QV_MR, 2, 1);
				else if (nc > 16)
					qv_tile(jb, &xr, &pn, i, j, nc, &rq,
						QV_MR, 2, 0);
				else
					qv_tile(jb, &xr, &pn, i, j, nc, &rq,
						QV_MR, 1, 0);
			}
			for (; i < i1; i++) {
				qv_rows(jb, i, 1, sums + (i - i0), xbuf, &xr);
				if (nc > 16)
					qv_tile(jb, &xr, &pn, i, j, nc, &rq, 1,
						2, 0);
				else
					qv_tile(jb, &xr, &pn, i, j, nc, &rq, 1,
						1, 0);
			}
		}
	}
}

/* |sum| <= 255^2 k < 2^24 for k <= 4 QV_KQ: such biases never saturate. */
#define QV_SUM_MAX (255 * 255 * 4 * QV_KQ)

static bool qv_bias_folds(const int32_t *bias, size_t n)
{
	bool ok = true;
	size_t j;

	for (j = 0; j < n; j++)
		ok &= bias[j] >= INT32_MIN + QV_SUM_MAX &&
		      bias[j] <= INT32_MAX - QV_SUM_MAX;
	return ok;
}

/* The job for C = op(A) op(B): x runs along the tile rows, y is packed. */
static void qv_job_init(struct qv_job *jb, const int8_t *a, const int8_t *b,
			const int32_t *bias, int8_t *c, size_t m, size_t k,
			size_t n, unsigned int flags, const struct kml_qmm *q)
{
	bool ta = flags & KML_MM_TRANS_A, tb = flags & KML_MM_TRANS_B;

	*jb = (struct qv_job){ .k = k, .bias = bias, .c = c, .n = n };
	jb->tt = ta && tb;
	if (jb->tt) { /* C^T = B A: x = B (n x k), y = A (k x m) */
		jb->x = b, jb->x_r = k, jb->x_p = 1, jb->zx = q->b_zero_point;
		jb->y = a, jb->y_p = m, jb->y_c = 1, jb->zy = q->a_zero_point;
		jb->rows = n, jb->cols = m;
	} else {
		jb->x = a, jb->x_r = ta ? 1 : k, jb->x_p = ta ? m : 1;
		jb->zx = q->a_zero_point;
		jb->y = b, jb->y_p = tb ? 1 : n, jb->y_c = tb ? k : 1;
		jb->zy = q->b_zero_point;
		jb->rows = m, jb->cols = n;
	}
	jb->sat_bias = bias && !qv_bias_folds(bias, n);
}

/*
 * C = requant(op(A) op(B) + bias) with VPDPBUSD; false when the CPU lacks
 * it or k exceeds a packed panel (the caller then tries the next path).
 */
static bool qmm_i8_vnni(const int8_t *a, const int8_t *b, const int32_t *bias,
			int8_t *c, size_t m, size_t k, size_t n,
			unsigned int flags, const struct kml_qmm *q)
{
	struct kml_rq_fast rq;
	struct qv_job jb;

	if (k > 4 * QV_KQ || !kml_cpu_has_avx512_vnni())
		return false;
	qv_job_init(&jb, a, b, bias, c, m, k, n, flags, q);
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

/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qmatmul_swar.h - the portable int8 matmul tile (private to qmatmul.c):
 * plain 64-bit integer code, which is what kmlib.ko runs (fixed point is
 * built without SSE there).
 *
 * Two int32 sums share one 64-bit register ("SIMD within a register"):
 * the pair (lo, hi) is the integer lo + hi * 2^32 taken modulo 2^64.
 * Multiplying it by a and adding such products is exact modulo 2^64, so
 * the final register is L + H * 2^32 (mod 2^64) with L and H the two true
 * sums. Both fit in int32 (k <= KML_I8_MAX_K), so the low 32 bits are L
 * and, after subtracting L, the high 32 bits are H. One multiply thus does
 * two multiply-adds.
 */
#ifndef KMLIB_QMATMUL_SWAR_H
#define KMLIB_QMATMUL_SWAR_H

#define QMM_SWAR_MR 4 /* rows per tile; columns: 4 (two pairs) */

/* Where op(A) and op(B) elements live, for every transpose flag. */
struct qmm_view {
	const int8_t *a, *b;
	size_t a_r, a_p; /* op(A)(i, p) = a[i * a_r + p * a_p] */
	size_t b_p, b_c; /* op(B)(p, j) = b[p * b_p + j * b_c] */
	int32_t za, zb;
};

static inline uint64_t qmm_swar_pair(int32_t lo, int32_t hi)
{
	return (uint64_t)(int64_t)lo + ((uint64_t)(uint32_t)hi << 32);
}

static inline void qmm_swar_split(uint64_t s, int32_t *lo, int32_t *hi)
{
	int32_t l = (int32_t)(uint32_t)s;

	*lo = l;
	*hi = (int32_t)(uint32_t)((s - (uint64_t)(int64_t)l) >> 32);
}

/* Exact sums for mr (1 or QMM_SWAR_MR) rows from i, columns j..j+3. */
static __attribute__((always_inline)) inline void
qmm_swar_tile(const struct qmm_view *v, size_t i, size_t j, size_t k,
	      int32_t acc[QMM_SWAR_MR][4], const int mr)
{
	const int8_t *ar = v->a + i * v->a_r;
	const int8_t *bc = v->b + j * v->b_c;
	const size_t a_r = v->a_r, a_p = v->a_p, b_p = v->b_p, b_c = v->b_c;
	const int32_t za = v->za, zb = v->zb;
	uint64_t s[QMM_SWAR_MR][2] = { { 0 } };
	size_t p;
	int r;

	for (p = 0; p < k; p++) {
		const int8_t *bp = bc + p * b_p;
		uint64_t b01 = qmm_swar_pair(bp[0] - zb, bp[b_c] - zb);
		uint64_t b23 =
		    qmm_swar_pair(bp[2 * b_c] - zb, bp[3 * b_c] - zb);

#pragma GCC unroll 4
		for (r = 0; r < mr; r++) {
			uint64_t x =
			    (uint64_t)(int64_t)(ar[r * a_r + p * a_p] - za);

			s[r][0] += b01 * x;
			s[r][1] += b23 * x;
		}
	}
#pragma GCC unroll 4
	for (r = 0; r < mr; r++) {
		qmm_swar_split(s[r][0], &acc[r][0], &acc[r][1]);
		qmm_swar_split(s[r][1], &acc[r][2], &acc[r][3]);
	}
}

#endif /* KMLIB_QMATMUL_SWAR_H */

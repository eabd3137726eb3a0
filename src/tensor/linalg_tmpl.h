/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * linalg_tmpl.h - the body of linalg_f32.c and linalg_f64.c, written once.
 *
 * The includer defines:
 *   LT        element type (float or double)
 *   LV16, LV32, LV64  GCC vectors of LT of 16, 32 and 64 bytes
 *   LSUF(x)   x##_f32 or x##_f64
 *   LGATHER(p, s)  the LV16 of p[0], p[s], p[2 * s], ...
 *   LMI       the signed integer type of LT's size (mask lanes)
 *   LMLOAD_AVX(p, m), LMSTORE_AVX(p, m, v)  masked 32-byte moves
 *
 * Matmul: the kernel (linalg_mm_tmpl.h) is built once per vector width.
 * Every width computes each output element with the same sequence of
 * roundings (vectors only run independent sums side by side), so which
 * width runs a column is a matter of speed only: the widest the CPU has
 * takes the leading columns, narrower ones the rest.
 */

#define LKC 256 /* k block */
#define LPK 16 /* k steps per packed panel of a gathered y (1 KB at most) */

/* Where one matmul reads and writes; see mm_plan(). */
struct LSUF(mm_geom) {
	const LT *x; /* x(r, p) = x[r * x_r + p * x_p] */
	size_t x_r, x_p;
	const LT *y; /* y(p, c) = y[p * y_p + c * y_c] */
	size_t y_p, y_c;
	LT *o; /* out(r, c) = o[r * o_r + c * o_c] */
	size_t o_r, o_c;
	size_t rows, cols;
};

#define LKUNROLL
#define LV LV16
#define LVL (int)(16 / sizeof(LT))
#define LMR 4
#define LK(x) LSUF(x##_sse2)
#define LFN
#include "linalg_mm_tmpl.h"
#undef LV
#undef LVL
#undef LMR
#undef LK
#undef LFN
#undef LGATHER

#ifdef KML_SIMD_WIDE
#define LV LV32
#define LVL (int)(32 / sizeof(LT))
#define LMR 4 /* 16 YMM registers: 8 accumulators, 2 y, products */
#define LK(x) LSUF(x##_avx)
#define LFN KML_TARGET_AVX
/* two k steps per trip: less loop overhead per 8-lane step, for a few KB */
#undef LKUNROLL
#define LKUNROLL _Pragma("GCC unroll 2")
#define LMLOAD LMLOAD_AVX /* masked tails: no scalar leftover columns */
#define LMSTORE LMSTORE_AVX
#define LPACK /* mm_packed(): wide widths only */
#include "linalg_mm_tmpl.h"
#undef LMLOAD
#undef LMSTORE
#undef LKUNROLL
#define LKUNROLL
#undef LV
#undef LVL
#undef LMR
#undef LK
#undef LFN

#define LV LV64
#define LVL (int)(64 / sizeof(LT))
#define LMR 8 /* 32 ZMM registers: 16 accumulators */
#define LK(x) LSUF(x##_avx512)
#define LFN KML_TARGET_AVX512
#include "linalg_mm_tmpl.h"
#undef LPACK
#undef LV
#undef LVL
#undef LMR
#undef LK
#undef LFN

/* Give the leading columns of g (a multiple of lanes) to *lead. */
/* clang-format off */
static void LSUF(mm_split)(struct LSUF(mm_geom) *g,
			   struct LSUF(mm_geom) *lead, size_t lanes)
/* clang-format on */
{
	size_t cols = g->cols - g->cols % lanes;

	*lead = *g;
	lead->cols = cols;
	g->y += cols * g->y_c;
	g->o += cols * g->o_c;
	g->cols -= cols;
}

/* Drop g's first cols columns (a packed run computed them). */
/* clang-format off */
static void LSUF(mm_skip)(struct LSUF(mm_geom) *g, size_t cols)
/* clang-format on */
{
	g->y += cols * g->y_c;
	g->o += cols * g->o_c;
	g->cols -= cols;
}
#endif /* KML_SIMD_WIDE */

/*
 * Map op(A) * op(B) onto x/y/out. y must be the operand that is
 * contiguous along the output's columns where one exists:
 *   A   B   : x = A rows,  y = B rows,           out = C
 *   A^T B   : x = A cols,  y = B rows,           out = C
 *   A^T B^T : x = B rows,  y = A rows (as cols), out = C^T (C = (B A)^T)
 *   A   B^T : x = A rows,  y = B rows gathered,  out = C
 */
/* clang-format off */
static void LSUF(mm_plan)(struct LSUF(mm_geom) *g, const LT *a, const LT *b,
			  LT *c, size_t m, size_t k, size_t n,
			  unsigned int flags)
/* clang-format on */
{
	bool ta = flags & KML_MM_TRANS_A, tb = flags & KML_MM_TRANS_B;

	g->o = c;
	if (ta && tb) {
		g->x = b, g->x_r = k, g->x_p = 1;
		g->y = a, g->y_p = m, g->y_c = 1;
		g->o_r = 1, g->o_c = n;
		g->rows = n, g->cols = m;
		return;
	}
	g->x = a, g->x_r = ta ? 1 : k, g->x_p = ta ? m : 1;
	g->y = b, g->y_p = tb ? 1 : n, g->y_c = tb ? k : 1;
	g->o_r = n, g->o_c = 1;
	g->rows = m, g->cols = n;
}

int LSUF(kml_matmul)(const LT *a, const LT *b, LT *c, size_t m, size_t k,
		     size_t n, unsigned int flags)
{
	struct LSUF(mm_geom) g;
	bool acc;
	size_t t;

	if (!a || !b || !c || !m || !k || !n)
		return KML_EINVAL;
	if (flags & ~(unsigned int)(KML_MM_TRANS_A | KML_MM_TRANS_B |
				    KML_MM_ACCUMULATE))
		return KML_EINVAL;
	/* every operand's byte size must be representable */
	if (!kml_size_mul(m, k, &t) || !kml_size_mul(t, sizeof(LT), &t) ||
	    !kml_size_mul(k, n, &t) || !kml_size_mul(t, sizeof(LT), &t) ||
	    !kml_size_mul(m, n, &t) || !kml_size_mul(t, sizeof(LT), &t))
		return KML_EOVERFLOW;

	LSUF(mm_plan)(&g, a, b, c, m, k, n, flags);
	acc = flags & KML_MM_ACCUMULATE;
#ifdef KML_SIMD_WIDE
	/* a strided y goes wide through packed panels */
	if (g.y_c != 1 && g.cols >= 64 / sizeof(LT) && kml_cpu_has_avx512()) {
		t = g.cols - g.cols % (64 / sizeof(LT));
		LSUF(mm_packed_avx512)(&g, t, k, acc);
		LSUF(mm_skip)(&g, t);
	}
	if (g.y_c != 1 && g.cols >= 32 / sizeof(LT) && kml_cpu_has_avx()) {
		t = g.cols - g.cols % (32 / sizeof(LT));
		LSUF(mm_packed_avx)(&g, t, k, acc);
		LSUF(mm_skip)(&g, t);
	}
	if (g.y_c == 1 && g.cols >= 64 / sizeof(LT) && kml_cpu_has_avx512()) {
		struct LSUF(mm_geom) w;

		LSUF(mm_split)(&g, &w, 64 / sizeof(LT));
		LSUF(mm_run_avx512)(&w, k, acc);
	}
	/* contiguous y and out: every column left, the last masked */
	if (g.y_c == 1 && g.o_c == 1 && g.cols && kml_cpu_has_avx()) {
		LSUF(mm_run_avx)(&g, k, acc);
		return KML_OK;
	}
	if (g.y_c == 1 && g.cols >= 32 / sizeof(LT) && kml_cpu_has_avx()) {
		struct LSUF(mm_geom) w;

		LSUF(mm_split)(&g, &w, 32 / sizeof(LT));
		LSUF(mm_run_avx)(&w, k, acc);
	}
	if (!g.cols)
		return KML_OK;
#endif
	LSUF(mm_run_sse2)(&g, k, acc);
	return KML_OK;
}

int LSUF(kml_axpy)(size_t n, LT alpha, const LT *x, LT *y)
{
	size_t i;

	if (!x || !y || !n)
		return KML_EINVAL;
	for (i = 0; i < n; i++)
		y[i] = y[i] + alpha * x[i];
	return KML_OK;
}

int LSUF(kml_dot)(size_t n, const LT *x, const LT *y, LT *out)
{
	LT s = 0;
	size_t i;

	if (!x || !y || !out || !n)
		return KML_EINVAL;
	for (i = 0; i < n; i++)
		s = s + x[i] * y[i];
	*out = s;
	return KML_OK;
}

int LSUF(kml_scale)(size_t n, LT alpha, LT *x)
{
	size_t i;

	if (!x || !n)
		return KML_EINVAL;
	for (i = 0; i < n; i++)
		x[i] = alpha * x[i];
	return KML_OK;
}

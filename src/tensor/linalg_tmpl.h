/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * linalg_tmpl.h - the body of linalg_f32.c and linalg_f64.c, written once.
 *
 * The includer defines:
 *   LT        element type (float or double)
 *   LV        16-byte GCC vector of LT, LVL its number of lanes
 *   LSUF(x)   x##_f32 or x##_f64
 *   LGATHER(p, s)  the LV of p[0], p[s], p[2 * s], ...
 *
 * Matmul strategy (portable C, 16-byte vectors, which is plain SSE2 on
 * x86-64): C is cut into tiles of LMR rows by 2 vectors of columns; a tile
 * keeps its LMR x 2 accumulators in registers for the whole k loop. One
 * operand ("y") is read as vectors along the tile's columns, the other
 * ("x") one scalar per row, broadcast. Every transpose combination maps
 * onto this by choosing which operand is y and whether the output tile is
 * stored transposed; only A * B^T must gather y from strided memory.
 * The k loop is blocked by LKC: the running sums go through C between
 * blocks, which keeps the summation order exactly p = 0..k-1.
 */

#define LMR 4 /* rows per tile */
#define LKC 256 /* k block */

typedef LT LSUF(lvu) __attribute__((vector_size(16), aligned(sizeof(LT)),
				    may_alias));

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

static __attribute__((always_inline)) inline LV
LSUF(mm_load_y)(const LT *y, size_t y_c, const bool contig)
{
	if (contig)
		return *(const LSUF(lvu) *)y;
	return LGATHER(y, y_c); /* a constructor: unpack shuffles, no inserts */
}

/*
 * One tile: mr rows (1 or LMR) by nv vectors of columns (1 or 2), starting
 * at x/y/o already offset to the tile. from_out starts the sums from the
 * output instead of zero.
 */
static __attribute__((always_inline)) inline void
LSUF(mm_tile)(const struct LSUF(mm_geom) *g, const LT *x, const LT *y, LT *o,
	      size_t kc, bool from_out, const int mr, const int nv,
	      const bool contig)
{
	const size_t x_r = g->x_r, x_p = g->x_p, y_p = g->y_p, y_c = g->y_c;
	const size_t o_r = g->o_r, o_c = g->o_c;
	LV acc[LMR][2];
	size_t p;
	int r, v, l;

#pragma GCC unroll 4
	for (r = 0; r < mr; r++) {
#pragma GCC unroll 2
		for (v = 0; v < nv; v++) {
			if (!from_out)
				acc[r][v] = (LV){ 0 };
			else if (o_c == 1)
				acc[r][v] = LSUF(mm_load_y)(o + r * o_r + v * LVL,
							    1, true);
			else
				acc[r][v] = LSUF(mm_load_y)(
					o + r * o_r + v * LVL * o_c, o_c, false);
		}
	}
	for (p = 0; p < kc; p++) {
		LV yv[2];

#pragma GCC unroll 2
		for (v = 0; v < nv; v++)
			yv[v] = LSUF(mm_load_y)(y + v * LVL * y_c, y_c, contig);
#pragma GCC unroll 4
		for (r = 0; r < mr; r++) {
			LT xs = x[r * x_r];

#pragma GCC unroll 2
			for (v = 0; v < nv; v++)
				acc[r][v] = acc[r][v] + yv[v] * xs;
		}
		x += x_p;
		y += y_p;
	}
#pragma GCC unroll 4
	for (r = 0; r < mr; r++) {
#pragma GCC unroll 2
		for (v = 0; v < nv; v++) {
			if (o_c == 1) {
				*(LSUF(lvu) *)(o + r * o_r + v * LVL) = acc[r][v];
				continue;
			}
#pragma GCC unroll 4
			for (l = 0; l < LVL; l++)
				o[r * o_r + (v * LVL + l) * o_c] = acc[r][v][l];
		}
	}
}

/* Leftover columns (fewer than one vector): plain scalar sums. */
static void LSUF(mm_scalar_col)(const struct LSUF(mm_geom) *g, const LT *x,
				const LT *y, LT *o, size_t rows, size_t kc,
				bool from_out)
{
	size_t r, p;

	for (r = 0; r < rows; r++) {
		LT s = from_out ? o[r * g->o_r] : (LT)0;
		const LT *xr = x + r * g->x_r;

		for (p = 0; p < kc; p++)
			s = s + xr[p * g->x_p] * y[p * g->y_p];
		o[r * g->o_r] = s;
	}
}

/* One k block over the whole output. */
static __attribute__((always_inline)) inline void
LSUF(mm_block)(const struct LSUF(mm_geom) *g, size_t p0, size_t kc,
	       bool from_out, const bool contig)
{
	const LT *xb = g->x + p0 * g->x_p;
	const LT *yb = g->y + p0 * g->y_p;
	size_t c = 0, r;

	for (; c + 2 * LVL <= g->cols; c += 2 * LVL) {
		const LT *y = yb + c * g->y_c;
		LT *oc = g->o + c * g->o_c;

		for (r = 0; r + LMR <= g->rows; r += LMR)
			LSUF(mm_tile)(g, xb + r * g->x_r, y, oc + r * g->o_r,
				      kc, from_out, LMR, 2, contig);
		for (; r < g->rows; r++)
			LSUF(mm_tile)(g, xb + r * g->x_r, y, oc + r * g->o_r,
				      kc, from_out, 1, 2, contig);
	}
	for (; c + LVL <= g->cols; c += LVL) {
		const LT *y = yb + c * g->y_c;
		LT *oc = g->o + c * g->o_c;

		for (r = 0; r + LMR <= g->rows; r += LMR)
			LSUF(mm_tile)(g, xb + r * g->x_r, y, oc + r * g->o_r,
				      kc, from_out, LMR, 1, contig);
		for (; r < g->rows; r++)
			LSUF(mm_tile)(g, xb + r * g->x_r, y, oc + r * g->o_r,
				      kc, from_out, 1, 1, contig);
	}
	for (; c < g->cols; c++)
		LSUF(mm_scalar_col)(g, xb, yb + c * g->y_c, g->o + c * g->o_c,
				    g->rows, kc, from_out);
}

/*
 * Map op(A) * op(B) onto x/y/out. y must be the operand that is
 * contiguous along the output's columns where one exists:
 *   A   B   : x = A rows,  y = B rows,           out = C
 *   A^T B   : x = A cols,  y = B rows,           out = C
 *   A^T B^T : x = B rows,  y = A rows (as cols), out = C^T (C = (B A)^T)
 *   A   B^T : x = A rows,  y = B rows gathered,  out = C
 */
static void LSUF(mm_plan)(struct LSUF(mm_geom) *g, const LT *a, const LT *b,
			  LT *c, size_t m, size_t k, size_t n,
			  unsigned int flags)
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
	size_t t, p0;

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
	for (p0 = 0; p0 < k; p0 += LKC) {
		size_t kc = k - p0 < LKC ? k - p0 : LKC;
		bool from_out = p0 > 0 || (flags & KML_MM_ACCUMULATE);

		if (g.y_c == 1)
			LSUF(mm_block)(&g, p0, kc, from_out, true);
		else
			LSUF(mm_block)(&g, p0, kc, from_out, false);
	}
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

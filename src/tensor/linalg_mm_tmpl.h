/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * linalg_mm_tmpl.h - the matmul kernel for one vector width; included by
 * linalg_tmpl.h once per width (16-byte SSE2, and where kml_simd.h offers
 * them 32-byte AVX and 64-byte AVX-512 compiled for that ISA only).
 *
 * The includer defines, besides LT/LSUF and struct LSUF(mm_geom):
 *   LV, LVL   the vector type and its number of lanes
 *   LMR       rows per tile (accumulators: LMR x 2 vectors in registers)
 *   LK(x)     the name of this width's functions (x##_f32_sse2, ...)
 *   LFN       the function attribute selecting the ISA (or nothing)
 *   LGATHER(p, s)  optional: a faster gather than the lane loop
 *   LKUNROLL  a pragma for the k loop of a tile, or nothing
 *   LMI, LMLOAD, LMSTORE  optional: masked moves for tail columns
 *   LPACK     defined: also build mm_packed() (panels for a strided y)
 *
 * C is cut into tiles of LMR rows by 2 vectors of columns; a tile keeps
 * its accumulators in registers for the whole k loop. One operand ("y")
 * is read as vectors along the tile's columns, the other ("x") one scalar
 * per row, broadcast. The k loop is blocked by LKC: the running sums go
 * through C between blocks, which keeps the summation order exactly
 * p = 0..k-1 whatever the width.
 */

/*
 * clang-format 14 takes the LK()/LSUF() names for calls and breaks every
 * signature and call of this template ("(struct x) * g", calls split
 * before their parenthesis): kept as written.
 */
/* clang-format off */
typedef LT LK(lvu) __attribute__((vector_size(sizeof(LV)), aligned(sizeof(LT)),
				  may_alias));

static LFN __attribute__((always_inline)) inline LV LK(mm_gather)(const LT *p,
								  size_t s)
{
#ifdef LGATHER
	return LGATHER(p, s); /* a constructor: unpack shuffles, no inserts */
#else
	LV v;
	int l;

#pragma GCC unroll 16
	for (l = 0; l < LVL; l++)
		v[l] = p[l * s];
	return v;
#endif
}

/* lanes set (all ones) for the real columns of a tail vector */
typedef LMI LK(mvec) __attribute__((vector_size(sizeof(LV))));

/*
 * Loads and stores of a tail vector: with LMLOAD/LMSTORE (masked moves,
 * which neither read nor write the lanes past the end) only the real
 * columns are touched; widths without them never build a masked tile.
 */
static LFN __attribute__((always_inline)) inline LV LK(mm_load_m)(const LT *p,
								  LK(mvec) m)
{
#ifdef LMLOAD
	return LMLOAD(p, m);
#else
	(void)m;
	return *(const LK(lvu) *)p;
#endif
}

static LFN __attribute__((always_inline)) inline void
LK(mm_store_m)(LT *p, LK(mvec) m, LV v)
{
#ifdef LMSTORE
	LMSTORE(p, m, v);
#else
	(void)m;
	*(LK(lvu) *)p = v;
#endif
}

static LFN __attribute__((always_inline)) inline LV
LK(mm_load_y)(const LT *y, size_t y_c, const bool contig)
{
	if (contig)
		return *(const LK(lvu) *)y;
	return LK(mm_gather)(y, y_c);
}

/*
 * One tile: mr rows (1 or LMR) by nv vectors of columns (1 or 2), starting
 * at x/y/o already offset to the tile. from_out starts the sums from the
 * output instead of zero.
 */
static LFN __attribute__((always_inline)) inline void
LK(mm_tile_m)(const struct LSUF(mm_geom) *g, const LT *x, const LT *y, LT *o,
	      size_t kc, bool from_out, const int mr, const int nv,
	      const bool contig, const bool masked, LK(mvec) m)
{
	const size_t x_r = g->x_r, x_p = g->x_p, y_p = g->y_p, y_c = g->y_c;
	const size_t o_r = g->o_r, o_c = g->o_c;
	LV acc[LMR][2];
	size_t p;
	int r, v, l;

#pragma GCC unroll 8
	for (r = 0; r < mr; r++) {
#pragma GCC unroll 2
		for (v = 0; v < nv; v++) {
			if (!from_out)
				acc[r][v] = (LV){ 0 };
			else if (masked && v == nv - 1)
				acc[r][v] = LK(mm_load_m)(o + r * o_r + v * LVL,
							  m);
			else if (o_c == 1)
				acc[r][v] = LK(mm_load_y)(o + r * o_r + v * LVL,
							  1, true);
			else
				acc[r][v] = LK(mm_load_y)(
					o + r * o_r + v * LVL * o_c, o_c, false);
		}
	}
	LKUNROLL
	for (p = 0; p < kc; p++) {
		LV yv[2];

#pragma GCC unroll 2
		for (v = 0; v < nv; v++)
			yv[v] = masked && v == nv - 1 ?
					LK(mm_load_m)(y + v * LVL, m) :
					LK(mm_load_y)(y + v * LVL * y_c, y_c,
						      contig);
#pragma GCC unroll 8
		for (r = 0; r < mr; r++) {
			LT xs = x[r * x_r];

#pragma GCC unroll 2
			for (v = 0; v < nv; v++)
				acc[r][v] = acc[r][v] + yv[v] * xs;
		}
		x += x_p;
		y += y_p;
	}
#pragma GCC unroll 8
	for (r = 0; r < mr; r++) {
#pragma GCC unroll 2
		for (v = 0; v < nv; v++) {
			if (masked && v == nv - 1) {
				LK(mm_store_m)(o + r * o_r + v * LVL, m,
					       acc[r][v]);
				continue;
			}
			if (o_c == 1) {
				*(LK(lvu) *)(o + r * o_r + v * LVL) = acc[r][v];
				continue;
			}
#pragma GCC unroll 16
			for (l = 0; l < LVL; l++)
				o[r * o_r + (v * LVL + l) * o_c] = acc[r][v][l];
		}
	}
}

static LFN __attribute__((always_inline)) inline void
LK(mm_tile)(const struct LSUF(mm_geom) *g, const LT *x, const LT *y, LT *o,
	    size_t kc, bool from_out, const int mr, const int nv,
	    const bool contig)
{
	LK(mm_tile_m)(g, x, y, o, kc, from_out, mr, nv, contig, false,
		      (LK(mvec)){ 0 });
}

/*
 * The last 1 .. 2 * LVL - 1 columns when y and out are contiguous along
 * them: tiles of 2 vectors (or 1), the last one masked to the real
 * columns. Each lane is still its own sum in p order.
 */
static LFN __attribute__((always_inline)) inline void
LK(mm_tail)(const struct LSUF(mm_geom) *g, const LT *xb, const LT *y, LT *oc,
	    size_t rem, size_t kc, bool from_out)
{
	LK(mvec) m;
	size_t r;
	int l;

#pragma GCC unroll 16
	for (l = 0; l < LVL; l++)
		m[l] = (size_t)l < rem % LVL ? -1 : 0;
	if (rem > LVL) {
		for (r = 0; r + LMR <= g->rows; r += LMR)
			LK(mm_tile_m)(g, xb + r * g->x_r, y, oc + r * g->o_r,
				      kc, from_out, LMR, 2, true, true, m);
		for (; r < g->rows; r++)
			LK(mm_tile_m)(g, xb + r * g->x_r, y, oc + r * g->o_r,
				      kc, from_out, 1, 2, true, true, m);
		return;
	}
	for (r = 0; r + LMR <= g->rows; r += LMR)
		LK(mm_tile_m)(g, xb + r * g->x_r, y, oc + r * g->o_r, kc,
			      from_out, LMR, 1, true, true, m);
	for (; r < g->rows; r++)
		LK(mm_tile_m)(g, xb + r * g->x_r, y, oc + r * g->o_r, kc,
			      from_out, 1, 1, true, true, m);
}

/* Leftover columns (fewer than one vector): plain scalar sums. */
static LFN void LK(mm_scalar_col)(const struct LSUF(mm_geom) *g, const LT *x,
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
static LFN __attribute__((always_inline)) inline void
LK(mm_block)(const struct LSUF(mm_geom) *g, size_t p0, size_t kc,
	     bool from_out, const bool contig)
{
	const LT *xb = g->x + p0 * g->x_p;
	const LT *yb = g->y + p0 * g->y_p;
	size_t c = 0, r;

#ifdef LMLOAD
	/* columns not a multiple of LVL: only with contiguous y and out
	 * (contig: the gathered instance does not carry this code) */
	if (contig && g->cols % LVL) {
		size_t rem = g->cols % (2 * LVL), full = g->cols - rem;

		for (; c < full; c += 2 * LVL) {
			const LT *y = yb + c;
			LT *oc = g->o + c;

			for (r = 0; r + LMR <= g->rows; r += LMR)
				LK(mm_tile)(g, xb + r * g->x_r, y,
					    oc + r * g->o_r, kc, from_out, LMR,
					    2, true);
			for (; r < g->rows; r++)
				LK(mm_tile)(g, xb + r * g->x_r, y,
					    oc + r * g->o_r, kc, from_out, 1, 2,
					    true);
		}
		LK(mm_tail)(g, xb, yb + full, g->o + full, rem, kc, from_out);
		return;
	}
#endif
	for (; c + 2 * LVL <= g->cols; c += 2 * LVL) {
		const LT *y = yb + c * g->y_c;
		LT *oc = g->o + c * g->o_c;

		for (r = 0; r + LMR <= g->rows; r += LMR)
			LK(mm_tile)(g, xb + r * g->x_r, y, oc + r * g->o_r, kc,
				    from_out, LMR, 2, contig);
		for (; r < g->rows; r++)
			LK(mm_tile)(g, xb + r * g->x_r, y, oc + r * g->o_r, kc,
				    from_out, 1, 2, contig);
	}
	for (; c + LVL <= g->cols; c += LVL) {
		const LT *y = yb + c * g->y_c;
		LT *oc = g->o + c * g->o_c;

		for (r = 0; r + LMR <= g->rows; r += LMR)
			LK(mm_tile)(g, xb + r * g->x_r, y, oc + r * g->o_r, kc,
				    from_out, LMR, 1, contig);
		for (; r < g->rows; r++)
			LK(mm_tile)(g, xb + r * g->x_r, y, oc + r * g->o_r, kc,
				    from_out, 1, 1, contig);
	}
	for (; c < g->cols; c++)
		LK(mm_scalar_col)(g, xb, yb + c * g->y_c, g->o + c * g->o_c,
				  g->rows, kc, from_out);
}

/* The whole product for g's columns, k blocks in order. */
static LFN KML_NOINLINE void LK(mm_run)(const struct LSUF(mm_geom) *g,
					size_t k, bool accumulate)
{
	size_t p0;

	for (p0 = 0; p0 < k; p0 += LKC) {
		size_t kc = k - p0 < LKC ? k - p0 : LKC;
		bool from_out = p0 > 0 || accumulate;

		if (g->y_c == 1)
			LK(mm_block)(g, p0, kc, from_out, true);
		else
			LK(mm_block)(g, p0, kc, from_out, false);
	}
}

#ifdef LPACK
/*
 * Transposes LVL x LVL elements: src row j (LVL contiguous elements at
 * src + j * s) becomes column j of dst (dst[i * LVL + j]). Each round
 * swaps the off-diagonal h x h blocks of every 2h x 2h block with
 * two-source shuffles; log2(LVL) rounds give the transpose. Moves only.
 */
static LFN __attribute__((always_inline)) inline void
LK(mm_transpose)(const LT *src, size_t s, LT *dst)
{
	LV v[LVL], a, b;
	LK(mvec) lo, hi;
	int i, h, l;

#pragma GCC unroll 16
	for (i = 0; i < LVL; i++)
		v[i] = *(const LK(lvu) *)(src + i * s);
#pragma GCC unroll 4
	for (h = LVL / 2; h >= 1; h /= 2) {
#pragma GCC unroll 16
		for (l = 0; l < LVL; l++) {
			lo[l] = l & h ? LVL + l - h : l;
			hi[l] = l & h ? LVL + l : l + h;
		}
#pragma GCC unroll 16
		for (i = 0; i < LVL; i++) {
			if (i & h)
				continue;
			a = v[i];
			b = v[i + h];
			kml_simd_shuffle2(v[i], a, b, lo, LVL);
			kml_simd_shuffle2(v[i + h], a, b, hi, LVL);
		}
	}
#pragma GCC unroll 16
	for (i = 0; i < LVL; i++)
		*(LK(lvu) *)(dst + i * LVL) = v[i];
}

/* One packed panel (LVL columns, kc <= LPK steps) for every row. */
static LFN KML_NOINLINE void LK(mm_panel)(const struct LSUF(mm_geom) *g,
					  const LT *x, LT *o, size_t kc,
					  bool from_out)
{
	size_t r = 0;

	for (; r + LMR <= g->rows; r += LMR)
		LK(mm_tile)(g, x + r * g->x_r, g->y, o + r * g->o_r, kc,
			    from_out, LMR, 1, true);
	for (; r < g->rows; r++)
		LK(mm_tile)(g, x + r * g->x_r, g->y, o + r * g->o_r, kc,
			    from_out, 1, 1, true);
}

/*
 * A B^T (y strided along the columns): copy panels of LPK k steps by LVL
 * columns into a stack buffer, y contiguous rows transposed LVL x LVL at
 * a time, and run this width's kernel on them, block after block of k in
 * order (the sums go through C between blocks, as with LKC, so each
 * output is still one sum in p order). Takes g's first cols columns.
 */
static LFN KML_NOINLINE void LK(mm_packed)(const struct LSUF(mm_geom) *g,
					   size_t cols, size_t k, bool acc)
{
	LT pack[LPK * LVL];
	struct LSUF(mm_geom) pg;
	size_t c0, p0, p, i, j;

	for (c0 = 0; c0 + LVL <= cols; c0 += LVL) {
		for (p0 = 0; p0 < k; p0 += LPK) {
			size_t kb = k - p0 < LPK ? k - p0 : LPK;
			const LT *y0 = g->y + c0 * g->y_c + p0 * g->y_p;

			i = 0;
			if (g->y_p == 1)
				for (; i + LVL <= kb; i += LVL)
					LK(mm_transpose)(y0 + i, g->y_c,
							 pack + i * LVL);
			for (j = 0; j < LVL; j++)
				for (p = i; p < kb; p++)
					pack[p * LVL + j] =
						y0[j * g->y_c + p * g->y_p];
			pg = *g;
			pg.y = pack, pg.y_p = LVL, pg.y_c = 1;
			LK(mm_panel)(&pg, g->x + p0 * g->x_p,
				     g->o + c0 * g->o_c, kb, p0 > 0 || acc);
		}
	}
}
#endif /* LPACK */
/* clang-format on */

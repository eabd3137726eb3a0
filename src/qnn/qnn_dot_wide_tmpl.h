/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qnn_dot_wide_tmpl.h - exact int8 dot products of eight weight rows
 * with AVX2 or AVX-512BW, chosen at run time by qnn.c (the MLP, with
 * qnn_layer_wide_tmpl.h) and qnn_lstm.c (the LSTM gates); user space
 * only: kmlib.ko builds both without SSE, so KML_SIMD_WIDE is not
 * defined there.
 *
 * Included with:
 *   QW(name)    name with the path's suffix
 *   QW_TARGET   KML_TARGET_AVX2 / KML_TARGET_AVX512_BW
 *   QW_L        int16 lanes per vector (16 / 32)
 *   qw_hv, qw_bv, qw_sv  int16 x QW_L, int8 x QW_L, int32 x QW_L/2
 *   QW_MADD(a, b)        VPMADDWD on them
 *   QW_WIDEN(b)          VPMOVSXBW qw_bv -> qw_hv
 *   QW_FOLD8(v)          qw_sv -> kml_v8si (lane sums, exact)
 *
 * The input row becomes x16 = x - zp once (in order, |x - zp| <= 255);
 * then eight weight rows per pass: VPMOVSXBW widens QW_L stored int8
 * weights (no int16 copy is kept), VPMADDWD multiplies them with x16 and
 * adds pairs into int32 lanes. Every partial sum is a sum of a subset of
 * the row's products, |.| <= 33025 * 255 * 128 < 2^31 (KML_QNN_MAX_WIDTH),
 * so the int32 lanes are exact and so is their total: the same integers
 * as the portable loop's, in one vector for the 8-lane output stages of
 * qnn_requant8.h.
 */

static QW_TARGET void QW(prep)(const int8_t *x, int32_t zp, uint32_t n,
			       int16_t *x16)
{
	const int16_t z = (int16_t)zp;
	qw_hv zv;
	uint32_t i;

	for (i = 0; i < QW_L; i++)
		zv[i] = z;
	for (i = 0; i + QW_L <= n; i += QW_L) {
		qw_bv b;
		qw_hv h;

		kml_memcpy(&b, x + i, sizeof(b));
		h = QW_WIDEN(b) - zv;
		kml_memcpy(x16 + i, &h, sizeof(h));
	}
	for (; i < n; i++)
		x16[i] = (int16_t)(x[i] - zp);
}

static QW_TARGET inline qw_sv QW(wmadd)(const int8_t *w, qw_hv xv)
{
	qw_bv b;

	kml_memcpy(&b, w, sizeof(b));
	return QW_MADD(QW_WIDEN(b), xv);
}

/*
 * Lanes 0..rows-1 (rows 1..8; 1..4 if !wide) = exact dot products of x16
 * with the rows at @w (stride n); lanes beyond repeat the last row (or are
 * 0 from lane 4 on if !wide). Eight rows per pass share each x16 load;
 * VPHADDD folds the accumulators into one vector of eight sums. Callers
 * pass @wide as a constant (always inlined: the unused half goes away).
 */
static QW_TARGET KML_ALWAYS_INLINE kml_v8si QW(dot)(const int16_t *x16,
						    const int8_t *w, uint32_t n,
						    uint32_t rows, bool wide)
{
	/* a chain, not an array: GCC would build an array with vectors */
	const int8_t *p0 = w, *p1 = p0 + (rows > 1 ? n : 0);
	const int8_t *p2 = p1 + (rows > 2 ? n : 0);
	const int8_t *p3 = p2 + (rows > 3 ? n : 0);
	const int8_t *p4 = p3 + (rows > 4 ? n : 0);
	const int8_t *p5 = p4 + (rows > 5 ? n : 0);
	const int8_t *p6 = p5 + (rows > 6 ? n : 0);
	const int8_t *p7 = p6 + (rows > 7 ? n : 0);
	qw_sv a0 = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 };
	qw_sv a4 = { 0 }, a5 = { 0 }, a6 = { 0 }, a7 = { 0 };
	kml_v8si h0, h1, h2, h3, t;
	size_t i, nv = n - n % QW_L;

	for (i = 0; i < nv; i += QW_L) {
		qw_hv xv;

		kml_memcpy(&xv, x16 + i, sizeof(xv));
		a0 += QW(wmadd)(p0 + i, xv);
		a1 += QW(wmadd)(p1 + i, xv);
		a2 += QW(wmadd)(p2 + i, xv);
		a3 += QW(wmadd)(p3 + i, xv);
		if (!wide)
			continue;
		a4 += QW(wmadd)(p4 + i, xv);
		a5 += QW(wmadd)(p5 + i, xv);
		a6 += QW(wmadd)(p6 + i, xv);
		a7 += QW(wmadd)(p7 + i, xv);
	}
	h0 = kml_simd_hadd_i32x8(QW_FOLD8(a0), QW_FOLD8(a1));
	h1 = kml_simd_hadd_i32x8(QW_FOLD8(a2), QW_FOLD8(a3));
	h2 = kml_simd_hadd_i32x8(QW_FOLD8(a4), QW_FOLD8(a5));
	h3 = kml_simd_hadd_i32x8(QW_FOLD8(a6), QW_FOLD8(a7));
	/* rows 0-3 in each 128-bit half, then rows 4-7 */
	h0 = kml_simd_hadd_i32x8(h0, h1);
	h2 = kml_simd_hadd_i32x8(h2, h3);
	t = __builtin_shufflevector(h0, h2, 0, 1, 2, 3, 8, 9, 10, 11) +
	    __builtin_shufflevector(h0, h2, 4, 5, 6, 7, 12, 13, 14, 15);
	if (nv < n) {
		const int8_t *p[8] = { p0, p1, p2, p3, p4, p5, p6, p7 };
		uint32_t r;

		for (r = 0; r < (wide ? 8u : 4u); r++)
			for (i = nv; i < n; i++)
				t[r] += x16[i] * p[r][i];
	}
	return t;
}

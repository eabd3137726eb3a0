/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qnn_dot_wide_tmpl.h - one int8 layer (one sample) with AVX2 or
 * AVX-512BW, chosen at run time by qnn.c (user space only: kmlib.ko
 * builds qnn.c without SSE, so KML_SIMD_WIDE is not defined there).
 *
 * Included by qnn.c with:
 *   QW(name)    name with the path's suffix
 *   QW_TARGET   KML_TARGET_AVX2 / KML_TARGET_AVX512_BW
 *   QW_L        int16 lanes per vector (16 / 32)
 *   qw_hv, qw_bv, qw_sv  int16 x QW_L, int8 x QW_L, int32 x QW_L/2
 *   QW_MADD(a, b)        VPMADDWD on them
 *   QW_WIDEN(b)          VPMOVSXBW qw_bv -> qw_hv
 *   QW_FOLD(v)           qw_sv -> kml_v4si (lane sums, exact)
 *
 * The input row becomes x16 = x - zp once (in order, |x - zp| <= 255);
 * then four weight rows per pass: VPMOVSXBW widens QW_L stored int8
 * weights (no int16 copy is kept), VPMADDWD multiplies them with x16 and
 * adds pairs into int32 lanes. Every partial sum is a sum of a subset of
 * the row's products, |.| <= 33025 * 255 * 128 < 2^31 (KML_QNN_MAX_WIDTH),
 * so the int32 lanes are exact and so is their total: the same integers
 * as the portable loop's, hence bit-identical outputs. The output stage is
 * qnn.c's (four channels at once where qnn_rq4_ok()).
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

/* out[0..rows-1] = exact dot products of x16 with rows at @w (stride n). */
static QW_TARGET inline void QW(dot)(const int16_t *x16, const int8_t *w,
				     uint32_t n, uint32_t rows, int32_t *out)
{
	const int8_t *w1 = w + n, *w2 = w1 + n, *w3 = w2 + n;
	qw_sv a0 = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 };
	uint32_t i, r, nv = n - n % QW_L;

	if (rows == 4) {
		for (i = 0; i < nv; i += QW_L) {
			qw_hv xv;

			kml_memcpy(&xv, x16 + i, sizeof(xv));
			a0 += QW(wmadd)(w + i, xv);
			a1 += QW(wmadd)(w1 + i, xv);
			a2 += QW(wmadd)(w2 + i, xv);
			a3 += QW(wmadd)(w3 + i, xv);
		}
		{
			kml_v4si t0 = QW_FOLD(a0), t1 = QW_FOLD(a1);
			kml_v4si t2 = QW_FOLD(a2), t3 = QW_FOLD(a3);

			/* transpose-and-add: the four row sums in one vector */
			t0 = __builtin_shufflevector(t0, t1, 0, 4, 1, 5) +
			     __builtin_shufflevector(t0, t1, 2, 6, 3, 7);
			t2 = __builtin_shufflevector(t2, t3, 0, 4, 1, 5) +
			     __builtin_shufflevector(t2, t3, 2, 6, 3, 7);
			t0 = __builtin_shufflevector(t0, t2, 0, 1, 4, 5) +
			     __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
			kml_memcpy(out, &t0, sizeof(t0));
		}
	} else {
		kml_v4si t;

		for (i = 0; i < nv; i += QW_L) {
			qw_hv xv;

			kml_memcpy(&xv, x16 + i, sizeof(xv));
			a0 += QW(wmadd)(w + i, xv);
		}
		t = QW_FOLD(a0);
		out[0] = t[0] + t[1] + t[2] + t[3];
	}
	for (r = 0; nv < n && r < rows; r++)
		for (i = nv; i < n; i++)
			out[r] += x16[i] * w[(size_t)r * n + i];
}

static QW_TARGET void QW(layer)(const struct kml_qnn_layer *ly,
				const int8_t *x, size_t batch, int8_t *y,
				int16_t *x16)
{
	const uint32_t n_in = ly->in, n_out = ly->out;
	size_t s;
	uint32_t o, i;

	for (s = 0; s < batch; s++, x += n_in, y += n_out) {
		const int8_t *w = ly->weight;
		int32_t acc[4];

		QW(prep)(x, ly->in_zp, n_in, x16);
		for (o = 0; o + 4 <= n_out; o += 4, w += 4 * (size_t)n_in) {
			QW(dot)(x16, w, n_in, 4, acc);
			if (out_stage4(ly, o, acc, y + o))
				continue;
			for (i = 0; i < 4; i++)
				y[o + i] = out_stage(ly, o + i, acc[i]);
		}
		for (; o < n_out; o++, w += n_in) {
			QW(dot)(x16, w, n_in, 1, acc);
			y[o] = out_stage(ly, o, acc[0]);
		}
	}
}

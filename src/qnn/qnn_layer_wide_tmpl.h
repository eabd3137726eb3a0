/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qnn_layer_wide_tmpl.h - one int8 MLP layer with AVX2 or AVX-512BW
 * (qnn.c includes it after qnn_dot_wide_tmpl.h, with the same QW_*
 * macros): eight channels per pass, their sums requantized in one vector
 * by qnn_rq8() (qnn_requant8.h: per-lane multipliers and shifts,
 * bit-exact with qnn_rq()); qnn.c's scalar out_stage() where it
 * declines. Hence the bytes of the portable loop.
 */

/* Channels o..o+rows-1 where qnn_rq8() cannot take all eight at once. */
static QW_TARGET void QW(out_rest)(const struct kml_qnn_layer *ly, uint32_t o,
				   uint32_t rows, kml_v8si t,
				   const struct qnn_rq8_k *k, int8_t *y)
{
	int32_t acc[8], b[8] = { 0 }, m[8] = { 0 }, s[8] = { 0 };
	int8_t v[8];
	uint32_t i;

	if (rows < 8) {
		/* the missing lanes get harmless parameters (mult 0) */
		for (i = 0; i < rows; i++) {
			b[i] = ly->bias[o + i];
			m[i] = ly->mult[o + i];
			s[i] = ly->shift[o + i];
		}
		if (qnn_rq8(t, b, m, s, k, v)) {
			kml_memcpy(y, v, rows);
			return;
		}
	}
	kml_memcpy(acc, &t, sizeof(acc));
	for (i = 0; i < rows; i++)
		y[i] = out_stage(ly, o + i, acc[i]);
}

/* The last n_out % 8 channels (out of line: once per layer at most). */
static QW_TARGET KML_NOINLINE void QW(tail)(const struct kml_qnn_layer *ly,
					    const int16_t *x16, uint32_t o,
					    const struct qnn_rq8_k *k,
					    int8_t *y)
{
	uint32_t rows = ly->out - o;

	const int8_t *w = ly->weight + (size_t)o * ly->in;
	kml_v8si t;

	if (rows > 4)
		t = QW(dot)(x16, w, ly->in, rows, true);
	else
		t = QW(dot)(x16, w, ly->in, rows, false);
	QW(out_rest)(ly, o, rows, t, k, y);
}

static QW_TARGET void QW(layer)(const struct kml_qnn_layer *ly, const int8_t *x,
				size_t batch, int8_t *y, int16_t *x16)
{
	const uint32_t n_in = ly->in, n_out = ly->out;
	struct qnn_rq8_k k;
	size_t s;
	uint32_t o;

	/* not one vector of inputs nor one group of eight outputs: the plain
	 * loop costs about half (2-input linear model: 316 against 563 Ir) */
	if (n_in < QW_L && n_out < 8) {
		layer_run(ly, x, batch, y, x16, false);
		return;
	}
	qnn_rq8_init(&k, ly->out_zp, ly->act_min, ly->act_max);
	for (s = 0; s < batch; s++, x += n_in, y += n_out) {
		const int8_t *w = ly->weight;

		QW(prep)(x, ly->in_zp, n_in, x16);
		for (o = 0; o + 8 <= n_out; o += 8, w += 8 * (size_t)n_in) {
			kml_v8si t = QW(dot)(x16, w, n_in, 8, true);

			if (!qnn_rq8(t, ly->bias + o, ly->mult + o,
				     ly->shift + o, &k, y + o))
				QW(out_rest)(ly, o, 8, t, &k, y + o);
		}
		if (o < n_out)
			QW(tail)(ly, x16, o, &k, y + o);
	}
}

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_ops_wide.c - the SSE2 dot products of qnn_ops (src/qnn/qnn_dot.h) at
 * widths where their int32 lanes come closest to overflowing: the int16
 * linear with every product at its maximum (x = -32768, w = -128) over
 * widths around the 1024-input flush, and the LSTM gates with
 * |x - zp| = 255 against w = -128 at the largest width. Expected values
 * come from plain int64 sums and the definitions in qnn_ops.h, written
 * here again (user space: too big for the shared cases).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kmlib/fixed.h>
#include <kmlib/qnn.h>
#include <kmlib/qnn_ops.h>

static int failed;

/* TFLite's 64-bit MultiplyByQuantizedMultiplier, as qnn_ops.h defines. */
static int32_t mbqm64(int64_t acc, int32_t mult, int32_t shift)
{
	int64_t red = mult < 0x7FFF0000 ? (mult + (1 << 15)) >> 16 : 0x7FFF;
	int tot = 15 - shift;
	int64_t lim = (int64_t)1 << 47;

	acc = acc >= lim ? lim - 1 : acc < -lim ? -lim : acc;
	return kml_sat_i32((acc * red + ((int64_t)1 << (tot - 1))) >> tot);
}

static void fc16_width(uint32_t n, int pattern)
{
	int16_t *x = malloc(n * sizeof(*x)), y[2];
	int8_t *w = malloc(2 * (size_t)n);
	const int32_t mult[2] = { 1 << 30, 1 << 30 }, shift[2] = { -31, -20 };
	struct kml_qnn_fc16 p = { .in = n,
				  .out = 2,
				  .act_min = -32768,
				  .act_max = 32767,
				  .weight = w,
				  .mult = mult,
				  .shift = shift };
	unsigned int seed = n;
	int64_t sum[2] = { 0, 0 };
	uint32_t i, o;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		x[i] = pattern ? (int16_t)(seed >> 8) : -32768;
		w[i] = pattern ? (int8_t)(seed >> 20) : -128;
		w[n + i] = pattern ? (int8_t)(seed >> 3) : -128;
	}
	for (o = 0; o < 2; o++)
		for (i = 0; i < n; i++)
			sum[o] += (int64_t)x[i] * w[(size_t)o * n + i];
	if (kml_qnn_fc_i16(&p, x, 1, y)) {
		failed = 1;
		return;
	}
	for (o = 0; o < 2; o++) {
		int32_t v = mbqm64(sum[o], mult[o], shift[o]);

		v = v < -32768 ? -32768 : v > 32767 ? 32767 : v;
		if (y[o] != v) {
			fprintf(stderr,
				"fc16 n %u pattern %d out %u: %d != %d\n", n,
				pattern, o, y[o], v);
			failed = 1;
		}
	}
	free(x);
	free(w);
}

/* One LSTM step, zero h and c, x = -128 with zp 127, weights -128. */
static void lstm_wide(void)
{
	const uint32_t n = KML_QNN_MAX_WIDTH, h = 2;
	int8_t *x = malloc(n), *wih = malloc(4 * h * (size_t)n), whh[16];
	int32_t bias[8] = { 0 }, m[8], s[8], mh[8] = { 0 }, sh[8] = { 0 };
	struct kml_qnn_lstm p = { .in = n,
				  .hidden = h,
				  .x_zp = 127,
				  .w_ih = wih,
				  .w_hh = whh,
				  .bias = bias,
				  .mult_ih = m,
				  .shift_ih = s,
				  .mult_hh = mh,
				  .shift_hh = sh };
	int8_t hs[2];
	int16_t c[2] = { 0, 0 };
	int i;

	memset(x, -128, n);
	memset(wih, -128, 4 * h * (size_t)n);
	memset(whh, 0, sizeof(whh));
	/*
	 * sum = n * 255 * 128 = 1,077,936,000 (< 2^31): z = sum * 2^-18 =
	 * 4112 (Q3.12, ~1.004) for every gate
	 */
	for (i = 0; i < 8; i++) {
		m[i] = 1 << 30;
		s[i] = -17;
	}
	if (kml_qnn_lstm_run(&p, x, 1, 1, NULL, c, hs)) {
		failed = 1;
		return;
	}
	{
		int32_t z = kml_sat_i16(kml_mul_by_qmult(
		    (int32_t)((int64_t)n * 255 * 128), 1 << 30, -17));
		int32_t ig = kml_sigmoid_q15((int16_t)z),
			g = kml_tanh_q15((int16_t)z);
		int64_t cv =
		    kml_rshift_round((int64_t)ig * g, 19, KML_ROUND_HALF_AWAY);
		int32_t t = kml_tanh_q15(kml_sat_i16(2 * cv));
		int32_t hv = kml_sat_i8(
		    kml_rshift_round((int64_t)ig * t, 23, KML_ROUND_HALF_AWAY));

		if (z != 4112 || c[0] != cv || c[1] != cv || hs[0] != hv ||
		    hs[1] != hv) {
			fprintf(stderr, "lstm: z %d c %d/%lld h %d/%d\n", z,
				c[0], (long long)cv, hs[0], hv);
			failed = 1;
		}
	}
	free(x);
	free(wih);
}

int main(void)
{
	static const uint32_t widths[] = { 15,
					   16,
					   17,
					   1023,
					   1024,
					   1025,
					   1040,
					   2048,
					   2063,
					   4100,
					   KML_QNN_MAX_WIDTH };
	size_t k;

	for (k = 0; k < sizeof(widths) / sizeof(widths[0]); k++) {
		fc16_width(widths[k], 0);
		fc16_width(widths[k], 1);
	}
	lstm_wide();
	printf("qnn_ops_wide: %s\n", failed ? "FAILED" : "ok");
	return failed;
}

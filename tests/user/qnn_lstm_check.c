// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_lstm_check.c - kml_qnn_lstm_run() on random int8 LSTMs against the
 * definition in qnn_ops.h written out here with int64 sums (widths 1..257
 * with odd hidden sizes whose 4H rows leave a group of four, with
 * and without h0; saturating biases, every shift in -31..30, extreme
 * inputs and weights): whichever path the library takes (AVX2 gates up
 * to in 256 / hidden 128, SSE2 or plain loops beyond), the bytes and cell
 * states must be the definition's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kmlib/fixed.h"
#include "kmlib/prng.h"
#include "kmlib/qnn_ops.h"

static int64_t rnd(int64_t v, unsigned int n)
{
	return kml_rshift_round(v, n, KML_ROUND_HALF_AWAY);
}

/* One step of one sample by the definition; @hp NULL: h = 0. */
static void ref_step(const struct kml_qnn_lstm *p, const int8_t *x,
		     const int8_t *hp, int16_t *c, int8_t *h)
{
	const uint32_t n = p->hidden;
	int16_t z[4];
	uint32_t k, g, i;

	for (k = 0; k < n; k++) {
		int32_t ig, fg, gg, og, t;
		int16_t cv;

		for (g = 0; g < 4; g++) {
			size_t r = (size_t)g * n + k;
			int64_t ax = 0, ah = 0;

			for (i = 0; i < p->in; i++)
				ax += (int64_t)(x[i] - p->x_zp) *
				      p->w_ih[r * p->in + i];
			for (i = 0; hp && i < n; i++)
				ah += (int64_t)hp[i] * p->w_hh[r * n + i];
			z[g] = kml_sat_i16((int64_t)kml_mul_by_qmult(
					       kml_sat_i32(ax + p->bias[r]),
					       p->mult_ih[r], p->shift_ih[r]) +
					   kml_mul_by_qmult((int32_t)ah,
							    p->mult_hh[r],
							    p->shift_hh[r]));
		}
		ig = kml_sigmoid_q15(z[0]);
		fg = kml_sigmoid_q15(z[1]);
		gg = kml_tanh_q15(z[2]);
		og = kml_sigmoid_q15(z[3]);
		cv = kml_sat_i16(rnd((int64_t)fg * c[k], 15) +
				 rnd((int64_t)ig * gg, 19));
		t = kml_tanh_q15(kml_sat_i16(2 * (int32_t)cv));
		c[k] = cv;
		h[k] = kml_sat_i8(rnd((int64_t)og * t, 23));
	}
}

static int8_t rand_i8(struct kml_prng *r, bool extreme)
{
	if (extreme)
		return kml_prng_below(r, 2) ? -128 : 127;
	return (int8_t)kml_prng_u32(r);
}

/* One random LSTM run both ways; 1 if they differ. */
static int trial(struct kml_prng *r, int t)
{
	static const uint32_t ws[] = { 1,  2,  3,  5,  15,  16,	 17,
				       31, 33, 64, 65, 128, 129, 257 };
	const uint32_t nw = sizeof(ws) / sizeof(ws[0]);
	uint32_t in = ws[kml_prng_below(r, nw)], n = ws[kml_prng_below(r, nw)];
	size_t batch = 1 + kml_prng_below(r, 2),
	       steps = 1 + kml_prng_below(r, 3);
	bool ext = t % 5 == 0, h0 = kml_prng_below(r, 2), hard = t % 3 == 0;
	struct kml_qnn_lstm p = { .in = in, .hidden = n };
	size_t rows = 4 * (size_t)n, i, nx = batch * steps * in;
	size_t nh = batch * steps * n, s, st;
	int8_t *x = malloc(nx), *hs = malloc(nh), *hr = malloc(nh);
	int8_t *hi = malloc(batch * n);
	int16_t *c = malloc(batch * n * 2), *cr = malloc(batch * n * 2);
	int bad = 0;

	p.x_zp = (int32_t)kml_prng_below(r, 256) - 128;
	p.w_ih = malloc(rows * in);
	p.w_hh = malloc(rows * n);
	p.bias = malloc(rows * 4);
	p.mult_ih = malloc(rows * 4);
	p.shift_ih = malloc(rows * 4);
	p.mult_hh = malloc(rows * 4);
	p.shift_hh = malloc(rows * 4);
	for (i = 0; i < rows * in; i++)
		p.w_ih[i] = rand_i8(r, ext);
	for (i = 0; i < rows * n; i++)
		p.w_hh[i] = rand_i8(r, ext);
	for (i = 0; i < rows; i++) {
		/* scales near the real ones (z in a few units of Q3.12) */
		p.bias[i] = (int32_t)kml_prng_u32(r) >> 16;
		p.mult_ih[i] = (int32_t)(kml_prng_u32(r) >> 2) | 1 << 30;
		p.shift_ih[i] = -8 - (int32_t)kml_prng_below(r, 6);
		p.mult_hh[i] = (int32_t)(kml_prng_u32(r) >> 2) | 1 << 30;
		p.shift_hh[i] = -4 - (int32_t)kml_prng_below(r, 6);
		if (hard && kml_prng_below(r, 3) == 0) {
			p.bias[i] =
			    kml_prng_below(r, 2)
				? INT32_MAX -
				      (int32_t)kml_prng_below(r, 1 << 20)
				: INT32_MIN +
				      (int32_t)kml_prng_below(r, 1 << 20);
			p.shift_ih[i] = -20;
		} else if (hard) {
			p.mult_ih[i] = (int32_t)(kml_prng_u32(r) >> 1);
			p.shift_ih[i] = (int32_t)kml_prng_below(r, 62) - 31;
			p.mult_hh[i] = (int32_t)(kml_prng_u32(r) >> 1);
			p.shift_hh[i] = (int32_t)kml_prng_below(r, 62) - 31;
		}
	}
	for (i = 0; i < nx; i++)
		x[i] = rand_i8(r, ext);
	for (i = 0; i < batch * n; i++) {
		hi[i] = rand_i8(r, false);
		c[i] = cr[i] = (int16_t)kml_prng_u32(r);
	}
	if (kml_qnn_lstm_run(&p, x, batch, steps, h0 ? hi : NULL, c, hs)) {
		printf("FAIL trial %d: error\n", t);
		bad = 1;
		goto out;
	}
	for (s = 0; s < batch; s++) {
		const int8_t *hp = h0 ? hi + s * n : NULL;

		for (st = 0; st < steps; st++) {
			int8_t *ht = hr + (s * steps + st) * n;

			ref_step(&p, x + (s * steps + st) * in, hp, cr + s * n,
				 ht);
			hp = ht;
		}
	}
	if (memcmp(hs, hr, nh) || memcmp(c, cr, batch * n * 2)) {
		printf(
		    "FAIL trial %d: in %u hidden %u batch %zu steps %zu%s%s\n",
		    t, in, n, batch, steps, h0 ? " h0" : "",
		    hard ? " hard" : "");
		bad = 1;
	}
out:
	free(x), free(hs), free(hr), free(hi), free(c), free(cr);
	free(p.w_ih), free(p.w_hh), free(p.bias), free(p.mult_ih);
	free(p.shift_ih), free(p.mult_hh), free(p.shift_hh);
	return bad;
}

int main(void)
{
	struct kml_prng r;
	int t, bad = 0;

	kml_prng_seed(&r, 7);
	for (t = 0; t < 400; t++)
		bad += trial(&r, t);
	printf("qnn_lstm_check: 400 random LSTMs, %d differ\n", bad);
	return bad != 0;
}

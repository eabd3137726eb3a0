// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qtrain_float.c - accuracy of fixed-point training against float: the
 * same networks, initial weights (the Q3.12 ones, exactly), data, learning
 * rate and number of SGD steps, trained in double with libm's tanh. Prints
 * both final MSEs and asserts the Q-format one is within a stated bound of
 * float's (docs/qnn.md quotes the output).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "kmlib/qtrain.h"
#include "kmlib/prng.h"

#define ONE 4096.0

struct fnet {
	int sizes[3], layers, act;
	double w[2][8 * 8], b[2][8];
};

/* forward for one sample; z and h per layer */
static double fwd(const struct fnet *n, const double *x, double z[2][8],
		  double h[2][8])
{
	const double *in = x;
	int l, o, i;

	for (l = 0; l < n->layers; l++) {
		for (o = 0; o < n->sizes[l + 1]; o++) {
			double s = n->b[l][o];

			for (i = 0; i < n->sizes[l]; i++)
				s += n->w[l][o * n->sizes[l] + i] * in[i];
			z[l][o] = s;
			h[l][o] = l + 1 < n->layers
				      ? (n->act ? tanh(s) : (s > 0 ? s : 0))
				      : s;
		}
		in = h[l];
	}
	return h[n->layers - 1][0];
}

/* One full-batch SGD step on MSE (mean over the batch); returns the MSE. */
static double fstep(struct fnet *n, const double *x, const double *t, int bn,
		    double lr)
{
	double gw[2][64] = { { 0 } }, gb[2][8] = { { 0 } }, mse = 0;
	int s, l, o, i, j;

	for (s = 0; s < bn; s++) {
		double z[2][8], h[2][8], d[2][8];
		const double *xs = x + s * n->sizes[0];
		double e = fwd(n, xs, z, h) - t[s];

		mse += e * e / bn;
		d[n->layers - 1][0] = 2 * e / bn;
		for (l = n->layers - 1; l >= 0; l--) {
			const double *in = l ? h[l - 1] : xs;

			for (o = 0; o < n->sizes[l + 1]; o++) {
				for (i = 0; i < n->sizes[l]; i++)
					gw[l][o * n->sizes[l] + i] +=
					    d[l][o] * in[i];
				gb[l][o] += d[l][o];
			}
			if (!l)
				break;
			for (j = 0; j < n->sizes[l]; j++) {
				double dh = 0;

				for (o = 0; o < n->sizes[l + 1]; o++)
					dh += d[l][o] *
					      n->w[l][o * n->sizes[l] + j];
				d[l - 1][j] =
				    n->act
					? dh * (1 - h[l - 1][j] * h[l - 1][j])
					: (z[l - 1][j] > 0 ? dh : 0);
			}
		}
	}
	for (l = 0; l < n->layers; l++) {
		for (i = 0; i < n->sizes[l] * n->sizes[l + 1]; i++)
			n->w[l][i] -= lr * gw[l][i];
		for (o = 0; o < n->sizes[l + 1]; o++)
			n->b[l][o] -= lr * gb[l][o];
	}
	return mse;
}

static int failures;

static void check(const char *what, double q, double f, double bound)
{
	int ok = q <= f + bound;

	printf("%-34s Q3.12 MSE %.3e  float64 MSE %.3e  (bound: Q <= float + "
	       "%.0e) %s\n",
	       what, q, f, bound, ok ? "ok" : "FAIL");
	failures += !ok;
}

static void xor_case(const char *what, uint32_t act, uint32_t round, int32_t lr,
		     int steps, double bound)
{
	static const int16_t xq[8] = { 0, 0, 0, 4096, 4096, 0, 4096, 4096 };
	static const int16_t tq[4] = { 0, 4096, 4096, 0 };
	static const uint32_t sizes[] = { 2, 8, 1 };
	struct kml_qtrain_cfg cfg = { .frac = 12,
				      .grad_frac = 12,
				      .lr_q15 = lr,
				      .hidden_act = act,
				      .round = round,
				      .seed = 9 };
	struct kml_mem mem;
	struct kml_qmlp *q;
	struct fnet f = { .sizes = { 2, 8, 1 }, .layers = 2, .act = (int)act };
	double x[8], t[4], fm = 0;
	int64_t se = 0;
	int16_t *w, *b;
	uint32_t l, in, out, i;
	int s;

	kml_mem_init(&mem, "qtrain_float", 0);
	if (kml_qmlp_create(&q, &mem, sizes, 2, 4, &cfg) || kml_qmlp_init(q, 3))
		exit(1);
	for (l = 0; l < 2; l++) {
		kml_qmlp_layer(q, l, &w, &b, &in, &out);
		for (i = 0; i < in * out; i++)
			f.w[l][i] = w[i] / ONE;
		for (i = 0; i < out; i++)
			f.b[l][i] = b[i] / ONE;
	}
	for (i = 0; i < 8; i++)
		x[i] = xq[i] / ONE;
	for (i = 0; i < 4; i++)
		t[i] = tq[i] / ONE;
	for (s = 0; s < steps; s++) {
		kml_qmlp_step(q, xq, tq, 4, &se);
		fm = fstep(&f, x, t, 4, lr / 32768.0);
	}
	check(what, se / 4.0 / (ONE * ONE), fm, bound);
	kml_qmlp_destroy(q);
}

static void linreg_case(const char *what, uint32_t round, uint32_t gfrac,
			double bound)
{
	static const uint32_t sizes[] = { 2, 1 };
	struct kml_qtrain_cfg cfg = { .frac = 12,
				      .grad_frac = gfrac,
				      .lr_q15 = 8192,
				      .round = round,
				      .seed = 4 };
	struct fnet f = { .sizes = { 2, 1 }, .layers = 1 };
	struct kml_mem mem;
	struct kml_qmlp *q;
	struct kml_prng r;
	int16_t xq[32], tq[16];
	double x[32], t[16], fm = 0;
	int64_t se = 0;
	int i;

	kml_prng_seed(&r, 11); /* the data of qtrain_cases.c */
	for (i = 0; i < 16; i++) {
		xq[2 * i] = (int16_t)((int32_t)kml_prng_below(&r, 8193) - 4096);
		xq[2 * i + 1] =
		    (int16_t)((int32_t)kml_prng_below(&r, 8193) - 4096);
		tq[i] = (int16_t)(2 * xq[2 * i] - 3 * xq[2 * i + 1] + 2048);
		x[2 * i] = xq[2 * i] / ONE;
		x[2 * i + 1] = xq[2 * i + 1] / ONE;
		t[i] = tq[i] / ONE;
	}
	kml_mem_init(&mem, "qtrain_float", 0);
	if (kml_qmlp_create(&q, &mem, sizes, 1, 16, &cfg))
		exit(1);
	for (i = 0; i < 200; i++) {
		kml_qmlp_step(q, xq, tq, 16, &se);
		fm = fstep(&f, x, t, 16, 0.25);
	}
	check(what, se / 16.0 / (ONE * ONE), fm, bound);
	kml_qmlp_destroy(q);
}

int main(void)
{
	/* MSEs at the 200th/300th step (before its update), same schedule */
	linreg_case("linreg 2-1, nearest, G=15", KML_QROUND_NEAREST, 15, 1e-6);
	linreg_case("linreg 2-1, stochastic, G=12", KML_QROUND_STOCHASTIC, 12,
		    1e-6);
	xor_case("xor 2-8-1 tanh, nearest", KML_QACT_TANH, KML_QROUND_NEAREST,
		 8192, 300, 1e-4);
	xor_case("xor 2-8-1 tanh, stochastic", KML_QACT_TANH,
		 KML_QROUND_STOCHASTIC, 8192, 300, 1e-3);
	xor_case("xor 2-8-1 relu, nearest", KML_QACT_RELU, KML_QROUND_NEAREST,
		 3277, 600, 1e-4);
	return failures ? 1 : 0;
}

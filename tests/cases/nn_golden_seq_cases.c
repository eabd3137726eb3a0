// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * nn_golden_seq_cases.c - convolution, pooling, layer norm, LSTM and GRU
 * against PyTorch 1.13 (an FPU suite). The vectors in
 * nn_golden_seq_data.h come from tools/gen_torch_golden_seq.py, computed
 * by torch in float32: y for an input x and parameters w, then dx and dw
 * for a random upstream gradient dy.
 * The "steps" case trains every layer kind with parameters for 3 SGD
 * steps (momentum 0.9) on the mean squared error between its flattened
 * output and dy, and compares the parameters with torch's after the same
 * steps (batch norm moves its running statistics on each training
 * forward, as torch does).
 *
 * Every case runs in both dtypes with nn_golden_cases.c's tolerance:
 * |got - want| <= 1e-5 |want| + 1e-6 (float32 differs from torch only in
 * summation order and in the last bits of exp/tanh, ~1e-7 relative; the
 * LSTM/GRU recurrences over 5-6 steps stay within a few times that).
 */
#include "../ktest.h"
#include "kmlib/nn.h"
#include "kmlib/optim.h"
#include "kmlib/kmath.h"

enum nn_gold_seq_kind {
	GS_CONV1D,
	GS_CONV2D,
	GS_POOL1D,
	GS_POOL2D,
	GS_LAYER_NORM,
	GS_LSTM,
	GS_GRU,
	GS_BATCH_NORM,
};

struct nn_gold_seq {
	const char *name;
	int kind;
	uint32_t batch, rank, dims[3]; /* per-sample input shape */
	/* conv: out, bias, kh, kw, sh, sw, ph, pw, dh, dw; pool: mode, 0,
	 * then the same window; layer norm: affine; rnn: hidden, all steps;
	 * batch norm: affine, training */
	uint32_t hp[10];
	double real; /* layer norm eps */
	const float *x, *dy, *y;
	uint32_t n_y;
	const float *dx, *w;
	uint32_t n_w;
	const float *dw;
	/* batch norm: an input of a training forward run first (for an
	 * evaluation case), and the running mean and variance at the end */
	const float *x0, *stats;
	/* the parameters after 3 SGD steps (lr 0.1, momentum 0.9) on
	 * MSE(y, dy) with mean reduction, from x and w; NULL: none */
	const float *after;
};

#include "nn_golden_seq_data.h"

#define GOLD_RTOL 1e-5
#define GOLD_ATOL 1e-6

static void put(void *dst, int dtype, const float *src, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (dtype == KML_NN_F32)
			((float *)dst)[i] = src[i];
		else
			((double *)dst)[i] = src[i];
	}
}

static void expect_close(struct kt_ctx *t, const void *got, int dtype,
			 const float *want, size_t n)
{
	size_t i;

	KT_EXPECT(t, got != NULL);
	if (!got)
		return;
	for (i = 0; i < n; i++) {
		double g = dtype == KML_NN_F32 ? ((const float *)got)[i]
					       : ((const double *)got)[i];

		KT_EXPECT_NEAR(t, g, want[i],
			       GOLD_RTOL * kml_fabs(want[i]) + GOLD_ATOL);
	}
	kt_digest(t, got, n * (dtype == KML_NN_F32 ? 4 : 8));
}

static int gs_build(struct kml_nn *net, const struct nn_gold_seq *g, int x)
{
	const uint32_t *h = g->hp;
	struct kml_nn_window w = {
		{ h[2], h[3] }, { h[4], h[5] }, { h[6], h[7] }, { h[8], h[9] }
	};

	switch (g->kind) {
	case GS_CONV1D:
		return kml_nn_conv1d(net, x, h[0], h[3], h[5], h[7], h[9],
				     h[1]);
	case GS_CONV2D:
		return kml_nn_conv2d(net, x, h[0], &w, h[1]);
	case GS_POOL1D:
		return kml_nn_pool1d(net, x, (int)h[0], h[3], h[5], h[7]);
	case GS_POOL2D:
		w.dilation[0] = w.dilation[1] = 1;
		return kml_nn_pool2d(net, x, (int)h[0], &w);
	case GS_LAYER_NORM:
		return kml_nn_layer_norm(net, x, g->real, h[0]);
	case GS_LSTM:
		return kml_nn_lstm(net, x, h[0], h[1]);
	case GS_BATCH_NORM:
		return kml_nn_batch_norm(net, x, g->real, 0.1, h[0]);
	default:
		return kml_nn_gru(net, x, h[0], h[1]);
	}
}

/* The running mean and variance (doubles) against torch's float32 ones. */
static void gs_stats(struct kt_ctx *t, struct kml_nn *net, int y,
		     const float *want)
{
	double *mean, *var;
	size_t c, i;

	KT_EXPECT_OK(
	    t, kml_nn_running_stats(net, y, (void **)&mean, (void **)&var, &c));
	if (t->failed)
		return;
	for (i = 0; i < c; i++) {
		KT_EXPECT_NEAR(t, mean[i], want[i],
			       GOLD_RTOL * kml_fabs(want[i]) + GOLD_ATOL);
		KT_EXPECT_NEAR(t, var[i], want[c + i],
			       GOLD_RTOL * kml_fabs(want[c + i]) + GOLD_ATOL);
	}
}

static void gs_run(struct kt_ctx *t, const struct nn_gold_seq *g, int dtype)
{
	struct kml_nn *net = NULL;
	size_t n, off, np, esz = dtype == KML_NN_F32 ? 4 : 8;
	void *v, *params, *grads, *seed = NULL;
	int x, y;

	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, dtype, 2));
	if (!net)
		return;
	x = kml_nn_input(net, g->dims, g->rank, KML_NN_REQUIRES_GRAD);
	y = gs_build(net, g, x);
	KT_EXPECT(t, y > x);
	KT_EXPECT_OK(t, kml_nn_prepare(net, g->batch));
	if (t->failed)
		goto out;
	KT_EXPECT_OK(t, kml_nn_node_params(net, y, &off, &np));
	KT_EXPECT_EQ(t, np, g->n_w);
	if (np) {
		KT_EXPECT_OK(t, kml_nn_params(net, &params, &grads, NULL));
		put((char *)params + off * esz, dtype, g->w, np);
	}
	KT_EXPECT_OK(t, kml_nn_value(net, x, &v, &n));
	if (g->x0) {
		put(v, dtype, g->x0, n);
		KT_EXPECT_OK(t, kml_nn_forward(net));
	}
	if (g->kind == GS_BATCH_NORM)
		KT_EXPECT_OK(t, kml_nn_set_training(net, !g->x0));
	put(v, dtype, g->x, n);
	KT_EXPECT_OK(t, kml_nn_forward(net));
	KT_EXPECT_OK(t, kml_nn_value(net, y, &v, &n));
	KT_EXPECT_EQ(t, n, g->n_y);
	if (t->failed)
		goto out;
	expect_close(t, v, dtype, g->y, n);
	/* the seed: dy converted to the dtype (backward clears the node's
	 * own gradient buffer first, so a copy of its own) */
	KT_EXPECT_OK(t, kml_alloc_array(t->mem, g->n_y, esz, 0, &seed));
	if (!seed)
		goto out;
	put(seed, dtype, g->dy, g->n_y);
	KT_EXPECT_OK(t, kml_nn_backward_seed(net, y, seed));
	KT_EXPECT_OK(t, kml_nn_grad(net, x, &v, &n));
	expect_close(t, v, dtype, g->dx, n);
	if (np)
		expect_close(t, (char *)grads + off * esz, dtype, g->dw, np);
	if (g->stats)
		gs_stats(t, net, y, g->stats);
out:
	kml_free(t->mem, seed);
	kml_nn_destroy(net);
}

/*
 * x -> layer -> flatten -> MSE(mean) against a target input holding dy;
 * 3 x (forward, backward, SGD step), then the layer's parameters.
 */
static void gs_steps(struct kt_ctx *t, const struct nn_gold_seq *g, int dtype)
{
	struct kml_optim_cfg cfg = { .kind = KML_OPTIM_SGD,
				     .lr = 0.1,
				     .momentum = 0.9 };
	struct kml_optim *opt = NULL;
	struct kml_nn *net = NULL;
	size_t n, off, np, esz = dtype == KML_NN_F32 ? 4 : 8;
	void *v, *params;
	int x, y, tg, loss, step;

	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, dtype, 5));
	if (!net)
		return;
	x = kml_nn_input(net, g->dims, g->rank, 0);
	y = gs_build(net, g, x);
	tg = kml_nn_input_vec(net, g->n_y / g->batch, 0);
	loss = kml_nn_mse(net, kml_nn_flatten(net, y), tg, KML_NN_MEAN);
	KT_EXPECT(t, loss > tg && tg > y && y > x);
	KT_EXPECT_OK(t, kml_nn_prepare(net, g->batch));
	if (t->failed)
		goto out;
	KT_EXPECT_OK(t, kml_nn_node_params(net, y, &off, &np));
	KT_EXPECT_EQ(t, np, g->n_w);
	KT_EXPECT_OK(t, kml_nn_params(net, &params, NULL, NULL));
	KT_EXPECT_OK(t, kml_optim_create(&opt, t->mem, net, &cfg));
	if (t->failed)
		goto out;
	params = (char *)params + off * esz;
	put(params, dtype, g->w, np);
	KT_EXPECT_OK(t, kml_nn_value(net, tg, &v, &n));
	put(v, dtype, g->dy, n);
	KT_EXPECT_OK(t, kml_nn_value(net, x, &v, &n));
	if (g->x0) {
		put(v, dtype, g->x0, n);
		KT_EXPECT_OK(t, kml_nn_forward_to(net, y));
	}
	if (g->kind == GS_BATCH_NORM)
		KT_EXPECT_OK(t, kml_nn_set_training(net, !g->x0));
	put(v, dtype, g->x, n);
	for (step = 0; step < 3 && !t->failed; step++) {
		KT_EXPECT_OK(t, kml_nn_forward(net));
		KT_EXPECT_OK(t, kml_nn_backward(net, loss));
		KT_EXPECT_OK(t, kml_optim_step(opt));
	}
	expect_close(t, params, dtype, g->after, np);
out:
	kml_optim_destroy(opt);
	kml_nn_destroy(net);
}

/*
 * Each run builds its net in a fresh arena over one buffer taken from
 * t->mem (arenas never reuse freed memory, and the kernel gives a case
 * one arena of the suite's size). The biggest run peaks at 12432 bytes
 * (measured; lstm_last in double).
 */
#define GS_STEP_BYTES (14 * 1024)

static void gs_steps_all(struct kt_ctx *t)
{
	struct kml_mem *outer = t->mem, sub;
	size_t i;
	int d, kinds = 0;
	void *buf;

	KT_EXPECT_OK(t, kml_alloc(outer, GS_STEP_BYTES, 0, &buf));
	if (!buf)
		return;
	for (i = 0; i < sizeof(nn_gold_seq) / sizeof(nn_gold_seq[0]); i++) {
		if (!nn_gold_seq[i].after)
			continue;
		for (d = 0; d < 2 && !t->failed; d++) {
			KT_EXPECT_OK(t, kml_mem_init_arena(&sub, "steps", buf,
							   GS_STEP_BYTES));
			t->mem = &sub;
			gs_steps(t, &nn_gold_seq[i],
				 d ? KML_NN_F64 : KML_NN_F32);
			t->mem = outer;
			KT_EXPECT_EQ(t, kml_mem_current(&sub), 0);
		}
		kinds |= 1 << nn_gold_seq[i].kind;
	}
	kml_free(outer, buf);
	/* every kind with parameters was trained */
	KT_EXPECT_EQ(t, kinds,
		     (1 << GS_CONV1D) | (1 << GS_CONV2D) |
			 (1 << GS_LAYER_NORM) | (1 << GS_LSTM) | (1 << GS_GRU) |
			 (1 << GS_BATCH_NORM));
}

static void gs_all(struct kt_ctx *t, int kind)
{
	size_t i;
	int runs = 0;

	for (i = 0; i < sizeof(nn_gold_seq) / sizeof(nn_gold_seq[0]); i++) {
		if (nn_gold_seq[i].kind != kind)
			continue;
		gs_run(t, &nn_gold_seq[i], KML_NN_F32);
		gs_run(t, &nn_gold_seq[i], KML_NN_F64);
		runs++;
	}
	KT_EXPECT(t, runs >= 1);
}

#define GS_CASE(fn, kind)                                                      \
	static void fn(struct kt_ctx *t)                                       \
	{                                                                      \
		gs_all(t, kind);                                               \
	}
GS_CASE(gs_conv1d, GS_CONV1D)
GS_CASE(gs_conv2d, GS_CONV2D)
GS_CASE(gs_pool1d, GS_POOL1D)
GS_CASE(gs_pool2d, GS_POOL2D)
GS_CASE(gs_layer_norm, GS_LAYER_NORM)
GS_CASE(gs_lstm, GS_LSTM)
GS_CASE(gs_gru, GS_GRU)
GS_CASE(gs_batch_norm, GS_BATCH_NORM)

static const struct kt_case nn_golden_seq_cases[] = {
	{ "conv1d", gs_conv1d },
	{ "conv2d", gs_conv2d },
	{ "pool1d", gs_pool1d },
	{ "pool2d", gs_pool2d },
	{ "layer_norm", gs_layer_norm },
	{ "lstm", gs_lstm },
	{ "gru", gs_gru },
	{ "batch_norm", gs_batch_norm },
	{ "steps", gs_steps_all },
};

KT_SUITE(kt_suite_nn_golden_seq, "nn_golden_seq", true, 32 * 1024,
	 nn_golden_seq_cases);

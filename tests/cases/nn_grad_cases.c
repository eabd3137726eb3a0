// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * nn_grad_cases.c - central-difference gradient checks in float64 for
 * every layer kind, every loss and compositions (an FPU suite).
 *
 * For an output y (not a loss) the objective is L = sum(y * r) with a
 * fixed random r, and backward is seeded with r; for a loss, L is the
 * loss. Every input marked REQUIRES_GRAD and every parameter is perturbed
 * by +-h and (L(+h) - L(-h)) / 2h compared with the analytic gradient:
 * |a - n| <= 1e-6 (1 + |n|). h = 1e-6: truncation error ~h^2, rounding
 * ~1e-16 |L| / h, both far below the tolerance, while a wrong gradient
 * term is off by O(0.1).
 */
#include "../ktest.h"
#include "kmlib/nn.h"
#include "kmlib/prng.h"
#include "kmlib/kmath.h"
#include "kmlib/nn_ops.h"

#define GC_H 1e-6
#define GC_TOL 1e-6
#define GC_BATCH 3

struct gc_net {
	struct kml_nn *net;
	int out;
	bool loss; /* a scalar output: L is its value */
	uint32_t classes; /* for label inputs */
};

typedef int (*gc_build_fn)(struct kml_nn *net, struct gc_net *g);

static double gc_objective(struct kt_ctx *t, struct gc_net *g, const double *r)
{
	double *y, s = 0;
	size_t n, i;

	KT_EXPECT_OK(t, kml_nn_forward_to(g->net, g->out));
	KT_EXPECT_OK(t, kml_nn_value(g->net, g->out, (void **)&y, &n));
	if (g->loss)
		return y[0];
	for (i = 0; i < n; i++)
		s += y[i] * r[i];
	return s;
}

/* Compare analytic @a[0..n) with central differences of the values @x. */
static double gc_compare(struct kt_ctx *t, struct gc_net *g, const double *r,
			 double *x, const double *a, size_t n)
{
	double sum_abs = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double keep = x[i], lp, lm, num;

		x[i] = keep + GC_H;
		lp = gc_objective(t, g, r);
		x[i] = keep - GC_H;
		lm = gc_objective(t, g, r);
		x[i] = keep;
		num = (lp - lm) / (2 * GC_H);
		KT_EXPECT_NEAR(t, a[i], num, GC_TOL * (1 + kml_fabs(num)));
		sum_abs += a[i] < 0 ? -a[i] : a[i];
	}
	return sum_abs;
}

static void gc_backward(struct kt_ctx *t, struct gc_net *g, const double *r)
{
	KT_EXPECT_OK(t, kml_nn_forward_to(g->net, g->out));
	if (g->loss)
		KT_EXPECT_OK(t, kml_nn_backward(g->net, g->out));
	else
		KT_EXPECT_OK(t, kml_nn_backward_seed(g->net, g->out, r));
}

static void gc_run(struct kt_ctx *t, gc_build_fn build, uint64_t seed)
{
	struct gc_net g = { 0 };
	struct kml_prng rng;
	double *r = NULL, *copy = NULL, *params, *grads, sum_abs = 0;
	size_t n_params, n_out, i;
	int id;

	KT_EXPECT_OK(t, kml_nn_create(&g.net, t->mem, KML_NN_F64, 16));
	if (!g.net)
		return;
	g.classes = 4;
	KT_EXPECT_OK(t, build(g.net, &g));
	if (t->failed)
		goto out;
	KT_EXPECT_OK(t, kml_nn_prepare(g.net, GC_BATCH));
	KT_EXPECT_OK(t, kml_nn_init_params(g.net, seed));
	if (t->failed)
		goto out;
	kml_prng_seed(&rng, seed + 1);
	/* inputs: values in [-1.5, 1.5), labels in [0, classes) */
	for (id = 0; id <= g.out; id++) {
		struct kml_nn_node *nd;
		void *v;
		size_t n;

		kml_nn_get_node(g.net, id, &nd);
		if (!(nd->flags & KML_NN_NODE_INPUT))
			continue;
		kml_nn_value(g.net, id, &v, &n);
		for (i = 0; i < n; i++) {
			if (nd->flags & KML_NN_NODE_LABELS)
				((int32_t *)v)[i] =
				    (int32_t)kml_prng_below(&rng, g.classes);
			else
				((double *)v)[i] =
				    3 * kml_prng_double(&rng) - 1.5;
		}
	}
	kml_nn_value(g.net, g.out, (void **)&params, &n_out);
	g.loss = n_out == 1;
	KT_EXPECT_OK(
	    t, kml_alloc_array(t->mem, n_out, sizeof(double), 0, (void **)&r));
	if (!r)
		goto out;
	for (i = 0; i < n_out; i++)
		r[i] = 2 * kml_prng_double(&rng) - 1;
	gc_backward(t, &g, r);
	KT_EXPECT_OK(t, kml_nn_params(g.net, (void **)&params, (void **)&grads,
				      &n_params));
	if (n_params) {
		KT_EXPECT_OK(t,
			     kml_alloc_array(t->mem, n_params, sizeof(double),
					     0, (void **)&copy));
		if (!copy)
			goto out;
		kml_memcpy(copy, grads, n_params * sizeof(double));
		kt_digest(t, copy, n_params * sizeof(double));
		sum_abs += gc_compare(t, &g, r, params, copy, n_params);
		kml_free(t->mem, copy);
		copy = NULL;
	}
	for (id = 0; id <= g.out; id++) {
		struct kml_nn_node *nd;
		double *x, *dx;
		size_t n;

		kml_nn_get_node(g.net, id, &nd);
		if (!(nd->flags & KML_NN_NODE_REQ_GRAD))
			continue;
		kml_nn_value(g.net, id, (void **)&x, &n);
		gc_backward(t, &g, r); /* the checks above changed values */
		kml_nn_grad(g.net, id, (void **)&dx, &n);
		KT_EXPECT_OK(t, kml_alloc_array(t->mem, n, sizeof(double), 0,
						(void **)&copy));
		if (!copy)
			goto out;
		kml_memcpy(copy, dx, n * sizeof(double));
		kt_digest(t, copy, n * sizeof(double));
		sum_abs += gc_compare(t, &g, r, x, copy, n);
		kml_free(t->mem, copy);
		copy = NULL;
	}
	/* a check of all-zero gradients would prove nothing */
	KT_EXPECT(t, sum_abs > 1e-3);
out:
	kml_free(t->mem, r);
	kml_nn_destroy(g.net);
}

/* ---- the graphs under test ------------------------------------------------
 */

/*
 * Inputs are filled in node id order, so a graph must create its nodes in
 * an order C defines: never as two node-creating arguments of one call
 * (unspecified order: GCC built the last argument first, clang the first,
 * and their digests differed). The builders below keep GCC's old order.
 */
static int gc_x(struct kml_nn *net, uint32_t size)
{
	return kml_nn_input_vec(net, size, KML_NN_REQUIRES_GRAD);
}

static int build_linear(struct kml_nn *net, struct gc_net *g)
{
	g->out = kml_nn_linear(net, gc_x(net, 4), 3, true);
	return g->out < 0 ? g->out : 0;
}

/* 3 x 10 x 10 multiply-adds: the kml_matmul path, not the small loop */
static int build_linear_matmul(struct kml_nn *net, struct gc_net *g)
{
	g->out = kml_nn_linear(net, gc_x(net, 10), 10, true);
	return g->out < 0 ? g->out : 0;
}

/* rank-2 samples: 3 x 4 rows of 10 -> 10, the matmul path with A^T
 * copied out for dx (>= 4 rows) */
static int build_linear_matmul_rows(struct kml_nn *net, struct gc_net *g)
{
	uint32_t dims[2] = { 4, 10 };

	g->out = kml_nn_linear(
	    net, kml_nn_input(net, dims, 2, KML_NN_REQUIRES_GRAD), 10, true);
	return g->out < 0 ? g->out : 0;
}

/* one output on a vector: the unrolled dot kernels (resolved at prepare) */
static int build_linear_out1(struct kml_nn *net, struct gc_net *g)
{
	g->out = kml_nn_linear(net, gc_x(net, 3), 1, true);
	return g->out < 0 ? g->out : 0;
}

static int build_linear_out1_wide(struct kml_nn *net, struct gc_net *g)
{
	g->out = kml_nn_linear(net, gc_x(net, 6), 1, false);
	return g->out < 0 ? g->out : 0;
}

static int build_linear_nobias_rank2(struct kml_nn *net, struct gc_net *g)
{
	uint32_t dims[2] = { 2, 4 }; /* the leading axis acts as more batch */

	g->out = kml_nn_linear(
	    net, kml_nn_input(net, dims, 2, KML_NN_REQUIRES_GRAD), 3, false);
	return g->out < 0 ? g->out : 0;
}

static int build_add(struct kml_nn *net, struct gc_net *g)
{
	/* second operand first: see gc_x */
	int b = gc_x(net, 5), a = gc_x(net, 5);

	g->out = kml_nn_add(net, a, b);
	return g->out < 0 ? g->out : 0;
}

static int build_concat(struct kml_nn *net, struct gc_net *g)
{
	uint32_t da[2] = { 2, 3 }, db[2] = { 2, 1 };
	int in[3];

	in[0] = kml_nn_input(net, da, 2, KML_NN_REQUIRES_GRAD);
	in[1] = kml_nn_input(net, db, 2, KML_NN_REQUIRES_GRAD);
	in[2] = kml_nn_input(net, da, 2, KML_NN_REQUIRES_GRAD);
	/* axis 1 of a 2 x k sample: interleaved rows */
	g->out = kml_nn_concat(net, in, 3, 1);
	return g->out < 0 ? g->out : 0;
}

static int build_reshape(struct kml_nn *net, struct gc_net *g)
{
	uint32_t d[2] = { 3, 2 };
	int x = kml_nn_reshape(net, gc_x(net, 6), d, 2);

	g->out = kml_nn_flatten(net, kml_nn_tanh(net, x));
	return g->out < 0 ? g->out : 0;
}

#define GC_ACT(kind)                                                           \
	static int build_##kind(struct kml_nn *net, struct gc_net *g)          \
	{                                                                      \
		g->out = kml_nn_##kind(net, gc_x(net, 5));                     \
		return g->out < 0 ? g->out : 0;                                \
	}
GC_ACT(relu)
GC_ACT(sigmoid)
GC_ACT(tanh)
GC_ACT(softmax)
GC_ACT(log_softmax)

static int build_leaky_relu(struct kml_nn *net, struct gc_net *g)
{
	g->out = kml_nn_leaky_relu(net, gc_x(net, 5), 0.2);
	return g->out < 0 ? g->out : 0;
}

/* Losses: a linear layer in front so that parameters are checked too. */
static int build_mse(struct kml_nn *net, struct gc_net *g)
{
	int p = kml_nn_linear(net, gc_x(net, 3), 2, true);

	g->out = kml_nn_mse(net, p, gc_x(net, 2), KML_NN_MEAN);
	return g->out < 0 ? g->out : 0;
}

static int build_mse_sum(struct kml_nn *net, struct gc_net *g)
{
	int t = gc_x(net, 2), p = gc_x(net, 2);

	g->out = kml_nn_mse(net, p, t, KML_NN_SUM);
	return g->out < 0 ? g->out : 0;
}

static int build_huber(struct kml_nn *net, struct gc_net *g)
{
	int t = gc_x(net, 4), p = gc_x(net, 4);

	/* delta 0.5 against differences in (-3, 3): both regimes */
	g->out = kml_nn_huber(net, p, t, 0.5, KML_NN_MEAN);
	return g->out < 0 ? g->out : 0;
}

static int build_ce(struct kml_nn *net, struct gc_net *g)
{
	int x = kml_nn_linear(net, gc_x(net, 3), 4, true);

	g->out = kml_nn_cross_entropy(net, x, kml_nn_labels(net), KML_NN_MEAN);
	return g->out < 0 ? g->out : 0;
}

static int build_ce_sum(struct kml_nn *net, struct gc_net *g)
{
	int labels = kml_nn_labels(net), x = gc_x(net, 4);

	g->out = kml_nn_cross_entropy(net, x, labels, KML_NN_SUM);
	return g->out < 0 ? g->out : 0;
}

static int build_bce(struct kml_nn *net, struct gc_net *g)
{
	int t = gc_x(net, 3), x = gc_x(net, 3);

	g->out = kml_nn_bce_logits(net, x, t, KML_NN_MEAN);
	return g->out < 0 ? g->out : 0;
}

/*
 * A DAG with branches and merges: h feeds relu, tanh and the concat, so
 * its gradient is the sum of three paths; the input feeds two layers.
 */
static int build_dag(struct kml_nn *net, struct gc_net *g)
{
	int x = gc_x(net, 3), h, a, b, c, cat[2], z, skip;

	h = kml_nn_linear(net, x, 4, true);
	a = kml_nn_relu(net, h);
	b = kml_nn_tanh(net, h);
	c = kml_nn_add(net, a, b);
	cat[0] = h;
	cat[1] = c;
	z = kml_nn_linear(net, kml_nn_concat(net, cat, 2, 0), 4, true);
	skip = kml_nn_linear(net, x, 4, false);
	z = kml_nn_add(net, z, skip);
	g->out = kml_nn_cross_entropy(net, z, kml_nn_labels(net), KML_NN_MEAN);
	return g->out < 0 ? g->out : 0;
}

/* An MLP with every activation and two losses added together. */
static int build_mlp_two_losses(struct kml_nn *net, struct gc_net *g)
{
	int x = gc_x(net, 3), h, p, l1, l2;

	h = kml_nn_sigmoid(net, kml_nn_linear(net, x, 4, true));
	h = kml_nn_leaky_relu(net, kml_nn_linear(net, h, 4, true), 0.1);
	p = kml_nn_log_softmax(net, kml_nn_linear(net, h, 3, true));
	l1 = kml_nn_mse(net, kml_nn_softmax(net, p), gc_x(net, 3), KML_NN_SUM);
	l2 = kml_nn_bce_logits(net, p, gc_x(net, 3), KML_NN_MEAN);
	g->out = kml_nn_add(net, l1, l2);
	return g->out < 0 ? g->out : 0;
}

/* ---- convolution, pooling, normalisation, recurrent layers ---- */

static int gc_in(struct kml_nn *net, uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t d[3] = { a, b, c };

	return kml_nn_input(net, d, c ? 3 : 2, KML_NN_REQUIRES_GRAD);
}

/* stride 2, padding 1, dilation 2: taps into both paddings */
static int build_conv1d(struct kml_nn *net, struct gc_net *g)
{
	g->out = kml_nn_conv1d(net, gc_in(net, 2, 7, 0), 3, 3, 2, 1, 2, true);
	return g->out < 0 ? g->out : 0;
}

static int build_conv1d_nobias(struct kml_nn *net, struct gc_net *g)
{
	g->out = kml_nn_conv1d(net, gc_in(net, 3, 5, 0), 2, 2, 1, 0, 1, false);
	return g->out < 0 ? g->out : 0;
}

static int build_conv2d(struct kml_nn *net, struct gc_net *g)
{
	struct kml_nn_window w = { { 2, 3 }, { 2, 1 }, { 1, 1 }, { 1, 2 } };

	g->out = kml_nn_conv2d(net, gc_in(net, 2, 5, 4), 2, &w, true);
	return g->out < 0 ? g->out : 0;
}

/* a conv net: conv2d, relu, max pool, flatten, linear, cross-entropy */
static int build_convnet(struct kml_nn *net, struct gc_net *g)
{
	struct kml_nn_window w = { { 3, 3 }, { 1, 1 }, { 1, 1 }, { 1, 1 } };
	struct kml_nn_window p = { { 2, 2 }, { 2, 2 }, { 0, 0 }, { 1, 1 } };
	int x = kml_nn_conv2d(net, gc_in(net, 1, 4, 4), 2, &w, true);

	x = kml_nn_pool2d(net, kml_nn_relu(net, x), KML_NN_POOL_MAX, &p);
	x = kml_nn_linear(net, kml_nn_flatten(net, x), 4, true);
	g->out = kml_nn_cross_entropy(net, x, kml_nn_labels(net), KML_NN_MEAN);
	return g->out < 0 ? g->out : 0;
}

static int build_pool2d_max(struct kml_nn *net, struct gc_net *g)
{
	struct kml_nn_window w = { { 2, 3 }, { 2, 2 }, { 1, 1 }, { 1, 1 } };

	g->out = kml_nn_pool2d(net, gc_in(net, 2, 4, 5), KML_NN_POOL_MAX, &w);
	return g->out < 0 ? g->out : 0;
}

static int build_pool2d_avg(struct kml_nn *net, struct gc_net *g)
{
	struct kml_nn_window w = { { 3, 2 }, { 1, 2 }, { 1, 1 }, { 1, 1 } };

	g->out = kml_nn_pool2d(net, gc_in(net, 2, 4, 5), KML_NN_POOL_AVG, &w);
	return g->out < 0 ? g->out : 0;
}

static int build_pool1d_max(struct kml_nn *net, struct gc_net *g)
{
	g->out =
	    kml_nn_pool1d(net, gc_in(net, 2, 7, 0), KML_NN_POOL_MAX, 3, 2, 1);
	return g->out < 0 ? g->out : 0;
}

static int build_pool1d_avg(struct kml_nn *net, struct gc_net *g)
{
	g->out =
	    kml_nn_pool1d(net, gc_in(net, 2, 7, 0), KML_NN_POOL_AVG, 3, 2, 1);
	return g->out < 0 ? g->out : 0;
}

static int build_layer_norm(struct kml_nn *net, struct gc_net *g)
{
	g->out = kml_nn_layer_norm(net, gc_in(net, 3, 5, 0), 1e-5, true);
	return g->out < 0 ? g->out : 0;
}

static int build_layer_norm_plain(struct kml_nn *net, struct gc_net *g)
{
	g->out = kml_nn_layer_norm(net, gc_x(net, 6), 1e-3, false);
	return g->out < 0 ? g->out : 0;
}

/* dropout in evaluation mode is the identity (training: nn_reg_cases.c) */
static int build_dropout_eval(struct kml_nn *net, struct gc_net *g)
{
	g->out = kml_nn_tanh(net, kml_nn_dropout(net, gc_x(net, 5), 0.5, 7));
	if (g->out >= 0)
		kml_nn_set_training(net, false);
	return g->out < 0 ? g->out : 0;
}

static int build_lstm_all(struct kml_nn *net, struct gc_net *g)
{
	g->out = kml_nn_lstm(net, gc_in(net, 4, 3, 0), 5, true);
	return g->out < 0 ? g->out : 0;
}

static int build_lstm_last(struct kml_nn *net, struct gc_net *g)
{
	int h = kml_nn_lstm(net, gc_in(net, 3, 2, 0), 4, false);

	g->out = kml_nn_mse(net, kml_nn_linear(net, h, 2, true), gc_x(net, 2),
			    KML_NN_MEAN);
	return g->out < 0 ? g->out : 0;
}

/* H = 6: in float64 the vector paths, and 18 rows = 4 blocks of 4 + 2 */
static int build_gru_all(struct kml_nn *net, struct gc_net *g)
{
	g->out = kml_nn_gru(net, gc_in(net, 4, 3, 0), 6, true);
	return g->out < 0 ? g->out : 0;
}

static int build_gru_last(struct kml_nn *net, struct gc_net *g)
{
	g->out = kml_nn_gru(net, gc_in(net, 3, 2, 0), 4, false);
	return g->out < 0 ? g->out : 0;
}

/* batch norm over the batch of 3 and 4 positions per channel */
static int build_batch_norm(struct kml_nn *net, struct gc_net *g)
{
	g->out = kml_nn_batch_norm(net, gc_in(net, 2, 4, 0), 1e-5, 0.1, true);
	return g->out < 0 ? g->out : 0;
}

/* vector samples (C = 4), no affine, in front of a loss */
static int build_batch_norm_vec(struct kml_nn *net, struct gc_net *g)
{
	int b = kml_nn_batch_norm(net, gc_x(net, 4), 1e-3, 0.5, false);

	g->out = kml_nn_mse(net, kml_nn_tanh(net, b), gc_x(net, 4), KML_NN_SUM);
	return g->out < 0 ? g->out : 0;
}

/* evaluation: the running statistics (mean 0, var 1 after prepare) */
static int build_batch_norm_eval(struct kml_nn *net, struct gc_net *g)
{
	g->out = kml_nn_batch_norm(net, gc_in(net, 2, 2, 3), 1e-5, 0.1, true);
	if (g->out >= 0)
		kml_nn_set_training(net, false);
	return g->out < 0 ? g->out : 0;
}

/* two stacked recurrent layers: the second one's dx feeds the first */
static int build_gru_lstm_stack(struct kml_nn *net, struct gc_net *g)
{
	int h = kml_nn_gru(net, gc_in(net, 3, 2, 0), 3, true);

	g->out =
	    kml_nn_lstm(net, kml_nn_layer_norm(net, h, 1e-5, true), 2, false);
	return g->out < 0 ? g->out : 0;
}

#define GC_CASE(kind, seed)                                                    \
	static void gc_##kind(struct kt_ctx *t)                                \
	{                                                                      \
		gc_run(t, build_##kind, seed);                                 \
	}
GC_CASE(linear, 1)
GC_CASE(linear_nobias_rank2, 2)
GC_CASE(linear_matmul, 20)
GC_CASE(linear_matmul_rows, 21)
GC_CASE(linear_out1, 22)
GC_CASE(linear_out1_wide, 23)
GC_CASE(add, 3)
GC_CASE(concat, 4)
GC_CASE(reshape, 5)
GC_CASE(relu, 6)
GC_CASE(leaky_relu, 7)
GC_CASE(sigmoid, 8)
GC_CASE(tanh, 9)
GC_CASE(softmax, 10)
GC_CASE(log_softmax, 11)
GC_CASE(mse, 12)
GC_CASE(mse_sum, 13)
GC_CASE(huber, 14)
GC_CASE(ce, 15)
GC_CASE(ce_sum, 16)
GC_CASE(bce, 17)
GC_CASE(dag, 18)
GC_CASE(mlp_two_losses, 19)
GC_CASE(conv1d, 30)
GC_CASE(conv1d_nobias, 31)
GC_CASE(conv2d, 32)
GC_CASE(convnet, 33)
GC_CASE(pool2d_max, 34)
GC_CASE(pool2d_avg, 35)
GC_CASE(pool1d_max, 36)
GC_CASE(pool1d_avg, 37)
GC_CASE(layer_norm, 38)
GC_CASE(layer_norm_plain, 39)
GC_CASE(dropout_eval, 40)
GC_CASE(lstm_all, 41)
GC_CASE(lstm_last, 42)
GC_CASE(gru_all, 43)
GC_CASE(gru_last, 44)
GC_CASE(gru_lstm_stack, 45)
GC_CASE(batch_norm, 46)
GC_CASE(batch_norm_vec, 47)
GC_CASE(batch_norm_eval, 48)

static const struct kt_case nn_grad_cases[] = {
	{ "linear", gc_linear },
	{ "linear_nobias_rank2", gc_linear_nobias_rank2 },
	{ "linear_matmul", gc_linear_matmul },
	{ "linear_matmul_rows", gc_linear_matmul_rows },
	{ "linear_out1", gc_linear_out1 },
	{ "linear_out1_wide", gc_linear_out1_wide },
	{ "add", gc_add },
	{ "concat", gc_concat },
	{ "reshape_flatten", gc_reshape },
	{ "relu", gc_relu },
	{ "leaky_relu", gc_leaky_relu },
	{ "sigmoid", gc_sigmoid },
	{ "tanh", gc_tanh },
	{ "softmax", gc_softmax },
	{ "log_softmax", gc_log_softmax },
	{ "mse_mean", gc_mse },
	{ "mse_sum", gc_mse_sum },
	{ "huber", gc_huber },
	{ "cross_entropy_mean", gc_ce },
	{ "cross_entropy_sum", gc_ce_sum },
	{ "bce_logits", gc_bce },
	{ "dag_branch_merge", gc_dag },
	{ "mlp_two_losses", gc_mlp_two_losses },
	{ "conv1d", gc_conv1d },
	{ "conv1d_nobias", gc_conv1d_nobias },
	{ "conv2d", gc_conv2d },
	{ "convnet", gc_convnet },
	{ "pool2d_max", gc_pool2d_max },
	{ "pool2d_avg", gc_pool2d_avg },
	{ "pool1d_max", gc_pool1d_max },
	{ "pool1d_avg", gc_pool1d_avg },
	{ "layer_norm", gc_layer_norm },
	{ "layer_norm_plain", gc_layer_norm_plain },
	{ "dropout_eval", gc_dropout_eval },
	{ "lstm_all", gc_lstm_all },
	{ "lstm_last", gc_lstm_last },
	{ "gru_all", gc_gru_all },
	{ "gru_last", gc_gru_last },
	{ "gru_lstm_stack", gc_gru_lstm_stack },
	{ "batch_norm", gc_batch_norm },
	{ "batch_norm_vec", gc_batch_norm_vec },
	{ "batch_norm_eval", gc_batch_norm_eval },
};

KT_SUITE(kt_suite_nn_grad, "nn_grad", true, 32 * 1024, nn_grad_cases);

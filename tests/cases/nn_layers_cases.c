// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * nn_layers_cases.c - convolution, pooling, dropout, layer norm, LSTM and
 * GRU beyond their gradients and golden values (an FPU suite): output
 * shapes, bad inputs and overflowing sizes, dropout's mask (reproducible,
 * inverted scaling, the train/eval switch), and recurrent nets that must
 * learn sequence tasks with zero allocations per step.
 */
#include "../ktest.h"
#include "kmlib/nn.h"
#include "kmlib/nn_ops.h"
#include "kmlib/optim.h"
#include "kmlib/prng.h"
#include "kmlib/kmath.h"

static int in2(struct kml_nn *net, uint32_t a, uint32_t b)
{
	uint32_t d[2] = { a, b };

	return kml_nn_input(net, d, 2, 0);
}

static int in3(struct kml_nn *net, uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t d[3] = { a, b, c };

	return kml_nn_input(net, d, 3, 0);
}

static void expect_shape(struct kt_ctx *t, struct kml_nn *net, int id,
			 uint32_t rank, uint32_t d0, uint32_t d1, uint32_t d2)
{
	struct kml_nn_node *n;

	KT_EXPECT(t, id >= 0);
	if (kml_nn_get_node(net, id, &n))
		return;
	KT_EXPECT_EQ(t, n->shape.rank, rank);
	KT_EXPECT_EQ(t, n->shape.dim[0], d0);
	KT_EXPECT_EQ(t, n->shape.dim[1], d1);
	if (rank > 2)
		KT_EXPECT_EQ(t, n->shape.dim[2], d2);
}

/* PyTorch's output sizes: floor((L + 2p - d (k - 1) - 1) / s) + 1. */
static void layers_shapes(struct kt_ctx *t)
{
	struct kml_nn_window w = { { 3, 2 }, { 2, 3 }, { 1, 0 }, { 2, 1 } };
	struct kml_nn_window p = { { 2, 3 }, { 2, 2 }, { 1, 1 }, { 1, 1 } };
	struct kml_nn *net = NULL;
	int x;

	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, KML_NN_F32, 16));
	if (!net)
		return;
	x = in3(net, 3, 10, 9);
	/* H: (10 + 2 - 4 - 1) / 2 + 1 = 4; W: (9 - 1 - 1) / 3 + 1 = 3 */
	expect_shape(t, net, kml_nn_conv2d(net, x, 5, &w, true), 3, 5, 4, 3);
	/* H: (10 + 2 - 2) / 2 + 1 = 6; W: (9 + 2 - 3) / 2 + 1 = 5 */
	expect_shape(t, net, kml_nn_pool2d(net, x, KML_NN_POOL_AVG, &p), 3, 3,
		     6, 5);
	x = in2(net, 4, 11);
	/* (11 + 4 - 3 * 2 - 1) / 3 + 1 = 3 */
	expect_shape(t, net, kml_nn_conv1d(net, x, 2, 3, 3, 2, 3, false), 2, 2,
		     3, 0);
	/* (11 + 2 - 4) / 1 + 1 = 10 */
	expect_shape(t, net, kml_nn_pool1d(net, x, KML_NN_POOL_MAX, 4, 1, 1), 2,
		     4, 10, 0);
	expect_shape(t, net, kml_nn_lstm(net, x, 7, true), 2, 4, 7, 0);
	expect_shape(t, net, kml_nn_gru(net, x, 6, false), 1, 6, 0, 0);
	expect_shape(t, net, kml_nn_layer_norm(net, x, 1e-5, true), 2, 4, 11,
		     0);
	expect_shape(t, net, kml_nn_batch_norm(net, x, 1e-5, 0.1, true), 2, 4,
		     11, 0);
	kml_nn_destroy(net);
}

static void layers_bad_inputs(struct kt_ctx *t)
{
	struct kml_nn_window w = { { 3, 3 }, { 1, 1 }, { 0, 0 }, { 1, 1 } };
	struct kml_nn_window bad;
	struct kml_nn *net = NULL;
	int v, s, im, big, lab;

	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, KML_NN_F64, 32));
	if (!net)
		return;
	v = kml_nn_input_vec(net, 8, 0);
	s = in2(net, 2, 8);
	im = in3(net, 2, 4, 4);
	lab = kml_nn_labels(net);
	/* wrong ranks */
	KT_EXPECT_EQ(t, kml_nn_conv2d(net, s, 2, &w, true), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_conv1d(net, im, 2, 3, 1, 0, 1, true),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_conv1d(net, v, 2, 3, 1, 0, 1, true), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_pool2d(net, v, KML_NN_POOL_MAX, &w), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_lstm(net, v, 4, true), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_gru(net, im, 4, true), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_lstm(net, lab, 4, true), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_layer_norm(net, lab, 1e-5, true), KML_EINVAL);
	/* NULL and invalid ids */
	KT_EXPECT_EQ(t, kml_nn_conv2d(net, im, 2, NULL, true), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_conv2d(NULL, im, 2, &w, true), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_pool1d(net, 99, 0, 2, 2, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_lstm(NULL, s, 4, true), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_set_training(NULL, true), KML_EINVAL);
	/* zero sizes, strides and dilations */
	KT_EXPECT_EQ(t, kml_nn_conv1d(net, s, 0, 3, 1, 0, 1, true), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_conv1d(net, s, 2, 0, 1, 0, 1, true), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_conv1d(net, s, 2, 3, 0, 0, 1, true), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_conv1d(net, s, 2, 3, 1, 0, 0, true), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_lstm(net, s, 0, true), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_gru(net, s, 0, false), KML_EINVAL);
	/* a window larger than the padded input */
	KT_EXPECT_EQ(t, kml_nn_conv1d(net, s, 2, 9, 1, 0, 1, true), KML_EDOM);
	KT_EXPECT_EQ(t, kml_nn_conv1d(net, s, 2, 3, 1, 0, 4, true), KML_EDOM);
	bad = w;
	bad.kernel[0] = 5;
	KT_EXPECT_EQ(t, kml_nn_conv2d(net, im, 2, &bad, true), KML_EDOM);
	/* pooling: unknown mode, padding over half the kernel, dilation */
	KT_EXPECT_EQ(t, kml_nn_pool1d(net, s, 2, 2, 2, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_pool1d(net, s, KML_NN_POOL_MAX, 3, 1, 2),
		     KML_EINVAL);
	bad = w;
	bad.dilation[1] = 2;
	KT_EXPECT_EQ(t, kml_nn_pool2d(net, im, KML_NN_POOL_AVG, &bad),
		     KML_EINVAL);
	/* real hyper-parameters */
	KT_EXPECT_EQ(t, kml_nn_dropout(net, v, 1.0, 1), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_dropout(net, v, -0.1, 1), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_dropout(net, v, kml_sqrt(-1.0), 1), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_dropout(net, lab, 0.5, 1), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_layer_norm(net, v, 0.0, true), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_layer_norm(net, v, -1.0, false), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_batch_norm(net, v, 0.0, 0.1, true), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_batch_norm(net, v, 1e-5, 1.5, true), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_batch_norm(net, v, 1e-5, -0.1, true),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_batch_norm(net, lab, 1e-5, 0.1, true),
		     KML_EINVAL);
	/* sizes that overflow size_t: conv parameters O C kh kw, LSTM
	 * parameters 4 H (I + H + 2) */
	big = in3(net, 65535, 65535, 65535);
	bad = w;
	bad.kernel[0] = bad.kernel[1] = 65535;
	KT_EXPECT_EQ(t, kml_nn_conv2d(net, big, 0xffffffffu, &bad, true),
		     KML_EOVERFLOW);
	big = in2(net, 1, 0xffffffffu);
	KT_EXPECT_EQ(t, kml_nn_lstm(net, big, 0xffffffffu, true),
		     KML_EOVERFLOW);
	KT_EXPECT_EQ(t, kml_nn_gru(net, big, 0xffffffffu, false),
		     KML_EOVERFLOW);
	/* nothing was added by the failed calls */
	KT_EXPECT_EQ(t, kml_nn_lstm(net, s, 3, true), big + 1);
	kml_nn_destroy(net);
}

/*
 * A net with every new kind (dropout and batch norm allocate their state
 * in prepare) under every memory cap from 64 bytes up in 16-byte steps:
 * each too-small cap fails with KML_ENOMEM at create or at prepare and
 * leaves nothing allocated; the first big enough cap succeeds.
 */
static int build_layers_capped(struct kml_mem *m, int *stage)
{
	struct kml_nn_window w = { { 2, 2 }, { 1, 1 }, { 0, 0 }, { 1, 1 } };
	struct kml_nn *net = NULL;
	int x, ret;

	*stage = 0;
	ret = kml_nn_create(&net, m, KML_NN_F32, 12);
	if (ret)
		return ret;
	x = kml_nn_conv2d(net, in3(net, 2, 3, 3), 2, &w, true);
	/* (2, 2, 2) -> (4, 2) -> (4, 1) */
	x = kml_nn_reshape(net, x, (const uint32_t[]){ 4, 2 }, 2);
	x = kml_nn_pool1d(net, x, KML_NN_POOL_MAX, 2, 1, 0);
	x = kml_nn_batch_norm(net, kml_nn_dropout(net, x, 0.2, 9), 1e-5, 0.1,
			      true);
	x = kml_nn_layer_norm(net, kml_nn_gru(net, x, 3, true), 1e-5, true);
	x = kml_nn_lstm(net, x, 2, false);
	if (x < 0) {
		ret = x;
		goto out;
	}
	*stage = 1;
	ret = kml_nn_prepare(net, 2);
out:
	kml_nn_destroy(net);
	return ret;
}

static void layers_memory_cap(struct kt_ctx *t)
{
	const size_t max = 16 * 1024;
	int fails[2] = { 0, 0 }, ret = -1, stage;
	struct kml_mem m;
	size_t cap;
	void *buf;

	KT_EXPECT_OK(t, kml_alloc(t->mem, max, 0, &buf));
	if (!buf)
		return;
	for (cap = 64; cap <= max; cap += 16) {
		KT_EXPECT_OK(t, kml_mem_init_arena(&m, "layers-cap", buf, cap));
		ret = build_layers_capped(&m, &stage);
		KT_EXPECT_EQ(t, kml_mem_current(&m), 0);
		if (!ret)
			break;
		KT_EXPECT_EQ(t, ret, KML_ENOMEM);
		fails[stage]++;
	}
	KT_EXPECT_EQ(t, ret, 0);
	KT_EXPECT(t, fails[0] > 0 && fails[1] > 2);
	kt_digest(t, &cap, sizeof(cap));
	kml_free(t->mem, buf);
}

/* A net x -> dropout(p) -> y of @n values per sample, batch 2. */
static struct kml_nn *drop_net(struct kt_ctx *t, int dtype, uint32_t n,
			       double p, uint64_t seed, int *x, int *y)
{
	struct kml_nn *net = NULL;

	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, dtype, 2));
	if (!net)
		return NULL;
	*x = kml_nn_input_vec(net, n, KML_NN_REQUIRES_GRAD);
	*y = kml_nn_dropout(net, *x, p, seed);
	KT_EXPECT_OK(t, kml_nn_prepare(net, 2));
	if (t->failed) {
		kml_nn_destroy(net);
		return NULL;
	}
	return net;
}

#define DROP_N 400

/*
 * Training: each value is zeroed or scaled by 1/(1-p) exactly as the
 * documented draw order says (one kml_prng_double() per element, dropped
 * when below p); the same seed gives the same mask in both dtypes; the
 * dropped fraction is near p; dx = dy * mask; a second forward draws a new
 * mask; evaluation mode copies.
 */
static void dropout_mask(struct kt_ctx *t)
{
	const double p = 0.3;
	struct kml_nn *nf, *nd;
	struct kml_prng r;
	float *xf, *yf, *dxf, keep = 1.0f / (float)(1 - p);
	double *xd, *yd, *seed = NULL;
	size_t i, n, dropped = 0, same = 0;
	int x, y, x2, y2;

	nf = drop_net(t, KML_NN_F32, DROP_N, p, 1234, &x, &y);
	nd = drop_net(t, KML_NN_F64, DROP_N, p, 1234, &x2, &y2);
	if (!nf || !nd)
		goto out;
	kml_nn_value(nf, x, (void **)&xf, &n);
	kml_nn_value(nd, x2, (void **)&xd, NULL);
	for (i = 0; i < n; i++)
		xd[i] = xf[i] = (float)(i % 7) - 2.5f;
	KT_EXPECT_OK(t, kml_nn_forward(nf));
	KT_EXPECT_OK(t, kml_nn_forward(nd));
	kml_nn_value(nf, y, (void **)&yf, NULL);
	kml_nn_value(nd, y2, (void **)&yd, NULL);
	kml_prng_seed(&r, 1234);
	for (i = 0; i < n; i++) {
		bool drop = kml_prng_double(&r) < p;

		KT_EXPECT(t, yf[i] == (drop ? 0.0f : xf[i] * keep));
		KT_EXPECT(t, (yd[i] == 0) == drop);
		if (!drop)
			KT_EXPECT_NEAR(t, yd[i], xd[i] / (1 - p), 1e-15);
		dropped += drop;
	}
	/* 800 Bernoulli(0.3) draws: sd 13, so +-60 is ~4.6 sd */
	KT_EXPECT(t, dropped > 180 && dropped < 300);
	kt_digest(t, yf, n * sizeof(float));
	kt_digest(t, yd, n * sizeof(double));
	/* dx = dy * mask */
	KT_EXPECT_OK(
	    t, kml_alloc_array(t->mem, n, sizeof(double), 0, (void **)&seed));
	if (!seed)
		goto out;
	for (i = 0; i < n; i++)
		((float *)seed)[i] = 1.0f + (float)(i % 3);
	KT_EXPECT_OK(t, kml_nn_backward_seed(nf, y, seed));
	kml_nn_grad(nf, x, (void **)&dxf, NULL);
	for (i = 0; i < n; i++)
		KT_EXPECT(t, dxf[i] == (yf[i] == 0
					    ? 0.0f
					    : (1.0f + (float)(i % 3)) * keep));
	/* the next forward draws the next mask */
	KT_EXPECT_OK(t, kml_nn_forward(nd));
	for (i = 0; i < n; i++) {
		bool drop = kml_prng_double(&r) < p;

		KT_EXPECT(t, (yd[i] == 0) == drop);
		same += (yd[i] == 0) == (yf[i] == 0);
	}
	KT_EXPECT(t, same < n); /* not the first mask again */
	/* evaluation: a copy, and the gradient passes unchanged */
	KT_EXPECT_OK(t, kml_nn_set_training(nf, false));
	KT_EXPECT_OK(t, kml_nn_forward(nf));
	KT_EXPECT(t, kml_memcmp(yf, xf, n * sizeof(float)) == 0);
	KT_EXPECT_OK(t, kml_nn_backward_seed(nf, y, seed));
	KT_EXPECT(t, kml_memcmp(dxf, seed, n * sizeof(float)) == 0);
	/* and back to training: masks again */
	KT_EXPECT_OK(t, kml_nn_set_training(nf, true));
	KT_EXPECT_OK(t, kml_nn_forward(nf));
	for (i = 0, dropped = 0; i < n; i++)
		dropped += yf[i] == 0;
	KT_EXPECT(t, dropped > 180 && dropped < 300);
out:
	kml_free(t->mem, seed);
	kml_nn_destroy(nf);
	kml_nn_destroy(nd);
}

/* p = 0 keeps everything, scaled by exactly 1. */
static void dropout_p0(struct kt_ctx *t)
{
	struct kml_nn *net;
	float *xv, *yv;
	size_t i, n;
	int x, y;

	net = drop_net(t, KML_NN_F32, 16, 0.0, 5, &x, &y);
	if (!net)
		return;
	kml_nn_value(net, x, (void **)&xv, &n);
	for (i = 0; i < n; i++)
		xv[i] = (float)i * 0.25f - 3;
	KT_EXPECT_OK(t, kml_nn_forward(net));
	kml_nn_value(net, y, (void **)&yv, NULL);
	KT_EXPECT(t, kml_memcmp(xv, yv, n * sizeof(float)) == 0);
	kml_nn_destroy(net);
}

/* ---- recurrent nets that learn ---- */

struct seq_trainer {
	struct kml_nn *net;
	struct kml_optim *opt;
	int x, target, logit, loss;
};

/*
 * Train @tr for @steps Adam steps on the data already in its inputs,
 * asserting that no step allocates.
 */
static void seq_train(struct kt_ctx *t, struct seq_trainer *tr, int steps)
{
	uint64_t allocs = kml_mem_alloc_count(t->mem);
	int i;

	for (i = 0; i < steps && !t->failed; i++) {
		KT_EXPECT_OK(t, kml_nn_forward(tr->net));
		KT_EXPECT_OK(t, kml_nn_backward(tr->net, tr->loss));
		KT_EXPECT_OK(t, kml_optim_step(tr->opt));
	}
	KT_EXPECT_EQ(t, kml_mem_alloc_count(t->mem), allocs);
}

#define PAR_T 4
#define PAR_N (1 << PAR_T)
#define PAR_STEPS 400

/*
 * Parity of 4 bits: an LSTM (1 -> 8, last step) and a linear read-out on
 * all 16 sequences, binary cross-entropy on the logit, Adam. Must reach
 * 100% accuracy (chance is 50%) with a small loss.
 */
static void lstm_parity(struct kt_ctx *t)
{
	uint32_t dims[2] = { PAR_T, 1 };
	struct seq_trainer tr = { 0 };
	struct kml_optim_cfg cfg;
	float *xv, *tv, *lv, *loss, *w;
	size_t nw;
	int s, k, right = 0;

	KT_EXPECT_OK(t, kml_nn_create(&tr.net, t->mem, KML_NN_F32, 8));
	if (!tr.net)
		return;
	tr.x = kml_nn_input(tr.net, dims, 2, 0);
	tr.target = kml_nn_input_vec(tr.net, 1, 0);
	tr.logit =
	    kml_nn_linear(tr.net, kml_nn_lstm(tr.net, tr.x, 8, false), 1, true);
	tr.loss = kml_nn_bce_logits(tr.net, tr.logit, tr.target, KML_NN_MEAN);
	KT_EXPECT_OK(t, kml_nn_prepare(tr.net, PAR_N));
	KT_EXPECT_OK(t, kml_nn_init_params(tr.net, 3));
	KT_EXPECT_OK(t, kml_optim_defaults(&cfg, KML_OPTIM_ADAM, 0.05));
	KT_EXPECT_OK(t, kml_optim_create(&tr.opt, t->mem, tr.net, &cfg));
	if (t->failed)
		goto out;
	kml_nn_value(tr.net, tr.x, (void **)&xv, NULL);
	kml_nn_value(tr.net, tr.target, (void **)&tv, NULL);
	for (s = 0; s < PAR_N; s++) {
		int ones = 0;

		for (k = 0; k < PAR_T; k++) {
			xv[s * PAR_T + k] = (float)((s >> k) & 1);
			ones += (s >> k) & 1;
		}
		tv[s] = (float)(ones & 1);
	}
	seq_train(t, &tr, PAR_STEPS);
	KT_EXPECT_OK(t, kml_nn_forward(tr.net));
	kml_nn_value(tr.net, tr.logit, (void **)&lv, NULL);
	kml_nn_value(tr.net, tr.loss, (void **)&loss, NULL);
	for (s = 0; s < PAR_N; s++)
		right += (lv[s] > 0) == (tv[s] > 0.5f);
	KT_EXPECT_EQ(t, right, PAR_N);
	KT_EXPECT(t, *loss < 0.05f);
	kml_nn_params(tr.net, (void **)&w, NULL, &nw);
	kt_digest(t, w, nw * sizeof(float));
out:
	kml_optim_destroy(tr.opt);
	kml_nn_destroy(tr.net);
}

#define COPY_T 8
#define COPY_N 16
#define COPY_DELAY 2
#define COPY_STEPS 150

/*
 * Delayed copy: at every step output the bit seen COPY_DELAY steps
 * earlier (0 before that), a memory task over all steps. A GRU (1 -> 6,
 * every step), a linear read-out per step, binary cross-entropy, Adam;
 * 16 random sequences of 8 bits. Must get every output bit right.
 */
static void gru_delayed_copy(struct kt_ctx *t)
{
	uint32_t dims[2] = { COPY_T, 1 };
	struct seq_trainer tr = { 0 };
	struct kml_optim_cfg cfg;
	struct kml_prng r;
	float *xv, *tv, *lv, *w;
	size_t nw;
	int s, k, right = 0;

	KT_EXPECT_OK(t, kml_nn_create(&tr.net, t->mem, KML_NN_F32, 8));
	if (!tr.net)
		return;
	tr.x = kml_nn_input(tr.net, dims, 2, 0);
	tr.target = kml_nn_input(tr.net, dims, 2, 0);
	tr.logit =
	    kml_nn_linear(tr.net, kml_nn_gru(tr.net, tr.x, 6, true), 1, true);
	tr.loss = kml_nn_bce_logits(tr.net, tr.logit, tr.target, KML_NN_MEAN);
	KT_EXPECT_OK(t, kml_nn_prepare(tr.net, COPY_N));
	KT_EXPECT_OK(t, kml_nn_init_params(tr.net, 5));
	KT_EXPECT_OK(t, kml_optim_defaults(&cfg, KML_OPTIM_ADAM, 0.05));
	KT_EXPECT_OK(t, kml_optim_create(&tr.opt, t->mem, tr.net, &cfg));
	if (t->failed)
		goto out;
	kml_nn_value(tr.net, tr.x, (void **)&xv, NULL);
	kml_nn_value(tr.net, tr.target, (void **)&tv, NULL);
	kml_prng_seed(&r, 17);
	for (s = 0; s < COPY_N; s++)
		for (k = 0; k < COPY_T; k++)
			xv[s * COPY_T + k] = (float)kml_prng_below(&r, 2);
	for (s = 0; s < COPY_N; s++)
		for (k = 0; k < COPY_T; k++)
			tv[s * COPY_T + k] =
			    k < COPY_DELAY ? 0.0f
					   : xv[s * COPY_T + k - COPY_DELAY];
	seq_train(t, &tr, COPY_STEPS);
	KT_EXPECT_OK(t, kml_nn_forward(tr.net));
	kml_nn_value(tr.net, tr.logit, (void **)&lv, NULL);
	for (s = 0; s < COPY_N * COPY_T; s++)
		right += (lv[s] > 0) == (tv[s] > 0.5f);
	KT_EXPECT_EQ(t, right, COPY_N * COPY_T);
	kml_nn_params(tr.net, (void **)&w, NULL, &nw);
	kt_digest(t, w, nw * sizeof(float));
out:
	kml_optim_destroy(tr.opt);
	kml_nn_destroy(tr.net);
}

static const struct kt_case nn_layers_cases[] = {
	{ "shapes", layers_shapes },
	{ "bad_inputs", layers_bad_inputs },
	{ "memory_cap", layers_memory_cap },
	{ "dropout_mask", dropout_mask },
	{ "dropout_p0", dropout_p0 },
	{ "lstm_parity", lstm_parity },
	{ "gru_delayed_copy", gru_delayed_copy },
};

KT_SUITE(kt_suite_nn_layers, "nn_layers", true, 96 * 1024, nn_layers_cases);

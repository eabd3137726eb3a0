// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * nn_train_cases.c - training runs that must converge (an FPU suite):
 * XOR with a 2-layer MLP, linear regression, a 3-class classifier. Each
 * also asserts that its steady-state steps allocate nothing: the
 * allocation count of the case's memory owner is the same before and
 * after the training loop (forward, backward, optimizer step).
 */
#include "../ktest.h"
#include "kmlib/nn.h"
#include "kmlib/optim.h"
#include "kmlib/prng.h"
#include "kmlib/kmath.h"

struct trainer {
	struct kml_nn *net;
	struct kml_optim *opt;
	int loss;
};

static void train_steps(struct kt_ctx *t, struct trainer *tr, int steps)
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

static float loss_of(struct trainer *tr)
{
	float *l;

	kml_nn_forward(tr->net);
	kml_nn_value(tr->net, tr->loss, (void **)&l, NULL);
	return *l;
}

static void trainer_free(struct trainer *tr)
{
	kml_optim_destroy(tr->opt);
	kml_nn_destroy(tr->net);
}

/* XOR: 2 -> 4 tanh -> 1, binary cross-entropy on the logit, Adam. */
static void train_xor(struct kt_ctx *t)
{
	static const float xs[8] = { 0, 0, 0, 1, 1, 0, 1, 1 };
	static const float ys[4] = { 0, 1, 1, 0 };
	struct trainer tr = { 0 };
	struct kml_optim_cfg cfg;
	int x, y, out, i;
	float *p, *v, first;

	KT_EXPECT_OK(t, kml_nn_create(&tr.net, t->mem, KML_NN_F32, 8));
	if (!tr.net)
		return;
	x = kml_nn_input_vec(tr.net, 2, 0);
	y = kml_nn_input_vec(tr.net, 1, 0);
	out = kml_nn_linear(
	    tr.net, kml_nn_tanh(tr.net, kml_nn_linear(tr.net, x, 4, true)), 1,
	    true);
	tr.loss = kml_nn_bce_logits(tr.net, out, y, KML_NN_MEAN);
	KT_EXPECT_OK(t, kml_nn_prepare(tr.net, 4));
	KT_EXPECT_OK(t, kml_nn_init_params(tr.net, 42));
	KT_EXPECT_OK(t, kml_optim_defaults(&cfg, KML_OPTIM_ADAM, 0.05));
	KT_EXPECT_OK(t, kml_optim_create(&tr.opt, t->mem, tr.net, &cfg));
	if (t->failed)
		goto out;
	kml_nn_value(tr.net, x, (void **)&v, NULL);
	kml_memcpy(v, xs, sizeof(xs));
	kml_nn_value(tr.net, y, (void **)&v, NULL);
	kml_memcpy(v, ys, sizeof(ys));
	first = loss_of(&tr);
	KT_EXPECT(t, first > 0.5f); /* ln 2 = 0.69 is chance level */
	train_steps(t, &tr, 300);
	KT_EXPECT(t, loss_of(&tr) < 0.02f);
	kml_nn_value(tr.net, out, (void **)&p, NULL);
	for (i = 0; i < 4; i++)
		KT_EXPECT(t, (p[i] > 0) == (ys[i] > 0.5f));
	kml_nn_params(tr.net, (void **)&p, NULL, NULL);
	kt_digest(t, p, 17 * sizeof(float));
out:
	trainer_free(&tr);
}

/* y = 2 x0 - 3 x1 + 0.5 on 16 points: linear model, MSE, SGD momentum. */
static void train_linear_regression(struct kt_ctx *t)
{
	struct trainer tr = { 0 };
	struct kml_optim_cfg cfg;
	struct kml_prng r;
	double *xv, *yv, *w;
	int x, y, out, i;

	KT_EXPECT_OK(t, kml_nn_create(&tr.net, t->mem, KML_NN_F64, 4));
	if (!tr.net)
		return;
	x = kml_nn_input_vec(tr.net, 2, 0);
	y = kml_nn_input_vec(tr.net, 1, 0);
	out = kml_nn_linear(tr.net, x, 1, true);
	tr.loss = kml_nn_mse(tr.net, out, y, KML_NN_MEAN);
	KT_EXPECT_OK(t, kml_nn_prepare(tr.net, 16));
	KT_EXPECT_OK(t, kml_nn_init_params(tr.net, 7));
	KT_EXPECT_OK(t, kml_optim_defaults(&cfg, KML_OPTIM_SGD, 0.1));
	cfg.momentum = 0.9;
	KT_EXPECT_OK(t, kml_optim_create(&tr.opt, t->mem, tr.net, &cfg));
	if (t->failed)
		goto out;
	kml_nn_value(tr.net, x, (void **)&xv, NULL);
	kml_nn_value(tr.net, y, (void **)&yv, NULL);
	kml_prng_seed(&r, 11);
	for (i = 0; i < 16; i++) {
		xv[2 * i] = 2 * kml_prng_double(&r) - 1;
		xv[2 * i + 1] = 2 * kml_prng_double(&r) - 1;
		yv[i] = 2 * xv[2 * i] - 3 * xv[2 * i + 1] + 0.5;
	}
	train_steps(t, &tr, 200);
	kml_nn_params(tr.net, (void **)&w, NULL, NULL);
	KT_EXPECT_NEAR(t, w[0], 2.0, 1e-4);
	KT_EXPECT_NEAR(t, w[1], -3.0, 1e-4);
	KT_EXPECT_NEAR(t, w[2], 0.5, 1e-4);
	kt_digest(t, w, 3 * sizeof(double));
out:
	trainer_free(&tr);
}

/*
 * Three classes of 2-D points around (1, 0), (-1, 0) and (0, 1.5), with
 * uniform noise of +-0.6: 2 -> 16 relu -> 3, cross-entropy, RMSprop, and
 * a step schedule. 48 training points; asserts >= 95% accuracy on 48
 * fresh points from the same distribution.
 */
static void blobs(struct kml_prng *r, float *x, int32_t *lab, int n)
{
	static const float cx[3] = { 1, -1, 0 }, cy[3] = { 0, 0, 1.5f };
	int i;

	for (i = 0; i < n; i++) {
		int c = (int)kml_prng_below(r, 3);

		lab[i] = c;
		x[2 * i] = cx[c] + 1.2f * kml_prng_float(r) - 0.6f;
		x[2 * i + 1] = cy[c] + 1.2f * kml_prng_float(r) - 0.6f;
	}
}

static void train_classifier(struct kt_ctx *t)
{
	struct trainer tr = { 0 };
	struct kml_optim_cfg cfg;
	struct kml_lr_sched sched;
	struct kml_prng r;
	int x, lab, logits, i, epoch, right = 0;
	float *xv, *p;
	int32_t *lv;

	KT_EXPECT_OK(t, kml_nn_create(&tr.net, t->mem, KML_NN_F32, 8));
	if (!tr.net)
		return;
	x = kml_nn_input_vec(tr.net, 2, 0);
	lab = kml_nn_labels(tr.net);
	logits = kml_nn_linear(
	    tr.net, kml_nn_relu(tr.net, kml_nn_linear(tr.net, x, 16, true)), 3,
	    true);
	tr.loss = kml_nn_cross_entropy(tr.net, logits, lab, KML_NN_MEAN);
	KT_EXPECT_OK(t, kml_nn_prepare(tr.net, 48));
	KT_EXPECT_OK(t, kml_nn_init_params(tr.net, 3));
	KT_EXPECT_OK(t, kml_optim_defaults(&cfg, KML_OPTIM_RMSPROP, 0.01));
	KT_EXPECT_OK(t, kml_optim_create(&tr.opt, t->mem, tr.net, &cfg));
	KT_EXPECT_OK(t, kml_lr_sched_step_init(&sched, 4, 0.5));
	if (t->failed)
		goto out;
	kml_nn_value(tr.net, x, (void **)&xv, NULL);
	kml_nn_value(tr.net, lab, (void **)&lv, NULL);
	kml_prng_seed(&r, 5);
	blobs(&r, xv, lv, 48);
	for (epoch = 0; epoch < 10; epoch++) {
		train_steps(t, &tr, 20);
		KT_EXPECT_OK(t, kml_lr_sched_step(&sched, tr.opt));
	}
	KT_EXPECT(t, loss_of(&tr) < 0.15f);
	/* fresh points, inference only */
	blobs(&r, xv, lv, 48);
	KT_EXPECT_OK(t, kml_nn_forward_to(tr.net, logits));
	kml_nn_value(tr.net, logits, (void **)&p, NULL);
	for (i = 0; i < 48; i++, p += 3) {
		int best = p[1] > p[0] ? 1 : 0;

		best = p[2] > p[best] ? 2 : best;
		right += best == lv[i];
	}
	KT_EXPECT(t, right >= 46);
	kml_nn_params(tr.net, (void **)&p, NULL, NULL);
	kt_digest(t, p, (16 * 2 + 16 + 3 * 16 + 3) * sizeof(float));
out:
	trainer_free(&tr);
}

static const struct kt_case nn_train_cases[] = {
	{ "xor_mlp", train_xor },
	{ "linear_regression", train_linear_regression },
	{ "classifier_3_class", train_classifier },
};

KT_SUITE(kt_suite_nn_train, "nn_train", true, 32 * 1024, nn_train_cases);

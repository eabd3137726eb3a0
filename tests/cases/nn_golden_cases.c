// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * nn_golden_cases.c - layers, losses and optimizers against PyTorch 1.13
 * (an FPU suite). The vectors in nn_golden_data.h come from
 * tools/gen_torch_golden.py, computed by torch in float32.
 *
 * Every case runs in both dtypes. Tolerance: |got - want| <= 1e-5 |want|
 * + 1e-6 for values, gradients and parameters after three optimizer
 * steps: float32 rounding differs from torch's only in summation order
 * (~1e-7 relative), and float64 is closer to the exact value than torch's
 * own float32 result by about the same amount.
 *
 * The training-step cases (nn_gold_steps) run x -> linear (with or
 * without bias) -> each loss in both reductions for 3 SGD steps (lr 0.1,
 * momentum 0.9) and compare the loss before each step and the
 * parameters after the last with torch's, same tolerance.
 */
#include "../ktest.h"
#include "kmlib/nn.h"
#include "kmlib/optim.h"
#include "kmlib/kmath.h"

enum nn_gold_kind {
	G_LINEAR,
	G_ADD,
	G_CONCAT,
	G_RELU,
	G_LEAKY_RELU,
	G_SIGMOID,
	G_TANH,
	G_SOFTMAX,
	G_LOG_SOFTMAX,
	G_MSE,
	G_HUBER,
	G_CE,
	G_BCE,
};

struct nn_gold {
	const char *name;
	int kind;
	uint32_t batch, in, out; /* out: linear features, concat total */
	uint32_t arg; /* linear: bias; losses: reduction */
	double real; /* leaky slope, Huber delta */
	const float *x, *x2;
	const int32_t *labels;
	const float *w;
	uint32_t n_w;
	const float *dy; /* upstream gradient (NULL for losses) */
	const float *y;
	uint32_t n_y;
	const float *dx, *dx2, *dw;
};

struct nn_gold_optim {
	const char *name;
	int kind;
	double lr, wd, momentum, dampening;
	int nesterov;
	double beta1, beta2, eps, alpha;
	int centered;
	double clip; /* max norm, 0 = none */
	int sched; /* 0 none, 1 StepLR, 2 ExponentialLR */
	uint32_t step_size;
	double gamma;
	const float *after; /* parameters after three steps */
	const float *losses; /* loss before each step */
};

/* x -> linear(out, bias) -> loss (G_MSE/G_HUBER/G_CE/G_BCE) */
struct nn_gold_steps {
	const char *name;
	int kind; /* the loss */
	uint32_t batch, in, out, bias, reduction;
	double real; /* Huber delta */
	const float *x, *target; /* target: NULL for cross-entropy */
	const int32_t *labels;
	const float *w; /* A (in x out) then b: KMLib's layout */
	const float *after; /* parameters after three steps */
	const float *losses; /* loss before each step */
};

#include "nn_golden_data.h"

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

static double get(const void *src, int dtype, size_t i)
{
	return dtype == KML_NN_F32 ? ((const float *)src)[i]
				   : ((const double *)src)[i];
}

static void expect_close(struct kt_ctx *t, const void *got, int dtype,
			 const float *want, size_t n)
{
	size_t i;

	KT_EXPECT(t, got != NULL);
	if (!got)
		return;
	for (i = 0; i < n; i++)
		KT_EXPECT_NEAR(t, get(got, dtype, i), want[i],
			       GOLD_RTOL * kml_fabs(want[i]) + GOLD_ATOL);
	kt_digest(t, got, n * (dtype == KML_NN_F32 ? 4 : 8));
}

/* Build the one-layer graph of @g; returns the output node. */
static int gold_build(struct kml_nn *net, const struct nn_gold *g, int *x,
		      int *x2)
{
	int in;

	*x2 = -1;
	*x = kml_nn_input_vec(net, g->in, KML_NN_REQUIRES_GRAD);
	if (g->x2)
		*x2 = kml_nn_input_vec(
		    net, g->kind == G_CONCAT ? g->out - g->in : g->in,
		    KML_NN_REQUIRES_GRAD);
	switch (g->kind) {
	case G_LINEAR:
		return kml_nn_linear(net, *x, g->out, g->arg);
	case G_ADD:
		return kml_nn_add(net, *x, *x2);
	case G_CONCAT: {
		int both[2] = { *x, *x2 };

		return kml_nn_concat(net, both, 2, 0);
	}
	case G_RELU:
		return kml_nn_relu(net, *x);
	case G_LEAKY_RELU:
		return kml_nn_leaky_relu(net, *x, g->real);
	case G_SIGMOID:
		return kml_nn_sigmoid(net, *x);
	case G_TANH:
		return kml_nn_tanh(net, *x);
	case G_SOFTMAX:
		return kml_nn_softmax(net, *x);
	case G_LOG_SOFTMAX:
		return kml_nn_log_softmax(net, *x);
	case G_MSE:
		return kml_nn_mse(net, *x, *x2, (int)g->arg);
	case G_HUBER:
		return kml_nn_huber(net, *x, *x2, g->real, (int)g->arg);
	case G_CE:
		in = kml_nn_labels(net);
		*x2 = -1;
		return kml_nn_cross_entropy(net, *x, in, (int)g->arg);
	default:
		return kml_nn_bce_logits(net, *x, *x2, (int)g->arg);
	}
}

static void gold_layer(struct kt_ctx *t, const struct nn_gold *g, int dtype)
{
	struct kml_nn *net = NULL;
	size_t n, esz = dtype == KML_NN_F32 ? 4 : 8;
	void *v, *dy = NULL, *w, *dw;
	int x, x2, out, lab;

	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, dtype, 8));
	if (!net)
		return;
	out = gold_build(net, g, &x, &x2);
	KT_EXPECT(t, out >= 0);
	KT_EXPECT_OK(t, kml_nn_prepare(net, g->batch));
	if (t->failed)
		goto done;
	kml_nn_value(net, x, &v, &n);
	put(v, dtype, g->x, n);
	if (x2 >= 0) {
		kml_nn_value(net, x2, &v, &n);
		put(v, dtype, g->x2, n);
	}
	if (g->labels) {
		lab = x + 1; /* kml_nn_labels() came right after the input */
		kml_nn_value(net, lab, &v, &n);
		kml_memcpy(v, g->labels, n * sizeof(int32_t));
	}
	if (g->w) {
		kml_nn_params(net, &w, &dw, &n);
		KT_EXPECT_EQ(t, n, g->n_w);
		put(w, dtype, g->w, g->n_w);
	}
	KT_EXPECT_OK(t, kml_nn_forward(net));
	kml_nn_value(net, out, &v, &n);
	KT_EXPECT_EQ(t, n, g->n_y);
	expect_close(t, v, dtype, g->y, g->n_y);
	if (g->dy) {
		KT_EXPECT_OK(t, kml_alloc_array(t->mem, g->n_y, esz, 0, &dy));
		if (!dy)
			goto done;
		put(dy, dtype, g->dy, g->n_y);
		KT_EXPECT_OK(t, kml_nn_backward_seed(net, out, dy));
	} else {
		KT_EXPECT_OK(t, kml_nn_backward(net, out));
	}
	kml_nn_grad(net, x, &v, &n);
	expect_close(t, v, dtype, g->dx, n);
	if (x2 >= 0) {
		kml_nn_grad(net, x2, &v, &n);
		expect_close(t, v, dtype, g->dx2, n);
	}
	if (g->w) {
		kml_nn_params(net, &w, &dw, &n);
		expect_close(t, dw, dtype, g->dw, n);
	}
done:
	kml_free(t->mem, dy);
	kml_nn_destroy(net);
}

/* x(3) -> linear(4) -> tanh -> linear(2) -> MSE(mean) with target, batch 4 */
static void gold_optim(struct kt_ctx *t, const struct nn_gold_optim *g,
		       int dtype)
{
	struct kml_optim_cfg cfg;
	struct kml_optim *opt = NULL;
	struct kml_lr_sched sched;
	struct kml_nn *net = NULL;
	int x, tg, loss, step;
	void *v, *w;
	size_t n;

	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, dtype, 8));
	if (!net)
		return;
	x = kml_nn_input_vec(net, 3, 0);
	tg = kml_nn_input_vec(net, 2, 0);
	loss = kml_nn_tanh(net, kml_nn_linear(net, x, 4, true));
	loss =
	    kml_nn_mse(net, kml_nn_linear(net, loss, 2, true), tg, KML_NN_MEAN);
	KT_EXPECT(t, loss >= 0);
	KT_EXPECT_OK(t, kml_nn_prepare(net, 4));
	if (t->failed)
		goto done;
	kml_nn_value(net, x, &v, &n);
	put(v, dtype, opt_x, n);
	kml_nn_value(net, tg, &v, &n);
	put(v, dtype, opt_t, n);
	kml_nn_params(net, &w, NULL, &n);
	KT_EXPECT_EQ(t, n, KML_ARRAY_SIZE(opt_w0));
	put(w, dtype, opt_w0, n);

	kml_optim_defaults(&cfg, g->kind, g->lr);
	cfg.weight_decay = g->wd;
	cfg.momentum = g->momentum;
	cfg.dampening = g->dampening;
	cfg.nesterov = g->nesterov;
	if (g->kind == KML_OPTIM_ADAM) {
		cfg.beta1 = g->beta1;
		cfg.beta2 = g->beta2;
	}
	if (g->eps != 0)
		cfg.eps = g->eps;
	if (g->alpha != 0)
		cfg.alpha = g->alpha;
	cfg.centered = g->centered;
	KT_EXPECT_OK(t, kml_optim_create(&opt, t->mem, net, &cfg));
	if (g->sched == 1)
		KT_EXPECT_OK(
		    t, kml_lr_sched_step_init(&sched, g->step_size, g->gamma));
	else if (g->sched == 2)
		KT_EXPECT_OK(t, kml_lr_sched_exp_init(&sched, g->gamma));
	if (t->failed)
		goto done;
	for (step = 0; step < 3; step++) {
		KT_EXPECT_OK(t, kml_nn_forward(net));
		kml_nn_value(net, loss, &v, &n);
		expect_close(t, v, dtype, &g->losses[step], 1);
		KT_EXPECT_OK(t, kml_nn_backward(net, loss));
		if (g->clip > 0)
			KT_EXPECT_OK(
			    t, kml_optim_clip_grad_norm(net, g->clip, NULL));
		KT_EXPECT_OK(t, kml_optim_step(opt));
		if (g->sched)
			KT_EXPECT_OK(t, kml_lr_sched_step(&sched, opt));
	}
	kml_nn_params(net, &w, NULL, &n);
	expect_close(t, w, dtype, g->after, n);
done:
	kml_optim_destroy(opt);
	kml_nn_destroy(net);
}

/* 3 SGD-momentum steps of x -> linear -> loss (an nn_gold_steps entry) */
static void gold_steps(struct kt_ctx *t, const struct nn_gold_steps *g,
		       int dtype)
{
	struct kml_optim_cfg cfg = { .kind = KML_OPTIM_SGD,
				     .lr = 0.1,
				     .momentum = 0.9 };
	struct kml_optim *opt = NULL;
	struct kml_nn *net = NULL;
	int x, tg, y, loss, step;
	void *v, *w;
	size_t n;

	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, dtype, 4));
	if (!net)
		return;
	x = kml_nn_input_vec(net, g->in, 0);
	tg = g->labels ? kml_nn_labels(net) : kml_nn_input_vec(net, g->out, 0);
	y = kml_nn_linear(net, x, g->out, g->bias);
	if (g->kind == G_MSE)
		loss = kml_nn_mse(net, y, tg, (int)g->reduction);
	else if (g->kind == G_HUBER)
		loss = kml_nn_huber(net, y, tg, g->real, (int)g->reduction);
	else if (g->kind == G_CE)
		loss = kml_nn_cross_entropy(net, y, tg, (int)g->reduction);
	else
		loss = kml_nn_bce_logits(net, y, tg, (int)g->reduction);
	KT_EXPECT(t, loss > y && y > tg && tg > x);
	KT_EXPECT_OK(t, kml_nn_prepare(net, g->batch));
	KT_EXPECT_OK(t, kml_optim_create(&opt, t->mem, net, &cfg));
	if (t->failed)
		goto done;
	kml_nn_value(net, x, &v, &n);
	put(v, dtype, g->x, n);
	kml_nn_value(net, tg, &v, &n);
	if (g->labels)
		kml_memcpy(v, g->labels, n * sizeof(int32_t));
	else
		put(v, dtype, g->target, n);
	kml_nn_params(net, &w, NULL, &n);
	KT_EXPECT_EQ(t, n, g->in * g->out + (g->bias ? g->out : 0));
	put(w, dtype, g->w, n);
	for (step = 0; step < 3; step++) {
		KT_EXPECT_OK(t, kml_nn_forward(net));
		kml_nn_value(net, loss, &v, &n);
		expect_close(t, v, dtype, &g->losses[step], 1);
		KT_EXPECT_OK(t, kml_nn_backward(net, loss));
		KT_EXPECT_OK(t, kml_optim_step(opt));
	}
	kml_nn_params(net, &w, NULL, &n);
	expect_close(t, w, dtype, g->after, n);
done:
	kml_optim_destroy(opt);
	kml_nn_destroy(net);
}

enum gold_set { GOLD_LAYERS, GOLD_OPTIMS, GOLD_STEPS };

/*
 * Each golden case builds its own network in a fresh arena over the same
 * buffer (taken once from t->mem): arenas never reuse freed memory, and
 * the kernel gives every case one arena of the suite's size.
 */
#define GOLD_CASE_BYTES (16 * 1024)

static void gold_each(struct kt_ctx *t, int dtype, enum gold_set set)
{
	struct kml_mem *outer = t->mem, sub;
	size_t i, n = set == GOLD_OPTIMS  ? KML_ARRAY_SIZE(nn_gold_optims)
		      : set == GOLD_STEPS ? KML_ARRAY_SIZE(nn_gold_steps)
					  : KML_ARRAY_SIZE(nn_gold_layers);
	void *buf;

	KT_EXPECT_OK(t, kml_alloc(outer, GOLD_CASE_BYTES, 0, &buf));
	if (!buf)
		return;
	for (i = 0; i < n && !t->failed; i++) {
		KT_EXPECT_OK(
		    t, kml_mem_init_arena(&sub, "gold", buf, GOLD_CASE_BYTES));
		t->mem = &sub;
		if (set == GOLD_OPTIMS)
			gold_optim(t, &nn_gold_optims[i], dtype);
		else if (set == GOLD_STEPS)
			gold_steps(t, &nn_gold_steps[i], dtype);
		else
			gold_layer(t, &nn_gold_layers[i], dtype);
		t->mem = outer;
		KT_EXPECT_EQ(t, kml_mem_current(&sub), 0);
	}
	kml_free(outer, buf);
}

static void gold_layers_f32(struct kt_ctx *t)
{
	gold_each(t, KML_NN_F32, GOLD_LAYERS);
}

static void gold_layers_f64(struct kt_ctx *t)
{
	gold_each(t, KML_NN_F64, GOLD_LAYERS);
}

static void gold_optims_f32(struct kt_ctx *t)
{
	gold_each(t, KML_NN_F32, GOLD_OPTIMS);
}

static void gold_optims_f64(struct kt_ctx *t)
{
	gold_each(t, KML_NN_F64, GOLD_OPTIMS);
}

static void gold_steps_f32(struct kt_ctx *t)
{
	gold_each(t, KML_NN_F32, GOLD_STEPS);
}

static void gold_steps_f64(struct kt_ctx *t)
{
	gold_each(t, KML_NN_F64, GOLD_STEPS);
}

static const struct kt_case nn_golden_cases[] = {
	{ "layers_losses_f32", gold_layers_f32 },
	{ "layers_losses_f64", gold_layers_f64 },
	{ "optimizers_f32", gold_optims_f32 },
	{ "optimizers_f64", gold_optims_f64 },
	{ "layer_loss_steps_f32", gold_steps_f32 },
	{ "layer_loss_steps_f64", gold_steps_f64 },
};

KT_SUITE(kt_suite_nn_golden, "nn_golden", true, 20 * 1024, nn_golden_cases);

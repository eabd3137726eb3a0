// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * nn_run_cases.c - the FPU half of the public API under bad input: run
 * calls, real-valued hyper-parameters, data-dependent errors, optimizer
 * configurations that torch.optim rejects (an FPU suite).
 */
#include "../ktest.h"
#include "kmlib/nn.h"
#include "kmlib/optim.h"
#include "kmlib/nn_ops.h"

static void run_bad_calls(struct kt_ctx *t)
{
	struct kml_nn *net = NULL;
	int x, lab, logits, loss;
	float dy[2 * 3] = { 0 }, *v;
	int32_t *lv;

	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, KML_NN_F32, 8));
	if (!net)
		return;
	x = kml_nn_input_vec(net, 3, 0);
	lab = kml_nn_labels(net);
	KT_EXPECT_EQ(t, kml_nn_leaky_relu(net, x, 0.0 / 0.0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_huber(net, x, x, 0.0, KML_NN_MEAN), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_huber(net, x, x, -1.0, KML_NN_MEAN), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_huber(net, x, x, 1.0, 3), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_huber(net, x, lab, 1.0, KML_NN_SUM), KML_EINVAL);
	logits = kml_nn_leaky_relu(net, x, 0.01);
	loss = kml_nn_cross_entropy(net, logits, lab, KML_NN_SUM);
	KT_EXPECT(t, loss >= 0);
	/* nothing runs before prepare */
	KT_EXPECT_EQ(t, kml_nn_forward(net), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_backward(net, loss), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_init_params(net, 1), KML_EINVAL);
	KT_EXPECT_OK(t, kml_nn_prepare(net, 2));
	KT_EXPECT_EQ(t, kml_nn_forward(NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_forward_to(net, 9), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_backward(NULL, loss), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_backward(net, logits),
		     KML_EINVAL); /* not scalar */
	KT_EXPECT_EQ(t, kml_nn_backward(net, x), KML_EINVAL); /* no gradient */
	KT_EXPECT_EQ(t, kml_nn_backward_seed(net, logits, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_backward_seed(net, 42, dy), KML_EINVAL);
	/* labels outside [0, 3): a status, not a crash */
	kml_nn_value(net, x, (void **)&v, NULL);
	v[0] = 1;
	kml_nn_value(net, lab, (void **)&lv, NULL);
	lv[0] = 0;
	lv[1] = 3;
	KT_EXPECT_EQ(t, kml_nn_forward(net), KML_ERANGE);
	lv[1] = -1;
	KT_EXPECT_EQ(t, kml_nn_forward(net), KML_ERANGE);
	lv[1] = 2;
	KT_EXPECT_OK(t, kml_nn_forward(net));
	/* no parameter and no REQUIRES_GRAD input below: no gradient */
	KT_EXPECT_EQ(t, kml_nn_backward_seed(net, logits, dy), KML_EINVAL);
	kml_nn_destroy(net);
}

/* Logits of 1e4 (float): loss and gradient stay finite and exact. */
static void run_ce_large_logits(struct kt_ctx *t)
{
	struct kml_nn *net = NULL;
	int x, lab, loss;
	float *v, *g;
	int32_t *lv;

	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, KML_NN_F32, 4));
	if (!net)
		return;
	x = kml_nn_input_vec(net, 2, KML_NN_REQUIRES_GRAD);
	lab = kml_nn_labels(net);
	loss = kml_nn_cross_entropy(net, x, lab, KML_NN_MEAN);
	KT_EXPECT_OK(t, kml_nn_prepare(net, 1));
	if (t->failed)
		goto out;
	kml_nn_value(net, x, (void **)&v, NULL);
	v[0] = 1e4f;
	v[1] = -1e4f;
	kml_nn_value(net, lab, (void **)&lv, NULL);
	lv[0] = 1;
	KT_EXPECT_OK(t, kml_nn_forward(net));
	KT_EXPECT_OK(t, kml_nn_backward(net, loss));
	kml_nn_value(net, loss, (void **)&v, NULL);
	kml_nn_grad(net, x, (void **)&g, NULL);
	/* -log softmax = 2e4 exactly; d/dx = (1, -1) */
	KT_EXPECT(t, v[0] == 2e4f);
	KT_EXPECT(t, g[0] == 1.0f && g[1] == -1.0f);
	kt_digest(t, v, sizeof(*v));
out:
	kml_nn_destroy(net);
}

static void run_optim_bad_cfg(struct kt_ctx *t)
{
	struct kml_optim_cfg cfg;
	struct kml_optim *opt = NULL;
	struct kml_lr_sched s;
	struct kml_nn *net = NULL;
	double lr, norm;
	float *w;

	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, KML_NN_F32, 2));
	if (!net)
		return;
	kml_nn_linear(net, kml_nn_input_vec(net, 2, 0), 1, false);
	KT_EXPECT_OK(t, kml_nn_prepare(net, 1));
	KT_EXPECT_EQ(t, kml_optim_defaults(NULL, KML_OPTIM_SGD, 0.1),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_optim_defaults(&cfg, KML_OPTIM_SGD, -0.1),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_optim_defaults(&cfg, 5, 0.1), KML_EINVAL);
	/* Nesterov needs momentum and no dampening, as in torch.optim */
	KT_EXPECT_OK(t, kml_optim_defaults(&cfg, KML_OPTIM_SGD, 0.1));
	cfg.nesterov = true;
	KT_EXPECT_OK(t, kml_optim_create(&opt, t->mem, net, &cfg));
	kml_nn_params(net, (void **)&w, NULL, NULL);
	w[0] = 1;
	KT_EXPECT_EQ(t, kml_optim_step(opt), KML_EINVAL);
	KT_EXPECT(t, w[0] == 1 && kml_optim_steps(opt) == 0);
	kml_optim_destroy(opt);
	opt = NULL;
	KT_EXPECT_OK(t, kml_optim_defaults(&cfg, KML_OPTIM_ADAM, 0.1));
	cfg.beta2 = 1.0;
	KT_EXPECT_OK(t, kml_optim_create(&opt, t->mem, net, &cfg));
	KT_EXPECT_EQ(t, kml_optim_step(opt), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_optim_set_lr(opt, -1), KML_EINVAL);
	KT_EXPECT_OK(t, kml_optim_set_lr(opt, 0.5));
	KT_EXPECT_OK(t, kml_optim_get_lr(opt, &lr));
	KT_EXPECT(t, lr == 0.5);
	KT_EXPECT_EQ(t, kml_optim_get_lr(opt, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_optim_step(NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_optim_clip_grad_norm(net, -1, &norm), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_optim_clip_grad_norm(NULL, 1, &norm), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_lr_sched_step_init(&s, 0, 0.5), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_lr_sched_exp_init(&s, -0.5), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_lr_sched_step(NULL, opt), KML_EINVAL);
	KT_EXPECT_OK(t, kml_lr_sched_exp_init(&s, 0.5));
	KT_EXPECT_OK(t, kml_lr_sched_step(&s, opt));
	KT_EXPECT_OK(t, kml_optim_get_lr(opt, &lr));
	KT_EXPECT(t, lr == 0.25);
	kml_optim_destroy(opt);
	kml_nn_destroy(net);
}

/*
 * The prepared fast path (input -> one-output linear, unrolled for 1..4
 * inputs) must give the same bits as the general walk, which runs when
 * another node sits between the input and the layer.
 */
static void fast_vs_general(struct kt_ctx *t, int dtype, uint32_t in, bool bias)
{
	struct kml_nn *fast = NULL, *slow = NULL;
	size_t esz = dtype == KML_NN_F32 ? 4 : 8, n, i;
	uint8_t *xf, *xs, *yf, *ys, *wf, *ws;
	int lf, ls, x;

	KT_EXPECT_OK(t, kml_nn_create(&fast, t->mem, dtype, 3));
	KT_EXPECT_OK(t, kml_nn_create(&slow, t->mem, dtype, 3));
	if (t->failed)
		goto out;
	lf = kml_nn_linear(fast, kml_nn_input_vec(fast, in, 0), 1, bias);
	kml_nn_input_vec(slow, 1, 0); /* breaks the fast-path pattern */
	x = kml_nn_input_vec(slow, in, 0);
	ls = kml_nn_linear(slow, x, 1, bias);
	KT_EXPECT_OK(t, kml_nn_prepare(fast, 3));
	KT_EXPECT_OK(t, kml_nn_prepare(slow, 3));
	KT_EXPECT_OK(t, kml_nn_init_params(fast, in));
	if (t->failed)
		goto out;
	kml_nn_params(fast, (void **)&wf, NULL, &n);
	kml_nn_params(slow, (void **)&ws, NULL, &n);
	kml_memcpy(ws, wf, n * esz);
	kml_nn_value(fast, 0, (void **)&xf, &n);
	kml_nn_value(slow, x, (void **)&xs, &n);
	for (i = 0; i < n; i++) {
		double v = (double)(i * 7 % 11) / 3.0 - 1.7;

		if (dtype == KML_NN_F32)
			((float *)xf)[i] = (float)v;
		else
			((double *)xf)[i] = v;
	}
	kml_memcpy(xs, xf, n * esz);
	KT_EXPECT_OK(t, kml_nn_forward_to(fast, lf));
	KT_EXPECT_OK(t, kml_nn_forward(slow));
	kml_nn_value(fast, lf, (void **)&yf, &n);
	kml_nn_value(slow, ls, (void **)&ys, &n);
	KT_EXPECT_EQ(t, n, 3);
	KT_EXPECT(t, kml_memcmp(yf, ys, n * esz) == 0);
	kt_digest(t, yf, n * esz);
out:
	kml_nn_destroy(fast);
	kml_nn_destroy(slow);
}

static void run_fast_path(struct kt_ctx *t)
{
	struct kml_mem *outer = t->mem, sub;
	const size_t bytes = 4096;
	uint32_t in;
	void *buf;
	int k;

	/* a fresh arena per pair of nets: arenas do not reuse freed memory */
	KT_EXPECT_OK(t, kml_alloc(outer, bytes, 0, &buf));
	if (!buf)
		return;
	for (in = 1; in <= 6; in++)
		for (k = 0; k < 4; k++) {
			KT_EXPECT_OK(
			    t, kml_mem_init_arena(&sub, "fast", buf, bytes));
			t->mem = &sub;
			fast_vs_general(t, k < 2 ? KML_NN_F32 : KML_NN_F64, in,
					k & 1);
			t->mem = outer;
		}
	kml_free(outer, buf);
}

/* A custom kind with one parameter that ADDS into dw: y = w x. */
static int scale_infer(struct kml_nn_node *n)
{
	n->shape = n->src[0]->shape;
	n->n_params = 1;
	return KML_OK;
}

static int scale_fwd(struct kml_nn_node *n, size_t batch)
{
	const double *x = n->src[0]->y, *w = n->w;
	double *y = n->y;
	size_t i;

	for (i = 0; i < kml_nn_node_len(n, batch); i++)
		y[i] = w[0] * x[i];
	return KML_OK;
}

static int scale_bwd(struct kml_nn_node *n, size_t batch)
{
	const double *x = n->src[0]->y, *dy = n->dy;
	double *dw = n->dw;
	size_t i;

	for (i = 0; i < kml_nn_node_len(n, batch); i++)
		dw[0] += dy[i] * x[i];
	return KML_OK;
}

static const struct kml_nn_ops scale_ops = {
	.name = "scale",
	.min_inputs = 1,
	.max_inputs = 1,
	.infer = scale_infer,
	.forward = { [KML_NN_F64] = scale_fwd },
	.backward = { [KML_NN_F64] = scale_bwd },
};

/*
 * Parameter gradients are recomputed, not accumulated, by every backward:
 * for a kind that adds into dw (cleared first) and for linear, which
 * writes dw itself. d/dw of sum(w x) is sum(x).
 */
static void run_param_grads_repeat(struct kt_ctx *t)
{
	struct kml_nn *net = NULL, *f32 = NULL;
	double *x, *w, *dw, ones[3] = { 1, 1, 1 };
	size_t n, off;
	int in, s;

	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, KML_NN_F64, 4));
	if (!net)
		return;
	in = kml_nn_input_vec(net, 1, 0);
	s = kml_nn_add_node(net, &scale_ops, &in, 1, NULL);
	s = kml_nn_linear(net, s, 1, true);
	KT_EXPECT(t, s >= 0);
	KT_EXPECT_OK(t, kml_nn_prepare(net, 3));
	/* float64 only: a float32 net with this kind cannot prepare */
	KT_EXPECT_OK(t, kml_nn_create(&f32, t->mem, KML_NN_F32, 2));
	if (f32) {
		in = kml_nn_input_vec(f32, 1, 0);
		kml_nn_add_node(f32, &scale_ops, &in, 1, NULL);
		KT_EXPECT_EQ(t, kml_nn_prepare(f32, 1), KML_ENOSYS);
		kml_nn_destroy(f32);
	}
	if (t->failed)
		goto out;
	kml_nn_node_params(net, s, &off, &n);
	KT_EXPECT_EQ(t, off, 2); /* 16-byte aligned: one gap element */
	KT_EXPECT_EQ(t, n, 2);
	kml_nn_params(net, (void **)&w, NULL, &n);
	KT_EXPECT_EQ(t, n, 4);
	w[0] = 2; /* scale's w */
	w[2] = 3; /* linear A */
	w[3] = 0.5; /* linear b */
	kml_nn_value(net, in, (void **)&x, &n);
	x[0] = 1;
	x[1] = 2;
	x[2] = 4;
	for (n = 0; n < 2; n++) {
		KT_EXPECT_OK(t, kml_nn_forward(net));
		KT_EXPECT_OK(t, kml_nn_backward_seed(net, s, ones));
		kml_nn_params(net, NULL, (void **)&dw, NULL);
		KT_EXPECT(t, dw[0] == 3 * 7); /* A sum(x) */
		KT_EXPECT(t, dw[1] == 0); /* the gap */
		KT_EXPECT(t, dw[2] == 2 * 7); /* sum(w x) */
		KT_EXPECT(t, dw[3] == 3); /* batch */
	}
	kt_digest(t, dw, 4 * sizeof(double));
out:
	kml_nn_destroy(net);
}

/*
 * kml_optim_train_step() runs linear regression (x -> linear(1) -> MSE,
 * SGD) as one fused kernel; it must leave exactly the bits that
 * forward + backward + step leave: loss, outputs, gradients, parameters.
 */
static void fused_vs_general(struct kt_ctx *t, int dtype, int red,
			     bool nesterov, bool batch1, uint32_t in)
{
	struct kml_nn *net[2] = { NULL, NULL };
	struct kml_optim *opt[2] = { NULL, NULL };
	size_t esz = dtype == KML_NN_F32 ? 4 : 8, n, np, i;
	struct kml_optim_cfg cfg;
	int k, step, lin = 0, loss = 0;
	uint8_t *v[2], *w[2], *g[2];

	kml_optim_defaults(&cfg, KML_OPTIM_SGD, 0.05);
	cfg.momentum = 0.8;
	cfg.weight_decay = 0.01;
	cfg.nesterov = nesterov;
	for (k = 0; k < 2; k++) {
		int x, tg;

		KT_EXPECT_OK(t, kml_nn_create(&net[k], t->mem, dtype, 4));
		if (!net[k])
			goto out;
		x = kml_nn_input_vec(net[k], in, 0);
		lin = kml_nn_linear(net[k], x, 1, true);
		tg = kml_nn_input_vec(net[k], 1, 0);
		loss = kml_nn_mse(net[k], lin, tg, red);
		KT_EXPECT_OK(t, kml_nn_prepare(net[k], 5));
		KT_EXPECT_OK(t, kml_nn_init_params(net[k], 9));
		KT_EXPECT_OK(t,
			     kml_optim_create(&opt[k], t->mem, net[k], &cfg));
		if (t->failed)
			goto out;
		kml_nn_value(net[k], x, (void **)&v[k], &n);
		for (i = 0; i < n; i++) {
			double d = (double)(i * 5 % 7) / 2.0 - 1.3;

			if (dtype == KML_NN_F32)
				((float *)v[k])[i] = (float)d;
			else
				((double *)v[k])[i] = d;
		}
		if (batch1)
			KT_EXPECT_OK(t, kml_nn_set_batch(net[k], 1));
		kml_nn_value(net[k], tg, (void **)&v[k], &n);
		for (i = 0; i < n; i++) {
			double d = (double)i * 0.7 - 1;

			if (dtype == KML_NN_F32)
				((float *)v[k])[i] = (float)d;
			else
				((double *)v[k])[i] = d;
		}
	}
	for (step = 0; step < 4; step++) {
		KT_EXPECT_OK(t, kml_optim_train_step(opt[0], loss));
		KT_EXPECT_OK(t, kml_nn_forward(net[1]));
		KT_EXPECT_OK(t, kml_nn_backward(net[1], loss));
		KT_EXPECT_OK(t, kml_optim_step(opt[1]));
		for (k = 0; k < 2; k++)
			kml_nn_params(net[k], (void **)&w[k], (void **)&g[k],
				      &np);
		KT_EXPECT(t, !kml_memcmp(w[0], w[1], np * esz));
		KT_EXPECT(t, !kml_memcmp(g[0], g[1], np * esz));
		for (k = 0; k < 2; k++)
			kml_nn_value(net[k], loss, (void **)&v[k], NULL);
		KT_EXPECT(t, !kml_memcmp(v[0], v[1], esz));
		for (k = 0; k < 2; k++)
			kml_nn_grad(net[k], lin, (void **)&v[k], &n);
		KT_EXPECT(t, !kml_memcmp(v[0], v[1], n * esz));
	}
	kt_digest(t, w[0], np * esz);
out:
	for (k = 0; k < 2; k++) {
		kml_optim_destroy(opt[k]);
		kml_nn_destroy(net[k]);
	}
}

static void run_train_step_fused(struct kt_ctx *t)
{
	struct kml_mem *outer = t->mem, sub;
	const size_t bytes = 6144;
	void *buf;
	int k;

	KT_EXPECT_OK(t, kml_alloc(outer, bytes, 0, &buf));
	if (!buf)
		return;
	/* dtype, reduction, Nesterov, batch 1 or 5, 3 or 6 inputs */
	for (k = 0; k < 32; k++) {
		KT_EXPECT_OK(t, kml_mem_init_arena(&sub, "fused", buf, bytes));
		t->mem = &sub;
		fused_vs_general(t, k & 1 ? KML_NN_F64 : KML_NN_F32,
				 k & 2 ? KML_NN_SUM : KML_NN_MEAN, k & 4, k & 8,
				 k & 16 ? 6 : 3);
		t->mem = outer;
	}
	kml_free(outer, buf);
}

/*
 * ReLU's special values as in PyTorch: relu(NaN) = NaN, relu(-0) = -0,
 * and d/dx is 1 at NaN, 0 at -0 (x <= 0). 9 values: vector body and tail.
 */
static void run_relu_special(struct kt_ctx *t)
{
	static const float in[9] = { 0, -0.0f, -1, 2, 0, -0.0f, -3, 4, 0 };
	static const uint32_t want_y[9] = {
		0x7fc00000, 0x80000000, 0,	    0x40000000, 0x7fc00000,
		0x80000000, 0,		0x40800000, 0x7fc00000
	};
	static const float want_g[9] = { 1, 0, 0, 1, 1, 0, 0, 1, 1 };
	float ones[9] = { 1, 1, 1, 1, 1, 1, 1, 1, 1 }, *x, *y, *g;
	struct kml_nn *net = NULL;
	int xi, r, i;

	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, KML_NN_F32, 2));
	if (!net)
		return;
	xi = kml_nn_input_vec(net, 9, KML_NN_REQUIRES_GRAD);
	r = kml_nn_relu(net, xi);
	KT_EXPECT_OK(t, kml_nn_prepare(net, 1));
	if (t->failed)
		goto out;
	kml_nn_value(net, xi, (void **)&x, NULL);
	kml_memcpy(x, in, sizeof(in));
	for (i = 0; i < 9; i += 4)
		x[i] = 0.0f / 0.0f; /* NaN at 0, 4, 8 */
	KT_EXPECT_OK(t, kml_nn_forward(net));
	KT_EXPECT_OK(t, kml_nn_backward_seed(net, r, ones));
	kml_nn_value(net, r, (void **)&y, NULL);
	kml_nn_grad(net, xi, (void **)&g, NULL);
	for (i = 0; i < 9; i++) {
		uint32_t bits;

		kml_memcpy(&bits, &y[i], 4);
		if (i % 4 == 0)
			KT_EXPECT(t, y[i] != y[i]); /* any NaN */
		else
			KT_EXPECT_EQ(t, bits, want_y[i]);
		KT_EXPECT(t, g[i] == want_g[i]);
	}
	kt_digest(t, g, sizeof(want_g));
out:
	kml_nn_destroy(net);
}

/*
 * One SGD update written out per element, the PyTorch order: the
 * library's vector loops (16- or 32-byte, chosen at run time) must leave
 * exactly these bits, in the vector body and in the tail.
 */
#define SGD_REF(T, p, gin, b, step, cfg)                                       \
	do {                                                                   \
		T g_ = (gin);                                                  \
		if ((cfg)->weight_decay != 0)                                  \
			g_ = g_ + (T)(cfg)->weight_decay * (p);                \
		if ((cfg)->momentum != 0) {                                    \
			if ((step) == 0)                                       \
				(b) = g_;                                      \
			else                                                   \
				(b) = (b) * (T)(cfg)->momentum +               \
				      (T)(1 - (cfg)->dampening) * g_;          \
			if ((cfg)->nesterov)                                   \
				g_ = g_ + (T)(cfg)->momentum * (b);            \
			else                                                   \
				g_ = (b);                                      \
		}                                                              \
		(p) = (p) + -(T)(cfg)->lr * g_;                                \
	} while (0)

static void sgd_same_bits(struct kt_ctx *t, int dtype,
			  const struct kml_optim_cfg *cfg)
{
	/* 6 x 5 + 5 = 35 parameters: vectors of 8 or 4 and a tail of 3 */
	enum { IN = 6, OUT = 5, NP = IN * OUT + OUT };
	float rf[NP], bf[NP];
	double rd[NP], bd[NP];
	struct kml_optim *opt = NULL;
	struct kml_nn *net = NULL;
	void *w, *g;
	size_t np, i;
	int step, x;

	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, dtype, 4));
	if (!net)
		return;
	x = kml_nn_input_vec(net, IN, 0);
	kml_nn_linear(net, x, OUT, true);
	KT_EXPECT_OK(t, kml_nn_prepare(net, 1));
	KT_EXPECT_OK(t, kml_nn_init_params(net, 5));
	KT_EXPECT_OK(t, kml_optim_create(&opt, t->mem, net, cfg));
	KT_EXPECT_OK(t, kml_nn_params(net, &w, &g, &np));
	if (t->failed || np != NP)
		goto out;
	for (i = 0; i < np; i++) {
		rf[i] = ((float *)w)[i];
		rd[i] = ((double *)w)[i];
	}
	for (step = 0; step < 3; step++) {
		for (i = 0; i < np; i++) {
			double d =
			    (double)((i * 7 + (size_t)step * 3) % 11) * 0.137 -
			    0.61;

			if (dtype == KML_NN_F32) {
				((float *)g)[i] = (float)d;
				SGD_REF(float, rf[i], (float)d, bf[i], step,
					cfg);
			} else {
				((double *)g)[i] = d;
				SGD_REF(double, rd[i], d, bd[i], step, cfg);
			}
		}
		KT_EXPECT_OK(t, kml_optim_step(opt));
		if (dtype == KML_NN_F32)
			KT_EXPECT(t, !kml_memcmp(w, rf, sizeof(rf)));
		else
			KT_EXPECT(t, !kml_memcmp(w, rd, sizeof(rd)));
	}
	kt_digest(t, w, np * (dtype == KML_NN_F32 ? 4 : 8));
out:
	kml_optim_destroy(opt);
	kml_nn_destroy(net);
}

static void run_sgd_same_bits(struct kt_ctx *t)
{
	struct kml_optim_cfg cfg[3];
	int c;

	kml_optim_defaults(&cfg[0], KML_OPTIM_SGD, 0.1);
	kml_optim_defaults(&cfg[1], KML_OPTIM_SGD, 0.05);
	cfg[1].momentum = 0.9;
	cfg[1].dampening = 0.25;
	cfg[1].weight_decay = 0.01;
	kml_optim_defaults(&cfg[2], KML_OPTIM_SGD, 0.05);
	cfg[2].momentum = 0.8;
	cfg[2].nesterov = true;
	cfg[2].weight_decay = 0.02;
	for (c = 0; c < 3; c++) {
		sgd_same_bits(t, KML_NN_F32, &cfg[c]);
		sgd_same_bits(t, KML_NN_F64, &cfg[c]);
	}
}

static const struct kt_case nn_run_cases[] = {
	{ "relu_special_values", run_relu_special },
	{ "train_step_fused_same_bits", run_train_step_fused },
	{ "param_grads_repeat", run_param_grads_repeat },
	{ "fast_path_same_bits", run_fast_path },
	{ "bad_calls", run_bad_calls },
	{ "ce_large_logits", run_ce_large_logits },
	{ "optim_bad_cfg", run_optim_bad_cfg },
	{ "sgd_same_bits", run_sgd_same_bits },
};

KT_SUITE(kt_suite_nn_run, "nn_run", true, 16 * 1024, nn_run_cases);

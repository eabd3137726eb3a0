// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qtrain_cases.c - fixed-point training (a NOFPU suite: in the kernel it
 * runs outside any FPU section, so no float may appear here). Single
 * steps bit for bit against tools/gen_qtrain_vectors.py (an independent
 * numpy + Python integer implementation of include/kmlib/qtrain.h's
 * definition); XOR and linear regression converging in Q3.12 (their
 * accuracy against float64 training: tests/user/qtrain_float.c).
 */
#include "../ktest.h"
#include "kmlib/prng.h"
#include "kmlib/qtrain.h"
#include "qtrain_vectors.h"

#define QT_ONE 4096 /* 1.0 in Q3.12 */

struct qt_golden {
	const uint32_t *sizes;
	uint32_t n_layers;
	const int32_t *cfg;
	const int16_t *w[3], *b[3], *gw[3], *gb[3], *w_end[3], *b_end[3];
	const int16_t *x, *t, *y;
	const int64_t *se;
	size_t batch, steps;
};

static void qt_cfg_from(struct kml_qtrain_cfg *c, const int32_t *v)
{
	c->frac = (uint32_t)v[0];
	c->grad_frac = (uint32_t)v[1];
	c->lr_q15 = v[2];
	c->hidden_act = (uint32_t)v[3];
	c->round = (uint32_t)v[4];
	c->seed = (uint64_t)v[5];
}

static void qt_check_golden(struct kt_ctx *t, const struct qt_golden *g)
{
	struct kml_qtrain_cfg cfg;
	struct kml_qmlp *q;
	int16_t *w, *b, y[32];
	const int16_t *gw, *gb;
	uint32_t l, in, out;
	size_t i, s, n_out = g->batch * g->sizes[g->n_layers];
	int64_t se;

	qt_cfg_from(&cfg, g->cfg);
	KT_EXPECT(t, n_out <= KML_ARRAY_SIZE(y));
	KT_EXPECT_OK(t, kml_qmlp_create(&q, t->mem, g->sizes, g->n_layers,
					g->batch, &cfg));
	if (t->failed)
		return;
	for (l = 0; l < g->n_layers; l++) {
		KT_EXPECT_OK(t, kml_qmlp_layer(q, l, &w, &b, &in, &out));
		kml_memcpy(w, g->w[l], (size_t)in * out * sizeof(int16_t));
		kml_memcpy(b, g->b[l], out * sizeof(int16_t));
	}
	KT_EXPECT_OK(t, kml_qmlp_forward(q, g->x, g->batch, y));
	for (i = 0; i < n_out; i++)
		KT_EXPECT_EQ(t, y[i], g->y[i]);
	kt_digest(t, y, n_out * sizeof(int16_t));
	for (s = 0; s < g->steps; s++) {
		KT_EXPECT_OK(t, kml_qmlp_step(q, g->x, g->t, g->batch, &se));
		KT_EXPECT_EQ(t, se, g->se[s]);
		for (l = 0; s == 0 && l < g->n_layers; l++) {
			kml_qmlp_layer(q, l, NULL, NULL, &in, &out);
			KT_EXPECT_OK(t, kml_qmlp_grads(q, l, &gw, &gb));
			for (i = 0; i < (size_t)in * out; i++)
				KT_EXPECT_EQ(t, gw[i], g->gw[l][i]);
			for (i = 0; i < out; i++)
				KT_EXPECT_EQ(t, gb[i], g->gb[l][i]);
		}
	}
	for (l = 0; l < g->n_layers; l++) {
		kml_qmlp_layer(q, l, &w, &b, &in, &out);
		for (i = 0; i < (size_t)in * out; i++)
			KT_EXPECT_EQ(t, w[i], g->w_end[l][i]);
		for (i = 0; i < out; i++)
			KT_EXPECT_EQ(t, b[i], g->b_end[l][i]);
		kt_digest(t, w, (size_t)in * out * sizeof(int16_t));
		kt_digest(t, b, out * sizeof(int16_t));
	}
	kml_qmlp_destroy(q);
}

#define QT_L(n, l)                                                             \
	.w[l] = qt_##n##_w##l, .b[l] = qt_##n##_b##l, .gw[l] = qt_##n##_gw##l, \
	.gb[l] = qt_##n##_gb##l, .w_end[l] = qt_##n##_w##l##_end,              \
	.b_end[l] = qt_##n##_b##l##_end
#define QT_COMMON(n, N)                                                        \
	.sizes = qt_##n##_sizes, .n_layers = (N), .cfg = qt_##n##_cfg,         \
	.x = qt_##n##_x, .t = qt_##n##_t, .y = qt_##n##_y, .se = qt_##n##_se

static void qtrain_golden_tanh(struct kt_ctx *t)
{
	const struct qt_golden g = { QT_COMMON(tanh, 2), QT_L(tanh, 0),
				     QT_L(tanh, 1), .batch = QT_TANH_BATCH,
				     .steps = QT_TANH_STEPS };

	qt_check_golden(t, &g);
}

static void qtrain_golden_relu_stochastic(struct kt_ctx *t)
{
	const struct qt_golden g = { QT_COMMON(relu, 2), QT_L(relu, 0),
				     QT_L(relu, 1), .batch = QT_RELU_BATCH,
				     .steps = QT_RELU_STEPS };

	qt_check_golden(t, &g);
}

static void qtrain_golden_deep(struct kt_ctx *t)
{
	const struct qt_golden g = {
		QT_COMMON(deep, 3),	QT_L(deep, 0),
		QT_L(deep, 1),		QT_L(deep, 2),
		.batch = QT_DEEP_BATCH, .steps = QT_DEEP_STEPS
	};

	qt_check_golden(t, &g);
}

static void qtrain_golden_saturation(struct kt_ctx *t)
{
	const struct qt_golden g = { QT_COMMON(sat, 1), QT_L(sat, 0),
				     .batch = QT_SAT_BATCH,
				     .steps = QT_SAT_STEPS };

	qt_check_golden(t, &g);
}

static void qtrain_golden_low_frac(struct kt_ctx *t)
{
	const struct qt_golden g = { QT_COMMON(low, 2), QT_L(low, 0),
				     QT_L(low, 1), .batch = QT_LOW_BATCH,
				     .steps = QT_LOW_STEPS };

	qt_check_golden(t, &g);
}

/* ---- convergence --------------------------------------------------------- */

static const int16_t xor_x[8] = { 0, 0, 0, QT_ONE, QT_ONE, 0, QT_ONE, QT_ONE };
static const int16_t xor_t[4] = { 0, QT_ONE, QT_ONE, 0 };

/*
 * XOR, 2 -> 8 -> 1, MSE, full batch, Q3.12. Asserts 4/4 on the 0.5
 * threshold and the final MSE (Q_24 sum over the 4 samples) below
 * @max_se; returns the outputs in @y.
 */
static void qt_xor(struct kt_ctx *t, uint32_t act, uint32_t round, int32_t lr,
		   int steps, int64_t max_se)
{
	static const uint32_t sizes[] = { 2, 8, 1 };
	struct kml_qtrain_cfg cfg = { .frac = 12,
				      .grad_frac = 12,
				      .lr_q15 = lr,
				      .hidden_act = act,
				      .round = round,
				      .seed = 9 };
	struct kml_qmlp *q;
	int16_t y[4], *w;
	int64_t se = 0, first = 0;
	int i;

	KT_EXPECT_OK(t, kml_qmlp_create(&q, t->mem, sizes, 2, 4, &cfg));
	if (t->failed)
		return;
	KT_EXPECT_OK(t, kml_qmlp_init(q, 3));
	for (i = 0; i < steps; i++) {
		KT_EXPECT_OK(t, kml_qmlp_step(q, xor_x, xor_t, 4, &se));
		if (!i)
			first = se;
	}
	KT_EXPECT_OK(t, kml_qmlp_forward(q, xor_x, 4, y));
	/* chance level is MSE 0.25 = 2^22 per sample */
	KT_EXPECT(t, first > 4 * ((int64_t)1 << 20));
	KT_EXPECT(t, se <= max_se);
	for (i = 0; i < 4; i++)
		KT_EXPECT_EQ(t, y[i] > QT_ONE / 2, xor_t[i] > 0);
	kt_digest(t, y, sizeof(y));
	kml_qmlp_layer(q, 0, &w, NULL, NULL, NULL);
	kt_digest(t, w, 16 * sizeof(int16_t));
	kml_qmlp_destroy(q);
}

/* MSE <= 0.001 (Q_24: 16777 per sample): tanh, nearest, lr 0.25 */
static void qtrain_xor_tanh_nearest(struct kt_ctx *t)
{
	qt_xor(t, KML_QACT_TANH, KML_QROUND_NEAREST, 8192, 300, 4 * 16777);
}

/* stochastic rounding is noisier at this rate: MSE <= 0.005 */
static void qtrain_xor_tanh_stochastic(struct kt_ctx *t)
{
	qt_xor(t, KML_QACT_TANH, KML_QROUND_STOCHASTIC, 8192, 300, 4 * 83886);
}

static void qtrain_xor_relu(struct kt_ctx *t)
{
	qt_xor(t, KML_QACT_RELU, KML_QROUND_NEAREST, 3277, 600, 4 * 16777);
}

/* y = 2 x0 - 3 x1 + 0.5 on 16 points in [-1, 1]^2, exact in Q3.12. */
static void qt_linreg_data(int16_t *x, int16_t *y)
{
	struct kml_prng r;
	int i;

	kml_prng_seed(&r, 11);
	for (i = 0; i < 16; i++) {
		x[2 * i] = (int16_t)((int32_t)kml_prng_below(&r, 8193) - 4096);
		x[2 * i + 1] =
		    (int16_t)((int32_t)kml_prng_below(&r, 8193) - 4096);
		y[i] = (int16_t)(2 * x[2 * i] - 3 * x[2 * i + 1] + 2048);
	}
}

static int32_t qt_abs(int32_t v)
{
	return v < 0 ? -v : v;
}

/*
 * Nearest rounding stalls where 2 x lr x gradient rounds to zero, a few
 * LSB from the answer (G = 15 keeps the gradient's low bits); stochastic
 * rounding keeps moving and reaches the exact weights (the data are exact
 * in Q3.12, so MSE 0 exists).
 */
static void qt_linreg(struct kt_ctx *t, uint32_t round, uint32_t gfrac,
		      int32_t tol, int64_t max_se)
{
	static const uint32_t sizes[] = { 2, 1 };
	struct kml_qtrain_cfg cfg = { .frac = 12,
				      .grad_frac = gfrac,
				      .lr_q15 = 8192,
				      .round = round,
				      .seed = 4 };
	struct kml_qmlp *q;
	int16_t x[32], y[16], *w, *b;
	int64_t se = 0;
	int i;

	qt_linreg_data(x, y);
	KT_EXPECT_OK(t, kml_qmlp_create(&q, t->mem, sizes, 1, 16, &cfg));
	if (t->failed)
		return;
	for (i = 0; i < 200; i++)
		KT_EXPECT_OK(t, kml_qmlp_step(q, x, y, 16, &se));
	kml_qmlp_layer(q, 0, &w, &b, NULL, NULL);
	KT_EXPECT(t, qt_abs(w[0] - 2 * QT_ONE) <= tol);
	KT_EXPECT(t, qt_abs(w[1] + 3 * QT_ONE) <= tol);
	KT_EXPECT(t, qt_abs(b[0] - QT_ONE / 2) <= tol);
	KT_EXPECT(t, se <= max_se);
	kt_digest(t, w, 2 * sizeof(int16_t));
	kt_digest(t, b, sizeof(int16_t));
	kt_digest(t, &se, sizeof(se));
	kml_qmlp_destroy(q);
}

/* within 2 LSB (2^-11) of (2, -3) and 0.5, MSE <= 4 LSB^2 (2.4e-7) */
static void qtrain_linear_regression(struct kt_ctx *t)
{
	qt_linreg(t, KML_QROUND_NEAREST, 15, 2, 16 * 4);
}

static void qtrain_linear_regression_stochastic(struct kt_ctx *t)
{
	qt_linreg(t, KML_QROUND_STOCHASTIC, 12, 0, 0);
}

/*
 * lr = 2^-15: every update is below half an LSB, so nearest rounding
 * never moves a weight; stochastic rounding moves them by the right
 * amount on average and the loss falls.
 */
static void qtrain_stochastic_small_lr(struct kt_ctx *t)
{
	static const uint32_t sizes[] = { 2, 1 };
	struct kml_qtrain_cfg cfg = {
		.frac = 12, .grad_frac = 12, .lr_q15 = 1, .seed = 4
	};
	struct kml_qmlp *q;
	int16_t x[32], y[16], *w, *b;
	int64_t se0 = 0, se = 0;
	int i, r;

	qt_linreg_data(x, y);
	for (r = KML_QROUND_NEAREST; r <= KML_QROUND_STOCHASTIC; r++) {
		cfg.round = (uint32_t)r;
		KT_EXPECT_OK(t,
			     kml_qmlp_create(&q, t->mem, sizes, 1, 16, &cfg));
		if (t->failed)
			return;
		for (i = 0; i < 400; i++)
			KT_EXPECT_OK(
			    t, kml_qmlp_step(q, x, y, 16, i ? &se : &se0));
		kml_qmlp_layer(q, 0, &w, &b, NULL, NULL);
		if (r == KML_QROUND_NEAREST) {
			KT_EXPECT(t, !w[0] && !w[1] && !b[0]);
			KT_EXPECT_EQ(t, se, se0);
		} else {
			/*
			 * expected drift lr x grad x steps: about 65 and
			 * -100 LSB (|grad| 1.3 and 2 at the start)
			 */
			KT_EXPECT(t, w[0] > 40 && w[1] < -70 && b[0] > 0);
			KT_EXPECT(t, se < se0 / 100 * 99);
		}
		kt_digest(t, w, 2 * sizeof(int16_t));
		kml_qmlp_destroy(q);
	}
}

static void qtrain_bad_args(struct kt_ctx *t)
{
	static const uint32_t sizes[] = { 2, 3, 1 };
	static const uint32_t zero[] = { 2, 0, 1 };
	static const uint32_t wide[] = { 2, KML_QMLP_MAX_WIDTH + 1, 1 };
	struct kml_qtrain_cfg ok = { .frac = 12,
				     .grad_frac = 12,
				     .lr_q15 = 100 },
			      c;
	struct kml_qmlp *q = (struct kml_qmlp *)&ok;
	const int16_t *g;
	int16_t x[6] = { 0 }, y[3];

	KT_EXPECT_EQ(t, kml_qmlp_create(NULL, t->mem, sizes, 2, 4, &ok),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qmlp_create(&q, NULL, sizes, 2, 4, &ok),
		     KML_EINVAL);
	KT_EXPECT(t, q == NULL);
	KT_EXPECT_EQ(t, kml_qmlp_create(&q, t->mem, sizes, 0, 4, &ok),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qmlp_create(&q, t->mem, sizes, 5, 4, &ok),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qmlp_create(&q, t->mem, sizes, 2, 3, &ok),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qmlp_create(&q, t->mem, sizes, 2, 512, &ok),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qmlp_create(&q, t->mem, zero, 2, 4, &ok),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qmlp_create(&q, t->mem, wide, 2, 4, &ok),
		     KML_EOVERFLOW);
	KT_EXPECT_EQ(t, kml_qmlp_create(&q, t->mem, sizes, 2, 4, NULL),
		     KML_EINVAL);
	c = ok;
	c.frac = 0;
	KT_EXPECT_EQ(t, kml_qmlp_create(&q, t->mem, sizes, 2, 4, &c),
		     KML_EINVAL);
	c = ok;
	c.frac = 15;
	KT_EXPECT_EQ(t, kml_qmlp_create(&q, t->mem, sizes, 2, 4, &c),
		     KML_EINVAL);
	c = ok;
	c.frac = 4; /* grad_frac 12 > 2 x 4 - 1 */
	KT_EXPECT_EQ(t, kml_qmlp_create(&q, t->mem, sizes, 2, 4, &c),
		     KML_EINVAL);
	c = ok;
	c.lr_q15 = 0;
	KT_EXPECT_EQ(t, kml_qmlp_create(&q, t->mem, sizes, 2, 4, &c),
		     KML_EINVAL);
	c = ok;
	c.lr_q15 = 32768;
	KT_EXPECT_EQ(t, kml_qmlp_create(&q, t->mem, sizes, 2, 4, &c),
		     KML_EINVAL);
	c = ok;
	c.hidden_act = 2;
	KT_EXPECT_EQ(t, kml_qmlp_create(&q, t->mem, sizes, 2, 4, &c),
		     KML_EINVAL);
	c = ok;
	c.round = 2;
	KT_EXPECT_EQ(t, kml_qmlp_create(&q, t->mem, sizes, 2, 4, &c),
		     KML_EINVAL);

	KT_EXPECT_OK(t, kml_qmlp_create(&q, t->mem, sizes, 2, 4, &ok));
	if (t->failed)
		return;
	KT_EXPECT_EQ(t, kml_qmlp_step(q, x, y, 3, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qmlp_step(q, x, y, 8, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qmlp_step(q, x, y, 0, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qmlp_step(q, NULL, y, 2, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qmlp_step(q, x, NULL, 2, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qmlp_step(NULL, x, y, 2, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qmlp_forward(q, x, 5, y), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qmlp_forward(q, x, 3, NULL), KML_EINVAL);
	KT_EXPECT_OK(t, kml_qmlp_forward(q, x, 3, y)); /* any batch */
	KT_EXPECT_EQ(t, kml_qmlp_layer(q, 2, NULL, NULL, NULL, NULL),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qmlp_grads(q, 2, &g, &g), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qmlp_grads(q, 0, NULL, &g), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qmlp_init(NULL, 1), KML_EINVAL);
	kml_qmlp_destroy(q);
	kml_qmlp_destroy(NULL);
}

static const struct kt_case qtrain_cases[] = {
	{ "golden_tanh", qtrain_golden_tanh },
	{ "golden_relu_stochastic", qtrain_golden_relu_stochastic },
	{ "golden_deep", qtrain_golden_deep },
	{ "golden_saturation", qtrain_golden_saturation },
	{ "golden_low_frac", qtrain_golden_low_frac },
	{ "xor_tanh_nearest", qtrain_xor_tanh_nearest },
	{ "xor_tanh_stochastic", qtrain_xor_tanh_stochastic },
	{ "xor_relu", qtrain_xor_relu },
	{ "linear_regression", qtrain_linear_regression },
	{ "linear_regression_stochastic", qtrain_linear_regression_stochastic },
	{ "stochastic_small_lr", qtrain_stochastic_small_lr },
	{ "bad_args", qtrain_bad_args },
};

KT_SUITE(kt_suite_qtrain, "qtrain", false, 64 * 1024, qtrain_cases);

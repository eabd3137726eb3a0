// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_accuracy.c - quantized against float32 outputs on the issue's
 * example models, bounds asserted (user space: the models are too big for
 * the shared cases under TCG):
 *   linear 2 -> 1        int8 (kml_qnn) and int16 (kml_qnn_fc_i16)
 *   MLP 64-128-128-10    int8 and int16, random PyTorch-style init
 *   LSTM 16 -> 64        int8 (kml_qnn_lstm), 32 steps
 * Prints the measured errors (docs/qnn.md quotes them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <kmlib/nn.h>
#include <kmlib/nn_ops.h>
#include <kmlib/fixed.h>
#include <kmlib/qnn.h>
#include <kmlib/qnn_ops.h>
#include "test_util.h"

#define NCAL 256
#define NTEST 256

static struct kml_mem mem;

static void fill(float *v, size_t n, unsigned int *seed, float amp)
{
	size_t i;

	for (i = 0; i < n; i++) {
		*seed = *seed * 1103515245u + 12345u;
		v[i] = amp * ((float)((*seed >> 8) & 0xffff) / 32768.0f - 1.0f);
	}
}

static float max_abs(const float *v, size_t n)
{
	float m = 0.0f;
	size_t i;

	for (i = 0; i < n; i++)
		m = fabsf(v[i]) > m ? fabsf(v[i]) : m;
	return m;
}

/* A float MLP of linear layers (ReLU between them), sizes[0..nl]. */
struct mlp {
	struct kml_nn *net;
	int x, lin[4], act[4], out;
	uint32_t sizes[5], nl;
};

static void mlp_build(struct mlp *m, const uint32_t *sizes, uint32_t nl,
		      size_t batch, uint64_t seed)
{
	uint32_t l;
	int h;

	memcpy(m->sizes, sizes, (nl + 1) * sizeof(*sizes));
	m->nl = nl;
	OK(kml_nn_create(&m->net, &mem, KML_NN_F32, 16));
	h = m->x = kml_nn_input_vec(m->net, sizes[0], 0);
	for (l = 0; l < nl; l++) {
		m->lin[l] = kml_nn_linear(m->net, h, sizes[l + 1], true);
		h = m->act[l] =
		    l + 1 < nl ? kml_nn_relu(m->net, m->lin[l]) : m->lin[l];
	}
	m->out = h;
	OK(kml_nn_prepare(m->net, batch));
	OK(kml_nn_init_params(m->net, seed));
}

/* Float outputs of @n samples (batch n). */
static void mlp_forward(struct mlp *m, const float *x, size_t n, float *y)
{
	float *v;

	OK(kml_nn_set_batch(m->net, n));
	OK(kml_nn_value(m->net, m->x, (void **)&v, NULL));
	memcpy(v, x, n * m->sizes[0] * sizeof(*v));
	OK(kml_nn_forward_to(m->net, m->out));
	OK(kml_nn_value(m->net, m->out, (void **)&v, NULL));
	memcpy(y, v, n * m->sizes[m->nl] * sizeof(*v));
}

struct errs {
	double max, mean, step;
	int agree; /* argmax agreement */
};

static void compare(const float *f, const float *q, size_t n, size_t w,
		    struct errs *e)
{
	size_t s, i;

	memset(e, 0, sizeof(*e));
	for (s = 0; s < n; s++) {
		size_t af = 0, aq = 0;

		for (i = 0; i < w; i++) {
			double d = fabs((double)f[s * w + i] - q[s * w + i]);

			e->max = d > e->max ? d : e->max;
			e->mean += d / (double)(n * w);
			af = f[s * w + i] > f[s * w + af] ? i : af;
			aq = q[s * w + i] > q[s * w + aq] ? i : aq;
		}
		e->agree += af == aq;
	}
}

/* int8 through kml_qnn with min/max calibration. */
static void run_i8(struct mlp *m, const float *calib, const float *xt,
		   float *yq, struct errs *e, const float *yf)
{
	size_t ni = m->sizes[0], no = m->sizes[m->nl];
	int8_t *xq = malloc(NTEST * ni), *q8 = malloc(NTEST * no);
	struct kml_qnn_io io;
	struct kml_qnn *q;

	OK(kml_qnn_create(&q, &mem, m->sizes, m->nl, NTEST));
	OK(kml_qnn_quantize_nn(q, m->net, m->x, m->out, calib, NCAL, &io));
	OK(kml_quantize_f32_i8(xt, NTEST * ni, io.in_scale, io.in_zp, xq));
	OK(kml_qnn_run(q, xq, NTEST, q8));
	OK(kml_dequantize_i8_f32(q8, NTEST * no, io.out_scale, io.out_zp, yq));
	compare(yf, yq, NTEST, no, e);
	e->step = io.out_scale;
	kml_qnn_destroy(q);
	free(xq);
	free(q8);
}

/* int16 through kml_qnn_fc_i16, scales max |x| / 32767 from calibration. */
static void run_i16(struct mlp *m, const float *calib, const float *xt,
		    float *yq, struct errs *e, const float *yf)
{
	float scale[5], *v, *w;
	int16_t *a = malloc(NTEST * 128 * 2), *b = malloc(NTEST * 128 * 2);
	struct kml_qnn_fc16 fc[4];
	struct kml_nn_node *n;
	uint32_t l;
	size_t cnt;

	scale[0] = max_abs(calib, NCAL * m->sizes[0]) / 32767.0f;
	OK(kml_nn_set_batch(m->net, NCAL));
	OK(kml_nn_value(m->net, m->x, (void **)&v, NULL));
	memcpy(v, calib, NCAL * m->sizes[0] * sizeof(*v));
	OK(kml_nn_forward_to(m->net, m->out));
	for (l = 0; l < m->nl; l++) {
		uint32_t in = m->sizes[l], out = m->sizes[l + 1];

		OK(kml_nn_value(m->net, m->act[l], (void **)&v, &cnt));
		scale[l + 1] = max_abs(v, cnt) / 32767.0f;
		OK(kml_nn_get_node(m->net, m->lin[l], &n));
		fc[l] = (struct kml_qnn_fc16){ .in = in,
					       .out = out,
					       .act_min =
						   l + 1 < m->nl ? 0 : -32768,
					       .act_max = 32767 };
		w = n->w; /* in x out, then the bias */
		OK(kml_qnn_fc16_quantize(
		    &fc[l], malloc((size_t)in * out), malloc(out * 8),
		    malloc(out * 4), malloc(out * 4), w, w + (size_t)in * out,
		    scale[l], scale[l + 1]));
	}
	OK(kml_quantize_f32_i16(xt, NTEST * m->sizes[0], scale[0], 0, a));
	for (l = 0; l < m->nl; l++) {
		int16_t *t;

		OK(kml_qnn_fc_i16(&fc[l], a, NTEST, b));
		t = a, a = b, b = t;
	}
	OK(kml_dequantize_i16_f32(a, NTEST * m->sizes[m->nl], scale[m->nl], 0,
				  yq));
	compare(yf, yq, NTEST, m->sizes[m->nl], e);
	e->step = scale[m->nl];
	for (l = 0; l < m->nl; l++) {
		free((void *)fc[l].weight);
		free((void *)fc[l].bias);
		free((void *)fc[l].mult);
		free((void *)fc[l].shift);
	}
	free(a);
	free(b);
}

static void report(const char *name, const struct errs *e)
{
	printf("%-22s max %.5f (%.2f steps) mean %.6f argmax %d/%d\n", name,
	       e->max, e->max / e->step, e->mean, e->agree, NTEST);
}

static void model_mlp(const char *name, const uint32_t *sizes, uint32_t nl,
		      double i8_steps, double i16_steps, int agree8)
{
	size_t ni = sizes[0], no = sizes[nl];
	float *calib = malloc(NCAL * ni * 4), *xt = malloc(NTEST * ni * 4);
	float *yf = malloc(NTEST * no * 4), *yq = malloc(NTEST * no * 4);
	unsigned int seed = 3;
	struct errs e8, e16;
	struct mlp m;
	char label[64];

	mlp_build(&m, sizes, nl, NCAL, 1);
	fill(calib, NCAL * ni, &seed, 1.0f);
	fill(xt, NTEST * ni, &seed, 1.0f);
	mlp_forward(&m, xt, NTEST, yf);
	run_i8(&m, calib, xt, yq, &e8, yf);
	run_i16(&m, calib, xt, yq, &e16, yf);
	snprintf(label, sizeof(label), "%s int8", name);
	report(label, &e8);
	snprintf(label, sizeof(label), "%s int16", name);
	report(label, &e16);
	CHECK(e8.max <= i8_steps * e8.step);
	CHECK(e16.max <= i16_steps * e16.step);
	CHECK(e8.agree >= agree8);
	CHECK(e16.agree >= e8.agree);
	/* int8 weights limit int16: ~27x better measured, not 256x */
	CHECK(e16.max < e8.max / 10);
	kml_nn_destroy(m.net);
	free(calib);
	free(xt);
	free(yf);
	free(yq);
}

#define LT 32
#define LI 16
#define LH 64

static void model_lstm(void)
{
	const uint32_t dims[2] = { LT, LI };
	struct kml_qnn_lstm p = { .in = LI, .hidden = LH };
	float *xv, *hv, *w, x[LT * LI];
	int8_t xq[LT * LI], hs[LT * LH];
	int16_t c[LH];
	struct kml_nn_node *n;
	struct kml_nn *net;
	unsigned int seed = 5;
	double max = 0, mean = 0;
	int xn, l, rep, i;

	OK(kml_nn_create(&net, &mem, KML_NN_F32, 4));
	xn = kml_nn_input(net, dims, 2, 0);
	l = kml_nn_lstm(net, xn, LH, true);
	OK(kml_nn_prepare(net, 1));
	OK(kml_nn_init_params(net, 2));
	OK(kml_nn_get_node(net, l, &n));
	w = n->w;
	p.w_ih = malloc(4 * LH * LI);
	p.w_hh = malloc(4 * LH * LH);
	p.bias = malloc(4 * LH * 4);
	p.mult_ih = malloc(4 * LH * 4);
	p.shift_ih = malloc(4 * LH * 4);
	p.mult_hh = malloc(4 * LH * 4);
	p.shift_hh = malloc(4 * LH * 4);
	/* inputs in [-1, 1]: scale 1/127, zero point 0 */
	OK(kml_qnn_lstm_quantize(&p, w, w + 4 * LH * LI, w + 4 * LH * (LI + LH),
				 w + 4 * LH * (LI + LH + 1), 1.0f / 127, 0));
	OK(kml_nn_value(net, xn, (void **)&xv, NULL));
	for (rep = 0; rep < 16; rep++) {
		fill(x, LT * LI, &seed, 1.0f);
		memcpy(xv, x, sizeof(x));
		OK(kml_nn_forward_to(net, l));
		OK(kml_nn_value(net, l, (void **)&hv, NULL));
		OK(kml_quantize_f32_i8(x, LT * LI, 1.0f / 127, 0, xq));
		memset(c, 0, sizeof(c));
		OK(kml_qnn_lstm_run(&p, xq, 1, LT, NULL, c, hs));
		for (i = 0; i < LT * LH; i++) {
			double d = fabs(hs[i] / 128.0 - hv[i]);

			max = d > max ? d : max;
			mean += d / (16 * LT * LH);
		}
	}
	printf("%-22s max %.5f (%.2f steps) mean %.6f\n", "lstm 16-64 x32 int8",
	       max, max * 128, mean);
	CHECK(max <= 0.01); /* measured 0.0056 */
	CHECK(mean <= 0.003); /* measured 0.0020 */
	kml_nn_destroy(net);
	free(p.w_ih);
	free(p.w_hh);
	free(p.bias);
	free(p.mult_ih);
	free(p.shift_ih);
	free(p.mult_hh);
	free(p.shift_hh);
}

int main(void)
{
	static const uint32_t lin[] = { 2, 1 }, big[] = { 64, 128, 128, 10 };

	kml_mem_init(&mem, "qnn_accuracy", 0);
	/* measured: 5.6 and 38 steps; 22 and 168 steps, 255/256 */
	model_mlp("linear 2-1", lin, 1, 8.0, 60.0, NTEST);
	model_mlp("mlp 64-128-128-10", big, 3, 30.0, 250.0, 250);
	model_lstm();
	return test_exit_status();
}

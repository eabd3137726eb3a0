// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qseq_test.c - graph-level int8 conversion (kml_qseq) of float networks
 * trained here in float, and quantized model files version 2:
 *   conv2d model: conv2d+ReLU, max pool, conv2d, tanh, avg pool, flatten,
 *     linear+ReLU, linear, softmax; trained with Adam on a synthetic
 *     4-class task; min/max and percentile calibration;
 *   conv1d model: conv1d+ReLU, max pool, flatten, linear, sigmoid (init);
 *   LSTM models: LSTM (last h) + linear trained on a running-sum task, and
 *     LSTM (every h) + linear over the steps + tanh.
 * For each: quantized-vs-float error bound asserted (kml_qseq_evaluate),
 * save -> load -> bit-identical outputs and bytes, hostile files
 * (truncation at every length, every byte flipped with and without a
 * fixed CRC, huge dims, bad shifts, bad zero points), unsupported kinds
 * rejected with KML_ENOSYS. Prints the measured errors (docs/qnn.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <kmlib/nn.h>
#include <kmlib/optim.h>
#include <kmlib/model.h>
#include <kmlib/qseq.h>
#include <kmlib/fixed.h>
#include "test_util.h"

#define NDATA 256

static struct kml_mem mem;

static unsigned int seed = 12345;

static float frand(void)
{
	seed = seed * 1103515245u + 12345u;
	return (float)((seed >> 8) & 0xffff) / 32768.0f - 1.0f;
}

static float *fvec(size_t n)
{
	float *v = calloc(n, sizeof(*v));
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = frand();
	return v;
}

struct model {
	const char *name;
	struct kml_nn *net;
	int x, out, loss, target;
	size_t in, outs;
	float *data; /* NDATA x in */
};

/* Train @m for @steps Adam steps of batch 16 on its data and targets. */
/* batch 16, parameters from @init_seed, room for NDATA inputs */
static void prepare(struct model *m, uint64_t init_seed)
{
	OK(kml_nn_prepare(m->net, 16));
	CHECK(kml_fpu_begin());
	OK(kml_nn_init_params(m->net, init_seed));
	kml_fpu_end();
	m->data = fvec((size_t)NDATA * m->in);
}

static void train(struct model *m, const void *targets, size_t tsize, int steps)
{
	struct kml_optim_cfg cfg;
	struct kml_optim *opt;
	void *x, *t;
	size_t n;
	int s;

	OK(kml_optim_defaults(&cfg, KML_OPTIM_ADAM, 0.01));
	OK(kml_optim_create(&opt, &mem, m->net, &cfg));
	OK(kml_nn_set_training(m->net, true));
	CHECK(kml_fpu_begin());
	for (s = 0; s < steps; s++) {
		size_t off = (size_t)(s * 16) % NDATA;

		OK(kml_nn_value(m->net, m->x, &x, &n));
		memcpy(x, m->data + off * m->in, 16 * m->in * sizeof(float));
		OK(kml_nn_value(m->net, m->target, &t, &n));
		memcpy(t, (const char *)targets + off * tsize, 16 * tsize);
		OK(kml_optim_train_step(opt, m->loss));
	}
	kml_fpu_end();
	kml_optim_destroy(opt);
}

/* Convert @m: plan, create, quantize; returns the report. */
static struct kml_qseq *convert(struct model *m,
				const struct kml_qnn_calib *cfg,
				struct kml_qnn_io *io,
				struct kml_qseq_report *rep)
{
	struct kml_qseq_desc d[KML_QSEQ_MAX_LAYERS];
	struct kml_qseq *q = NULL;
	uint32_t n = 0;

	OK(kml_qseq_plan(m->net, m->x, m->out, d, &n));
	OK(kml_qseq_create(&q, &mem, d, n, 8));
	if (!q)
		return NULL;
	CHECK(kml_qseq_in_size(q) == m->in);
	CHECK(kml_qseq_out_size(q) == m->outs);
	CHECK(kml_fpu_begin());
	OK(kml_qseq_quantize(q, m->net, m->x, m->out, m->data, NDATA, cfg, io));
	OK(kml_qseq_evaluate(q, m->net, m->x, m->out, m->data, NDATA, io, rep));
	kml_fpu_end();
	printf("%-16s %-10s layers %2u params %6zu B: max %.5f (%.2f steps) "
	       "mean %.6f\n",
	       m->name, cfg ? "percentile" : "minmax", n,
	       kml_qseq_param_bytes(q), rep->max_abs_err,
	       rep->max_abs_err / rep->out_step, rep->mean_abs_err);
	return q;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void fix_crc(uint8_t *b, size_t len)
{
	uint32_t crc = 0;

	kml_crc32(&crc, b, len - 4);
	put_le32(b + len - 4, crc);
}

/* Load must fail, leaving nothing allocated. */
static int load_fails(const uint8_t *b, size_t len)
{
	struct kml_qseq *q = (struct kml_qseq *)1;
	int err = kml_qseq_model_load(&mem, b, len, 4, &q);

	if (!err) {
		kml_qseq_destroy(q);
		return 0;
	}
	return q == NULL ? err : 0;
}

/* Any outcome but a crash; a success must resave to the same bytes. */
static void load_any(const uint8_t *b, size_t len, size_t in_size)
{
	struct kml_qseq *q = NULL;
	uint8_t *again;
	size_t w = 0;

	if (kml_qseq_model_load(&mem, b, len, 2, &q)) {
		CHECK(q == NULL);
		return;
	}
	again = malloc(len);
	OK(kml_qseq_model_save(q, again, len, &w));
	CHECK(w == len && !memcmp(again, b, len));
	if (in_size == kml_qseq_in_size(q)) {
		int8_t *x = calloc(2, in_size),
		       *y = calloc(2, kml_qseq_out_size(q));

		(void)kml_qseq_run(q, x, 2, y);
		free(x);
		free(y);
	}
	free(again);
	kml_qseq_destroy(q);
}

/* Round trip and hostile files for @q (quantized from @m). */
static void file_tests(struct model *m, struct kml_qseq *q,
		       const struct kml_qnn_io *io)
{
	size_t size = 0, w = 0, i, in = m->in, outs = m->outs, base;
	struct kml_qseq *r = NULL;
	uint8_t *b, *h;
	int8_t *xq, *y1, *y2;
	uint32_t l;

	OK(kml_qseq_model_size(q, &size));
	b = malloc(size);
	h = malloc(size);
	CHECK(kml_qseq_model_save(q, b, size - 1, &w) == KML_ENOSPC);
	OK(kml_qseq_model_save(q, b, size, &w));
	CHECK(w == size);
	OK(kml_qseq_model_load(&mem, b, size, 8, &r));
	if (!r)
		return;
	xq = malloc(8 * in);
	y1 = malloc(8 * outs);
	y2 = malloc(8 * outs);
	CHECK(kml_fpu_begin());
	OK(kml_quantize_f32_i8(m->data, 8 * in, io->in_scale, io->in_zp, xq));
	kml_fpu_end();
	OK(kml_qseq_run(q, xq, 8, y1));
	OK(kml_qseq_run(r, xq, 8, y2));
	CHECK(!memcmp(y1, y2, 8 * outs));
	OK(kml_qseq_model_save(r, h, size, &w));
	CHECK(w == size && !memcmp(h, b, size));
	kml_qseq_destroy(r);
	CHECK(kml_mem_current(&mem) != 0); /* nets and q still alive */
	base = kml_mem_current(&mem);
	/* truncation at every length */
	for (i = 0; i < size; i++)
		CHECK(load_fails(b, i));
	/* every byte flipped: the CRC catches it; with the CRC fixed, the
	 * parser must cope (fail, or load something that resaves exactly) */
	for (i = 0; i < size; i++) {
		memcpy(h, b, size);
		h[i] ^= 0xff;
		CHECK(load_fails(h, size));
		if (i < size - 4) {
			fix_crc(h, size);
			load_any(h, size, in);
		}
	}
	/* huge dims, bad shifts, bad zero points in the first record */
	for (l = 0; l < 5; l++) {
		static const uint32_t off[5] = { 40 + 16, 40 + 20, 40 + 24,
						 40 + 52, 40 + 56 };
		static const uint32_t val[5] = { 65535, 0xffffffffu, 70000, 200,
						 0x80000000u };

		memcpy(h, b, size);
		put_le32(h + off[l], val[l]);
		fix_crc(h, size);
		CHECK(load_fails(h, size));
	}
	/* a shift of 31 in the first layer with parameters */
	{
		const uint8_t *p = b + 40;

		for (;;) {
			uint32_t kind = p[0], n_rows, nw;

			if (kind == KML_QSEQ_LINEAR || kind == KML_QSEQ_CONV) {
				uint32_t ic = p[20] | p[21] << 8,
					 oc = p[24] | p[25] << 8,
					 kh = p[28] ? p[28] : 1,
					 kw = p[32] ? p[32] : 1;

				n_rows = oc;
				nw = oc * ic * kh * kw;
				memcpy(h, b, size);
				put_le32(h + (p - b) + 68 + nw + 8 * n_rows,
					 31);
				fix_crc(h, size);
				CHECK(load_fails(h, size) == KML_EBADMSG);
				break;
			}
			if (kind == KML_QSEQ_TO_HWC || kind == KML_QSEQ_RELU ||
			    kind == KML_QSEQ_MAXPOOL) {
				p += 68;
				continue;
			}
			break;
		}
	}
	/* a future version */
	memcpy(h, b, size);
	h[8] = 3;
	fix_crc(h, size);
	CHECK(load_fails(h, size) == KML_ENOSYS);
	CHECK(kml_mem_current(&mem) == base);
	free(xq);
	free(y1);
	free(y2);
	free(b);
	free(h);
}

static void finish(struct model *m, struct kml_qseq *q,
		   const struct kml_qseq_report *rep, float bound, float mean)
{
	CHECK(rep->values == (uint64_t)NDATA * m->outs);
	CHECK(rep->max_abs_err <= bound);
	CHECK(rep->mean_abs_err <= mean);
	(void)q;
}

/* (2, 8, 8) images, 4 classes: the quadrant with the largest mean. */
static void model_conv2d(void)
{
	struct kml_nn_window w3p = { { 3, 3 }, { 1, 1 }, { 1, 1 }, { 1, 1 } };
	struct kml_nn_window w3 = { { 3, 3 }, { 1, 1 }, { 0, 0 }, { 1, 1 } };
	struct kml_nn_window p2 = { { 2, 2 }, { 2, 2 }, { 0, 0 }, { 1, 1 } };
	struct model m = { "conv2d-cnn", NULL, 0, 0, 0, 0, 128, 4, NULL };
	uint32_t dims[3] = { 2, 8, 8 }, hist[16 * KML_QNN_HIST_BINS];
	struct kml_qnn_calib pc = { KML_QNN_CALIB_PERCENTILE, 999000, hist };
	struct kml_qseq_report rep, rep2;
	struct kml_qnn_io io, io2;
	struct kml_qseq *q;
	int32_t *labels = calloc(NDATA, sizeof(*labels));
	int h, logits, i, k;

	OK(kml_nn_create(&m.net, &mem, KML_NN_F32, 24));
	h = m.x = kml_nn_input(m.net, dims, 3, 0);
	h = kml_nn_conv2d(m.net, h, 4, &w3p, true);
	h = kml_nn_relu(m.net, h);
	h = kml_nn_pool2d(m.net, h, KML_NN_POOL_MAX, &p2); /* 4x4x4 */
	h = kml_nn_conv2d(m.net, h, 6, &w3, true); /* 6x2x2 */
	h = kml_nn_tanh(m.net, h);
	h = kml_nn_pool2d(m.net, h, KML_NN_POOL_AVG, &p2); /* 6x1x1 */
	h = kml_nn_flatten(m.net, h);
	h = kml_nn_linear(m.net, h, 12, true);
	h = kml_nn_relu(m.net, h);
	logits = kml_nn_linear(m.net, h, 4, true);
	m.out = kml_nn_softmax(m.net, logits);
	m.target = kml_nn_labels(m.net);
	m.loss = kml_nn_cross_entropy(m.net, logits, m.target, KML_NN_MEAN);
	CHECK(m.loss > 0);
	prepare(&m, 7);
	for (i = 0; i < NDATA; i++) {
		float s[4] = { 0 };
		int y, x;

		for (k = 0; k < 2; k++)
			for (y = 0; y < 8; y++)
				for (x = 0; x < 8; x++)
					s[(y / 4) * 2 + x / 4] +=
					    m.data[i * 128 + k * 64 + y * 8 +
						   x];
		labels[i] = 0;
		for (k = 1; k < 4; k++)
			if (s[k] > s[labels[i]])
				labels[i] = k;
	}
	train(&m, labels, sizeof(*labels), 400);
	OK(kml_nn_set_training(m.net, false));
	q = convert(&m, NULL, &io, &rep);
	finish(&m, q, &rep, 0.1f, 0.006f); /* probabilities */
	file_tests(&m, q, &io);
	kml_qseq_destroy(q);
	q = convert(&m, &pc, &io2, &rep2);
	finish(&m, q, &rep2, 0.15f, 0.006f);
	kml_qseq_destroy(q);
	kml_nn_destroy(m.net);
	free(m.data);
	free(labels);
}

/* (3, 16) sequences, untrained: conv1d, pool1d, sigmoid. */
static void model_conv1d(void)
{
	struct model m = { "conv1d-sigmoid", NULL, 0, 0, 0, 0, 48, 2, NULL };
	uint32_t dims[2] = { 3, 16 };
	struct kml_qseq_report rep;
	struct kml_qnn_io io;
	struct kml_qseq *q;
	int h;

	OK(kml_nn_create(&m.net, &mem, KML_NN_F32, 12));
	h = m.x = kml_nn_input(m.net, dims, 2, 0);
	h = kml_nn_conv1d(m.net, h, 4, 3, 2, 1, 1, true); /* 4 x 8 */
	h = kml_nn_relu(m.net, h);
	h = kml_nn_pool1d(m.net, h, KML_NN_POOL_MAX, 2, 2, 0); /* 4 x 4 */
	h = kml_nn_flatten(m.net, h);
	h = kml_nn_linear(m.net, h, 2, true);
	m.out = kml_nn_sigmoid(m.net, h);
	prepare(&m, 3);
	q = convert(&m, NULL, &io, &rep);
	finish(&m, q, &rep, 0.02f, 0.002f);
	file_tests(&m, q, &io);
	kml_qseq_destroy(q);
	kml_nn_destroy(m.net);
	free(m.data);
}

#define LT 8
#define LI 3
#define LH 16

/* Running sums: target = mean over steps of feature 0 and of 1 - 2. */
static void model_lstm(bool all_steps)
{
	struct model m = { all_steps ? "lstm-allsteps" : "lstm-last",
			   NULL,
			   0,
			   0,
			   0,
			   0,
			   LT * LI,
			   all_steps ? LT * 2 : 2,
			   NULL };
	uint32_t dims[2] = { LT, LI };
	float *targets = calloc((size_t)NDATA * 2 * LT, sizeof(float));
	struct kml_qseq_report rep;
	struct kml_qnn_io io;
	struct kml_qseq *q;
	int h, i, t;

	OK(kml_nn_create(&m.net, &mem, KML_NN_F32, 12));
	h = m.x = kml_nn_input(m.net, dims, 2, 0);
	h = kml_nn_lstm(m.net, h, LH, all_steps);
	h = kml_nn_linear(m.net, h, 2, true);
	m.out = all_steps ? kml_nn_tanh(m.net, h) : h;
	m.target = kml_nn_input(
	    m.net, all_steps ? (uint32_t[]){ LT, 2 } : (uint32_t[]){ 2 },
	    all_steps ? 2 : 1, 0);
	m.loss = kml_nn_mse(m.net, m.out, m.target, KML_NN_MEAN);
	prepare(&m, 11);
	for (i = 0; i < NDATA; i++) {
		float a = 0, b = 0;

		for (t = 0; t < LT; t++) {
			const float *x = m.data + (size_t)i * m.in + t * LI;

			a += x[0] / LT;
			b += (x[1] - x[2]) / LT;
			if (all_steps) {
				targets[((size_t)i * LT + t) * 2] = a;
				targets[((size_t)i * LT + t) * 2 + 1] = b;
			}
		}
		if (!all_steps) {
			targets[(size_t)i * 2] = a;
			targets[(size_t)i * 2 + 1] = b;
		}
	}
	train(&m, targets, m.outs * sizeof(float), 300);
	OK(kml_nn_set_training(m.net, false));
	q = convert(&m, NULL, &io, &rep);
	finish(&m, q, &rep, 0.05f, 0.005f);
	file_tests(&m, q, &io);
	kml_qseq_destroy(q);
	kml_nn_destroy(m.net);
	free(m.data);
	free(targets);
}

/* Layers with no int8 operator, or options the int8 ones lack. */
static void unsupported(void)
{
	struct kml_nn_window avgpad = {
		{ 3, 3 }, { 1, 1 }, { 1, 1 }, { 1, 1 }
	};
	struct kml_qseq_desc d[KML_QSEQ_MAX_LAYERS];
	uint32_t dims[3] = { 1, 6, 6 }, n;
	struct kml_nn *net;
	int x, y, g;

	OK(kml_nn_create(&net, &mem, KML_NN_F32, 12));
	x = kml_nn_input(net, dims, 3, 0);
	y = kml_nn_pool2d(net, x, KML_NN_POOL_AVG, &avgpad);
	g = kml_nn_gru(net, kml_nn_input(net, (uint32_t[]){ 4, 2 }, 2, 0), 3,
		       false);
	OK(kml_nn_prepare(net, 2));
	CHECK(kml_qseq_plan(net, x, y, d, &n) == KML_ENOSYS);
	CHECK(kml_qseq_plan(net, g - 1, g, d, &n) == KML_ENOSYS);
	CHECK(kml_qseq_plan(net, y, x, d, &n) == KML_EINVAL);
	kml_nn_destroy(net);
	/* create: chaining and sizes */
	{
		struct kml_qseq_desc a[2] = {
			{ .kind = KML_QSEQ_LINEAR,
			  .rows = 1,
			  .in_c = 4,
			  .out_c = 3 },
			{ .kind = KML_QSEQ_RELU, .in_c = 4 },
		};
		struct kml_qseq *q = NULL;

		CHECK(kml_qseq_create(&q, &mem, a, 2, 1) == KML_EINVAL);
		a[1].in_c = 3;
		a[1].k_h = 1; /* a field relu does not use */
		CHECK(kml_qseq_create(&q, &mem, a, 2, 1) == KML_EINVAL);
		a[1].k_h = 0;
		a[0].in_c = 70000;
		CHECK(kml_qseq_create(&q, &mem, a, 2, 1) == KML_EOVERFLOW);
		a[0].in_c = 4;
		a[0].kind = 99;
		CHECK(kml_qseq_create(&q, &mem, a, 2, 1) == KML_ENOSYS);
		CHECK(q == NULL);
	}
}

int main(void)
{
	OK(kml_mem_init(&mem, "qseq-test", 256u << 20));
	model_conv2d();
	model_conv1d();
	model_lstm(false);
	model_lstm(true);
	unsupported();
	CHECK(kml_mem_current(&mem) == 0);
	printf("%s\n", test_failures ? "FAILED" : "ok");
	return test_exit_status();
}

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * gen_seeds.c - the fuzzer's seed corpus (tests/fuzz/corpus/): small valid
 * model files covering every saveable layer kind, both dtypes and every
 * optimizer, each behind a fuzz mode byte (fuzz_model_load.c).
 *   gen_seeds DIR          write the seeds into DIR
 *   gen_seeds --check DIR  fail unless DIR holds exactly these bytes
 * The meson test 'model-fuzz-seeds' runs the check, so the committed
 * corpus stays valid when the format or the layers change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kmlib/model.h"
#include "kmlib/prng.h"
#include "kmlib/qnn_model.h"
#include "kmlib/qseq.h"

static int mlp(struct kml_nn *net)
{
	int x = kml_nn_input_vec(net, 4, 0);
	int h = kml_nn_tanh(net, kml_nn_linear(net, x, 6, true));
	int y = kml_nn_linear(net, h, 3, false);

	return kml_nn_cross_entropy(net, y, kml_nn_labels(net), KML_NN_SUM);
}

static int dag(struct kml_nn *net)
{
	uint32_t d23[2] = { 2, 3 }, d6 = 6;
	int x = kml_nn_input(net, d23, 2, KML_NN_REQUIRES_GRAD);
	int r = kml_nn_reshape(net, kml_nn_linear(net, x, 3, true), &d6, 1);
	int s = kml_nn_sigmoid(net, r);
	int a = kml_nn_add(net, s, kml_nn_leaky_relu(net, r, 0.1));
	int cat[2] = { a, kml_nn_relu(net, s) };
	int c = kml_nn_flatten(net, kml_nn_concat(net, cat, 2, 0));
	int t = kml_nn_input_vec(net, 12, 0);

	kml_nn_huber(net, kml_nn_softmax(net, c), t, 0.5, KML_NN_SUM);
	kml_nn_mse(net, kml_nn_log_softmax(net, c), t, KML_NN_MEAN);
	return kml_nn_bce_logits(net, c, t, KML_NN_MEAN);
}

static int seq(struct kml_nn *net)
{
	uint32_t d26[2] = { 2, 6 }, d144[3] = { 1, 4, 4 };
	struct kml_nn_window w = { { 2, 2 }, { 1, 1 }, { 0, 0 }, { 1, 1 } };
	int x = kml_nn_input(net, d26, 2, 0);
	int c = kml_nn_conv1d(net, x, 2, 3, 1, 1, 1, true);
	int p = kml_nn_pool1d(net, c, KML_NN_POOL_AVG, 2, 2, 0);
	int d = kml_nn_dropout(net, p, 0.5, 77);
	int l =
	    kml_nn_lstm(net, kml_nn_layer_norm(net, d, 1e-5, true), 3, true);
	int bn = kml_nn_batch_norm(net, l, 1e-5, 0.1, true);
	int g = kml_nn_gru(net, bn, 2, false);
	int im = kml_nn_input(net, d144, 3, 0);
	int q = kml_nn_pool2d(net, kml_nn_conv2d(net, im, 1, &w, false),
			      KML_NN_POOL_MAX, &w);
	int cat[2] = { g, kml_nn_flatten(net, q) };

	kml_nn_set_training(net, false);
	return kml_nn_mse(net, kml_nn_concat(net, cat, 2, 0),
			  kml_nn_input_vec(net, 6, 0), KML_NN_SUM);
}

static int linreg(struct kml_nn *net)
{
	int x = kml_nn_input_vec(net, 2, 0);

	return kml_nn_mse(net, kml_nn_linear(net, x, 1, true),
			  kml_nn_input_vec(net, 1, 0), KML_NN_MEAN);
}

struct seed {
	const char *name;
	uint8_t mode;
	int (*build)(struct kml_nn *net);
	int dtype;
	int optim; /* -1: none */
};

static const struct seed seeds[] = {
	{ "linreg-f32", 0, linreg, KML_NN_F32, -1 },
	{ "linreg-f64-sgd", 3, linreg, KML_NN_F64, KML_OPTIM_SGD },
	{ "mlp-f32-adam", 0, mlp, KML_NN_F32, KML_OPTIM_ADAM },
	{ "mlp-f64", 3, mlp, KML_NN_F64, -1 },
	{ "dag-f32-rmsprop", 3, dag, KML_NN_F32, KML_OPTIM_RMSPROP },
	{ "dag-f64", 0, dag, KML_NN_F64, -1 },
	{ "seq-f32-adam", 3, seq, KML_NN_F32, KML_OPTIM_ADAM },
	{ "seq-f64", 0, seq, KML_NN_F64, -1 },
};

/* The seed's bytes (mode byte first) in a malloc()ed buffer. */
static uint8_t *make(const struct seed *s, struct kml_mem *mem, size_t *len)
{
	struct kml_nn *net = NULL;
	struct kml_optim *opt = NULL;
	struct kml_optim_cfg cfg;
	uint8_t *buf = NULL;
	size_t size = 0;
	int loss, i;

	if (kml_nn_create(&net, mem, s->dtype, 24))
		return NULL;
	loss = s->build(net);
	if (loss < 0 || kml_nn_prepare(net, 2) || kml_nn_init_params(net, 5))
		goto out;
	if (s->optim >= 0) {
		kml_optim_defaults(&cfg, s->optim, 0.01);
		cfg.momentum = s->optim == KML_OPTIM_ADAM ? 0 : 0.5;
		if (kml_optim_create(&opt, mem, net, &cfg))
			goto out;
		for (i = 0; i < 2; i++)
			if (kml_optim_train_step(opt, loss))
				goto out;
	}
	if (kml_model_size(net, opt, &size))
		goto out;
	buf = malloc(size + 1);
	if (!buf)
		goto out;
	buf[0] = s->mode;
	if (kml_model_save(net, opt, buf + 1, size, len)) {
		free(buf);
		buf = NULL;
	}
	(*len)++;
out:
	kml_optim_destroy(opt);
	kml_nn_destroy(net);
	return buf;
}

/*
 * Quantized seeds (mode bit 4): a 6-5-3 int8 MLP with parameters from
 * kml_prng(@seed) inside the ranges kml_qnn_check() accepts.
 */
static uint8_t *make_qnn(uint8_t mode, uint64_t seed, struct kml_mem *mem,
			 size_t *len)
{
	static const uint32_t sizes[] = { 6, 5, 3 };
	struct kml_qnn_layer *ly;
	struct kml_qnn *q = NULL;
	struct kml_prng r;
	uint8_t *buf = NULL;
	size_t size = 0;
	uint32_t l, i;

	if (kml_qnn_create(&q, mem, sizes, 2, 1))
		return NULL;
	kml_prng_seed(&r, seed);
	for (l = 0; l < 2; l++) {
		kml_qnn_layer(q, l, &ly);
		for (i = 0; i < ly->in * ly->out; i++)
			ly->weight[i] = (int8_t)kml_prng_u32(&r);
		for (i = 0; i < ly->out; i++) {
			ly->bias[i] = (int32_t)kml_prng_below(&r, 2001) - 1000;
			ly->mult[i] =
			    (1 << 30) + (int32_t)kml_prng_below(&r, 1 << 30);
			ly->shift[i] = -(int32_t)kml_prng_below(&r, 10);
		}
		ly->in_zp = l ? 3 : -20;
		ly->out_zp = l ? -1 : 3;
		ly->act_min = l ? -128 : 3;
	}
	if (!kml_qnn_model_size(q, &size) && (buf = malloc(size + 1))) {
		buf[0] = mode;
		if (kml_qnn_model_save(q, buf + 1, size, len)) {
			free(buf);
			buf = NULL;
		}
		(*len)++;
	}
	kml_qnn_destroy(q);
	return buf;
}

/*
 * Quantized sequential seeds (mode bit 5): small float networks with
 * every int8 layer kind, initialised from @seed and converted with
 * kml_qseq_quantize() on PRNG calibration data.
 */
static int qseq_cnn(struct kml_nn *net)
{
	struct kml_nn_window w3p = { { 3, 3 }, { 1, 1 }, { 1, 1 }, { 1, 1 } };
	struct kml_nn_window p2 = { { 2, 2 }, { 2, 2 }, { 0, 0 }, { 1, 1 } };
	uint32_t dims[3] = { 2, 4, 4 };
	int h = kml_nn_input(net, dims, 3, 0);

	h = kml_nn_conv2d(net, h, 3, &w3p, true);
	h = kml_nn_relu(net, h);
	h = kml_nn_pool2d(net, h, KML_NN_POOL_MAX, &p2);
	h = kml_nn_tanh(net, h);
	h = kml_nn_pool1d(net, kml_nn_reshape(net, h, (uint32_t[]){ 3, 4 }, 2),
			  KML_NN_POOL_AVG, 2, 2, 0);
	h = kml_nn_conv1d(net, h, 2, 1, 1, 0, 1, false);
	h = kml_nn_flatten(net, h);
	h = kml_nn_linear(net, h, 3, true);
	return kml_nn_softmax(net, kml_nn_relu(net, h));
}

static int qseq_rnn(struct kml_nn *net)
{
	uint32_t dims[2] = { 4, 2 };
	int h = kml_nn_input(net, dims, 2, 0);

	h = kml_nn_lstm(net, h, 3, true);
	h = kml_nn_linear(net, h, 2, true);
	h = kml_nn_sigmoid(net, h);
	h = kml_nn_flatten(net, h);
	h = kml_nn_lstm(net, kml_nn_reshape(net, h, (uint32_t[]){ 2, 4 }, 2), 2,
			false);
	return kml_nn_relu(net, h);
}

static uint8_t *make_qseq(uint8_t mode, uint64_t seed, struct kml_mem *mem,
			  size_t *len)
{
	struct kml_qseq_desc d[KML_QSEQ_MAX_LAYERS];
	struct kml_nn *net = NULL;
	struct kml_qseq *q = NULL;
	struct kml_qnn_io io;
	struct kml_prng r;
	uint8_t *buf = NULL;
	float calib[64 * 32];
	size_t size = 0, i;
	uint32_t n;
	int out;

	if (kml_nn_create(&net, mem, KML_NN_F32, 24))
		return NULL;
	out = seed & 1 ? qseq_cnn(net) : qseq_rnn(net);
	kml_prng_seed(&r, seed);
	for (i = 0; i < 64 * 32; i++)
		calib[i] = (float)kml_prng_double(&r) * 4.0f - 2.0f;
	if (out > 0 && !kml_nn_prepare(net, 4) &&
	    !kml_nn_init_params(net, seed) &&
	    !kml_qseq_plan(net, 0, out, d, &n) &&
	    !kml_qseq_create(&q, mem, d, n, 1) &&
	    !kml_qseq_quantize(q, net, 0, out, calib,
			       64 * 32 / kml_qseq_in_size(q), NULL, &io) &&
	    !kml_qseq_model_size(q, &size) && (buf = malloc(size + 1))) {
		buf[0] = mode;
		if (kml_qseq_model_save(q, buf + 1, size, len)) {
			free(buf);
			buf = NULL;
		}
		(*len)++;
	}
	kml_qseq_destroy(q);
	kml_nn_destroy(net);
	return buf;
}

static const struct {
	const char *name;
	uint8_t mode;
	uint64_t seed;
} qseeds[] = {
	{ "qnn-int8-a", 16, 1 },
	{ "qnn-int8-b", 19, 2 },
	{ "qseq-cnn", 32, 3 },
	{ "qseq-rnn", 35, 4 },
};

int main(int argc, char **argv)
{
	int check = argc == 3 && !strcmp(argv[1], "--check");
	const char *dir = argv[argc - 1];
	struct kml_mem mem;
	size_t i;
	int bad = 0;

	if (argc != 2 && !check) {
		fprintf(stderr, "usage: gen_seeds [--check] DIR\n");
		return 2;
	}
	kml_mem_init(&mem, "seeds", 0);
	if (!kml_fpu_begin())
		return 2;
	for (i = 0; i < KML_ARRAY_SIZE(seeds) + KML_ARRAY_SIZE(qseeds); i++) {
		char path[512];
		size_t len = 0, got, j = i - KML_ARRAY_SIZE(seeds);
		bool q = i >= KML_ARRAY_SIZE(seeds);
		const char *name = q ? qseeds[j].name : seeds[i].name;
		uint8_t *b = !q ? make(&seeds[i], &mem, &len)
			     : qseeds[j].mode & 32
				 ? make_qseq(qseeds[j].mode, qseeds[j].seed,
					     &mem, &len)
				 : make_qnn(qseeds[j].mode, qseeds[j].seed,
					    &mem, &len),
			*old;
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (!b) {
			fprintf(stderr, "%s: cannot build\n", name);
			return 1;
		}
		if (!check) {
			f = fopen(path, "wb");
			if (!f || fwrite(b, 1, len, f) != len || fclose(f))
				return 1;
		} else {
			old = malloc(len + 1);
			f = fopen(path, "rb");
			got = f && old ? fread(old, 1, len + 1, f) : 0;
			if (f)
				fclose(f);
			if (got != len || memcmp(old, b, len)) {
				fprintf(stderr,
					"%s: stale, regenerate with "
					"gen_seeds tests/fuzz/corpus\n",
					path);
				bad = 1;
			}
			free(old);
		}
		free(b);
	}
	kml_fpu_end();
	return bad || kml_mem_current(&mem) ? 1 : 0;
}

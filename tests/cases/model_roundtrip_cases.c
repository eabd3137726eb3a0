// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * model_roundtrip_cases.c - save, load, and compare bit for bit (an FPU
 * suite): every node's value after a forward pass on the same inputs, and
 * the parameters and optimizer state after three more training steps on
 * both copies, for nets that use every saveable layer kind, both dtypes
 * and every optimizer.
 */
#include "../ktest.h"
#include "kmlib/model.h"
#include "kmlib/nn_ops.h"
#include "kmlib/prng.h"

#define RT_ARENA (40 * 1024) /* per copy of a net */
#define RT_BATCH 4

/* Builds a net and returns its loss node; records input nodes. */
typedef int (*rt_build)(struct kml_nn *net);

static int build_mlp(struct kml_nn *net)
{
	int x = kml_nn_input_vec(net, 4, 0);
	int h = kml_nn_tanh(net, kml_nn_linear(net, x, 8, true));
	int y = kml_nn_linear(net, h, 3, false);

	return kml_nn_cross_entropy(net, y, kml_nn_labels(net), KML_NN_MEAN);
}

/* Every other kind: rank-2 input with a gradient, reshape, flatten,
 * branches merged by add and concat, and four losses. */
static int build_dag(struct kml_nn *net)
{
	uint32_t d23[2] = { 2, 3 }, d6 = 6;
	int x = kml_nn_input(net, d23, 2, KML_NN_REQUIRES_GRAD);
	int l = kml_nn_linear(net, x, 3, true);
	int r = kml_nn_reshape(net, l, &d6, 1);
	int s = kml_nn_sigmoid(net, r);
	int a = kml_nn_add(net, s, kml_nn_leaky_relu(net, r, 0.1));
	int cat[2] = { a, kml_nn_relu(net, s) };
	int c = kml_nn_concat(net, cat, 2, 0);
	int f = kml_nn_flatten(net, c);
	int t = kml_nn_input_vec(net, 12, 0);
	int sm = kml_nn_softmax(net, f);

	kml_nn_huber(net, sm, t, 0.5, KML_NN_SUM);
	kml_nn_mse(net, kml_nn_log_softmax(net, f), t, KML_NN_MEAN);
	kml_nn_tanh(net, f);
	return kml_nn_bce_logits(net, f, t, KML_NN_MEAN);
}

/* Sequences: conv1d, max pool, dropout (evaluation mode: its PRNG
 * position is not saved), layer norm, LSTM over every step, GRU. */
static int build_seq(struct kml_nn *net)
{
	uint32_t d28[2] = { 2, 8 };
	int x = kml_nn_input(net, d28, 2, 0);
	int c = kml_nn_conv1d(net, x, 3, 3, 1, 1, 1, true);
	int p = kml_nn_pool1d(net, c, KML_NN_POOL_MAX, 2, 2, 0);
	int d = kml_nn_dropout(net, p, 0.25, 0x123456789ull);
	int n = kml_nn_layer_norm(net, d, 1e-5, true);
	int l = kml_nn_lstm(net, n, 5, true);
	int g = kml_nn_gru(net, l, 3, false);
	int y = kml_nn_linear(net, g, 2, true);

	kml_nn_set_training(net, false);
	return kml_nn_mse(net, y, kml_nn_input_vec(net, 2, 0), KML_NN_MEAN);
}

/* Images: conv2d with stride, padding and dilation, average pooling. */
static int build_img(struct kml_nn *net)
{
	uint32_t d155[3] = { 1, 5, 5 };
	struct kml_nn_window cw = { { 3, 2 }, { 1, 2 }, { 1, 1 }, { 1, 2 } };
	struct kml_nn_window pw = { { 2, 1 }, { 2, 1 }, { 1, 0 }, { 1, 1 } };
	int x = kml_nn_input(net, d155, 3, KML_NN_REQUIRES_GRAD);
	int c = kml_nn_conv2d(net, x, 2, &cw, false);
	int p = kml_nn_pool2d(net, c, KML_NN_POOL_AVG, &pw);
	int y = kml_nn_linear(net, kml_nn_flatten(net, p), 1, true);

	return kml_nn_bce_logits(net, y, kml_nn_input_vec(net, 1, 0),
				 KML_NN_SUM);
}

/* Batch norm in training mode: its running statistics (buffers, not
 * parameters) move at every forward pass and must be saved too. */
static int build_bn(struct kml_nn *net)
{
	uint32_t d34[2] = { 3, 4 };
	int x = kml_nn_input(net, d34, 2, 0);
	int b = kml_nn_batch_norm(net, x, 1e-5, 0.1, true);
	int y = kml_nn_linear(net, kml_nn_flatten(net, kml_nn_relu(net, b)), 2,
			      true);

	return kml_nn_mse(net, y, kml_nn_input_vec(net, 2, 0), KML_NN_MEAN);
}

static int build_linreg(struct kml_nn *net)
{
	int x = kml_nn_input_vec(net, 2, 0);
	int y = kml_nn_linear(net, x, 1, true);

	return kml_nn_mse(net, y, kml_nn_input_vec(net, 1, 0), KML_NN_SUM);
}

static int rt_make(struct kt_ctx *t, struct kml_mem *m, rt_build build,
		   int dtype, struct kml_nn **out)
{
	struct kml_nn *net = NULL;
	int loss;

	*out = NULL;
	KT_EXPECT_OK(t, kml_nn_create(&net, m, dtype, 24));
	if (!net)
		return -1;
	loss = build(net);
	KT_EXPECT(t, loss > 0);
	KT_EXPECT_OK(t, kml_nn_prepare(net, RT_BATCH));
	KT_EXPECT_OK(t, kml_nn_init_params(net, 42));
	*out = net;
	return loss;
}

/* Fresh inputs: values in [0, 1), labels in [0, 3). */
static void rt_inputs(struct kml_nn *net, struct kml_prng *r)
{
	struct kml_nn_node *n;
	int id;

	for (id = 0; !kml_nn_get_node(net, id, &n); id++) {
		size_t i, count;
		void *v;

		if (!(n->flags & KML_NN_NODE_INPUT))
			continue;
		kml_nn_value(net, id, &v, &count);
		for (i = 0; i < count; i++) {
			if (n->flags & KML_NN_NODE_LABELS)
				((int32_t *)v)[i] =
				    (int32_t)kml_prng_below(r, 3);
			else if (kml_nn_dtype_of(net) == KML_NN_F32)
				((float *)v)[i] = kml_prng_float(r);
			else
				((double *)v)[i] = kml_prng_double(r);
		}
	}
}

static void rt_train(struct kt_ctx *t, struct kml_nn *net,
		     struct kml_optim *opt, int loss, uint64_t seed)
{
	struct kml_prng r;
	int i;

	kml_prng_seed(&r, seed);
	for (i = 0; i < 3; i++) {
		rt_inputs(net, &r);
		KT_EXPECT_OK(t, kml_optim_train_step(opt, loss));
	}
}

/* Every node's value buffer equal, byte for byte. */
static void rt_same_values(struct kt_ctx *t, struct kml_nn *a, struct kml_nn *b)
{
	struct kml_nn_node *na, *nb;
	int id;

	for (id = 0; !kml_nn_get_node(a, id, &na); id++) {
		size_t esz = (na->flags & KML_NN_NODE_LABELS)	? 4
			     : kml_nn_dtype_of(a) == KML_NN_F32 ? 4
								: 8;
		size_t len = kml_nn_node_len(na, RT_BATCH) * esz;

		KT_EXPECT_OK(t, kml_nn_get_node(b, id, &nb));
		if (!nb)
			return;
		KT_EXPECT(t, !kml_memcmp(na->y, nb->y, len));
		kt_digest(t, na->y, len);
	}
}

/* Save @net and @opt into memory from @m; *@len gets the size. */
static uint8_t *rt_save(struct kt_ctx *t, struct kml_mem *m, struct kml_nn *net,
			struct kml_optim *opt, size_t *len)
{
	uint8_t *buf = NULL;
	size_t w = 0;

	*len = 0;
	KT_EXPECT_OK(t, kml_model_size(net, opt, len));
	KT_EXPECT_OK(t, kml_alloc(m, *len, 0, (void **)&buf));
	if (buf)
		KT_EXPECT_OK(t, kml_model_save(net, opt, buf, *len, &w));
	KT_EXPECT_EQ(t, w, *len);
	return buf;
}

static void roundtrip(struct kt_ctx *t, rt_build build, int dtype,
		      const struct kml_optim_cfg *cfg)
{
	struct kml_mem ma, mb, ms;
	struct kml_nn *a = NULL, *b = NULL;
	struct kml_optim *oa = NULL, *ob = NULL;
	uint8_t *arena = NULL, *file, *file_a, *file_b;
	size_t len = 0, len_a = 0, len_b = 0;
	struct kml_prng r;
	int loss;

	KT_EXPECT_OK(t, kml_alloc(t->mem, 3 * RT_ARENA, 0, (void **)&arena));
	if (!arena)
		return;
	kml_mem_init_arena(&ma, "rt-a", arena, RT_ARENA);
	kml_mem_init_arena(&mb, "rt-b", arena + RT_ARENA, RT_ARENA);
	kml_mem_init_arena(&ms, "rt-files", arena + 2 * RT_ARENA, RT_ARENA);
	loss = rt_make(t, &ma, build, dtype, &a);
	if (!a)
		goto out;
	KT_EXPECT_OK(t, kml_optim_create(&oa, &ma, a, cfg));
	if (!oa)
		goto out;
	rt_train(t, a, oa, loss, 7);
	file = rt_save(t, &ms, a, oa, &len);
	if (!file)
		goto out;
	kt_digest(t, file, len);
	KT_EXPECT_OK(t, kml_model_load(&mb, file, len, RT_BATCH, &b, &ob));
	if (!b || !ob)
		goto out;
	KT_EXPECT_EQ(t, kml_optim_steps(ob), 3);
	/* the same inputs: the same values in every node */
	kml_prng_seed(&r, 99);
	rt_inputs(a, &r);
	kml_prng_seed(&r, 99);
	rt_inputs(b, &r);
	KT_EXPECT_OK(t, kml_nn_forward(a));
	KT_EXPECT_OK(t, kml_nn_forward(b));
	rt_same_values(t, a, b);
	/* training goes on identically: parameters and state, as files */
	rt_train(t, a, oa, loss, 8);
	rt_train(t, b, ob, loss, 8);
	file_a = rt_save(t, &ms, a, oa, &len_a);
	file_b = rt_save(t, &ms, b, ob, &len_b);
	KT_EXPECT(t, file_a && file_b && len_a == len && len_b == len);
	if (file_a && file_b) {
		KT_EXPECT(t, !kml_memcmp(file_a, file_b, len));
		KT_EXPECT(t, kml_memcmp(file_a, file, len)); /* it trained */
		kt_digest(t, file_b, len_b);
	}
out:
	kml_optim_destroy(ob);
	kml_nn_destroy(b);
	kt_digest(t, &len, sizeof(len));
	kml_optim_destroy(oa);
	kml_nn_destroy(a);
	KT_EXPECT_EQ(t, kml_mem_current(&ma), 0);
	KT_EXPECT_EQ(t, kml_mem_current(&mb), 0);
	kml_free(t->mem, arena);
}

static void rt_mlp_adam_f32(struct kt_ctx *t)
{
	struct kml_optim_cfg cfg;

	KT_EXPECT_OK(t, kml_optim_defaults(&cfg, KML_OPTIM_ADAM, 0.01));
	cfg.weight_decay = 0.001;
	roundtrip(t, build_mlp, KML_NN_F32, &cfg);
}

static void rt_mlp_sgd_f64(struct kt_ctx *t)
{
	struct kml_optim_cfg cfg;

	KT_EXPECT_OK(t, kml_optim_defaults(&cfg, KML_OPTIM_SGD, 0.1));
	cfg.momentum = 0.9;
	cfg.dampening = 0.1;
	roundtrip(t, build_mlp, KML_NN_F64, &cfg);
}

/* The kernel gives each case one arena, which never reuses freed
 * memory: one round trip per case. */
static void rt_dag_rmsprop(struct kt_ctx *t, int dtype)
{
	struct kml_optim_cfg cfg;

	KT_EXPECT_OK(t, kml_optim_defaults(&cfg, KML_OPTIM_RMSPROP, 0.01));
	cfg.centered = true;
	cfg.momentum = 0.5;
	roundtrip(t, build_dag, dtype, &cfg);
}

static void rt_dag_rmsprop_f32(struct kt_ctx *t)
{
	rt_dag_rmsprop(t, KML_NN_F32);
}

static void rt_dag_rmsprop_f64(struct kt_ctx *t)
{
	rt_dag_rmsprop(t, KML_NN_F64);
}

static void rt_linreg_nesterov(struct kt_ctx *t)
{
	struct kml_optim_cfg cfg;

	KT_EXPECT_OK(t, kml_optim_defaults(&cfg, KML_OPTIM_SGD, 0.05));
	cfg.momentum = 0.9;
	cfg.nesterov = true;
	cfg.weight_decay = 0.01;
	roundtrip(t, build_linreg, KML_NN_F32, &cfg);
}

static void rt_seq_adam(struct kt_ctx *t)
{
	struct kml_optim_cfg cfg;

	KT_EXPECT_OK(t, kml_optim_defaults(&cfg, KML_OPTIM_ADAM, 0.01));
	roundtrip(t, build_seq, KML_NN_F32, &cfg);
}

static void rt_img_sgd_f64(struct kt_ctx *t)
{
	struct kml_optim_cfg cfg;

	KT_EXPECT_OK(t, kml_optim_defaults(&cfg, KML_OPTIM_SGD, 0.1));
	cfg.momentum = 0.5;
	roundtrip(t, build_img, KML_NN_F64, &cfg);
}

static void rt_bn_rmsprop_f64(struct kt_ctx *t)
{
	struct kml_optim_cfg cfg;

	KT_EXPECT_OK(t, kml_optim_defaults(&cfg, KML_OPTIM_RMSPROP, 0.01));
	roundtrip(t, build_bn, KML_NN_F64, &cfg);
}

static const struct kt_case model_roundtrip_cases[] = {
	{ "bn_rmsprop_f64", rt_bn_rmsprop_f64 },
	{ "seq_adam_f32", rt_seq_adam },
	{ "img_sgd_f64", rt_img_sgd_f64 },
	{ "mlp_adam_f32", rt_mlp_adam_f32 },
	{ "mlp_sgd_f64", rt_mlp_sgd_f64 },
	{ "dag_rmsprop_f32", rt_dag_rmsprop_f32 },
	{ "dag_rmsprop_f64", rt_dag_rmsprop_f64 },
	{ "linreg_nesterov", rt_linreg_nesterov },
};

KT_SUITE(kt_suite_model_roundtrip, "model_roundtrip", true, 3 * RT_ARENA + 64,
	 model_roundtrip_cases);

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * nn_api_cases.c - building networks: bad arguments, shape errors, size
 * overflows and memory caps (no float code: a nofpu suite).
 */
#include "../ktest.h"
#include "kmlib/nn.h"
#include "kmlib/optim.h"

static void api_create(struct kt_ctx *t)
{
	struct kml_nn *net = (struct kml_nn *)t; /* must be reset to NULL */

	KT_EXPECT_EQ(t, kml_nn_create(NULL, t->mem, KML_NN_F32, 4), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_create(&net, NULL, KML_NN_F32, 4), KML_EINVAL);
	KT_EXPECT(t, net == NULL);
	KT_EXPECT_EQ(t, kml_nn_create(&net, t->mem, KML_NN_F32, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_create(&net, t->mem, (enum kml_nn_dtype)7, 4),
		     KML_ENOSYS);
	KT_EXPECT_EQ(t, kml_nn_create(&net, t->mem, KML_NN_F32, SIZE_MAX),
		     KML_EINVAL);
	KT_EXPECT(t, net == NULL);
	kml_nn_destroy(NULL);
	KT_EXPECT_EQ(t, kml_mem_current(t->mem), 0);
}

static void api_build_errors(struct kt_ctx *t)
{
	uint32_t d2[2] = { 2, 3 }, d5[5] = { 1, 1, 1, 1, 1 }, zero = 0;
	uint32_t huge[4] = { 1u << 20, 1u << 20, 1u << 20, 1u << 20 };
	uint32_t six = 6, bad_count = 7;
	struct kml_nn *net = NULL;
	int x, y, m, lab, cat[2];

	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, KML_NN_F32, 12));
	if (!net)
		return;
	KT_EXPECT_EQ(t, kml_nn_input(NULL, d2, 2, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_input(net, NULL, 2, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_input(net, d2, 0, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_input(net, d5, 5, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_input(net, &zero, 1, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_input(net, d2, 2, 1u << 7), KML_EINVAL);
	KT_EXPECT_EQ(
	    t, kml_nn_input(net, d2, 2, KML_NN_LABELS | KML_NN_REQUIRES_GRAD),
	    KML_EINVAL);
	/* 2^80 elements per sample */
	KT_EXPECT_EQ(t, kml_nn_input(net, huge, 4, 0), KML_EINVAL);

	x = kml_nn_input(net, d2, 2, 0);
	y = kml_nn_input_vec(net, 6, 0);
	KT_EXPECT_EQ(t, x, 0);
	KT_EXPECT_EQ(t, y, 1);
	KT_EXPECT_EQ(t, kml_nn_linear(net, -1, 3, true), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_linear(net, 99, 3, true), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_linear(net, x, 0, true), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_add(net, x, y), KML_EDOM);
	cat[0] = x;
	cat[1] = y;
	KT_EXPECT_EQ(t, kml_nn_concat(net, cat, 2, 0), KML_EDOM);
	KT_EXPECT_EQ(t, kml_nn_concat(net, cat, 0, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_concat(net, NULL, 2, 0), KML_EINVAL);
	cat[1] = x;
	KT_EXPECT_EQ(t, kml_nn_concat(net, cat, 2, 2), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_reshape(net, x, &bad_count, 1), KML_EDOM);
	KT_EXPECT_EQ(t, kml_nn_reshape(net, x, NULL, 1), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_mse(net, x, y, KML_NN_MEAN), KML_EDOM);
	KT_EXPECT_EQ(t, kml_nn_mse(net, y, y, 5), KML_EINVAL);
	lab = kml_nn_labels(net);
	KT_EXPECT(t, lab >= 0);
	KT_EXPECT_EQ(t, kml_nn_cross_entropy(net, y, y, KML_NN_MEAN),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_cross_entropy(net, x, lab, KML_NN_MEAN),
		     KML_EDOM);
	KT_EXPECT_EQ(t, kml_nn_cross_entropy(net, lab, lab, KML_NN_MEAN),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_relu(net, lab), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_bce_logits(net, lab, lab, KML_NN_SUM),
		     KML_EINVAL);
	/* failed adds left no node behind */
	m = kml_nn_reshape(net, x, &six, 1);
	KT_EXPECT_EQ(t, m, 3);
	KT_EXPECT_EQ(t, kml_nn_add(net, m, y), 4);
	/* nothing can be read before prepare */
	{
		void *p;

		KT_EXPECT_EQ(t, kml_nn_value(net, m, &p, NULL), KML_EINVAL);
		KT_EXPECT_EQ(t, kml_nn_params(net, &p, NULL, NULL), KML_EINVAL);
	}
	kml_nn_destroy(net);
	KT_EXPECT_EQ(t, kml_mem_current(t->mem), 0);
}

static void api_capacity_and_prepare(struct kt_ctx *t)
{
	struct kml_optim_cfg cfg = { .kind = KML_OPTIM_SGD };
	struct kml_optim *opt = (struct kml_optim *)t;
	struct kml_nn *net = NULL;
	size_t n, off;
	void *p;
	int x, h;

	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, KML_NN_F64, 3));
	if (!net)
		return;
	x = kml_nn_input_vec(net, 3, 0);
	h = kml_nn_linear(net, x, 5, true);
	KT_EXPECT_EQ(t, kml_nn_relu(net, h), 2);
	KT_EXPECT_EQ(t, kml_nn_relu(net, h), KML_ENOSPC);
	KT_EXPECT_EQ(t, kml_optim_create(&opt, t->mem, net, &cfg), KML_EINVAL);
	KT_EXPECT(t, opt == NULL);
	KT_EXPECT_EQ(t, kml_nn_prepare(NULL, 4), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_prepare(net, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_prepare(net, SIZE_MAX / 2), KML_EOVERFLOW);
	KT_EXPECT_EQ(t, kml_mem_current(t->mem) > 0, 1);
	KT_EXPECT_OK(t, kml_nn_prepare(net, 4));
	KT_EXPECT_EQ(t, kml_nn_prepare(net, 4), KML_EBUSY);
	KT_EXPECT_EQ(t, kml_nn_relu(net, h), KML_EBUSY);
	KT_EXPECT_EQ(t, kml_nn_batch(net), 4);
	KT_EXPECT_EQ(t, kml_nn_set_batch(net, 0), KML_ERANGE);
	KT_EXPECT_EQ(t, kml_nn_set_batch(net, 5), KML_ERANGE);
	KT_EXPECT_OK(t, kml_nn_set_batch(net, 2));
	KT_EXPECT_OK(t, kml_nn_value(net, h, &p, &n));
	KT_EXPECT_EQ(t, n, 10); /* 2 samples x 5 */
	KT_EXPECT_OK(t, kml_nn_grad(net, x, &p, &n));
	KT_EXPECT(t, p == NULL && n == 0); /* input without REQUIRES_GRAD */
	KT_EXPECT_OK(t, kml_nn_params(net, NULL, NULL, &n));
	KT_EXPECT_EQ(t, n, 20);
	KT_EXPECT_OK(t, kml_nn_node_params(net, h, &off, &n));
	KT_EXPECT_EQ(t, off, 0);
	KT_EXPECT_EQ(t, n, 20);
	KT_EXPECT_EQ(t, kml_nn_value(net, 3, &p, &n), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_value(net, -1, &p, &n), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_nn_value(net, 0, NULL, &n), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_optim_create(NULL, t->mem, net, &cfg), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_optim_create(&opt, t->mem, net, NULL), KML_EINVAL);
	cfg.kind = 9;
	KT_EXPECT_EQ(t, kml_optim_create(&opt, t->mem, net, &cfg), KML_EINVAL);
	cfg.kind = KML_OPTIM_RMSPROP;
	KT_EXPECT_OK(t, kml_optim_create(&opt, t->mem, net, &cfg));
	KT_EXPECT_EQ(t, kml_optim_steps(opt), 0);
	kml_optim_destroy(opt);
	kml_optim_destroy(NULL);
	kml_nn_destroy(net);
	KT_EXPECT_EQ(t, kml_mem_current(t->mem), 0);
}

/*
 * Build an MLP with an optimizer under every memory cap from 64 bytes up
 * (an arena of that size inside t->mem): each too-small cap fails with
 * KML_ENOMEM at create, at prepare or at the optimizer, and leaves
 * nothing allocated; the first big enough cap succeeds.
 */
static int build_capped(struct kml_mem *m, int *stage)
{
	struct kml_optim_cfg cfg = { .kind = KML_OPTIM_ADAM };
	struct kml_optim *opt = NULL;
	struct kml_nn *net = NULL;
	int x, ret;

	*stage = 0;

	ret = kml_nn_create(&net, m, KML_NN_F32, 6);
	if (ret)
		return ret;
	x = kml_nn_relu(
	    net, kml_nn_linear(net, kml_nn_input_vec(net, 4, 0), 8, true));
	x = kml_nn_cross_entropy(net, kml_nn_linear(net, x, 3, true),
				 kml_nn_labels(net), KML_NN_MEAN);
	if (x < 0) {
		ret = x;
		goto out;
	}
	*stage = 1;
	ret = kml_nn_prepare(net, 8);
	if (ret)
		goto out;
	*stage = 2;
	ret = kml_optim_create(&opt, m, net, &cfg);
out:
	kml_optim_destroy(opt);
	kml_nn_destroy(net);
	return ret;
}

static void api_memory_cap(struct kt_ctx *t)
{
	const size_t max = 16 * 1024;
	int fails[3] = { 0, 0, 0 }, ret = -1, stage;
	struct kml_mem m;
	size_t cap;
	void *buf;

	KT_EXPECT_OK(t, kml_alloc(t->mem, max, 0, &buf));
	if (!buf)
		return;
	for (cap = 64; cap <= max; cap += 64) {
		KT_EXPECT_OK(t, kml_mem_init_arena(&m, "nn-cap", buf, cap));
		ret = build_capped(&m, &stage);
		KT_EXPECT_EQ(t, kml_mem_current(&m), 0);
		if (!ret)
			break;
		KT_EXPECT_EQ(t, ret, KML_ENOMEM);
		fails[stage]++;
	}
	KT_EXPECT_EQ(t, ret, 0);
	KT_EXPECT(t, fails[0] > 0 && fails[1] > 0 && fails[2] > 0);
	kt_digest(t, &cap, sizeof(cap));
	kml_free(t->mem, buf);
}

static const struct kt_case nn_api_cases[] = {
	{ "create", api_create },
	{ "build_errors", api_build_errors },
	{ "capacity_and_prepare", api_capacity_and_prepare },
	{ "memory_cap", api_memory_cap },
};

KT_SUITE(kt_suite_nn_api, "nn_api", false, 24 * 1024, nn_api_cases);

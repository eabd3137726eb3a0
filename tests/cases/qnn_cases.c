// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_cases.c - int8 MLP inference (a NOFPU suite: in the kernel it runs
 * outside any FPU section, so no float may appear here). Golden outputs
 * come from tools/gen_qnn_vectors.py, an independent numpy + Python
 * integer implementation of TFLite's per-channel int8 FullyConnected.
 */
#include "../ktest.h"
#include "kmlib/qnn.h"
#include "qnn_vectors.h"

struct qv_layer {
	const int8_t *w;
	const int32_t *bias, *mult, *shift;
};

/* Build a network from generated tables and check it against @y. */
static void qv_check(struct kt_ctx *t, const uint32_t *sizes, uint32_t n,
		     const struct qv_layer *src, const int32_t (*io)[4],
		     const int8_t *x, const int8_t *y, size_t batch)
{
	struct kml_qnn *q;
	struct kml_qnn_layer *ly;
	int8_t out[64];
	size_t n_out = batch * sizes[n], i;
	uint32_t l;

	KT_EXPECT(t, n_out <= sizeof(out));
	KT_EXPECT_OK(t, kml_qnn_create(&q, t->mem, sizes, n, batch));
	if (t->failed)
		return;
	KT_EXPECT_EQ(t, kml_qnn_layers(q), n);
	for (l = 0; l < n; l++) {
		KT_EXPECT_OK(t, kml_qnn_layer(q, l, &ly));
		if (t->failed)
			break;
		kml_memcpy(ly->weight, src[l].w, (size_t)ly->in * ly->out);
		kml_memcpy(ly->bias, src[l].bias, ly->out * sizeof(int32_t));
		kml_memcpy(ly->mult, src[l].mult, ly->out * sizeof(int32_t));
		kml_memcpy(ly->shift, src[l].shift, ly->out * sizeof(int32_t));
		ly->in_zp = io[l][0];
		ly->out_zp = io[l][1];
		ly->act_min = io[l][2];
		ly->act_max = io[l][3];
	}
	KT_EXPECT_OK(t, kml_qnn_check(q));
	kml_memset(out, 0x55, sizeof(out));
	KT_EXPECT_OK(t, kml_qnn_run(q, x, batch, out));
	for (i = 0; i < n_out; i++)
		KT_EXPECT_EQ(t, out[i], y[i]);
	kt_digest(t, out, n_out);
	/* one sample at a time gives the same rows */
	for (i = 0; i < batch; i++) {
		KT_EXPECT_OK(t, kml_qnn_run(q, x + i * sizes[0], 1, out));
		KT_EXPECT(t, !kml_memcmp(out, y + i * sizes[n], sizes[n]));
	}
	kml_qnn_destroy(q);
}

static void qnn_golden_mlp(struct kt_ctx *t)
{
	const struct qv_layer L[] = {
		{ qv_mlp_w0, qv_mlp_bias0, qv_mlp_mult0, qv_mlp_shift0 },
		{ qv_mlp_w1, qv_mlp_bias1, qv_mlp_mult1, qv_mlp_shift1 },
		{ qv_mlp_w2, qv_mlp_bias2, qv_mlp_mult2, qv_mlp_shift2 },
	};

	qv_check(t, qv_mlp_sizes, 3, L, qv_mlp_io, qv_mlp_x, qv_mlp_y,
		 QV_MLP_BATCH);
}

static void qnn_golden_wide(struct kt_ctx *t)
{
	const struct qv_layer L[] = {
		{ qv_wide_w0, qv_wide_bias0, qv_wide_mult0, qv_wide_shift0 },
		{ qv_wide_w1, qv_wide_bias1, qv_wide_mult1, qv_wide_shift1 },
	};

	qv_check(t, qv_wide_sizes, 2, L, qv_wide_io, qv_wide_x, qv_wide_y,
		 QV_WIDE_BATCH);
}

/* A 2 -> 2 layer small enough to compute by hand. */
static struct kml_qnn *hand_net(struct kt_ctx *t)
{
	static const uint32_t sizes[] = { 2, 2 };
	struct kml_qnn *q;
	struct kml_qnn_layer *ly;

	if (kml_qnn_create(&q, t->mem, sizes, 1, 2) ||
	    kml_qnn_layer(q, 0, &ly)) {
		KT_EXPECT(t, 0);
		return NULL;
	}
	ly->weight[0] = 10; /* W[0] = (10, 5) */
	ly->weight[1] = 5;
	ly->weight[2] = -3; /* W[1] = (-3, 4) */
	ly->weight[3] = 4;
	ly->bias[0] = 5;
	ly->bias[1] = 0;
	ly->mult[0] = ly->mult[1] = 1 << 30; /* 0.5 */
	ly->shift[0] = ly->shift[1] = 0;
	ly->in_zp = 1;
	ly->out_zp = 3;
	return q;
}

static void qnn_hand(struct kt_ctx *t)
{
	const int8_t x[] = { 3, -1, -128, 127 };
	struct kml_qnn *q = hand_net(t);
	struct kml_qnn_layer *ly;
	int8_t y[4];

	if (!q)
		return;
	/*
	 * x - zp = (2, -2): acc = (20 - 10 + 5, -6 - 8) = (15, -14);
	 * x 0.5 rounds 7.5 up to 8 and -7 stays; + 3 -> (11, -4).
	 * (-129, 126): acc = (-1290 + 630 + 5, 387 + 504) = (-655, 891);
	 * x 0.5 -> (-327 (ties up), 446) + 3 -> (-324, 449) -> (-128, 127).
	 */
	KT_EXPECT_OK(t, kml_qnn_run(q, x, 2, y));
	KT_EXPECT_EQ(t, y[0], 11);
	KT_EXPECT_EQ(t, y[1], -4);
	KT_EXPECT_EQ(t, y[2], -128);
	KT_EXPECT_EQ(t, y[3], 127);
	kt_digest(t, y, sizeof(y));
	/* a fused ReLU clamps at the zero point */
	KT_EXPECT_OK(t, kml_qnn_layer(q, 0, &ly));
	ly->act_min = ly->out_zp;
	KT_EXPECT_OK(t, kml_qnn_run(q, x, 2, y));
	KT_EXPECT_EQ(t, y[0], 11);
	KT_EXPECT_EQ(t, y[1], 3);
	KT_EXPECT_EQ(t, y[2], 3);
	KT_EXPECT_EQ(t, y[3], 127);
	/* shift 1 doubles before the multiplier: 15 * 2 * 0.5 = 15 */
	ly->shift[0] = 1;
	KT_EXPECT_OK(t, kml_qnn_run(q, x, 1, y));
	KT_EXPECT_EQ(t, y[0], 18);
	/* parameter bytes: 4 weights + 2 x (bias, mult, shift) */
	KT_EXPECT_EQ(t, kml_qnn_param_bytes(q), 4 + 2 * 12);
	kml_qnn_destroy(q);
}

static void qnn_bad_input(struct kt_ctx *t)
{
	const uint32_t sizes[] = { 2, 3, 2 }, zero[] = { 2, 0 };
	const uint32_t huge[] = { 2, KML_QNN_MAX_WIDTH + 1 };
	struct kml_qnn *q = (struct kml_qnn *)1;
	struct kml_qnn_layer *ly, *ly1;
	int8_t x[4] = { 0 }, y[4];

	KT_EXPECT_EQ(t, kml_qnn_create(NULL, t->mem, sizes, 2, 1), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_create(&q, NULL, sizes, 2, 1), KML_EINVAL);
	KT_EXPECT(t, q == NULL);
	KT_EXPECT_EQ(t, kml_qnn_create(&q, t->mem, NULL, 2, 1), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_create(&q, t->mem, sizes, 0, 1), KML_EINVAL);
	KT_EXPECT_EQ(
	    t, kml_qnn_create(&q, t->mem, sizes, KML_QNN_MAX_LAYERS + 1, 1),
	    KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_create(&q, t->mem, sizes, 2, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_create(&q, t->mem, zero, 1, 1), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_create(&q, t->mem, huge, 1, 1), KML_EOVERFLOW);
	KT_EXPECT_EQ(t, kml_qnn_create(&q, t->mem, sizes, 2, (size_t)-1),
		     KML_EOVERFLOW);
	KT_EXPECT_EQ(t, kml_qnn_layers(NULL), 0);
	KT_EXPECT_EQ(t, kml_qnn_param_bytes(NULL), 0);
	KT_EXPECT_EQ(t, kml_qnn_check(NULL), KML_EINVAL);
	kml_qnn_destroy(NULL);

	KT_EXPECT_OK(t, kml_qnn_create(&q, t->mem, sizes, 2, 2));
	if (t->failed)
		return;
	KT_EXPECT_EQ(t, kml_qnn_layer(q, 2, &ly), KML_EINVAL);
	KT_EXPECT(t, ly == NULL);
	KT_EXPECT_EQ(t, kml_qnn_layer(NULL, 0, &ly), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_layer(q, 0, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_run(NULL, x, 1, y), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_run(q, NULL, 1, y), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_run(q, x, 1, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_run(q, x, 0, y), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_run(q, x, 3, y), KML_EINVAL);
	/* zero parameters: every output is the zero point */
	KT_EXPECT_OK(t, kml_qnn_run(q, x, 2, y));
	KT_EXPECT_EQ(t, y[0] | y[1] | y[2] | y[3], 0);

	KT_EXPECT_OK(t, kml_qnn_layer(q, 0, &ly));
	KT_EXPECT_OK(t, kml_qnn_layer(q, 1, &ly1));
	ly->out_zp = 128;
	KT_EXPECT_EQ(t, kml_qnn_check(q), KML_ERANGE);
	KT_EXPECT_EQ(t, kml_qnn_run(q, x, 1, y), KML_ERANGE);
	ly->out_zp = 5; /* layer 1 still expects 0 */
	KT_EXPECT_EQ(t, kml_qnn_run(q, x, 1, y), KML_EINVAL);
	ly1->in_zp = 5;
	KT_EXPECT_OK(t, kml_qnn_run(q, x, 1, y));
	ly->act_min = 10;
	ly->act_max = 9;
	KT_EXPECT_EQ(t, kml_qnn_run(q, x, 1, y), KML_EINVAL);
	ly->act_max = -129;
	KT_EXPECT_EQ(t, kml_qnn_run(q, x, 1, y), KML_ERANGE);
	ly->act_min = -128;
	ly->act_max = 127;
	KT_EXPECT_OK(t, kml_qnn_check(q));
	ly->shift[2] = 31;
	KT_EXPECT_EQ(t, kml_qnn_check(q), KML_EINVAL);
	/* run checks per layer only; the output is still defined */
	KT_EXPECT_OK(t, kml_qnn_run(q, x, 1, y));
	ly->shift[2] = -32;
	KT_EXPECT_EQ(t, kml_qnn_check(q), KML_EINVAL);
	ly->shift[2] = 30;
	ly1->mult[1] = -1;
	KT_EXPECT_EQ(t, kml_qnn_check(q), KML_EINVAL);
	ly1->mult[1] = INT32_MAX;
	KT_EXPECT_OK(t, kml_qnn_check(q));
	KT_EXPECT_OK(t, kml_qnn_run(q, x, 1, y));
	kml_qnn_destroy(q);
}

/* Every allocation failure is a clean KML_ENOMEM. */
static void qnn_memory_cap(struct kt_ctx *t)
{
	const uint32_t sizes[] = { 16, 32, 4 };
	struct kml_mem cap;
	struct kml_qnn *q;
	size_t c;
	int err;

	for (c = 64; c < 16384; c += 64) {
		KT_EXPECT_OK(t, kml_mem_init(&cap, "qnn_cap", c));
		err = kml_qnn_create(&q, &cap, sizes, 2, 8);
		KT_EXPECT(t, err == KML_OK || err == KML_ENOMEM);
		if (err == KML_OK) {
			kml_qnn_destroy(q);
			KT_EXPECT_EQ(t, kml_mem_current(&cap), 0);
			break;
		}
		KT_EXPECT(t, q == NULL);
		KT_EXPECT_EQ(t, kml_mem_current(&cap), 0);
	}
	KT_EXPECT(t, c < 16384);
}

static const struct kt_case qnn_cases[] = {
	{ "golden_mlp", qnn_golden_mlp },
	{ "golden_wide", qnn_golden_wide },
	{ "hand", qnn_hand },
	{ "bad_input", qnn_bad_input },
	{ "memory_cap", qnn_memory_cap },
};

KT_SUITE(kt_suite_qnn, "qnn", false, 64 * 1024, qnn_cases);

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * kinds.c - the layer kinds a model file can hold: stable ids, and the
 * builder call that adds each kind again from a node record. Adding a
 * kind: append an entry with the next unused id (ids are never reused),
 * whose rebuild passes the record's inputs, ihp and rhp to the kind's
 * builder; the loader checks the result against the record generically
 * (shape, every ihp and rhp), so rebuild need not re-validate them.
 * No float code: real hyper-parameters stay bit patterns and are range-
 * checked as integers (for positive IEEE doubles, bit order is value
 * order).
 */
#include "model_impl.h"
#include "../nn/kernels.h"

/* Bits of 1e30, the bound the FPU builders put on real parameters. */
#define BITS_1E30 0x46293E5939A08CEAull
#define BITS_ONE 0x3FF0000000000000ull
#define BITS_MINUS_ZERO 0x8000000000000000ull
#define BITS_ABS(b) ((b)&0x7FFFFFFFFFFFFFFFull)

static int rebuild_input(struct kml_nn *net, const struct model_node *r,
			 const int *in)
{
	unsigned int flags = 0;

	(void)in;
	if (r->flags & ~(MODEL_NODE_REQ_GRAD | MODEL_NODE_LABELS))
		return KML_EBADMSG;
	if (r->flags & MODEL_NODE_REQ_GRAD)
		flags |= KML_NN_REQUIRES_GRAD;
	if (r->flags & MODEL_NODE_LABELS)
		flags |= KML_NN_LABELS;
	return kml_nn_input(net, r->dim, r->rank, flags);
}

static int rebuild_linear(struct kml_nn *net, const struct model_node *r,
			  const int *in)
{
	return kml_nn_linear(net, in[0], r->ihp[0], r->ihp[1] != 0);
}

static int rebuild_add(struct kml_nn *net, const struct model_node *r,
		       const int *in)
{
	(void)r;
	return kml_nn_add(net, in[0], in[1]);
}

static int rebuild_concat(struct kml_nn *net, const struct model_node *r,
			  const int *in)
{
	return kml_nn_concat(net, in, r->n_in, r->ihp[0]);
}

static int rebuild_reshape(struct kml_nn *net, const struct model_node *r,
			   const int *in)
{
	return kml_nn_reshape(net, in[0], r->dim, r->rank);
}

#define REBUILD_ACT(kind)                                                      \
	static int rebuild_##kind(struct kml_nn *net,                          \
				  const struct model_node *r, const int *in)   \
	{                                                                      \
		(void)r;                                                       \
		return kml_nn_##kind(net, in[0]);                              \
	}

REBUILD_ACT(relu)
REBUILD_ACT(sigmoid)
REBUILD_ACT(tanh)
REBUILD_ACT(softmax)
REBUILD_ACT(log_softmax)

/* Add a node of an FPU-built kind and set its one real parameter. */
static int add_with_real(struct kml_nn *net, const struct kml_nn_ops *ops,
			 const struct model_node *r, const int *in,
			 uint64_t bits)
{
	uint32_t ihp[4] = { r->ihp[0], r->ihp[1], r->ihp[2], r->ihp[3] };
	struct kml_nn_node *n;
	int id;

	id = kml_nn_add_node(net, ops, in, r->n_in, ihp);
	if (id < 0)
		return id;
	if (kml_nn_get_node(net, id, &n))
		return KML_EBADMSG;
	kml_memcpy(&n->rhp[0], &bits, sizeof(bits));
	return id;
}

static int rebuild_leaky_relu(struct kml_nn *net, const struct model_node *r,
			      const int *in)
{
	/* kml_nn_leaky_relu(): not NaN, |slope| <= 1e30 */
	if (BITS_ABS(r->rhp[0]) > BITS_1E30)
		return KML_EBADMSG;
	return add_with_real(net, &kml_nn_leaky_relu_ops, r, in, r->rhp[0]);
}

static int rebuild_huber(struct kml_nn *net, const struct model_node *r,
			 const int *in)
{
	/* kml_nn_huber(): 0 < delta <= 1e30 (sign bit clear, not +0) */
	if (r->rhp[0] == 0 || r->rhp[0] > BITS_1E30)
		return KML_EBADMSG;
	if (r->ihp[0] != KML_NN_MEAN && r->ihp[0] != KML_NN_SUM)
		return KML_EBADMSG;
	return add_with_real(net, &kml_nn_huber_ops, r, in, r->rhp[0]);
}

#define REBUILD_LOSS(kind)                                                     \
	static int rebuild_##kind(struct kml_nn *net,                          \
				  const struct model_node *r, const int *in)   \
	{                                                                      \
		if (r->ihp[0] > KML_NN_SUM)                                    \
			return KML_EBADMSG;                                    \
		return kml_nn_##kind(net, in[0], in[1], (int)r->ihp[0]);       \
	}

REBUILD_LOSS(mse)
REBUILD_LOSS(cross_entropy)
REBUILD_LOSS(bce_logits)

/* Convolution and pooling: the window is ihp[2..9] (kernels.h); the
 * input's rank picks the 1d or the 2d builder. */
static void window_of(const struct model_node *r, struct kml_nn_window *w)
{
	uint32_t a;

	for (a = 0; a < 2; a++) {
		w->kernel[a] = r->ihp[KML_NN_WIN_K + a];
		w->stride[a] = r->ihp[KML_NN_WIN_S + a];
		w->padding[a] = r->ihp[KML_NN_WIN_P + a];
		w->dilation[a] = r->ihp[KML_NN_WIN_D + a];
	}
}

static uint32_t input_rank(struct kml_nn *net, int x)
{
	struct kml_nn_node *n;

	return kml_nn_get_node(net, x, &n) ? 0 : n->shape.rank;
}

static int rebuild_conv(struct kml_nn *net, const struct model_node *r,
			const int *in)
{
	struct kml_nn_window w;

	window_of(r, &w);
	if (input_rank(net, in[0]) == 3)
		return kml_nn_conv2d(net, in[0], r->ihp[0], &w, r->ihp[1] != 0);
	return kml_nn_conv1d(net, in[0], r->ihp[0], w.kernel[1], w.stride[1],
			     w.padding[1], w.dilation[1], r->ihp[1] != 0);
}

static int rebuild_pool(struct kml_nn *net, const struct model_node *r,
			const int *in)
{
	struct kml_nn_window w;

	window_of(r, &w);
	if (r->ihp[0] > KML_NN_POOL_AVG)
		return KML_EBADMSG;
	if (input_rank(net, in[0]) == 3)
		return kml_nn_pool2d(net, in[0], (int)r->ihp[0], &w);
	return kml_nn_pool1d(net, in[0], (int)r->ihp[0], w.kernel[1],
			     w.stride[1], w.padding[1]);
}

/* Dropout: ihp seed (2 words) and the training switch; rhp[0] = p. */
static int rebuild_dropout(struct kml_nn *net, const struct model_node *r,
			   const int *in)
{
	uint32_t ihp[3] = { r->ihp[0], r->ihp[1], r->ihp[2] };
	struct kml_nn_node *n;
	int id;

	/* kml_nn_dropout(): 0 <= p < 1 (-0 included) */
	if (r->rhp[0] >= BITS_ONE && r->rhp[0] != BITS_MINUS_ZERO)
		return KML_EBADMSG;
	if (r->ihp[2] > 1)
		return KML_EBADMSG;
	id = kml_nn_add_node_hp(net, &kml_nn_dropout_ops, in, 1, ihp, 3);
	if (id >= 0 && !kml_nn_get_node(net, id, &n))
		kml_memcpy(&n->rhp[0], &r->rhp[0], sizeof(r->rhp[0]));
	return id;
}

/* Layer norm: ihp[0] affine (the rest is inferred); rhp[0] = eps. */
static int rebuild_layer_norm(struct kml_nn *net, const struct model_node *r,
			      const int *in)
{
	struct kml_nn_node *n;
	int id;

	if (r->rhp[0] == 0 || r->rhp[0] > BITS_1E30)
		return KML_EBADMSG;
	id = kml_nn_add_node_hp(net, &kml_nn_layer_norm_ops, in, 1, r->ihp, 1);
	if (id >= 0 && !kml_nn_get_node(net, id, &n))
		kml_memcpy(&n->rhp[0], &r->rhp[0], sizeof(r->rhp[0]));
	return id;
}

static int rebuild_lstm(struct kml_nn *net, const struct model_node *r,
			const int *in)
{
	return kml_nn_lstm(net, in[0], r->ihp[0], r->ihp[1] != 0);
}

static int rebuild_gru(struct kml_nn *net, const struct model_node *r,
		       const int *in)
{
	return kml_nn_gru(net, in[0], r->ihp[0], r->ihp[1] != 0);
}

/* Batch norm: ihp affine and training (the rest is inferred); rhp eps
 * and momentum; its running statistics are buffers (C doubles each). */
static int rebuild_batch_norm(struct kml_nn *net, const struct model_node *r,
			      const int *in)
{
	struct kml_nn_node *n;
	int id;

	/* kml_nn_batch_norm(): 0 < eps <= 1e30, 0 <= momentum <= 1 */
	if (r->rhp[0] == 0 || r->rhp[0] > BITS_1E30 ||
	    (r->rhp[1] > BITS_ONE && r->rhp[1] != BITS_MINUS_ZERO))
		return KML_EBADMSG;
	if (r->ihp[0] > 1 || r->ihp[1] > 1)
		return KML_EBADMSG;
	id = kml_nn_add_node_hp(net, &kml_nn_batch_norm_ops, in, 1, r->ihp, 2);
	if (id >= 0 && !kml_nn_get_node(net, id, &n))
		kml_memcpy(n->rhp, r->rhp, sizeof(n->rhp));
	return id;
}

static int buffers_batch_norm(struct kml_nn *net, int id, void **a, void **b,
			      size_t *count)
{
	return kml_nn_running_stats(net, id, a, b, count);
}

static const struct model_kind kinds[] = {
	{ 1, "input", 0, 0, rebuild_input, NULL },
	{ 2, "linear", 1, 1, rebuild_linear, NULL },
	{ 3, "add", 2, 2, rebuild_add, NULL },
	{ 4, "concat", 1, KML_NN_MAX_INPUTS, rebuild_concat, NULL },
	{ 5, "reshape", 1, 1, rebuild_reshape, NULL },
	{ 6, "relu", 1, 1, rebuild_relu, NULL },
	{ 7, "leaky_relu", 1, 1, rebuild_leaky_relu, NULL },
	{ 8, "sigmoid", 1, 1, rebuild_sigmoid, NULL },
	{ 9, "tanh", 1, 1, rebuild_tanh, NULL },
	{ 10, "softmax", 1, 1, rebuild_softmax, NULL },
	{ 11, "log_softmax", 1, 1, rebuild_log_softmax, NULL },
	{ 12, "mse", 2, 2, rebuild_mse, NULL },
	{ 13, "huber", 2, 2, rebuild_huber, NULL },
	{ 14, "cross_entropy", 2, 2, rebuild_cross_entropy, NULL },
	{ 15, "bce_logits", 2, 2, rebuild_bce_logits, NULL },
	{ 16, "conv", 1, 1, rebuild_conv, NULL },
	{ 17, "pool", 1, 1, rebuild_pool, NULL },
	{ 18, "dropout", 1, 1, rebuild_dropout, NULL },
	{ 19, "layer_norm", 1, 1, rebuild_layer_norm, NULL },
	{ 20, "lstm", 1, 1, rebuild_lstm, NULL },
	{ 21, "gru", 1, 1, rebuild_gru, NULL },
	{ 22, "batch_norm", 1, 1, rebuild_batch_norm, buffers_batch_norm },
};

const struct model_kind *kml_model_kind_by_id(uint32_t id)
{
	size_t i;

	for (i = 0; i < KML_ARRAY_SIZE(kinds); i++)
		if (kinds[i].id == id)
			return &kinds[i];
	return NULL;
}

const struct model_kind *kml_model_kind_of(const struct kml_nn_node *n)
{
	return kml_model_kind_by_name(n->ops->name);
}

const struct model_kind *kml_model_kind_by_name(const char *name)
{
	size_t i, len;

	if (!name)
		return NULL;
	len = kml_strlen(name);
	for (i = 0; i < KML_ARRAY_SIZE(kinds); i++)
		if (kml_strlen(kinds[i].name) == len &&
		    !kml_memcmp(kinds[i].name, name, len))
			return &kinds[i];
	return NULL;
}

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * layers_reg.c - dropout and layer normalisation: shape inference, op
 * tables, the dropout PRNG state and the training switch (no float code;
 * the builders take a double and live in build_real.c).
 *
 * dropout ihp: [0] seed low 32 bits, [1] seed high, [2] training;
 *   rhp[0] = p. Its kml_prng lives in priv (from prepare), the mask of
 *   the last forward in scratch (one element per value).
 * layer norm ihp: [0] affine, [1] D (last axis), [2] rows per sample;
 *   rhp[0] = eps. Scratch: mean and 1/sqrt(var + eps) per row.
 * batch norm ihp: [0] affine, [1] training, [2] C, [3] positions per
 *   channel; rhp[0] = eps, rhp[1] = momentum. Its running mean and
 *   variance (C doubles each, whatever the dtype) live in priv, from
 *   prepare; scratch: the mean and 1/sqrt(var + eps) last used per
 *   channel.
 */
#include "nn_impl.h"
#include "kernels.h"

static int dropout_infer(struct kml_nn_node *n)
{
	const struct kml_nn_node *x = n->src[0];

	if (x->flags & KML_NN_NODE_LABELS)
		return KML_EINVAL;
	n->shape = x->shape;
	n->flags |= x->flags & KML_NN_NODE_UNBATCHED;
	if (n->flags & KML_NN_NODE_UNBATCHED)
		n->scratch_fixed = x->size;
	else
		n->scratch_per_sample = x->size;
	return KML_OK;
}

static int dropout_prepare(struct kml_nn_node *n, struct kml_mem *mem,
			   size_t max_batch)
{
	struct kml_prng *r;
	int ret;

	(void)max_batch;
	ret = kml_alloc(mem, sizeof(*r), 0, (void **)&r);
	if (ret)
		return ret;
	kml_prng_seed(r, (uint64_t)n->ihp[1] << 32 | n->ihp[0]);
	n->priv = r;
	return KML_OK;
}

static void dropout_release(struct kml_nn_node *n, struct kml_mem *mem)
{
	kml_free(mem, n->priv);
}

const struct kml_nn_ops kml_nn_dropout_ops = {
	.name = "dropout",
	.min_inputs = 1,
	.max_inputs = 1,
	.infer = dropout_infer,
	.prepare = dropout_prepare,
	.release = dropout_release,
	.forward = KML_NN_FWD(dropout),
	.backward = KML_NN_BWD(dropout),
};

static int layer_norm_infer(struct kml_nn_node *n)
{
	const struct kml_nn_node *x = n->src[0];
	uint32_t d;

	if ((x->flags & (KML_NN_NODE_LABELS | KML_NN_NODE_UNBATCHED)) ||
	    n->ihp[0] > 1)
		return KML_EINVAL;
	d = x->shape.dim[x->shape.rank - 1];
	n->shape = x->shape;
	if (x->size / d > UINT32_MAX / 2)
		return KML_EOVERFLOW;
	n->ihp[1] = d;
	n->ihp[2] = (uint32_t)(x->size / d);
	n->scratch_per_sample = 2 * (size_t)n->ihp[2];
	if (n->ihp[0] && !kml_size_mul(d, 2, &n->n_params))
		return KML_EOVERFLOW;
	return KML_OK;
}

const struct kml_nn_ops kml_nn_layer_norm_ops = {
	.name = "layer_norm",
	.min_inputs = 1,
	.max_inputs = 1,
	.infer = layer_norm_infer,
	.init = { kml_nn_layer_norm_init_f32, kml_nn_layer_norm_init_f64 },
	.forward = KML_NN_FWD(layer_norm),
	.backward = KML_NN_BWD(layer_norm),
};

static int batch_norm_infer(struct kml_nn_node *n)
{
	const struct kml_nn_node *x = n->src[0];

	if ((x->flags & (KML_NN_NODE_LABELS | KML_NN_NODE_UNBATCHED)) ||
	    n->ihp[0] > 1 || x->shape.rank > 3)
		return KML_EINVAL;
	n->shape = x->shape;
	if (x->size / x->shape.dim[0] > UINT32_MAX)
		return KML_EOVERFLOW;
	n->ihp[2] = x->shape.dim[0];
	n->ihp[3] = (uint32_t)(x->size / x->shape.dim[0]);
	n->scratch_fixed = 2 * (size_t)n->ihp[2];
	if (n->ihp[0])
		n->n_params = 2 * (size_t)n->ihp[2];
	return KML_OK;
}

/* Running mean 0 and variance 1, written as the bits of the doubles (this
 * file has no float code). */
static int batch_norm_prepare(struct kml_nn_node *n, struct kml_mem *mem,
			      size_t max_batch)
{
	uint64_t *st;
	size_t c = n->ihp[2], i;
	int ret;

	(void)max_batch;
	ret = kml_alloc_array(mem, 2 * c, sizeof(*st), KML_MEM_ZERO,
			      (void **)&st);
	if (ret)
		return ret;
	for (i = 0; i < c; i++)
		st[c + i] = 0x3ff0000000000000ull; /* 1.0 */
	n->priv = st;
	return KML_OK;
}

const struct kml_nn_ops kml_nn_batch_norm_ops = {
	.name = "batch_norm",
	.min_inputs = 1,
	.max_inputs = 1,
	.infer = batch_norm_infer,
	.prepare = batch_norm_prepare,
	.release = dropout_release, /* frees priv */
	.init = { kml_nn_layer_norm_init_f32, kml_nn_layer_norm_init_f64 },
	.forward = KML_NN_FWD(batch_norm),
	.backward = KML_NN_BWD(batch_norm),
};

int kml_nn_running_stats(struct kml_nn *net, int node, void **mean, void **var,
			 size_t *channels)
{
	struct kml_nn_node *n;

	if (!net || !mean || !var || !net->prepared ||
	    !kml_nn_valid_node(net, node))
		return KML_EINVAL;
	n = &net->nodes[node];
	if (n->ops != &kml_nn_batch_norm_ops || !n->priv)
		return KML_EINVAL;
	*mean = n->priv;
	*var = (uint64_t *)n->priv + n->ihp[2];
	if (channels)
		*channels = n->ihp[2];
	return KML_OK;
}

int kml_nn_set_training(struct kml_nn *net, bool training)
{
	uint32_t i;

	if (!net)
		return KML_EINVAL;
	for (i = 0; i < net->n_nodes; i++) {
		struct kml_nn_node *n = &net->nodes[i];

		if (n->ops == &kml_nn_dropout_ops)
			n->ihp[2] = training ? 1 : 0;
		else if (n->ops == &kml_nn_batch_norm_ops)
			n->ihp[1] = training ? 1 : 0;
	}
	return KML_OK;
}

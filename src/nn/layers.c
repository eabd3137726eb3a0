// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * layers.c - shape inference, op tables and builders of the built-in
 * layer kinds (no float code: the kernels are in kernels_tmpl.h).
 */
#include "nn_impl.h"
#include "kernels.h"

static bool same_shape(const struct kml_nn_node *a, const struct kml_nn_node *b)
{
	uint32_t i;

	if (a->shape.rank != b->shape.rank ||
	    (a->flags & KML_NN_NODE_UNBATCHED) !=
		(b->flags & KML_NN_NODE_UNBATCHED))
		return false;
	for (i = 0; i < a->shape.rank; i++)
		if (a->shape.dim[i] != b->shape.dim[i])
			return false;
	return true;
}

static bool is_values(const struct kml_nn_node *n)
{
	return !(n->flags & KML_NN_NODE_LABELS);
}

/* Output like input 0: elementwise kinds. */
static int infer_like_input(struct kml_nn_node *n)
{
	if (!is_values(n->src[0]))
		return KML_EINVAL;
	n->shape = n->src[0]->shape;
	n->flags |= n->src[0]->flags & KML_NN_NODE_UNBATCHED;
	return KML_OK;
}

/* ---- linear ---- */

static int linear_infer(struct kml_nn_node *n)
{
	const struct kml_nn_node *x = n->src[0];
	size_t in, w;
	int ret;

	ret = infer_like_input(n);
	if (ret)
		return ret;
	if (x->flags & KML_NN_NODE_UNBATCHED)
		return KML_EINVAL; /* rows are counted per sample */
	in = x->shape.dim[x->shape.rank - 1];
	if (n->ihp[0] == 0 || n->ihp[1] > 1)
		return KML_EINVAL;
	n->shape.dim[n->shape.rank - 1] = n->ihp[0];
	/* kept for the kernels: input features, rows per sample */
	if (x->size / in > UINT32_MAX)
		return KML_EOVERFLOW;
	n->ihp[2] = (uint32_t)in;
	n->ihp[3] = (uint32_t)(x->size / in);
	if (!kml_size_mul(in, n->ihp[0], &w) ||
	    !kml_size_add(w, n->ihp[1] ? n->ihp[0] : 0, &n->n_params))
		return KML_EOVERFLOW;
	/* backward keeps A^T here when the input needs a gradient */
	if (x->flags & KML_NN_NODE_NEEDS_GRAD)
		n->scratch_fixed = w;
	return KML_OK;
}

const struct kml_nn_ops kml_nn_linear_ops = {
	.name = "linear",
	.min_inputs = 1,
	.max_inputs = 1,
	.flags = KML_NN_OPS_WRITES_DW,
	.infer = linear_infer,
	.init = { kml_nn_linear_init_f32, kml_nn_linear_init_f64 },
	.forward = KML_NN_FWD(linear),
	.backward = KML_NN_BWD(linear),
};

int kml_nn_linear(struct kml_nn *net, int x, uint32_t out_features, bool bias)
{
	uint32_t ihp[4] = { out_features, bias ? 1 : 0, 0, 0 };

	return kml_nn_add_node(net, &kml_nn_linear_ops, &x, 1, ihp);
}

/* ---- add, concat, reshape ---- */

static int add_infer(struct kml_nn_node *n)
{
	if (!same_shape(n->src[0], n->src[1]) || !is_values(n->src[1]))
		return KML_EDOM;
	return infer_like_input(n);
}

static const struct kml_nn_ops add_ops = {
	.name = "add",
	.min_inputs = 2,
	.max_inputs = 2,
	.infer = add_infer,
	.forward = KML_NN_FWD(add),
	.backward = KML_NN_BWD(add),
};

int kml_nn_add(struct kml_nn *net, int a, int b)
{
	int in[2] = { a, b };

	return kml_nn_add_node(net, &add_ops, in, 2, NULL);
}

static int concat_infer(struct kml_nn_node *n)
{
	const struct kml_nn_node *a = n->src[0];
	uint32_t axis = n->ihp[0], i, d;
	uint64_t sum = 0;

	if (axis >= a->shape.rank)
		return KML_EINVAL;
	for (i = 0; i < n->n_in; i++) {
		const struct kml_nn_node *b = n->src[i];

		if (!is_values(b) || b->shape.rank != a->shape.rank ||
		    (b->flags & KML_NN_NODE_UNBATCHED) !=
			(a->flags & KML_NN_NODE_UNBATCHED))
			return KML_EDOM;
		for (d = 0; d < a->shape.rank; d++)
			if (d != axis && b->shape.dim[d] != a->shape.dim[d])
				return KML_EDOM;
		sum += b->shape.dim[axis];
	}
	if (sum > UINT32_MAX)
		return KML_EOVERFLOW;
	infer_like_input(n);
	n->shape.dim[axis] = (uint32_t)sum;
	return KML_OK;
}

static const struct kml_nn_ops concat_ops = {
	.name = "concat",
	.min_inputs = 1,
	.max_inputs = KML_NN_MAX_INPUTS,
	.infer = concat_infer,
	.forward = KML_NN_FWD(concat),
	.backward = KML_NN_BWD(concat),
};

int kml_nn_concat(struct kml_nn *net, const int *inputs, uint32_t n,
		  uint32_t axis)
{
	uint32_t ihp[4] = { axis, 0, 0, 0 };

	return kml_nn_add_node(net, &concat_ops, inputs, n, ihp);
}

/* reshape: infer keeps the input's shape; the builder then sets the
 * requested one, which it checked to hold the same number of elements. */
static int reshape_infer(struct kml_nn_node *n)
{
	return infer_like_input(n);
}

static const struct kml_nn_ops reshape_ops = {
	.name = "reshape",
	.min_inputs = 1,
	.max_inputs = 1,
	.infer = reshape_infer,
	.forward = KML_NN_FWD(copy),
	.backward = KML_NN_BWD(copy),
};

int kml_nn_reshape(struct kml_nn *net, int x, const uint32_t *dims,
		   uint32_t rank)
{
	struct kml_nn_node *n;
	size_t size = 1;
	uint32_t i;
	int id;

	if (!net || !dims || rank == 0 || rank > KML_NN_MAX_RANK ||
	    !kml_nn_valid_node(net, x))
		return KML_EINVAL;
	for (i = 0; i < rank; i++)
		if (dims[i] == 0 || !kml_size_mul(size, dims[i], &size))
			return KML_EINVAL;
	if (size != net->nodes[x].size)
		return KML_EDOM;
	/* add with the input's shape, then replace it: same element count */
	id = kml_nn_add_node(net, &reshape_ops, &x, 1, NULL);
	if (id < 0)
		return id;
	n = &net->nodes[id];
	n->shape.rank = rank;
	kml_memset(n->shape.dim, 0, sizeof(n->shape.dim));
	kml_memcpy(n->shape.dim, dims, rank * sizeof(*dims));
	return id;
}

int kml_nn_flatten(struct kml_nn *net, int x)
{
	uint32_t size;

	if (!net || !kml_nn_valid_node(net, x))
		return KML_EINVAL;
	if (net->nodes[x].size > UINT32_MAX)
		return KML_EOVERFLOW;
	size = (uint32_t)net->nodes[x].size;
	return kml_nn_reshape(net, x, &size, 1);
}

/* ---- activations ---- */

#define ACT_OPS(kind)                                                          \
	static const struct kml_nn_ops kind##_ops = {                          \
		.name = #kind,                                                 \
		.min_inputs = 1,                                               \
		.max_inputs = 1,                                               \
		.infer = infer_like_input,                                     \
		.forward = KML_NN_FWD(kind),                                   \
		.backward = KML_NN_BWD(kind),                                  \
	};                                                                     \
	int kml_nn_##kind(struct kml_nn *net, int x)                           \
	{                                                                      \
		return kml_nn_add_node(net, &kind##_ops, &x, 1, NULL);         \
	}

ACT_OPS(relu)
ACT_OPS(sigmoid)
ACT_OPS(tanh)
ACT_OPS(softmax)
ACT_OPS(log_softmax)

const struct kml_nn_ops kml_nn_leaky_relu_ops = {
	.name = "leaky_relu",
	.min_inputs = 1,
	.max_inputs = 1,
	.infer = infer_like_input,
	.forward = KML_NN_FWD(leaky_relu),
	.backward = KML_NN_BWD(leaky_relu),
};

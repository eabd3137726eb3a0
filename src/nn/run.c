// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * run.c - the run half of prepare/run (FPU): forward in id order, the
 * chain rule in reverse id order, parameter initialisation. Nothing here
 * allocates or re-checks shapes.
 */
#include "nn_impl.h"

/* The general walk, kept out of line so that the fast path stays short. */
static __attribute__((__noinline__)) int nn_forward_walk(struct kml_nn *net,
							 int last)
{
	struct kml_nn_node *n, *end = net->nodes + last;
	size_t batch = net->batch;

	for (n = net->nodes; n <= end; n++) {
		int ret;

		if (!n->run_forward)
			continue; /* inputs */
		ret = n->run_forward(n, batch);
		if (KML_UNLIKELY(ret))
			return ret;
	}
	return KML_OK;
}

int kml_nn_forward_to(struct kml_nn *net, int last)
{
	if (KML_UNLIKELY(!net))
		return KML_EINVAL;
	/* fast_last is a valid node of a prepared net, or INT32_MAX */
	if (last == net->fast_last)
		return net->fast_fwd(net->fast_node, net->batch);
	if (KML_UNLIKELY(!net->prepared || !kml_nn_valid_node(net, last)))
		return KML_EINVAL;
	return nn_forward_walk(net, last);
}

int kml_nn_forward(struct kml_nn *net)
{
	if (!net || !net->prepared)
		return KML_EINVAL;
	return kml_nn_forward_to(net, (int)net->n_nodes - 1);
}

/* Gradients flow from @top down; everything above it has zero gradient. */
static int nn_backward_from(struct kml_nn *net, struct kml_nn_node *top)
{
	struct kml_nn_node *n;
	size_t batch = net->batch;

	if (KML_UNLIKELY(net->backward_missing))
		return KML_ENOSYS;
	for (n = top; n >= net->nodes; n--) {
		int ret;

		if (!n->run_backward)
			continue;
		ret = n->run_backward(n, batch);
		if (KML_UNLIKELY(ret))
			return ret;
	}
	return KML_OK;
}

static struct kml_nn_node *nn_clear_grads(struct kml_nn *net, int node)
{
	if (!net || !net->prepared || !kml_nn_valid_node(net, node))
		return NULL;
	if (!(net->nodes[node].flags & KML_NN_NODE_NEEDS_GRAD))
		return NULL;
	/* the alignment gaps in the block are never written: they stay 0 */
	if (net->clear_param_grads)
		kml_memset(net->grads, 0, net->n_params * net->esize);
	if (net->act_grads)
		kml_memset(net->act_grads, 0, net->act_grad_bytes);
	return &net->nodes[node];
}

int kml_nn_backward(struct kml_nn *net, int loss)
{
	struct kml_nn_node *top;

	if (!net || !net->prepared || !kml_nn_valid_node(net, loss) ||
	    kml_nn_node_len(&net->nodes[loss], net->batch) != 1)
		return KML_EINVAL;
	top = nn_clear_grads(net, loss);
	if (!top)
		return KML_EINVAL;
	if (net->dtype == KML_NN_F32)
		*(float *)top->dy = 1.0f;
	else
		*(double *)top->dy = 1.0;
	return nn_backward_from(net, top);
}

int kml_nn_backward_seed(struct kml_nn *net, int node, const void *dy)
{
	struct kml_nn_node *top;

	if (!dy)
		return KML_EINVAL;
	top = nn_clear_grads(net, node);
	if (!top)
		return KML_EINVAL;
	kml_memcpy(top->dy, dy, kml_nn_node_len(top, net->batch) * net->esize);
	return nn_backward_from(net, top);
}

int kml_nn_init_params(struct kml_nn *net, uint64_t seed)
{
	struct kml_prng r;
	uint32_t i;

	if (!net || !net->prepared)
		return KML_EINVAL;
	kml_prng_seed(&r, seed);
	for (i = 0; i < net->n_nodes; i++) {
		struct kml_nn_node *n = &net->nodes[i];
		void (*init)(struct kml_nn_node *, struct kml_prng *) =
		    n->ops->init[net->dtype];

		if (n->n_params && init)
			init(n, &r);
	}
	return KML_OK;
}

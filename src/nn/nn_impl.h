/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * nn_impl.h - the network object, private to src/nn and src/optim.
 * No float code here: both nofpu and fpu files include it.
 */
#ifndef KMLIB_NN_IMPL_H
#define KMLIB_NN_IMPL_H

#include "kmlib/nn_ops.h"

struct kml_nn {
	struct kml_mem *mem;
	enum kml_nn_dtype dtype;
	size_t esize; /* bytes per element */
	uint32_t n_nodes, max_nodes;
	struct kml_nn_node *nodes;
	bool prepared;
	size_t max_batch, batch;
	size_t n_params;
	/* regions of one allocation (block), each 16-byte aligned; NULL
	 * when empty */
	void *block;
	void *params, *grads;
	void *acts; /* every node's value buffer */
	void *act_grads; /* gradient buffers of NEEDS_GRAD nodes */
	size_t act_grad_bytes;
	void *scratch;
	/* the ops of nodes that need a gradient but have no backward */
	bool backward_missing;
	/* some kind with parameters adds into dw: clear grads first */
	bool clear_param_grads;
	/*
	 * Prepared fast path: when nodes 0..fast_last are just an input and
	 * a one-output linear layer, forward_to(fast_last) calls fast_fwd
	 * on that node directly (no walk over the graph). fast_last is
	 * INT32_MAX, never a node id (max_nodes <= INT32_MAX), when there is
	 * none or the net is not prepared.
	 */
	int fast_last;
	struct kml_nn_node *fast_node;
	int (*fast_fwd)(struct kml_nn_node *n, size_t batch);
};

static inline bool kml_nn_valid_node(const struct kml_nn *net, int id)
{
	return id >= 0 && (uint32_t)id < net->n_nodes;
}

#endif /* KMLIB_NN_IMPL_H */

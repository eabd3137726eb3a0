/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * nn_ops.h - the layer-kind contract (KANN-style op table). Every built-in
 * layer is one const struct kml_nn_ops; a user adds a layer kind by
 * filling one and calling kml_nn_add_node().
 *
 * Phases:
 *  - infer (nofpu, at add time): check the inputs (n->src[]), set
 *    n->shape, n->n_params, n->scratch_per_sample / n->scratch_fixed
 *    (elements of the dtype) and optionally KML_NN_NODE_UNBATCHED.
 *  - prepare / release (nofpu, optional): private state from @mem.
 *  - init (FPU, optional): fill n->w (n->n_params elements).
 *  - forward (FPU): write n->y from n->src[i]->y and n->w.
 *  - backward (FPU): n->dy holds d loss / d y, complete. ADD d loss / d x
 *    into n->src[i]->dy when it is not NULL (never overwrite: a value used
 *    twice receives the sum), and d loss / d w into n->dw, which is zero
 *    then - unless the kind sets KML_NN_OPS_WRITES_DW and writes all of
 *    n->dw itself.
 * forward/backward get the current batch; they return 0 or a status for
 * data-dependent errors only (e.g. a label out of range).
 * A kind may leave forward/backward NULL for a dtype it does not support;
 * kml_nn_prepare() then fails with KML_ENOSYS.
 */
#ifndef KMLIB_NN_OPS_H
#define KMLIB_NN_OPS_H

#include "nn.h"
#include "prng.h"

#define KML_NN_MAX_RANK 4
#define KML_NN_MAX_INPUTS 8
/* integer hyper-parameters per node (ihp[]) */
#define KML_NN_MAX_IHP 12

struct kml_nn_shape {
	uint32_t rank;
	uint32_t dim[KML_NN_MAX_RANK];
};

enum kml_nn_node_flags {
	KML_NN_NODE_INPUT = 1 << 0, /* data written by the user */
	KML_NN_NODE_LABELS = 1 << 1, /* int32 values */
	KML_NN_NODE_UNBATCHED = 1 << 2, /* one value set per batch (losses) */
	KML_NN_NODE_NEEDS_GRAD = 1 << 3, /* has a gradient buffer */
	KML_NN_NODE_REQ_GRAD = 1 << 4, /* input whose gradient was asked */
	KML_NN_NODE_LOSS = 1 << 5,
};

struct kml_nn_node;

/* struct kml_nn_ops.flags */
enum kml_nn_ops_flags {
	/* backward WRITES every element of n->dw instead of adding to it
	 * (the node owns its parameters), so the gradient block need not be
	 * cleared before backward */
	KML_NN_OPS_WRITES_DW = 1 << 0,
};

struct kml_nn_ops {
	const char *name;
	uint32_t min_inputs, max_inputs;
	uint32_t flags; /* enum kml_nn_ops_flags */
	int (*infer)(struct kml_nn_node *n);
	int (*prepare)(struct kml_nn_node *n, struct kml_mem *mem,
		       size_t max_batch);
	void (*release)(struct kml_nn_node *n, struct kml_mem *mem);
	/* indexed by enum kml_nn_dtype */
	void (*init[KML_NN_NDTYPES])(struct kml_nn_node *n, struct kml_prng *r);
	int (*forward[KML_NN_NDTYPES])(struct kml_nn_node *n, size_t batch);
	int (*backward[KML_NN_NDTYPES])(struct kml_nn_node *n, size_t batch);
};

struct kml_nn_node {
	const struct kml_nn_ops *ops;
	uint32_t id;
	uint32_t flags; /* enum kml_nn_node_flags */
	uint32_t n_in;
	const struct kml_nn_node *src[KML_NN_MAX_INPUTS];
	struct kml_nn_shape shape; /* per sample */
	size_t size; /* elements per sample (total if UNBATCHED) */
	size_t n_params;
	size_t scratch_per_sample, scratch_fixed;
	/* hyper-parameters: integers, and reals (FPU code only reads these) */
	uint32_t ihp[KML_NN_MAX_IHP];
	double rhp[2];
	/* set by kml_nn_prepare() */
	size_t param_offset;
	void *y, *dy; /* dy is NULL unless NEEDS_GRAD */
	void *w, *dw;
	void *scratch;
	void *priv;
	/* what the walks call: the kind's function for the net's dtype, a
	 * specialised one, or NULL to skip the node */
	int (*run_forward)(struct kml_nn_node *n, size_t batch);
	int (*run_backward)(struct kml_nn_node *n, size_t batch);
};

/* Elements in a node's value buffer for @batch samples. */
static inline size_t kml_nn_node_len(const struct kml_nn_node *n, size_t batch)
{
	return (n->flags & KML_NN_NODE_UNBATCHED) ? n->size : batch * n->size;
}

/*
 * Add a node of kind @ops with inputs @in[0..n_in-1]; @ihp (4 integers,
 * may be NULL) are copied before infer runs. Returns the node id.
 * The ops struct must outlive the network.
 */
int kml_nn_add_node(struct kml_nn *net, const struct kml_nn_ops *ops,
		    const int *in, uint32_t n_in, const uint32_t *ihp);
/* Same with @n_ihp (<= KML_NN_MAX_IHP) integers copied from @ihp; the
 * rest of ihp[] is zero. */
int kml_nn_add_node_hp(struct kml_nn *net, const struct kml_nn_ops *ops,
		       const int *in, uint32_t n_in, const uint32_t *ihp,
		       uint32_t n_ihp);
/* The node itself, e.g. to set rhp[] after adding it. */
int kml_nn_get_node(struct kml_nn *net, int id, struct kml_nn_node **out);

#endif /* KMLIB_NN_OPS_H */

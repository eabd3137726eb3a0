// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * graph.c - building a network and laying out its memory (no float code).
 *
 * Adding a node writes into the node table allocated by kml_nn_create()
 * and runs the kind's shape inference at once, so errors point at the
 * call that caused them. kml_nn_prepare() then makes every allocation the
 * network will ever need.
 */
#include "nn_impl.h"
#include "kernels.h"

#define NN_ALIGN 16u
/* the node table follows the struct, aligned */
#define NN_NET_BYTES                                                           \
	((sizeof(struct kml_nn) + NN_ALIGN - 1) & ~(size_t)(NN_ALIGN - 1))

int kml_nn_create(struct kml_nn **out, struct kml_mem *mem,
		  enum kml_nn_dtype dtype, size_t max_nodes)
{
	struct kml_nn *net;
	size_t bytes;
	int ret;

	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!mem || max_nodes == 0 || max_nodes > INT32_MAX)
		return KML_EINVAL;
	if (dtype != KML_NN_F32 && dtype != KML_NN_F64)
		return KML_ENOSYS;
	/* the net and its node table in one allocation (one header) */
	if (!kml_size_mul(max_nodes, sizeof(*net->nodes), &bytes) ||
	    !kml_size_add(bytes, NN_NET_BYTES, &bytes))
		return KML_EOVERFLOW;
	ret = kml_alloc(mem, bytes, KML_MEM_ZERO, (void **)&net);
	if (ret)
		return ret;
	net->nodes = (struct kml_nn_node *)((uint8_t *)net + NN_NET_BYTES);
	net->mem = mem;
	net->dtype = dtype;
	net->esize = dtype == KML_NN_F32 ? 4 : 8;
	net->max_nodes = (uint32_t)max_nodes;
	net->fast_last = INT32_MAX;
	*out = net;
	return KML_OK;
}

static void nn_unprepare(struct kml_nn *net)
{
	uint32_t i;

	for (i = 0; i < net->n_nodes; i++) {
		struct kml_nn_node *n = &net->nodes[i];

		if (n->priv && n->ops->release)
			n->ops->release(n, net->mem);
		n->priv = NULL;
		n->y = n->dy = n->w = n->dw = n->scratch = NULL;
	}
	kml_free(net->mem, net->block);
	net->block = NULL;
	net->params = net->grads = net->acts = NULL;
	net->act_grads = net->scratch = NULL;
	net->prepared = false;
	net->fast_last = INT32_MAX;
}

void kml_nn_destroy(struct kml_nn *net)
{
	if (!net)
		return;
	nn_unprepare(net);
	kml_free(net->mem, net);
}

static bool shape_elems(const struct kml_nn_shape *s, size_t *out)
{
	size_t n = 1;
	uint32_t i;

	if (s->rank == 0 || s->rank > KML_NN_MAX_RANK)
		return false;
	for (i = 0; i < s->rank; i++)
		if (s->dim[i] == 0 || !kml_size_mul(n, s->dim[i], &n))
			return false;
	*out = n;
	return true;
}

int kml_nn_add_node(struct kml_nn *net, const struct kml_nn_ops *ops,
		    const int *in, uint32_t n_in, const uint32_t *ihp)
{
	return kml_nn_add_node_hp(net, ops, in, n_in, ihp, 4);
}

int kml_nn_add_node_hp(struct kml_nn *net, const struct kml_nn_ops *ops,
		       const int *in, uint32_t n_in, const uint32_t *ihp,
		       uint32_t n_ihp)
{
	struct kml_nn_node *n;
	uint32_t i;
	int ret;

	if (!net || !ops || !ops->infer || (n_in && !in) ||
	    n_ihp > KML_NN_MAX_IHP)
		return KML_EINVAL;
	if (net->prepared)
		return KML_EBUSY;
	if (n_in < ops->min_inputs || n_in > ops->max_inputs ||
	    n_in > KML_NN_MAX_INPUTS)
		return KML_EINVAL;
	if (net->n_nodes == net->max_nodes)
		return KML_ENOSPC;
	n = &net->nodes[net->n_nodes];
	kml_memset(n, 0, sizeof(*n));
	n->ops = ops;
	n->id = net->n_nodes;
	n->n_in = n_in;
	for (i = 0; i < n_in; i++) {
		if (!kml_nn_valid_node(net, in[i]))
			return KML_EINVAL;
		n->src[i] = &net->nodes[in[i]];
		if (n->src[i]->flags & KML_NN_NODE_NEEDS_GRAD)
			n->flags |= KML_NN_NODE_NEEDS_GRAD;
	}
	if (ihp)
		kml_memcpy(n->ihp, ihp, n_ihp * sizeof(*ihp));
	ret = ops->infer(n);
	if (ret)
		return ret;
	if (!shape_elems(&n->shape, &n->size))
		return KML_EOVERFLOW;
	if (n->n_params)
		n->flags |= KML_NN_NODE_NEEDS_GRAD;
	if (n->flags & KML_NN_NODE_LABELS)
		n->flags &= ~(uint32_t)KML_NN_NODE_NEEDS_GRAD;
	return (int)net->n_nodes++;
}

int kml_nn_get_node(struct kml_nn *net, int id, struct kml_nn_node **out)
{
	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!net || !kml_nn_valid_node(net, id))
		return KML_EINVAL;
	*out = &net->nodes[id];
	return KML_OK;
}

/* ---- Inputs ---- */

/* The shape of an input is given, not inferred: kml_nn_input() sets it. */
static int input_infer(struct kml_nn_node *n)
{
	(void)n;
	return KML_OK;
}

static const struct kml_nn_ops input_ops = {
	.name = "input",
	.infer = input_infer,
};

int kml_nn_input(struct kml_nn *net, const uint32_t *dims, uint32_t rank,
		 unsigned int flags)
{
	struct kml_nn_node *n;

	if (!net || !dims || rank == 0 || rank > KML_NN_MAX_RANK)
		return KML_EINVAL;
	if (flags & ~(unsigned int)(KML_NN_REQUIRES_GRAD | KML_NN_LABELS))
		return KML_EINVAL;
	if ((flags & KML_NN_LABELS) && (flags & KML_NN_REQUIRES_GRAD))
		return KML_EINVAL;
	if (net->prepared)
		return KML_EBUSY;
	if (net->n_nodes == net->max_nodes)
		return KML_ENOSPC;
	n = &net->nodes[net->n_nodes];
	kml_memset(n, 0, sizeof(*n));
	n->ops = &input_ops;
	n->id = net->n_nodes;
	n->shape.rank = rank;
	kml_memcpy(n->shape.dim, dims, rank * sizeof(*dims));
	if (!shape_elems(&n->shape, &n->size))
		return KML_EINVAL;
	n->flags = KML_NN_NODE_INPUT;
	if (flags & KML_NN_LABELS)
		n->flags |= KML_NN_NODE_LABELS;
	if (flags & KML_NN_REQUIRES_GRAD)
		n->flags |= KML_NN_NODE_REQ_GRAD | KML_NN_NODE_NEEDS_GRAD;
	return (int)net->n_nodes++;
}

int kml_nn_input_vec(struct kml_nn *net, uint32_t size, unsigned int flags)
{
	return kml_nn_input(net, &size, 1, flags);
}

int kml_nn_labels(struct kml_nn *net)
{
	uint32_t one = 1;

	return kml_nn_input(net, &one, 1, KML_NN_LABELS);
}

/* ---- Prepare ---- */

static bool round_add(size_t *total, size_t bytes)
{
	if (!kml_size_add(bytes, NN_ALIGN - 1, &bytes))
		return false;
	bytes &= ~(size_t)(NN_ALIGN - 1);
	return kml_size_add(*total, bytes, total);
}

struct nn_layout {
	size_t params, acts, grads, scratch; /* bytes */
};

/* Bytes of each region and every node's parameter offset; false on overflow. */
static bool nn_measure(struct kml_nn *net, size_t max_batch,
		       struct nn_layout *l)
{
	size_t n_params = 0;
	uint32_t i;

	kml_memset(l, 0, sizeof(*l));
	for (i = 0; i < net->n_nodes; i++) {
		struct kml_nn_node *n = &net->nodes[i];
		size_t esz = (n->flags & KML_NN_NODE_LABELS) ? 4 : net->esize;
		size_t elems = n->size, bytes, sc;

		if (!(n->flags & KML_NN_NODE_UNBATCHED) &&
		    !kml_size_mul(elems, max_batch, &elems))
			return false;
		if (!kml_size_mul(elems, esz, &bytes) ||
		    !round_add(&l->acts, bytes))
			return false;
		if ((n->flags & KML_NN_NODE_NEEDS_GRAD) &&
		    !round_add(&l->grads, bytes))
			return false;
		if (!kml_size_mul(n->scratch_per_sample, max_batch, &sc) ||
		    !kml_size_add(sc, n->scratch_fixed, &sc) ||
		    !kml_size_mul(sc, net->esize, &sc) ||
		    !round_add(&l->scratch, sc))
			return false;
		/* each node's parameters start 16-byte aligned, for vector
		 * loads; the gap elements stay zero (and their gradients) */
		if (n->n_params) {
			size_t per = NN_ALIGN / net->esize;

			if (!kml_size_add(n_params, per - 1, &n_params))
				return false;
			n_params -= n_params % per;
		}
		n->param_offset = n_params;
		if (!kml_size_add(n_params, n->n_params, &n_params))
			return false;
	}
	net->n_params = n_params;
	return kml_size_mul(n_params, net->esize, &l->params);
}

/* Reserve @bytes (rounded up to NN_ALIGN) at *@off of the block. */
static bool nn_region(size_t bytes, size_t *off, size_t *at)
{
	*at = *off;
	return kml_size_add(bytes, NN_ALIGN - 1, &bytes) &&
	       kml_size_add(*off, bytes & ~(size_t)(NN_ALIGN - 1), off);
}

/* One allocation for every region (one header, not five). */
static int nn_alloc_regions(struct kml_nn *net, const struct nn_layout *l,
			    size_t slack)
{
	const size_t bytes[5] = { l->params ? slack : 0, l->params, l->acts,
				  l->grads, l->scratch };
	void **out[5] = { &net->params, &net->grads, &net->acts,
			  &net->act_grads, &net->scratch };
	size_t off = 0, at[5];
	uint8_t *base;
	int i, ret;

	for (i = 0; i < 5; i++)
		if (!nn_region(bytes[i], &off, &at[i]))
			return KML_EOVERFLOW;
	for (i = 0; i < 5; i++)
		*out[i] = NULL;
	if (!off)
		return KML_OK;
	ret = kml_alloc(net->mem, off, KML_MEM_ZERO, &net->block);
	if (ret)
		return ret;
	base = net->block;
	for (i = 0; i < 5; i++)
		if (bytes[i])
			*out[i] = base + at[i];
	return KML_OK;
}

/* Point every node at its slices of the regions. */
static void nn_assign(struct kml_nn *net, size_t max_batch)
{
	uint8_t *act = net->acts, *grad = net->act_grads, *sc = net->scratch;
	uint32_t i;

	for (i = 0; i < net->n_nodes; i++) {
		struct kml_nn_node *n = &net->nodes[i];
		size_t esz = (n->flags & KML_NN_NODE_LABELS) ? 4 : net->esize;
		size_t bytes = kml_nn_node_len(n, max_batch) * esz;
		size_t sbytes =
		    (n->scratch_per_sample * max_batch + n->scratch_fixed) *
		    net->esize;

		bytes = (bytes + NN_ALIGN - 1) & ~(size_t)(NN_ALIGN - 1);
		sbytes = (sbytes + NN_ALIGN - 1) & ~(size_t)(NN_ALIGN - 1);
		n->y = act;
		act += bytes;
		if (n->flags & KML_NN_NODE_NEEDS_GRAD) {
			n->dy = grad;
			grad += bytes;
		}
		if (sbytes) {
			n->scratch = sc;
			sc += sbytes;
		}
		if (n->n_params) {
			n->w = (uint8_t *)net->params +
			       n->param_offset * net->esize;
			n->dw = (uint8_t *)net->grads +
				n->param_offset * net->esize;
		}
	}
}

/*
 * Resolve what the walks call for each node: the kind's functions for
 * the dtype, with one-output linear layers on vector inputs replaced by
 * the unrolled dot products. Then the prepared fast path: a 2-node prefix
 * input -> such a layer is run by forward_to() without any walk.
 */
static void nn_resolve_runs(struct kml_nn *net)
{
	struct kml_nn_node *lin = &net->nodes[1];
	uint32_t i;

	for (i = 0; i < net->n_nodes; i++) {
		struct kml_nn_node *n = &net->nodes[i];

		n->run_forward = n->ops->forward[net->dtype];
		n->run_backward = NULL;
		if ((n->flags & KML_NN_NODE_NEEDS_GRAD) &&
		    !(n->flags & KML_NN_NODE_INPUT))
			n->run_backward = n->ops->backward[net->dtype];
		if (n->ops == &kml_nn_linear_ops && n->ihp[0] == 1 &&
		    n->ihp[3] == 1) {
			uint32_t in = n->ihp[2] <= 4 ? n->ihp[2] : 0;

			n->run_forward =
			    net->dtype == KML_NN_F32
				? kml_nn_linear_dot_fwd_f32[n->ihp[1]][in]
				: kml_nn_linear_dot_fwd_f64[n->ihp[1]][in];
			if (n->run_backward)
				n->run_backward =
				    net->dtype == KML_NN_F32
					? kml_nn_linear_dot_bwd_f32
					: kml_nn_linear_dot_bwd_f64;
		}
	}
	net->fast_last = INT32_MAX;
	net->fast_node = NULL;
	net->fast_fwd = NULL;
	if (net->n_nodes < 2 || lin->ops != &kml_nn_linear_ops ||
	    lin->ihp[0] != 1 || lin->ihp[3] != 1)
		return;
	net->fast_node = lin;
	net->fast_fwd = lin->run_forward;
	net->fast_last = 1;
}

int kml_nn_prepare(struct kml_nn *net, size_t max_batch)
{
	struct nn_layout l;
	size_t slack = 0;
	uint32_t i;
	int ret;

	if (!net || max_batch == 0)
		return KML_EINVAL;
	if (net->prepared)
		return KML_EBUSY;
	if (net->n_nodes == 0)
		return KML_EINVAL;
	net->backward_missing = false;
	net->clear_param_grads = false;
	for (i = 0; i < net->n_nodes; i++) {
		const struct kml_nn_node *n = &net->nodes[i];

		if (n->n_params && !(n->ops->flags & KML_NN_OPS_WRITES_DW))
			net->clear_param_grads = true;

		if (n->flags & KML_NN_NODE_INPUT)
			continue;
		if (!n->ops->forward[net->dtype])
			return KML_ENOSYS;
		if ((n->flags & KML_NN_NODE_NEEDS_GRAD) &&
		    !n->ops->backward[net->dtype])
			net->backward_missing = true;
	}
	if (!nn_measure(net, max_batch, &l))
		return KML_EOVERFLOW;
	net->act_grad_bytes = l.grads;
	/* 16 bytes of slack after the parameters: the batch-1 linear pass
	 * loads whole vectors past the last columns (kernels_tmpl.h) */
	if (l.params && !kml_size_add(l.params, NN_ALIGN, &slack))
		return KML_EOVERFLOW;
	ret = nn_alloc_regions(net, &l, slack);
	if (ret)
		goto fail;
	nn_assign(net, max_batch);
	for (i = 0; i < net->n_nodes; i++) {
		struct kml_nn_node *n = &net->nodes[i];

		if (!n->ops->prepare)
			continue;
		ret = n->ops->prepare(n, net->mem, max_batch);
		if (ret)
			goto fail;
	}
	nn_resolve_runs(net);
	net->max_batch = max_batch;
	net->batch = max_batch;
	net->prepared = true;
	return KML_OK;
fail:
	nn_unprepare(net);
	return ret;
}

int kml_nn_set_batch(struct kml_nn *net, size_t batch)
{
	if (!net || !net->prepared)
		return KML_EINVAL;
	if (batch == 0 || batch > net->max_batch)
		return KML_ERANGE;
	net->batch = batch;
	return KML_OK;
}

size_t kml_nn_batch(const struct kml_nn *net)
{
	return net && net->prepared ? net->batch : 0;
}

/* ---- Accessors ---- */

int kml_nn_value(struct kml_nn *net, int node, void **data, size_t *count)
{
	if (!net || !data || !net->prepared || !kml_nn_valid_node(net, node))
		return KML_EINVAL;
	*data = net->nodes[node].y;
	if (count)
		*count = kml_nn_node_len(&net->nodes[node], net->batch);
	return KML_OK;
}

int kml_nn_grad(struct kml_nn *net, int node, void **data, size_t *count)
{
	if (!net || !data || !net->prepared || !kml_nn_valid_node(net, node))
		return KML_EINVAL;
	*data = net->nodes[node].dy;
	if (count)
		*count =
		    *data ? kml_nn_node_len(&net->nodes[node], net->batch) : 0;
	return KML_OK;
}

int kml_nn_node_size(const struct kml_nn *net, int node, size_t *size)
{
	if (!net || !size || !kml_nn_valid_node(net, node))
		return KML_EINVAL;
	*size = net->nodes[node].size;
	return KML_OK;
}

int kml_nn_params(struct kml_nn *net, void **params, void **grads, size_t *n)
{
	if (!net || !net->prepared || (!params && !grads && !n))
		return KML_EINVAL;
	if (params)
		*params = net->params;
	if (grads)
		*grads = net->grads;
	if (n)
		*n = net->n_params;
	return KML_OK;
}

int kml_nn_node_params(struct kml_nn *net, int node, size_t *offset, size_t *n)
{
	if (!net || !offset || !n || !net->prepared ||
	    !kml_nn_valid_node(net, node))
		return KML_EINVAL;
	*offset = net->nodes[node].param_offset;
	*n = net->nodes[node].n_params;
	return KML_OK;
}

enum kml_nn_dtype kml_nn_dtype_of(const struct kml_nn *net)
{
	return net ? net->dtype : KML_NN_F32;
}

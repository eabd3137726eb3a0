// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qseq_plan.c - the int8 layers of a float network's chain (nofpu):
 * one layer per node kind that has an int8 operator, ReLUs fused into a
 * preceding linear/conv clamp, reshapes dropped, and transposes between
 * the float network's channels-first order and the int8 kernels' HWC.
 */
#include "kmlib/nn_ops.h"
#include "qseq_impl.h"

#define PLAN_MAX_NODES 64

static bool kind_is(const struct kml_nn_node *n, const char *name)
{
	const char *a = n->ops ? n->ops->name : NULL;

	if (!a)
		return false;
	while (*a && *a == *name) {
		a++;
		name++;
	}
	return *a == *name;
}

struct planner {
	struct kml_qseq_desc *desc;
	struct kml_qseq_plan_nodes *pn;
	uint32_t n;
	bool hwc; /* the current tensor is channels last */
	uint32_t c, h, w; /* its geometry when hwc */
	int node; /* the float node holding the current tensor */
};

static int emit(struct planner *p, const struct kml_qseq_desc *d, int param,
		int range)
{
	if (p->n == KML_QSEQ_MAX_LAYERS)
		return KML_EOVERFLOW;
	p->desc[p->n] = *d;
	p->pn->param[p->n] = param;
	p->pn->range[p->n] = range;
	p->pn->relu[p->n] = false;
	p->n++;
	return KML_OK;
}

/* Back to channels-first order before a layer that needs it. */
static int to_chw(struct planner *p)
{
	struct kml_qseq_desc d = { .kind = KML_QSEQ_TO_CHW,
				   .in_h = p->h,
				   .in_w = p->w,
				   .in_c = p->c };

	if (!p->hwc)
		return KML_OK;
	p->hwc = false;
	return emit(p, &d, -1, p->node);
}

static int window_layer(struct planner *p, const struct kml_nn_node *n,
			bool conv)
{
	const struct kml_nn_node *x = n->src[0];
	const uint32_t *w = n->ihp;
	struct kml_qseq_desc d = { 0 };
	uint32_t rank = x->shape.rank;
	int err;

	if (rank != 2 && rank != 3)
		return KML_EINVAL;
	if (w[8] != 1 || w[9] != 1)
		return KML_ENOSYS; /* dilation */
	if (!conv && w[0] == KML_NN_POOL_AVG && (w[6] || w[7]))
		return KML_ENOSYS; /* float counts padding, int8 skips it */
	d.in_c = x->shape.dim[0];
	d.in_h = rank == 3 ? x->shape.dim[1] : 1;
	d.in_w = x->shape.dim[rank - 1];
	if (!p->hwc) {
		struct kml_qseq_desc t = { .kind = KML_QSEQ_TO_HWC,
					   .in_h = d.in_h,
					   .in_w = d.in_w,
					   .in_c = d.in_c };

		err = emit(p, &t, -1, p->node);
		if (err)
			return err;
	}
	d.kind = conv			   ? KML_QSEQ_CONV
		 : w[0] == KML_NN_POOL_MAX ? KML_QSEQ_MAXPOOL
					   : KML_QSEQ_AVGPOOL;
	d.out_c = conv ? w[0] : 0;
	d.k_h = w[2];
	d.k_w = w[3];
	d.stride_h = w[4];
	d.stride_w = w[5];
	d.pad_h = w[6];
	d.pad_w = w[7];
	p->hwc = true;
	p->c = n->shape.dim[0];
	p->h = rank == 3 ? n->shape.dim[1] : 1;
	p->w = n->shape.dim[rank - 1];
	return emit(p, &d, conv ? (int)n->id : -1, (int)n->id);
}

static uint32_t last_dim(const struct kml_nn_node *n)
{
	return n->shape.rank ? n->shape.dim[n->shape.rank - 1] : 0;
}

static int node_layer(struct planner *p, const struct kml_nn_node *n)
{
	struct kml_qseq_desc d = { 0 };
	const struct kml_nn_node *x = n->src[0];
	uint32_t in = last_dim(x);
	int id = (int)n->id, err = KML_OK;

	if (x->size > KML_QNN_MAX_DIM * (size_t)KML_QNN_MAX_DIM)
		return KML_EOVERFLOW;
	if (kind_is(n, "conv") || kind_is(n, "pool"))
		return window_layer(p, n, kind_is(n, "conv"));
	if (kind_is(n, "relu") && p->n &&
	    (p->desc[p->n - 1].kind == KML_QSEQ_LINEAR ||
	     p->desc[p->n - 1].kind == KML_QSEQ_CONV) &&
	    p->pn->range[p->n - 1] == (int)x->id) {
		p->pn->range[p->n - 1] = id;
		p->pn->relu[p->n - 1] = true;
		return KML_OK;
	}
	if (kind_is(n, "relu") || kind_is(n, "sigmoid") || kind_is(n, "tanh")) {
		d.kind = kind_is(n, "relu")	 ? KML_QSEQ_RELU
			 : kind_is(n, "sigmoid") ? KML_QSEQ_SIGMOID
						 : KML_QSEQ_TANH;
		d.in_c = (uint32_t)x->size;
		return emit(p, &d, -1, id);
	}
	if (kind_is(n, "reshape"))
		return to_chw(p);
	if (!kind_is(n, "linear") && !kind_is(n, "softmax") &&
	    !kind_is(n, "lstm"))
		return KML_ENOSYS;
	err = to_chw(p);
	if (err)
		return err;
	if (!in || x->size % in)
		return KML_EINVAL;
	if (kind_is(n, "lstm")) {
		if (n->ihp[2] != 4 || x->shape.rank != 2)
			return KML_EINVAL;
		d = (struct kml_qseq_desc){ .kind = KML_QSEQ_LSTM,
					    .flags = n->ihp[1]
							 ? KML_QSEQ_ALL_STEPS
							 : 0,
					    .rows = n->ihp[3],
					    .in_c = n->ihp[4],
					    .out_c = n->ihp[0] };
		return emit(p, &d, id, id);
	}
	d.rows = (uint32_t)(x->size / in);
	d.in_c = in;
	if (kind_is(n, "softmax")) {
		d.kind = KML_QSEQ_SOFTMAX;
		return emit(p, &d, -1, id);
	}
	d.kind = KML_QSEQ_LINEAR;
	d.out_c = last_dim(n);
	return emit(p, &d, id, id);
}

int kml_qseq_plan_nodes(struct kml_nn *net, int input, int output,
			struct kml_qseq_desc *desc, uint32_t *n,
			struct kml_qseq_plan_nodes *pn)
{
	struct kml_qseq_plan_nodes own;
	struct planner p = { desc, pn ? pn : &own, 0, false, 0, 0, 0, input };
	int chain[PLAN_MAX_NODES], cur = output, k = 0, err;
	struct kml_nn_node *node;

	if (!net || !desc || !n || input < 0 || output <= input)
		return KML_EINVAL;
	*n = 0;
	if (kml_nn_dtype_of(net) != KML_NN_F32)
		return KML_EINVAL;
	while (cur != input) {
		if (k == PLAN_MAX_NODES)
			return KML_EOVERFLOW;
		err = kml_nn_get_node(net, cur, &node);
		if (err)
			return err;
		if (node->n_in != 1 || !node->src[0] ||
		    (int)node->src[0]->id < input)
			return KML_EINVAL;
		chain[k++] = cur;
		cur = (int)node->src[0]->id;
	}
	while (k--) {
		err = kml_nn_get_node(net, chain[k], &node);
		if (!err)
			err = node_layer(&p, node);
		if (err)
			return err;
		p.node = chain[k];
	}
	err = to_chw(&p);
	if (err)
		return err;
	if (!p.n)
		return KML_EINVAL;
	*n = p.n;
	return KML_OK;
}

int kml_qseq_plan(struct kml_nn *net, int input, int output,
		  struct kml_qseq_desc *desc, uint32_t *n)
{
	return kml_qseq_plan_nodes(net, input, output, desc, n, NULL);
}

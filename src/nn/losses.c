// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * losses.c - losses as graph nodes: shape inference, op tables and
 * builders (no float code). A loss node is one scalar for the batch
 * (KML_NN_NODE_UNBATCHED | KML_NN_NODE_LOSS); ihp[0] is the reduction.
 */
#include "nn_impl.h"
#include "kernels.h"

static int loss_scalar(struct kml_nn_node *n)
{
	if (n->ihp[0] != KML_NN_MEAN && n->ihp[0] != KML_NN_SUM)
		return KML_EINVAL;
	n->shape.rank = 1;
	n->shape.dim[0] = 1;
	n->flags |= KML_NN_NODE_UNBATCHED | KML_NN_NODE_LOSS;
	return KML_OK;
}

/* pred and target: values of the same shape. */
static int pair_infer(struct kml_nn_node *n)
{
	const struct kml_nn_node *p = n->src[0], *t = n->src[1];
	uint32_t i;

	if ((p->flags | t->flags) & KML_NN_NODE_LABELS)
		return KML_EINVAL;
	if (p->shape.rank != t->shape.rank ||
	    (p->flags & KML_NN_NODE_UNBATCHED) !=
		(t->flags & KML_NN_NODE_UNBATCHED))
		return KML_EDOM;
	for (i = 0; i < p->shape.rank; i++)
		if (p->shape.dim[i] != t->shape.dim[i])
			return KML_EDOM;
	return loss_scalar(n);
}

#define PAIR_LOSS_OPS(sym, kind)                                               \
	const struct kml_nn_ops sym = {                                        \
		.name = #kind,                                                 \
		.min_inputs = 2,                                               \
		.max_inputs = 2,                                               \
		.infer = pair_infer,                                           \
		.forward = KML_NN_FWD(kind),                                   \
		.backward = KML_NN_BWD(kind),                                  \
	}

PAIR_LOSS_OPS(kml_nn_mse_ops, mse);
static PAIR_LOSS_OPS(bce_ops, bce_logits);
PAIR_LOSS_OPS(kml_nn_huber_ops, huber);

static int pair_loss(struct kml_nn *net, const struct kml_nn_ops *ops, int pred,
		     int target, int reduction)
{
	int in[2] = { pred, target };
	uint32_t ihp[4] = { (uint32_t)reduction, 0, 0, 0 };

	if (reduction != KML_NN_MEAN && reduction != KML_NN_SUM)
		return KML_EINVAL;
	return kml_nn_add_node(net, ops, in, 2, ihp);
}

int kml_nn_mse(struct kml_nn *net, int pred, int target, int reduction)
{
	return pair_loss(net, &kml_nn_mse_ops, pred, target, reduction);
}

int kml_nn_bce_logits(struct kml_nn *net, int logits, int target, int reduction)
{
	return pair_loss(net, &bce_ops, logits, target, reduction);
}

/* logits: per-sample vector of C classes; labels: one int32 per sample. */
static int ce_infer(struct kml_nn_node *n)
{
	const struct kml_nn_node *x = n->src[0], *l = n->src[1];

	if ((x->flags & KML_NN_NODE_LABELS) || !(l->flags & KML_NN_NODE_LABELS))
		return KML_EINVAL;
	if (x->shape.rank != 1 || l->size != 1 ||
	    ((x->flags | l->flags) & KML_NN_NODE_UNBATCHED))
		return KML_EDOM;
	if (x->size > INT32_MAX)
		return KML_EOVERFLOW;
	n->scratch_per_sample = x->size; /* softmax kept for backward */
	return loss_scalar(n);
}

static const struct kml_nn_ops ce_ops = {
	.name = "cross_entropy",
	.min_inputs = 2,
	.max_inputs = 2,
	.infer = ce_infer,
	.forward = KML_NN_FWD(cross_entropy),
	.backward = KML_NN_BWD(cross_entropy),
};

int kml_nn_cross_entropy(struct kml_nn *net, int logits, int labels,
			 int reduction)
{
	return pair_loss(net, &ce_ops, logits, labels, reduction);
}

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * layers_conv.c - shape inference, op tables and builders of convolution
 * and pooling (no float code; kernels in kernels_conv_tmpl.h).
 *
 * Both kinds keep the window in ihp[2..9] (see kernels.h, KML_NN_WIN_*);
 * a 1d layer is a 2d one of height 1 on a (C, L) sample.
 */
#include "nn_impl.h"
#include "kernels.h"

/* Output length of one axis, or 0 when the window does not fit. */
static uint64_t conv_out_len(uint32_t in, uint32_t k, uint32_t s, uint32_t p,
			     uint32_t d)
{
	uint64_t span = (uint64_t)d * (k - 1) + 1,
		 padded = (uint64_t)in + 2ull * p;

	if (span > padded)
		return 0;
	return (padded - span) / s + 1;
}

/*
 * Check the window of @n against its (C, L) or (C, H, W) input and set
 * the output shape with @channels. Returns 0 or a status.
 */
static int window_infer(struct kml_nn_node *n, uint32_t channels)
{
	const struct kml_nn_node *x = n->src[0];
	const uint32_t *w = n->ihp;
	uint32_t rank = x->shape.rank, a;
	uint32_t in[2];

	if ((x->flags & (KML_NN_NODE_LABELS | KML_NN_NODE_UNBATCHED)) ||
	    (rank != 2 && rank != 3) || channels == 0)
		return KML_EINVAL;
	in[0] = rank == 3 ? x->shape.dim[1] : 1;
	in[1] = x->shape.dim[rank - 1];
	n->shape.rank = rank;
	n->shape.dim[0] = channels;
	for (a = 0; a < 2; a++) {
		uint64_t len;

		if (w[KML_NN_WIN_K + a] == 0 || w[KML_NN_WIN_S + a] == 0 ||
		    w[KML_NN_WIN_D + a] == 0)
			return KML_EINVAL;
		len = conv_out_len(in[a], w[KML_NN_WIN_K + a],
				   w[KML_NN_WIN_S + a], w[KML_NN_WIN_P + a],
				   w[KML_NN_WIN_D + a]);
		if (len == 0)
			return KML_EDOM;
		if (len > UINT32_MAX)
			return KML_EOVERFLOW;
		if (rank == 3 || a == 1)
			n->shape.dim[rank == 3 ? 1 + a : 1] = (uint32_t)len;
		else if (len != 1)
			return KML_EINVAL; /* 1d: height stays 1 */
	}
	return KML_OK;
}

/* ---- convolution ---- */

static int conv_infer(struct kml_nn_node *n)
{
	const struct kml_nn_node *x = n->src[0];
	size_t k, p, wsize;
	int ret;

	if (n->ihp[1] > 1)
		return KML_EINVAL;
	ret = window_infer(n, n->ihp[0]);
	if (ret)
		return ret;
	/* K = C kh kw rows of the column matrix, P = output positions */
	if (!kml_size_mul(x->shape.dim[0], n->ihp[KML_NN_WIN_K], &k) ||
	    !kml_size_mul(k, n->ihp[KML_NN_WIN_K + 1], &k))
		return KML_EOVERFLOW;
	p = n->shape.dim[n->shape.rank - 1];
	if (n->shape.rank == 3 && !kml_size_mul(p, n->shape.dim[1], &p))
		return KML_EOVERFLOW;
	if (!kml_size_mul(k, n->ihp[0], &wsize) ||
	    !kml_size_add(wsize, n->ihp[1] ? n->ihp[0] : 0, &n->n_params))
		return KML_EOVERFLOW;
	/* the column matrix, and its gradient when x needs one */
	if (!kml_size_mul(k, p, &n->scratch_fixed) ||
	    ((x->flags & KML_NN_NODE_NEEDS_GRAD) &&
	     !kml_size_mul(n->scratch_fixed, 2, &n->scratch_fixed)))
		return KML_EOVERFLOW;
	return KML_OK;
}

static const struct kml_nn_ops conv_ops = {
	.name = "conv",
	.min_inputs = 1,
	.max_inputs = 1,
	.infer = conv_infer,
	.init = { kml_nn_conv_init_f32, kml_nn_conv_init_f64 },
	.forward = KML_NN_FWD(conv),
	.backward = KML_NN_BWD(conv),
};

static void window_put(uint32_t *ihp, const struct kml_nn_window *w)
{
	uint32_t a;

	for (a = 0; a < 2; a++) {
		ihp[KML_NN_WIN_K + a] = w->kernel[a];
		ihp[KML_NN_WIN_S + a] = w->stride[a];
		ihp[KML_NN_WIN_P + a] = w->padding[a];
		ihp[KML_NN_WIN_D + a] = w->dilation[a];
	}
}

int kml_nn_conv2d(struct kml_nn *net, int x, uint32_t out_channels,
		  const struct kml_nn_window *win, bool bias)
{
	uint32_t ihp[KML_NN_WIN_END] = { out_channels, bias ? 1 : 0 };

	if (!net || !win || !kml_nn_valid_node(net, x))
		return KML_EINVAL;
	if (net->nodes[x].shape.rank != 3)
		return KML_EINVAL;
	window_put(ihp, win);
	return kml_nn_add_node_hp(net, &conv_ops, &x, 1, ihp, KML_NN_WIN_END);
}

int kml_nn_conv1d(struct kml_nn *net, int x, uint32_t out_channels,
		  uint32_t kernel, uint32_t stride, uint32_t padding,
		  uint32_t dilation, bool bias)
{
	struct kml_nn_window w = {
		{ 1, kernel }, { 1, stride }, { 0, padding }, { 1, dilation }
	};
	uint32_t ihp[KML_NN_WIN_END] = { out_channels, bias ? 1 : 0 };

	if (!net || !kml_nn_valid_node(net, x))
		return KML_EINVAL;
	if (net->nodes[x].shape.rank != 2)
		return KML_EINVAL;
	window_put(ihp, &w);
	return kml_nn_add_node_hp(net, &conv_ops, &x, 1, ihp, KML_NN_WIN_END);
}

/* ---- pooling ---- */

static int pool_infer(struct kml_nn_node *n)
{
	const uint32_t *w = n->ihp;
	uint32_t a;

	if (n->ihp[0] != KML_NN_POOL_MAX && n->ihp[0] != KML_NN_POOL_AVG)
		return KML_EINVAL;
	for (a = 0; a < 2; a++)
		if (w[KML_NN_WIN_D + a] != 1 ||
		    w[KML_NN_WIN_P + a] > w[KML_NN_WIN_K + a] / 2)
			return KML_EINVAL;
	return window_infer(n, n->src[0]->shape.dim[0]);
}

static const struct kml_nn_ops pool_ops = {
	.name = "pool",
	.min_inputs = 1,
	.max_inputs = 1,
	.infer = pool_infer,
	.forward = KML_NN_FWD(pool),
	.backward = KML_NN_BWD(pool),
};

int kml_nn_pool2d(struct kml_nn *net, int x, int mode,
		  const struct kml_nn_window *win)
{
	uint32_t ihp[KML_NN_WIN_END] = { (uint32_t)mode, 0 };

	if (!net || !win || !kml_nn_valid_node(net, x))
		return KML_EINVAL;
	if (net->nodes[x].shape.rank != 3)
		return KML_EINVAL;
	window_put(ihp, win);
	return kml_nn_add_node_hp(net, &pool_ops, &x, 1, ihp, KML_NN_WIN_END);
}

int kml_nn_pool1d(struct kml_nn *net, int x, int mode, uint32_t kernel,
		  uint32_t stride, uint32_t padding)
{
	struct kml_nn_window w = {
		{ 1, kernel }, { 1, stride }, { 0, padding }, { 1, 1 }
	};
	uint32_t ihp[KML_NN_WIN_END] = { (uint32_t)mode, 0 };

	if (!net || !kml_nn_valid_node(net, x))
		return KML_EINVAL;
	if (net->nodes[x].shape.rank != 2)
		return KML_EINVAL;
	window_put(ihp, &w);
	return kml_nn_add_node_hp(net, &pool_ops, &x, 1, ihp, KML_NN_WIN_END);
}

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * layers_seq.c - shape inference, op tables and builders of the LSTM and
 * GRU (no float code; kernels in kernels_seq_tmpl.h).
 *
 * ihp: [0] hidden H, [1] all steps, [2] gates G (4 LSTM, 3 GRU), [3] steps
 * T, [4] input features I. Scratch per sample (kept from forward for
 * backward): the gate activations (T x G H), one extra H-vector per step
 * (LSTM: c_t; GRU: W_hn h + b_hn) and h_{-1} = 0, h_0 .. h_{T-1}
 * ((T + 1) x H). Fixed scratch for backward: the gate gradients before
 * the input and the hidden products (2 x T x G H) and three H-vectors.
 * The kernels place the fixed part first in the node's scratch region.
 */
#include "nn_impl.h"
#include "kernels.h"

static int rnn_infer(struct kml_nn_node *n)
{
	const struct kml_nn_node *x = n->src[0];
	size_t gh, t, in, w, per, fixed;

	if ((x->flags & (KML_NN_NODE_LABELS | KML_NN_NODE_UNBATCHED)) ||
	    x->shape.rank != 2 || n->ihp[0] == 0 || n->ihp[1] > 1)
		return KML_EINVAL;
	t = x->shape.dim[0];
	in = x->shape.dim[1];
	n->ihp[3] = (uint32_t)t;
	n->ihp[4] = (uint32_t)in;
	if (n->ihp[1]) {
		n->shape.rank = 2;
		n->shape.dim[0] = (uint32_t)t;
		n->shape.dim[1] = n->ihp[0];
	} else {
		n->shape.rank = 1;
		n->shape.dim[0] = n->ihp[0];
	}
	/* parameters: G H (I + H + 2) */
	if (!kml_size_mul(n->ihp[0], n->ihp[2], &gh) ||
	    !kml_size_add(in, n->ihp[0], &w) || !kml_size_add(w, 2, &w) ||
	    !kml_size_mul(gh, w, &n->n_params))
		return KML_EOVERFLOW;
	/* per sample: T (G H + H) + (T + 1) H */
	if (!kml_size_add(gh, n->ihp[0], &per) || !kml_size_mul(per, t, &per) ||
	    !kml_size_add(per, n->ihp[0], &per) ||
	    !kml_size_mul(t, n->ihp[0], &w) || !kml_size_add(per, w, &per))
		return KML_EOVERFLOW;
	/* fixed: 2 T G H + 3 H */
	if (!kml_size_mul(gh, t, &fixed) || !kml_size_mul(fixed, 2, &fixed) ||
	    !kml_size_mul(n->ihp[0], 3, &w) || !kml_size_add(fixed, w, &fixed))
		return KML_EOVERFLOW;
	n->scratch_per_sample = per;
	n->scratch_fixed = fixed;
	return KML_OK;
}

static const struct kml_nn_ops lstm_ops = {
	.name = "lstm",
	.min_inputs = 1,
	.max_inputs = 1,
	.infer = rnn_infer,
	.init = { kml_nn_rnn_init_f32, kml_nn_rnn_init_f64 },
	.forward = KML_NN_FWD(lstm),
	.backward = KML_NN_BWD(lstm),
};

static const struct kml_nn_ops gru_ops = {
	.name = "gru",
	.min_inputs = 1,
	.max_inputs = 1,
	.infer = rnn_infer,
	.init = { kml_nn_rnn_init_f32, kml_nn_rnn_init_f64 },
	.forward = KML_NN_FWD(gru),
	.backward = KML_NN_BWD(gru),
};

int kml_nn_lstm(struct kml_nn *net, int x, uint32_t hidden, bool all_steps)
{
	uint32_t ihp[5] = { hidden, all_steps ? 1 : 0, 4 };

	return kml_nn_add_node_hp(net, &lstm_ops, &x, 1, ihp, 5);
}

int kml_nn_gru(struct kml_nn *net, int x, uint32_t hidden, bool all_steps)
{
	uint32_t ihp[5] = { hidden, all_steps ? 1 : 0, 3 };

	return kml_nn_add_node_hp(net, &gru_ops, &x, 1, ihp, 5);
}

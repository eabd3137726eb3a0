// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_chain.c - find the linear/ReLU chain of a float network (nofpu).
 */
#include "kmlib/nn_ops.h"
#include "qnn_impl.h"

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

int kml_qnn_chain(struct kml_nn *net, int input, int output, int *lin,
		  int *relu, uint32_t *n_layers)
{
	int rl[KML_QNN_MAX_LAYERS], rr[KML_QNN_MAX_LAYERS];
	struct kml_nn_node *n;
	uint32_t k = 0, l;
	int cur = output, err;

	if (!net || !lin || !relu || !n_layers || input < 0 || output <= input)
		return KML_EINVAL;
	if (kml_nn_dtype_of(net) != KML_NN_F32)
		return KML_EINVAL;
	while (cur != input) {
		int r = -1;

		if (k == KML_QNN_MAX_LAYERS)
			return KML_EINVAL;
		err = kml_nn_get_node(net, cur, &n);
		if (err)
			return err;
		if (kind_is(n, "relu")) {
			r = cur;
			cur = (int)n->src[0]->id;
			err = kml_nn_get_node(net, cur, &n);
			if (err)
				return err;
		}
		/* a linear layer over one row per sample */
		if (!kind_is(n, "linear") || n->n_in != 1 || n->ihp[3] != 1 ||
		    n->src[0]->size != n->ihp[2] || n->size != n->ihp[0])
			return KML_EINVAL;
		rl[k] = cur;
		rr[k] = r;
		k++;
		cur = (int)n->src[0]->id;
		if (cur < input)
			return KML_EINVAL;
	}
	if (!k)
		return KML_EINVAL;
	for (l = 0; l < k; l++) {
		lin[l] = rl[k - 1 - l];
		relu[l] = rr[k - 1 - l];
	}
	*n_layers = k;
	return KML_OK;
}

int kml_qnn_nn_sizes(struct kml_nn *net, int input, int output, uint32_t *sizes,
		     uint32_t *n_layers)
{
	int lin[KML_QNN_MAX_LAYERS], relu[KML_QNN_MAX_LAYERS];
	struct kml_nn_node *n;
	uint32_t k, l;
	int err;

	if (!sizes || !n_layers)
		return KML_EINVAL;
	err = kml_qnn_chain(net, input, output, lin, relu, &k);
	if (err)
		return err;
	for (l = 0; l < k; l++) {
		err = kml_nn_get_node(net, lin[l], &n);
		if (err)
			return err;
		if (n->ihp[2] > KML_QNN_MAX_WIDTH ||
		    n->ihp[0] > KML_QNN_MAX_WIDTH)
			return KML_EOVERFLOW;
		sizes[l] = n->ihp[2];
		sizes[l + 1] = n->ihp[0];
	}
	*n_layers = k;
	return KML_OK;
}

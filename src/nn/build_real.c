// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * build_real.c - builders of layer kinds with real-valued
 * hyper-parameters. FPU code: they check and store a double; adding the
 * node itself never allocates, so calling them inside an FPU section is
 * allowed.
 */
#include "nn_impl.h"
#include "kernels.h"
#include "kmlib/kmath.h"

int kml_nn_leaky_relu(struct kml_nn *net, int x, double slope)
{
	int id;

	if (kml_isnan(slope) || kml_fabs(slope) > 1e30)
		return KML_EINVAL;
	id = kml_nn_add_node(net, &kml_nn_leaky_relu_ops, &x, 1, NULL);
	if (id >= 0)
		net->nodes[id].rhp[0] = slope;
	return id;
}

int kml_nn_huber(struct kml_nn *net, int pred, int target, double delta,
		 int reduction)
{
	int in[2] = { pred, target };
	uint32_t ihp[4] = { (uint32_t)reduction, 0, 0, 0 };
	int id;

	if (!(delta > 0) || delta > 1e30)
		return KML_EINVAL;
	if (reduction != KML_NN_MEAN && reduction != KML_NN_SUM)
		return KML_EINVAL;
	id = kml_nn_add_node(net, &kml_nn_huber_ops, in, 2, ihp);
	if (id >= 0)
		net->nodes[id].rhp[0] = delta;
	return id;
}

int kml_nn_dropout(struct kml_nn *net, int x, double p, uint64_t seed)
{
	uint32_t ihp[3] = { (uint32_t)seed, (uint32_t)(seed >> 32), 1 };
	int id;

	if (!(p >= 0 && p < 1))
		return KML_EINVAL;
	id = kml_nn_add_node_hp(net, &kml_nn_dropout_ops, &x, 1, ihp, 3);
	if (id >= 0)
		net->nodes[id].rhp[0] = p;
	return id;
}

int kml_nn_layer_norm(struct kml_nn *net, int x, double eps, bool affine)
{
	uint32_t ihp[1] = { affine ? 1 : 0 };
	int id;

	if (!(eps > 0) || eps > 1e30)
		return KML_EINVAL;
	id = kml_nn_add_node_hp(net, &kml_nn_layer_norm_ops, &x, 1, ihp, 1);
	if (id >= 0)
		net->nodes[id].rhp[0] = eps;
	return id;
}

int kml_nn_batch_norm(struct kml_nn *net, int x, double eps, double momentum,
		      bool affine)
{
	uint32_t ihp[2] = { affine ? 1 : 0, 1 };
	int id;

	if (!(eps > 0) || eps > 1e30 || !(momentum >= 0 && momentum <= 1))
		return KML_EINVAL;
	id = kml_nn_add_node_hp(net, &kml_nn_batch_norm_ops, &x, 1, ihp, 2);
	if (id >= 0) {
		net->nodes[id].rhp[0] = eps;
		net->nodes[id].rhp[1] = momentum;
	}
	return id;
}

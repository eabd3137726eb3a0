// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The network of a struct mqk_model, built the same way by the module
 * (mqk_learn.c) and by kmlib-trainer --format mqk (tools/kmlib-trainer,
 * through mqk_net_user.c): target-neutral, no float (a nofpu object; the
 * optimizer's settings and the initial parameters come from mqk_model.c
 * inside one FPU guard).
 */
#include "mqk_model.h"

int mqk_net_build(struct mqk_model *m, struct kml_mem *mem, int kind,
		  uint64_t seed)
{
	struct kml_optim_cfg ocfg;
	int ret, x, h;

	m->kind = kind;
	ret = kml_nn_create(&m->net, mem, KML_NN_F32,
			    kind == MQK_MODEL_MLP ? 6 : 4);
	if (ret)
		return ret;
	x = kml_nn_input_vec(m->net, MQK_NFEAT, 0);
	m->input = x;
	if (kind == MQK_MODEL_MLP) {
		m->hidden =
		    x < 0 ? x : kml_nn_linear(m->net, x, MQK_HIDDEN, true);
		x = m->hidden < 0 ? m->hidden : kml_nn_relu(m->net, m->hidden);
	}
	h = x < 0 ? x : kml_nn_linear(m->net, x, 1, true);
	m->output = h;
	m->target = h < 0 ? h : kml_nn_input_vec(m->net, 1, 0);
	m->loss = m->target < 0 ? m->target
				: kml_nn_mse(m->net, h, m->target, KML_NN_MEAN);
	ret = m->loss < 0 ? m->loss : kml_nn_prepare(m->net, MQK_BATCH);
	if (ret)
		return ret;
	kml_memset(&ocfg, 0, sizeof(ocfg));
	ret = KML_EAGAIN;
	if (kml_fpu_begin()) {
		ret = mqk_model_optim_cfg(&ocfg, kind);
		if (!ret)
			ret = mqk_model_init_params(m, seed);
		kml_fpu_end();
	}
	if (!ret)
		ret = kml_optim_create(&m->opt, mem, m->net, &ocfg);
	return ret;
}

void mqk_net_destroy(struct mqk_model *m)
{
	kml_optim_destroy(m->opt);
	m->opt = NULL;
	kml_nn_destroy(m->net);
	m->net = NULL;
}

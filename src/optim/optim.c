// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * optim.c - creating and freeing optimizers (no float code: the config
 * is copied as bytes; its real fields are checked by the first step).
 */
#include "optim_impl.h"
#include "../nn/kernels.h"

static const uint32_t state_blocks[] = {
	[KML_OPTIM_SGD] = 1,
	[KML_OPTIM_ADAM] = 2,
	[KML_OPTIM_RMSPROP] = 3,
};

/*
 * Does @net consist of exactly: a vector input x, linear(x, 1), a
 * one-element input t and mse(linear, t), with no input gradients asked?
 * Then SGD steps can run fused (optim_tmpl.h). Returns the loss node.
 */
static int linreg_loss(struct kml_nn *net, const struct kml_optim_cfg *cfg)
{
	const struct kml_nn_node *loss, *lin, *x, *t;

	if (cfg->kind != KML_OPTIM_SGD || net->n_nodes != 4)
		return INT32_MAX;
	loss = &net->nodes[3];
	if (loss->ops != &kml_nn_mse_ops)
		return INT32_MAX;
	lin = loss->src[0];
	t = loss->src[1];
	if (lin->ops != &kml_nn_linear_ops || lin->ihp[0] != 1 ||
	    lin->ihp[3] != 1)
		return INT32_MAX;
	x = lin->src[0];
	if (!(x->flags & KML_NN_NODE_INPUT) ||
	    !(t->flags & KML_NN_NODE_INPUT) ||
	    ((x->flags | t->flags) &
	     (KML_NN_NODE_REQ_GRAD | KML_NN_NODE_LABELS |
	      KML_NN_NODE_UNBATCHED)) ||
	    t->size != 1)
		return INT32_MAX;
	return 3;
}

void kml_optim_destroy(struct kml_optim *opt)
{
	uint32_t i;

	if (!opt)
		return;
	for (i = 0; i < opt->n_state; i++)
		kml_free(opt->mem, opt->state[i]);
	kml_free(opt->mem, opt);
}

int kml_optim_create(struct kml_optim **out, struct kml_mem *mem,
		     struct kml_nn *net, const struct kml_optim_cfg *cfg)
{
	struct kml_optim *o;
	uint32_t i;
	int ret;

	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!mem || !net || !cfg || !net->prepared)
		return KML_EINVAL;
	if (cfg->kind < 0 || (size_t)cfg->kind >= KML_ARRAY_SIZE(state_blocks))
		return KML_EINVAL;
	if (net->n_params == 0)
		return KML_EINVAL;
	ret = kml_alloc(mem, sizeof(*o), KML_MEM_ZERO, (void **)&o);
	if (ret)
		return ret;
	o->mem = mem;
	o->net = net;
	kml_memcpy(&o->cfg, cfg, sizeof(*cfg));
	o->fused_loss = linreg_loss(net, cfg);
	if (o->fused_loss != INT32_MAX) {
		uint32_t in;

		o->fused_lin = (struct kml_nn_node *)net->nodes[3].src[0];
		in = o->fused_lin->ihp[2] <= 4 ? o->fused_lin->ihp[2] : 0;
		for (i = 0; i < 2; i++)
			o->fused_run[i] = net->dtype == KML_NN_F32
					      ? kml_optim_linreg_f32[i][in]
					      : kml_optim_linreg_f64[i][in];
	}
	for (i = 0; i < state_blocks[cfg->kind]; i++) {
		ret = kml_alloc_array(mem, net->n_params, net->esize,
				      KML_MEM_ZERO, &o->state[i]);
		if (ret) {
			kml_optim_destroy(o);
			return ret;
		}
		o->n_state++;
	}
	*out = o;
	return KML_OK;
}

int kml_optim_reset(struct kml_optim *opt)
{
	uint32_t i;

	if (!opt)
		return KML_EINVAL;
	for (i = 0; i < opt->n_state; i++)
		kml_memset(opt->state[i], 0,
			   opt->net->n_params * opt->net->esize);
	opt->steps = 0;
	return KML_OK;
}

uint64_t kml_optim_steps(const struct kml_optim *opt)
{
	return opt ? opt->steps : 0;
}

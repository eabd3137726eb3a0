// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * optim_step.c - checking hyper-parameters, dispatching the update to the
 * dtype's kernel, learning rates, schedules and clipping (FPU code).
 */
#include "optim_impl.h"
#include "kmlib/kmath.h"

static bool real_ok(double v, double lo, double hi)
{
	return !kml_isnan(v) && v >= lo && v <= hi;
}

/* The ranges torch.optim accepts. */
static bool cfg_valid(const struct kml_optim_cfg *c)
{
	if (!real_ok(c->lr, 0, 1e30) || !real_ok(c->weight_decay, 0, 1e30))
		return false;
	switch (c->kind) {
	case KML_OPTIM_SGD:
		if (!real_ok(c->momentum, 0, 1e30) ||
		    !real_ok(c->dampening, -1e30, 1e30))
			return false;
		return !c->nesterov || (c->momentum > 0 && c->dampening == 0);
	case KML_OPTIM_ADAM:
		return real_ok(c->beta1, 0, 1) && c->beta1 < 1 &&
		       real_ok(c->beta2, 0, 1) && c->beta2 < 1 &&
		       real_ok(c->eps, 0, 1e30);
	case KML_OPTIM_RMSPROP:
		return real_ok(c->alpha, 0, 1e30) && real_ok(c->eps, 0, 1e30) &&
		       real_ok(c->momentum, 0, 1e30);
	default:
		return false;
	}
}

int kml_optim_defaults(struct kml_optim_cfg *cfg, int kind, double lr)
{
	if (!cfg)
		return KML_EINVAL;
	kml_memset(cfg, 0, sizeof(*cfg));
	cfg->kind = kind;
	cfg->lr = lr;
	cfg->beta1 = 0.9;
	cfg->beta2 = 0.999;
	cfg->eps = 1e-8;
	cfg->alpha = 0.99;
	return cfg_valid(cfg) ? KML_OK : KML_EINVAL;
}

int kml_optim_step(struct kml_optim *opt)
{
	if (!opt)
		return KML_EINVAL;
	if (KML_UNLIKELY(!opt->checked)) {
		if (!cfg_valid(&opt->cfg))
			return KML_EINVAL;
		opt->checked = true;
	}
	if (opt->cfg.kind == KML_OPTIM_ADAM) {
		if (opt->steps == 0) {
			opt->beta1_t = 1;
			opt->beta2_t = 1;
		}
		opt->beta1_t *= opt->cfg.beta1;
		opt->beta2_t *= opt->cfg.beta2;
	}
	if (opt->net->dtype == KML_NN_F32)
		kml_optim_step_f32(opt);
	else
		kml_optim_step_f64(opt);
	opt->steps++;
	return KML_OK;
}

int kml_optim_train_step(struct kml_optim *opt, int loss)
{
	int ret;

	if (!opt)
		return KML_EINVAL;
	if (loss == opt->fused_loss && opt->checked) {
		opt->fused_run[opt->net->batch == 1](opt);
		opt->steps++; /* SGD: no other bookkeeping */
		return KML_OK;
	}
	ret = kml_nn_forward_to(opt->net, loss);
	if (!ret)
		ret = kml_nn_backward(opt->net, loss);
	if (!ret)
		ret = kml_optim_step(opt);
	return ret;
}

int kml_optim_set_lr(struct kml_optim *opt, double lr)
{
	if (!opt || !real_ok(lr, 0, 1e30))
		return KML_EINVAL;
	opt->cfg.lr = lr;
	return KML_OK;
}

int kml_optim_get_lr(const struct kml_optim *opt, double *lr)
{
	if (!opt || !lr)
		return KML_EINVAL;
	*lr = opt->cfg.lr;
	return KML_OK;
}

int kml_optim_clip_grad_norm(struct kml_nn *net, double max_norm,
			     double *total_norm)
{
	double norm, coef;

	if (!net || !net->prepared || !net->n_params ||
	    !real_ok(max_norm, 0, 1e300))
		return KML_EINVAL;
	norm = kml_sqrt(net->dtype == KML_NN_F32 ? kml_optim_grad_sq_f32(net)
						 : kml_optim_grad_sq_f64(net));
	if (total_norm)
		*total_norm = norm;
	coef = max_norm / (norm + 1e-6);
	if (coef < 1) {
		if (net->dtype == KML_NN_F32)
			kml_optim_scale_grads_f32(net, coef);
		else
			kml_optim_scale_grads_f64(net, coef);
	}
	return KML_OK;
}

enum { SCHED_STEP = 1, SCHED_EXP = 2 };

int kml_lr_sched_step_init(struct kml_lr_sched *s, uint32_t step_size,
			   double gamma)
{
	if (!s || step_size == 0 || !real_ok(gamma, 0, 1e30))
		return KML_EINVAL;
	kml_memset(s, 0, sizeof(*s));
	s->kind = SCHED_STEP;
	s->step_size = step_size;
	s->gamma = gamma;
	return KML_OK;
}

int kml_lr_sched_exp_init(struct kml_lr_sched *s, double gamma)
{
	if (!s || !real_ok(gamma, 0, 1e30))
		return KML_EINVAL;
	kml_memset(s, 0, sizeof(*s));
	s->kind = SCHED_EXP;
	s->step_size = 1;
	s->gamma = gamma;
	return KML_OK;
}

int kml_lr_sched_step(struct kml_lr_sched *s, struct kml_optim *opt)
{
	if (!s || !opt || (s->kind != SCHED_STEP && s->kind != SCHED_EXP))
		return KML_EINVAL;
	s->epoch++;
	if (s->epoch % s->step_size == 0)
		opt->cfg.lr *= s->gamma;
	return KML_OK;
}

/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * optim.h - optimizers over a network's contiguous parameter and
 * gradient blocks, with the update rules of PyTorch 1.13's torch.optim
 * (written out in docs/nn.md): SGD with momentum (classical or Nesterov),
 * dampening and weight decay; Adam with bias correction; RMSprop (plain
 * or centered, with momentum); gradient clipping by global norm; step
 * and exponential learning-rate schedules.
 *
 * kml_optim_create() allocates the state (nofpu, may sleep); everything
 * that reads a real number is FPU code and never allocates. The real
 * hyper-parameters are checked on the first kml_optim_step(), which then
 * returns KML_EINVAL (without updating) if one is out of range.
 */
#ifndef KMLIB_OPTIM_H
#define KMLIB_OPTIM_H

#include "nn.h"

enum kml_optim_kind {
	KML_OPTIM_SGD = 0,
	KML_OPTIM_ADAM = 1,
	KML_OPTIM_RMSPROP = 2,
};

/*
 * PyTorch's defaults: SGD momentum 0, dampening 0, nesterov false;
 * Adam betas (0.9, 0.999), eps 1e-8; RMSprop alpha 0.99, eps 1e-8,
 * momentum 0, centered false; weight_decay 0 for all. A zeroed struct
 * plus kind and lr is a valid plain SGD; kml_optim_defaults() fills the
 * rest for the other kinds.
 */
struct kml_optim_cfg {
	int kind; /* enum kml_optim_kind */
	double lr;
	double weight_decay; /* L2 term added to the gradient */
	double momentum; /* SGD and RMSprop */
	double dampening; /* SGD */
	bool nesterov; /* SGD */
	double beta1, beta2; /* Adam */
	double eps; /* Adam and RMSprop */
	double alpha; /* RMSprop smoothing constant */
	bool centered; /* RMSprop */
};

struct kml_optim;

/* FPU: zero @cfg and fill PyTorch's defaults for @kind with rate @lr. */
int kml_optim_defaults(struct kml_optim_cfg *cfg, int kind, double lr);

/* Create an optimizer for the prepared @net (its state: zeroed blocks). */
int kml_optim_create(struct kml_optim **out, struct kml_mem *mem,
		     struct kml_nn *net, const struct kml_optim_cfg *cfg);
void kml_optim_destroy(struct kml_optim *opt);
/* Forget the state (momentum buffers, moments, step count). */
int kml_optim_reset(struct kml_optim *opt);

/* FPU: one update of the net's parameters from its gradients. */
int kml_optim_step(struct kml_optim *opt);
/*
 * FPU: one training step, the same as kml_nn_forward_to(net, loss),
 * kml_nn_backward(net, loss) and kml_optim_step(opt), bit for bit. For a
 * linear-regression net (an input, a one-output linear layer, a target
 * input and an MSE loss, nothing else) trained by SGD it runs one fused
 * kernel prepared by kml_optim_create() instead of walking the graph.
 */
int kml_optim_train_step(struct kml_optim *opt, int loss);

/* FPU: the current learning rate. */
int kml_optim_set_lr(struct kml_optim *opt, double lr);
int kml_optim_get_lr(const struct kml_optim *opt, double *lr);
/* Updates done so far. */
uint64_t kml_optim_steps(const struct kml_optim *opt);

/*
 * FPU: torch.nn.utils.clip_grad_norm_ over all of @net's gradients:
 * norm = ||g||_2; if max_norm / (norm + 1e-6) < 1, scale every gradient
 * by it. *@total_norm (may be NULL) receives the norm before clipping.
 */
int kml_optim_clip_grad_norm(struct kml_nn *net, double max_norm,
			     double *total_norm);

/*
 * Learning-rate schedules, PyTorch's chainable form: call
 * kml_lr_sched_step() once per epoch, after the epoch's optimizer steps.
 * StepLR multiplies the rate by gamma every step_size epochs;
 * ExponentialLR every epoch.
 */
struct kml_lr_sched {
	int kind;
	uint32_t step_size;
	double gamma;
	uint64_t epoch;
};

/* FPU (they read gamma). */
int kml_lr_sched_step_init(struct kml_lr_sched *s, uint32_t step_size,
			   double gamma);
int kml_lr_sched_exp_init(struct kml_lr_sched *s, double gamma);
int kml_lr_sched_step(struct kml_lr_sched *s, struct kml_optim *opt);

#endif /* KMLIB_OPTIM_H */

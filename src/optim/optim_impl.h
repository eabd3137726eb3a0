/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * optim_impl.h - the optimizer object, shared by optim.c (nofpu: it only
 * allocates and copies bytes) and the FPU files that compute.
 */
#ifndef KMLIB_OPTIM_IMPL_H
#define KMLIB_OPTIM_IMPL_H

#include "kmlib/optim.h"
#include "../nn/nn_impl.h"

#define KML_OPTIM_MAX_STATE 3

struct kml_optim {
	struct kml_mem *mem;
	struct kml_nn *net;
	struct kml_optim_cfg cfg;
	bool checked; /* cfg validated by the first step */
	uint64_t steps;
	/* beta1^t and beta2^t for Adam's bias correction */
	double beta1_t, beta2_t;
	/* SGD: momentum buffer; Adam: exp_avg, exp_avg_sq;
	 * RMSprop: square_avg, momentum buffer, grad_avg */
	void *state[KML_OPTIM_MAX_STATE];
	uint32_t n_state;
	/* the fused linear-regression step (optim.c): its loss node, or
	 * INT32_MAX when the net does not have that shape */
	int fused_loss;
	struct kml_nn_node *fused_lin;
	/* the fused kernels for the net's dtype and input count */
	void (*fused_run[2])(struct kml_optim *o);
};

int kml_optim_step_f32(struct kml_optim *o);
int kml_optim_step_f64(struct kml_optim *o);
/*
 * One whole step (forward, backward, SGD) of the linear-regression net,
 * [batch == 1][inputs, 0 for more than 4].
 */
extern void (*const kml_optim_linreg_f32[2][5])(struct kml_optim *o);
extern void (*const kml_optim_linreg_f64[2][5])(struct kml_optim *o);
/* Sum of squared gradients, in double. */
double kml_optim_grad_sq_f32(const struct kml_nn *net);
double kml_optim_grad_sq_f64(const struct kml_nn *net);
void kml_optim_scale_grads_f32(struct kml_nn *net, double s);
void kml_optim_scale_grads_f64(struct kml_nn *net, double s);

#endif /* KMLIB_OPTIM_IMPL_H */

/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * mqk_model.h - the float half of mq-kmlib's learning: a KMLib network
 * (one linear layer, MSE loss, SGD) trained on batches of samples, and
 * its weights exported in Q16.16 for the integer hot path.
 *
 * The functions marked FPU live in mqk_model.c, the only object of
 * mq-kmlib compiled with FPU flags: call them only between
 * kml_fpu_begin() returning true and kml_fpu_end(). Their interface
 * passes integers and pointers only.
 */
#ifndef MQK_MODEL_H
#define MQK_MODEL_H

#include "kmlib/nn.h"
#include "kmlib/optim.h"

#include "mqk_sample.h"
#include "mqk.h"

/* Built by mqk_net.c (nofpu, may sleep); trained by mqk_model.c. */
struct mqk_model {
	int kind; /* enum mqk_model_kind */
	struct kml_nn *net;
	struct kml_optim *opt;
	int input, target, output, loss;
	int hidden; /* MLP: the first linear node */
	/* running mean and variance of each feature (float bits, touched
	 * by mqk_model.c only; zero = not started) */
	uint32_t norm[2 * MQK_NFEAT];
	uint32_t norm_ready;
};

/*
 * mqk_net.c (nofpu, may sleep; the module and kmlib-trainer): build the
 * network of @kind into the zeroed @m from @mem, its parameters from
 * @seed (the FPU functions below, in one guard) and its optimizer. On
 * failure, whatever was built stays in @m for mqk_net_destroy().
 */
int mqk_net_build(struct mqk_model *m, struct kml_mem *mem, int kind,
		  uint64_t seed);
void mqk_net_destroy(struct mqk_model *m);

/* Q16.16 words a model of @kind publishes. */
static inline size_t mqk_model_nw(int kind)
{
	return kind == MQK_MODEL_MLP ? MQK_MLP_NW : MQK_NW;
}

/* FPU: the optimizer's settings (linear: SGD, rate set per batch; MLP:
 * Adam). */
int mqk_model_optim_cfg(struct kml_optim_cfg *cfg, int kind);
/* FPU: initialise the parameters from @seed (linear: zeros). */
int mqk_model_init_params(struct mqk_model *m, uint64_t seed);
/*
 * FPU: one SGD step on @n (1..MQK_BATCH) samples: features from
 * mqk_features() standardised with running statistics, target
 * mqk_target(), both Q16.16 turned into floats. Then the model on the
 * raw Q16.16 features (standardisation folded into the first layer), in
 * Q16.16 (rounded, saturated) into @w_q16[mqk_model_nw(kind)]: linear:
 * the MQK_NFEAT weights, then the bias; MLP: the layout of mqk.h.
 */
int mqk_model_train(struct mqk_model *m, const struct mqk_sample *s, size_t n,
		    int32_t *w_q16);

#endif /* MQK_MODEL_H */

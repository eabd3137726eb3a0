/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * trace_model.h - the slack regressor the trace tool trains with libkmlib:
 * mqk_features() (Q16.16, divided by 65536: exact in float) -> a linear
 * layer, or a small ReLU MLP, -> predicted mqk_target() (slack in units of
 * the deadline), MSE loss. A request is predicted to miss when the
 * predicted slack is negative.
 */
#ifndef MQK_TRACE_MODEL_H
#define MQK_TRACE_MODEL_H

#include "kmlib/nn.h"
#include "kmlib/optim.h"
#include "mqk_sample.h"

enum mqk_model_kind { MQK_MODEL_LINEAR = 0, MQK_MODEL_MLP = 1 };

struct mqk_model_cfg {
	int kind; /* enum mqk_model_kind */
	int optim; /* KML_OPTIM_SGD or KML_OPTIM_ADAM */
	double lr;
	double momentum; /* SGD only */
	uint32_t hidden; /* MLP only */
	uint32_t batch; /* samples per training step */
	uint32_t epochs; /* passes over the training part (paper protocol) */
	uint64_t seed; /* parameter initialisation */
	bool zero_init; /* start from all-zero parameters (the module) */
	/*
	 * > 0: normalised LMS as in the module: each step's rate is
	 * nlms_mu / (1 + mean |x|^2 of the batch), computed in float.
	 */
	float nlms_mu;
	/*
	 * Standardise the features as the module does: z = (x - mean) /
	 * sqrt(var + 0.01), mean and variance exponential moving averages
	 * (1/64 per training sample, the first sample sets the mean), updated
	 * before each step; NLMS then uses |z|^2.
	 */
	bool standardise;
};

/* The defaults for @kind (docs/sched.md, "Trace tool"). */
void mqk_model_defaults(struct mqk_model_cfg *cfg, int kind);

struct mqk_model {
	struct kml_mem mem;
	struct kml_nn *net;
	struct kml_optim *opt;
	int x, y, target, loss;
	uint32_t batch;
	float nlms_mu;
	bool standardise, norm_ready;
	float mean[MQK_NFEAT], var[MQK_NFEAT];
};

/* Build, prepare and initialise; on error nothing is left allocated. */
int mqk_model_create(struct mqk_model *m, const struct mqk_model_cfg *cfg);
void mqk_model_destroy(struct mqk_model *m);

/* Predicted target (slack / deadline) of one feature vector. */
int mqk_model_predict(struct mqk_model *m, const int32_t x[MQK_NFEAT],
		      double *pred);
/* One optimizer step on @n (1..batch) samples: features and Q16.16 targets. */
int mqk_model_train(struct mqk_model *m, const int32_t (*x)[MQK_NFEAT],
		    const int32_t *target, size_t n);

#endif /* MQK_TRACE_MODEL_H */

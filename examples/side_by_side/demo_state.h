/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/* demo_state.h - what the integer and the float halves of the demo share. */
#ifndef KMLIB_DEMO_STATE_H
#define KMLIB_DEMO_STATE_H

#include <kmlib/nn.h>
#include <kmlib/optim.h>
#include "demo.h"

struct demo {
	struct kml_nn *net;
	struct kml_optim *opt;
	struct kml_optim_cfg cfg; /* filled by demo_init (doubles: FPU) */
	int x, target, logits, loss;
	void *train_x, *train_y, *test_x, *test_y; /* float arrays */
};

/* FPU halves (demo_float.c): call only inside kml_fpu_begin/end. */
int demo_make_data(struct demo *d, uint64_t seed);
int demo_init(struct demo *d, uint64_t seed);
int demo_train_epoch(struct demo *d, uint32_t *mean_loss_bits);
int demo_evaluate(struct demo *d, uint32_t *correct);

#endif /* KMLIB_DEMO_STATE_H */

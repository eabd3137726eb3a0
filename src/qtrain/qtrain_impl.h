/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/* qtrain_impl.h - the fixed-point MLP's private layout (nofpu). */
#ifndef KMLIB_QTRAIN_IMPL_H
#define KMLIB_QTRAIN_IMPL_H

#include "kmlib/qtrain.h"
#include "kmlib/prng.h"

struct qmlp_layer {
	uint32_t in, out;
	int16_t *w, *b; /* out x in, out */
	int16_t *gw, *gb; /* gradients of the last step */
	int16_t *z; /* max_batch x out: pre-activations */
	int16_t *h; /* max_batch x out: activations (the last layer: z) */
};

struct kml_qmlp {
	struct kml_mem *mem;
	struct kml_qtrain_cfg cfg;
	struct kml_prng prng; /* stochastic rounding */
	uint32_t n_layers, width;
	size_t max_batch;
	void *block;
	int16_t *delta[2]; /* max_batch x width: backward ping-pong */
	struct qmlp_layer layer[KML_QMLP_MAX_LAYERS];
};

#endif /* KMLIB_QTRAIN_IMPL_H */

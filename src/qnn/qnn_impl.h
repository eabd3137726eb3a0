/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/* qnn_impl.h - the quantized network's private layout. */
#ifndef KMLIB_QNN_IMPL_H
#define KMLIB_QNN_IMPL_H

#include "kmlib/qnn.h"

struct kml_qnn {
	struct kml_mem *mem;
	uint32_t n_layers;
	size_t max_batch;
	size_t param_bytes;
	uint8_t *block; /* every layer's parameters, then act[0], act[1], x16 */
	int8_t *act[2]; /* ping-pong activations between layers */
	int16_t *x16; /* one input row minus its zero point */
	struct kml_qnn_layer layer[KML_QNN_MAX_LAYERS];
};

/*
 * The chain of @net from @input to @output: lin[l] is layer l's linear
 * node, relu[l] its ReLU node or -1; *n_layers layers.
 */
int kml_qnn_chain(struct kml_nn *net, int input, int output, int *lin,
		  int *relu, uint32_t *n_layers);

#endif /* KMLIB_QNN_IMPL_H */

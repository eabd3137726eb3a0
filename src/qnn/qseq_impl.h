/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/* qseq_impl.h - the quantized sequential model's private layout. */
#ifndef KMLIB_QSEQ_IMPL_H
#define KMLIB_QSEQ_IMPL_H

#include "kmlib/qseq.h"
#include "kmlib/qnn_ops.h"

struct kml_qseq_layer {
	struct kml_qseq_desc d;
	struct kml_qseq_quant qt;
	size_t in_size, out_size; /* elements per sample */
	/* parameters inside the network's block (NULL where unused) */
	int8_t *weight, *w_hh; /* LINEAR/CONV OHWI; LSTM w_ih, w_hh */
	int32_t *bias, *mult, *shift, *mult_hh, *shift_hh;
	size_t n_weight, n_w_hh, n_rows; /* elements: weights, per-row arrays */
	int8_t *lut; /* SIGMOID/TANH: 256 */
	uint32_t *exp; /* SOFTMAX: 256 */
	/* the operator structs, pointing at the arrays above */
	struct kml_qnn_conv2d conv;
	struct kml_qnn_pool2d pool;
	struct kml_qnn_lstm lstm;
};

/* Where each planned layer comes from in the float network. */
struct kml_qseq_plan_nodes {
	int param[KML_QSEQ_MAX_LAYERS]; /* node with the parameters, or -1 */
	int range[KML_QSEQ_MAX_LAYERS]; /* node holding the layer's output */
	bool relu[KML_QSEQ_MAX_LAYERS]; /* a ReLU fused into the clamp */
};

struct kml_qseq {
	struct kml_mem *mem;
	uint32_t n;
	size_t max_batch, max_size, param_bytes, hidden_max;
	uint8_t *block; /* parameters, act[0], act[1], stage_in/out, cell */
	int8_t *act[2];
	int16_t *cell; /* LSTM cell state: max_batch x hidden_max */
	int8_t *stage_in, *stage_out; /* kml_qseq_evaluate()'s int8 I/O */
	struct kml_qseq_layer layer[KML_QSEQ_MAX_LAYERS];
	/* kml_qseq_quantize()'s plan (off the stack: kernel frames) */
	struct kml_qseq_desc plan[KML_QSEQ_MAX_LAYERS];
	struct kml_qseq_plan_nodes pn;
};

/* Point the operator structs at the layer's arrays and quantization. */
void kml_qseq_bind(struct kml_qseq_layer *ly);

/*
 * Check @d alone (as the first layer: no chaining) and fill @ly's sizes
 * and parameter counts; for the model loader, before allocating.
 */
int kml_qseq_probe(const struct kml_qseq_desc *d, struct kml_qseq_layer *ly);
/* Bytes of @ly's parameters in a model file (no padding). */
size_t kml_qseq_rec_bytes(const struct kml_qseq_layer *ly);

/* kml_qseq_plan() and the nodes behind each layer (@pn may be NULL). */
int kml_qseq_plan_nodes(struct kml_nn *net, int input, int output,
			struct kml_qseq_desc *desc, uint32_t *n,
			struct kml_qseq_plan_nodes *pn);

#endif /* KMLIB_QSEQ_IMPL_H */

/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qseq.h - quantized sequential models: a float network (kml_nn) whose
 * nodes form a chain of linear, conv1d/conv2d, max/avg pooling, ReLU,
 * sigmoid, tanh, softmax, LSTM and flatten/reshape nodes, converted to
 * the int8 operators of qnn_ops.h and run without the FPU.
 *
 * The network's input and output keep the float network's memory order
 * (channels first); inside, spatial tensors are channels last (NHWC, the
 * layout of the int8 conv and pool kernels) and the converter inserts the
 * transposes (KML_QSEQ_TO_HWC / KML_QSEQ_TO_CHW) where the layout changes.
 * A ReLU right after a linear or conv layer is fused into its clamp.
 *
 * Every function except those marked fpu is integer-only (nofpu).
 * kml_qseq_create() allocates everything; kml_qseq_run() never allocates.
 */
#ifndef KMLIB_QSEQ_H
#define KMLIB_QSEQ_H

#include "kml_deps.h"
#include "status.h"
#include "platform.h"
#include "qnn.h"

#define KML_QSEQ_MAX_LAYERS 32u

/* Layer kinds: stable ids, also the model file's (never renumbered). */
enum kml_qseq_kind {
	KML_QSEQ_LINEAR = 1, /* rows x in_c -> rows x out_c */
	KML_QSEQ_CONV = 2, /* HWC in, HWC out (conv1d: in_h = k_h = 1) */
	KML_QSEQ_MAXPOOL = 3,
	KML_QSEQ_AVGPOOL = 4, /* padding skipped (TFLite) */
	KML_QSEQ_RELU = 5, /* in_c elements, any layout */
	KML_QSEQ_SIGMOID = 6,
	KML_QSEQ_TANH = 7,
	KML_QSEQ_SOFTMAX = 8, /* rows x in_c, over in_c */
	KML_QSEQ_LSTM = 9, /* rows steps x in_c -> (rows x) out_c hidden */
	KML_QSEQ_TO_HWC = 10, /* (in_c, in_h, in_w) -> (in_h, in_w, in_c) */
	KML_QSEQ_TO_CHW = 11, /* (in_h, in_w, in_c) -> (in_c, in_h, in_w) */
	KML_QSEQ_KIND_END
};

/* struct kml_qseq_desc.flags */
#define KML_QSEQ_ALL_STEPS 1u /* LSTM: every step's h, else the last */

/*
 * A layer's geometry. Fields a kind does not use must be zero. LINEAR:
 * rows, in_c, out_c. CONV: in_h, in_w, in_c, out_c, window. Pools:
 * in_h, in_w, in_c, window. RELU/SIGMOID/TANH: in_c = elements per
 * sample. SOFTMAX: rows, in_c. LSTM: rows = steps, in_c = inputs,
 * out_c = hidden, flags. Transposes: in_c, in_h, in_w. Every field at
 * most KML_QNN_MAX_DIM; windows as qnn_ops.h's (pad < kernel).
 */
struct kml_qseq_desc {
	uint32_t kind, flags, rows;
	uint32_t in_h, in_w, in_c, out_c;
	uint32_t k_h, k_w, stride_h, stride_w, pad_h, pad_w;
};

/* A layer's quantization (int8 zero points, output clamp). */
struct kml_qseq_quant {
	int32_t in_zp, out_zp, act_min, act_max;
};

struct kml_qseq;

/*
 * A network of @n (1..KML_QSEQ_MAX_LAYERS) layers for batches of up to
 * @max_batch samples. Each layer's input size must equal the previous
 * layer's output size and layout (KML_EINVAL, KML_EOVERFLOW for sizes).
 * Parameters start zero. Not for FPU sections (KML_MEM_SLEEP).
 */
int kml_qseq_create(struct kml_qseq **out, struct kml_mem *mem,
		    const struct kml_qseq_desc *desc, uint32_t n,
		    size_t max_batch);
void kml_qseq_destroy(struct kml_qseq *q);

uint32_t kml_qseq_layers(const struct kml_qseq *q);
/* Elements per sample of the network's input and output. */
size_t kml_qseq_in_size(const struct kml_qseq *q);
size_t kml_qseq_out_size(const struct kml_qseq *q);
/* Bytes of parameters (weights, biases, multipliers, shifts, tables). */
size_t kml_qseq_param_bytes(const struct kml_qseq *q);

/*
 * Check every layer's quantization and parameters: zero points and clamps
 * in int8, act_min <= act_max, each in_zp the previous out_zp, fixed
 * output quantizations (sigmoid/softmax zp -128, tanh/LSTM 0), pools,
 * ReLU and transposes keep theirs, multipliers >= 0, shifts -31..30,
 * softmax tables 1..2^23 with lut[0] = 2^23 (KML_EINVAL / KML_ERANGE).
 */
int kml_qseq_check(const struct kml_qseq *q);

/*
 * Run @batch (1..max_batch) samples: @in batch x in_size int8 values
 * quantized with the input's (scale, zero point), @out batch x out_size.
 * Never allocates, no float.
 */
int kml_qseq_run(struct kml_qseq *q, const int8_t *in, size_t batch,
		 int8_t *out);

/* ---- Conversion from a float network (kml_nn, float32) ------------------ */

/*
 * nofpu: the layers of the chain of @net (prepared) from node @input to
 * @output, for kml_qseq_create(): desc[0..*n-1] (room for
 * KML_QSEQ_MAX_LAYERS). KML_ENOSYS for a node kind or option with no int8
 * operator (GRU, dilation, average pooling with padding - PyTorch's counts
 * the padded zeros, TFLite's int8 kernel skips them - softmax over a
 * spatial axis, ...), KML_EINVAL for a graph that is not a chain.
 */
int kml_qseq_plan(struct kml_nn *net, int input, int output,
		  struct kml_qseq_desc *desc, uint32_t *n);

/*
 * fpu, never allocates: quantize @net into @q (created from
 * kml_qseq_plan()'s layers). Calibration as kml_qnn_quantize_nn_cfg()
 * (@cfg NULL: min/max) over @n_calib samples of @calib, every calibrated
 * tensor (the input, each linear/conv output, after a fused ReLU) with
 * TFLite's asymmetric int8; sigmoid/tanh/softmax/LSTM outputs get their
 * fixed quantization, pools/ReLU/transposes keep their input's. @io
 * receives the input and output quantization. Overwrites @net's values.
 */
int kml_qseq_quantize(struct kml_qseq *q, struct kml_nn *net, int input,
		      int output, const float *calib, size_t n_calib,
		      const struct kml_qnn_calib *cfg, struct kml_qnn_io *io);

/* Accuracy change of a conversion, in the output's real units. */
struct kml_qseq_report {
	float max_abs_err, mean_abs_err; /* |float - dequantized int8| */
	float out_step; /* the output's quantization step (io->out_scale) */
	uint64_t values; /* outputs compared */
};

/*
 * fpu, never allocates: run @n samples of @data through @net and @q
 * (inputs quantized with @io) and compare the outputs.
 */
int kml_qseq_evaluate(struct kml_qseq *q, struct kml_nn *net, int input,
		      int output, const float *data, size_t n,
		      const struct kml_qnn_io *io, struct kml_qseq_report *rep);

/* ---- Model files (qnn_model.h's frame, version 2; docs/model-format.md) - */

int kml_qseq_model_size(const struct kml_qseq *q, size_t *size);
/* @q must pass kml_qseq_check() (else KML_EINVAL); KML_ENOSPC if small. */
int kml_qseq_model_save(const struct kml_qseq *q, uint8_t *buf, size_t cap,
			size_t *written);
/*
 * Untrusted bytes: every field checked before use (KML_EBADMSG,
 * KML_EILSEQ for the CRC, KML_ENOSYS for an unknown version or kind,
 * KML_EOVERFLOW, KML_ENOMEM under @mem's cap). On failure nothing stays
 * allocated and *out is NULL; a loaded network passes kml_qseq_check()
 * and saves back to the same bytes.
 */
int kml_qseq_model_load(struct kml_mem *mem, const uint8_t *buf, size_t len,
			size_t max_batch, struct kml_qseq **out);

#endif /* KMLIB_QSEQ_H */

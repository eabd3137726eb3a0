/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qnn.h - quantized int8 multilayer perceptrons: linear layers with an
 * optional fused ReLU, inference without the FPU.
 *
 * Quantization follows the TFLite spec: real = scale * (q - zero_point).
 * Weights are int8, symmetric (zero point 0), one scale per output
 * channel; activations are int8, asymmetric, one scale and zero point per
 * tensor; biases are int32 with scale in_scale * w_scale[o] and zero
 * point 0. Layer l computes, for every output channel o,
 *   acc = sum_i (x[i] - in_zp) * W[o][i]          exact in int32
 *   acc = sat_i32(acc + bias[o])
 *   y[o] = clamp(MultiplyByQuantizedMultiplier(acc, mult[o], shift[o])
 *                + out_zp, act_min, act_max)
 * with real multiplier in_scale * w_scale[o] / out_scale (fixed.h's
 * kml_mul_by_qmult, bit for bit TFLite's). A fused ReLU is the clamp
 * act_min = max(-128, out_zp). The only departure from TFLite: the bias
 * add saturates (TFLite's int32 add would overflow, which C leaves
 * undefined); no converted model comes near it.
 *
 * Everything here except kml_qnn_from_nn() is integer-only (nofpu): it
 * runs in kmlib.ko outside any FPU section, in IRQ context too.
 * kml_qnn_create() allocates everything; kml_qnn_run() never allocates.
 */
#ifndef KMLIB_QNN_H
#define KMLIB_QNN_H

#include "kml_deps.h"
#include "status.h"
#include "platform.h"

/* Layers of at most this many inputs: every dot product fits int32. */
#define KML_QNN_MAX_WIDTH 33025u /* KML_I8_MAX_K */
#define KML_QNN_MAX_LAYERS 16u

/* One layer's parameters; the arrays belong to the network. */
struct kml_qnn_layer {
	uint32_t in, out;
	int32_t in_zp; /* zero point of the input activations */
	int32_t out_zp; /* zero point of the output activations */
	int32_t act_min, act_max; /* output clamp, -128..127 */
	int8_t *weight; /* out x in row-major (W[o][i], TFLite's layout) */
	int32_t *bias; /* out */
	int32_t *mult; /* out: Q31 multipliers, >= 0 */
	int32_t *shift; /* out: -31..30, > 0 shifts left */
};

struct kml_qnn;

/*
 * A network of @n_layers (1..KML_QNN_MAX_LAYERS) linear layers with
 * widths sizes[0] (input) .. sizes[n_layers] (output), each 1..
 * KML_QNN_MAX_WIDTH, for batches of up to @max_batch samples. Parameters
 * start zero (mult 0: every output is the clamped zero point).
 * Not for FPU sections or atomic context (KML_MEM_SLEEP).
 */
int kml_qnn_create(struct kml_qnn **out, struct kml_mem *mem,
		   const uint32_t *sizes, uint32_t n_layers, size_t max_batch);
void kml_qnn_destroy(struct kml_qnn *q);

uint32_t kml_qnn_layers(const struct kml_qnn *q);
/* Layer @l, to fill or read its parameters. */
int kml_qnn_layer(struct kml_qnn *q, uint32_t l, struct kml_qnn_layer **out);

/*
 * Check every parameter: zero points and clamps in int8 with
 * act_min <= act_max, each layer's in_zp equal to the previous layer's
 * out_zp (KML_ERANGE / KML_EINVAL), multipliers >= 0 and shifts in
 * -31..30 (KML_EINVAL). Call it once after filling the layers:
 * kml_qnn_run() repeats only the per-layer checks (a per-channel
 * multiplier or shift out of range still gives defined outputs there,
 * fixed.h's kml_mul_by_qmult() being total).
 */
int kml_qnn_check(const struct kml_qnn *q);

/*
 * Run @batch (1..max_batch) samples: @in holds batch x sizes[0] int8
 * values (quantized with layer 0's input scale and in_zp), @out receives
 * batch x sizes[n_layers]. Never allocates, no float.
 */
int kml_qnn_run(struct kml_qnn *q, const int8_t *in, size_t batch, int8_t *out);

/* Bytes of parameters (weights, biases, multipliers and shifts). */
size_t kml_qnn_param_bytes(const struct kml_qnn *q);

/* ---- Conversion from a float network ---------------------------------- */

struct kml_nn;

/*
 * The layer widths of the float32 network @net between nodes @input and
 * @output, which must form a chain of linear layers (with or without
 * bias, one sample row each), each optionally followed by one ReLU:
 * sizes[0..*n_layers] (room for KML_QNN_MAX_LAYERS + 1), for
 * kml_qnn_create(). KML_EINVAL for any other node kind or shape, or a net
 * that is not prepared. Integer-only.
 */
int kml_qnn_nn_sizes(struct kml_nn *net, int input, int output, uint32_t *sizes,
		     uint32_t *n_layers);

/* Quantization of the network's input and output tensors. */
struct kml_qnn_io {
	float in_scale, out_scale;
	int32_t in_zp, out_zp;
};

/*
 * FPU (inside kml_fpu_begin/end in the kernel); never allocates.
 * Quantize @net (as for kml_qnn_nn_sizes()) into @q, created with those
 * sizes. Calibration: @n_calib samples of @calib (n_calib x sizes[0]
 * floats) run through @net in batches of its current batch size; each
 * activation tensor's range is the min/max seen, widened to contain 0,
 * and then TFLite's asymmetric int8 scheme: scale = (max - min) / 255,
 * zero point = clamp(round(-128 - min / scale)). Weights: per output
 * channel, scale = max |w| / 127 (1 for an all-zero channel); biases
 * rounded to int32 at scale in_scale * w_scale. A ReLU is fused into the
 * preceding layer's clamp. @io receives the input quantization (for
 * kml_quantize_f32_i8()) and the output's (kml_dequantize_i8_f32()).
 * Overwrites @net's input and activation values, not its parameters.
 */
int kml_qnn_quantize_nn(struct kml_qnn *q, struct kml_nn *net, int input,
			int output, const float *calib, size_t n_calib,
			struct kml_qnn_io *io);

/* Calibration methods of kml_qnn_quantize_nn_cfg(). */
enum kml_qnn_calib_method {
	KML_QNN_CALIB_MINMAX = 0, /* each tensor's min/max (default) */
	KML_QNN_CALIB_PERCENTILE = 1, /* min/max clipped to +-P(|x|) */
};

#define KML_QNN_HIST_BINS 2048u

struct kml_qnn_calib {
	unsigned int method; /* enum kml_qnn_calib_method */
	/* PERCENTILE: P in parts per million (999000: the 99.9th) */
	uint32_t ppm;
	/*
	 * PERCENTILE: scratch of (n_layers + 1) * KML_QNN_HIST_BINS
	 * uint32_t (the converter never allocates; 8 KB per tensor is too
	 * much for a kernel stack).
	 */
	uint32_t *hist;
};

/*
 * kml_qnn_quantize_nn() with a choice of calibration. PERCENTILE runs the
 * calibration set twice: min/max first, then a histogram of |x| per
 * tensor over [0, max |x|] in KML_QNN_HIST_BINS bins; each range is
 * clipped to +-C, C the upper edge of the bin where the cumulative count
 * reaches ppm / 10^6 of the values. Outliers then saturate instead of
 * stretching the scale. KML_EINVAL for an unknown method, ppm outside
 * 1..10^6 or no scratch.
 */
int kml_qnn_quantize_nn_cfg(struct kml_qnn *q, struct kml_nn *net, int input,
			    int output, const float *calib, size_t n_calib,
			    const struct kml_qnn_calib *cfg,
			    struct kml_qnn_io *io);

/*
 * More quantized operators (int16 linear, sigmoid, tanh, softmax,
 * conv1d/conv2d, pooling, LSTM) are stand-alone kernels in qnn_ops.h.
 * For the model file format (engineer E): their parameters are plain
 * integer arrays referenced from the op structs there (struct
 * kml_qnn_fc16, kml_qnn_conv2d, kml_qnn_pool2d, kml_qnn_lstm; the
 * sigmoid/tanh int8 table and the softmax exp table are 256-entry arrays).
 */

#endif /* KMLIB_QNN_H */

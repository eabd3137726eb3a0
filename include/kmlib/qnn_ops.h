/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qnn_ops.h - quantized operators beyond the int8 MLP of qnn.h: linear
 * with int16 activations, sigmoid, tanh, softmax, conv1d/conv2d, max and
 * average pooling, an LSTM cell. Each is a stand-alone kernel over caller-owned
 * plain parameter arrays (for serialisation: the structs hold only integers and
 * pointers to int arrays), integer-only (nofpu: runs in kmlib.ko outside
 * any FPU section, in IRQ context too), never allocates, validates its
 * arguments and returns a status. Only kml_qnn_softmax_lut() and the
 * *_quantize() converters are fpu (float parameters: inside
 * kml_fpu_begin/end in the kernel).
 *
 * Quantization as qnn.h (TFLite): real = scale * (q - zero_point),
 * weights int8 symmetric per output channel, (mult, shift) a Q31
 * multiplier and power of two from kml_quantize_multiplier().
 */
#ifndef KMLIB_QNN_OPS_H
#define KMLIB_QNN_OPS_H

#include "kml_deps.h"
#include "status.h"

/* Every size field of these operators is at most this (KML_EOVERFLOW). */
#define KML_QNN_MAX_DIM 65535u

/* ---- Linear, int16 activations x int8 weights (TFLite's 16x8) ---------- */

/*
 * y[o] = clamp(MBQM64(sum_i x[i] W[o][i] + bias[o], mult[o], shift[o]))
 * with x and y int16, symmetric (zero point 0), the sum exact in int64 and
 * MBQM64 TFLite's 64-bit MultiplyByQuantizedMultiplier: the multiplier
 * reduced to 16 bits ((mult + 2^15) >> 16, at most 32767), then
 * (acc * reduced + 2^(14 - shift)) >> (15 - shift). shift in -31..7.
 * Departures from TFLite (which asserts instead): acc is clamped to
 * +-2^47 and the scaled result saturated to int32 before the clamp.
 */
struct kml_qnn_fc16 {
	uint32_t in, out; /* 1..KML_QNN_MAX_WIDTH (qnn.h), 1..MAX_DIM */
	int32_t act_min, act_max; /* output clamp inside int16 */
	const int8_t *weight; /* out x in, W[o][i] */
	const int64_t *bias; /* out, or NULL */
	const int32_t *mult; /* out, >= 0 */
	const int32_t *shift; /* out, -31..7 */
};

int kml_qnn_fc_i16(const struct kml_qnn_fc16 *p, const int16_t *x, size_t batch,
		   int16_t *y);

/*
 * fpu: quantize a float linear layer for kml_qnn_fc_i16(): @a is in x out
 * (kml_nn's linear layout), @b out floats or NULL; activations symmetric
 * int16 with scales @in_scale and @out_scale (e.g. max |x| / 32767 over a
 * calibration set). Weights per output channel, max |w| / 127; bias
 * rounded at in_scale * w_scale into int64. Fills the caller's arrays
 * (p->in x p->out weights, p->out of the others) and points @p at them;
 * p->in, p->out, act_min and act_max are the caller's. KML_ERANGE where a
 * multiplier needs a shift above 7.
 */
int kml_qnn_fc16_quantize(struct kml_qnn_fc16 *p, int8_t *weight, int64_t *bias,
			  int32_t *mult, int32_t *shift, const float *a,
			  const float *b, float in_scale, float out_scale);

/* ---- Sigmoid and tanh (int8 and int16) --------------------------------- */

enum kml_qnn_act {
	KML_QNN_SIGMOID = 0,
	KML_QNN_TANH = 1,
};

/*
 * The input is first rescaled to Q3.12 (x * 4096, saturated to int16):
 * t = sat16(kml_mul_by_qmult(q - in_zp, in_mult, in_shift)) with
 * (in_mult, in_shift) the multiplier of in_scale * 4096; then fixed.h's
 * kml_sigmoid_q15() / kml_tanh_q15() (tables + interpolation) give y15.
 * Output quantization is TFLite's: int8 sigmoid scale 1/256 zp -128
 * (q = sat8(round_half_away(y15 / 128) - 128)), int8 tanh scale 1/128
 * zp 0 (q = sat8(round_half_away(y15 / 256))), int16 both scale 1/32768
 * zp 0 (q = y15). Max error against the exact functions (asserted in
 * tests/cases/qnn_ops_fpu_cases.c): int8 half an output step plus the
 * Q15 function's error, but one whole step at the top, where 1 is capped
 * at 255/256 (sigmoid) or 127/128 (tanh) as in TFLite; int16 1.1e-4 for
 * tanh, and for sigmoid 3.2e-4 when inputs reach beyond |x| = 8 (the
 * Q3.12 rescale saturates there).
 *
 * int8 runs through a 256-entry table built once per input quantization
 * (integer-only too); int16 evaluates per element (in_zp 0).
 */
int kml_qnn_act_lut_i8(unsigned int kind, int32_t in_zp, int32_t in_mult,
		       int32_t in_shift, int8_t lut[256]);
/* y[i] = lut[x[i] + 128]. */
int kml_qnn_lut_i8(const int8_t lut[256], const int8_t *x, size_t n, int8_t *y);
int kml_qnn_act_i16(unsigned int kind, int32_t in_mult, int32_t in_shift,
		    const int16_t *x, size_t n, int16_t *y);

/* ---- Softmax (int8 in, int8 out scale 1/256 zp -128) ------------------- */

/*
 * Per row of @n: m = max x, e_i = lut[m - x_i] (0..255), s = sum e_i
 * (uint64), y_i = min(127, floor(e_i * 256 / s + 1/2) - 128). lut[k] is
 * exp(-k * beta * in_scale) in Q0.23, lut[0] = 2^23 (nonzero, else
 * KML_EINVAL), from kml_qnn_softmax_lut(). Max error against the exact
 * softmax: 1/512 (output rounding) + n * 2^-24 (table rounding), but
 * 1/256 where p rounds to 1, which is capped at 255/256 (as TFLite's).
 */
int kml_qnn_softmax_i8(const uint32_t lut[256], const int8_t *x, size_t rows,
		       size_t n, int8_t *y);
/* fpu: lut[k] = round(2^23 exp(-k beta in_scale)); in_scale, beta > 0. */
int kml_qnn_softmax_lut(float in_scale, float beta, uint32_t lut[256]);

/* ---- Convolution (NHWC, per-channel int8 weights) ----------------------- */

/*
 * TFLite's per-channel int8 Conv2D: for output (oy, ox, o),
 *   acc = sum over ky, kx, c inside the input of
 *         (x[iy][ix][c] - in_zp) * W[o][ky][kx][c],
 *   iy = oy * stride_h - pad_h + ky, ix likewise (padding counts as
 *   real 0, i.e. it is skipped), then the output stage of qnn.h
 *   (saturating bias add, kml_mul_by_qmult, + out_zp, clamp).
 * out_h = (in_h + 2 pad_h - k_h) / stride_h + 1, out_w likewise.
 * conv1d is in_h = k_h = 1, pad_h = 0. k_h * k_w * in_c must be at most
 * KML_QNN_MAX_WIDTH (int32 exact), pad < k.
 */
struct kml_qnn_conv2d {
	uint32_t in_h, in_w, in_c, out_c;
	uint32_t k_h, k_w, stride_h, stride_w, pad_h, pad_w;
	int32_t in_zp, out_zp, act_min, act_max; /* int8 */
	const int8_t *weight; /* out_c x k_h x k_w x in_c (OHWI) */
	const int32_t *bias; /* out_c, or NULL */
	const int32_t *mult; /* out_c, >= 0 */
	const int32_t *shift; /* out_c, -31..30 */
};

/* Output height and width; validates @p. */
int kml_qnn_conv2d_out(const struct kml_qnn_conv2d *p, uint32_t *out_h,
		       uint32_t *out_w);
/* x: batch x in_h x in_w x in_c; y: batch x out_h x out_w x out_c. */
int kml_qnn_conv2d_i8(const struct kml_qnn_conv2d *p, const int8_t *x,
		      size_t batch, int8_t *y);

/*
 * fpu: quantize a float convolution with PyTorch's weight layout
 * (O, C, kh, kw) row-major (kml_nn_conv2d's; conv1d: kh = 1) and bias @b
 * (O, or NULL) for kml_qnn_conv2d_i8(): the weights are transposed to
 * OHWI, per output channel symmetric (max |w| / 127), biases rounded at
 * in_scale * w_scale, multipliers of in_scale * w_scale / out_scale.
 * Geometry, zero points and clamp are the caller's fields of @p (checked
 * here as kml_qnn_conv2d_out() does); fills the caller's arrays and
 * points @p at them. Dilation is not supported (kml_nn's must be 1).
 */
int kml_qnn_conv2d_quantize(struct kml_qnn_conv2d *p, int8_t *weight,
			    int32_t *bias, int32_t *mult, int32_t *shift,
			    const float *w, const float *b, float in_scale,
			    float out_scale);

/* ---- Pooling (NHWC, output quantized as the input) ---------------------- */

/*
 * Windows as conv2d's; padded positions are skipped. Max: the largest
 * value, then clamped. Average (TFLite): s = sum of the valid values,
 * c their count, (s +- c/2) / c truncated (ties away from zero), clamped.
 */
struct kml_qnn_pool2d {
	uint32_t in_h, in_w, c;
	uint32_t k_h, k_w, stride_h, stride_w, pad_h, pad_w;
	int32_t act_min, act_max; /* int8 */
};

int kml_qnn_pool2d_out(const struct kml_qnn_pool2d *p, uint32_t *out_h,
		       uint32_t *out_w);
int kml_qnn_maxpool2d_i8(const struct kml_qnn_pool2d *p, const int8_t *x,
			 size_t batch, int8_t *y);
int kml_qnn_avgpool2d_i8(const struct kml_qnn_pool2d *p, const int8_t *x,
			 size_t batch, int8_t *y);

/* ---- LSTM cell (int8 weights and activations, int16 cell state) -------- */

/*
 * PyTorch's LSTM (gates i, f, g, o; zero or given initial state) over
 * quantized values; a simpler fixed-scale definition than TFLite's
 * integer LSTM (documented in docs/qnn.md):
 * - x int8 (scale s_x, zero point x_zp), h int8 with the fixed scale
 *   1/128 and zero point 0, cell state c int16 Q4.11 (scale 2^-11);
 * - gate row r (0..4H-1): z = sat16(MBQM(sat32(sum (x - x_zp) W_ih[r] +
 *   bias[r]), mult_ih[r], shift_ih[r]) + MBQM(sum h W_hh[r], mult_hh[r],
 *   shift_hh[r])), the pre-activation in Q3.12 (the multipliers are
 *   s_x w_ih_scale[r] 4096 and w_hh_scale[r] 32, bias at s_x w_ih_scale);
 * - i, f, o = kml_sigmoid_q15(z), g = kml_tanh_q15(z) (Q0.15);
 * - c = sat16(rnd(f c / 2^15) + rnd(i g / 2^19)),
 *   h = sat8(rnd(o tanh_q15(sat16(2 c)) / 2^23)), rnd = ties away.
 * All arrays are plain and owned by the caller (weights 4H x in and
 * 4H x H row-major, the others 4H).
 */
struct kml_qnn_lstm {
	uint32_t in, hidden; /* each 1..KML_QNN_MAX_WIDTH */
	int32_t x_zp;
	int8_t *w_ih, *w_hh;
	int32_t *bias; /* b_ih + b_hh */
	int32_t *mult_ih, *shift_ih, *mult_hh, *shift_hh;
};

/*
 * Run @steps steps of @batch sequences: x is batch x steps x in; @h0
 * (batch x hidden, NULL: zeros) the initial h; @c (batch x hidden) the
 * initial cell state on entry (zero it for PyTorch's default) and the last
 * on return; @hs (batch x steps x hidden) receives every step's h.
 */
int kml_qnn_lstm_run(const struct kml_qnn_lstm *p, const int8_t *x,
		     size_t batch, size_t steps, const int8_t *h0, int16_t *c,
		     int8_t *hs);

/*
 * fpu: quantize a float LSTM with PyTorch's parameters (kml_nn_lstm's
 * layout: w_ih 4H x in, w_hh 4H x H, b_ih, b_hh 4H) into @p, whose
 * arrays the caller allocated, for inputs of scale @x_scale and zero
 * point @x_zp (e.g. from min/max calibration). Per-row symmetric weights
 * (max |w| / 127). p->in and p->hidden must be set.
 */
int kml_qnn_lstm_quantize(struct kml_qnn_lstm *p, const float *w_ih,
			  const float *w_hh, const float *b_ih,
			  const float *b_hh, float x_scale, int32_t x_zp);

#endif /* KMLIB_QNN_OPS_H */

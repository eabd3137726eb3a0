/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qtrain.h - training without the FPU: small MLPs (a linear model is one
 * layer) with Q-format int16 weights, activations and gradients, int32
 * accumulators and SGD with nearest or stochastic rounding.
 *
 * Everything here is integer-only (nofpu): in kmlib.ko it runs outside
 * any FPU section, in hard IRQ too (kml_qmlp_create() excepted: it
 * allocates with KML_MEM_SLEEP).
 *
 * Arithmetic, exactly (tools/gen_qtrain_vectors.py reimplements it):
 * F = cfg.frac, G = cfg.grad_frac, B = batch = 2^b, rnd(v, k) = v / 2^k
 * rounded to nearest, ties to even (kml_rshift_round); sat16/sat32
 * saturate. Inputs, targets, weights, biases, pre-activations z and
 * activations h are int16 in Q_F.
 *   forward, layer l, output o:
 *     acc = sat32(bias[o] << F), then acc = sat32(acc + W[o][i] h[i])
 *     for i = 0, 1, ..; z[o] = sat16(rnd(acc, F))
 *     hidden layers: h = relu(z), or tanh: h = sat16(rnd(T, 15 - F))
 *     with T = kml_tanh_q15(z in Q3.12: z << (12 - F) saturated, or
 *     rnd(z, F - 12)); the last layer is linear (h = z).
 *   loss: MSE, mean over the batch, summed over outputs;
 *     e = sat16(y - target) stands for dL/dy x B / 2.
 *   backward: delta of the last layer = e; for a hidden layer,
 *     dh[j] = sat16(rnd(sat32 sum_o delta[o] W[o][j], F)), then
 *     relu: delta = z > 0 ? dh : 0; tanh: delta = sat16(rnd(dh D, 15))
 *     with D = 32768 - rnd(T T, 15) (1 - tanh^2 in Q0.15).
 *   gradients (int16, Q_G), sums over the batch in sample order:
 *     gW[o][i] = sat16(rnd(sat32 sum_s delta[o] h[i], 2F + b - 1 - G))
 *     gb[o]    = sat16(rnd(sat32 sum_s delta[o] 2^F, 2F + b - 1 - G))
 *     (the factor 2 / B of the mean squared error is in the shift).
 *   SGD, every parameter p after all gradients are computed, in order
 *   W then bias of layer 0, 1, ..:
 *     v = g lr_q15 (Q_{G+15}, fits int32), k = G + 15 - F,
 *     nearest: s = rnd(v, k); stochastic: s = (v + u) >> k (floor) with
 *     u = kml_prng_u32() mod 2^k, one draw per parameter, so E[s] = v/2^k;
 *     p = sat16(p - s).
 * Stochastic rounding keeps learning when updates are below half an LSB,
 * where nearest rounding stops.
 */
#ifndef KMLIB_QTRAIN_H
#define KMLIB_QTRAIN_H

#include "kml_deps.h"
#include "status.h"
#include "platform.h"

#define KML_QMLP_MAX_LAYERS 4u
#define KML_QMLP_MAX_WIDTH 4096u
#define KML_QMLP_MAX_BATCH 256u /* a power of two */

enum kml_qact {
	KML_QACT_RELU = 0,
	KML_QACT_TANH = 1,
};

enum kml_qround {
	KML_QROUND_NEAREST = 0, /* ties to even */
	KML_QROUND_STOCHASTIC = 1, /* kml_prng, seeded from cfg.seed */
};

struct kml_qtrain_cfg {
	uint32_t frac; /* F, 1..14: Q-format of values (Q3.12: 12) */
	uint32_t grad_frac; /* G, 0..15, at most 2F - 1 */
	int32_t lr_q15; /* learning rate x 2^15, 1..32767 */
	uint32_t hidden_act; /* enum kml_qact, for layers before the last */
	uint32_t round; /* enum kml_qround */
	uint64_t seed; /* PRNG of stochastic rounding */
};

struct kml_qmlp;

/*
 * @n_layers (1..KML_QMLP_MAX_LAYERS) dense layers, widths sizes[0]
 * (input) .. sizes[n_layers] (output), each 1..KML_QMLP_MAX_WIDTH, for
 * batches of up to @max_batch (a power of two <= KML_QMLP_MAX_BATCH).
 * Parameters start zero. Allocates everything (KML_MEM_SLEEP): not for
 * atomic context; the other calls never allocate.
 */
int kml_qmlp_create(struct kml_qmlp **out, struct kml_mem *mem,
		    const uint32_t *sizes, uint32_t n_layers, size_t max_batch,
		    const struct kml_qtrain_cfg *cfg);
void kml_qmlp_destroy(struct kml_qmlp *q);

/*
 * Layer @l's weights (out x in, W[o][i]) and biases (out), Q_F; also its
 * widths. Any pointer but @q may be NULL.
 */
int kml_qmlp_layer(struct kml_qmlp *q, uint32_t l, int16_t **weight,
		   int16_t **bias, uint32_t *in, uint32_t *out);

/*
 * Weights uniform integers in [-lim, lim], lim = 2^F / isqrt(fan-in)
 * (isqrt rounds down), drawn as kml_prng_below(2 lim + 1) - lim from
 * kml_prng(@seed), layer by layer, row-major; biases zero. The same
 * seed gives the same bytes in both targets.
 */
int kml_qmlp_init(struct kml_qmlp *q, uint64_t seed);

/* @batch (1..max_batch) rows of sizes[0] inputs -> rows of outputs. */
int kml_qmlp_forward(struct kml_qmlp *q, const int16_t *x, size_t batch,
		     int16_t *y);

/*
 * One SGD step on @batch samples (a power of two, <= max_batch) with
 * @target rows of sizes[n_layers] values. *sq_err (may be NULL) receives
 * sum e^2 over the batch before the update (Q_2F: MSE = sq_err / B /
 * 2^2F). KML_EINVAL for a batch that is not a power of two.
 */
int kml_qmlp_step(struct kml_qmlp *q, const int16_t *x, const int16_t *target,
		  size_t batch, int64_t *sq_err);

/* The gradients of the last step, layer @l (same shapes as the layer). */
int kml_qmlp_grads(const struct kml_qmlp *q, uint32_t l, const int16_t **gw,
		   const int16_t **gb);

#endif /* KMLIB_QTRAIN_H */

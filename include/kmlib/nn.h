/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * nn.h - neural networks as graphs of nodes, with reverse-mode autodiff.
 *
 * Life cycle (TFLite Micro's prepare/run split):
 *   1. kml_nn_create()                  allocates the node table     (nofpu)
 *   2. kml_nn_input(), kml_nn_linear(), ... add nodes; each call infers
 *      and checks its output shape at once and returns the node id (>= 0)
 *      or a negative status. Adding never allocates. Calls whose
 *      prototype has a double (leaky ReLU, Huber) are FPU functions.
 *   3. kml_nn_prepare(net, max_batch)   allocates EVERYTHING: one block of
 *      parameters, one of parameter gradients, activations, activation
 *      gradients and scratch                                     (nofpu)
 *   4. kml_nn_init_params()             random init like PyTorch   (FPU)
 *   5. kml_nn_forward(), kml_nn_backward(), kml_optim_step()     (FPU)
 *      never allocate and never fail on shapes (they were checked).
 *
 * Nodes are added in topological order by construction (a node can only
 * name existing nodes as inputs), so forward runs ids upwards and backward
 * downwards. A node used by several consumers receives the sum of their
 * gradients: every backward ACCUMULATES into its inputs' gradients, which
 * kml_nn_backward() clears first.
 *
 * Shapes are per sample (rank 1..4); every batched buffer holds batch x
 * size elements, sample-major. Loss nodes produce one scalar for the
 * whole batch.
 */
#ifndef KMLIB_NN_H
#define KMLIB_NN_H

#include "kml_deps.h"
#include "status.h"
#include "platform.h"

enum kml_nn_dtype {
	KML_NN_F32 = 0,
	KML_NN_F64 = 1,
};
#define KML_NN_NDTYPES 2

/*
 * Loss reduction, exactly PyTorch's reduction= argument:
 * KML_NN_MEAN (default, 0): the sum of the per-element terms divided by
 *   their number - batch x elements per sample for MSE, Huber and binary
 *   cross-entropy; the batch size for cross-entropy (one term per sample);
 * KML_NN_SUM: the plain sum.
 */
enum kml_nn_reduction {
	KML_NN_MEAN = 0,
	KML_NN_SUM = 1,
};

/* Flags of kml_nn_input(). */
enum kml_nn_input_flags {
	KML_NN_REQUIRES_GRAD = 1 << 0, /* compute d loss / d input too */
	KML_NN_LABELS = 1 << 1, /* int32 class indices, not dtype values */
};

struct kml_nn;

/* Create an empty network holding at most @max_nodes nodes. */
int kml_nn_create(struct kml_nn **out, struct kml_mem *mem,
		  enum kml_nn_dtype dtype, size_t max_nodes);
/* Free the network and everything it allocated. NULL is a no-op. */
void kml_nn_destroy(struct kml_nn *net);

/* ---- Building (each returns a node id >= 0 or a negative status) ------ */

/* A data input of per-sample shape dims[0..rank-1]. */
int kml_nn_input(struct kml_nn *net, const uint32_t *dims, uint32_t rank,
		 unsigned int flags);
/* Shorthand: a vector input of @size elements. */
int kml_nn_input_vec(struct kml_nn *net, uint32_t size, unsigned int flags);
/* Integer class labels, one int32 per sample (for cross-entropy). */
int kml_nn_labels(struct kml_nn *net);

/*
 * y = x A + b over the last axis of x (leading axes act as more batch).
 * The node's parameters are A, in x out row-major (PyTorch's weight
 * transposed: A[i][o] = weight[o][i]), then b (out). This layout makes the
 * forward pass a plain row-major product, the fastest case.
 */
int kml_nn_linear(struct kml_nn *net, int x, uint32_t out_features, bool bias);
/* Elementwise a + b (same shape): residual connections. */
int kml_nn_add(struct kml_nn *net, int a, int b);
/* Concatenate @n nodes along per-sample axis @axis (other dims equal). */
int kml_nn_concat(struct kml_nn *net, const int *inputs, uint32_t n,
		  uint32_t axis);
/* Same data, new per-sample shape (same number of elements). */
int kml_nn_reshape(struct kml_nn *net, int x, const uint32_t *dims,
		   uint32_t rank);
int kml_nn_flatten(struct kml_nn *net, int x);

int kml_nn_relu(struct kml_nn *net, int x);
/* FPU: y = x > 0 ? x : slope * x (PyTorch's default slope is 0.01). */
int kml_nn_leaky_relu(struct kml_nn *net, int x, double slope);
int kml_nn_sigmoid(struct kml_nn *net, int x);
int kml_nn_tanh(struct kml_nn *net, int x);
/* Over the last axis, max-subtracted. */
int kml_nn_softmax(struct kml_nn *net, int x);
int kml_nn_log_softmax(struct kml_nn *net, int x);

/* ---- Convolution, pooling, regularisation, normalisation -------------- */

/*
 * Geometry of a convolution or pooling window along height (index 0) and
 * width (index 1). 1d layers use index 1 only (height: kernel 1, stride 1,
 * padding 0, dilation 1). Zero stride or dilation, or a kernel wider than
 * the padded input, is KML_EINVAL / KML_EDOM.
 */
struct kml_nn_window {
	uint32_t kernel[2], stride[2], padding[2], dilation[2];
};

/*
 * Convolution over channels-first samples: x (C, L) -> (O, L') for 1d,
 * x (C, H, W) -> (O, H', W') for 2d, with
 * L' = (L + 2 pad - dil (k - 1) - 1) / stride + 1 as in PyTorch.
 * Parameters: PyTorch's weight (O, C, kh, kw) row-major, unchanged (the
 * forward pass is weight x im2col, a plain row-major product), then the
 * bias (O) if @bias.
 */
int kml_nn_conv1d(struct kml_nn *net, int x, uint32_t out_channels,
		  uint32_t kernel, uint32_t stride, uint32_t padding,
		  uint32_t dilation, bool bias);
int kml_nn_conv2d(struct kml_nn *net, int x, uint32_t out_channels,
		  const struct kml_nn_window *win, bool bias);

enum kml_nn_pool_mode {
	KML_NN_POOL_MAX = 0,
	KML_NN_POOL_AVG = 1,
};
/*
 * Max or average pooling per channel, shapes as for convolution (dilation
 * must be 1). Padding is at most half the kernel (as in PyTorch); max
 * pooling ignores padded cells, average pooling counts them as zeros
 * (count_include_pad=True), ceil_mode=False.
 */
int kml_nn_pool1d(struct kml_nn *net, int x, int mode, uint32_t kernel,
		  uint32_t stride, uint32_t padding);
int kml_nn_pool2d(struct kml_nn *net, int x, int mode,
		  const struct kml_nn_window *win);

/*
 * FPU. Dropout with probability @p in [0, 1): in training mode each
 * element is zeroed with probability p and the others scaled by 1/(1-p)
 * (inverted dropout, as PyTorch); in evaluation mode a copy. The mask
 * comes from a kml_prng seeded with @seed at prepare, one
 * kml_prng_double() draw per element in order, so a seed gives the same
 * masks in both dtypes and both targets.
 */
int kml_nn_dropout(struct kml_nn *net, int x, double p, uint64_t seed);
/*
 * FPU. Layer normalisation over the last axis (size D):
 * y = (x - mean) / sqrt(var + eps) * gamma + beta, var biased. With
 * @affine the parameters are gamma (D, init 1) then beta (D, init 0).
 */
int kml_nn_layer_norm(struct kml_nn *net, int x, double eps, bool affine);
/*
 * FPU. Batch normalisation per channel, PyTorch's BatchNorm1d/2d: x is
 * (C), (C, L) or (C, H, W) per sample; statistics over the batch and the
 * positions of each channel. Training: y = (x - mean) / sqrt(var + eps)
 * gamma + beta with the batch's biased variance, and the running
 * statistics move by @momentum towards the batch mean and unbiased
 * variance (n / (n - 1) var; var itself when n = 1). Evaluation: the
 * running statistics instead (they start at mean 0, variance 1). With
 * @affine the parameters are gamma (C, init 1) then beta (C, init 0).
 * PyTorch's defaults: eps 1e-5, momentum 0.1.
 */
int kml_nn_batch_norm(struct kml_nn *net, int x, double eps, double momentum,
		      bool affine);
/*
 * The running mean and variance of a batch-norm node (C doubles each, in
 * both dtypes; buffers, not parameters: optimizers never touch them), for
 * saving and restoring. After kml_nn_prepare(); not an FPU function (it
 * only returns pointers).
 */
int kml_nn_running_stats(struct kml_nn *net, int node, void **mean, void **var,
			 size_t *channels);
/*
 * Training (default) or evaluation mode for every mode-dependent node
 * (dropout, batch norm). Not an FPU function.
 */
int kml_nn_set_training(struct kml_nn *net, bool training);

/* ---- Recurrent layers -------------------------------------------------- */

/*
 * LSTM and GRU over a sequence, PyTorch's nn.LSTM / nn.GRU with one layer,
 * batch_first, zero initial states. x: (T, I) per sample. Output:
 * (T, H), every step's h, if @all_steps, else (H), the last step's.
 * Parameters, PyTorch's names and layout: weight_ih (G H, I), weight_hh
 * (G H, H), bias_ih (G H), bias_hh (G H), row-major, with the gates in
 * PyTorch's order: G = 4, (i, f, g, o) for the LSTM; G = 3, (r, z, n) for
 * the GRU. Initialised U(-1/sqrt(H), 1/sqrt(H)) like PyTorch.
 */
int kml_nn_lstm(struct kml_nn *net, int x, uint32_t hidden, bool all_steps);
int kml_nn_gru(struct kml_nn *net, int x, uint32_t hidden, bool all_steps);

/* ---- Losses: scalar nodes; reduction is enum kml_nn_reduction --------- */

/* mean/sum of (pred - target)^2. */
int kml_nn_mse(struct kml_nn *net, int pred, int target, int reduction);
/*
 * FPU. PyTorch's HuberLoss: with z = |pred - target|, 0.5 z^2 if
 * z < delta, else delta (z - 0.5 delta). delta > 0.
 */
int kml_nn_huber(struct kml_nn *net, int pred, int target, double delta,
		 int reduction);
/*
 * Cross-entropy on raw logits (per-sample rank 1, C classes) with integer
 * labels from kml_nn_labels(): logsumexp(x) - x[label], computed with the
 * maximum subtracted. A label outside [0, C) makes forward return
 * KML_ERANGE.
 */
int kml_nn_cross_entropy(struct kml_nn *net, int logits, int labels,
			 int reduction);
/* Binary cross-entropy on logits with targets in [0, 1]:
 * max(x, 0) - x t + log(1 + exp(-|x|)). */
int kml_nn_bce_logits(struct kml_nn *net, int logits, int target,
		      int reduction);

/* ---- Preparing and running -------------------------------------------- */

/* Validate the graph and allocate every buffer for up to @max_batch. */
int kml_nn_prepare(struct kml_nn *net, size_t max_batch);
/* FPU: initialise all parameters as PyTorch does by default (linear:
 * W and b uniform in +-1/sqrt(in)) from a PRNG seeded with @seed. */
int kml_nn_init_params(struct kml_nn *net, uint64_t seed);
/* Use the first @batch samples of every buffer (1..max_batch). */
int kml_nn_set_batch(struct kml_nn *net, size_t batch);
size_t kml_nn_batch(const struct kml_nn *net);

/*
 * The value and gradient buffers of a node (after prepare): batch x size
 * elements of the net's dtype (int32 for labels), 1 for loss nodes.
 * Inputs are written here directly, outputs read from here. The gradient
 * is NULL for nodes that need none.
 */
int kml_nn_value(struct kml_nn *net, int node, void **data, size_t *count);
int kml_nn_grad(struct kml_nn *net, int node, void **data, size_t *count);
/* Elements per sample of a node. */
int kml_nn_node_size(const struct kml_nn *net, int node, size_t *size);
/* The parameter and gradient blocks (n elements each; NULL if n == 0). */
int kml_nn_params(struct kml_nn *net, void **params, void **grads, size_t *n);
/* Where one node's parameters sit inside the blocks. */
int kml_nn_node_params(struct kml_nn *net, int node, size_t *offset, size_t *n);
enum kml_nn_dtype kml_nn_dtype_of(const struct kml_nn *net);

/* FPU: run every node (kml_nn_forward) or nodes 0..@last only. */
int kml_nn_forward(struct kml_nn *net);
int kml_nn_forward_to(struct kml_nn *net, int last);
/*
 * FPU: clear all gradients, seed d @loss / d @loss = 1 (a scalar node)
 * and run the chain rule down to the inputs. Parameter gradients are
 * overwritten, not accumulated across calls. KML_EINVAL if @loss is not
 * a scalar or nothing below it needs a gradient (no parameters and no
 * KML_NN_REQUIRES_GRAD input); KML_ENOSYS if a node kind in the net has
 * no backward for the dtype.
 */
int kml_nn_backward(struct kml_nn *net, int loss);
/* Same, seeding any node's gradient with @dy (its kml_nn_grad count). */
int kml_nn_backward_seed(struct kml_nn *net, int node, const void *dy);

#endif /* KMLIB_NN_H */

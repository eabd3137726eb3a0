/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * kernels.h - forward/backward/init of the built-in layer kinds, one
 * instance per dtype generated from kernels_tmpl.h (FPU code). The ops
 * tables in layers.c and losses.c point at these.
 */
#ifndef KMLIB_NN_KERNELS_H
#define KMLIB_NN_KERNELS_H

#include "kmlib/nn_ops.h"

#define KML_NN_KERNEL_DECL(kind, sfx)                                          \
	int kml_nn_##kind##_fwd_##sfx(struct kml_nn_node *n, size_t batch);    \
	int kml_nn_##kind##_bwd_##sfx(struct kml_nn_node *n, size_t batch);

#define KML_NN_KERNELS(sfx)                                                    \
	KML_NN_KERNEL_DECL(linear, sfx)                                        \
	KML_NN_KERNEL_DECL(add, sfx)                                           \
	KML_NN_KERNEL_DECL(concat, sfx)                                        \
	KML_NN_KERNEL_DECL(copy, sfx)                                          \
	KML_NN_KERNEL_DECL(relu, sfx)                                          \
	KML_NN_KERNEL_DECL(leaky_relu, sfx)                                    \
	KML_NN_KERNEL_DECL(sigmoid, sfx)                                       \
	KML_NN_KERNEL_DECL(tanh, sfx)                                          \
	KML_NN_KERNEL_DECL(softmax, sfx)                                       \
	KML_NN_KERNEL_DECL(log_softmax, sfx)                                   \
	KML_NN_KERNEL_DECL(mse, sfx)                                           \
	KML_NN_KERNEL_DECL(huber, sfx)                                         \
	KML_NN_KERNEL_DECL(cross_entropy, sfx)                                 \
	KML_NN_KERNEL_DECL(bce_logits, sfx)                                    \
	KML_NN_KERNEL_DECL(conv, sfx)                                          \
	KML_NN_KERNEL_DECL(pool, sfx)                                          \
	KML_NN_KERNEL_DECL(dropout, sfx)                                       \
	KML_NN_KERNEL_DECL(layer_norm, sfx)                                    \
	KML_NN_KERNEL_DECL(batch_norm, sfx)                                    \
	KML_NN_KERNEL_DECL(lstm, sfx)                                          \
	KML_NN_KERNEL_DECL(gru, sfx)                                           \
	void kml_nn_conv_init_##sfx(struct kml_nn_node *n,                     \
				    struct kml_prng *r);                       \
	void kml_nn_rnn_init_##sfx(struct kml_nn_node *n, struct kml_prng *r); \
	void kml_nn_layer_norm_init_##sfx(struct kml_nn_node *n,               \
					  struct kml_prng *r);                 \
	void kml_nn_linear_init_##sfx(struct kml_nn_node *n,                   \
				      struct kml_prng *r);                     \
	int kml_nn_linear_dot_bwd_##sfx(struct kml_nn_node *n, size_t batch);  \
	/* the prepared fast path: [bias][in, 0 for in > 4] */                 \
	extern int (*const kml_nn_linear_dot_fwd_##sfx[2][5])(                 \
	    struct kml_nn_node * n, size_t batch);

KML_NN_KERNELS(f32)
KML_NN_KERNELS(f64)

/* Fill ops tables: .forward = KML_NN_FWD(relu), ... */
#define KML_NN_FWD(kind)                                                       \
	{                                                                      \
		kml_nn_##kind##_fwd_f32, kml_nn_##kind##_fwd_f64               \
	}
#define KML_NN_BWD(kind)                                                       \
	{                                                                      \
		kml_nn_##kind##_bwd_f32, kml_nn_##kind##_bwd_f64               \
	}

extern const struct kml_nn_ops kml_nn_linear_ops;
extern const struct kml_nn_ops kml_nn_mse_ops;

/* Ops of kinds whose builders live in FPU files (real hyper-parameters). */
extern const struct kml_nn_ops kml_nn_leaky_relu_ops;
extern const struct kml_nn_ops kml_nn_huber_ops;
extern const struct kml_nn_ops kml_nn_dropout_ops;
extern const struct kml_nn_ops kml_nn_layer_norm_ops;
extern const struct kml_nn_ops kml_nn_batch_norm_ops;

/*
 * Window hyper-parameters of convolution and pooling nodes: ihp[] indices
 * of kernel, stride, padding and dilation, each for height then width
 * (1d layers: height 1). ihp[0] is the output channels (conv) or the
 * mode (pool); ihp[1] the bias flag (conv).
 */
enum {
	KML_NN_WIN_K = 2,
	KML_NN_WIN_S = 4,
	KML_NN_WIN_P = 6,
	KML_NN_WIN_D = 8,
	KML_NN_WIN_END = 10,
};

#endif /* KMLIB_NN_KERNELS_H */

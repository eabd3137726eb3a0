// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * xor_custom_layer.c - train XOR with a 2-layer MLP whose hidden
 * activation is a layer kind defined here, by filling a struct
 * kml_nn_ops: softsign, y = x / (1 + |x|), dy/dx = 1 / (1 + |x|)^2.
 *
 * Prints the loss before and after training and the four predictions;
 * exits 0 only if they are right.
 */
#include <stdio.h>
#include <kmlib/nn_ops.h>
#include <kmlib/optim.h>

/* Shape inference: same shape as the input, which must hold values. */
static int softsign_infer(struct kml_nn_node *n)
{
	if (n->src[0]->flags & KML_NN_NODE_LABELS)
		return KML_EINVAL;
	n->shape = n->src[0]->shape;
	return KML_OK;
}

static int softsign_forward(struct kml_nn_node *n, size_t batch)
{
	const float *x = n->src[0]->y;
	float *y = n->y;
	size_t i;

	for (i = 0; i < kml_nn_node_len(n, batch); i++)
		y[i] = x[i] / (1.0f + (x[i] < 0 ? -x[i] : x[i]));
	return KML_OK;
}

/* Backward ADDS into the input's gradient (it may be used twice). */
static int softsign_backward(struct kml_nn_node *n, size_t batch)
{
	const float *x = n->src[0]->y, *dy = n->dy;
	float *dx = n->src[0]->dy;
	size_t i;

	if (!dx)
		return KML_OK;
	for (i = 0; i < kml_nn_node_len(n, batch); i++) {
		float d = 1.0f + (x[i] < 0 ? -x[i] : x[i]);

		dx[i] += dy[i] / (d * d);
	}
	return KML_OK;
}

/* float32 only: a float64 network using it fails to prepare (ENOSYS). */
static const struct kml_nn_ops softsign_ops = {
	.name = "softsign",
	.min_inputs = 1,
	.max_inputs = 1,
	.infer = softsign_infer,
	.forward = { [KML_NN_F32] = softsign_forward },
	.backward = { [KML_NN_F32] = softsign_backward },
};

static int check(int ret, const char *what)
{
	if (ret < 0)
		fprintf(stderr, "%s: %s\n", what, kml_status_name(ret));
	return ret;
}

int main(void)
{
	static const float xs[8] = { 0, 0, 0, 1, 1, 0, 1, 1 };
	static const float ys[4] = { 0, 1, 1, 0 };
	struct kml_optim_cfg cfg;
	struct kml_optim *opt = NULL;
	struct kml_nn *net = NULL;
	struct kml_mem mem;
	int x, y, h, out, loss, i, ok = 1;
	float *v, *pred, first;

	kml_mem_init(&mem, "xor", 64 * 1024); /* a cap: 64 KiB is plenty */
	if (check(kml_nn_create(&net, &mem, KML_NN_F32, 8), "create") ||
	    !kml_fpu_begin())
		return 1;
	x = kml_nn_input_vec(net, 2, 0);
	y = kml_nn_input_vec(net, 1, 0);
	h = kml_nn_linear(net, x, 4, true);
	h = kml_nn_add_node(net, &softsign_ops, &h, 1, NULL);
	out = kml_nn_linear(net, h, 1, true);
	loss = check(kml_nn_bce_logits(net, out, y, KML_NN_MEAN), "build");
	kml_fpu_end();
	/* prepare allocates (may sleep in the kernel): outside FPU sections */
	if (loss < 0 || check(kml_nn_prepare(net, 4), "prepare"))
		return 1;
	kml_fpu_begin();
	kml_nn_init_params(net, 1);
	kml_optim_defaults(&cfg, KML_OPTIM_ADAM, 0.05);
	kml_fpu_end();
	if (check(kml_optim_create(&opt, &mem, net, &cfg), "optimizer"))
		return 1;

	kml_nn_value(net, x, (void **)&v, NULL);
	for (i = 0; i < 8; i++)
		v[i] = xs[i];
	kml_nn_value(net, y, (void **)&v, NULL);
	for (i = 0; i < 4; i++)
		v[i] = ys[i];
	kml_nn_value(net, loss, (void **)&v, NULL);
	kml_nn_value(net, out, (void **)&pred, NULL);

	kml_fpu_begin();
	kml_nn_forward(net);
	first = *v;
	for (i = 0; i < 400; i++) {
		kml_nn_forward(net);
		kml_nn_backward(net, loss);
		kml_optim_step(opt);
	}
	kml_nn_forward(net);
	printf("loss: %.4f -> %.4f\n", first, *v);
	printf("predictions:");
	for (i = 0; i < 4; i++) {
		printf(" %d", pred[i] > 0);
		ok &= (pred[i] > 0) == (ys[i] > 0.5f);
	}
	printf("\n");
	ok &= *v < 0.05f;
	kml_fpu_end();

	kml_optim_destroy(opt);
	kml_nn_destroy(net);
	printf("memory left: %zu bytes\n", kml_mem_current(&mem));
	return ok && kml_mem_current(&mem) == 0 ? 0 : 1;
}

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * nn_seq_learn.c - longer sequence training than the shared cases allow
 * (user space only): an LSTM learns binary addition of two 8-bit numbers
 * fed least significant bit first, outputting each sum bit at its step,
 * and must add fresh pairs exactly; a GRU must do the same.
 *
 * Per step t the input is (a_t, b_t) and the target s_t of a + b mod 256:
 * the net has to carry from step to step, which a feed-forward net fed
 * one step cannot do.
 */
#include <stdio.h>
#include <kmlib/nn.h>
#include <kmlib/optim.h>
#include <kmlib/prng.h>

#define BITS 8
#define BATCH 32
#define TEST_PAIRS 256

static void fill_pairs(float *x, float *y, size_t n, struct kml_prng *r)
{
	size_t s;
	int k;

	for (s = 0; s < n; s++) {
		uint32_t a = kml_prng_below(r, 256), b = kml_prng_below(r, 256);
		uint32_t sum = (a + b) & 255;

		for (k = 0; k < BITS; k++) {
			x[(s * BITS + k) * 2] = (float)((a >> k) & 1);
			x[(s * BITS + k) * 2 + 1] = (float)((b >> k) & 1);
			y[s * BITS + k] = (float)((sum >> k) & 1);
		}
	}
}

static int learn(bool gru, int steps)
{
	uint32_t dims[2] = { BITS, 2 }, tdims[2] = { BITS, 1 };
	struct kml_optim_cfg cfg;
	struct kml_optim *opt = NULL;
	struct kml_nn *net = NULL;
	struct kml_prng r;
	struct kml_mem mem;
	float *x, *y, *logit;
	int in, target, out, loss, i, right = 0;
	size_t s;
	int k;

	kml_mem_init(&mem, "seq-learn", 0);
	if (kml_nn_create(&net, &mem, KML_NN_F32, 8))
		return 1;
	in = kml_nn_input(net, dims, 2, 0);
	target = kml_nn_input(net, tdims, 2, 0);
	out = gru ? kml_nn_gru(net, in, 16, true)
		  : kml_nn_lstm(net, in, 16, true);
	out = kml_nn_linear(net, out, 1, true);
	loss = kml_nn_bce_logits(net, out, target, KML_NN_MEAN);
	if (loss < 0 || kml_nn_prepare(net, TEST_PAIRS) ||
	    kml_nn_set_batch(net, BATCH))
		goto fail;
	kml_fpu_begin();
	kml_nn_init_params(net, 11);
	kml_optim_defaults(&cfg, KML_OPTIM_ADAM, 0.02);
	kml_fpu_end();
	if (kml_optim_create(&opt, &mem, net, &cfg))
		goto fail;
	kml_nn_value(net, in, (void **)&x, NULL);
	kml_nn_value(net, target, (void **)&y, NULL);
	kml_nn_value(net, out, (void **)&logit, NULL);
	kml_prng_seed(&r, 2026);
	kml_fpu_begin();
	for (i = 0; i < steps; i++) {
		fill_pairs(x, y, BATCH, &r);
		if (kml_optim_train_step(opt, loss)) {
			kml_fpu_end();
			goto fail;
		}
	}
	/* fresh pairs: every bit of the sum right */
	kml_nn_set_batch(net, TEST_PAIRS);
	fill_pairs(x, y, TEST_PAIRS, &r);
	kml_nn_forward_to(net, out);
	kml_fpu_end();
	for (s = 0; s < TEST_PAIRS; s++) {
		bool ok = true;

		for (k = 0; k < BITS; k++)
			ok &= (logit[s * BITS + k] > 0) ==
			      (y[s * BITS + k] > 0.5f);
		right += ok;
	}
	printf("%s: %d of %d sums exact after %d steps\n", gru ? "gru" : "lstm",
	       right, TEST_PAIRS, steps);
	kml_optim_destroy(opt);
	kml_nn_destroy(net);
	return right == TEST_PAIRS ? 0 : 1;
fail:
	kml_optim_destroy(opt);
	kml_nn_destroy(net);
	return 1;
}

int main(void)
{
	int bad = learn(false, 1500) + learn(true, 1500);

	printf("%d passed, %d failed\n", 2 - bad, bad);
	return bad ? 1 : 0;
}

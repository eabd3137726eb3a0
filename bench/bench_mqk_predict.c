// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * bench_mqk_predict.c - what reading the published weights costs
 * mq-kmlib's insert hook, per prediction: the hook's reader (a "trained"
 * flag, then mqk_pub_predict of sched/mq-kmlib/mqk_predict.h, the code
 * the module runs: in place, kml_pub_begin/kml_pub_retry, at most
 * MQK_PRED_TRIES runs) against the readers it replaced (linear: copy
 * with kml_pub_read; MLP: kml_pub_pin/kml_pub_unpin), and the model on
 * the weights directly ("alone"), for both Q16.16 models. Publications
 * as mqk_learn.c makes them (2 buffers, KML_PUB_COMPACT), version 1.
 * bench_mqk_predict_callgrind.sh counts each variant's instructions.
 *
 * bench_mqk_predict                  check that every reader agrees
 * bench_mqk_predict count VARIANT N  run VARIANT N times (for callgrind)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mqk_predict.h"

#define NOINLINE __attribute__((noinline))
#define LIN_NW MQK_SHARED_NW
#define MLP_NW MQK_SHARED_MLP_NW

static struct kml_mem mem;
static struct kml_pub *pub_lin, *pub_mlp;
static int32_t w_lin[LIN_NW], w_mlp[MLP_NW], x[MQK_NFEAT];
/* as mqk_learn's pub_trained: set after the first publish */
static int trained_lin, trained_mlp;

NOINLINE int64_t alone_lin(const int32_t *w, const int32_t *in)
{
	return mqk_linear_q16(w, in);
}

NOINLINE int64_t alone_mlp(const int32_t *w, const int32_t *in)
{
	return mqk_mlp_q16(w, in);
}

/* the hook's reader: the "trained" flag (an acquire load), then in place */
NOINLINE int64_t seq_lin(const struct kml_pub *p, const int32_t *in)
{
	int64_t y = 0;

	if (!__atomic_load_n(&trained_lin, __ATOMIC_ACQUIRE))
		return -1;
	return mqk_pub_predict(p, in, &y) == MQK_PRED_OK ? y : -1;
}

NOINLINE int64_t seq_mlp(const struct kml_pub *p, const int32_t *in)
{
	int64_t y = 0;

	if (!__atomic_load_n(&trained_mlp, __ATOMIC_ACQUIRE))
		return -1;
	return mqk_pub_predict(p, in, &y) == MQK_PRED_OK ? y : -1;
}

/* before: the linear model on a copy (mqk_shared_weights -> kml_pub_read) */
NOINLINE int64_t copy_lin(const struct kml_pub *p, const int32_t *in)
{
	int32_t w[LIN_NW];
	uint64_t version;

	if (kml_pub_read(p, w, sizeof(w), &version) || !version)
		return -1;
	return mqk_linear_q16(w, in);
}

/* before: the MLP in place under a pin (the size chose the model) */
NOINLINE int64_t pin_mlp(struct kml_pub *p, const int32_t *in)
{
	struct kml_pub_view view;
	int64_t y = -1;

	if (kml_pub_size(p) != MLP_NW * sizeof(int32_t) ||
	    kml_pub_pin(p, &view))
		return -1;
	if (view.version)
		y = mqk_mlp_q16(view.data, in);
	kml_pub_unpin(p, &view);
	return y;
}

static int64_t run(const char *v)
{
	if (!strcmp(v, "alone_lin"))
		return alone_lin(w_lin, x);
	if (!strcmp(v, "seq_lin"))
		return seq_lin(pub_lin, x);
	if (!strcmp(v, "copy_lin"))
		return copy_lin(pub_lin, x);
	if (!strcmp(v, "alone_mlp"))
		return alone_mlp(w_mlp, x);
	if (!strcmp(v, "seq_mlp"))
		return seq_mlp(pub_mlp, x);
	if (!strcmp(v, "pin_mlp"))
		return pin_mlp(pub_mlp, x);
	fprintf(stderr, "unknown variant %s\n", v);
	exit(2);
}

static int setup(void)
{
	uint64_t v = 0;
	int i;

	/* mixed signs: some hidden units active, some cut by the ReLU */
	for (i = 0; i < LIN_NW; i++)
		w_lin[i] = (i % 3 - 1) * 40000 + 1000 * i;
	for (i = 0; i < MLP_NW; i++)
		w_mlp[i] = ((i * 7919) % 131) * 1000 - 60000;
	for (i = 0; i < MQK_NFEAT; i++)
		x[i] = 8192 * (i + 1);
	kml_mem_init(&mem, "bench_mqk_predict", 0);
	if (kml_pub_create_flags(&pub_lin, &mem, sizeof(w_lin), 2, NULL,
				 KML_PUB_COMPACT) ||
	    kml_pub_create_flags(&pub_mlp, &mem, sizeof(w_mlp), 2, NULL,
				 KML_PUB_COMPACT))
		return 1;
	/* version 0 (zeros) predicts nothing */
	if (seq_lin(pub_lin, x) != -1 || seq_mlp(pub_mlp, x) != -1)
		return 1;
	if (kml_pub_publish(pub_lin, w_lin, sizeof(w_lin), &v) || v != 1 ||
	    kml_pub_publish(pub_mlp, w_mlp, sizeof(w_mlp), &v) || v != 1)
		return 1;
	__atomic_store_n(&trained_lin, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&trained_mlp, 1, __ATOMIC_RELEASE);
	/* every reader gives the model's own result */
	return seq_lin(pub_lin, x) != alone_lin(w_lin, x) ||
	       copy_lin(pub_lin, x) != alone_lin(w_lin, x) ||
	       seq_mlp(pub_mlp, x) != alone_mlp(w_mlp, x) ||
	       pin_mlp(pub_mlp, x) != alone_mlp(w_mlp, x);
}

int main(int argc, char **argv)
{
	volatile int64_t sink = 0;
	long i, n;

	if (setup()) {
		fprintf(stderr, "setup failed or readers disagree\n");
		return 1;
	}
	if (argc == 4 && !strcmp(argv[1], "count")) {
		n = atol(argv[3]);
		for (i = 0; i < n; i++)
			sink += run(argv[2]);
		printf("calls %ld\n", n);
	} else {
		printf("linear %lld, MLP %lld (Q16.16): every reader agrees\n",
		       (long long)alone_lin(w_lin, x),
		       (long long)alone_mlp(w_mlp, x));
	}
	kml_pub_destroy(pub_lin);
	kml_pub_destroy(pub_mlp);
	return sink == 12345; /* keeps every result live */
}

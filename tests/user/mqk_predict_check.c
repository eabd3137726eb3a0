// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mqk_predict_check.c - mq-kmlib's in-place prediction
 * (sched/mq-kmlib/mqk_predict.h) on real publications:
 *  - exact Q16.16 results of both models against values computed with
 *    Python's unbounded integers (the same weights and features:
 *    w_lin[i] = (i % 3 - 1) * 40000 + 1000 i, w_mlp[i] = ((7919 i) % 131)
 *    * 1000 - 60000, x[i] = 8192 (i + 1); and those weights negated);
 *  - extreme weights whose sums pass INT64_MAX wrap as two's complement
 *    (Python, the same sums reduced mod 2^64; UBSan, which the test
 *    command runs, rejects a signed overflow);
 *  - a publication of neither model's size, or none, predicts nothing;
 *  - while a writer thread keeps publishing the two weight sets, every
 *    prediction is exactly one of the two golden values (a torn read is
 *    never kept) or MQK_PRED_OVERTAKEN, never anything else.
 */
#include <pthread.h>
#include <stdio.h>
#include "mqk_predict.h"

#define LIN_NW MQK_SHARED_NW
#define MLP_NW MQK_SHARED_MLP_NW
/* python3: see the header comment */
#define GOLD_LIN 54000
#define GOLD_LIN_NEG (-54000)
#define GOLD_MLP (-189923)
#define GOLD_MLP_NEG 12262
/* all W = INT32_MIN, x = INT32_MIN; MLP b1 = w2 = INT32_MAX, b2 = INT32_MIN */
#define GOLD_LIN_WRAP (-2147483648LL)
#define GOLD_MLP_WRAP (-2148532224LL)

static int32_t lin[2][LIN_NW], mlp[2][MLP_NW], x[MQK_NFEAT];
static int failures;
static volatile int stop;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond) && failures++ < 10)                                \
			fprintf(stderr, __VA_ARGS__);                          \
	} while (0)

struct writer {
	struct kml_pub *pub;
	const void *v[2];
	size_t size;
	unsigned long published;
};

static void *write_loop(void *arg)
{
	struct writer *w = arg;

	/* each buffer gets the other set at each refill (publishes alternate
	 * buffers): v0 v0 v1 v1 v0 ... so a torn read mixes the two */
	while (!stop)
		if (kml_pub_publish(w->pub, w->v[(w->published >> 1) & 1],
				    w->size, NULL) == KML_OK)
			w->published++;
	return NULL;
}

static void stress(struct kml_pub *pub, const void *a, const void *b,
		   size_t size, int64_t ga, int64_t gb, const char *what)
{
	struct writer w = { pub, { a, b }, size, 0 };
	unsigned long ok = 0, overtaken = 0, i;
	pthread_t t;
	int64_t y = 0;
	int ret;

	stop = 0;
	if (pthread_create(&t, NULL, write_loop, &w)) {
		CHECK(0, "%s: pthread_create\n", what);
		return;
	}
	for (i = 0; i < 200000; i++) {
		ret = mqk_pub_predict(pub, x, &y);
		if (ret == MQK_PRED_OVERTAKEN) {
			overtaken++;
			continue;
		}
		CHECK(ret == MQK_PRED_OK, "%s: status %d\n", what, ret);
		CHECK(y == ga || y == gb, "%s: %lld is neither version\n", what,
		      (long long)y);
		ok++;
	}
	stop = 1;
	pthread_join(t, NULL);
	printf("%s: %lu predictions, %lu overtaken, %lu publishes\n", what, ok,
	       overtaken, w.published);
	CHECK(ok > 0, "%s: no prediction\n", what);
}

/* Sums past INT64_MAX: defined, and equal to Python's mod 2^64 value. */
static void extreme(void)
{
	int32_t w[MLP_NW], xs[MQK_NFEAT];
	int i;

	for (i = 0; i < MQK_NFEAT; i++)
		xs[i] = INT32_MIN;
	for (i = 0; i < MLP_NW; i++)
		w[i] =
		    i < MQK_NFEAT * MQK_SHARED_HIDDEN ? INT32_MIN : INT32_MAX;
	w[MLP_NW - 1] = INT32_MIN;
	CHECK(mqk_mlp_q16(w, xs) == GOLD_MLP_WRAP, "mlp extreme: %lld\n",
	      (long long)mqk_mlp_q16(w, xs));
	for (i = 0; i < LIN_NW; i++)
		w[i] = INT32_MIN;
	CHECK(mqk_linear_q16(w, xs) == GOLD_LIN_WRAP, "linear extreme: %lld\n",
	      (long long)mqk_linear_q16(w, xs));
}

int main(void)
{
	struct kml_pub *pl, *pm, *odd;
	struct kml_mem mem;
	int64_t y = 0;
	int i;

	for (i = 0; i < LIN_NW; i++) {
		lin[0][i] = (i % 3 - 1) * 40000 + 1000 * i;
		lin[1][i] = -lin[0][i];
	}
	for (i = 0; i < MLP_NW; i++) {
		mlp[0][i] = ((i * 7919) % 131) * 1000 - 60000;
		mlp[1][i] = -mlp[0][i];
	}
	for (i = 0; i < MQK_NFEAT; i++)
		x[i] = 8192 * (i + 1);
	kml_mem_init(&mem, "mqk_predict_check", 0);
	if (kml_pub_create_flags(&pl, &mem, sizeof(lin[0]), 2, lin[0],
				 KML_PUB_COMPACT) ||
	    kml_pub_create_flags(&pm, &mem, sizeof(mlp[0]), 2, mlp[0],
				 KML_PUB_COMPACT) ||
	    kml_pub_create(&odd, &mem, 8 * sizeof(int32_t), 2, NULL)) {
		fprintf(stderr, "kml_pub_create failed\n");
		return 1;
	}
	CHECK(mqk_pub_predict(pl, x, &y) == MQK_PRED_OK && y == GOLD_LIN,
	      "linear: %lld, want %d\n", (long long)y, GOLD_LIN);
	CHECK(mqk_pub_predict(pm, x, &y) == MQK_PRED_OK && y == GOLD_MLP,
	      "mlp: %lld, want %d\n", (long long)y, GOLD_MLP);
	CHECK(kml_pub_publish(pl, lin[1], sizeof(lin[1]), NULL) == KML_OK &&
		  mqk_pub_predict(pl, x, &y) == MQK_PRED_OK &&
		  y == GOLD_LIN_NEG,
	      "linear negated: %lld\n", (long long)y);
	CHECK(kml_pub_publish(pm, mlp[1], sizeof(mlp[1]), NULL) == KML_OK &&
		  mqk_pub_predict(pm, x, &y) == MQK_PRED_OK &&
		  y == GOLD_MLP_NEG,
	      "mlp negated: %lld\n", (long long)y);
	extreme();
	y = 7;
	CHECK(mqk_pub_predict(odd, x, &y) == MQK_PRED_NONE && y == 7,
	      "a 32-byte publication predicted\n");
	CHECK(mqk_pub_predict(NULL, x, &y) == MQK_PRED_NONE && y == 7,
	      "no publication predicted\n");
	stress(pl, lin[0], lin[1], sizeof(lin[0]), GOLD_LIN, GOLD_LIN_NEG,
	       "linear under publishes");
	stress(pm, mlp[0], mlp[1], sizeof(mlp[0]), GOLD_MLP, GOLD_MLP_NEG,
	       "mlp under publishes");
	kml_pub_destroy(pl);
	kml_pub_destroy(pm);
	kml_pub_destroy(odd);
	if (failures)
		fprintf(stderr, "%d failures\n", failures);
	return failures ? 1 : 0;
}

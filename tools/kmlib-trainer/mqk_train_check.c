// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mqk-trainer-check TRACE EXPECTED: kmlib-trainer --format mqk's training
 * (mqk_train.c, the module's mqk_model.c) on the synthetic trace of
 * tools/gen_mqk_trace.py, fed in the module's batches as the channel
 * would deliver them. Asserts: the online accuracy of its integer
 * predictions on the last 1000 samples is within 5 points of numpy's SGD
 * (last_sgd_accuracy) and 15 points above the majority baseline
 * (last_majority); the weights are reproducible; the module's recorded
 * predictions are scored from the flags; bad arguments are refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kmlib/status.h"
#include "mqk_train.h"
#include "trace_read.h"

#define LAST 1000

static int fails;

#define CHECK(c, ...)                                                          \
	do {                                                                   \
		if (!(c)) {                                                    \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);            \
			printf(__VA_ARGS__);                                   \
			printf("\n");                                          \
			fails++;                                               \
		}                                                              \
	} while (0)

static double expected(const char *path, const char *key)
{
	char line[256], k[128];
	double v;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%127s %lf", k, &v) == 2 && !strcmp(k, key)) {
			fclose(f);
			return v;
		}
	}
	fclose(f);
	return -1;
}

/* online: each batch predicted with the weights before it, then trained */
static int run(const struct mqk_trace *tr, int32_t w[MQK_SHARED_NW],
	       double *acc_last)
{
	struct mqk_score last = { 0 };
	struct mqk_trainer *t;
	size_t i, j, n;
	int ret = mqk_trainer_create(&t);

	for (i = 0; !ret && i < tr->n; i += n) {
		n = tr->n - i < MQK_SHARED_BATCH ? tr->n - i : MQK_SHARED_BATCH;
		for (j = i; j < i + n && i >= MQK_SHARED_BATCH; j++) {
			if (j + LAST < tr->n)
				continue;
			last.n++;
			last.misses += tr->s[j].slack_us < 0;
			last.hits += (mqk_predict_q16(mqk_trainer_weights(t),
						      &tr->s[j]) < 0) ==
				     (tr->s[j].slack_us < 0);
		}
		ret = mqk_trainer_step(t, &tr->s[i], n, NULL);
	}
	if (!ret)
		memcpy(w, mqk_trainer_weights(t), MQK_SHARED_NW * sizeof(*w));
	*acc_last = mqk_score_accuracy(&last);
	mqk_trainer_destroy(t);
	return ret;
}

static void recorded(void)
{
	struct mqk_sample s[4];
	struct mqk_score sc = { 0 };

	memset(s, 0, sizeof(s));
	s[0].flags = MQK_SF_PREDICTED | MQK_SF_PRED_MISS;
	s[0].slack_us = -5; /* right */
	s[1].flags = MQK_SF_PREDICTED;
	s[1].slack_us = -5; /* wrong */
	s[2].flags = MQK_SF_PREDICTED;
	s[2].slack_us = 7; /* right */
	s[3].slack_us = -1; /* not predicted: not judged */
	mqk_score_recorded(&sc, s, 4);
	CHECK(sc.n == 3 && sc.hits == 2 && sc.misses == 2,
	      "recorded n %llu hits %llu misses %llu", (unsigned long long)sc.n,
	      (unsigned long long)sc.hits, (unsigned long long)sc.misses);
	CHECK(mqk_score_majority(&sc) > 0.666 &&
		  mqk_score_majority(&sc) < 0.667,
	      "majority %f", mqk_score_majority(&sc));
}

int main(int argc, char **argv)
{
	struct mqk_trace tr = { 0 };
	struct mqk_trace_err err;
	int32_t w1[MQK_SHARED_NW], w2[MQK_SHARED_NW];
	struct mqk_trainer *t;
	struct mqk_sample one = { 0 };
	double acc1, acc2, maj, sgd;
	FILE *f;
	int i;

	if (argc != 3)
		return 2;
	f = fopen(argv[1], "r");
	if (!f || mqk_trace_read(f, &tr, &err)) {
		printf("FAIL cannot read %s\n", argv[1]);
		return 1;
	}
	fclose(f);
	maj = expected(argv[2], "last_majority");
	sgd = expected(argv[2], "last_sgd_accuracy");
	CHECK(maj > 0 && sgd > 0, "no numbers in %s", argv[2]);

	CHECK(run(&tr, w1, &acc1) == KML_OK, "training failed");
	CHECK(run(&tr, w2, &acc2) == KML_OK, "training failed");
	printf("samples %zu  online accuracy (last %d) %.4f  numpy SGD %.4f  "
	       "majority %.4f\nweights (Q16.16):",
	       tr.n, LAST, acc1, sgd, maj);
	for (i = 0; i < MQK_SHARED_NW; i++)
		printf(" %d", w1[i]);
	printf("\n");
	CHECK(acc1 > sgd - 0.05, "accuracy %.4f vs numpy %.4f", acc1, sgd);
	CHECK(acc1 > maj + 0.15, "accuracy %.4f vs majority %.4f", acc1, maj);
	CHECK(!memcmp(w1, w2, sizeof(w1)) && acc1 == acc2, "two runs differ");
	for (i = 0; i < MQK_SHARED_NW; i++)
		CHECK(w1[i] != 0 || i == 0, "weight %d untrained", i);
	recorded();

	CHECK(mqk_trainer_create(NULL) == KML_EINVAL, "create(NULL)");
	CHECK(mqk_trainer_create(&t) == KML_OK, "create");
	CHECK(mqk_trainer_step(t, NULL, 1, NULL) == KML_EINVAL, "NULL samples");
	CHECK(mqk_trainer_step(t, &one, 0, NULL) == KML_EINVAL, "n = 0");
	CHECK(mqk_trainer_step(t, tr.s, MQK_SHARED_BATCH + 1, NULL) ==
		  KML_EINVAL,
	      "n > batch");
	CHECK(mqk_trainer_step(NULL, &one, 1, NULL) == KML_EINVAL, "NULL");
	mqk_trainer_destroy(t);
	mqk_trainer_destroy(NULL);
	mqk_trace_free(&tr);
	printf("%s\n", fails ? "FAILED" : "ok");
	return fails ? 1 : 0;
}

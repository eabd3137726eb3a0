// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mqk_trace_accuracy.c - mqk-trace-eval's protocols on the synthetic trace
 * of tools/gen_mqk_trace.py (slack = a known linear function of the
 * features + noise) against the numbers numpy computed independently
 * (tests/data/mqk_synth.expected): the class counts and baselines exactly,
 * the linear model's accuracy and MAE within small tolerances of numpy's
 * float64 SGD, below the noiseless oracle; the MLP and batched online
 * training well above the baseline.
 *
 * usage: mqk_trace_accuracy TRACE EXPECTED
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "trace_eval.h"
#include "test_util.h"

#define NEAR(a, b, tol)                                                        \
	do {                                                                   \
		double a_ = (a), b_ = (b);                                     \
		if (!(fabs(a_ - b_) <= (tol))) {                               \
			fprintf(stderr, "%s:%d: %s = %.6f, %s = %.6f\n",       \
				__FILE__, __LINE__, #a, a_, #b, b_);           \
			test_failures++;                                       \
		}                                                              \
	} while (0)

#define N_KEYS 15
static const char *const keys[N_KEYS] = {
	"samples",
	"misses",
	"test_misses",
	"last_misses",
	"test_majority",
	"online_majority",
	"last_majority",
	"test_oracle_accuracy",
	"test_lstsq_accuracy",
	"test_lstsq_mae_us",
	"test_sgd_accuracy",
	"test_sgd_mae_us",
	"online_sgd_accuracy",
	"last_sgd_accuracy",
	"last_sgd_mae_us",
};
static double vals[N_KEYS];
static bool have[N_KEYS];

static double ex(const char *key)
{
	int i;

	for (i = 0; i < N_KEYS; i++) {
		if (!strcmp(keys[i], key) && have[i])
			return vals[i];
	}
	fprintf(stderr, "expected value %s missing\n", key);
	test_failures++;
	return NAN;
}

static int read_expected(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256], key[64];
	double v;
	int i;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || sscanf(line, "%63s %lf", key, &v) != 2)
			continue;
		for (i = 0; i < N_KEYS; i++) {
			if (!strcmp(keys[i], key)) {
				vals[i] = v;
				have[i] = true;
			}
		}
	}
	fclose(f);
	return 0;
}

/* What tools/gen_mqk_trace.py simulates: plain SGD, lr 0.01, batch 1. */
static void numpy_cfg(struct mqk_model_cfg *cfg)
{
	mqk_model_defaults(cfg, MQK_MODEL_LINEAR);
	cfg->lr = 0.01;
	cfg->nlms_mu = 0;
	cfg->batch = 1;
	cfg->epochs = 20;
	cfg->zero_init = true;
	cfg->standardise = false;
}

static void paper_linear(const struct mqk_trace *t, const struct mqk_dataset *d)
{
	struct mqk_model_cfg cfg;
	struct mqk_score sc, again;

	numpy_cfg(&cfg);
	CHECK(mqk_eval_paper(t, d, &cfg, 1000, &sc) == 0);
	CHECK(sc.n == (uint64_t)ex("samples") - 1000);
	CHECK(sc.tp + sc.fn == (uint64_t)ex("test_misses"));
	NEAR(mqk_score_majority(&sc), ex("test_majority"), 1e-12);
	/* float32 against float64, both from zero */
	NEAR(mqk_score_accuracy(&sc), ex("test_sgd_accuracy"), 0.005);
	CHECK(mqk_score_accuracy(&sc) <= ex("test_oracle_accuracy") + 0.01);
	CHECK(mqk_score_accuracy(&sc) >= ex("test_lstsq_accuracy") - 0.02);
	NEAR(mqk_score_mae_us(&sc) / ex("test_sgd_mae_us"), 1.0, 0.05);
	CHECK(mqk_score_precision(&sc) > 0.7 && mqk_score_recall(&sc) > 0.7);
	printf("paper linear: accuracy %.4f (numpy SGD %.4f, least squares "
	       "%.4f, oracle %.4f, majority %.4f), MAE %.0f us (numpy %.0f)\n",
	       mqk_score_accuracy(&sc), ex("test_sgd_accuracy"),
	       ex("test_lstsq_accuracy"), ex("test_oracle_accuracy"),
	       mqk_score_majority(&sc), mqk_score_mae_us(&sc),
	       ex("test_sgd_mae_us"));

	/* deterministic: the same run gives the same counts */
	CHECK(mqk_eval_paper(t, d, &cfg, 1000, &again) == 0);
	CHECK(!memcmp(&sc, &again, sizeof(sc)));
	/* too short for the protocol */
	CHECK(mqk_eval_paper(t, d, &cfg, t->n, &sc) == KML_ERANGE);
}

static void online_linear(const struct mqk_trace *t,
			  const struct mqk_dataset *d)
{
	struct mqk_model_cfg cfg;
	struct mqk_score all, last;

	numpy_cfg(&cfg);
	CHECK(mqk_eval_online(t, d, &cfg, 1000, &all, &last) == 0);
	CHECK(all.n == (uint64_t)ex("samples") && last.n == 1000);
	CHECK(all.tp + all.fn == (uint64_t)ex("misses"));
	CHECK(last.tp + last.fn == (uint64_t)ex("last_misses"));
	NEAR(mqk_score_majority(&all), ex("online_majority"), 1e-12);
	NEAR(mqk_score_majority(&last), ex("last_majority"), 1e-12);
	NEAR(mqk_score_accuracy(&all), ex("online_sgd_accuracy"), 0.005);
	NEAR(mqk_score_accuracy(&last), ex("last_sgd_accuracy"), 0.005);
	NEAR(mqk_score_mae_us(&last) / ex("last_sgd_mae_us"), 1.0, 0.05);
	printf("online linear: accuracy %.4f (numpy %.4f), last 1000 %.4f "
	       "(numpy %.4f, majority %.4f)\n",
	       mqk_score_accuracy(&all), ex("online_sgd_accuracy"),
	       mqk_score_accuracy(&last), ex("last_sgd_accuracy"),
	       mqk_score_majority(&last));
}

static void others(const struct mqk_trace *t, const struct mqk_dataset *d)
{
	struct mqk_model_cfg cfg;
	struct mqk_score sc, last;

	/* the MLP can fit a linear function too */
	mqk_model_defaults(&cfg, MQK_MODEL_MLP);
	cfg.epochs = 10;
	CHECK(mqk_eval_paper(t, d, &cfg, 1000, &sc) == 0);
	CHECK(mqk_score_accuracy(&sc) >= ex("test_lstsq_accuracy") - 0.03);
	CHECK(mqk_score_accuracy(&sc) <= ex("test_oracle_accuracy") + 0.01);
	printf("paper mlp: accuracy %.4f\n", mqk_score_accuracy(&sc));

	/* the module's settings (normalised LMS, batches of 8, from 0) */
	mqk_model_defaults(&cfg, MQK_MODEL_LINEAR);
	CHECK(mqk_eval_online(t, d, &cfg, 1000, &sc, &last) == 0);
	CHECK(sc.n == (uint64_t)ex("samples") && last.n == 1000);
	CHECK(mqk_score_accuracy(&last) >= ex("last_majority") + 0.2);
	CHECK(mqk_score_accuracy(&last) <= ex("test_oracle_accuracy") + 0.03);
	printf("online linear, module settings: last 1000 %.4f\n",
	       mqk_score_accuracy(&last));
	CHECK(mqk_eval_paper(t, d, &cfg, 1000, &sc) == 0);
	CHECK(mqk_score_accuracy(&sc) >= ex("test_lstsq_accuracy") - 0.03);
	printf("paper linear, module settings: %.4f\n",
	       mqk_score_accuracy(&sc));

	/* bad configurations are refused, not run */
	cfg.batch = 0;
	CHECK(mqk_eval_online(t, d, &cfg, 1000, &sc, &last) == KML_EINVAL);
	mqk_model_defaults(&cfg, MQK_MODEL_LINEAR);
	cfg.lr = -1;
	CHECK(mqk_eval_paper(t, d, &cfg, 1000, &sc) == KML_EINVAL);
}

int main(int argc, char **argv)
{
	struct mqk_trace_err err;
	struct mqk_dataset d;
	struct mqk_trace t;
	FILE *f;

	if (argc != 3 || read_expected(argv[2])) {
		fprintf(stderr, "usage: mqk_trace_accuracy TRACE EXPECTED\n");
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f || mqk_trace_read(f, &t, &err)) {
		fprintf(stderr, "%s:%lu: %s\n", argv[1], f ? err.line : 0,
			f ? err.msg : "cannot open");
		return 2;
	}
	fclose(f);
	CHECK(t.n == (size_t)ex("samples"));
	CHECK(mqk_dataset_make(&d, &t) == 0);
	paper_linear(&t, &d);
	online_linear(&t, &d);
	others(&t, &d);
	mqk_dataset_free(&d);
	mqk_trace_free(&t);
	if (test_failures)
		fprintf(stderr, "%d failures\n", test_failures);
	return test_exit_status();
}

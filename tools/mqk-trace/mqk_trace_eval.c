// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mqk-trace-eval - train and evaluate mq-kmlib's deadline-miss model on a
 * trace read from the module's debugfs file (or a file saved from it):
 *
 *   mqk-trace-eval [--model linear|mlp] [--protocol paper|online|both]
 *                  [--optim sgd|adam] [--lr R] [--momentum M]
 *                  [--nlms MU] [--init zero|random] [--standardise on|off]
 *                  [--hidden H]
 *                  [--batch B] [--epochs E] [--seed S] [--train N]
 *                  [--last N] FILE
 *
 * FILE "-" is standard input. Exit 0 on success, 1 on a malformed trace
 * (with its line number), 2 on bad usage or a trace too short for the
 * paper protocol.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kmlib/status.h"
#include "trace_eval.h"

enum { PROTO_PAPER = 1, PROTO_ONLINE = 2 };

struct opts {
	struct mqk_model_cfg cfg;
	int protocols;
	size_t n_train, last_n;
	const char *path;
};

static void usage(void)
{
	fprintf(stderr,
		"usage: mqk-trace-eval [--model linear|mlp] "
		"[--protocol paper|online|both]\n"
		"       [--optim sgd|adam] [--lr R] [--momentum M] "
		"[--nlms MU] [--init zero|random]\n"
		"       [--standardise on|off] [--hidden H] [--batch B] "
		"[--epochs E]\n"
		"       [--seed S] [--train N] [--last N] FILE\n");
}

static bool parse_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static bool parse_real(const char *s, double *out)
{
	char *end;
	double v;

	if (!s)
		return false;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || end == s || !(v >= 0) || v > 1e3)
		return false;
	*out = v;
	return true;
}

/* Options are applied over the model's defaults, so --model comes first. */
static int parse_args(int argc, char **argv, struct opts *o)
{
	int kind = MQK_MODEL_LINEAR, i;
	uint64_t v;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--model") && !strcmp(argv[i + 1], "mlp"))
			kind = MQK_MODEL_MLP;
	}
	mqk_model_defaults(&o->cfg, kind);
	o->protocols = PROTO_PAPER | PROTO_ONLINE;
	o->n_train = 1000;
	o->last_n = 1000;
	o->path = NULL;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i],
			   *val = i + 1 < argc ? argv[i + 1] : NULL;
		bool ok = true;

		if (a[0] != '-' || !strcmp(a, "-")) {
			if (o->path)
				return -1;
			o->path = a;
			continue;
		}
		i++;
		if (!strcmp(a, "--model")) {
			ok = val &&
			     (!strcmp(val, "linear") || !strcmp(val, "mlp"));
		} else if (!strcmp(a, "--protocol")) {
			ok = val != NULL;
			if (ok && !strcmp(val, "paper"))
				o->protocols = PROTO_PAPER;
			else if (ok && !strcmp(val, "online"))
				o->protocols = PROTO_ONLINE;
			else if (ok && !strcmp(val, "both"))
				o->protocols = PROTO_PAPER | PROTO_ONLINE;
			else
				ok = false;
		} else if (!strcmp(a, "--optim")) {
			ok = val != NULL;
			if (ok && !strcmp(val, "sgd"))
				o->cfg.optim = KML_OPTIM_SGD;
			else if (ok && !strcmp(val, "adam"))
				o->cfg.optim = KML_OPTIM_ADAM;
			else
				ok = false;
		} else if (!strcmp(a, "--lr")) {
			ok = parse_real(val, &o->cfg.lr) && o->cfg.lr > 0;
		} else if (!strcmp(a, "--momentum")) {
			ok = parse_real(val, &o->cfg.momentum) &&
			     o->cfg.momentum < 1;
		} else if (!strcmp(a, "--nlms")) {
			double mu;

			ok = parse_real(val, &mu) && mu < 1;
			o->cfg.nlms_mu = (float)mu;
		} else if (!strcmp(a, "--init")) {
			ok = val &&
			     (!strcmp(val, "zero") || !strcmp(val, "random"));
			o->cfg.zero_init = ok && !strcmp(val, "zero");
		} else if (!strcmp(a, "--standardise")) {
			ok = val && (!strcmp(val, "on") || !strcmp(val, "off"));
			o->cfg.standardise = ok && !strcmp(val, "on");
		} else if (!strcmp(a, "--hidden")) {
			ok = parse_u64(val, 1, 4096, &v);
			o->cfg.hidden = (uint32_t)v;
		} else if (!strcmp(a, "--batch")) {
			ok = parse_u64(val, 1, 4096, &v);
			o->cfg.batch = (uint32_t)v;
		} else if (!strcmp(a, "--epochs")) {
			ok = parse_u64(val, 1, 100000, &v);
			o->cfg.epochs = (uint32_t)v;
		} else if (!strcmp(a, "--seed")) {
			ok = parse_u64(val, 0, UINT64_MAX, &v);
			o->cfg.seed = v;
		} else if (!strcmp(a, "--train")) {
			ok = parse_u64(val, 1, MQK_TRACE_MAX_SAMPLES, &v);
			o->n_train = (size_t)v;
		} else if (!strcmp(a, "--last")) {
			ok = parse_u64(val, 1, MQK_TRACE_MAX_SAMPLES, &v);
			o->last_n = (size_t)v;
		} else {
			ok = false;
		}
		if (!ok) {
			fprintf(stderr, "mqk-trace-eval: bad option %s %s\n", a,
				val ? val : "");
			return -1;
		}
	}
	return o->path ? 0 : -1;
}

static void print_pct(const char *label, double v)
{
	if (v < 0)
		printf("  %-22s n/a\n", label);
	else
		printf("  %-22s %.2f%%\n", label, 100.0 * v);
}

static void print_score(const char *what, const struct mqk_score *sc,
			bool with_mae)
{
	printf("%s: %llu samples, %llu misses\n", what,
	       (unsigned long long)sc->n,
	       (unsigned long long)(sc->tp + sc->fn));
	print_pct("accuracy", mqk_score_accuracy(sc));
	print_pct("majority baseline", mqk_score_majority(sc));
	print_pct("precision(miss)", mqk_score_precision(sc));
	print_pct("recall(miss)", mqk_score_recall(sc));
	if (with_mae)
		printf("  %-22s %.1f\n", "MAE of slack (us)",
		       mqk_score_mae_us(sc));
}

static void print_cfg(const struct opts *o)
{
	const struct mqk_model_cfg *c = &o->cfg;

	printf("model: %s", c->kind == MQK_MODEL_MLP ? "mlp" : "linear");
	if (c->kind == MQK_MODEL_MLP)
		printf(" (hidden %u, relu)", c->hidden);
	printf(", %s lr %g", c->optim == KML_OPTIM_ADAM ? "adam" : "sgd",
	       c->lr);
	if (c->nlms_mu > 0)
		printf(" (normalised LMS: mu %g / (1 + mean |input|^2))",
		       (double)c->nlms_mu);
	if (c->optim == KML_OPTIM_SGD && c->momentum > 0)
		printf(" momentum %g", c->momentum);
	printf(", batch %u, %s", c->batch,
	       c->standardise ? "standardised features, " : "");
	if (c->zero_init)
		printf("zero init\n");
	else
		printf("random init seed %llu\n", (unsigned long long)c->seed);
}

static int run(const struct opts *o, const struct mqk_trace *t)
{
	struct mqk_dataset d;
	struct mqk_score a, b;
	char what[96];
	int ret;

	ret = mqk_dataset_make(&d, t);
	if (ret)
		return ret;
	print_cfg(o);
	if (o->protocols & PROTO_PAPER) {
		ret = mqk_eval_paper(t, &d, &o->cfg, o->n_train, &a);
		if (ret == KML_ERANGE)
			fprintf(stderr,
				"mqk-trace-eval: the paper protocol needs more "
				"than %zu samples, the trace has %zu\n",
				o->n_train, t->n);
		if (ret)
			goto out;
		snprintf(what, sizeof(what),
			 "paper protocol (train on the first %zu, %u epochs; "
			 "test on the rest)",
			 o->n_train, o->cfg.epochs);
		print_score(what, &a, true);
	}
	if (o->protocols & PROTO_ONLINE) {
		ret = mqk_eval_online(t, &d, &o->cfg, o->last_n, &a, &b);
		if (ret)
			goto out;
		print_score("online (predict, then train; whole trace)", &a,
			    true);
		snprintf(what, sizeof(what), "online, last %zu", o->last_n);
		print_score(what, &b, true);
	}
	if (t->has_predicted) {
		mqk_eval_recorded(t, &a);
		print_score(t->has_flags
				? "recorded by the module (flag predicted)"
				: "recorded by the module (predicted_us != 0)",
			    &a, true);
	}
out:
	mqk_dataset_free(&d);
	return ret;
}

int main(int argc, char **argv)
{
	struct mqk_trace_err err;
	struct mqk_trace t;
	struct opts o;
	FILE *f;
	int ret;

	if (parse_args(argc, argv, &o)) {
		usage();
		return 2;
	}
	f = strcmp(o.path, "-") ? fopen(o.path, "r") : stdin;
	if (!f) {
		fprintf(stderr, "mqk-trace-eval: %s: %s\n", o.path,
			strerror(errno));
		return 2;
	}
	ret = mqk_trace_read(f, &t, &err);
	if (f != stdin)
		fclose(f);
	if (ret) {
		if (err.line)
			fprintf(stderr, "%s:%lu: %s\n", o.path, err.line,
				err.msg);
		else
			fprintf(stderr, "%s: %s\n", o.path, err.msg);
		return 1;
	}
	printf("trace: %zu samples\n", t.n);
	ret = run(&o, &t);
	mqk_trace_free(&t);
	if (ret) {
		if (ret != KML_ERANGE)
			fprintf(stderr, "mqk-trace-eval: %s\n",
				kml_status_name(ret));
		return 2;
	}
	return 0;
}

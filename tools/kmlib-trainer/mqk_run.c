// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * kmlib-trainer --format mqk: read struct mqk_sample records from an
 * mq-kmlib channel in the module's batches, train the module's model
 * (mqk_train.c), publish its int32 Q16.16 weights every interval with
 * increasing versions (a restarted trainer continues after the kernel's
 * version, from a fresh model: the published weights have the feature
 * standardisation folded in and cannot be unfolded).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "kmlib/status.h"
#include "mqk_run.h"
#include "mqk_train.h"

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint32_t ppm(double v)
{
	return (uint32_t)(v * 1e6 + 0.5);
}

struct mqk_prog {
	uint64_t samples, steps, version;
	double loss;
	struct mqk_score kernel;
};

static void show(const struct mqk_prog *p, const struct mqk_trainer *t,
		 const struct kml_shm_stats *st, bool final)
{
	const struct mqk_score *own = mqk_trainer_score(t);

	if (final) {
		printf(
		    "mqk: samples %llu steps %llu version %llu own_acc_ppm %u "
		    "kernel_predicted %llu kernel_acc_ppm %u "
		    "kernel_majority_ppm %u dropped %llu\n",
		    (unsigned long long)p->samples,
		    (unsigned long long)p->steps,
		    (unsigned long long)p->version,
		    ppm(mqk_score_accuracy(own)),
		    (unsigned long long)p->kernel.n,
		    ppm(mqk_score_accuracy(&p->kernel)),
		    ppm(mqk_score_majority(&p->kernel)),
		    (unsigned long long)st->dropped);
	} else {
		printf(
		    "\rsamples %llu  loss %.4f  acc %.1f%%  kernel acc %.1f%% "
		    "(majority %.1f%%)  version %llu  dropped %llu  ",
		    (unsigned long long)p->samples, p->loss,
		    100 * mqk_score_accuracy(own),
		    100 * mqk_score_accuracy(&p->kernel),
		    100 * mqk_score_majority(&p->kernel),
		    (unsigned long long)p->version,
		    (unsigned long long)st->dropped);
	}
	fflush(stdout);
}

static int publish(struct kml_shu *s, const struct mqk_trainer *t,
		   struct mqk_prog *p, bool invert)
{
	const int32_t *w = mqk_trainer_weights(t);
	int32_t neg[MQK_SHARED_NW];
	int ret, i;

	if (invert) {
		for (i = 0; i < MQK_SHARED_NW; i++)
			neg[i] = w[i] == INT32_MIN ? INT32_MAX : -w[i];
		w = neg;
	}
	ret = kml_shu_publish(s, w, MQK_SHARED_NW * sizeof(int32_t),
			      p->version + 1);

	if (ret) {
		fprintf(stderr, "kmlib-trainer: publish: %s\n",
			kml_status_name(ret));
		return ret;
	}
	p->version++;
	return KML_OK;
}

static int check_channel(struct kml_shu *s, const char *name)
{
	const struct kml_shm_attach *in = kml_shu_info(s);

	if (in->record_size == sizeof(struct mqk_sample) &&
	    in->dtype == KML_SHM_I32 &&
	    in->param_bytes == MQK_SHARED_NW * sizeof(int32_t) &&
	    in->meta[MQK_SHARED_META_FEATURES] == MQK_NFEAT &&
	    in->meta[MQK_SHARED_META_FORMAT] == MQK_SHARED_FORMAT)
		return KML_OK;
	fprintf(stderr, "kmlib-trainer: channel %s is not an mq-kmlib one\n",
		name);
	return KML_EINVAL;
}

int mqk_run(struct kml_shu *s, const struct mqk_run_opts *o,
	    volatile sig_atomic_t *stop)
{
	struct mqk_sample batch[MQK_SHARED_BATCH];
	struct kml_shm_stats st = { 0 };
	struct mqk_prog p = { 0 };
	struct mqk_trainer *t;
	bool tty = !o->quiet && (o->progress || isatty(STDOUT_FILENO));
	bool gone = false;
	uint64_t t_pub, t_show, t_end;
	size_t have = 0, n;
	int ret = check_channel(s, o->chan);

	if (ret)
		return ret;
	ret = mqk_trainer_create(&t);
	if (ret)
		return ret;
	/* versions must grow: continue after the kernel's */
	{
		int32_t cur[MQK_SHARED_NW];

		ret = kml_shu_params(s, cur, sizeof(cur), &p.version);
		if (ret)
			goto out;
	}
	t_pub = mono_ns() + o->interval_ms * 1000000ull;
	t_show = mono_ns();
	t_end = o->duration_s ? mono_ns() + o->duration_s * 1000000000ull : 0;
	while (!*stop && (!t_end || mono_ns() < t_end)) {
		ret =
		    kml_shu_read(s, &batch[have], MQK_SHARED_BATCH - have, &n);
		if (ret == KML_EAGAIN) {
			ret = kml_shu_wait(s, 20000000ull);
			if (ret == KML_ENOENT) {
				fprintf(stderr,
					"kmlib-trainer: channel destroyed\n");
				gone = true;
				ret = KML_OK;
				break;
			}
			/* -EINTR: a signal (SIGTERM ends the loop) */
			if (ret && ret != KML_ETIMEDOUT && ret != KML_EAGAIN &&
			    ret != -EINTR)
				goto out;
		} else if (ret) {
			goto out;
		} else {
			have += n;
		}
		ret = KML_OK;
		if (have == MQK_SHARED_BATCH) {
			double loss;

			mqk_score_recorded(&p.kernel, batch, have);
			ret = mqk_trainer_step(t, batch, have, &loss);
			if (ret)
				goto out;
			p.samples += have;
			p.loss = p.steps++ ? 0.9 * p.loss + 0.1 * loss : loss;
			have = 0;
		}
		if (mono_ns() >= t_pub && p.steps) {
			publish(s, t, &p, o->invert); /* a rejection is counted
					      by the kernel; keep training */
			t_pub = mono_ns() + o->interval_ms * 1000000ull;
		}
		if (tty && mono_ns() >= t_show) {
			kml_shu_stats(s, &st);
			show(&p, t, &st, false);
			t_show = mono_ns() + 250000000ull;
		}
	}
	if (p.steps && !gone)
		publish(s, t, &p, o->invert);
	kml_shu_stats(s, &st);
	if (tty)
		printf("\n");
	if (!o->quiet)
		show(&p, t, &st, true);
out:
	mqk_trainer_destroy(t);
	return ret;
}

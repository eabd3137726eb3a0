// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * kmlib-trainer - the shared-mode daemon (docs/shared-mode.md): attach to
 * a channel of /dev/kmlib, train a linear model with libkmlib on the
 * float32 records the kernel client pushes, and publish the parameters
 * every --interval-ms. The channel's meta words describe the records:
 * meta[0] features, meta[1] targets (float32 each). On a terminal a
 * progress line shows samples, loss and accuracy; at exit (SIGINT,
 * SIGTERM, --duration-s) it publishes once more and prints a summary.
 * A restarted trainer resumes from the parameters the kernel uses.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "kmlib/shared_user.h"
#include "kmlib/status.h"
#include "linreg.h"
#include "mqk_run.h"

struct opts {
	const char *dev;
	const char *chan;
	uint32_t interval_ms;
	uint32_t duration_s;
	uint32_t batch;
	double lr;
	double tol;
	bool quiet;
	bool progress; /* the progress line even when not on a terminal */
	bool mqk; /* --format mqk: mq-kmlib samples (mqk_run.c) */
	bool invert; /* --invert (mqk, tests): publish negated weights */
};

struct progress {
	uint64_t samples, batches, hits, judged, version, published;
	double loss; /* moving average of the batch loss */
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void usage(const char *argv0)
{
	fprintf(stderr,
		"usage: %s --channel NAME [--device PATH] [--interval-ms N]\n"
		"          [--duration-s S] [--batch B] [--lr R] [--tol T] "
		"[--quiet] [--progress]\n"
		"          [--format f32|mqk] [--invert (mqk, tests)]\n",
		argv0);
}

static int parse(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{ "channel", required_argument, NULL, 'c' },
		{ "device", required_argument, NULL, 'd' },
		{ "interval-ms", required_argument, NULL, 'i' },
		{ "duration-s", required_argument, NULL, 't' },
		{ "batch", required_argument, NULL, 'b' },
		{ "lr", required_argument, NULL, 'l' },
		{ "tol", required_argument, NULL, 'e' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "progress", no_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ "invert", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct opts){ .dev = KML_SHM_DEVICE,
			    .interval_ms = 100,
			    .batch = 32,
			    .lr = 0.1,
			    .tol = 0.1 };
	while ((c = getopt_long(argc, argv, "c:d:i:t:b:l:e:qpf:n", lo, NULL)) !=
	       -1) {
		switch (c) {
		case 'c':
			o->chan = optarg;
			break;
		case 'd':
			o->dev = optarg;
			break;
		case 'i':
			o->interval_ms = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 't':
			o->duration_s = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'b':
			o->batch = (uint32_t)strtoul(optarg, NULL, 0);
			break;
		case 'l':
			o->lr = strtod(optarg, NULL);
			break;
		case 'e':
			o->tol = strtod(optarg, NULL);
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'p':
			o->progress = true;
			break;
		case 'n':
			o->invert = true;
			break;
		case 'f':
			if (!strcmp(optarg, "mqk"))
				o->mqk = true;
			else if (strcmp(optarg, "f32"))
				return -1;
			break;
		default:
			return -1;
		}
	}
	if (o->invert && !o->mqk)
		return -1;
	if (!o->chan || !o->batch || o->batch > 4096 || !o->interval_ms ||
	    !(o->lr > 0) || !(o->tol > 0))
		return -1;
	return 0;
}

static void show(const struct progress *p, const struct kml_shm_stats *st,
		 bool final)
{
	double acc =
	    p->judged ? 100.0 * (double)p->hits / (double)p->judged : 0;

	printf("%ssamples %llu  loss %.6f  acc %.1f%%  version %llu  dropped "
	       "%llu%s",
	       final ? "" : "\r", (unsigned long long)p->samples, p->loss, acc,
	       (unsigned long long)p->version,
	       (unsigned long long)(st ? st->dropped : 0), final ? "\n" : "  ");
	fflush(stdout);
}

/*
 * Write the parameters into the mapped parameter area and publish from
 * it (no copy through a buffer of ours); through @buf and the pointer
 * ioctl if the area cannot be mapped (a kernel without it: EINVAL).
 */
static int publish(struct kml_shu *s, struct linreg *m, void *buf, size_t bytes,
		   struct progress *p)
{
	size_t alen;
	void *area;
	int ret;

	if (!kml_shu_param_area(s, &area, &alen) && alen == bytes) {
		ret = linreg_get(m, area, bytes);
		if (!ret)
			ret = kml_shu_publish_area(s, p->version + 1);
	} else {
		ret = linreg_get(m, buf, bytes);
		if (!ret)
			ret = kml_shu_publish(s, buf, bytes, p->version + 1);
	}
	if (ret) {
		fprintf(stderr, "kmlib-trainer: publish: %s\n",
			kml_status_name(ret));
		return ret;
	}
	p->version++;
	p->published++;
	return KML_OK;
}

static int run(struct kml_shu *s, const struct opts *o)
{
	const struct kml_shm_attach *in = kml_shu_info(s);
	uint32_t n_in = in->meta[0], n_out = in->meta[1];
	uint64_t t_end, t_pub, t_show;
	struct progress p = { 0 };
	struct kml_shm_stats st = { 0 };
	bool tty = !o->quiet && (o->progress || isatty(STDOUT_FILENO));
	bool gone = false;
	struct linreg *m;
	size_t have = 0, n, bytes;
	float *recs;
	void *pbuf;
	int ret;

	if (in->dtype != KML_SHM_F32 || !n_in || !n_out ||
	    in->record_size != (n_in + n_out) * sizeof(float)) {
		fprintf(stderr,
			"kmlib-trainer: channel %s is not float32 regression "
			"records\n",
			o->chan);
		return KML_EINVAL;
	}
	ret = linreg_create(&m, n_in, n_out, o->batch, o->lr, 1);
	if (ret)
		return ret;
	bytes = linreg_params_bytes(m);
	recs = calloc(o->batch, in->record_size);
	pbuf = calloc(1, bytes);
	if (!recs || !pbuf || bytes != in->param_bytes) {
		ret = recs && pbuf ? KML_EDOM : KML_ENOMEM;
		goto out;
	}
	/* resume from what the kernel uses (a trainer may have died) */
	ret = kml_shu_params(s, pbuf, bytes, &p.version);
	if (!ret && p.version)
		ret = linreg_set(m, pbuf, bytes);
	if (ret)
		goto out;

	t_pub = now_ns() + o->interval_ms * 1000000ull;
	t_show = now_ns();
	t_end = o->duration_s ? now_ns() + o->duration_s * 1000000000ull : 0;
	while (!stop && (!t_end || now_ns() < t_end)) {
		double loss;
		uint32_t hits;

		ret = kml_shu_read(s, (uint8_t *)recs + have * in->record_size,
				   o->batch - have, &n);
		if (ret == KML_EAGAIN) {
			ret = kml_shu_wait(s, 20000000ull);
			if (ret == KML_ENOENT) {
				/* the kernel client went away: a clean end */
				fprintf(stderr,
					"kmlib-trainer: channel destroyed\n");
				gone = true;
				ret = KML_OK;
				break;
			}
		} else if (!ret) {
			have += n;
		}
		if (ret && ret != KML_ETIMEDOUT && ret != KML_EAGAIN &&
		    ret != KML_ENOENT)
			goto out;
		ret = KML_OK;
		if (have == o->batch) {
			ret = linreg_step(m, recs, o->tol, &loss, &hits);
			if (ret)
				goto out;
			have = 0;
			p.samples += o->batch;
			p.loss = p.batches++ ? 0.9 * p.loss + 0.1 * loss : loss;
			p.hits = p.hits * 7 / 8 + hits;
			p.judged = p.judged * 7 / 8 + o->batch * n_out;
		}
		if (now_ns() >= t_pub && p.batches) {
			if (publish(s, m, pbuf, bytes, &p))
				ret = KML_OK; /* keep training; counted by the
						 kernel */
			t_pub = now_ns() + o->interval_ms * 1000000ull;
		}
		if (tty && now_ns() >= t_show) {
			kml_shu_stats(s, &st);
			show(&p, &st, false);
			t_show = now_ns() + 250000000ull;
		}
	}
	if (p.batches && !gone)
		publish(s, m, pbuf, bytes, &p);
	kml_shu_stats(s, &st);
	if (tty)
		printf("\n");
	if (!o->quiet)
		show(&p, &st, true);
out:
	free(pbuf);
	free(recs);
	linreg_destroy(m);
	return ret;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct kml_shu *s;
	struct opts o;
	int ret;

	if (parse(argc, argv, &o)) {
		usage(argv[0]);
		return 2;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ret = kml_shu_open(&s, o.dev, o.chan);
	if (ret) {
		fprintf(stderr, "kmlib-trainer: %s channel %s: %s\n", o.dev,
			o.chan, strerror(-ret));
		return 1;
	}
	if (o.mqk) {
		struct mqk_run_opts mo = { .chan = o.chan,
					   .interval_ms = o.interval_ms,
					   .duration_s = o.duration_s,
					   .quiet = o.quiet,
					   .progress = o.progress,
					   .invert = o.invert };

		ret = mqk_run(s, &mo, &stop);
	} else {
		ret = run(s, &o);
	}
	kml_shu_close(s);
	if (ret) {
		fprintf(stderr, "kmlib-trainer: %s\n", kml_status_name(ret));
		return 1;
	}
	return 0;
}

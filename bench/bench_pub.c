// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * bench_pub.c - what reading a published snapshot adds to an inference:
 * a linear model (8 features + bias, 36 bytes: mq-kmlib's) run on the
 * parameters directly (the reference, "model alone") against the same
 * model run through each reader of include/kmlib/publish.h: in place with
 * kml_pub_begin/kml_pub_retry, on a copy from kml_pub_read, and in place
 * under kml_pub_pin/kml_pub_unpin. Each variant is one function;
 * bench_pub_callgrind.sh counts its instructions (callgrind Ir, callees
 * included) and subtracts the reference's. The model is inlined into each
 * variant ("inline") or called as a function ("call").
 *
 * bench_pub                  ns per inference, one thread, no writer
 * bench_pub count VARIANT N  run VARIANT N times (for callgrind)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kmlib/publish.h>

#define NOINLINE __attribute__((noinline))
#define N_IN 8
#define BYTES ((N_IN + 1) * sizeof(float))

static struct kml_mem mem;
static struct kml_pub *pub;
static float params[N_IN + 1];
static float x[N_IN];

static inline float linear(const float *w, const float *in)
{
	float y = w[N_IN];
	int i;

	for (i = 0; i < N_IN; i++)
		y += w[i] * in[i];
	return y;
}

/* noipa: the caller must assume a real call (a model in another file) */
#ifdef __clang__
#define NOIPA __attribute__((noinline))
#else
#define NOIPA __attribute__((noipa))
#endif
NOIPA float linear_fn(const float *w, const float *in)
{
	return linear(w, in);
}

/* ---- model inlined ---- */
NOINLINE float alone_inline(const float *w, const float *in)
{
	return linear(w, in);
}

NOINLINE float seq_inline(const struct kml_pub *p, const float *in)
{
	struct kml_pub_seq s;
	float y;

	do {
		if (kml_pub_begin(p, &s))
			return 0;
		y = linear(s.data, in);
	} while (kml_pub_retry(&s));
	return y;
}

NOINLINE float copy_inline(const struct kml_pub *p, const float *in)
{
	float w[N_IN + 1];

	if (kml_pub_read(p, w, sizeof(w), NULL))
		return 0;
	return linear(w, in);
}

NOINLINE float pin_inline(struct kml_pub *p, const float *in)
{
	struct kml_pub_view v;
	float y;

	if (kml_pub_pin(p, &v))
		return 0;
	y = linear(v.data, in);
	kml_pub_unpin(p, &v);
	return y;
}

/* ---- model called ---- */
NOINLINE float alone_call(const float *w, const float *in)
{
	return linear_fn(w, in);
}

NOINLINE float seq_call(const struct kml_pub *p, const float *in)
{
	struct kml_pub_seq s;
	float y;

	do {
		if (kml_pub_begin(p, &s))
			return 0;
		y = linear_fn(s.data, in);
	} while (kml_pub_retry(&s));
	return y;
}

static float run(const char *v)
{
	if (!strcmp(v, "alone_inline"))
		return alone_inline(params, x);
	if (!strcmp(v, "seq_inline"))
		return seq_inline(pub, x);
	if (!strcmp(v, "copy_inline"))
		return copy_inline(pub, x);
	if (!strcmp(v, "pin_inline"))
		return pin_inline(pub, x);
	if (!strcmp(v, "alone_call"))
		return alone_call(params, x);
	if (!strcmp(v, "seq_call"))
		return seq_call(pub, x);
	fprintf(stderr, "unknown variant %s\n", v);
	exit(2);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* ns per call of one variant, the minimum of 5 rounds */
#define TIME(expr)                                                             \
	({                                                                     \
		double best_ = 1e30;                                           \
		int r_;                                                        \
		for (r_ = 0; r_ < 5; r_++) {                                   \
			uint64_t t_ = now_ns();                                \
			long i_;                                               \
			for (i_ = 0; i_ < n; i_++)                             \
				sink += (expr);                                \
			t_ = now_ns() - t_;                                    \
			if (t_ / (double)n < best_)                            \
				best_ = t_ / (double)n;                        \
		}                                                              \
		best_;                                                         \
	})

int main(int argc, char **argv)
{
	volatile float sink = 0;
	long n = 2000000;
	int i;

	for (i = 0; i < N_IN; i++) {
		params[i] = 0.25f * (float)(i + 1);
		x[i] = 1.0f - 0.125f * (float)i;
	}
	params[N_IN] = 0.5f;
	kml_mem_init(&mem, "bench_pub", 0);
	if (kml_pub_create(&pub, &mem, BYTES, 2, params)) {
		fprintf(stderr, "kml_pub_create failed\n");
		return 1;
	}
	/* every reader must give the reference's result */
	if (seq_inline(pub, x) != alone_inline(params, x) ||
	    copy_inline(pub, x) != alone_inline(params, x) ||
	    pin_inline(pub, x) != alone_inline(params, x) ||
	    seq_call(pub, x) != alone_call(params, x)) {
		fprintf(stderr, "readers disagree with the model\n");
		return 1;
	}
	if (argc == 4 && !strcmp(argv[1], "count")) {
		n = atol(argv[3]);
		for (i = 0; i < n; i++)
			sink += run(argv[2]);
		printf("calls %ld\n", n);
	} else {
		double a = TIME(alone_inline(params, x));
		double s = TIME(seq_inline(pub, x));
		double c = TIME(copy_inline(pub, x));
		double p = TIME(pin_inline(pub, x));

		printf("ns per inference (model inlined): alone %.2f, "
		       "begin/retry %.2f, copy %.2f, pin %.2f\n",
		       a, s, c, p);
	}
	kml_pub_destroy(pub);
	return sink == 12345.0f; /* keeps every result live */
}

/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * mqk_predict.h - mq-kmlib's integer models and the in-place read of
 * their published Q16.16 weights (target-neutral: kmlib headers only, no
 * FPU, so bench/bench_mqk_predict.c runs the very code of the hot path).
 *
 * The read is kml_pub_begin / model / kml_pub_retry: no copy, no atomic
 * read-modify-write, no store to the publication's lines. A bounded
 * number of attempts keeps the insert hook's cost bounded while the
 * trainer publishes; after MQK_PRED_TRIES overtaken runs the request
 * simply gets no prediction (the caller counts it).
 */
#ifndef MQK_PREDICT_H
#define MQK_PREDICT_H

#include "kmlib/publish.h"

#include "mqk_shared_abi.h"

/* runs of the model before "no prediction this time" */
#define MQK_PRED_TRIES 3

enum mqk_pred_status {
	MQK_PRED_OK = 0,
	MQK_PRED_NONE = 1, /* no publication of a model's size */
	MQK_PRED_OVERTAKEN = 2, /* every attempt saw a refill */
};

/*
 * The models are pure arithmetic on the words they are given (no index,
 * bound or pointer comes from @w), as kml_pub_begin requires: a torn mix
 * of two versions is just another set of int32 weights, whose result
 * kml_pub_retry then rejects.
 */

/*
 * Sums of int32 x int32 products can pass INT64_MAX with extreme (or torn)
 * weights: they wrap in unsigned arithmetic, defined on both targets, and
 * equal the signed sums whenever those do not overflow.
 */
static inline int64_t mqk_add_wrap(int64_t a, int64_t b)
{
	return (int64_t)((uint64_t)a + (uint64_t)b);
}

/* Linear: MQK_NFEAT weights then the bias, Q16.16. */
static inline int64_t mqk_linear_q16(const int32_t *w, const int32_t *x)
{
	int64_t acc = (int64_t)w[MQK_NFEAT] * 65536;
	int i;

	for (i = 0; i < MQK_NFEAT; i++)
		acc = mqk_add_wrap(acc, (int64_t)w[i] * x[i]);
	return acc >> 16;
}

/* MLP of mqk.h's layout: W1[i][o] (input major), b1[o], w2[o], b2. */
static inline int64_t mqk_mlp_q16(const int32_t *w, const int32_t *x)
{
	const int32_t *b1 = w + MQK_NFEAT * MQK_SHARED_HIDDEN;
	const int32_t *w2 = b1 + MQK_SHARED_HIDDEN;
	int64_t out = (int64_t)w2[MQK_SHARED_HIDDEN] * 65536;
	int i, o;

	for (o = 0; o < MQK_SHARED_HIDDEN; o++) {
		int64_t h = (int64_t)b1[o] * 65536;

		for (i = 0; i < MQK_NFEAT; i++)
			h = mqk_add_wrap(h, (int64_t)w[i * MQK_SHARED_HIDDEN + o] *
						x[i]);
		h >>= 16;
		if (h <= 0) /* ReLU */
			continue;
		out = mqk_add_wrap(out,
				   (int64_t)w2[o] * (h < INT32_MAX ? h : INT32_MAX));
	}
	return out >> 16;
}

/*
 * Predict (Q16.16) from the publication @pub, read in place. Call it
 * only once @pub holds a trained version: the caller knows that from a
 * flag its trainer sets after the first publish (mqk_learn's
 * pub_trained), which costs one load where kml_pub_version() would be
 * one more call. The model is chosen by the publication's own size, so
 * a pointer and a model kind read at different times can never run the
 * MLP on a linear buffer.
 */
/* The read loop for one model (@mlp a constant at each use). */
static KML_ALWAYS_INLINE int mqk_pub_predict_model(const struct kml_pub *pub,
						   const int32_t *x,
						   int64_t *pred,
						   const bool mlp)
{
	struct kml_pub_seq s;
	int64_t y;
	int tries;

	for (tries = 0; tries < MQK_PRED_TRIES; tries++) {
		if (kml_pub_begin(pub, &s))
			return MQK_PRED_NONE;
		y = mlp ? mqk_mlp_q16(s.data, x) : mqk_linear_q16(s.data, x);
		if (kml_pub_retry(&s) == KML_OK) {
			*pred = y;
			return MQK_PRED_OK;
		}
	}
	return MQK_PRED_OVERTAKEN;
}

/*
 * The MLP out of line: its registers would otherwise make every caller
 * of the (default, 9-word) linear model save and restore them; against
 * the MLP's ~1,300 instructions the call costs nothing.
 */
static KML_NOINLINE int mqk_pub_predict_mlp(const struct kml_pub *pub,
					    const int32_t *x, int64_t *pred)
{
	return mqk_pub_predict_model(pub, x, pred, true);
}

static KML_ALWAYS_INLINE int mqk_pub_predict(const struct kml_pub *pub,
					     const int32_t *x, int64_t *pred)
{
	size_t size = kml_pub_size(pub);

	if (KML_LIKELY(size == MQK_SHARED_NW * sizeof(int32_t)))
		return mqk_pub_predict_model(pub, x, pred, false);
	if (size == MQK_SHARED_MLP_NW * sizeof(int32_t))
		return mqk_pub_predict_mlp(pub, x, pred);
	return MQK_PRED_NONE;
}

#endif /* MQK_PREDICT_H */

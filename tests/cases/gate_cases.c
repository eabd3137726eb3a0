// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * gate_cases.c - the adaptive inference gate: exact hand-computed window
 * arithmetic, and synthetic streams (random labels keep it closed, a
 * learnable stream opens it, a shift closes it, retraining re-opens it).
 * A NOFPU suite: the gate is integer-only.
 */
#include "../ktest.h"
#include "kmlib/gate.h"
#include "kmlib/prng.h"

static void digest_stats(struct kt_ctx *t, const struct kml_gate *g)
{
	struct kml_gate_stats st;

	kml_memset(&st, 0, sizeof(st));
	KT_EXPECT_OK(t, kml_gate_get_stats(g, &st));
	kt_digest(t, &st, sizeof(st));
}

static void gate_exact(struct kt_ctx *t)
{
	static const uint32_t p1[4] = { 0, 1, 2, 0 }, t1[4] = { 0, 1, 1, 1 };
	static const uint32_t p2[4] = { 2, 2, 2, 0 }, t2[4] = { 2, 2, 2, 0 };
	static const uint32_t p3[4] = { 0, 0, 0, 0 }, t3[4] = { 1, 1, 1, 1 };
	struct kml_gate_cfg cfg = { .window = 2,
				    .n_classes = 3,
				    .margin_ppm = 100000 };
	struct kml_gate_stats st;
	struct kml_gate *g;

	KT_EXPECT_OK(t, kml_gate_create(&g, t->mem, &cfg));
	if (t->failed)
		return;
	KT_EXPECT(t, !kml_gate_trusted(g));
	/* 2 of 4 right; true labels 0 x1, 1 x3: baseline 3/4 -> closed */
	KT_EXPECT_OK(t, kml_gate_record_batch(g, p1, t1, 4));
	KT_EXPECT_OK(t, kml_gate_get_stats(g, &st));
	KT_EXPECT_EQ(t, st.accuracy_ppm, 500000);
	KT_EXPECT_EQ(t, st.baseline_ppm, 750000);
	KT_EXPECT(t, !st.open && !kml_gate_trusted(g));
	/* window: 6 of 8 right; labels 2, 3, 3: baseline 3/8 -> open */
	KT_EXPECT_OK(t, kml_gate_record_batch(g, p2, t2, 4));
	KT_EXPECT_OK(t, kml_gate_get_stats(g, &st));
	KT_EXPECT_EQ(t, st.accuracy_ppm, 750000);
	KT_EXPECT_EQ(t, st.baseline_ppm, 375000);
	KT_EXPECT(t, st.open && kml_gate_trusted(g));
	/* batch 1 leaves: 4 of 8 right; labels 1, 4, 3: 500000 < 600000 */
	KT_EXPECT_OK(t, kml_gate_record_batch(g, p3, t3, 4));
	KT_EXPECT_OK(t, kml_gate_get_stats(g, &st));
	KT_EXPECT_EQ(t, st.batches, 2);
	KT_EXPECT_EQ(t, st.samples, 8);
	KT_EXPECT_EQ(t, st.accuracy_ppm, 500000);
	KT_EXPECT_EQ(t, st.baseline_ppm, 500000);
	KT_EXPECT(t, !st.open);
	KT_EXPECT_EQ(t, st.openings, 1);
	KT_EXPECT_EQ(t, st.closings, 1);
	digest_stats(t, g);
	kml_gate_destroy(g);
}

/*
 * One batch of 32 from a stream whose true labels are class 0 with
 * probability 70% (else 1 or 2), predicted right with @right_pct %.
 */
static void stream_batch(struct kml_gate *g, struct kml_prng *r,
			 uint32_t right_pct, bool random_preds)
{
	uint32_t pred[32], truth[32];
	int i;

	for (i = 0; i < 32; i++) {
		truth[i] =
		    kml_prng_below(r, 100) < 70 ? 0 : 1 + kml_prng_below(r, 2);
		if (random_preds)
			pred[i] = kml_prng_below(r, 3);
		else if (kml_prng_below(r, 100) < right_pct)
			pred[i] = truth[i];
		else
			pred[i] = (truth[i] + 1 + kml_prng_below(r, 2)) % 3;
	}
	kml_gate_record_batch(g, pred, truth, 32);
}

static void gate_streams(struct kt_ctx *t)
{
	struct kml_gate_cfg cfg = { .window = 10,
				    .n_classes = 3,
				    .margin_ppm = 100000,
				    .min_samples = 160 };
	struct kml_gate_stats st;
	struct kml_prng r;
	struct kml_gate *g;
	int i, open_during = 0;

	kml_prng_seed(&r, 11);
	KT_EXPECT_OK(t, kml_gate_create(&g, t->mem, &cfg));
	if (t->failed)
		return;
	/* random predictions: about 33% right against a 70% baseline */
	for (i = 0; i < 200; i++) {
		stream_batch(g, &r, 0, true);
		open_during += kml_gate_trusted(g);
	}
	KT_EXPECT_EQ(t, open_during, 0);
	/* a model that learned: 95% right, well above 70% + 10% */
	for (i = 0; i < 20; i++)
		stream_batch(g, &r, 95, false);
	KT_EXPECT(t, kml_gate_trusted(g));
	KT_EXPECT_OK(t, kml_gate_get_stats(g, &st));
	KT_EXPECT(t, st.accuracy_ppm > 900000 && st.baseline_ppm > 600000 &&
			 st.baseline_ppm < 800000);
	/* the workload shifts under the model: 60% right -> closed */
	for (i = 0; i < 20; i++)
		stream_batch(g, &r, 60, false);
	KT_EXPECT(t, !kml_gate_trusted(g));
	/* retrained: open again */
	for (i = 0; i < 20; i++)
		stream_batch(g, &r, 95, false);
	KT_EXPECT(t, kml_gate_trusted(g));
	KT_EXPECT_OK(t, kml_gate_get_stats(g, &st));
	KT_EXPECT_EQ(t, st.openings, 2);
	KT_EXPECT_EQ(t, st.closings, 1);
	digest_stats(t, g);
	/* forgetting the window closes it */
	KT_EXPECT_OK(t, kml_gate_reset(g));
	KT_EXPECT(t, !kml_gate_trusted(g));
	kml_gate_destroy(g);
}

static void gate_threshold_and_min_samples(struct kt_ctx *t)
{
	struct kml_gate_cfg cfg = {
		.window = 4, .n_classes = 2, .margin_ppm = 0, .min_samples = 6
	};
	struct kml_gate *g;
	int i;

	KT_EXPECT_OK(t, kml_gate_create(&g, t->mem, &cfg));
	if (t->failed)
		return;
	/* slack predictions around a threshold of 0: misses are < 0 */
	KT_EXPECT_OK(t, kml_gate_record_threshold(g, -5, -1, 0)); /* right */
	KT_EXPECT_OK(t, kml_gate_record_threshold(g, 3, 0, 0)); /* right */
	KT_EXPECT_OK(t, kml_gate_record_threshold(g, 2, -7, 0)); /* wrong */
	KT_EXPECT_OK(t, kml_gate_end_batch(g));
	/* 3 samples < min_samples: closed even though 2/3 >= 2/3 */
	KT_EXPECT(t, !kml_gate_trusted(g));
	for (i = 0; i < 3; i++)
		KT_EXPECT_OK(t, kml_gate_record_threshold(g, i, i, 1));
	KT_EXPECT_OK(t, kml_gate_end_batch(g));
	KT_EXPECT(t, kml_gate_trusted(g)); /* 5/6 right, baseline 4/6 */
	digest_stats(t, g);
	kml_gate_destroy(g);
}

static void gate_bad_input(struct kt_ctx *t)
{
	struct kml_gate_cfg cfg = { .window = 4, .n_classes = 2 };
	struct kml_gate_stats st;
	struct kml_gate *g = (void *)1;
	uint32_t v[2] = { 0, 5 };

	KT_EXPECT_EQ(t, kml_gate_create(NULL, t->mem, &cfg), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_gate_create(&g, NULL, &cfg), KML_EINVAL);
	KT_EXPECT(t, g == NULL);
	KT_EXPECT_EQ(t, kml_gate_create(&g, t->mem, NULL), KML_EINVAL);
	cfg.window = 0;
	KT_EXPECT_EQ(t, kml_gate_create(&g, t->mem, &cfg), KML_EINVAL);
	cfg.window = 1u << 30;
	KT_EXPECT_EQ(t, kml_gate_create(&g, t->mem, &cfg), KML_EINVAL);
	cfg.window = 4;
	cfg.n_classes = 1;
	KT_EXPECT_EQ(t, kml_gate_create(&g, t->mem, &cfg), KML_EINVAL);
	cfg.n_classes = KML_GATE_MAX_CLASSES + 1;
	KT_EXPECT_EQ(t, kml_gate_create(&g, t->mem, &cfg), KML_EINVAL);
	cfg.n_classes = 2;
	cfg.margin_ppm = KML_GATE_PPM + 1;
	KT_EXPECT_EQ(t, kml_gate_create(&g, t->mem, &cfg), KML_EINVAL);
	cfg.margin_ppm = 0;
	KT_EXPECT_OK(t, kml_gate_create(&g, t->mem, &cfg));
	if (t->failed)
		return;
	KT_EXPECT_EQ(t, kml_gate_record(g, 2, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_gate_record(g, 0, 2), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_gate_record(NULL, 0, 0), KML_EINVAL);
	/* a bad label anywhere rejects the whole batch before recording */
	KT_EXPECT_EQ(t, kml_gate_record_batch(g, v, v, 2), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_gate_record_batch(g, NULL, v, 2), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_gate_record_batch(g, v, v, (size_t)1 << 40),
		     KML_EOVERFLOW);
	KT_EXPECT_OK(t, kml_gate_get_stats(g, &st));
	KT_EXPECT_EQ(t, st.samples, 0);
	KT_EXPECT_EQ(t, kml_gate_end_batch(NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_gate_get_stats(g, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_gate_reset(NULL), KML_EINVAL);
	KT_EXPECT(t, !kml_gate_trusted(NULL));
	kml_gate_destroy(NULL);
	kml_gate_destroy(g);
}

static const struct kt_case gate_cases[] = {
	{ "exact", gate_exact },
	{ "streams", gate_streams },
	{ "threshold_and_min_samples", gate_threshold_and_min_samples },
	{ "bad_input", gate_bad_input },
};

KT_SUITE(kt_suite_gate, "gate", false, 0, gate_cases);

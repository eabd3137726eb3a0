// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * trainer_test_fpu.c - the float half of the trainer cases (see
 * trainer_test.h): configuration, sample generation, prediction checks.
 */
#include "trainer_test.h"

static const float tt_points[8][2] = {
	{ 0.0f, 0.0f },	  { 0.5f, -0.5f }, { -0.75f, 0.25f }, { 0.9f, 0.9f },
	{ -0.9f, -0.6f }, { 0.1f, 0.7f },  { -0.3f, -0.8f },  { 0.6f, 0.2f },
};

static float truth(float x0, float x1)
{
	return 2.0f * x0 - 3.0f * x1 + 0.5f;
}

void tt_defaults(struct kml_trainer_cfg *cfg, struct kml_optim_cfg *opt)
{
	kml_optim_defaults(opt, KML_OPTIM_SGD, 0.1);
	kml_memset(cfg, 0, sizeof(*cfg));
	cfg->optim = opt;
	cfg->init_seed = 42;
	cfg->task = KML_TRAINER_REGRESSION;
	cfg->n_features = 2;
	cfg->n_outputs = 1;
	cfg->batch = 4;
	cfg->ring_capacity = 256;
	cfg->ring_mode = KML_RING_BLOCK;
	cfg->ring_flags = KML_RING_SP;
	cfg->readers = 1;
	cfg->publish_every = 10;
	cfg->gate.window = 8;
	cfg->gate.n_classes = 2;
	cfg->gate.margin_ppm = 200000;
	cfg->gate.min_samples = 16;
	cfg->gate_threshold = 0.5;
}

void tt_make_records(struct kml_prng *r, void *recs, uint32_t n)
{
	float *f = recs;
	uint32_t i;

	for (i = 0; i < n; i++, f += 3) {
		f[0] = 2.0f * kml_prng_float(r) - 1.0f;
		f[1] = 2.0f * kml_prng_float(r) - 1.0f;
		f[2] = truth(f[0], f[1]);
	}
}

static uint32_t err_ppm(float pred, uint32_t i)
{
	float d = pred - truth(tt_points[i][0], tt_points[i][1]);

	if (d < 0)
		d = -d;
	if (!(d < 1000.0f))
		return UINT32_MAX; /* NaN or far off */
	return (uint32_t)(d * 1e6f);
}

int tt_check(struct kml_trainer *tr, uint32_t reader, uint32_t *err,
	     uint32_t bits[8], uint64_t *version)
{
	float pred[8];
	uint32_t i;
	int ret;

	*err = UINT32_MAX;
	/* batch is 4: two calls */
	ret = kml_trainer_predict(tr, reader, tt_points[0], 4, pred, version);
	if (ret)
		return ret;
	ret =
	    kml_trainer_predict(tr, reader, tt_points[4], 4, pred + 4, version);
	if (ret)
		return ret;
	*err = 0;
	for (i = 0; i < 8; i++) {
		uint32_t e = err_ppm(pred[i], i);

		if (e > *err)
			*err = e;
	}
	if (bits)
		kml_memcpy(bits, pred, sizeof(pred));
	return KML_OK;
}

uint32_t tt_result_err_ppm(const struct kml_trainer_result *res, uint32_t point)
{
	float pred;

	kml_memcpy(&pred, res->out, sizeof(pred));
	return err_ppm(pred, point & 7);
}

void tt_point(uint32_t i, void *features)
{
	kml_memcpy(features, tt_points[i & 7], sizeof(tt_points[0]));
}

static int32_t class_of(float x0, float x1)
{
	return x0 + x1 > 0.25f;
}

void tt_make_class_records(struct kml_prng *r, void *recs, uint32_t n)
{
	uint8_t *p = recs;
	uint32_t i;

	for (i = 0; i < n; i++, p += TT_RECORD_BYTES) {
		float x[2];
		int32_t label;

		x[0] = 2.0f * kml_prng_float(r) - 1.0f;
		x[1] = 2.0f * kml_prng_float(r) - 1.0f;
		label = class_of(x[0], x[1]);
		kml_memcpy(p, x, sizeof(x));
		kml_memcpy(p + sizeof(x), &label, sizeof(label));
	}
}

int tt_class_correct(struct kml_trainer *tr)
{
	float logits[8][2];
	int i, right = 0;

	if (kml_trainer_predict(tr, 0, tt_points[0], 4, logits[0], NULL) ||
	    kml_trainer_predict(tr, 0, tt_points[4], 4, logits[4], NULL))
		return -1;
	for (i = 0; i < 8; i++)
		right += (logits[i][1] > logits[i][0]) ==
			 class_of(tt_points[i][0], tt_points[i][1]);
	return right;
}

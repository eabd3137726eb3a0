// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_convert_cases.c - quantizing trained float MLPs (an FPU suite):
 * the 3-class classifier of nn_train_cases.c (2 -> 16 relu -> 3) is
 * trained, converted with its training points as calibration set, and
 * the int8 network's logits on fresh points are compared with float's.
 */
#include "../ktest.h"
#include "kmlib/nn.h"
#include "kmlib/optim.h"
#include "kmlib/prng.h"
#include "kmlib/fixed.h"
#include "kmlib/qnn.h"

#define QC_N 48

/* Points around (1, 0), (-1, 0) and (0, 1.5), uniform noise +-0.6. */
static void qc_blobs(struct kml_prng *r, float *x, int32_t *lab, int n)
{
	static const float cx[3] = { 1, -1, 0 }, cy[3] = { 0, 0, 1.5f };
	int i;

	for (i = 0; i < n; i++) {
		int c = (int)kml_prng_below(r, 3);

		lab[i] = c;
		x[2 * i] = cx[c] + 1.2f * kml_prng_float(r) - 0.6f;
		x[2 * i + 1] = cy[c] + 1.2f * kml_prng_float(r) - 0.6f;
	}
}

static int argmax3(const float *p)
{
	int best = p[1] > p[0] ? 1 : 0;

	return p[2] > p[best] ? 2 : best;
}

static void qnn_convert_classifier(struct kt_ctx *t)
{
	struct kml_optim *opt = NULL;
	struct kml_optim_cfg cfg;
	struct kml_nn *net = NULL;
	struct kml_qnn *q = NULL;
	struct kml_qnn_io io;
	struct kml_prng r;
	/* from t->mem: too big for a kernel stack frame */
	struct qc_buf {
		uint32_t sizes[KML_QNN_MAX_LAYERS + 1];
		float calib[2 * QC_N], fl[3 * QC_N], dq[3 * QC_N];
		int8_t xq[2 * QC_N], yq[3 * QC_N];
		int32_t lab_calib[QC_N];
	} *bf = NULL;
	float *calib, *fl, *dq, *xv, *p;
	int8_t *xq, *yq;
	int32_t *lv, *lab_calib;
	uint32_t *sizes, nl = 0;
	int x, lab, hid, logits, loss, i, right_f = 0, right_q = 0, agree = 0;
	double err = 0.0;

	KT_EXPECT_OK(t, kml_alloc(t->mem, sizeof(*bf), 0, (void **)&bf));
	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, KML_NN_F32, 8));
	if (!net || !bf)
		goto out;
	sizes = bf->sizes;
	calib = bf->calib;
	fl = bf->fl;
	dq = bf->dq;
	xq = bf->xq;
	yq = bf->yq;
	lab_calib = bf->lab_calib;
	x = kml_nn_input_vec(net, 2, 0);
	lab = kml_nn_labels(net);
	hid = kml_nn_relu(net, kml_nn_linear(net, x, 16, true));
	logits = kml_nn_linear(net, hid, 3, true);
	loss = kml_nn_cross_entropy(net, logits, lab, KML_NN_MEAN);
	KT_EXPECT_OK(t, kml_nn_prepare(net, QC_N));
	KT_EXPECT_OK(t, kml_nn_init_params(net, 3));
	KT_EXPECT_OK(t, kml_optim_defaults(&cfg, KML_OPTIM_RMSPROP, 0.01));
	KT_EXPECT_OK(t, kml_optim_create(&opt, t->mem, net, &cfg));
	if (t->failed)
		goto out;
	kml_nn_value(net, x, (void **)&xv, NULL);
	kml_nn_value(net, lab, (void **)&lv, NULL);
	kml_prng_seed(&r, 5);
	qc_blobs(&r, calib, lab_calib, QC_N);
	for (i = 0; i < 150 && !t->failed; i++) {
		kml_memcpy(xv, calib, sizeof(bf->calib));
		kml_memcpy(lv, lab_calib, sizeof(bf->lab_calib));
		KT_EXPECT_OK(t, kml_nn_forward(net));
		KT_EXPECT_OK(t, kml_nn_backward(net, loss));
		KT_EXPECT_OK(t, kml_optim_step(opt));
	}

	KT_EXPECT_OK(t, kml_qnn_nn_sizes(net, x, logits, sizes, &nl));
	KT_EXPECT_EQ(t, nl, 2);
	KT_EXPECT_EQ(t, sizes[0], 2);
	KT_EXPECT_EQ(t, sizes[1], 16);
	KT_EXPECT_EQ(t, sizes[2], 3);
	KT_EXPECT_OK(t, kml_qnn_create(&q, t->mem, sizes, nl, QC_N));
	if (t->failed)
		goto out;
	KT_EXPECT_OK(t,
		     kml_qnn_quantize_nn(q, net, x, logits, calib, QC_N, &io));
	KT_EXPECT_OK(t, kml_qnn_check(q));
	/* the hidden layer's ReLU is fused: its output range starts at 0 */
	KT_EXPECT_EQ(t, q ? kml_qnn_layers(q) : 0, 2);

	/* fresh points through both networks */
	qc_blobs(&r, xv, lv, QC_N);
	KT_EXPECT_OK(
	    t, kml_quantize_f32_i8(xv, 2 * QC_N, io.in_scale, io.in_zp, xq));
	KT_EXPECT_OK(t, kml_nn_forward_to(net, logits));
	kml_nn_value(net, logits, (void **)&p, NULL);
	kml_memcpy(fl, p, sizeof(bf->fl));
	KT_EXPECT_OK(t, kml_qnn_run(q, xq, QC_N, yq));
	KT_EXPECT_OK(t, kml_dequantize_i8_f32(yq, 3 * QC_N, io.out_scale,
					      io.out_zp, dq));
	if (t->failed)
		goto out;
	for (i = 0; i < 3 * QC_N; i++) {
		double d = (double)fl[i] - dq[i];

		d = d < 0 ? -d : d;
		err = d > err ? d : err;
	}
	for (i = 0; i < QC_N; i++) {
		right_f += argmax3(fl + 3 * i) == lv[i];
		right_q += argmax3(dq + 3 * i) == lv[i];
		agree += argmax3(fl + 3 * i) == argmax3(dq + 3 * i);
	}
	/* float is a good classifier, int8 is as good within one point */
	KT_EXPECT(t, right_f >= 46);
	KT_EXPECT(t, right_q >= right_f - 1);
	KT_EXPECT(t, agree >= QC_N - 1);
	/* logits within 3 output steps of float's */
	KT_EXPECT(t, err <= 3.0 * io.out_scale);
	KT_EXPECT(t, io.out_scale > 0.0f && io.out_scale < 0.2f);
	kt_digest(t, yq, sizeof(bf->yq));
	kt_digest(t, &io, sizeof(io));
out:
	kml_qnn_destroy(q);
	kml_optim_destroy(opt);
	kml_nn_destroy(net);
	kml_free(t->mem, bf);
}

static void qnn_convert_bad_input(struct kt_ctx *t)
{
	struct kml_nn *net = NULL, *net64 = NULL;
	struct kml_qnn *q = NULL;
	struct kml_qnn_io io;
	uint32_t sizes[KML_QNN_MAX_LAYERS + 1], nl = 0;
	const uint32_t wrong[] = { 3, 5, 2 };
	float calib[6] = { 0.5f, -1, 2, 0, 1, 1 };
	int x, a, s, b, x2, l2;

	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, KML_NN_F32, 8));
	KT_EXPECT_OK(t, kml_nn_create(&net64, t->mem, KML_NN_F64, 4));
	if (!net || !net64)
		goto out;
	/* x -> linear -> relu -> linear -> sigmoid -> linear */
	x = kml_nn_input_vec(net, 3, 0);
	a = kml_nn_linear(net, kml_nn_relu(net, kml_nn_linear(net, x, 4, true)),
			  2, false);
	s = kml_nn_sigmoid(net, a);
	b = kml_nn_linear(net, s, 2, true);
	x2 = kml_nn_input_vec(net64, 3, 0);
	l2 = kml_nn_linear(net64, x2, 2, true);
	KT_EXPECT_OK(t, kml_nn_prepare(net, 2));
	KT_EXPECT_OK(t, kml_nn_prepare(net64, 2));
	KT_EXPECT_OK(t, kml_nn_init_params(net, 1));
	if (t->failed)
		goto out;
	KT_EXPECT_EQ(t, kml_qnn_nn_sizes(net, x, b, sizes, &nl), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_nn_sizes(net, x, s, sizes, &nl), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_nn_sizes(net, x, x, sizes, &nl), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_nn_sizes(net, a, x, sizes, &nl), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_nn_sizes(net, -1, a, sizes, &nl), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_nn_sizes(NULL, x, a, sizes, &nl), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_nn_sizes(net, x, a, NULL, &nl), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_nn_sizes(net64, x2, l2, sizes, &nl),
		     KML_EINVAL);
	KT_EXPECT_OK(t, kml_qnn_nn_sizes(net, x, a, sizes, &nl));
	KT_EXPECT_EQ(t, nl, 2);
	KT_EXPECT_OK(t, kml_qnn_create(&q, t->mem, wrong, 2, 2));
	if (t->failed)
		goto out;
	KT_EXPECT_EQ(t, kml_qnn_quantize_nn(q, net, x, a, calib, 2, &io),
		     KML_EDOM);
	kml_qnn_destroy(q);
	q = NULL;
	KT_EXPECT_OK(t, kml_qnn_create(&q, t->mem, sizes, nl, 2));
	if (t->failed)
		goto out;
	KT_EXPECT_EQ(t, kml_qnn_quantize_nn(NULL, net, x, a, calib, 2, &io),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_quantize_nn(q, NULL, x, a, calib, 2, &io),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_quantize_nn(q, net, x, a, NULL, 2, &io),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_quantize_nn(q, net, x, a, calib, 0, &io),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_quantize_nn(q, net, x, a, calib, 2, NULL),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_qnn_quantize_nn(q, net, x, b, calib, 2, &io),
		     KML_EINVAL);
	/* calibration larger than the batch runs in several batches and
	 * leaves the batch size as it was */
	KT_EXPECT_OK(t, kml_nn_set_batch(net, 1));
	KT_EXPECT_OK(t, kml_qnn_quantize_nn(q, net, x, a, calib, 2, &io));
	KT_EXPECT_EQ(t, kml_nn_batch(net), 1);
	/* input range [-1, 2] widened to contain 0: scale 3/255 */
	KT_EXPECT_NEAR(t, io.in_scale, 3.0 / 255, 1e-9);
	KT_EXPECT_EQ(t, io.in_zp, -43); /* -128 + 1 / (3/255) = -43 */
	kt_digest(t, &io, sizeof(io));
out:
	kml_qnn_destroy(q);
	kml_nn_destroy(net);
	kml_nn_destroy(net64);
}

#define QP_CAL 200
#define QP_TEST 48

/* Max (and mean, added to @mean) |float - int8| logit over the samples of @x
 * after conversion by @cfg. */
static double qp_error(struct kt_ctx *t, struct kml_nn *net, int x, int logits,
		       struct kml_qnn *q, const float *calib,
		       const struct kml_qnn_calib *cfg, const float *xt,
		       struct kml_qnn_io *io, int8_t *xq, int8_t *yq, float *dq,
		       double *mean)
{
	double err = 0.0, d;
	float *xv, *p;
	int i;

	KT_EXPECT_OK(t, kml_qnn_quantize_nn_cfg(q, net, x, logits, calib,
						QP_CAL + 1, cfg, io));
	KT_EXPECT_OK(t, kml_qnn_check(q));
	kml_nn_value(net, x, (void **)&xv, NULL);
	KT_EXPECT_OK(t, kml_nn_set_batch(net, QP_TEST));
	kml_memcpy(xv, xt, 2 * QP_TEST * sizeof(*xv));
	KT_EXPECT_OK(t, kml_quantize_f32_i8(xt, 2 * QP_TEST, io->in_scale,
					    io->in_zp, xq));
	KT_EXPECT_OK(t, kml_nn_forward_to(net, logits));
	KT_EXPECT_OK(t, kml_qnn_run(q, xq, QP_TEST, yq));
	KT_EXPECT_OK(t, kml_dequantize_i8_f32(yq, 3 * QP_TEST, io->out_scale,
					      io->out_zp, dq));
	if (t->failed)
		return 1e9;
	kml_nn_value(net, logits, (void **)&p, NULL);
	for (i = 0; i < 3 * QP_TEST; i++) {
		d = (double)p[i] - dq[i];
		d = d < 0 ? -d : d;
		err = d > err ? d : err;
		*mean += d / (3 * QP_TEST);
	}
	kt_digest(t, yq, 3 * QP_TEST);
	return err;
}

/*
 * Percentile calibration against min/max when the calibration set holds
 * one outlier: 200 blob points and (30, -30). Min/max stretches every
 * scale to cover it; the 99th percentile of |x| ignores it.
 */
static void qnn_convert_percentile(struct kt_ctx *t)
{
	struct qp_buf {
		float calib[2 * (QP_CAL + 1)], xt[2 * QP_TEST];
		float dq[3 * QP_TEST];
		int8_t xq[2 * QP_TEST], yq[3 * QP_TEST];
		int32_t lab[QP_CAL];
		uint32_t hist[3 * KML_QNN_HIST_BINS];
	} *bf = NULL;
	const uint32_t sizes[] = { 2, 16, 3 };
	struct kml_qnn_calib cfg = { .method = KML_QNN_CALIB_MINMAX };
	struct kml_nn *net = NULL;
	struct kml_qnn *q = NULL;
	struct kml_qnn_io io, io2;
	struct kml_prng r;
	double e_mm, e_pc, m_mm = 0.0, m_pc = 0.0;
	int x, logits;

	KT_EXPECT_OK(t, kml_alloc(t->mem, sizeof(*bf), 0, (void **)&bf));
	KT_EXPECT_OK(t, kml_nn_create(&net, t->mem, KML_NN_F32, 8));
	KT_EXPECT_OK(t, kml_qnn_create(&q, t->mem, sizes, 2, QP_TEST));
	if (!net || !bf || !q)
		goto out;
	x = kml_nn_input_vec(net, 2, 0);
	logits = kml_nn_linear(
	    net, kml_nn_relu(net, kml_nn_linear(net, x, 16, true)), 3, true);
	KT_EXPECT_OK(t, kml_nn_prepare(net, QP_TEST));
	KT_EXPECT_OK(t, kml_nn_init_params(net, 9));
	kml_prng_seed(&r, 17);
	qc_blobs(&r, bf->calib, bf->lab, QP_CAL);
	bf->calib[2 * QP_CAL] = 30.0f;
	bf->calib[2 * QP_CAL + 1] = -30.0f;
	qc_blobs(&r, bf->xt, bf->lab, QP_TEST);
	if (t->failed)
		goto out;

	e_mm = qp_error(t, net, x, logits, q, bf->calib, &cfg, bf->xt, &io,
			bf->xq, bf->yq, bf->dq, &m_mm);
	/* the MINMAX config is kml_qnn_quantize_nn() */
	KT_EXPECT_OK(t, kml_qnn_quantize_nn(q, net, x, logits, bf->calib,
					    QP_CAL + 1, &io2));
	KT_EXPECT(t, !kml_memcmp(&io, &io2, sizeof(io)));
	cfg.method = KML_QNN_CALIB_PERCENTILE;
	cfg.ppm = 990000;
	cfg.hist = bf->hist;
	e_pc = qp_error(t, net, x, logits, q, bf->calib, &cfg, bf->xt, &io2,
			bf->xq, bf->yq, bf->dq, &m_pc);
	/* the input range shrinks from [-30, 30] to about the blobs' */
	KT_EXPECT(t, io.in_scale > 0.2f && io2.in_scale < 0.02f);
	/*
	 * measured: mean logit error 0.0030 vs 0.0284 (output scale 0.0071
	 * vs 0.080); max 0.053 vs 0.104, where a test logit beyond the
	 * clipped range saturates
	 */
	KT_EXPECT(t, m_pc < m_mm / 5);
	KT_EXPECT(t, e_pc < e_mm / 1.5);
	KT_EXPECT(t, m_pc < 0.005);
	kt_digest(t, &io2, sizeof(io2));

	cfg.ppm = 0;
	KT_EXPECT_EQ(t,
		     kml_qnn_quantize_nn_cfg(q, net, x, logits, bf->calib,
					     QP_CAL + 1, &cfg, &io2),
		     KML_EINVAL);
	cfg.ppm = 1000001;
	KT_EXPECT_EQ(t,
		     kml_qnn_quantize_nn_cfg(q, net, x, logits, bf->calib,
					     QP_CAL + 1, &cfg, &io2),
		     KML_EINVAL);
	cfg.ppm = 999000;
	cfg.hist = NULL;
	KT_EXPECT_EQ(t,
		     kml_qnn_quantize_nn_cfg(q, net, x, logits, bf->calib,
					     QP_CAL + 1, &cfg, &io2),
		     KML_EINVAL);
	cfg.method = 7;
	KT_EXPECT_EQ(t,
		     kml_qnn_quantize_nn_cfg(q, net, x, logits, bf->calib,
					     QP_CAL + 1, &cfg, &io2),
		     KML_EINVAL);
	KT_EXPECT_EQ(t,
		     kml_qnn_quantize_nn_cfg(q, net, x, logits, bf->calib,
					     QP_CAL + 1, NULL, &io2),
		     KML_EINVAL);
out:
	kml_qnn_destroy(q);
	kml_nn_destroy(net);
	kml_free(t->mem, bf);
}

static const struct kt_case qnn_convert_cases[] = {
	{ "classifier", qnn_convert_classifier },
	{ "bad_input", qnn_convert_bad_input },
	{ "percentile", qnn_convert_percentile },
};

KT_SUITE(kt_suite_qnn_convert, "qnn_convert", true, 128 * 1024,
	 qnn_convert_cases);

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_convert.c - quantize a trained float32 MLP with min/max or
 * percentile calibration
 * (fpu: runs between kml_fpu_begin() and kml_fpu_end() in the kernel).
 */
#include "kmlib/fixed.h"
#include "kmlib/kmath.h"
#include "kmlib/nn_ops.h"
#include "qnn_impl.h"

struct range {
	float lo, hi;
};

static void range_add(struct range *r, const float *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i] < r->lo)
			r->lo = v[i];
		if (v[i] > r->hi)
			r->hi = v[i];
	}
}

/* Count |v| into @hist's bins over [0, amax] of range @r. */
static void hist_add(const struct range *r, const float *v, size_t n,
		     uint32_t *hist)
{
	float amax = -r->lo > r->hi ? -r->lo : r->hi;
	float per = amax > 0.0f ? KML_QNN_HIST_BINS / amax : 0.0f;
	size_t i;

	for (i = 0; i < n; i++) {
		float b = kml_fabsf(v[i]) * per;
		uint32_t j = b < (float)KML_QNN_HIST_BINS
				 ? (uint32_t)b
				 : KML_QNN_HIST_BINS - 1;

		hist[j] += hist[j] != UINT32_MAX;
	}
}

/* Value buffer of node @id; *count elements. */
static int node_values(struct kml_nn *net, int id, float **v, size_t *count)
{
	void *p;
	int err = kml_nn_value(net, id, &p, count);

	*v = p;
	return err;
}

/*
 * One pass of the calibration set through the net: for r[0] the input and
 * r[l + 1] layer l's output, either the min/max seen (@hist NULL) or,
 * with r[] holding them, a histogram of |v| over [0, max(-lo, hi)] in
 * KML_QNN_HIST_BINS bins per tensor (@hist, zeroed here).
 */
static int calib_pass(struct kml_nn *net, int input, const int *lin,
		      const int *relu, uint32_t k, const float *calib,
		      size_t n_calib, size_t in_size, struct range *r,
		      uint32_t *hist)
{
	size_t batch = kml_nn_batch(net), done = 0, count;
	uint32_t l;
	float *v;
	int err = KML_OK;

	if (hist)
		kml_memset(hist, 0,
			   (size_t)(k + 1) * KML_QNN_HIST_BINS * sizeof(*hist));
	else
		for (l = 0; l <= k; l++)
			r[l].lo = r[l].hi = 0.0f; /* every range contains 0 */
	while (done < n_calib && !err) {
		size_t b = n_calib - done < batch ? n_calib - done : batch;

		err = kml_nn_set_batch(net, b);
		if (!err)
			err = node_values(net, input, &v, &count);
		if (err)
			break;
		kml_memcpy(v, calib + done * in_size, b * in_size * sizeof(*v));
		err = kml_nn_forward_to(net, relu[k - 1] >= 0 ? relu[k - 1]
							      : lin[k - 1]);
		for (l = 0; l <= k && !err; l++) {
			if (l)
				err = node_values(net,
						  relu[l - 1] >= 0 ? relu[l - 1]
								   : lin[l - 1],
						  &v, &count);
			else
				count =
				    b * in_size; /* forward kept the input */
			if (err)
				break;
			if (hist)
				hist_add(&r[l], v, count,
					 hist + (size_t)l * KML_QNN_HIST_BINS);
			else
				range_add(&r[l], v, count);
		}
		done += b;
	}
	if (kml_nn_set_batch(net, batch) && !err)
		err = KML_EINVAL;
	return err;
}

/*
 * Clip @r to +-C, C the upper edge of the first bin of @hist at which
 * the cumulative count reaches @ppm parts per million of all values.
 */
static void range_clip(struct range *r, const uint32_t *hist, uint32_t ppm)
{
	float amax = -r->lo > r->hi ? -r->lo : r->hi, c;
	uint64_t total = 0, need, cum = 0;
	uint32_t b;

	for (b = 0; b < KML_QNN_HIST_BINS; b++)
		total += hist[b];
	need = (total * ppm + 999999) / 1000000;
	for (b = 0; b < KML_QNN_HIST_BINS - 1; b++) {
		cum += hist[b];
		if (cum >= need)
			break;
	}
	c = amax * (float)(b + 1) / KML_QNN_HIST_BINS;
	if (r->lo < -c)
		r->lo = -c;
	if (r->hi > c)
		r->hi = c;
}

/* Min/max ranges, then, for percentile calibration, clipped ranges. */
static int calibrate(struct kml_nn *net, int input, const int *lin,
		     const int *relu, uint32_t k, const float *calib,
		     size_t n_calib, size_t in_size,
		     const struct kml_qnn_calib *cfg, struct range *r)
{
	uint32_t l;
	int err = calib_pass(net, input, lin, relu, k, calib, n_calib, in_size,
			     r, NULL);

	if (err || cfg->method == KML_QNN_CALIB_MINMAX)
		return err;
	err = calib_pass(net, input, lin, relu, k, calib, n_calib, in_size, r,
			 cfg->hist);
	for (l = 0; l <= k && !err; l++)
		range_clip(&r[l], cfg->hist + (size_t)l * KML_QNN_HIST_BINS,
			   cfg->ppm);
	return err;
}

/* TFLite's asymmetric int8: scale (max - min) / 255, zero point rounded. */
static void act_params(const struct range *r, float *scale, int32_t *zp)
{
	double s = ((double)r->hi - r->lo) / 255.0, z;

	if (!(s > 0.0))
		s = 1.0;
	*scale = (float)s;
	z = kml_round(-128.0 - r->lo / (double)*scale);
	*zp = z < -128.0 ? -128 : z > 127.0 ? 127 : (int32_t)z;
}

static int32_t round_sat_i32(double x)
{
	x = kml_round(x);
	if (x < (double)INT32_MIN)
		return INT32_MIN;
	if (x > (double)INT32_MAX)
		return INT32_MAX;
	return (int32_t)x;
}

/* Layer @ly from a linear node (A: in x out, then b). */
static int quantize_layer(struct kml_qnn_layer *ly, const struct kml_nn_node *n,
			  float in_scale, float out_scale)
{
	const float *a = n->w, *b;
	uint32_t i, o;
	int err;

	if (!a)
		return KML_EINVAL; /* not prepared */
	b = n->n_params > (size_t)ly->in * ly->out
		? a + (size_t)ly->in * ly->out
		: NULL;
	for (o = 0; o < ly->out; o++) {
		float m = 0.0f, ws;
		double bq;

		for (i = 0; i < ly->in; i++)
			if (kml_fabsf(a[(size_t)i * ly->out + o]) > m)
				m = kml_fabsf(a[(size_t)i * ly->out + o]);
		if (!(m <= 3.0e38f))
			return KML_ERANGE; /* inf or NaN weights */
		ws = m > 0.0f ? m / 127.0f : 1.0f;
		for (i = 0; i < ly->in; i++) {
			double w =
			    kml_round(a[(size_t)i * ly->out + o] / (double)ws);

			w = w < -127.0 ? -127.0 : w > 127.0 ? 127.0 : w;
			ly->weight[(size_t)o * ly->in + i] = (int8_t)w;
		}
		bq = b ? b[o] / ((double)in_scale * ws) : 0.0;
		if (bq != bq)
			return KML_ERANGE;
		ly->bias[o] = round_sat_i32(bq);
		err = kml_quantize_multiplier((double)in_scale * ws / out_scale,
					      &ly->mult[o], &ly->shift[o]);
		if (err)
			return err;
	}
	return KML_OK;
}

int kml_qnn_quantize_nn(struct kml_qnn *q, struct kml_nn *net, int input,
			int output, const float *calib, size_t n_calib,
			struct kml_qnn_io *io)
{
	const struct kml_qnn_calib minmax = { .method = KML_QNN_CALIB_MINMAX };

	return kml_qnn_quantize_nn_cfg(q, net, input, output, calib, n_calib,
				       &minmax, io);
}

int kml_qnn_quantize_nn_cfg(struct kml_qnn *q, struct kml_nn *net, int input,
			    int output, const float *calib, size_t n_calib,
			    const struct kml_qnn_calib *cfg,
			    struct kml_qnn_io *io)
{
	int lin[KML_QNN_MAX_LAYERS], relu[KML_QNN_MAX_LAYERS];
	struct range r[KML_QNN_MAX_LAYERS + 1];
	float scale[2];
	int32_t zp[2];
	struct kml_nn_node *n;
	uint32_t k, l;
	int err;

	if (!q || !net || !calib || !n_calib || !io || !cfg)
		return KML_EINVAL;
	if (cfg->method == KML_QNN_CALIB_PERCENTILE) {
		if (!cfg->hist || !cfg->ppm || cfg->ppm > 1000000)
			return KML_EINVAL;
	} else if (cfg->method != KML_QNN_CALIB_MINMAX) {
		return KML_EINVAL;
	}
	err = kml_qnn_chain(net, input, output, lin, relu, &k);
	if (err)
		return err;
	if (k != q->n_layers)
		return KML_EDOM;
	for (l = 0; l < k; l++) {
		err = kml_nn_get_node(net, lin[l], &n);
		if (err)
			return err;
		if (n->ihp[2] != q->layer[l].in || n->ihp[0] != q->layer[l].out)
			return KML_EDOM;
	}
	err = calibrate(net, input, lin, relu, k, calib, n_calib,
			q->layer[0].in, cfg, r);
	if (err)
		return err;
	act_params(&r[0], &scale[0], &zp[0]);
	io->in_scale = scale[0];
	io->in_zp = zp[0];
	for (l = 0; l < k; l++) {
		struct kml_qnn_layer *ly = &q->layer[l];

		act_params(&r[l + 1], &scale[1], &zp[1]);
		err = kml_nn_get_node(net, lin[l], &n);
		if (!err)
			err = quantize_layer(ly, n, scale[0], scale[1]);
		if (err)
			return err;
		ly->in_zp = zp[0];
		ly->out_zp = zp[1];
		ly->act_min =
		    relu[l] >= 0 && zp[1] > INT8_MIN ? zp[1] : INT8_MIN;
		ly->act_max = INT8_MAX;
		scale[0] = scale[1];
		zp[0] = zp[1];
	}
	io->out_scale = scale[0];
	io->out_zp = zp[0];
	return KML_OK;
}

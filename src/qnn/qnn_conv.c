// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_conv.c - int8 conv1d/conv2d with per-channel weights, max and
 * average pooling, NHWC, TFLite's reference definitions (nofpu).
 */
#include "kmlib/qnn_ops.h"
#include "kmlib/qnn.h"
#include "kmlib/fixed.h"
#include "qnn_dot.h"

/* The geometry shared by convolution and pooling windows. */
struct win {
	uint32_t in_h, in_w, k_h, k_w, s_h, s_w, p_h, p_w;
};

static bool in_i8(int32_t v)
{
	return v >= INT8_MIN && v <= INT8_MAX;
}

/* Validate @g; output size per axis (in + 2 pad - k) / stride + 1. */
static int win_out(const struct win *g, uint32_t c, uint32_t *oh, uint32_t *ow)
{
	if (!g->in_h || !g->in_w || !c || !g->k_h || !g->k_w || !g->s_h ||
	    !g->s_w)
		return KML_EINVAL;
	if (g->in_h > KML_QNN_MAX_DIM || g->in_w > KML_QNN_MAX_DIM ||
	    c > KML_QNN_MAX_DIM || g->k_h > KML_QNN_MAX_DIM ||
	    g->k_w > KML_QNN_MAX_DIM || g->s_h > KML_QNN_MAX_DIM ||
	    g->s_w > KML_QNN_MAX_DIM)
		return KML_EOVERFLOW;
	/* a padding as wide as the kernel would give all-padding windows */
	if (g->p_h >= g->k_h || g->p_w >= g->k_w ||
	    g->k_h > g->in_h + 2 * g->p_h || g->k_w > g->in_w + 2 * g->p_w)
		return KML_EINVAL;
	if (oh)
		*oh = (g->in_h + 2 * g->p_h - g->k_h) / g->s_h + 1;
	if (ow)
		*ow = (g->in_w + 2 * g->p_w - g->k_w) / g->s_w + 1;
	return KML_OK;
}

/* Elements of one batch sample (@a x @b x @c), overflow-checked. */
static bool sample_size(uint32_t a, uint32_t b, uint32_t c, size_t batch,
			size_t *out)
{
	size_t n;

	return kml_size_mul(a, b, &n) && kml_size_mul(n, c, &n) &&
	       kml_size_mul(n, batch, out);
}

static void conv_win(const struct kml_qnn_conv2d *p, struct win *g)
{
	g->in_h = p->in_h;
	g->in_w = p->in_w;
	g->k_h = p->k_h;
	g->k_w = p->k_w;
	g->s_h = p->stride_h;
	g->s_w = p->stride_w;
	g->p_h = p->pad_h;
	g->p_w = p->pad_w;
}

int kml_qnn_conv2d_out(const struct kml_qnn_conv2d *p, uint32_t *out_h,
		       uint32_t *out_w)
{
	struct win g;
	uint32_t o;
	int err;

	if (!p || !p->weight || !p->mult || !p->shift || !p->out_c)
		return KML_EINVAL;
	conv_win(p, &g);
	err = win_out(&g, p->in_c, out_h, out_w);
	if (err)
		return err;
	if (p->out_c > KML_QNN_MAX_DIM)
		return KML_EOVERFLOW;
	/* the dot product per output stays exact in int32 */
	if ((uint64_t)p->k_h * p->k_w * p->in_c > KML_QNN_MAX_WIDTH)
		return KML_EOVERFLOW;
	if (!in_i8(p->in_zp) || !in_i8(p->out_zp) || !in_i8(p->act_min) ||
	    !in_i8(p->act_max))
		return KML_ERANGE;
	if (p->act_min > p->act_max)
		return KML_EINVAL;
	for (o = 0; o < p->out_c; o++)
		if (p->mult[o] < 0 || p->shift[o] < -31 || p->shift[o] > 30)
			return KML_EINVAL;
	return KML_OK;
}

/* First and last+1 kernel taps of an axis that fall inside the input. */
static void taps(int64_t start, uint32_t k, uint32_t in, uint32_t *k0,
		 uint32_t *k1)
{
	int64_t lo = start < 0 ? -start : 0, hi = (int64_t)in - start;

	*k0 = (uint32_t)lo;
	*k1 = hi < (int64_t)k ? (uint32_t)hi : k;
}

/* The window of one output position: its origin and valid taps. */
struct pos {
	int64_t iy0, ix0;
	uint32_t y0, y1, x0, x1;
};

static void pos_at(struct pos *w, uint32_t oy, uint32_t ox, const struct win *g)
{
	w->iy0 = (int64_t)oy * g->s_h - g->p_h;
	w->ix0 = (int64_t)ox * g->s_w - g->p_w;
	taps(w->iy0, g->k_h, g->in_h, &w->y0, &w->y1);
	taps(w->ix0, g->k_w, g->in_w, &w->x0, &w->x1);
}

/* Output channel @o at window @w of sample @x. */
static int8_t conv_out(const struct kml_qnn_conv2d *p, const int8_t *x,
		       const struct pos *w, uint32_t o)
{
	const size_t krow = (size_t)p->k_w * p->in_c;
	const int8_t *wo = p->weight + (size_t)o * p->k_h * krow;
	const size_t n = (size_t)(w->x1 - w->x0) * p->in_c;
	int32_t acc = 0, v;
	uint32_t ky;

	for (ky = w->y0; ky < w->y1; ky++) {
		const int8_t *xr = x + ((size_t)(w->iy0 + ky) * p->in_w +
					(size_t)(w->ix0 + w->x0)) *
					   p->in_c;
		const int8_t *wr = wo + ky * krow + (size_t)w->x0 * p->in_c;

		/* the valid taps of a row are contiguous in both arrays; a
		 * window's total stays below KML_QNN_MAX_WIDTH taps: exact */
		acc += qnn_dot_i8_i8(xr, p->in_zp, wr, n);
	}
	if (p->bias)
		acc = kml_qadd_i32(acc, p->bias[o]);
	v = kml_mul_by_qmult(acc, p->mult[o], p->shift[o]);
	v = kml_sat_i32((int64_t)v + p->out_zp);
	v = v < p->act_min ? p->act_min : v;
	return (int8_t)(v > p->act_max ? p->act_max : v);
}

int kml_qnn_conv2d_i8(const struct kml_qnn_conv2d *p, const int8_t *x,
		      size_t batch, int8_t *y)
{
	uint32_t oh, ow, oy, ox, o;
	size_t n_in, n_out, s;
	struct win g;
	struct pos w;
	int err;

	if (!x || !y || !batch)
		return KML_EINVAL;
	err = kml_qnn_conv2d_out(p, &oh, &ow);
	if (err)
		return err;
	if (!sample_size(p->in_h, p->in_w, p->in_c, batch, &n_in) ||
	    !sample_size(oh, ow, p->out_c, batch, &n_out))
		return KML_EOVERFLOW;
	n_in /= batch;
	conv_win(p, &g);
	for (s = 0; s < batch; s++, x += n_in)
		for (oy = 0; oy < oh; oy++)
			for (ox = 0; ox < ow; ox++) {
				pos_at(&w, oy, ox, &g);
				for (o = 0; o < p->out_c; o++)
					*y++ = conv_out(p, x, &w, o);
			}
	return KML_OK;
}

static void pool_win(const struct kml_qnn_pool2d *p, struct win *g)
{
	g->in_h = p->in_h;
	g->in_w = p->in_w;
	g->k_h = p->k_h;
	g->k_w = p->k_w;
	g->s_h = p->stride_h;
	g->s_w = p->stride_w;
	g->p_h = p->pad_h;
	g->p_w = p->pad_w;
}

int kml_qnn_pool2d_out(const struct kml_qnn_pool2d *p, uint32_t *out_h,
		       uint32_t *out_w)
{
	struct win g;
	int err;

	if (!p)
		return KML_EINVAL;
	pool_win(p, &g);
	err = win_out(&g, p->c, out_h, out_w);
	if (err)
		return err;
	if (!in_i8(p->act_min) || !in_i8(p->act_max))
		return KML_ERANGE;
	return p->act_min > p->act_max ? KML_EINVAL : KML_OK;
}

/* Channel @c at window @w of sample @x: max or TFLite's rounded mean. */
static int8_t pool_out(const struct kml_qnn_pool2d *p, const int8_t *x,
		       const struct pos *w, uint32_t c, bool avg)
{
	/* at most 65535^2 values of |v| <= 128: int64 */
	int64_t sum = 0, cnt, v;
	int32_t m = INT8_MIN, e;
	uint32_t ky, kx;

	for (ky = w->y0; ky < w->y1; ky++)
		for (kx = w->x0; kx < w->x1; kx++) {
			e = x[((size_t)(w->iy0 + ky) * p->in_w +
			       (size_t)(w->ix0 + kx)) *
				  p->c +
			      c];
			sum += e;
			m = e > m ? e : m;
		}
	cnt = (int64_t)(w->y1 - w->y0) * (w->x1 - w->x0); /* >= 1 */
	if (avg)
		v = (sum > 0 ? sum + cnt / 2 : sum - cnt / 2) / cnt;
	else
		v = m;
	v = v < p->act_min ? p->act_min : v;
	return (int8_t)(v > p->act_max ? p->act_max : v);
}

static int pool(const struct kml_qnn_pool2d *p, const int8_t *x, size_t batch,
		int8_t *y, bool avg)
{
	uint32_t oh, ow, oy, ox, c;
	size_t n_in, n_out, s;
	struct win g;
	struct pos w;
	int err;

	if (!x || !y || !batch)
		return KML_EINVAL;
	err = kml_qnn_pool2d_out(p, &oh, &ow);
	if (err)
		return err;
	if (!sample_size(p->in_h, p->in_w, p->c, batch, &n_in) ||
	    !sample_size(oh, ow, p->c, batch, &n_out))
		return KML_EOVERFLOW;
	n_in /= batch;
	pool_win(p, &g);
	for (s = 0; s < batch; s++, x += n_in)
		for (oy = 0; oy < oh; oy++)
			for (ox = 0; ox < ow; ox++) {
				pos_at(&w, oy, ox, &g);
				for (c = 0; c < p->c; c++)
					*y++ = pool_out(p, x, &w, c, avg);
			}
	return KML_OK;
}

int kml_qnn_maxpool2d_i8(const struct kml_qnn_pool2d *p, const int8_t *x,
			 size_t batch, int8_t *y)
{
	return pool(p, x, batch, y, false);
}

int kml_qnn_avgpool2d_i8(const struct kml_qnn_pool2d *p, const int8_t *x,
			 size_t batch, int8_t *y)
{
	return pool(p, x, batch, y, true);
}

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qtrain_step.c - forward, backward and the SGD update of the fixed-point
 * MLP, exactly as include/kmlib/qtrain.h defines them (nofpu).
 */
#include "kmlib/qtrain.h"
#include "kmlib/fixed.h"
#include "qtrain_impl.h"

static inline int32_t rnd(int64_t v, unsigned int k)
{
	return kml_sat_i32(kml_rshift_round(v, k, KML_ROUND_HALF_EVEN));
}

/* Q_F -> Q3.12 (tanh's input), saturated. */
static inline int16_t to_q12(int16_t z, unsigned int f)
{
	if (f <= 12)
		return kml_sat_i16((int64_t)z * (1 << (12 - f)));
	return (int16_t)rnd(z, f - 12);
}

/* tanh(z) in Q0.15 for z in Q_F. */
static inline int32_t tanh15(int16_t z, unsigned int f)
{
	return kml_tanh_q15(to_q12(z, f));
}

/* One dense layer: z = W x + b over @batch rows, then h. */
static void dense_fwd(const struct kml_qmlp *q, const struct qmlp_layer *ly,
		      const int16_t *x, size_t batch, bool hidden)
{
	const unsigned int f = q->cfg.frac;
	size_t s;
	uint32_t o, i;

	for (s = 0; s < batch; s++, x += ly->in) {
		int16_t *z = ly->z + s * ly->out, *h = ly->h + s * ly->out;

		for (o = 0; o < ly->out; o++) {
			const int16_t *w = ly->w + (size_t)o * ly->in;
			int32_t acc = (int32_t)ly->b[o] * (1 << f);

			for (i = 0; i < ly->in; i++)
				acc = kml_qadd_i32(acc, (int32_t)w[i] * x[i]);
			z[o] = kml_sat_i16(rnd(acc, f));
			if (!hidden)
				h[o] = z[o];
			else if (q->cfg.hidden_act == KML_QACT_RELU)
				h[o] = z[o] > 0 ? z[o] : 0;
			else
				h[o] =
				    kml_sat_i16(rnd(tanh15(z[o], f), 15 - f));
		}
	}
}

static void forward(struct kml_qmlp *q, const int16_t *x, size_t batch)
{
	uint32_t l;

	for (l = 0; l < q->n_layers; l++) {
		dense_fwd(q, &q->layer[l], x, batch, l + 1 < q->n_layers);
		x = q->layer[l].h;
	}
}

int kml_qmlp_forward(struct kml_qmlp *q, const int16_t *x, size_t batch,
		     int16_t *y)
{
	const struct qmlp_layer *last;

	if (!q || !x || !y || !batch || batch > q->max_batch)
		return KML_EINVAL;
	forward(q, x, batch);
	last = &q->layer[q->n_layers - 1];
	kml_memcpy(y, last->h, batch * last->out * sizeof(int16_t));
	return KML_OK;
}

/*
 * Gradients of layer @ly from @delta (batch x out) and its input @x
 * (batch x in); @shift = 2F + log2(B) - 1 - G.
 */
static void dense_grads(const struct qmlp_layer *ly, const int16_t *delta,
			const int16_t *x, size_t batch, unsigned int f,
			unsigned int shift)
{
	uint32_t o, i;
	size_t s;

	for (o = 0; o < ly->out; o++) {
		int32_t gb = 0;

		for (i = 0; i < ly->in; i++) {
			int32_t acc = 0;

			for (s = 0; s < batch; s++)
				acc = kml_qadd_i32(
				    acc, (int32_t)delta[s * ly->out + o] *
					     x[s * ly->in + i]);
			ly->gw[(size_t)o * ly->in + i] =
			    kml_sat_i16(rnd(acc, shift));
		}
		for (s = 0; s < batch; s++)
			gb = kml_qadd_i32(gb, (int32_t)delta[s * ly->out + o] *
						  (1 << f));
		ly->gb[o] = kml_sat_i16(rnd(gb, shift));
	}
}

/*
 * delta of the hidden layer @lo (below @hi) from @hi's delta: through
 * hi's weights, then lo's activation.
 */
static void hidden_delta(const struct kml_qmlp *q, const struct qmlp_layer *lo,
			 const struct qmlp_layer *hi, const int16_t *dhi,
			 size_t batch, int16_t *dlo)
{
	const unsigned int f = q->cfg.frac;
	uint32_t j, o;
	size_t s;

	for (s = 0; s < batch; s++) {
		for (j = 0; j < lo->out; j++) {
			int16_t z = lo->z[s * lo->out + j], dh;
			int32_t acc = 0, t, d;

			for (o = 0; o < hi->out; o++)
				acc = kml_qadd_i32(
				    acc, (int32_t)dhi[s * hi->out + o] *
					     hi->w[(size_t)o * hi->in + j]);
			dh = kml_sat_i16(rnd(acc, f));
			if (q->cfg.hidden_act == KML_QACT_RELU) {
				dlo[s * lo->out + j] = z > 0 ? dh : 0;
				continue;
			}
			t = tanh15(z, f);
			d = 32768 - rnd((int64_t)t * t, 15);
			dlo[s * lo->out + j] =
			    kml_sat_i16(rnd((int64_t)dh * d, 15));
		}
	}
}

/* p = sat16(p - round(g lr / 2^k)) for @n parameters. */
static void sgd(struct kml_qmlp *q, int16_t *p, const int16_t *g, size_t n)
{
	const unsigned int k = q->cfg.grad_frac + 15 - q->cfg.frac;
	const uint32_t mask = k ? ((uint32_t)1 << k) - 1 : 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int32_t v = (int32_t)g[i] * q->cfg.lr_q15, s;

		if (q->cfg.round == KML_QROUND_STOCHASTIC) {
			int64_t u = kml_prng_u32(&q->prng) & mask;

			s = (int32_t)(((int64_t)v + u) >> k);
		} else {
			s = rnd(v, k);
		}
		p[i] = kml_sat_i16((int64_t)p[i] - s);
	}
}

static unsigned int log2_pow2(size_t v)
{
	unsigned int b = 0;

	while (v > 1) {
		v >>= 1;
		b++;
	}
	return b;
}

int kml_qmlp_step(struct kml_qmlp *q, const int16_t *x, const int16_t *target,
		  size_t batch, int64_t *sq_err)
{
	const struct kml_qtrain_cfg *c;
	struct qmlp_layer *last;
	int16_t *delta, *next;
	unsigned int shift;
	int64_t se = 0;
	size_t i;
	uint32_t l;

	if (!q || !x || !target || !batch || batch > q->max_batch ||
	    (batch & (batch - 1)))
		return KML_EINVAL;
	c = &q->cfg;
	forward(q, x, batch);
	last = &q->layer[q->n_layers - 1];
	delta = q->delta[0];
	for (i = 0; i < batch * last->out; i++) {
		int32_t e = (int32_t)last->h[i] - target[i];

		se += (int64_t)e * e;
		delta[i] = kml_sat_i16(e);
	}
	shift = 2 * c->frac + log2_pow2(batch) - 1 - c->grad_frac;
	for (l = q->n_layers; l-- > 0;) {
		const struct qmlp_layer *ly = &q->layer[l];
		const int16_t *in = l ? q->layer[l - 1].h : x;

		dense_grads(ly, delta, in, batch, c->frac, shift);
		if (!l)
			break;
		next = delta == q->delta[0] ? q->delta[1] : q->delta[0];
		hidden_delta(q, &q->layer[l - 1], ly, delta, batch, next);
		delta = next;
	}
	for (l = 0; l < q->n_layers; l++) {
		struct qmlp_layer *ly = &q->layer[l];

		sgd(q, ly->w, ly->gw, (size_t)ly->in * ly->out);
		sgd(q, ly->b, ly->gb, ly->out);
	}
	if (sq_err)
		*sq_err = se;
	return KML_OK;
}

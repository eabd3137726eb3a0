// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_lstm.c - the quantized LSTM cell of qnn_ops.h: int8 weights and
 * activations, Q3.12 gate pre-activations, int16 Q4.11 cell (nofpu).
 */
#include "kmlib/qnn_ops.h"
#include "kmlib/qnn.h"
#include "kmlib/fixed.h"
#include "qnn_dot.h"

static int lstm_check(const struct kml_qnn_lstm *p)
{
	uint32_t r;

	if (!p || !p->w_ih || !p->w_hh || !p->bias || !p->mult_ih ||
	    !p->shift_ih || !p->mult_hh || !p->shift_hh || !p->in || !p->hidden)
		return KML_EINVAL;
	if (p->in > KML_QNN_MAX_WIDTH || p->hidden > KML_QNN_MAX_WIDTH)
		return KML_EOVERFLOW;
	if (p->x_zp < INT8_MIN || p->x_zp > INT8_MAX)
		return KML_ERANGE;
	for (r = 0; r < 4 * p->hidden; r++)
		if (p->mult_ih[r] < 0 || p->shift_ih[r] < -31 ||
		    p->shift_ih[r] > 30 || p->mult_hh[r] < 0 ||
		    p->shift_hh[r] < -31 || p->shift_hh[r] > 30)
			return KML_EINVAL;
	return KML_OK;
}

/* Gate row @r's pre-activation in Q3.12 from its exact sums @ax, @ah. */
static int16_t gate_z(const struct kml_qnn_lstm *p, size_t r, int32_t ax,
		      int32_t ah)
{
	int32_t a = kml_qadd_i32(ax, p->bias[r]);

	return kml_sat_i16(
	    (int64_t)kml_mul_by_qmult(a, p->mult_ih[r], p->shift_ih[r]) +
	    kml_mul_by_qmult(ah, p->mult_hh[r], p->shift_hh[r]));
}

/*
 * The four gates' pre-activations (i, f, g, o) of unit @k in Q3.12;
 * @hp NULL: h = 0.
 */
static void gates_z(const struct kml_qnn_lstm *p, uint32_t k, const int8_t *x,
		    const int8_t *hp, int16_t *z)
{
	const size_t n = p->hidden;
	int32_t ax[4], ah[4] = { 0 };
	uint32_t g;

	/* |x - zp| <= 255, |h|, |w| <= 128, widths <= 33025: exact */
	qnn_dot4_i8_i8(x, p->x_zp, p->w_ih + k * (size_t)p->in, n * p->in,
		       p->in, ax);
	if (hp)
		qnn_dot4_i8_i8(hp, 0, p->w_hh + k * n, n * n, p->hidden, ah);
	for (g = 0; g < 4; g++)
		z[g] = gate_z(p, g * n + k, ax[g], ah[g]);
}

static int64_t rnd(int64_t v, unsigned int n)
{
	return kml_rshift_round(v, n, KML_ROUND_HALF_AWAY);
}

/* One unit from its gates' pre-activations: new c in place, new h. */
static inline void lstm_unit(int16_t zi, int16_t zf, int16_t zg, int16_t zo,
			     int16_t *c, int8_t *h)
{
	int32_t i = kml_sigmoid_q15(zi), f = kml_sigmoid_q15(zf);
	int32_t g = kml_tanh_q15(zg), o = kml_sigmoid_q15(zo), t;
	int16_t cv;

	cv = kml_sat_i16(rnd((int64_t)f * *c, 15) + rnd((int64_t)i * g, 19));
	t = kml_tanh_q15(kml_sat_i16(2 * (int32_t)cv));
	*c = cv;
	*h = kml_sat_i8(rnd((int64_t)o * t, 23));
}

#ifdef KML_SIMD_WIDE
#include "qnn_lstm_wide.h" /* lstm_step_avx2() */
#endif

/* One step of one sample: new c in place, new h into @h. */
static void lstm_step(const struct kml_qnn_lstm *p, const int8_t *x,
		      const int8_t *hp, int16_t *c, int8_t *h)
{
	const uint32_t n = p->hidden;
	uint32_t k;

#ifdef KML_SIMD_WIDE
	if (p->in <= QL_MAX_IN && n <= QL_MAX_HIDDEN && kml_cpu_has_avx2()) {
		lstm_step_avx2(p, x, hp, c, h);
		return;
	}
#endif
	for (k = 0; k < n; k++) {
		int16_t z[4];

		gates_z(p, k, x, hp, z);
		lstm_unit(z[0], z[1], z[2], z[3], c + k, h + k);
	}
}

int kml_qnn_lstm_run(const struct kml_qnn_lstm *p, const int8_t *x,
		     size_t batch, size_t steps, const int8_t *h0, int16_t *c,
		     int8_t *hs)
{
	size_t s, t, n_x, n_h;
	int err;

	if (!x || !c || !hs || !batch || !steps)
		return KML_EINVAL;
	err = lstm_check(p);
	if (err)
		return err;
	if (!kml_size_mul(steps, p->in, &n_x) ||
	    !kml_size_mul(steps, p->hidden, &n_h) ||
	    !kml_size_mul(batch, n_x, &n_x) || !kml_size_mul(batch, n_h, &n_h))
		return KML_EOVERFLOW;
	for (s = 0; s < batch; s++) {
		const int8_t *hp = h0 ? h0 + s * p->hidden : NULL;
		int16_t *cs = c + s * p->hidden;

		for (t = 0; t < steps; t++) {
			const int8_t *xt = x + (s * steps + t) * p->in;
			int8_t *ht = hs + (s * steps + t) * p->hidden;

			lstm_step(p, xt, hp, cs, ht);
			hp = ht;
		}
	}
	return KML_OK;
}

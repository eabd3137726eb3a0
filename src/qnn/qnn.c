// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn.c - int8 MLP inference (nofpu: no float anywhere in this file).
 */
#include "kmlib/qnn.h"
#include "kmlib/fixed.h"
#include "qnn_impl.h"
#include "qnn_requant.h"

void kml_qnn_destroy(struct kml_qnn *q)
{
	if (!q)
		return;
	kml_free(q->mem, q->block);
	kml_free(q->mem, q);
}

/* Bytes of one layer's parameters, overflow-checked. */
static bool layer_bytes(uint32_t in, uint32_t out, size_t *bytes)
{
	size_t w, b;

	/* weights padded to 16 bytes so the int32 arrays stay aligned */
	if (!kml_size_mul(in, out, &w) || !kml_size_add(w, 15, &w))
		return false;
	w &= ~(size_t)15;
	b = (size_t)out * 3 * sizeof(int32_t);
	return kml_size_add(w, b, bytes);
}

int kml_qnn_create(struct kml_qnn **out, struct kml_mem *mem,
		   const uint32_t *sizes, uint32_t n_layers, size_t max_batch)
{
	struct kml_qnn *q;
	size_t total = 0, width = 0, act, bytes;
	uint8_t *p;
	uint32_t l;
	int err;

	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!mem || !sizes || !n_layers || n_layers > KML_QNN_MAX_LAYERS ||
	    !max_batch)
		return KML_EINVAL;
	for (l = 0; l <= n_layers; l++) {
		if (!sizes[l])
			return KML_EINVAL;
		if (sizes[l] > KML_QNN_MAX_WIDTH)
			return KML_EOVERFLOW;
		if (sizes[l] > width)
			width = sizes[l];
	}
	for (l = 0; l < n_layers; l++) {
		if (!layer_bytes(sizes[l], sizes[l + 1], &bytes) ||
		    !kml_size_add(total, bytes, &total))
			return KML_EOVERFLOW;
	}
	/* two ping-pong activation buffers of max_batch x widest layer */
	if (!kml_size_mul(width, max_batch, &act) ||
	    !kml_size_add(act, 15, &act))
		return KML_EOVERFLOW;
	act &= ~(size_t)15;
	if (!kml_size_add(total, act, &total) ||
	    !kml_size_add(total, act, &total) ||
	    !kml_size_add(total, width * sizeof(int16_t), &total))
		return KML_EOVERFLOW;

	err = kml_alloc(mem, sizeof(*q), KML_MEM_ZERO, (void **)&q);
	if (err)
		return err;
	err = kml_alloc(mem, total, KML_MEM_ZERO, (void **)&q->block);
	if (err) {
		kml_free(mem, q);
		return err;
	}
	q->mem = mem;
	q->n_layers = n_layers;
	q->max_batch = max_batch;
	p = q->block;
	for (l = 0; l < n_layers; l++) {
		struct kml_qnn_layer *ly = &q->layer[l];
		size_t w = ((size_t)sizes[l] * sizes[l + 1] + 15) & ~(size_t)15;

		ly->in = sizes[l];
		ly->out = sizes[l + 1];
		ly->act_min = INT8_MIN;
		ly->act_max = INT8_MAX;
		ly->weight = (int8_t *)p;
		p += w;
		ly->bias = (int32_t *)p;
		ly->mult = ly->bias + ly->out;
		ly->shift = ly->mult + ly->out;
		p += (size_t)ly->out * 3 * sizeof(int32_t);
		q->param_bytes += (size_t)ly->in * ly->out +
				  (size_t)ly->out * 3 * sizeof(int32_t);
	}
	q->act[0] = (int8_t *)p;
	q->act[1] = (int8_t *)p + act;
	q->x16 = (int16_t *)(p + 2 * act);
	*out = q;
	return KML_OK;
}

uint32_t kml_qnn_layers(const struct kml_qnn *q)
{
	return q ? q->n_layers : 0;
}

int kml_qnn_layer(struct kml_qnn *q, uint32_t l, struct kml_qnn_layer **out)
{
	if (!out)
		return KML_EINVAL;
	*out = NULL;
	if (!q || l >= q->n_layers)
		return KML_EINVAL;
	*out = &q->layer[l];
	return KML_OK;
}

size_t kml_qnn_param_bytes(const struct kml_qnn *q)
{
	return q ? q->param_bytes : 0;
}

static bool in_i8(int32_t v)
{
	return v >= INT8_MIN && v <= INT8_MAX;
}

/* The per-layer checks (kml_qnn_run() makes these on every call). */
static int check_layers(const struct kml_qnn *q)
{
	uint32_t l;

	for (l = 0; l < q->n_layers; l++) {
		const struct kml_qnn_layer *ly = &q->layer[l];

		if (!in_i8(ly->in_zp) || !in_i8(ly->out_zp) ||
		    !in_i8(ly->act_min) || !in_i8(ly->act_max))
			return KML_ERANGE;
		if (ly->act_min > ly->act_max)
			return KML_EINVAL;
		if (l && ly->in_zp != q->layer[l - 1].out_zp)
			return KML_EINVAL;
	}
	return KML_OK;
}

int kml_qnn_check(const struct kml_qnn *q)
{
	uint32_t l, o;
	int err;

	if (!q)
		return KML_EINVAL;
	err = check_layers(q);
	if (err)
		return err;
	for (l = 0; l < q->n_layers; l++) {
		const struct kml_qnn_layer *ly = &q->layer[l];

		for (o = 0; o < ly->out; o++)
			if (ly->mult[o] < 0 || ly->shift[o] < -31 ||
			    ly->shift[o] > 30)
				return KML_EINVAL;
	}
	return KML_OK;
}

#if defined(__SSE2__)
/*
 * User space on x86-64: PMADDWD multiplies eight int16 pairs and adds
 * adjacent products into four int32. The weights are offset to unsigned
 * (w ^ 0x80 = w + 128, 0..255) so widening is an unpack with zero; the
 * offset comes out once per sample: sum x w = sum x (w + 128) - 128 sum x.
 * x - zp fits int16 (|.| <= 255), each pair sum (<= 2 x 255 x 255) fits
 * int32, so the sums are the same exact integers as the scalar loop's:
 * outputs are bit-identical with the kernel's, which builds this file
 * without SSE.
 */
typedef int8_t qnn_v16qi __attribute__((vector_size(16)));
typedef int16_t qnn_v8hi __attribute__((vector_size(16)));
typedef int32_t qnn_v4si __attribute__((vector_size(16)));

static inline int32_t hsum(qnn_v4si v)
{
	return v[0] + v[1] + v[2] + v[3];
}

/* Rows of 16 weights: their low and high 8, offset and widened. */
static inline void widen16(const int8_t *w, qnn_v8hi *lo, qnn_v8hi *hi)
{
	const qnn_v16qi flip = { -128, -128, -128, -128, -128, -128, -128,
				 -128, -128, -128, -128, -128, -128, -128,
				 -128, -128 };
	const qnn_v16qi zero = { 0 };
	qnn_v16qi v;

	kml_memcpy(&v, w, sizeof(v));
	v ^= flip;
	*lo = (qnn_v8hi)__builtin_shufflevector(v, zero, 0, 16, 1, 17, 2, 18,
						3, 19, 4, 20, 5, 21, 6, 22,
						7, 23);
	*hi = (qnn_v8hi)__builtin_shufflevector(v, zero, 8, 24, 9, 25, 10,
						26, 11, 27, 12, 28, 13, 29,
						14, 30, 15, 31);
}

/* a += x0 . (w[0..7] + 128) + x1 . (w[8..15] + 128) */
#define QNN_MADD16(a, w, x0, x1)                                   \
	do {                                                       \
		qnn_v8hi lo_, hi_;                                 \
		widen16((w), &lo_, &hi_);                          \
		(a) += __builtin_ia32_pmaddwd128(lo_, (x0));       \
		(a) += __builtin_ia32_pmaddwd128(hi_, (x1));       \
	} while (0)

/*
 * sum x[i] (w[r n + i] + 128) over i < n16 for rows r = 0..3, minus the
 * offset 128 @xsum16.
 */
static void dot4_v(const int16_t *x, const int8_t *w, uint32_t n,
		   uint32_t n16, int32_t xsum16, int32_t *out)
{
	qnn_v4si a0 = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 };
	uint32_t i;

	for (i = 0; i < n16; i += 16) {
		qnn_v8hi x0, x1;

		kml_memcpy(&x0, x + i, sizeof(x0));
		kml_memcpy(&x1, x + i + 8, sizeof(x1));
		QNN_MADD16(a0, w + i, x0, x1);
		QNN_MADD16(a1, w + n + i, x0, x1);
		QNN_MADD16(a2, w + 2 * (size_t)n + i, x0, x1);
		QNN_MADD16(a3, w + 3 * (size_t)n + i, x0, x1);
	}
	/* transpose-and-add: the four row sums in one vector */
	a0 = (qnn_v4si)__builtin_shufflevector(a0, a1, 0, 4, 1, 5) +
	     (qnn_v4si)__builtin_shufflevector(a0, a1, 2, 6, 3, 7);
	a2 = (qnn_v4si)__builtin_shufflevector(a2, a3, 0, 4, 1, 5) +
	     (qnn_v4si)__builtin_shufflevector(a2, a3, 2, 6, 3, 7);
	a0 = (qnn_v4si)__builtin_shufflevector(a0, a2, 0, 1, 4, 5) +
	     (qnn_v4si)__builtin_shufflevector(a0, a2, 2, 3, 6, 7);
	a0 -= 128 * xsum16;
	kml_memcpy(out, &a0, sizeof(a0));
}

/* The same for one row. */
static int32_t dot1_v(const int16_t *x, const int8_t *w, uint32_t n16)
{
	qnn_v4si a0 = { 0 };
	uint32_t i;

	for (i = 0; i < n16; i += 16) {
		qnn_v8hi x0, x1;

		kml_memcpy(&x0, x + i, sizeof(x0));
		kml_memcpy(&x1, x + i + 8, sizeof(x1));
		QNN_MADD16(a0, w + i, x0, x1);
	}
	return hsum(a0);
}

/* Exact dot products of @x with 4 rows (@rows4) or 1 row at @w. */
static void dot_rows(const int16_t *x, int32_t xsum16, const int8_t *w,
		     uint32_t n, bool rows4, int32_t *out)
{
	uint32_t n16 = n & ~15u, i, r, rows = rows4 ? 4 : 1;

	if (rows4)
		dot4_v(x, w, n, n16, xsum16, out);
	else
		out[0] = dot1_v(x, w, n16) - 128 * xsum16;
	for (r = 0; n16 < n && r < rows; r++)
		for (i = n16; i < n; i++)
			out[r] += x[i] * w[(size_t)r * n + i];
}

/*
 * x16 = x - zp; returns the sum of x16[0 .. n16 - 1] (for the offset).
 * Bytes widen by unpacking with themselves and an arithmetic shift;
 * PMADDWD by ones sums pairs into int32 lanes.
 */
static int32_t prep_input(const int8_t *x, int32_t zp, uint32_t n,
			  int16_t *x16)
{
	const qnn_v8hi ones = { 1, 1, 1, 1, 1, 1, 1, 1 };
	const qnn_v8hi z = { (int16_t)zp, (int16_t)zp, (int16_t)zp,
			     (int16_t)zp, (int16_t)zp, (int16_t)zp,
			     (int16_t)zp, (int16_t)zp };
	qnn_v4si s = { 0 };
	uint32_t i, n16 = n & ~15u;

	for (i = 0; i < n16; i += 16) {
		qnn_v16qi v;
		qnn_v8hi lo, hi;

		kml_memcpy(&v, x + i, sizeof(v));
		lo = ((qnn_v8hi)__builtin_shufflevector(v, v, 0, 0, 1, 1, 2, 2,
							 3, 3, 4, 4, 5, 5, 6,
							 6, 7, 7) >> 8) - z;
		hi = ((qnn_v8hi)__builtin_shufflevector(v, v, 8, 8, 9, 9, 10,
							 10, 11, 11, 12, 12,
							 13, 13, 14, 14, 15,
							 15) >> 8) - z;
		kml_memcpy(x16 + i, &lo, sizeof(lo));
		kml_memcpy(x16 + i + 8, &hi, sizeof(hi));
		s += __builtin_ia32_pmaddwd128(lo, ones);
		s += __builtin_ia32_pmaddwd128(hi, ones);
	}
	for (; i < n; i++)
		x16[i] = (int16_t)(x[i] - zp);
	return hsum(s);
}
#else
/* Portable (the kernel): plain exact sums. */
static void dot_rows(const int16_t *x, int32_t xsum16, const int8_t *w,
		     uint32_t n, bool rows4, int32_t *out)
{
	uint32_t i, r, rows = rows4 ? 4 : 1;

	(void)xsum16;
	for (r = 0; r < rows; r++, w += n) {
		int32_t s = 0;

		for (i = 0; i < n; i++)
			s += x[i] * w[i];
		out[r] = s;
	}
}

static int32_t prep_input(const int8_t *x, int32_t zp, uint32_t n,
			  int16_t *x16)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		x16[i] = (int16_t)(x[i] - zp);
	return 0;
}
#endif

/* Output stage of channel @o for the exact sum @acc. */
static KML_ALWAYS_INLINE int8_t out_stage(const struct kml_qnn_layer *ly,
					  uint32_t o, int32_t acc)
{
	int32_t v;

	if (qnn_rq_ok(ly->mult[o], ly->shift[o]))
		return qnn_rq(acc, ly->bias[o], ly->mult[o], ly->shift[o],
			      ly->out_zp, ly->act_min, ly->act_max);
	acc = kml_qadd_i32(acc, ly->bias[o]);
	v = kml_mul_by_qmult(acc, ly->mult[o], ly->shift[o]);
	v = kml_sat_i32((int64_t)v + ly->out_zp);
	v = v < ly->act_min ? ly->act_min : v > ly->act_max ? ly->act_max : v;
	return (int8_t)v;
}

/* Channels @o..o+3 at once where SIMD can (qnn_requant.h); false: not done. */
static inline bool out_stage4(const struct kml_qnn_layer *ly, uint32_t o,
			      const int32_t *acc, int8_t *y)
{
#if defined(__SSE2__)
	if (qnn_rq4_ok(ly->mult + o, ly->shift + o)) {
		qnn_rq4(acc, ly->bias + o, ly->mult + o, ly->shift[o],
			ly->out_zp, ly->act_min, ly->act_max, y);
		return true;
	}
#endif
	(void)ly;
	(void)o;
	(void)acc;
	(void)y;
	return false;
}

/*
 * One layer over @batch rows; parameters already checked. @x16 holds
 * ly->in int16 of scratch for the input minus its zero point.
 */
static void layer_run(const struct kml_qnn_layer *ly, const int8_t *x,
		      size_t batch, int8_t *y, int16_t *x16)
{
	const int32_t zp = ly->in_zp;
	const uint32_t n_in = ly->in, n_out = ly->out;
	size_t s;
	uint32_t o, i;

	for (s = 0; s < batch; s++, x += n_in, y += n_out) {
		const int8_t *w = ly->weight;
		int32_t acc[4], xs;

		xs = prep_input(x, zp, n_in, x16);
		/* |x - zp| <= 255, |w| <= 128, in <= 33025: sums fit int32 */
		for (o = 0; o + 4 <= n_out; o += 4, w += 4 * (size_t)n_in) {
			dot_rows(x16, xs, w, n_in, true, acc);
			if (out_stage4(ly, o, acc, y + o))
				continue;
			for (i = 0; i < 4; i++)
				y[o + i] = out_stage(ly, o + i, acc[i]);
		}
		for (; o < n_out; o++, w += n_in) {
			dot_rows(x16, xs, w, n_in, false, acc);
			y[o] = out_stage(ly, o, acc[0]);
		}
	}
}

int kml_qnn_run(struct kml_qnn *q, const int8_t *in, size_t batch,
		int8_t *out)
{
	const int8_t *x = in;
	uint32_t l;
	int err;

	if (!q || !in || !out || !batch || batch > q->max_batch)
		return KML_EINVAL;
	err = check_layers(q);
	if (err)
		return err;
	for (l = 0; l < q->n_layers; l++) {
		int8_t *y = l + 1 == q->n_layers ? out : q->act[l & 1];

		layer_run(&q->layer[l], x, batch, y, q->x16);
		x = y;
	}
	return KML_OK;
}

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn.c - int8 MLP inference (nofpu: no float anywhere in this file).
 */
#include "kmlib/qnn.h"
#include "kmlib/fixed.h"
#include "qnn_impl.h"
#include "qnn_isa.h"
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

/*
 * Portable (the kernel, and KML_QNN_ISA_PORTABLE): plain exact sums; four
 * rows share each input load and the loop's overhead.
 */
static void dot_rows_port(const int16_t *x, const int8_t *w, uint32_t n,
			  bool rows4, int32_t *out)
{
	int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
	const int8_t *w1, *w2, *w3;
	uint32_t i;

	if (!rows4) {
		for (i = 0; i < n; i++)
			s0 += x[i] * w[i];
		out[0] = s0;
		return;
	}
	w1 = w + n;
	w2 = w1 + n;
	w3 = w2 + n;
	for (i = 0; i < n; i++) {
		int32_t xi = x[i];

		s0 += xi * w[i];
		s1 += xi * w1[i];
		s2 += xi * w2[i];
		s3 += xi * w3[i];
	}
	out[0] = s0;
	out[1] = s1;
	out[2] = s2;
	out[3] = s3;
}

static void prep_input_port(const int8_t *x, int32_t zp, uint32_t n,
			    int16_t *x16)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		x16[i] = (int16_t)(x[i] - zp);
}

#ifdef KML_SIMD_SSE2
#include "qnn_dot_sse2.h" /* dot_rows(), prep_input() */
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
#ifdef KML_SIMD_SSE2
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

static void layer_run(const struct kml_qnn_layer *ly, const int8_t *x,
		      size_t batch, int8_t *y, int16_t *x16, bool sse2);

#ifdef KML_SIMD_WIDE
#include "qnn_requant8.h" /* qnn_rq8() */

typedef int8_t qnn_b16 __attribute__((vector_size(16)));
typedef int8_t qnn_b32 __attribute__((vector_size(32)));

#define QW(name) name##_avx2
#define QW_TARGET KML_TARGET_AVX2
#define QW_L 16u
#define qw_hv kml_v16hi
#define qw_bv qnn_b16
#define qw_sv kml_v8si
#define QW_MADD(a, b) kml_simd_madd_i16x16(a, b)
#define QW_WIDEN(b) kml_simd_widen_i8x16(b)
#define QW_FOLD8(v) (v)
#include "qnn_dot_wide_tmpl.h"
#include "qnn_layer_wide_tmpl.h"
#undef QW
#undef QW_TARGET
#undef QW_L
#undef qw_hv
#undef qw_bv
#undef qw_sv
#undef QW_MADD
#undef QW_WIDEN
#undef QW_FOLD8

#define QW(name) name##_avx512
#define QW_TARGET KML_TARGET_AVX512_BW
#define QW_L 32u
#define qw_hv kml_v32hi
#define qw_bv qnn_b32
#define qw_sv kml_v16si
#define QW_MADD(a, b) kml_simd_madd_i16x32(a, b)
#define QW_WIDEN(b) __builtin_convertvector((b), kml_v32hi)
#define QW_FOLD8(v)                                                            \
	(__builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) +               \
	 __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15))
#include "qnn_dot_wide_tmpl.h"
#include "qnn_layer_wide_tmpl.h"
#undef QW
#undef QW_TARGET
#undef QW_L
#undef qw_hv
#undef qw_bv
#undef qw_sv
#undef QW_MADD
#undef QW_WIDEN
#undef QW_FOLD8
#endif /* KML_SIMD_WIDE */

/*
 * One layer over @batch rows on the portable or SSE2 path; parameters
 * already checked. @x16 holds ly->in int16 of scratch for the input
 * minus its zero point.
 */
static void layer_run(const struct kml_qnn_layer *ly, const int8_t *x,
		      size_t batch, int8_t *y, int16_t *x16, bool sse2)
{
	const int32_t zp = ly->in_zp;
	const uint32_t n_in = ly->in, n_out = ly->out;
	size_t s;
	uint32_t o, i;

	for (s = 0; s < batch; s++, x += n_in, y += n_out) {
		const int8_t *w = ly->weight;
		int32_t acc[4];

		/* |x - zp| <= 255, |w| <= 128, in <= 33025: sums fit int32 */
#ifdef KML_SIMD_SSE2
		if (sse2) {
			prep_input(x, zp, n_in, x16);
			for (o = 0; o + 4 <= n_out;
			     o += 4, w += 4 * (size_t)n_in) {
				dot_rows(x16, 0, w, n_in, true, acc);
				if (out_stage4(ly, o, acc, y + o))
					continue;
				for (i = 0; i < 4; i++)
					y[o + i] = out_stage(ly, o + i, acc[i]);
			}
			for (; o < n_out; o++, w += n_in) {
				dot_rows(x16, 0, w, n_in, false, acc);
				y[o] = out_stage(ly, o, acc[0]);
			}
			continue;
		}
#endif
		(void)sse2;
		prep_input_port(x, zp, n_in, x16);
		for (o = 0; o + 4 <= n_out; o += 4, w += 4 * (size_t)n_in) {
			dot_rows_port(x16, w, n_in, true, acc);
			for (i = 0; i < 4; i++)
				y[o + i] = out_stage(ly, o + i, acc[i]);
		}
		for (; o < n_out; o++, w += n_in) {
			dot_rows_port(x16, w, n_in, false, acc);
			y[o] = out_stage(ly, o, acc[0]);
		}
	}
}

/* The widest path this build and CPU have. */
static int best_isa(void)
{
	if (kml_cpu_has_avx512_bw())
		return KML_QNN_ISA_AVX512;
	if (kml_cpu_has_avx2())
		return KML_QNN_ISA_AVX2;
#ifdef KML_SIMD_SSE2
	return KML_QNN_ISA_SSE2;
#else
	return KML_QNN_ISA_PORTABLE;
#endif
}

static bool isa_ok(int isa)
{
	switch (isa) {
	case KML_QNN_ISA_PORTABLE:
		return true;
#ifdef KML_SIMD_SSE2
	case KML_QNN_ISA_SSE2:
		return true;
#endif
	case KML_QNN_ISA_AVX2:
		return kml_cpu_has_avx2();
	case KML_QNN_ISA_AVX512:
		return kml_cpu_has_avx512_bw();
	default:
		return false;
	}
}

static void net_layer(const struct kml_qnn_layer *ly, const int8_t *x,
		      size_t batch, int8_t *y, int16_t *x16, int isa)
{
#ifdef KML_SIMD_WIDE
	if (isa == KML_QNN_ISA_AVX512) {
		layer_avx512(ly, x, batch, y, x16);
		return;
	}
	if (isa == KML_QNN_ISA_AVX2) {
		layer_avx2(ly, x, batch, y, x16);
		return;
	}
#endif
	layer_run(ly, x, batch, y, x16, isa == KML_QNN_ISA_SSE2);
}

int kml_qnn_run_isa(struct kml_qnn *q, const int8_t *in, size_t batch,
		    int8_t *out, int isa)
{
	const int8_t *x = in;
	uint32_t l;
	int err;

	if (!q || !in || !out || !batch || batch > q->max_batch)
		return KML_EINVAL;
	if (isa < KML_QNN_ISA_AUTO || isa > KML_QNN_ISA_AVX512)
		return KML_EINVAL;
	if (isa == KML_QNN_ISA_AUTO)
		isa = best_isa();
	else if (!isa_ok(isa))
		return KML_ENOSYS;
	err = check_layers(q);
	if (err)
		return err;
	for (l = 0; l < q->n_layers; l++) {
		int8_t *y = l + 1 == q->n_layers ? out : q->act[l & 1];

		net_layer(&q->layer[l], x, batch, y, q->x16, isa);
		x = y;
	}
	return KML_OK;
}

int kml_qnn_run(struct kml_qnn *q, const int8_t *in, size_t batch, int8_t *out)
{
	return kml_qnn_run_isa(q, in, batch, out, KML_QNN_ISA_AUTO);
}

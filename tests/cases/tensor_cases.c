// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * tensor_cases.c - tensor descriptors, views and operations with
 * hand-computed expected values, and bad inputs for every entry point
 * (an FPU suite).
 */
#include "../ktest.h"
#include "kmlib/tensor.h"
#include "kmlib/linalg.h"

#define SHAPE(...) ((const size_t[]){ __VA_ARGS__ })

static void tensor_init_alloc(struct kt_ctx *t)
{
	float buf[12];
	int8_t bytes[8];
	struct kml_tensor a, b;
	size_t n = 0, big = (size_t)1 << 62;
	unsigned int i;

	KT_EXPECT_OK(t, kml_tensor_init(&a, KML_F32, buf, sizeof(buf), 3,
					SHAPE(2, 3, 2)));
	KT_EXPECT(t, a.numel == 12 && a.ndim == 3 && a.shape[3] == 1);
	KT_EXPECT(t, a.data == buf && !(a.flags & KML_TENSOR_OWNS));
	KT_EXPECT_OK(t, kml_tensor_bytes(&a, &n));
	KT_EXPECT_EQ(t, n, 48);
	KT_EXPECT_EQ(
	    t, kml_tensor_init(&a, KML_F32, buf, sizeof(buf), 2, SHAPE(4, 4)),
	    KML_ENOSPC);
	KT_EXPECT_EQ(
	    t, kml_tensor_init(&a, KML_F32, buf, sizeof(buf), 2, SHAPE(big, 8)),
	    KML_EOVERFLOW);
	KT_EXPECT_EQ(t,
		     kml_tensor_init(&a, KML_F64, buf, sizeof(buf), 2,
				     SHAPE(big / 4, 3)),
		     KML_EOVERFLOW);
	KT_EXPECT_EQ(
	    t, kml_tensor_init(&a, KML_F32, buf, sizeof(buf), 2, SHAPE(0, 4)),
	    KML_EINVAL);
	KT_EXPECT_EQ(
	    t, kml_tensor_init(&a, KML_F32, buf, sizeof(buf), 0, SHAPE(4)),
	    KML_EINVAL);
	KT_EXPECT_EQ(t,
		     kml_tensor_init(&a, KML_F32, buf, sizeof(buf), 5,
				     SHAPE(1, 1, 1, 1, 1)),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_init(&a, 9, buf, sizeof(buf), 1, SHAPE(2)),
		     KML_ENOSYS);
	KT_EXPECT_EQ(t, kml_tensor_init(&a, 0, buf, sizeof(buf), 1, SHAPE(2)),
		     KML_ENOSYS);
	KT_EXPECT_EQ(t, kml_tensor_init(&a, KML_I16, bytes + 1, 6, 1, SHAPE(2)),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_init(NULL, KML_F32, buf, 48, 1, SHAPE(2)),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_init(&a, KML_F32, NULL, 48, 1, SHAPE(2)),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_init(&a, KML_F32, buf, 48, 1, NULL),
		     KML_EINVAL);
	KT_EXPECT_OK(t, kml_tensor_init(&a, KML_I8, bytes, 8, 1, SHAPE(8)));

	KT_EXPECT_OK(t, kml_tensor_alloc(&b, t->mem, KML_I16, 2, SHAPE(3, 5),
					 KML_MEM_ATOMIC));
	KT_EXPECT(t, (b.flags & KML_TENSOR_OWNS) && b.mem == t->mem);
	KT_EXPECT_EQ(t, b.numel, 15);
	for (i = 0; i < 15; i++)
		KT_EXPECT_EQ(t, ((int16_t *)b.data)[i], 0);
	KT_EXPECT(t, kml_mem_current(t->mem) >= 30);
	kml_tensor_free(&b);
	KT_EXPECT(t, b.data == NULL && b.numel == 0);
	kml_tensor_free(&b); /* a cleared tensor frees nothing */
	kml_tensor_free(NULL);
	KT_EXPECT_EQ(t,
		     kml_tensor_alloc(&b, t->mem, KML_F32, 2, SHAPE(big, big),
				      KML_MEM_ATOMIC),
		     KML_EOVERFLOW);
	KT_EXPECT_EQ(
	    t, kml_tensor_alloc(&b, NULL, KML_F32, 1, SHAPE(2), KML_MEM_ATOMIC),
	    KML_EINVAL);
	KT_EXPECT_EQ(t,
		     kml_tensor_alloc(NULL, t->mem, KML_F32, 1, SHAPE(2),
				      KML_MEM_ATOMIC),
		     KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_bytes(NULL, &n), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_bytes(&a, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_dtype_size(KML_F64, &n), 0);
	KT_EXPECT_EQ(t, n, 8);
	KT_EXPECT_EQ(t, kml_dtype_size(KML_F64, NULL), KML_EINVAL);
	kt_digest(t, &a.numel, sizeof(a.numel));
}

static void tensor_views(struct kml_tensor *a, struct kt_ctx *t)
{
	struct kml_tensor r, s, bad;
	float *d = a->data;

	KT_EXPECT_OK(t, kml_tensor_reshape(a, &r, 2, SHAPE(3, 4)));
	KT_EXPECT(t, r.data == a->data && r.shape[0] == 3 && r.shape[1] == 4);
	KT_EXPECT(t, !(r.flags & KML_TENSOR_OWNS));
	KT_EXPECT_EQ(t, kml_tensor_reshape(a, &r, 2, SHAPE(5, 2)), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_reshape(a, &r, 1, SHAPE(0)), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_reshape(NULL, &r, 1, SHAPE(12)), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_reshape(a, NULL, 1, SHAPE(12)), KML_EINVAL);
	/* rows 1..2 of the 3 x 4 view: elements 4..11 */
	KT_EXPECT_OK(t, kml_tensor_slice(&r, &s, 1, 2));
	KT_EXPECT(t, s.data == d + 4 && s.numel == 8 && s.shape[0] == 2);
	((float *)s.data)[0] = 42.0f;
	KT_EXPECT(t, d[4] == 42.0f); /* a view shares memory */
	KT_EXPECT_EQ(t, kml_tensor_slice(&r, &s, 2, 2), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_slice(&r, &s, 3, 0), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_slice(&r, &s, (size_t)-1, 2), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_slice(&r, NULL, 0, 1), KML_EINVAL);
	/* a corrupted descriptor is refused, not trusted */
	bad = r;
	bad.numel = 13;
	KT_EXPECT_EQ(t, kml_tensor_slice(&bad, &s, 0, 1), KML_EINVAL);
	bad = r;
	bad.dtype = 77;
	KT_EXPECT_EQ(t, kml_tensor_slice(&bad, &s, 0, 1), KML_ENOSYS);
	bad = r;
	bad.data = NULL;
	KT_EXPECT_EQ(t, kml_tensor_zero(&bad), KML_EINVAL);
	/* reshape in place */
	KT_EXPECT_OK(t, kml_tensor_reshape(&r, &r, 4, SHAPE(1, 2, 3, 2)));
	KT_EXPECT(t, r.ndim == 4 && r.shape[3] == 2);
	KT_EXPECT(t, kml_tensor_same_shape(&r, &r));
	KT_EXPECT(t, !kml_tensor_same_shape(&r, a));
	KT_EXPECT(t, !kml_tensor_same_shape(&r, NULL));
	d[4] = 4.0f;
}

static void tensor_view_cases(struct kt_ctx *t)
{
	float buf[12];
	struct kml_tensor a;
	int i;

	for (i = 0; i < 12; i++)
		buf[i] = (float)i;
	KT_EXPECT_OK(
	    t, kml_tensor_init(&a, KML_F32, buf, sizeof(buf), 1, SHAPE(12)));
	tensor_views(&a, t);
	kt_digest(t, buf, sizeof(buf));
}

static void tensor_elementwise(struct kt_ctx *t)
{
	float x[4] = { 1, 2, 3, 4 }, y[4] = { 0.5f, -1, 8, 0.25f }, z[4];
	double xd[2] = { 1.5, -2 }, yd[2] = { 2, 3 }, zd[2];
	int32_t xi[4] = { 0 };
	struct kml_tensor a, b, c, ad, bd, cd, ai, c3;

	kml_tensor_init(&a, KML_F32, x, sizeof(x), 2, SHAPE(2, 2));
	kml_tensor_init(&b, KML_F32, y, sizeof(y), 2, SHAPE(2, 2));
	kml_tensor_init(&c, KML_F32, z, sizeof(z), 2, SHAPE(2, 2));
	kml_tensor_init(&c3, KML_F32, z, sizeof(z), 1, SHAPE(4));
	kml_tensor_init(&ad, KML_F64, xd, sizeof(xd), 1, SHAPE(2));
	kml_tensor_init(&bd, KML_F64, yd, sizeof(yd), 1, SHAPE(2));
	kml_tensor_init(&cd, KML_F64, zd, sizeof(zd), 1, SHAPE(2));
	kml_tensor_init(&ai, KML_I32, xi, sizeof(xi), 2, SHAPE(2, 2));

	KT_EXPECT_OK(t, kml_tensor_add(&a, &b, &c));
	KT_EXPECT(t, z[0] == 1.5f && z[1] == 1 && z[2] == 11 && z[3] == 4.25f);
	KT_EXPECT_OK(t, kml_tensor_sub(&a, &b, &c));
	KT_EXPECT(t, z[0] == 0.5f && z[1] == 3 && z[2] == -5 && z[3] == 3.75f);
	KT_EXPECT_OK(t, kml_tensor_mul(&a, &b, &c));
	KT_EXPECT(t, z[0] == 0.5f && z[1] == -2 && z[2] == 24 && z[3] == 1);
	kt_digest(t, z, sizeof(z));
	KT_EXPECT_OK(t, kml_tensor_mul(&ad, &bd, &cd));
	KT_EXPECT(t, zd[0] == 3.0 && zd[1] == -6.0);
	KT_EXPECT_OK(t, kml_tensor_sub(&ad, &bd, &cd));
	KT_EXPECT(t, zd[0] == -0.5 && zd[1] == -5.0);
	KT_EXPECT_OK(t, kml_tensor_add(&ad, &bd, &ad)); /* out aliases a */
	KT_EXPECT(t, xd[0] == 3.5 && xd[1] == 1.0);
	kt_digest(t, xd, sizeof(xd));

	KT_EXPECT_OK(t, kml_tensor_scale(&a, -2.0, &c));
	KT_EXPECT(t, z[0] == -2 && z[3] == -8);
	KT_EXPECT_OK(t, kml_tensor_scale(&ad, 0.5, &cd));
	KT_EXPECT(t, zd[0] == 1.75 && zd[1] == 0.5);
	KT_EXPECT_OK(t, kml_tensor_axpy(2.0, &a, &b));
	KT_EXPECT(t, y[0] == 2.5f && y[1] == 3 && y[2] == 14 && y[3] == 8.25f);
	KT_EXPECT_OK(t, kml_tensor_axpy(-1.0, &ad, &bd));
	KT_EXPECT(t, yd[0] == -1.5 && yd[1] == 2.0);
	kt_digest(t, y, sizeof(y));

	/* errors: shape, dtype, unsupported dtype, NULL */
	KT_EXPECT_EQ(t, kml_tensor_add(&a, &b, &c3), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_sub(&a, &ad, &c), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_mul(&ai, &ai, &ai), KML_ENOSYS);
	KT_EXPECT_EQ(t, kml_tensor_add(NULL, &b, &c), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_sub(&a, NULL, &c), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_mul(&a, &b, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_scale(&a, 1.0, &c3), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_scale(&ai, 1.0, &ai), KML_ENOSYS);
	KT_EXPECT_EQ(t, kml_tensor_scale(NULL, 1.0, &c), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_axpy(1.0, &a, &cd), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_axpy(1.0, &ai, &ai), KML_ENOSYS);
	KT_EXPECT_EQ(t, kml_tensor_axpy(1.0, &a, NULL), KML_EINVAL);
}

static float times_ctx(float x, void *ctx)
{
	return x * *(const float *)ctx;
}

static double plus_one(double x, void *ctx)
{
	(void)ctx;
	return x + 1.0;
}

static void tensor_map_row(struct kt_ctx *t)
{
	float x[6] = { 1, 2, 3, 4, 5, 6 }, v[3] = { 10, 20, 30 }, z[6];
	double xd[2] = { 1, -1 }, zd[2];
	float k = 3.0f;
	struct kml_map_fn fn = { .f32 = times_ctx, .ctx = &k };
	struct kml_map_fn fn64 = { .f64 = plus_one };
	struct kml_tensor a, row, row2, c, ad, cd, bad;
	int i;

	kml_tensor_init(&a, KML_F32, x, sizeof(x), 2, SHAPE(2, 3));
	kml_tensor_init(&c, KML_F32, z, sizeof(z), 2, SHAPE(2, 3));
	kml_tensor_init(&row, KML_F32, v, sizeof(v), 1, SHAPE(3));
	kml_tensor_init(&row2, KML_F32, v, sizeof(v), 2, SHAPE(1, 3));
	kml_tensor_init(&ad, KML_F64, xd, sizeof(xd), 1, SHAPE(2));
	kml_tensor_init(&cd, KML_F64, zd, sizeof(zd), 1, SHAPE(2));

	KT_EXPECT_OK(t, kml_tensor_map(&a, &fn, &c));
	for (i = 0; i < 6; i++)
		KT_EXPECT(t, z[i] == 3.0f * (float)(i + 1));
	KT_EXPECT_OK(t, kml_tensor_map(&ad, &fn64, &cd));
	KT_EXPECT(t, zd[0] == 2.0 && zd[1] == 0.0);
	KT_EXPECT_EQ(t, kml_tensor_map(&a, &fn64, &c), KML_ENOSYS);
	KT_EXPECT_EQ(t, kml_tensor_map(&ad, &fn, &cd), KML_ENOSYS);
	KT_EXPECT_EQ(t, kml_tensor_map(&a, NULL, &c), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_map(&a, &fn, &row), KML_EDOM);

	KT_EXPECT_OK(t, kml_tensor_add_row(&a, &row, &c));
	KT_EXPECT(t, z[0] == 11 && z[2] == 33 && z[3] == 14 && z[5] == 36);
	KT_EXPECT_OK(t, kml_tensor_add_row(&a, &row2, &a)); /* in place */
	KT_EXPECT(t, x[1] == 22 && x[4] == 25);
	kt_digest(t, z, sizeof(z));
	kt_digest(t, x, sizeof(x));
	kml_tensor_init(&bad, KML_F32, v, sizeof(v), 1, SHAPE(2));
	KT_EXPECT_EQ(t, kml_tensor_add_row(&a, &bad, &c), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_add_row(&a, &ad, &c), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_add_row(&row, &row, &row), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_add_row(&a, NULL, &c), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_add_row(NULL, &row, &c), KML_EINVAL);
}

static void tensor_matmul_transpose(struct kt_ctx *t)
{
	/* A = [1 2 3; 4 5 6], B = [7 8; 9 10; 11 12]: A B = [58 64; 139 154] */
	float a[6] = { 1, 2, 3, 4, 5, 6 }, b[6] = { 7, 8, 9, 10, 11, 12 };
	float at[6], bt[6], c[4];
	int8_t q[6] = { 1, -2, 3, -4, 5, -6 }, qt[6];
	struct kml_tensor ta, tb, tat, tbt, tc, tq, tqt, bad;

	kml_tensor_init(&ta, KML_F32, a, sizeof(a), 2, SHAPE(2, 3));
	kml_tensor_init(&tb, KML_F32, b, sizeof(b), 2, SHAPE(3, 2));
	kml_tensor_init(&tat, KML_F32, at, sizeof(at), 2, SHAPE(3, 2));
	kml_tensor_init(&tbt, KML_F32, bt, sizeof(bt), 2, SHAPE(2, 3));
	kml_tensor_init(&tc, KML_F32, c, sizeof(c), 2, SHAPE(2, 2));
	kml_tensor_init(&tq, KML_I8, q, sizeof(q), 2, SHAPE(2, 3));
	kml_tensor_init(&tqt, KML_I8, qt, sizeof(qt), 2, SHAPE(3, 2));

	KT_EXPECT_OK(t, kml_tensor_transpose(&ta, &tat));
	KT_EXPECT(t, at[0] == 1 && at[1] == 4 && at[2] == 2 && at[5] == 6);
	KT_EXPECT_OK(t, kml_tensor_transpose(&tb, &tbt));
	KT_EXPECT(t, bt[0] == 7 && bt[1] == 9 && bt[3] == 8 && bt[5] == 12);
	KT_EXPECT_OK(t, kml_tensor_transpose(&tq, &tqt));
	KT_EXPECT(t, qt[0] == 1 && qt[1] == -4 && qt[4] == 3 && qt[5] == -6);
	kt_digest(t, qt, sizeof(qt));

	KT_EXPECT_OK(t, kml_tensor_matmul(&ta, &tb, &tc, 0));
	KT_EXPECT(t, c[0] == 58 && c[1] == 64 && c[2] == 139 && c[3] == 154);
	KT_EXPECT_OK(t, kml_tensor_matmul(&tat, &tbt, &tc,
					  KML_MM_TRANS_A | KML_MM_TRANS_B));
	KT_EXPECT(t, c[0] == 58 && c[1] == 64 && c[2] == 139 && c[3] == 154);
	KT_EXPECT_OK(t, kml_tensor_matmul(&ta, &tbt, &tc,
					  KML_MM_TRANS_B | KML_MM_ACCUMULATE));
	KT_EXPECT(t, c[0] == 116 && c[3] == 308);
	KT_EXPECT_OK(t, kml_tensor_matmul(&tat, &tb, &tc, KML_MM_TRANS_A));
	KT_EXPECT(t, c[1] == 64 && c[2] == 139);
	kt_digest(t, c, sizeof(c));

	KT_EXPECT_EQ(t, kml_tensor_matmul(&ta, &ta, &tc, 0), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_matmul(&ta, &tb, &tc, KML_MM_TRANS_A),
		     KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_matmul(&ta, &tb, &ta, 0), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_matmul(&ta, &tb, &tc, 64), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_matmul(&tq, &tqt, &tc, 0), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_matmul(NULL, &tb, &tc, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_matmul(&ta, &tb, NULL, 0), KML_EINVAL);
	kml_tensor_init(&bad, KML_F32, a, sizeof(a), 2, SHAPE(2, 2));
	/* out sharing A's memory is refused */
	KT_EXPECT_EQ(t, kml_tensor_matmul(&ta, &tb, &bad, 0), KML_EINVAL);
	{
		int8_t qo[4];
		struct kml_tensor to;

		kml_tensor_init(&to, KML_I8, qo, sizeof(qo), 2, SHAPE(2, 2));
		KT_EXPECT_EQ(t, kml_tensor_matmul(&tq, &tqt, &to, 0),
			     KML_ENOSYS);
	}

	KT_EXPECT_EQ(t, kml_tensor_transpose(&ta, &tb), KML_OK);
	KT_EXPECT_EQ(t, kml_tensor_transpose(&ta, &tc), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_transpose(&ta, &tqt), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_transpose(&ta, &ta), KML_EDOM);
	kml_tensor_init(&bad, KML_F32, a, sizeof(a), 2, SHAPE(3, 2));
	KT_EXPECT_EQ(t, kml_tensor_transpose(&ta, &bad), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_transpose(NULL, &tat), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_transpose(&ta, NULL), KML_EINVAL);
}

/* x[i][j][l] = 12 i + 4 j + l over a 2 x 3 x 4 tensor. */
static void tensor_sum_mean(struct kt_ctx *t)
{
	float x[24], s0[12], s1[8], s2[6], all[1];
	double xd[24], m2[6];
	struct kml_tensor a, ad, o0, o1k, o1, o2, oall, om2, bad;
	int i, j, l;

	for (i = 0; i < 24; i++) {
		x[i] = (float)i;
		xd[i] = (double)i;
	}
	kml_tensor_init(&a, KML_F32, x, sizeof(x), 3, SHAPE(2, 3, 4));
	kml_tensor_init(&ad, KML_F64, xd, sizeof(xd), 3, SHAPE(2, 3, 4));
	kml_tensor_init(&o0, KML_F32, s0, sizeof(s0), 2, SHAPE(3, 4));
	kml_tensor_init(&o1k, KML_F32, s1, sizeof(s1), 3, SHAPE(2, 1, 4));
	kml_tensor_init(&o1, KML_F32, s1, sizeof(s1), 2, SHAPE(2, 4));
	kml_tensor_init(&o2, KML_F32, s2, sizeof(s2), 2, SHAPE(2, 3));
	kml_tensor_init(&oall, KML_F32, all, sizeof(all), 1, SHAPE(1));
	kml_tensor_init(&om2, KML_F64, m2, sizeof(m2), 3, SHAPE(2, 3, 1));

	KT_EXPECT_OK(t, kml_tensor_sum(&a, 0, &o0));
	for (j = 0; j < 3; j++)
		for (l = 0; l < 4; l++)
			KT_EXPECT(t, s0[j * 4 + l] ==
					 (float)(12 + 2 * (4 * j + l)));
	KT_EXPECT_OK(t, kml_tensor_sum(&a, 1, &o1k));
	for (i = 0; i < 2; i++)
		for (l = 0; l < 4; l++)
			KT_EXPECT(t, s1[i * 4 + l] ==
					 (float)(36 * i + 12 + 3 * l));
	KT_EXPECT_OK(t, kml_tensor_mean(&a, 1, &o1));
	for (i = 0; i < 2; i++)
		for (l = 0; l < 4; l++)
			KT_EXPECT(t, s1[i * 4 + l] == (float)(12 * i + 4 + l));
	KT_EXPECT_OK(t, kml_tensor_sum(&a, 2, &o2));
	for (i = 0; i < 6; i++)
		KT_EXPECT(t, s2[i] == (float)(16 * i + 6));
	KT_EXPECT_OK(t, kml_tensor_mean(&ad, 2, &om2));
	for (i = 0; i < 6; i++)
		KT_EXPECT(t, m2[i] == 4.0 * i + 1.5);
	KT_EXPECT_OK(t, kml_tensor_sum(&a, KML_AXIS_ALL, &oall));
	KT_EXPECT(t, all[0] == 276.0f);
	KT_EXPECT_OK(t, kml_tensor_mean(&a, KML_AXIS_ALL, &oall));
	KT_EXPECT(t, all[0] == 11.5f);
	kt_digest(t, s0, sizeof(s0));
	kt_digest(t, s1, sizeof(s1));
	kt_digest(t, s2, sizeof(s2));
	kt_digest(t, m2, sizeof(m2));

	KT_EXPECT_EQ(t, kml_tensor_sum(&a, 1, &o0), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_sum(&a, 3, &o0), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_sum(&a, -2, &o0), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_sum(&a, KML_AXIS_ALL, &o0), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_mean(&ad, 2, &o2), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_sum(NULL, 0, &o0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_mean(&a, 0, NULL), KML_EINVAL);
	{
		int32_t iv[4] = { 1, 2, 3, 4 }, io[1];
		struct kml_tensor ti, tio;

		kml_tensor_init(&ti, KML_I32, iv, sizeof(iv), 1, SHAPE(4));
		kml_tensor_init(&tio, KML_I32, io, sizeof(io), 1, SHAPE(1));
		KT_EXPECT_EQ(t, kml_tensor_sum(&ti, 0, &tio), KML_ENOSYS);
		KT_EXPECT_EQ(t, kml_tensor_mean(&ti, 0, &tio), KML_ENOSYS);
	}
	kml_tensor_init(&bad, KML_F32, s1, sizeof(s1), 3, SHAPE(2, 4, 1));
	KT_EXPECT_EQ(t, kml_tensor_sum(&a, 1, &bad), KML_EDOM);
}

static void tensor_max_argmax(struct kt_ctx *t)
{
	/* 2 x 4; row 1 holds a tie (first wins) */
	float x[8] = { 3, -1, 7, 7, -5, 9, 9, 0 }, m[2], mc[4];
	int32_t idx[4];
	int8_t q[5] = { -3, 100, -128, 100, 5 }, qm[1];
	float nan_row[4] = { 1, 0, 0, 5 };
	struct kml_tensor a, om, omc, oi, oic, tq, oq, oqi, tn, on;
	float nan;

	kml_tensor_init(&a, KML_F32, x, sizeof(x), 2, SHAPE(2, 4));
	kml_tensor_init(&om, KML_F32, m, sizeof(m), 1, SHAPE(2));
	kml_tensor_init(&omc, KML_F32, mc, sizeof(mc), 2, SHAPE(1, 4));
	kml_tensor_init(&oi, KML_I32, idx, sizeof(idx), 2, SHAPE(2, 1));
	kml_tensor_init(&oic, KML_I32, idx, sizeof(idx), 1, SHAPE(4));
	KT_EXPECT_OK(t, kml_tensor_max(&a, 1, &om));
	KT_EXPECT(t, m[0] == 7 && m[1] == 9);
	KT_EXPECT_OK(t, kml_tensor_argmax(&a, 1, &oi));
	KT_EXPECT(t, idx[0] == 2 && idx[1] == 1);
	KT_EXPECT_OK(t, kml_tensor_max(&a, 0, &omc));
	KT_EXPECT(t, mc[0] == 3 && mc[1] == 9 && mc[2] == 9 && mc[3] == 7);
	KT_EXPECT_OK(t, kml_tensor_argmax(&a, 0, &oic));
	KT_EXPECT(t, idx[0] == 0 && idx[1] == 1 && idx[2] == 1 && idx[3] == 0);
	kt_digest(t, idx, sizeof(idx));
	kt_digest(t, mc, sizeof(mc));

	kml_tensor_init(&tq, KML_I8, q, sizeof(q), 1, SHAPE(5));
	kml_tensor_init(&oq, KML_I8, qm, sizeof(qm), 1, SHAPE(1));
	kml_tensor_init(&oqi, KML_I32, idx, sizeof(idx), 1, SHAPE(1));
	KT_EXPECT_OK(t, kml_tensor_max(&tq, KML_AXIS_ALL, &oq));
	KT_EXPECT_EQ(t, qm[0], 100);
	KT_EXPECT_OK(t, kml_tensor_argmax(&tq, 0, &oqi));
	KT_EXPECT_EQ(t, idx[0], 1);

	/* a NaN is reported, not skipped */
	nan = 0.0f;
	nan = nan / nan;
	nan_row[1] = nan;
	kml_tensor_init(&tn, KML_F32, nan_row, sizeof(nan_row), 1, SHAPE(4));
	kml_tensor_init(&on, KML_F32, m, sizeof(m), 1, SHAPE(1));
	KT_EXPECT_OK(t, kml_tensor_argmax(&tn, 0, &oqi));
	KT_EXPECT_EQ(t, idx[0], 1);
	KT_EXPECT_OK(t, kml_tensor_max(&tn, KML_AXIS_ALL, &on));
	KT_EXPECT(t, m[0] != m[0]);

	KT_EXPECT_EQ(t, kml_tensor_max(&a, 1, &oi), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_argmax(&a, 1, &om), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_max(&a, 2, &om), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_argmax(&a, 0, &oi), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_max(NULL, 0, &om), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_argmax(&a, 0, NULL), KML_EINVAL);
}

static void tensor_l2norm(struct kt_ctx *t)
{
	float x[2] = { 3, -4 };
	double xd[3] = { 1, 2, -2 }, r = 0;
	int16_t q[2] = { 3, 4 };
	struct kml_tensor a, ad, aq;

	kml_tensor_init(&a, KML_F32, x, sizeof(x), 1, SHAPE(2));
	kml_tensor_init(&ad, KML_F64, xd, sizeof(xd), 1, SHAPE(3));
	kml_tensor_init(&aq, KML_I16, q, sizeof(q), 1, SHAPE(2));
	KT_EXPECT_OK(t, kml_tensor_l2norm(&a, &r));
	KT_EXPECT(t, r == 5.0);
	KT_EXPECT_OK(t, kml_tensor_l2norm(&ad, &r));
	KT_EXPECT(t, r == 3.0);
	kt_digest(t, &r, sizeof(r));
	KT_EXPECT_EQ(t, kml_tensor_l2norm(&aq, &r), KML_ENOSYS);
	KT_EXPECT_EQ(t, kml_tensor_l2norm(&a, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_l2norm(NULL, &r), KML_EINVAL);
}

static void tensor_fill_cast(struct kt_ctx *t)
{
	float f[8] = { 1.5f, 2.5f, -0.5f, -2.5f, 200.0f, -200.0f, 0, 3e9f };
	int8_t q[8];
	int32_t w[8];
	int16_t h[8];
	double d[8];
	float back[8];
	struct kml_tensor tf, tq, tw, th, td, tb, tq4;
	float nan = 0.0f;

	nan = nan / nan;
	f[6] = nan;
	kml_tensor_init(&tf, KML_F32, f, sizeof(f), 1, SHAPE(8));
	kml_tensor_init(&tq, KML_I8, q, sizeof(q), 2, SHAPE(2, 4));
	kml_tensor_init(&tq4, KML_I8, q, sizeof(q), 1, SHAPE(4));
	kml_tensor_init(&tw, KML_I32, w, sizeof(w), 1, SHAPE(8));
	kml_tensor_init(&th, KML_I16, h, sizeof(h), 1, SHAPE(8));
	kml_tensor_init(&td, KML_F64, d, sizeof(d), 1, SHAPE(8));
	kml_tensor_init(&tb, KML_F32, back, sizeof(back), 1, SHAPE(8));

	/* float -> int8: half to even, saturation, NaN -> 0 */
	KT_EXPECT_OK(t, kml_tensor_cast(&tf, &tq));
	KT_EXPECT(t, q[0] == 2 && q[1] == 2 && q[2] == 0 && q[3] == -2);
	KT_EXPECT(t, q[4] == 127 && q[5] == -128 && q[6] == 0 && q[7] == 127);
	KT_EXPECT_OK(t, kml_tensor_cast(&tf, &tw));
	KT_EXPECT(t, w[0] == 2 && w[4] == 200 && w[5] == -200 &&
			 w[7] == INT32_MAX);
	kt_digest(t, q, sizeof(q));
	kt_digest(t, w, sizeof(w));
	/* int32 -> int16 saturates, int16 -> int8 saturates */
	w[0] = 70000;
	w[1] = -70000;
	w[2] = -32768;
	KT_EXPECT_OK(t, kml_tensor_cast(&tw, &th));
	KT_EXPECT(t, h[0] == 32767 && h[1] == -32768 && h[2] == -32768 &&
			 h[4] == 200);
	KT_EXPECT_OK(t, kml_tensor_cast(&th, &tq));
	KT_EXPECT(t,
		  q[0] == 127 && q[1] == -128 && q[4] == 127 && q[5] == -128);
	/* int8 -> float and double are exact; f64 -> f32 rounds to nearest */
	KT_EXPECT_OK(t, kml_tensor_cast(&tq, &tb));
	KT_EXPECT(t, back[0] == 127.0f && back[1] == -128.0f);
	KT_EXPECT_OK(t, kml_tensor_cast(&tq, &td));
	KT_EXPECT(t, d[1] == -128.0);
	d[0] = 0.1;
	d[1] = 16777217.0; /* 2^24 + 1: halfway, to even 2^24 */
	KT_EXPECT_OK(t, kml_tensor_cast(&td, &tb));
	KT_EXPECT(t, back[0] == 0.1f && back[1] == 16777216.0f);
	KT_EXPECT_OK(t, kml_tensor_cast(&tb, &tb)); /* same dtype: a copy */
	kt_digest(t, back, sizeof(back));

	/* fill */
	KT_EXPECT_OK(t, kml_tensor_fill(&tq, -3.5));
	KT_EXPECT(t, q[0] == -4 && q[7] == -4);
	KT_EXPECT_OK(t, kml_tensor_fill(&th, 1e9));
	KT_EXPECT(t, h[3] == 32767);
	KT_EXPECT_OK(t, kml_tensor_fill(&tw, -2147483648.4));
	KT_EXPECT(t, w[5] == INT32_MIN);
	KT_EXPECT_OK(t, kml_tensor_fill(&tw, 4.5));
	KT_EXPECT(t, w[5] == 4);
	KT_EXPECT_OK(t, kml_tensor_fill(&tb, 0.1));
	KT_EXPECT(t, back[7] == 0.1f);
	KT_EXPECT_OK(t, kml_tensor_fill(&td, -0.25));
	KT_EXPECT(t, d[7] == -0.25);
	KT_EXPECT_OK(t, kml_tensor_zero(&td));
	KT_EXPECT(t, d[3] == 0.0);
	kt_digest(t, h, sizeof(h));

	/* copy */
	KT_EXPECT_OK(t, kml_tensor_fill(&tf, 7.0));
	KT_EXPECT_OK(t, kml_tensor_copy(&tf, &tb));
	KT_EXPECT(t, back[6] == 7.0f);
	KT_EXPECT_EQ(t, kml_tensor_copy(&tf, &tq), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_copy(NULL, &tb), KML_EINVAL);

	KT_EXPECT_EQ(t, kml_tensor_cast(&tf, &tq4), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_cast(NULL, &tq), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_cast(&tf, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_fill(NULL, 1.0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_zero(NULL), KML_EINVAL);
	{
		struct kml_tensor alias;

		/* a cast into the same memory with another dtype is refused */
		kml_tensor_init(&alias, KML_I32, f, sizeof(f), 1, SHAPE(8));
		KT_EXPECT_EQ(t, kml_tensor_cast(&tf, &alias), KML_EINVAL);
	}
}

static void tensor_quant_params(struct kt_ctx *t)
{
	int8_t q[4];
	float f[4];
	struct kml_tensor tq, tf;
	float inf = 1e38f;

	inf = inf * 10.0f;
	kml_tensor_init(&tq, KML_I8, q, sizeof(q), 1, SHAPE(4));
	kml_tensor_init(&tf, KML_F32, f, sizeof(f), 1, SHAPE(4));
	KT_EXPECT(t, tq.scale == 0.0f && tq.zero_point == 0);
	KT_EXPECT_OK(t, kml_tensor_set_quant(&tq, 0.5f, -3));
	KT_EXPECT(t, tq.scale == 0.5f && tq.zero_point == -3);
	{
		struct kml_tensor v;

		/* views keep the quantization parameters */
		KT_EXPECT_OK(t, kml_tensor_reshape(&tq, &v, 2, SHAPE(2, 2)));
		KT_EXPECT(t, v.scale == 0.5f && v.zero_point == -3);
		KT_EXPECT_OK(t, kml_tensor_slice(&v, &v, 1, 1));
		KT_EXPECT(t, v.scale == 0.5f && v.zero_point == -3);
	}
	KT_EXPECT_EQ(t, kml_tensor_set_quant(&tq, 0.0f, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_set_quant(&tq, -1.0f, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_set_quant(&tq, inf, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_set_quant(&tq, inf - inf, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_set_quant(&tq, 1.0f, 128), KML_ERANGE);
	KT_EXPECT_EQ(t, kml_tensor_set_quant(&tq, 1.0f, -129), KML_ERANGE);
	KT_EXPECT_EQ(t, kml_tensor_set_quant(&tf, 1.0f, 0), KML_ENOSYS);
	KT_EXPECT_EQ(t, kml_tensor_set_quant(NULL, 1.0f, 0), KML_EINVAL);
	KT_EXPECT(t, tq.scale == 0.5f && tq.zero_point == -3);
	kt_digest(t, &tq.zero_point, sizeof(tq.zero_point));
}

/* Hand-computed: scale 0.25, zp 3: q = round_away(x / 0.25) + 3. */
static void tensor_quantize(struct kt_ctx *t)
{
	float x[5] = { 0.0f, 0.125f, -0.375f, 100.0f, -1.0f }, back[5];
	int8_t q[5];
	int16_t h[5];
	struct kml_tensor tx, tq, th, tb, tq4;

	kml_tensor_init(&tx, KML_F32, x, sizeof(x), 1, SHAPE(5));
	kml_tensor_init(&tb, KML_F32, back, sizeof(back), 1, SHAPE(5));
	kml_tensor_init(&tq, KML_I8, q, sizeof(q), 1, SHAPE(5));
	kml_tensor_init(&tq4, KML_I8, q, sizeof(q), 1, SHAPE(4));
	kml_tensor_init(&th, KML_I16, h, sizeof(h), 1, SHAPE(5));
	/* no scale set yet */
	KT_EXPECT_EQ(t, kml_tensor_quantize(&tx, &tq), KML_EINVAL);
	KT_EXPECT_OK(t, kml_tensor_set_quant(&tq, 0.25f, 3));
	KT_EXPECT_OK(t, kml_tensor_quantize(&tx, &tq));
	KT_EXPECT(t, q[0] == 3 && q[1] == 4 && q[2] == 1 && q[3] == 127 &&
			 q[4] == -1);
	KT_EXPECT_OK(t, kml_tensor_dequantize(&tq, &tb));
	KT_EXPECT(t, back[0] == 0.0f && back[1] == 0.25f && back[2] == -0.5f &&
			 back[3] == 31.0f && back[4] == -1.0f);
	KT_EXPECT_OK(t, kml_tensor_set_quant(&th, 0.25f, -3));
	KT_EXPECT_OK(t, kml_tensor_quantize(&tx, &th));
	KT_EXPECT(t, h[1] == -2 && h[3] == 397 && h[4] == -7);
	KT_EXPECT_OK(t, kml_tensor_dequantize(&th, &tb));
	KT_EXPECT(t, back[3] == 100.0f && back[2] == -0.5f);
	kt_digest(t, q, sizeof(q));
	kt_digest(t, h, sizeof(h));
	kt_digest(t, back, sizeof(back));
	KT_EXPECT_EQ(t, kml_tensor_quantize(&tx, &tq4), KML_EDOM);
	KT_EXPECT_EQ(t, kml_tensor_quantize(&tx, &tb), KML_ENOSYS);
	KT_EXPECT_EQ(t, kml_tensor_quantize(&tq, &tq), KML_ENOSYS);
	KT_EXPECT_EQ(t, kml_tensor_dequantize(&tb, &tb), KML_ENOSYS);
	KT_EXPECT_EQ(t, kml_tensor_quantize(NULL, &tq), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_tensor_dequantize(&tq, NULL), KML_EINVAL);
}

static const struct kt_case tensor_cases[] = {
	{ "init_alloc", tensor_init_alloc },
	{ "views", tensor_view_cases },
	{ "elementwise", tensor_elementwise },
	{ "map_row", tensor_map_row },
	{ "matmul_transpose", tensor_matmul_transpose },
	{ "sum_mean", tensor_sum_mean },
	{ "max_argmax", tensor_max_argmax },
	{ "l2norm", tensor_l2norm },
	{ "fill_cast", tensor_fill_cast },
	{ "quant_params", tensor_quant_params },
	{ "quantize", tensor_quantize },
};

KT_SUITE(kt_suite_tensor, "tensor", true, 4096, tensor_cases);

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * linalg_cases.c - raw float kernels: matmul in every transpose/accumulate
 * combination against naive references, vector helpers, bad inputs
 * (an FPU suite).
 */
#include "../ktest.h"
#include "kmlib/linalg.h"
#include "kmlib/prng.h"

/*
 * m, k, n: odd sizes, tile edges, and k across the 256 k-block. The last
 * three split their columns (n, or m for A^T B^T) over the vector widths:
 * 47 = 32 + 8 + 4 + 3 (two and one AVX-512 vectors, AVX, SSE2, scalar),
 * 31 = 16 + 8 + 4 + 3, and 9 = 8 + 1 with k across the block, on row
 * counts off the 8- and 4-row tiles; 5 x 20 x 17 crosses the 16-step
 * panels that A B^T packs for the wide kernels.
 */
static const size_t mm_shapes[][3] = {
	{ 1, 1, 1 },   { 4, 4, 4 },   { 5, 7, 3 },   { 8, 3, 16 },
	{ 13, 9, 11 }, { 17, 33, 9 }, { 2, 300, 3 }, { 9, 1, 10 },
	{ 6, 5, 2 },   { 11, 5, 47 }, { 31, 3, 9 },  { 2, 257, 9 },
	{ 5, 20, 17 },
};

static double mm_get(const double *p, size_t r, size_t c, size_t ld)
{
	return p[r * ld + c];
}

/*
 * Checks one shape and flag set for both precisions:
 *  - f32 against a naive double-precision reference (error bound
 *    k * 2^-23 * sum |a_p * b_p| covers any summation order),
 *  - f32 bit-exact against the documented sequential float sum,
 *  - f64 with integer data against the exact integer result.
 */
static size_t mm_bytes(size_t m, size_t k, size_t n)
{
	return (m * k + k * n + 2 * m * n) * (sizeof(float) + sizeof(double));
}

static void mm_check(struct kt_ctx *t, struct kml_prng *r, void *buf, size_t m,
		     size_t k, size_t n, unsigned int fl)
{
	size_t na = m * k, nb = k * n, nc = m * n, i, j, p;
	float *a, *b, *c, *c0;
	double *ad, *bd, *cd, *c0d;
	bool ta = fl & KML_MM_TRANS_A, tb = fl & KML_MM_TRANS_B;
	bool acc = fl & KML_MM_ACCUMULATE;

	ad = buf;
	bd = ad + na;
	cd = bd + nb;
	c0d = cd + nc;
	a = (float *)(c0d + nc);
	b = a + na;
	c = b + nb;
	c0 = c + nc;
	for (i = 0; i < na; i++) {
		a[i] = kml_prng_float(r) * 4.0f - 2.0f;
		ad[i] = (double)kml_prng_below(r, 21) - 10.0;
	}
	for (i = 0; i < nb; i++) {
		b[i] = kml_prng_float(r) * 4.0f - 2.0f;
		bd[i] = (double)kml_prng_below(r, 21) - 10.0;
	}
	for (i = 0; i < nc; i++) {
		c[i] = c0[i] = kml_prng_float(r) - 0.5f;
		cd[i] = c0d[i] = (double)kml_prng_below(r, 7) - 3.0;
	}
	KT_EXPECT_OK(t, kml_matmul_f32(a, b, c, m, k, n, fl));
	KT_EXPECT_OK(t, kml_matmul_f64(ad, bd, cd, m, k, n, fl));
	for (i = 0; i < m; i++) {
		for (j = 0; j < n; j++) {
			double s = acc ? c0[i * n + j] : 0, bound = 0;
			double sd = acc ? c0d[i * n + j] : 0;
			float sf = acc ? c0[i * n + j] : 0.0f;

			for (p = 0; p < k; p++) {
				float av = ta ? a[p * m + i] : a[i * k + p];
				float bv = tb ? b[j * k + p] : b[p * n + j];
				double x = (double)av * (double)bv;

				s += x;
				bound += x < 0 ? -x : x;
				sf = sf + av * bv;
				sd += (ta ? mm_get(ad, p, i, m)
					  : mm_get(ad, i, p, k)) *
				      (tb ? mm_get(bd, j, p, k)
					  : mm_get(bd, p, j, n));
			}
			bound = (bound + (s < 0 ? -s : s) + 1.0) * (double)k *
				0x1p-23;
			KT_EXPECT_NEAR(t, c[i * n + j], s, bound);
			KT_EXPECT(t, c[i * n + j] == sf);
			KT_EXPECT(t, cd[i * n + j] == sd);
		}
	}
	kt_digest(t, c, nc * sizeof(*c));
	kt_digest(t, cd, nc * sizeof(*cd));
}

static void linalg_matmul_shapes(struct kt_ctx *t)
{
	struct kml_prng r;
	size_t s, need = 0;
	unsigned int fl;
	void *buf;

	for (s = 0; s < KML_ARRAY_SIZE(mm_shapes); s++) {
		size_t b =
		    mm_bytes(mm_shapes[s][0], mm_shapes[s][1], mm_shapes[s][2]);

		need = b > need ? b : need;
	}
	/* one buffer for all shapes: kernel arenas do not reuse frees */
	if (kml_alloc(t->mem, need, KML_MEM_ATOMIC, &buf)) {
		KT_EXPECT(t, 0);
		return;
	}
	kml_prng_seed(&r, 11);
	for (s = 0; s < KML_ARRAY_SIZE(mm_shapes); s++)
		for (fl = 0; fl < 8; fl++)
			mm_check(t, &r, buf, mm_shapes[s][0], mm_shapes[s][1],
				 mm_shapes[s][2], fl);
	kml_free(t->mem, buf);
}

/*
 * A B^T panels with whole LVL x LVL transposes: 35 columns = two
 * AVX-512 panels + 3 (or AVX / SSE2 splits in those builds), k = 36 =
 * two transposed 16-step chunks + 4 copied steps. Its own case, so the
 * shapes case keeps its digest.
 */
static void linalg_matmul_packed(struct kt_ctx *t)
{
	struct kml_prng r;
	unsigned int fl;
	void *buf;

	if (kml_alloc(t->mem, mm_bytes(9, 36, 35), KML_MEM_ATOMIC, &buf)) {
		KT_EXPECT(t, 0);
		return;
	}
	kml_prng_seed(&r, 12);
	for (fl = 0; fl < 8; fl++)
		mm_check(t, &r, buf, 9, 36, 35, fl);
	kml_free(t->mem, buf);
}

/* Hand-computed: [1 2 3; 4 5 6] * [7 8; 9 10; 11 12] = [58 64; 139 154]. */
static void linalg_matmul_golden(struct kt_ctx *t)
{
	static const float a[6] = { 1, 2, 3, 4, 5, 6 };
	static const float at[6] = { 1, 4, 2, 5, 3, 6 };
	static const float b[6] = { 7, 8, 9, 10, 11, 12 };
	static const float bt[6] = { 7, 9, 11, 8, 10, 12 };
	static const double ad[6] = { 1, 2, 3, 4, 5, 6 };
	static const double bd[6] = { 7, 8, 9, 10, 11, 12 };
	static const float want[4] = { 58, 64, 139, 154 };
	float c[4];
	double cd[4] = { 1, 1, 1, 1 };
	int i;

	KT_EXPECT_OK(t, kml_matmul_f32(a, b, c, 2, 3, 2, 0));
	for (i = 0; i < 4; i++)
		KT_EXPECT(t, c[i] == want[i]);
	KT_EXPECT_OK(t, kml_matmul_f32(at, bt, c, 2, 3, 2,
				       KML_MM_TRANS_A | KML_MM_TRANS_B));
	for (i = 0; i < 4; i++)
		KT_EXPECT(t, c[i] == want[i]);
	KT_EXPECT_OK(t, kml_matmul_f32(at, b, c, 2, 3, 2,
				       KML_MM_TRANS_A | KML_MM_ACCUMULATE));
	for (i = 0; i < 4; i++)
		KT_EXPECT(t, c[i] == 2 * want[i]);
	KT_EXPECT_OK(t, kml_matmul_f64(ad, bd, cd, 2, 3, 2, KML_MM_ACCUMULATE));
	for (i = 0; i < 4; i++)
		KT_EXPECT(t, cd[i] == want[i] + 1.0);
	/* 1 x 3 times 3 x 1 with B transposed is a dot product: 1*7+2*9+3*11 */
	KT_EXPECT_OK(t, kml_matmul_f32(a, bt, c, 1, 3, 1, KML_MM_TRANS_B));
	KT_EXPECT(t, c[0] == 58.0f);
	kt_digest(t, c, sizeof(c));
	kt_digest(t, cd, sizeof(cd));
}

/* The sum starts at +0: -0 products give +0, as the sequential sum does. */
static void linalg_matmul_signed_zero(struct kt_ctx *t)
{
	static const float a[4] = { -0.0f, -0.0f, -0.0f, -0.0f };
	static const float b[16] = { 1, 1, 1, 1, 1, 1, 1, 1,
				     1, 1, 1, 1, 1, 1, 1, 1 };
	float c[16];
	int i;

	KT_EXPECT_OK(t, kml_matmul_f32(b, a, c, 4, 4, 1, 0));
	for (i = 0; i < 4; i++)
		KT_EXPECT(t, kt_bits64(c[i]) == kt_bits64(0.0));
	kt_digest(t, c, 4 * sizeof(float));
}

static void linalg_matmul_bad(struct kt_ctx *t)
{
	float a[4] = { 0 }, b[4] = { 0 }, c[4] = { 5, 5, 5, 5 };
	double d[4] = { 0 };
	size_t big = (size_t)-1 / 2;

	KT_EXPECT_EQ(t, kml_matmul_f32(NULL, b, c, 2, 2, 2, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_f32(a, NULL, c, 2, 2, 2, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_f32(a, b, NULL, 2, 2, 2, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_f32(a, b, c, 0, 2, 2, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_f32(a, b, c, 2, 0, 2, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_f32(a, b, c, 2, 2, 0, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_f32(a, b, c, 2, 2, 2, 8), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_f32(a, b, c, big, 4, 1, 0), KML_EOVERFLOW);
	KT_EXPECT_EQ(t, kml_matmul_f32(a, b, c, 1, big, 4, 0), KML_EOVERFLOW);
	KT_EXPECT_EQ(t, kml_matmul_f32(a, b, c, 4, 1, big, 0), KML_EOVERFLOW);
	KT_EXPECT_EQ(t, kml_matmul_f32(a, b, c, (size_t)1 << 62, 1, 1, 0),
		     KML_EOVERFLOW);
	KT_EXPECT_EQ(t, kml_matmul_f64(NULL, d, d, 2, 2, 2, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_f64(d, d, NULL, 2, 2, 2, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_f64(d, d, d, 2, 0, 2, 0), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_f64(d, d, d, 2, 2, 2, 16), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_matmul_f64(d, d, d, (size_t)1 << 61, 1, 1, 0),
		     KML_EOVERFLOW);
	/* nothing was written by a refused call */
	KT_EXPECT(t, c[0] == 5.0f && c[3] == 5.0f);
}

static void linalg_vector_ops(struct kt_ctx *t)
{
	float x[5] = { 1, 2, 3, 4, 5 }, y[5] = { 10, 20, 30, 40, 50 }, s;
	double xd[3] = { 0.5, -1.5, 2 }, yd[3] = { 4, 2, 1 }, sd;
	int i;

	KT_EXPECT_OK(t, kml_axpy_f32(5, 2.0f, x, y));
	for (i = 0; i < 5; i++)
		KT_EXPECT(t, y[i] == 12.0f * (float)(i + 1));
	KT_EXPECT_OK(t, kml_dot_f32(5, x, y, &s));
	KT_EXPECT(t, s == 660.0f); /* 12 * (1 + 4 + 9 + 16 + 25) */
	KT_EXPECT_OK(t, kml_scale_f32(5, -0.5f, x));
	KT_EXPECT(t, x[0] == -0.5f && x[4] == -2.5f);
	/* order matters in float: 1e8 + 1 - 1e8 summed left to right is 0 */
	{
		float p[3] = { 1e8f, 1.0f, -1e8f }, q[3] = { 1, 1, 1 };

		KT_EXPECT_OK(t, kml_dot_f32(3, p, q, &s));
		KT_EXPECT(t, s == 0.0f);
	}
	KT_EXPECT_OK(t, kml_axpy_f64(3, -2.0, xd, yd));
	KT_EXPECT(t, yd[0] == 3.0 && yd[1] == 5.0 && yd[2] == -3.0);
	KT_EXPECT_OK(t, kml_dot_f64(3, xd, yd, &sd));
	KT_EXPECT(t, sd == 1.5 - 7.5 - 6.0);
	KT_EXPECT_OK(t, kml_scale_f64(3, 4.0, xd));
	KT_EXPECT(t, xd[0] == 2.0 && xd[1] == -6.0 && xd[2] == 8.0);
	/* x and y may alias: y = y + 1 * y */
	KT_EXPECT_OK(t, kml_axpy_f32(5, 1.0f, y, y));
	KT_EXPECT(t, y[4] == 120.0f);
	kt_digest(t, x, sizeof(x));
	kt_digest(t, y, sizeof(y));
	kt_digest(t, yd, sizeof(yd));
}

static void linalg_vector_bad(struct kt_ctx *t)
{
	float x[2] = { 1, 2 }, s = 7;
	double xd[2] = { 1, 2 }, sd = 7;

	KT_EXPECT_EQ(t, kml_axpy_f32(2, 1.0f, NULL, x), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_axpy_f32(2, 1.0f, x, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_axpy_f32(0, 1.0f, x, x), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_axpy_f64(2, 1.0, NULL, xd), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_axpy_f64(0, 1.0, xd, xd), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_dot_f32(2, x, x, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_dot_f32(2, NULL, x, &s), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_dot_f32(0, x, x, &s), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_dot_f64(2, xd, NULL, &sd), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_dot_f64(0, xd, xd, &sd), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_scale_f32(2, 2.0f, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_scale_f32(0, 2.0f, x), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_scale_f64(2, 2.0, NULL), KML_EINVAL);
	KT_EXPECT_EQ(t, kml_scale_f64(0, 2.0, xd), KML_EINVAL);
	KT_EXPECT(t, s == 7 && sd == 7 && x[1] == 2 && xd[1] == 2);
}

static const struct kt_case linalg_cases[] = {
	{ "matmul_shapes", linalg_matmul_shapes },
	{ "matmul_packed", linalg_matmul_packed },
	{ "matmul_golden", linalg_matmul_golden },
	{ "matmul_signed_zero", linalg_matmul_signed_zero },
	{ "matmul_bad", linalg_matmul_bad },
	{ "vector_ops", linalg_vector_ops },
	{ "vector_bad", linalg_vector_bad },
};

KT_SUITE(kt_suite_linalg, "linalg", true, 65536, linalg_cases);

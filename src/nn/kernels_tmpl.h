/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * kernels_tmpl.h - forward/backward of every built-in layer kind, written
 * once for a scalar type T and instantiated by kernels_f32.c and
 * kernels_f64.c (FPU code). The includer defines:
 *   T          the scalar type
 *   FN(name)   name##_f32 or name##_f64
 *   KM(name)   the kmath function for T (kml_expf or kml_exp, ...)
 *   MATMUL     kml_matmul_f32 or kml_matmul_f64
 *   KLOG       kml_logf or kml_log
 *
 * Backward functions ADD into src->dy (see nn_ops.h). Loss sums are
 * accumulated in double for both dtypes so that float losses do not
 * drift with the batch size.
 */

/* ---- linear: y = x A + b, A stored in x out ---- */

static inline size_t FN(last_dim)(const struct kml_nn_node *n)
{
	return n->shape.dim[n->shape.rank - 1];
}

void FN(kml_nn_linear_init)(struct kml_nn_node *n, struct kml_prng *r)
{
	size_t in = n->ihp[2], i;
	/* PyTorch: kaiming_uniform(a = sqrt(5)) and the bias both give
	 * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) */
	double bound = 1.0 / kml_sqrt((double)in);
	T *w = n->w;

	for (i = 0; i < n->n_params; i++)
		w[i] = (T)((2.0 * kml_prng_double(r) - 1.0) * bound);
}

/*
 * Below this many multiply-adds a direct loop beats the call, checks and
 * tiling of kml_matmul. Both compute every sum as ((0 + x0 a0) + x1 a1)
 * ... in index order, then add the bias: the results are the same bits.
 */
#define LINEAR_SMALL 256
#ifdef KML_SIZE_OPT
#define ROW_KERNELS_OFF 1
#define SIZE_OPT_ON 1 /* the size profile: general paths only, same bits */
#else
#define ROW_KERNELS_OFF 0
#define SIZE_OPT_ON 0
#endif

typedef T FN(vec)
    __attribute__((__vector_size__(16), __aligned__(sizeof(T)), __may_alias__));
#define VL (16 / sizeof(T))
#define ROW_VECS 8

typedef T FN(avec) __attribute__((__vector_size__(16), __aligned__(16)));

/* A vector of a's columns; aligned loads can feed mulps directly. */
static __attribute__((__always_inline__)) inline FN(vec)
    FN(load_a)(const T *p, const bool aligned)
{
	if (aligned)
		return *(const FN(avec) *)p;
	return *(const FN(vec) *)p;
}

/*
 * nv vectors of columns from column o on, the last one holding @valid
 * real columns (VL when full). The last vector may read up to VL - 1
 * elements past a row of A or past b: the next row, the next parameters
 * or the slack that kml_nn_prepare() leaves after the parameter block;
 * those lanes are computed and dropped. Each real lane sums p = 0, 1, ...
 * in order (two p per iteration), then adds the bias.
 */
static __attribute__((__always_inline__)) inline void
FN(row_block)(const T *x, const T *a, const T *b, T *y, size_t in, size_t out,
	      const int nv, size_t valid, const bool al)
{
	FN(vec) acc[ROW_VECS];
	size_t p, l;
	int v;

	for (v = 0; v < nv; v++)
		acc[v] = (FN(vec)){ 0 };
	for (p = 0; p + 2 <= in; p += 2) {
		const T *ap = a + p * out;
		T x0 = x[p], x1 = x[p + 1];

#pragma GCC unroll 8
		for (v = 0; v < nv; v++)
			acc[v] = acc[v] + FN(load_a)(ap + v * VL, al) * x0;
#pragma GCC unroll 8
		for (v = 0; v < nv; v++)
			acc[v] =
			    acc[v] + FN(load_a)(ap + out + v * VL, al) * x1;
	}
	if (p < in)
		for (v = 0; v < nv; v++)
			acc[v] = acc[v] +
				 FN(load_a)(a + p * out + v * VL, al) * x[p];
	for (v = 0; v < nv; v++) {
		if (b)
			acc[v] = acc[v] + *(const FN(vec) *)(b + v * VL);
		if (v < nv - 1 || valid == VL)
			*(FN(vec) *)(y + v * VL) = acc[v];
		else
			for (l = 0; l < valid; l++)
				y[v * VL + l] = acc[v][l];
	}
}

/*
 * One row of the product plus bias, y[o] = (sum_p x[p] a[p][o]) + b[o],
 * for batch-1 inference: up to ROW_VECS vectors of columns accumulate side
 * by side (more than kml_matmul's tile keeps, which is what a single row
 * needs), each lane still summing in p order and adding the bias last, so
 * the bits equal those of the kml_matmul path.
 */
static __attribute__((__always_inline__)) inline void
FN(row_times_)(const T *x, const T *a, const T *b, T *y, size_t in, size_t out,
	       const bool al)
{
	size_t o;

	for (o = 0; o < out; o += ROW_VECS * VL) {
		size_t left = out - o, nv = (left + VL - 1) / VL, valid;
		const T *bo = b ? b + o : NULL;

		if (nv >= ROW_VECS) {
			FN(row_block)
			(x, a + o, bo, y + o, in, out, ROW_VECS, VL, al);
			continue;
		}
		valid = left - (nv - 1) * VL;
		switch (nv) {
		case 1:
			FN(row_block)
			(x, a + o, bo, y + o, in, out, 1, valid, false);
			break;
		case 2:
			FN(row_block)
			(x, a + o, bo, y + o, in, out, 2, valid, false);
			break;
		case 3:
			FN(row_block)
			(x, a + o, bo, y + o, in, out, 3, valid, false);
			break;
		case 4:
			FN(row_block)
			(x, a + o, bo, y + o, in, out, 4, valid, false);
			break;
		case 5:
			FN(row_block)
			(x, a + o, bo, y + o, in, out, 5, valid, false);
			break;
		case 6:
			FN(row_block)
			(x, a + o, bo, y + o, in, out, 6, valid, false);
			break;
		default:
			FN(row_block)
			(x, a + o, bo, y + o, in, out, 7, valid, false);
			break;
		}
	}
}

/*
 * Up to 4 vectors of columns (small nets such as 5-15-5-4): one block,
 * without the column loop whose set-up costs more than the block here.
 */
static __attribute__((__noinline__)) int
FN(row_small)(const T *x, const T *a, const T *b, T *y, size_t in, size_t out)
{
	size_t nv = (out + VL - 1) / VL, valid = out - (nv - 1) * VL;

	switch (nv) {
	case 1:
		FN(row_block)(x, a, b, y, in, out, 1, valid, false);
		break;
	case 2:
		FN(row_block)(x, a, b, y, in, out, 2, valid, false);
		break;
	case 3:
		FN(row_block)(x, a, b, y, in, out, 3, valid, false);
		break;
	default:
		FN(row_block)(x, a, b, y, in, out, 4, valid, false);
		break;
	}
	return KML_OK;
}

/* returns KML_OK so that callers can end with a tail call */
static int FN(row_times)(const T *x, const T *a, const T *b, T *y, size_t in,
			 size_t out)
{
	/* node parameters start 16-byte aligned (graph.c); rows stay so
	 * when out is a multiple of the vector length */
	if (((uintptr_t)a & 15) == 0 && out % VL == 0)
		FN(row_times_)(x, a, b, y, in, out, true);
	else
		FN(row_times_)(x, a, b, y, in, out, false);
	return KML_OK;
}

/* batch > 1: small products as plain loops, larger ones by kml_matmul */
static __attribute__((__noinline__)) int FN(linear_rows)(struct kml_nn_node *n,
							 size_t batch)
{
	const T *x = n->src[0]->y, *a = n->w;
	size_t in = n->ihp[2], out = n->ihp[0], rows = batch * n->ihp[3];
	size_t r, o, p;
	T *y = n->y;
	int ret;

	/* the size profile: kml_matmul for every size, same bits */
	if (!SIZE_OPT_ON && rows * in * out <= LINEAR_SMALL) {
		for (r = 0; r < rows; r++, x += in, y += out)
			for (o = 0; o < out; o++) {
				T s = 0;

				for (p = 0; p < in; p++)
					s = s + x[p] * a[p * out + o];
				y[o] = n->ihp[1] ? s + a[in * out + o] : s;
			}
		return KML_OK;
	}
	ret = MATMUL(x, a, y, rows, in, out, 0);
	if (ret || !n->ihp[1])
		return ret;
	a += in * out; /* bias */
	for (r = 0; r < rows; r++, y += out) {
		for (o = 0; !SIZE_OPT_ON && o + VL <= out; o += VL)
			*(FN(vec) *)(y + o) =
			    *(FN(vec) *)(y + o) + *(const FN(vec) *)(a + o);
		for (; o < out; o++)
			y[o] += a[o];
	}
	return KML_OK;
}

int FN(kml_nn_linear_fwd)(struct kml_nn_node *n, size_t batch)
{
	const T *x = n->src[0]->y, *a = n->w;
	size_t in = n->ihp[2], out = n->ihp[0];

	/* tail calls: no register saves here. The size profile (KML_SIZE_OPT)
	 * runs batch 1 through linear_rows too: same bits, no row kernels */
	if (ROW_KERNELS_OFF || batch * n->ihp[3] != 1)
		return FN(linear_rows)(n, batch);
	if (out <= 4 * VL)
		return FN(row_small)(x, a, n->ihp[1] ? a + in * out : NULL,
				     n->y, in, out);
	return FN(row_times)(x, a, n->ihp[1] ? a + in * out : NULL, n->y, in,
			     out);
}

/*
 * The prepared fast path (graph.c) for a one-output linear layer on a
 * vector input: a dot product per sample, same order and bits as above.
 */
/* in == K (1..4) known at compile time: the dot product fully unrolled */
static __attribute__((__always_inline__)) inline int
FN(linear_dot)(struct kml_nn_node *n, size_t batch, const size_t K,
	       const bool bias)
{
	const T *x = n->src[0]->y, *a = n->w;
	T *y = n->y, *end = y + batch;
	size_t in = K ? K : n->ihp[2], p;

	do { /* batch >= 1 */
		T s = 0;

		for (p = 0; p < in; p++)
			s = s + x[p] * a[p];
		*y = bias ? s + a[in] : s;
		x += in;
	} while (++y < end);
	return KML_OK;
}

#ifdef KML_SIZE_OPT
/* Size profile: one instance, in and bias read at run time: same bits. */
static int FN(linear_dot_any)(struct kml_nn_node *n, size_t batch)
{
	return FN(linear_dot)(n, batch, 0, n->ihp[1]);
}

int (*const FN(kml_nn_linear_dot_fwd)[2][5])(struct kml_nn_node *, size_t) = {
	{ FN(linear_dot_any), FN(linear_dot_any), FN(linear_dot_any),
	  FN(linear_dot_any), FN(linear_dot_any) },
	{ FN(linear_dot_any), FN(linear_dot_any), FN(linear_dot_any),
	  FN(linear_dot_any), FN(linear_dot_any) },
};
#else
#define LINEAR_DOT(k, b)                                                       \
	static int FN(linear_dot_##k##_##b)(struct kml_nn_node * n,            \
					    size_t batch)                      \
	{                                                                      \
		return FN(linear_dot)(n, batch, k, b);                         \
	}
LINEAR_DOT(0, false)
LINEAR_DOT(1, false)
LINEAR_DOT(2, false)
LINEAR_DOT(3, false)
LINEAR_DOT(4, false)
LINEAR_DOT(0, true)
LINEAR_DOT(1, true)
LINEAR_DOT(2, true)
LINEAR_DOT(3, true)
LINEAR_DOT(4, true)
#undef LINEAR_DOT

/* [bias][in, or 0 for in > 4] */
int (*const FN(kml_nn_linear_dot_fwd)[2][5])(struct kml_nn_node *, size_t) = {
	{ FN(linear_dot_0_false), FN(linear_dot_1_false),
	  FN(linear_dot_2_false), FN(linear_dot_3_false),
	  FN(linear_dot_4_false) },
	{ FN(linear_dot_0_true), FN(linear_dot_1_true), FN(linear_dot_2_true),
	  FN(linear_dot_3_true), FN(linear_dot_4_true) },
};
#endif

/*
 * Backward of a one-output linear layer on a vector input (resolved at
 * prepare like the forward above): the same sums in the same order as
 * the general backward below, without its loop nest.
 */
#ifndef KML_SIZE_OPT /* the size profile: defined below */
int FN(kml_nn_linear_dot_bwd)(struct kml_nn_node *n, size_t batch)
{
	const struct kml_nn_node *xn = n->src[0];
	const T *x = xn->y, *dy = n->dy, *a = n->w;
	size_t in = n->ihp[2], p, r;
	T *da = n->dw, *dx = xn->dy;

	for (p = 0; p < in; p++) {
		T s = 0;

		for (r = 0; r < batch; r++)
			s = s + x[r * in + p] * dy[r];
		da[p] = s;
	}
	if (n->ihp[1]) {
		T s = 0;

		for (r = 0; r < batch; r++)
			s = s + dy[r];
		da[in] = s;
	}
	if (dx)
		for (r = 0; r < batch; r++, dx += in)
			for (p = 0; p < in; p++)
				dx[p] = dx[p] + dy[r] * a[p];
	return KML_OK;
}
#endif

/*
 * db[o] = sum_r dy[r][o], each column summed r = 0, 1, ... (from 0, as
 * the scalar loop did): vectors run side by side across columns only.
 */
static void FN(col_sums)(const T *dy, T *db, size_t rows, size_t out)
{
	size_t r, o = 0;

#ifndef KML_SIZE_OPT /* size profile: the scalar loop alone, same sums */
	for (; o + VL <= out; o += VL) {
		FN(vec) s = { 0 };

		for (r = 0; r < rows; r++)
			s = s + *(const FN(vec) *)(dy + r * out + o);
		*(FN(vec) *)(db + o) = s;
	}
#endif
	for (; o < out; o++) {
		T s = 0;

		for (r = 0; r < rows; r++)
			s = s + dy[r * out + o];
		db[o] = s;
	}
}

#ifndef KML_SIZE_OPT /* size profile: dx through TRANS_B, no copy */
/* v[l] = row l of a VL x VL block in, column l out (KVL: VL as a literal) */
/* clang-format off */
static __attribute__((__always_inline__)) inline void
FN(transpose_block)(FN(vec) *v)
/* clang-format on */
{
#if KVL == 4 /* __builtin_shufflevector: GCC 12 and clang */
	FN(vec) t0 = __builtin_shufflevector(v[0], v[1], 0, 4, 1, 5);
	FN(vec) t1 = __builtin_shufflevector(v[0], v[1], 2, 6, 3, 7);
	FN(vec) t2 = __builtin_shufflevector(v[2], v[3], 0, 4, 1, 5);
	FN(vec) t3 = __builtin_shufflevector(v[2], v[3], 2, 6, 3, 7);

	v[0] = __builtin_shufflevector(t0, t2, 0, 1, 4, 5);
	v[1] = __builtin_shufflevector(t0, t2, 2, 3, 6, 7);
	v[2] = __builtin_shufflevector(t1, t3, 0, 1, 4, 5);
	v[3] = __builtin_shufflevector(t1, t3, 2, 3, 6, 7);
#else
	FN(vec) t0 = __builtin_shufflevector(v[0], v[1], 0, 2);

	v[1] = __builtin_shufflevector(v[0], v[1], 1, 3);
	v[0] = t0;
#endif
}

/*
 * at (cols x rows) = a^T (a is rows x cols): blocks of VL x VL moved
 * through registers (loads, shuffles, stores), the edges one by one.
 */
static void FN(transpose)(const T *a, T *at, size_t rows, size_t cols)
{
	size_t i, j, l;

	for (i = 0; i + VL <= rows; i += VL) {
		for (j = 0; j + VL <= cols; j += VL) {
			FN(vec) v[VL];

#pragma GCC unroll 4
			for (l = 0; l < VL; l++)
				v[l] =
				    *(const FN(vec) *)(a + (i + l) * cols + j);
			FN(transpose_block)(v);
#pragma GCC unroll 4
			for (l = 0; l < VL; l++)
				*(FN(vec) *)(at + (j + l) * rows + i) = v[l];
		}
		for (; j < cols; j++)
			for (l = 0; l < VL; l++)
				at[j * rows + i + l] = a[(i + l) * cols + j];
	}
	for (; i < rows; i++)
		for (j = 0; j < cols; j++)
			at[j * rows + i] = a[i * cols + j];
}
#endif

int FN(kml_nn_linear_bwd)(struct kml_nn_node *n, size_t batch)
{
	const struct kml_nn_node *xn = n->src[0];
	size_t in = n->ihp[2], out = n->ihp[0], rows = batch * n->ihp[3];
	const T *dy = n->dy, *x = xn->y, *a = n->w;
	T *da = n->dw, *dx = xn->dy;
	size_t r, o, p;
	int ret;

	/* the kind has KML_NN_OPS_WRITES_DW: dA and db are written, not added
	 */
	if (n->ihp[1])
		FN(col_sums)(dy, da + in * out, rows, out);
	if (rows * in * out <= LINEAR_SMALL) {
		/* dA[p][o] = sum_r x[r][p] dy[r][o]; dx[r][p] += sum_o dy[r][o]
		 * A[p][o] */
		for (p = 0; p < in; p++)
			for (o = 0; o < out; o++) {
				T s = 0;

				for (r = 0; r < rows; r++)
					s = s + x[r * in + p] * dy[r * out + o];
				da[p * out + o] = s;
			}
		if (dx)
			for (r = 0; r < rows; r++)
				for (p = 0; p < in; p++) {
					T s = dx[r * in + p];

					for (o = 0; o < out; o++)
						s = s + dy[r * out + o] *
							    a[p * out + o];
					dx[r * in + p] = s;
				}
		return KML_OK;
	}
	/* dA (in x out) = x^T dy */
	ret = MATMUL(x, dy, da, in, rows, out, KML_MM_TRANS_A);
	/* clang-format off */
	if (ret || !dx)
		return ret;
	/*
	 * dx (rows x in) += dy A^T. With A^T copied out once (scratch, out x
	 * in) the product is a plain one, which kml_matmul runs about twice
	 * as fast as the TRANS_B form; the copy pays for itself from a few
	 * rows on. Same sums in the same order either way.
	 */
/* clang-format on */
#ifndef KML_SIZE_OPT
	if (rows >= 4 && n->scratch) {
		FN(transpose)(a, n->scratch, in, out);
		return MATMUL(dy, n->scratch, dx, rows, out, in,
			      KML_MM_ACCUMULATE);
	}
#endif
	return MATMUL(dy, a, dx, rows, out, in,
		      KML_MM_TRANS_B | KML_MM_ACCUMULATE);
}

#ifdef KML_SIZE_OPT
/* the size profile: the general backward, the same sums */
int FN(kml_nn_linear_dot_bwd)(struct kml_nn_node *n, size_t batch)
{
	return FN(kml_nn_linear_bwd)(n, batch);
}
#endif

/* ---- add, concat, copy ---- */

int FN(kml_nn_add_fwd)(struct kml_nn_node *n, size_t batch)
{
	const T *a = n->src[0]->y, *b = n->src[1]->y;
	size_t len = kml_nn_node_len(n, batch), i;
	T *y = n->y;

	for (i = 0; i < len; i++)
		y[i] = a[i] + b[i];
	return KML_OK;
}

static void FN(acc)(T *dst, const T *src, size_t len)
{
	size_t i;

	if (dst)
		for (i = 0; i < len; i++)
			dst[i] += src[i];
}

int FN(kml_nn_add_bwd)(struct kml_nn_node *n, size_t batch)
{
	size_t len = kml_nn_node_len(n, batch);

	FN(acc)(n->src[0]->dy, n->dy, len);
	FN(acc)(n->src[1]->dy, n->dy, len);
	return KML_OK;
}

/* Rows before the axis (batch included) and elements per row of @n. */
static size_t FN(concat_outer)(const struct kml_nn_node *n, size_t batch,
			       size_t *inner)
{
	size_t outer = (n->flags & KML_NN_NODE_UNBATCHED) ? 1 : batch;
	uint32_t d;

	for (d = 0; d < n->ihp[0]; d++)
		outer *= n->shape.dim[d];
	*inner = kml_nn_node_len(n, batch) / outer;
	return outer;
}

int FN(kml_nn_concat_fwd)(struct kml_nn_node *n, size_t batch)
{
	size_t inner, outer = FN(concat_outer)(n, batch, &inner), o, off = 0;
	uint32_t i;

	for (i = 0; i < n->n_in; i++) {
		const struct kml_nn_node *s = n->src[i];
		size_t w = kml_nn_node_len(s, batch) / outer;
		const T *x = s->y;
		T *y = (T *)n->y + off;

		for (o = 0; o < outer; o++)
			kml_memcpy(y + o * inner, x + o * w, w * sizeof(T));
		off += w;
	}
	return KML_OK;
}

int FN(kml_nn_concat_bwd)(struct kml_nn_node *n, size_t batch)
{
	size_t inner, outer = FN(concat_outer)(n, batch, &inner), o, off = 0;
	uint32_t i;

	for (i = 0; i < n->n_in; i++) {
		const struct kml_nn_node *s = n->src[i];
		size_t w = kml_nn_node_len(s, batch) / outer;
		const T *dy = (const T *)n->dy + off;

		if (s->dy)
			for (o = 0; o < outer; o++)
				FN(acc)((T *)s->dy + o * w, dy + o * inner, w);
		off += w;
	}
	return KML_OK;
}

int FN(kml_nn_copy_fwd)(struct kml_nn_node *n, size_t batch)
{
	kml_memcpy(n->y, n->src[0]->y, kml_nn_node_len(n, batch) * sizeof(T));
	return KML_OK;
}

int FN(kml_nn_copy_bwd)(struct kml_nn_node *n, size_t batch)
{
	FN(acc)(n->src[0]->dy, n->dy, kml_nn_node_len(n, batch));
	return KML_OK;
}

/* ---- elementwise activations ---- */

/*
 * One forward and one backward per activation. FWD(v) maps an input
 * value; BWD(x, y, g) gives the input gradient from input x, output y and
 * output gradient g.
 */
#define ACTIVATION(kind, FWD, BWD)                                             \
	ACTIVATION_FWD(kind, FWD)                                              \
	ACTIVATION_BWD(kind, BWD)
#define ACTIVATION_FWD(kind, FWD)                                              \
	int FN(kml_nn_##kind##_fwd)(struct kml_nn_node * n, size_t batch)      \
	{                                                                      \
		const T *x = n->src[0]->y;                                     \
		size_t len = kml_nn_node_len(n, batch), i;                     \
		T *y = n->y;                                                   \
		T slope = (T)n->rhp[0];                                        \
                                                                               \
		(void)slope;                                                   \
		for (i = 0; i < len; i++) {                                    \
			T v = x[i];                                            \
			y[i] = (FWD);                                          \
		}                                                              \
		return KML_OK;                                                 \
	}
#define ACTIVATION_BWD(kind, BWD)                                              \
	int FN(kml_nn_##kind##_bwd)(struct kml_nn_node * n, size_t batch)      \
	{                                                                      \
		const T *xs = n->src[0]->y, *ys = n->y, *g = n->dy;            \
		size_t len = kml_nn_node_len(n, batch), i;                     \
		T *dx = n->src[0]->dy;                                         \
		T slope = (T)n->rhp[0];                                        \
                                                                               \
		(void)slope;                                                   \
		if (!dx)                                                       \
			return KML_OK;                                         \
		for (i = 0; i < len; i++) {                                    \
			T x = xs[i], y = ys[i];                                \
                                                                               \
			(void)x;                                               \
			(void)y;                                               \
			dx[i] += (BWD);                                        \
		}                                                              \
		return KML_OK;                                                 \
	}

ACTIVATION(leaky_relu, v > 0 ? v : v * slope, x > 0 ? g[i] : g[i] * slope)
#ifdef KM_SIGMOID_VEC
/* the same bits as KM(sigmoid) per element, two lanes at a time */
int FN(kml_nn_sigmoid_fwd)(struct kml_nn_node *n, size_t batch)
{
	return KM_SIGMOID_VEC(n->y, n->src[0]->y, kml_nn_node_len(n, batch));
}
#else
ACTIVATION_FWD(sigmoid, KM(sigmoid)(v))
#endif
ACTIVATION_BWD(sigmoid, g[i] * y * ((T)1 - y))
ACTIVATION(tanh, KM(tanh)(v), g[i] * ((T)1 - y * y))

#undef ACTIVATION
#undef ACTIVATION_FWD
#undef ACTIVATION_BWD

/*
 * ReLU is on every hot path: written with vectors (v AND NOT the mask of
 * v < 0), since -O2 does not vectorise the loops above. PyTorch's values:
 * y = x < 0 ? 0 : x (so NaN stays NaN and -0 stays -0) and
 * dx = x <= 0 ? 0 : dy (so a NaN input passes its gradient).
 */
typedef int64_t FN(mask) __attribute__((__vector_size__(16), __may_alias__));

int FN(kml_nn_relu_fwd)(struct kml_nn_node *n, size_t batch)
{
	const T *x = n->src[0]->y;
	size_t len = kml_nn_node_len(n, batch), i = 0;
	const FN(vec) zero = { 0 };
	T *y = n->y;

	for (; i + VL <= len; i += VL) {
		FN(vec) v = *(const FN(vec) *)(x + i);

		*(FN(mask) *)(y + i) = ~(FN(mask))(v < zero) & (FN(mask))v;
	}
	for (; i < len; i++)
		y[i] = x[i] < 0 ? (T)0 : x[i];
	return KML_OK;
}

int FN(kml_nn_relu_bwd)(struct kml_nn_node *n, size_t batch)
{
	const T *x = n->src[0]->y, *g = n->dy;
	size_t len = kml_nn_node_len(n, batch), i = 0;
	const FN(vec) zero = { 0 };
	T *dx = n->src[0]->dy;

	if (!dx)
		return KML_OK;
	for (; i + VL <= len; i += VL) {
		FN(vec) v = *(const FN(vec) *)(x + i);
		FN(vec) gv = *(const FN(vec) *)(g + i);
		FN(vec) m;

		*(FN(mask) *)&m = ~(FN(mask))(v <= zero) & (FN(mask))gv;
		*(FN(vec) *)(dx + i) = *(FN(vec) *)(dx + i) + m;
	}
	for (; i < len; i++)
		dx[i] += x[i] <= 0 ? (T)0 : g[i];
	return KML_OK;
}

/* ---- softmax and log-softmax over the last axis ---- */

/*
 * Over one row: *max = max(x) and the return value log(sum(exp(x - max))).
 * Callers form (x - max) - that, never (max + that) - x: for logits of
 * 1e4 the first keeps the small differences exact in float.
 */
static T FN(log_sum_exp_shifted)(const T *x, size_t c, T *max)
{
	T m = x[0], s = 0;
	size_t j;

	for (j = 1; j < c; j++)
		if (x[j] > m)
			m = x[j];
	for (j = 0; j < c; j++)
		s += KM(exp)(x[j] - m);
	*max = m;
	return KLOG(s);
}

static int FN(softmax_rows)(struct kml_nn_node *n, size_t batch, bool log)
{
	size_t c = FN(last_dim)(n), rows = kml_nn_node_len(n, batch) / c, r, j;
	const T *x = n->src[0]->y;
	T *y = n->y;

	for (r = 0; r < rows; r++, x += c, y += c) {
		T m, ls = FN(log_sum_exp_shifted)(x, c, &m);

		for (j = 0; j < c; j++) {
			T v = (x[j] - m) - ls;

			y[j] = log ? v : KM(exp)(v);
		}
	}
	return KML_OK;
}

int FN(kml_nn_softmax_fwd)(struct kml_nn_node *n, size_t batch)
{
	return FN(softmax_rows)(n, batch, false);
}

int FN(kml_nn_log_softmax_fwd)(struct kml_nn_node *n, size_t batch)
{
	return FN(softmax_rows)(n, batch, true);
}

/* dx = y (g - sum(g y)) */
int FN(kml_nn_softmax_bwd)(struct kml_nn_node *n, size_t batch)
{
	size_t c = FN(last_dim)(n), rows = kml_nn_node_len(n, batch) / c, r, j;
	const T *y = n->y, *g = n->dy;
	T *dx = n->src[0]->dy;

	if (!dx)
		return KML_OK;
	for (r = 0; r < rows; r++, y += c, g += c, dx += c) {
		T s = 0;

		for (j = 0; j < c; j++)
			s += g[j] * y[j];
		for (j = 0; j < c; j++)
			dx[j] += y[j] * (g[j] - s);
	}
	return KML_OK;
}

/* dx = g - exp(y) sum(g) */
int FN(kml_nn_log_softmax_bwd)(struct kml_nn_node *n, size_t batch)
{
	size_t c = FN(last_dim)(n), rows = kml_nn_node_len(n, batch) / c, r, j;
	const T *y = n->y, *g = n->dy;
	T *dx = n->src[0]->dy;

	if (!dx)
		return KML_OK;
	for (r = 0; r < rows; r++, y += c, g += c, dx += c) {
		T s = 0;

		for (j = 0; j < c; j++)
			s += g[j];
		for (j = 0; j < c; j++)
			dx[j] += g[j] - KM(exp)(y[j]) * s;
	}
	return KML_OK;
}

/* ---- losses ---- */

/* d loss / d term: the seed times 1/count for a mean. */
static T FN(loss_scale)(const struct kml_nn_node *n, size_t count)
{
	T g = *(const T *)n->dy;

	return n->ihp[0] == KML_NN_MEAN ? g / (T)count : g;
}

static void FN(loss_store)(struct kml_nn_node *n, double sum, size_t count)
{
	*(T *)n->y = (T)(n->ihp[0] == KML_NN_MEAN ? sum / (double)count : sum);
}

int FN(kml_nn_mse_fwd)(struct kml_nn_node *n, size_t batch)
{
	const T *p = n->src[0]->y, *t = n->src[1]->y;
	size_t len = kml_nn_node_len(n->src[0], batch), i;
	double s = 0;

	for (i = 0; i < len; i++) {
		T d = p[i] - t[i];

		s += (double)(d * d);
	}
	FN(loss_store)(n, s, len);
	return KML_OK;
}

int FN(kml_nn_mse_bwd)(struct kml_nn_node *n, size_t batch)
{
	const T *p = n->src[0]->y, *t = n->src[1]->y;
	size_t len = kml_nn_node_len(n->src[0], batch), i;
	T g = FN(loss_scale)(n, len) * 2, *dp = n->src[0]->dy,
	  *dt = n->src[1]->dy;

	for (i = 0; i < len; i++) {
		T d = g * (p[i] - t[i]);

		if (dp)
			dp[i] += d;
		if (dt)
			dt[i] -= d;
	}
	return KML_OK;
}

int FN(kml_nn_huber_fwd)(struct kml_nn_node *n, size_t batch)
{
	const T *p = n->src[0]->y, *t = n->src[1]->y;
	size_t len = kml_nn_node_len(n->src[0], batch), i;
	T delta = (T)n->rhp[0];
	double s = 0;

	for (i = 0; i < len; i++) {
		T z = KM(fabs)(p[i] - t[i]);

		s += (double)(z < delta ? (T)0.5 * z * z
					: delta * (z - (T)0.5 * delta));
	}
	FN(loss_store)(n, s, len);
	return KML_OK;
}

int FN(kml_nn_huber_bwd)(struct kml_nn_node *n, size_t batch)
{
	const T *p = n->src[0]->y, *t = n->src[1]->y;
	size_t len = kml_nn_node_len(n->src[0], batch), i;
	T g = FN(loss_scale)(n, len), delta = (T)n->rhp[0];
	T *dp = n->src[0]->dy, *dt = n->src[1]->dy;

	for (i = 0; i < len; i++) {
		T z = p[i] - t[i], d;

		d = z <= -delta ? -delta : (z >= delta ? delta : z);
		d *= g;
		if (dp)
			dp[i] += d;
		if (dt)
			dt[i] -= d;
	}
	return KML_OK;
}

int FN(kml_nn_cross_entropy_fwd)(struct kml_nn_node *n, size_t batch)
{
	const struct kml_nn_node *xn = n->src[0];
	const int32_t *label = n->src[1]->y;
	size_t c = xn->size, r, j;
	const T *x = xn->y;
	T *p = n->scratch;
	double s = 0;

	for (r = 0; r < batch; r++, x += c, p += c) {
		T m, ls;

		if (label[r] < 0 || (size_t)label[r] >= c)
			return KML_ERANGE;
		ls = FN(log_sum_exp_shifted)(x, c, &m);
		s -= (double)((x[label[r]] - m) - ls);
		for (j = 0; j < c; j++)
			p[j] = KM(exp)((x[j] - m) - ls);
	}
	FN(loss_store)(n, s, batch);
	return KML_OK;
}

/* d/dx = softmax(x) - onehot(label) */
int FN(kml_nn_cross_entropy_bwd)(struct kml_nn_node *n, size_t batch)
{
	const int32_t *label = n->src[1]->y;
	size_t c = n->src[0]->size, r, j;
	const T *p = n->scratch;
	T g = FN(loss_scale)(n, batch), *dx = n->src[0]->dy;

	if (!dx)
		return KML_OK;
	for (r = 0; r < batch; r++, p += c, dx += c) {
		for (j = 0; j < c; j++)
			dx[j] += g * p[j];
		dx[label[r]] -= g;
	}
	return KML_OK;
}

int FN(kml_nn_bce_logits_fwd)(struct kml_nn_node *n, size_t batch)
{
	const T *x = n->src[0]->y, *t = n->src[1]->y;
	size_t len = kml_nn_node_len(n->src[0], batch), i;
	double s = 0;

	for (i = 0; i < len; i++) {
		T v = x[i];
		T l = (v > 0 ? v : (T)0) - v * t[i] +
		      KM(log1p)(KM(exp)(-KM(fabs)(v)));

		s += (double)l;
	}
	FN(loss_store)(n, s, len);
	return KML_OK;
}

/* d/dx = sigmoid(x) - t, d/dt = -x */
int FN(kml_nn_bce_logits_bwd)(struct kml_nn_node *n, size_t batch)
{
	const T *x = n->src[0]->y, *t = n->src[1]->y;
	size_t len = kml_nn_node_len(n->src[0], batch), i;
	T g = FN(loss_scale)(n, len), *dx = n->src[0]->dy, *dt = n->src[1]->dy;

	for (i = 0; i < len; i++) {
		if (dx)
			dx[i] += g * (KM(sigmoid)(x[i]) - t[i]);
		if (dt)
			dt[i] -= g * x[i];
	}
	return KML_OK;
}

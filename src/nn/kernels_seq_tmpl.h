/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * kernels_seq_tmpl.h - LSTM and GRU over a sequence, written once for T
 * (see kernels_tmpl.h for the macros; FPU code), with the scratch layout
 * of layers_seq.c. Per sample, forward keeps the gate activations, the
 * cell states (LSTM) or W_hn h + b_hn (GRU) and every h; backward walks
 * the steps down (backprop through time) collecting the gate gradients,
 * then forms the weight and input gradients as three products over all
 * steps at once.
 */

struct FN(rnn) {
	size_t h, g, t, in, gh;
	const T *wih, *whh, *bih, *bhh;
	T *dwih, *dwhh, *dbih, *dbhh;
	size_t per; /* scratch elements per sample */
};

static void FN(rnn_get)(const struct kml_nn_node *n, struct FN(rnn) * q)
{
	const T *w = n->w;
	T *dw = n->dw;

	q->h = n->ihp[0];
	q->g = n->ihp[2];
	q->t = n->ihp[3];
	q->in = n->ihp[4];
	q->gh = q->g * q->h;
	q->wih = w;
	q->whh = w + q->gh * q->in;
	q->bih = q->whh + q->gh * q->h;
	q->bhh = q->bih + q->gh;
	q->dwih = dw;
	q->dwhh = dw ? dw + q->gh * q->in : NULL;
	q->dbih = dw ? q->dwhh + q->gh * q->h : NULL;
	q->dbhh = dw ? q->dbih + q->gh : NULL;
	q->per = n->scratch_per_sample;
}

/*
 * The scratch region holds the fixed part (backward's gate gradients)
 * first, then one block of q->per elements per sample.
 */
static inline T *FN(rnn_sample)(const struct kml_nn_node *n,
				const struct FN(rnn) * q, size_t s)
{
	return (T *)n->scratch + n->scratch_fixed + s * q->per;
}

void FN(kml_nn_rnn_init)(struct kml_nn_node *n, struct kml_prng *r)
{
	double bound = 1.0 / kml_sqrt((double)n->ihp[0]);
	T *w = n->w;
	size_t i;

	for (i = 0; i < n->n_params; i++)
		w[i] = (T)((2.0 * kml_prng_double(r) - 1.0) * bound);
}

/* sum_k a[k] b[k] in index order */
static inline T FN(dot)(const T *a, const T *b, size_t len)
{
	T s = 0;
	size_t k;

	for (k = 0; k < len; k++)
		s += a[k] * b[k];
	return s;
}

/*
 * out[j] = dot(w row j, h) for the @rows rows of @len elements: with
 * vectors when @len is a multiple of the vector length, four rows at a
 * time sharing the loads of h (each row sums its lanes, then the lanes in
 * order); else the scalar dot.
 */
static void FN(rows_dot)(const T *w, size_t rows, size_t len, const T *h,
			 T *out)
{
	size_t j = 0, k, l;

	if (len % VL) {
		for (; j < rows; j++)
			out[j] = FN(dot)(w + j * len, h, len);
		return;
	}
	/* the size profile: one row at a time below, same sums */
	for (; !SIZE_OPT_ON && j + 4 <= rows; j += 4) {
		const T *w0 = w + j * len, *w1 = w0 + len, *w2 = w1 + len,
			*w3 = w2 + len;
		FN(vec) a0 = { 0 }, a1 = { 0 }, a2 = { 0 }, a3 = { 0 };

		for (k = 0; k < len; k += VL) {
			FN(vec) hv = *(const FN(vec) *)(h + k);

			a0 = a0 + *(const FN(vec) *)(w0 + k) * hv;
			a1 = a1 + *(const FN(vec) *)(w1 + k) * hv;
			a2 = a2 + *(const FN(vec) *)(w2 + k) * hv;
			a3 = a3 + *(const FN(vec) *)(w3 + k) * hv;
		}
		out[j] = out[j + 1] = out[j + 2] = out[j + 3] = 0;
		for (l = 0; l < VL; l++) {
			out[j] += a0[l];
			out[j + 1] += a1[l];
			out[j + 2] += a2[l];
			out[j + 3] += a3[l];
		}
	}
	for (; j < rows; j++) {
		FN(vec) a = { 0 };

		for (k = 0; k < len; k += VL)
			a = a + *(const FN(vec) *)(w + j * len + k) *
				    *(const FN(vec) *)(h + k);
		out[j] = 0;
		for (l = 0; l < VL; l++)
			out[j] += a[l];
	}
}

/* Copy the outputs of sample @s: every h, or the last one. */
static void FN(rnn_out)(struct kml_nn_node *n, const struct FN(rnn) * q,
			const T *hs, size_t s)
{
	T *y = n->y;

	if (n->ihp[1])
		kml_memcpy(y + s * q->t * q->h, hs + q->h,
			   q->t * q->h * sizeof(T));
	else
		kml_memcpy(y + s * q->h, hs + q->t * q->h, q->h * sizeof(T));
}

/* d loss / d h_t from the output of sample @s (0 for a hidden step). */
static inline T FN(rnn_dy)(const struct kml_nn_node *n,
			   const struct FN(rnn) * q, size_t s, size_t t,
			   size_t k)
{
	const T *dy = n->dy;

	if (n->ihp[1])
		return dy[(s * q->t + t) * q->h + k];
	return t == q->t - 1 ? dy[s * q->h + k] : (T)0;
}

/* ---- LSTM: gates i, f, g, o ---- */

int FN(kml_nn_lstm_fwd)(struct kml_nn_node *n, size_t batch)
{
	struct FN(rnn) q;
	const T *x = n->src[0]->y;
	T *tmp = n->scratch; /* backward's part, G H of it */
	size_t s, t, k;
	int ret;

	FN(rnn_get)(n, &q);
	for (s = 0; s < batch; s++, x += q.t * q.in) {
		T *a = FN(rnn_sample)(n, &q, s), *c = a + q.t * q.gh;
		T *hs = c + q.t * q.h;

		/* input part of every step: x W_ih^T (T x 4H) */
		ret = MATMUL(x, q.wih, a, q.t, q.in, q.gh, KML_MM_TRANS_B);
		if (ret)
			return ret;
		kml_memset(hs, 0, q.h * sizeof(T));
		for (t = 0; t < q.t; t++, a += q.gh) {
			const T *hp = hs + t * q.h, *cp = t ? c - q.h : NULL;
			T *h = hs + (t + 1) * q.h;
			size_t j;

			FN(rows_dot)(q.whh, q.gh, q.h, hp, tmp);
			for (j = 0; j < q.gh; j++)
				a[j] = (a[j] + q.bih[j]) + (tmp[j] + q.bhh[j]);
			for (k = 0; k < q.h; k++) {
				T i = KM(sigmoid)(a[k]);
				T f = KM(sigmoid)(a[q.h + k]);
				T g = KM(tanh)(a[2 * q.h + k]);
				T o = KM(sigmoid)(a[3 * q.h + k]);
				T cv = (cp ? f * cp[k] : (T)0) + i * g;

				a[k] = i;
				a[q.h + k] = f;
				a[2 * q.h + k] = g;
				a[3 * q.h + k] = o;
				c[k] = cv;
				h[k] = o * KM(tanh)(cv);
			}
			c += q.h;
		}
		FN(rnn_out)(n, &q, hs, s);
	}
	return KML_OK;
}

/*
 * The products shared by LSTM and GRU backward for one sample: with dgi
 * (T x GH) the gradients of the gates' input parts and dgh those of the
 * hidden parts (the same array for the LSTM):
 * dW_ih += dgi^T x, dW_hh += dgh^T h_{-1..T-2}, db += column sums,
 * dx += dgi W_ih.
 */
static int FN(rnn_bwd_products)(const struct FN(rnn) * q, const T *x,
				const T *hs, const T *dgi, const T *dgh, T *dx)
{
	size_t t, j;
	int ret;

	ret = MATMUL(dgi, x, q->dwih, q->gh, q->t, q->in,
		     KML_MM_TRANS_A | KML_MM_ACCUMULATE);
	if (!ret)
		ret = MATMUL(dgh, hs, q->dwhh, q->gh, q->t, q->h,
			     KML_MM_TRANS_A | KML_MM_ACCUMULATE);
	if (ret)
		return ret;
	for (t = 0; t < q->t; t++, dgi += q->gh, dgh += q->gh) {
		j = 0;
		if (q->gh % VL == 0)
			for (; j < q->gh; j += VL) {
				FN(vec) *bi = (FN(vec) *)(q->dbih + j);
				FN(vec) *bh = (FN(vec) *)(q->dbhh + j);

				*bi = *bi + *(const FN(vec) *)(dgi + j);
				*bh = *bh + *(const FN(vec) *)(dgh + j);
			}
		for (; j < q->gh; j++) {
			q->dbih[j] += dgi[j];
			q->dbhh[j] += dgh[j];
		}
	}
	dgi -= q->t * q->gh;
	if (!dx)
		return KML_OK;
	return MATMUL(dgi, q->wih, dx, q->t, q->gh, q->in, KML_MM_ACCUMULATE);
}

/* Columns [k, k + nv VL) of dh += dg W_hh, nv vectors kept in registers. */
static __attribute__((__always_inline__)) inline void
FN(rnn_dh_block)(const struct FN(rnn) * q, const T *dg, T *dh, size_t k,
		 const int nv)
{
	FN(vec) acc[8];
	size_t j;
	int v;

	for (v = 0; v < nv; v++)
		acc[v] = *(FN(vec) *)(dh + k + v * VL);
	for (j = 0; j < q->gh; j++) {
		const T *row = q->whh + j * q->h + k;
		T d = dg[j];

#pragma GCC unroll 8
		for (v = 0; v < nv; v++)
			acc[v] = acc[v] + *(const FN(vec) *)(row + v * VL) * d;
	}
	for (v = 0; v < nv; v++)
		*(FN(vec) *)(dh + k + v * VL) = acc[v];
}

/* dh += dg W_hh (dg: G H, W_hh: G H x H); each dh[k] sums j in order */
static void FN(rnn_dh)(const struct FN(rnn) * q, const T *dg, T *dh)
{
	size_t j, k = 0;

	if (q->h % VL == 0) {
		/* the size profile: one vector at a time, same sums */
		for (; !SIZE_OPT_ON && k + 8 * VL <= q->h; k += 8 * VL)
			FN(rnn_dh_block)(q, dg, dh, k, 8);
		for (; k < q->h; k += VL)
			FN(rnn_dh_block)(q, dg, dh, k, 1);
		return;
	}
	for (j = 0; j < q->gh; j++) {
		const T *row = q->whh + j * q->h;
		T d = dg[j];

		for (k = 0; k < q->h; k++)
			dh[k] += d * row[k];
	}
}

int FN(kml_nn_lstm_bwd)(struct kml_nn_node *n, size_t batch)
{
	struct FN(rnn) q;
	const struct kml_nn_node *xn = n->src[0];
	const T *x = xn->y;
	T *dx = xn->dy;
	T *dg = n->scratch;
	size_t s, t, k;
	int ret;

	FN(rnn_get)(n, &q);
	for (s = 0; s < batch; s++, x += q.t * q.in) {
		const T *a = FN(rnn_sample)(n, &q, s);
		const T *c = a + q.t * q.gh, *hs = c + q.t * q.h;
		T *dh = dg + 2 * q.t * q.gh, *dc = dh + q.h;

		kml_memset(dh, 0, 2 * q.h * sizeof(T));
		for (t = q.t; t-- > 0;) {
			const T *at = a + t * q.gh, *ct = c + t * q.h;
			T *d = dg + t * q.gh;

			for (k = 0; k < q.h; k++) {
				T i = at[k], f = at[q.h + k];
				T g = at[2 * q.h + k], o = at[3 * q.h + k];
				T tc = KM(tanh)(ct[k]);
				T cp = t ? (ct - q.h)[k] : (T)0;
				T dht = dh[k] + FN(rnn_dy)(n, &q, s, t, k);
				T dct = dc[k] + dht * o * ((T)1 - tc * tc);

				d[k] = dct * g * (i * ((T)1 - i));
				d[q.h + k] = dct * cp * (f * ((T)1 - f));
				d[2 * q.h + k] = dct * i * ((T)1 - g * g);
				d[3 * q.h + k] = dht * tc * (o * ((T)1 - o));
				dc[k] = dct * f;
			}
			kml_memset(dh, 0, q.h * sizeof(T));
			FN(rnn_dh)(&q, d, dh);
		}
		ret = FN(rnn_bwd_products)(&q, x, hs, dg, dg,
					   dx ? dx + s * q.t * q.in : NULL);
		if (ret)
			return ret;
	}
	return KML_OK;
}

/* ---- GRU: gates r, z, n ---- */

int FN(kml_nn_gru_fwd)(struct kml_nn_node *n, size_t batch)
{
	struct FN(rnn) q;
	const T *x = n->src[0]->y;
	T *tmp = n->scratch; /* backward's part, G H of it */
	size_t s, t, k;
	int ret;

	FN(rnn_get)(n, &q);
	for (s = 0; s < batch; s++, x += q.t * q.in) {
		T *a = FN(rnn_sample)(n, &q, s), *e = a + q.t * q.gh;
		T *hs = e + q.t * q.h;

		ret = MATMUL(x, q.wih, a, q.t, q.in, q.gh, KML_MM_TRANS_B);
		if (ret)
			return ret;
		kml_memset(hs, 0, q.h * sizeof(T));
		for (t = 0; t < q.t; t++, a += q.gh, e += q.h) {
			const T *hp = hs + t * q.h;
			T *h = hs + (t + 1) * q.h;

			FN(rows_dot)(q.whh, q.gh, q.h, hp, tmp);
			for (k = 0; k < q.h; k++) {
				T r = KM(sigmoid)((a[k] + q.bih[k]) +
						  (tmp[k] + q.bhh[k]));
				T z = KM(sigmoid)(
				    (a[q.h + k] + q.bih[q.h + k]) +
				    (tmp[q.h + k] + q.bhh[q.h + k]));
				T hn = tmp[2 * q.h + k] + q.bhh[2 * q.h + k];
				T nv = KM(tanh)(
				    (a[2 * q.h + k] + q.bih[2 * q.h + k]) +
				    r * hn);

				a[k] = r;
				a[q.h + k] = z;
				a[2 * q.h + k] = nv;
				e[k] = hn;
				/* PyTorch's order: (h - n) z + n */
				h[k] = (hp[k] - nv) * z + nv;
			}
		}
		FN(rnn_out)(n, &q, hs, s);
	}
	return KML_OK;
}

int FN(kml_nn_gru_bwd)(struct kml_nn_node *n, size_t batch)
{
	struct FN(rnn) q;
	const struct kml_nn_node *xn = n->src[0];
	const T *x = xn->y;
	T *dx = xn->dy, *dgi = n->scratch;
	size_t s, t, k;
	int ret;

	FN(rnn_get)(n, &q);
	for (s = 0; s < batch; s++, x += q.t * q.in) {
		const T *a = FN(rnn_sample)(n, &q, s);
		const T *e = a + q.t * q.gh, *hs = e + q.t * q.h;
		T *dgh = dgi + q.t * q.gh, *dh = dgh + q.t * q.gh;

		kml_memset(dh, 0, q.h * sizeof(T));
		for (t = q.t; t-- > 0;) {
			const T *at = a + t * q.gh, *et = e + t * q.h;
			const T *hp = hs + t * q.h;
			T *di = dgi + t * q.gh, *dhh = dgh + t * q.gh;

			for (k = 0; k < q.h; k++) {
				T r = at[k], z = at[q.h + k];
				T nv = at[2 * q.h + k];
				T dht = dh[k] + FN(rnn_dy)(n, &q, s, t, k);
				T dnp = dht * ((T)1 - z) * ((T)1 - nv * nv);
				T dzp = dht * (hp[k] - nv) * (z * ((T)1 - z));
				T drp = dnp * et[k] * (r * ((T)1 - r));

				di[k] = drp;
				di[q.h + k] = dzp;
				di[2 * q.h + k] = dnp;
				dhh[k] = drp;
				dhh[q.h + k] = dzp;
				dhh[2 * q.h + k] = dnp * r;
				dh[k] = dht * z;
			}
			FN(rnn_dh)(&q, dhh, dh);
		}
		ret = FN(rnn_bwd_products)(&q, x, hs, dgi, dgh,
					   dx ? dx + s * q.t * q.in : NULL);
		if (ret)
			return ret;
	}
	return KML_OK;
}

/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * kernels_conv_tmpl.h - convolution, pooling, dropout and layer norm,
 * written once for T (see kernels_tmpl.h for the macros; FPU code).
 * Included by kernels_f32.c and kernels_f64.c after kernels_tmpl.h.
 */

/* The window of a conv or pool node, with its input and output sizes. */
struct FN(win) {
	size_t c, h, w; /* input channels, height, width */
	size_t oc, oh, ow; /* output */
	size_t kh, kw, sh, sw, ph, pw, dh, dw;
};

static void FN(win_get)(const struct kml_nn_node *n, struct FN(win) * g)
{
	const struct kml_nn_shape *xs = &n->src[0]->shape;
	bool two = xs->rank == 3;

	g->c = xs->dim[0];
	g->h = two ? xs->dim[1] : 1;
	g->w = xs->dim[xs->rank - 1];
	g->oc = n->shape.dim[0];
	g->oh = two ? n->shape.dim[1] : 1;
	g->ow = n->shape.dim[n->shape.rank - 1];
	g->kh = n->ihp[KML_NN_WIN_K];
	g->kw = n->ihp[KML_NN_WIN_K + 1];
	g->sh = n->ihp[KML_NN_WIN_S];
	g->sw = n->ihp[KML_NN_WIN_S + 1];
	g->ph = n->ihp[KML_NN_WIN_P];
	g->pw = n->ihp[KML_NN_WIN_P + 1];
	g->dh = n->ihp[KML_NN_WIN_D];
	g->dw = n->ihp[KML_NN_WIN_D + 1];
}

/* ---- convolution: y (O x P) = weight (O x K) col (K x P) + bias ---- */

void FN(kml_nn_conv_init)(struct kml_nn_node *n, struct kml_prng *r)
{
	const struct kml_nn_node *x = n->src[0];
	/* PyTorch: weight and bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with
	 * fan_in = C kh kw */
	double fan = (double)x->shape.dim[0] * n->ihp[KML_NN_WIN_K] *
		     n->ihp[KML_NN_WIN_K + 1];
	double bound = 1.0 / kml_sqrt(fan);
	T *w = n->w;
	size_t i;

	for (i = 0; i < n->n_params; i++)
		w[i] = (T)((2.0 * kml_prng_double(r) - 1.0) * bound);
}

/*
 * The input position of kernel tap @i at output position @o along an
 * axis, or -1 when it falls into the padding.
 */
static inline ptrdiff_t FN(tap)(size_t o, size_t i, size_t s, size_t p,
				size_t d, size_t len)
{
	ptrdiff_t v = (ptrdiff_t)(o * s + i * d) - (ptrdiff_t)p;

	return v >= 0 && (size_t)v < len ? v : -1;
}

/* col[(c kh + i) kw + j][oh OW + ow] = x[c][tap][tap] or 0 */
static void FN(im2col)(const struct FN(win) * g, const T *x, T *col)
{
	size_t c, i, j, a, b;

	for (c = 0; c < g->c; c++)
		for (i = 0; i < g->kh; i++)
			for (j = 0; j < g->kw; j++)
				for (a = 0; a < g->oh; a++) {
					ptrdiff_t r = FN(tap)(
					    a, i, g->sh, g->ph, g->dh, g->h);

					for (b = 0; b < g->ow; b++) {
						ptrdiff_t q =
						    FN(tap)(b, j, g->sw, g->pw,
							    g->dw, g->w);

						*col++ =
						    r < 0 || q < 0
							? (T)0
							: x[(c * g->h + r) *
								g->w +
							    q];
					}
				}
}

/* The transpose of im2col, adding: dx[c][tap][tap] += dcol[k][p]. */
static void FN(col2im_add)(const struct FN(win) * g, const T *col, T *dx)
{
	size_t c, i, j, a, b;

	for (c = 0; c < g->c; c++)
		for (i = 0; i < g->kh; i++)
			for (j = 0; j < g->kw; j++)
				for (a = 0; a < g->oh; a++) {
					ptrdiff_t r = FN(tap)(
					    a, i, g->sh, g->ph, g->dh, g->h);

					for (b = 0; b < g->ow; b++, col++) {
						ptrdiff_t q =
						    FN(tap)(b, j, g->sw, g->pw,
							    g->dw, g->w);

						if (r >= 0 && q >= 0)
							dx[(c * g->h + r) *
							       g->w +
							   q] += *col;
					}
				}
}

int FN(kml_nn_conv_fwd)(struct kml_nn_node *n, size_t batch)
{
	struct FN(win) g;
	size_t k, p, s, o, q, in_len;
	const T *w = n->w, *x = n->src[0]->y;
	T *col = n->scratch, *y = n->y;
	int ret;

	FN(win_get)(n, &g);
	k = g.c * g.kh * g.kw;
	p = g.oh * g.ow;
	in_len = g.c * g.h * g.w;
	for (s = 0; s < batch; s++, x += in_len, y += g.oc * p) {
		FN(im2col)(&g, x, col);
		ret = MATMUL(w, col, y, g.oc, k, p, 0);
		if (ret)
			return ret;
		if (n->ihp[1])
			for (o = 0; o < g.oc; o++)
				for (q = 0; q < p; q++)
					y[o * p + q] += w[g.oc * k + o];
	}
	return KML_OK;
}

int FN(kml_nn_conv_bwd)(struct kml_nn_node *n, size_t batch)
{
	const struct kml_nn_node *xn = n->src[0];
	struct FN(win) g;
	size_t k, p, s, o, q, in_len;
	const T *w = n->w, *x = xn->y, *dy = n->dy;
	T *col = n->scratch, *dw = n->dw, *dx = xn->dy, *dcol;
	int ret;

	FN(win_get)(n, &g);
	k = g.c * g.kh * g.kw;
	p = g.oh * g.ow;
	in_len = g.c * g.h * g.w;
	dcol = col + k * p;
	for (s = 0; s < batch; s++, x += in_len, dy += g.oc * p) {
		/* dW (O x K) += dy (O x P) col^T */
		FN(im2col)(&g, x, col);
		ret = MATMUL(dy, col, dw, g.oc, p, k,
			     KML_MM_TRANS_B | KML_MM_ACCUMULATE);
		if (ret)
			return ret;
		if (n->ihp[1])
			for (o = 0; o < g.oc; o++) {
				T sum = dw[g.oc * k + o];

				for (q = 0; q < p; q++)
					sum += dy[o * p + q];
				dw[g.oc * k + o] = sum;
			}
		if (!dx)
			continue;
		/* dcol (K x P) = W^T dy, folded back onto dx */
		ret = MATMUL(w, dy, dcol, k, g.oc, p, KML_MM_TRANS_A);
		if (ret)
			return ret;
		FN(col2im_add)(&g, dcol, dx + s * in_len);
	}
	return KML_OK;
}

/* ---- max and average pooling ---- */

/*
 * Visit window (c, a, b): the input index of the maximum (the first one,
 * or the first NaN, as PyTorch) or the sum of the window.
 */
static size_t FN(pool_window)(const struct FN(win) * g, const T *xc, size_t a,
			      size_t b, bool max, T *out)
{
	size_t i, j, best = (size_t)-1;
	T m = 0, sum = 0;

	for (i = 0; i < g->kh; i++) {
		ptrdiff_t r = FN(tap)(a, i, g->sh, g->ph, 1, g->h);

		if (r < 0)
			continue;
		for (j = 0; j < g->kw; j++) {
			ptrdiff_t q = FN(tap)(b, j, g->sw, g->pw, 1, g->w);
			size_t at;
			T v;

			if (q < 0)
				continue;
			at = (size_t)r * g->w + (size_t)q;
			v = xc[at];
			sum += v;
			if (best == (size_t)-1 ||
			    (!(m != m) && (v > m || v != v))) {
				m = v;
				best = at;
			}
		}
	}
	*out = max ? m : sum / (T)(g->kh * g->kw);
	return best;
}

int FN(kml_nn_pool_fwd)(struct kml_nn_node *n, size_t batch)
{
	struct FN(win) g;
	bool max = n->ihp[0] == KML_NN_POOL_MAX;
	size_t s, c, a, b;
	const T *x = n->src[0]->y;
	T *y = n->y;

	FN(win_get)(n, &g);
	for (s = 0; s < batch; s++)
		for (c = 0; c < g.c; c++, x += g.h * g.w)
			for (a = 0; a < g.oh; a++)
				for (b = 0; b < g.ow; b++)
					FN(pool_window)(&g, x, a, b, max, y++);
	return KML_OK;
}

int FN(kml_nn_pool_bwd)(struct kml_nn_node *n, size_t batch)
{
	struct FN(win) g;
	bool max = n->ihp[0] == KML_NN_POOL_MAX;
	size_t s, c, a, b, i, j;
	const T *x = n->src[0]->y, *dy = n->dy;
	T *dx = n->src[0]->dy, unused;

	if (!dx)
		return KML_OK;
	FN(win_get)(n, &g);
	for (s = 0; s < batch; s++)
		for (c = 0; c < g.c; c++, x += g.h * g.w, dx += g.h * g.w)
			for (a = 0; a < g.oh; a++)
				for (b = 0; b < g.ow; b++, dy++) {
					T d;

					if (max) {
						dx[FN(pool_window)(
						    &g, x, a, b, true,
						    &unused)] += *dy;
						continue;
					}
					d = *dy / (T)(g.kh * g.kw);
					for (i = 0; i < g.kh; i++) {
						ptrdiff_t r = FN(tap)(
						    a, i, g.sh, g.ph, 1, g.h);

						if (r < 0)
							continue;
						for (j = 0; j < g.kw; j++) {
							ptrdiff_t q = FN(tap)(
							    b, j, g.sw, g.pw, 1,
							    g.w);

							if (q >= 0)
								dx[(size_t)r *
								       g.w +
								   (size_t)q] +=
								    d;
						}
					}
				}
	return KML_OK;
}

/* ---- dropout ---- */

int FN(kml_nn_dropout_fwd)(struct kml_nn_node *n, size_t batch)
{
	size_t len = kml_nn_node_len(n, batch), i;
	const T *x = n->src[0]->y;
	T *y = n->y, *mask = n->scratch;
	double p = n->rhp[0];
	/* PyTorch: noise = bernoulli(1 - p) / (1 - p), y = x * noise */
	T keep = (T)1 / (T)(1 - p);

	if (!n->ihp[2]) {
		kml_memcpy(y, x, len * sizeof(T));
		return KML_OK;
	}
	for (i = 0; i < len; i++) {
		mask[i] = kml_prng_double(n->priv) < p ? (T)0 : keep;
		y[i] = x[i] * mask[i];
	}
	return KML_OK;
}

int FN(kml_nn_dropout_bwd)(struct kml_nn_node *n, size_t batch)
{
	size_t len = kml_nn_node_len(n, batch), i;
	const T *dy = n->dy, *mask = n->scratch;
	T *dx = n->src[0]->dy;

	if (!dx)
		return KML_OK;
	if (!n->ihp[2]) {
		FN(acc)(dx, dy, len);
		return KML_OK;
	}
	for (i = 0; i < len; i++)
		dx[i] += dy[i] * mask[i];
	return KML_OK;
}

/* ---- layer norm over the last axis ---- */

/* gamma = 1, beta = 0 (layer norm and batch norm: n_params = 2 D) */
void FN(kml_nn_layer_norm_init)(struct kml_nn_node *n, struct kml_prng *r)
{
	size_t d = n->n_params / 2, i;
	T *w = n->w;

	(void)r;
	for (i = 0; i < d; i++) {
		w[i] = 1;
		w[d + i] = 0;
	}
}

int FN(kml_nn_layer_norm_fwd)(struct kml_nn_node *n, size_t batch)
{
	size_t d = n->ihp[1], rows = batch * n->ihp[2], r, j;
	const T *x = n->src[0]->y, *gamma = n->w;
	T *y = n->y, *st = n->scratch;
	double eps = n->rhp[0];

	for (r = 0; r < rows; r++, x += d, y += d) {
		double mean = 0, var = 0;
		T m, rstd;

		for (j = 0; j < d; j++)
			mean += (double)x[j];
		mean /= (double)d;
		for (j = 0; j < d; j++) {
			double c = (double)x[j] - mean;

			var += c * c;
		}
		var /= (double)d;
		m = (T)mean;
		rstd = (T)(1.0 / kml_sqrt(var + eps));
		st[2 * r] = m;
		st[2 * r + 1] = rstd;
		for (j = 0; j < d; j++) {
			T v = (x[j] - m) * rstd;

			y[j] = gamma ? v * gamma[j] + gamma[d + j] : v;
		}
	}
	return KML_OK;
}

/*
 * With xh = (x - mean) rstd and g = dy gamma:
 * dx = rstd (g - mean(g) - xh mean(g xh)); dgamma += dy xh; dbeta += dy.
 */
int FN(kml_nn_layer_norm_bwd)(struct kml_nn_node *n, size_t batch)
{
	size_t d = n->ihp[1], rows = batch * n->ihp[2], r, j;
	const T *x = n->src[0]->y, *dy = n->dy, *gamma = n->w, *st = n->scratch;
	T *dx = n->src[0]->dy, *dw = n->dw;

	for (r = 0; r < rows; r++, x += d, dy += d) {
		T m = st[2 * r], rstd = st[2 * r + 1], sg = 0, sgx = 0;

		for (j = 0; j < d; j++) {
			T xh = (x[j] - m) * rstd;
			T g = gamma ? dy[j] * gamma[j] : dy[j];

			if (dw) {
				dw[j] += dy[j] * xh;
				dw[d + j] += dy[j];
			}
			sg += g;
			sgx += g * xh;
		}
		if (!dx)
			continue;
		sg /= (T)d;
		sgx /= (T)d;
		for (j = 0; j < d; j++) {
			T xh = (x[j] - m) * rstd;
			T g = gamma ? dy[j] * gamma[j] : dy[j];

			dx[j] += rstd * (g - sg - xh * sgx);
		}
		dx += d;
	}
	return KML_OK;
}

/* ---- batch norm per channel ---- */

/*
 * Training: the batch's mean and biased variance per channel (sums in
 * double), the running statistics moved towards mean and the unbiased
 * variance as PyTorch: r = (1 - m) r + m v. Evaluation: the running
 * statistics. Either way scratch keeps the mean and 1/sqrt(var + eps)
 * used, for backward.
 */
int FN(kml_nn_batch_norm_fwd)(struct kml_nn_node *n, size_t batch)
{
	size_t c = n->ihp[2], sp = n->ihp[3], cnt = batch * sp, ch, s, p;
	const T *x = n->src[0]->y, *w = n->w;
	double *run_mean = n->priv, *run_var = run_mean + c;
	double eps = n->rhp[0], mom = n->rhp[1];
	T *y = n->y, *st = n->scratch;

	for (ch = 0; ch < c; ch++) {
		double mean, var;
		T m, is;

		if (n->ihp[1]) {
			double sum = 0, sq = 0;

			for (s = 0; s < batch; s++)
				for (p = 0; p < sp; p++)
					sum += (double)x[(s * c + ch) * sp + p];
			mean = sum / (double)cnt;
			for (s = 0; s < batch; s++)
				for (p = 0; p < sp; p++) {
					double d =
					    (double)x[(s * c + ch) * sp + p] -
					    mean;

					sq += d * d;
				}
			var = sq / (double)cnt;
			run_mean[ch] = (1 - mom) * run_mean[ch] + mom * mean;
			run_var[ch] =
			    (1 - mom) * run_var[ch] +
			    mom * (cnt > 1 ? sq / (double)(cnt - 1) : var);
		} else {
			mean = run_mean[ch];
			var = run_var[ch];
		}
		m = (T)mean;
		is = (T)(1.0 / kml_sqrt(var + eps));
		st[2 * ch] = m;
		st[2 * ch + 1] = is;
		for (s = 0; s < batch; s++)
			for (p = 0; p < sp; p++) {
				size_t i = (s * c + ch) * sp + p;
				T v = (x[i] - m) * is;

				y[i] = w ? v * w[ch] + w[c + ch] : v;
			}
	}
	return KML_OK;
}

/*
 * With xh = (x - mean) is and g = dy gamma: training (mean and var depend
 * on x) dx = is (g - mean(g) - xh mean(g xh)) over the channel; evaluation
 * dx = is g. dgamma += sum dy xh, dbeta += sum dy.
 */
int FN(kml_nn_batch_norm_bwd)(struct kml_nn_node *n, size_t batch)
{
	size_t c = n->ihp[2], sp = n->ihp[3], cnt = batch * sp, ch, s, p;
	const T *x = n->src[0]->y, *dy = n->dy, *w = n->w, *st = n->scratch;
	T *dx = n->src[0]->dy, *dw = n->dw;

	for (ch = 0; ch < c; ch++) {
		T m = st[2 * ch], is = st[2 * ch + 1], sg = 0, sgx = 0, sd = 0;
		T gam = w ? w[ch] : (T)1;

		for (s = 0; s < batch; s++)
			for (p = 0; p < sp; p++) {
				size_t i = (s * c + ch) * sp + p;
				T xh = (x[i] - m) * is;

				sd += dy[i];
				sgx += dy[i] * xh;
			}
		if (dw) {
			dw[ch] += sgx;
			dw[c + ch] += sd;
		}
		if (!dx)
			continue;
		sg = gam * sd / (T)cnt;
		sgx = gam * sgx / (T)cnt;
		for (s = 0; s < batch; s++)
			for (p = 0; p < sp; p++) {
				size_t i = (s * c + ch) * sp + p;
				T g = dy[i] * gam;

				if (n->ihp[1])
					dx[i] += is * (g - sg -
						       (x[i] - m) * is * sgx);
				else
					dx[i] += is * g;
			}
	}
	return KML_OK;
}

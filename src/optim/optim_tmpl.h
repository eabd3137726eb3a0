/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * optim_tmpl.h - the update loops, written once for a scalar type T and
 * instantiated by optim_f32.c and optim_f64.c (FPU code). The includer
 * defines T, FN(name) and KSQRT.
 *
 * Each line follows PyTorch 1.13's single-tensor implementation: the
 * double hyper-parameters are rounded to T once, as ATen does with
 * scalar arguments, and the operations happen in the same order.
 */

typedef T FN(ovec)
    __attribute__((__vector_size__(16), __aligned__(sizeof(T)), __may_alias__));

/*
 * One SGD update of the lvalues P (parameter), B (momentum buffer) from G
 * (gradient), with TY the scalar or the vector type: the same expression
 * serves the vector body and the scalar tail, so both round alike.
 */
#define SGD_UPDATE(TY, P, G, B)                                                \
	do {                                                                   \
		TY g_ = (G);                                                   \
		if (decay)                                                     \
			g_ = g_ + wd * (P);                                    \
		if (mode) {                                                    \
			TY b_ = g_;                                            \
			if (mode == 2)                                         \
				b_ = (B)*mom + damp * g_;                      \
			(B) = b_;                                              \
			if (nesterov)                                          \
				g_ = g_ + mom * b_;                            \
			else                                                   \
				g_ = b_;                                       \
		}                                                              \
		(P) = (P) + -lr * g_;                                          \
	} while (0)

#define OV FN(ovec)
#define OVLN (16 / sizeof(T))
#define OSFX(x) FN(x)
#define OFN
#include "optim_sgd_tmpl.h"
#undef OV
#undef OVLN
#undef OSFX
#undef OFN

#ifdef KML_SIMD_WIDE
typedef T FN(ovec_avx)
    __attribute__((__vector_size__(32), __aligned__(sizeof(T)), __may_alias__));
#define OV FN(ovec_avx)
#define OVLN (32 / sizeof(T))
#define OSFX(x) FN(x##_avx)
#define OFN KML_TARGET_AVX
#include "optim_sgd_tmpl.h"
#undef OV
#undef OVLN
#undef OSFX
#undef OFN
#endif

static void FN(adam)(struct kml_optim *o, T *p, const T *grad, size_t n)
{
	const struct kml_optim_cfg *c = &o->cfg;
	T wd = (T)c->weight_decay, b1 = (T)c->beta1, b2 = (T)c->beta2;
	T a1 = (T)(1 - c->beta1), a2 = (T)(1 - c->beta2), eps = (T)c->eps;
	double bc1 = 1 - o->beta1_t, bc2 = 1 - o->beta2_t;
	T step = (T) - (c->lr / bc1), bc2_sqrt = (T)kml_sqrt(bc2);
	T *m = o->state[0], *v = o->state[1];
	size_t i;

	for (i = 0; i < n; i++) {
		T g = grad[i], denom;

		if (c->weight_decay != 0)
			g = g + wd * p[i];
		m[i] = m[i] * b1 + a1 * g;
		v[i] = v[i] * b2 + a2 * g * g;
		denom = KSQRT(v[i]) / bc2_sqrt + eps;
		p[i] = p[i] + step * m[i] / denom;
	}
}

static void FN(rmsprop)(struct kml_optim *o, T *p, const T *grad, size_t n)
{
	const struct kml_optim_cfg *c = &o->cfg;
	T lr = (T)c->lr, wd = (T)c->weight_decay, alpha = (T)c->alpha;
	T a1 = (T)(1 - c->alpha), eps = (T)c->eps, mom = (T)c->momentum;
	T *sq = o->state[0], *buf = o->state[1], *ga = o->state[2];
	size_t i;

	for (i = 0; i < n; i++) {
		T g = grad[i], avg;

		if (c->weight_decay != 0)
			g = g + wd * p[i];
		sq[i] = sq[i] * alpha + a1 * g * g;
		if (c->centered) {
			ga[i] = ga[i] * alpha + a1 * g;
			avg = KSQRT(sq[i] + (T)-1 * ga[i] * ga[i]);
		} else {
			avg = KSQRT(sq[i]);
		}
		avg = avg + eps;
		if (c->momentum > 0) {
			buf[i] = buf[i] * mom + g / avg;
			p[i] = p[i] + -lr * buf[i];
		} else {
			p[i] = p[i] + -lr * g / avg;
		}
	}
}

int FN(kml_optim_step)(struct kml_optim *o)
{
	T *p = o->net->params;
	const T *g = o->net->grads;
	size_t n = o->net->n_params;

	switch (o->cfg.kind) {
	case KML_OPTIM_SGD:
#ifdef KML_SIMD_WIDE
		if (kml_cpu_has_avx()) {
			FN(sgd_avx)(o, p, g, n);
			break;
		}
#endif
		FN(sgd)(o, p, g, n);
		break;
	case KML_OPTIM_ADAM:
		FN(adam)(o, p, g, n);
		break;
	default:
		FN(rmsprop)(o, p, g, n);
		break;
	}
	return KML_OK;
}

double FN(kml_optim_grad_sq)(const struct kml_nn *net)
{
	const T *g = net->grads;
	double s = 0;
	size_t i;

	for (i = 0; i < net->n_params; i++)
		s += (double)g[i] * (double)g[i];
	return s;
}

void FN(kml_optim_scale_grads)(struct kml_nn *net, double s)
{
	T *g = net->grads, f = (T)s;
	size_t i;

	for (i = 0; i < net->n_params; i++)
		g[i] *= f;
}

/*
 * One training step of the linear-regression net recognised by optim.c
 * (x -> linear(1) -> mse with target t, SGD), fused. Every value is
 * computed as the general path computes it - the dot product and bias of
 * linear_dot, the double sum of mse_fwd, mse_bwd's 2/count scale, the
 * 0 + d of a cleared gradient buffer, linear_dot_bwd's sums, then
 * SGD_UPDATE - so the buffers end up with the same bits. K is the number
 * of inputs when known at compile time (1..4), else 0.
 */
static __attribute__((__always_inline__)) inline void
FN(linreg)(struct kml_optim *o, const size_t K, const bool one)
{
	const struct kml_optim_cfg *c = &o->cfg;
	struct kml_nn_node *lin = o->fused_lin, *loss = &o->net->nodes[3];
	size_t batch = one ? 1 : o->net->batch, in = K ? K : lin->ihp[2];
	size_t r, p, np;
	const T *x = lin->src[0]->y, *t = loss->src[1]->y;
	bool mean = loss->ihp[0] == KML_NN_MEAN, bias = lin->ihp[1];
	T *y = lin->y, *dy = lin->dy, *a = lin->w, *da = lin->dw, g;
	T lr = (T)c->lr, wd = (T)c->weight_decay, mom = (T)c->momentum;
	T damp = (T)(1 - c->dampening), *buf = o->state[0];
	int mode = c->momentum == 0 ? 0 : o->steps == 0 ? 1 : 2;
	bool decay = c->weight_decay != 0, nesterov = c->nesterov;
	double sum = 0;

	for (r = 0; r < batch; r++) {
		const T *xr = x + r * in;
		T s = 0, d;

		for (p = 0; p < in; p++)
			s = s + xr[p] * a[p];
		y[r] = bias ? s + a[in] : s;
		d = y[r] - t[r];
		sum += (double)(d * d);
	}
	*(T *)loss->y = (T)(mean ? sum / (double)batch : sum);
	*(T *)loss->dy = 1;
	g = (mean ? (T)1 / (T)batch : (T)1) * 2;
	for (r = 0; r < batch; r++)
		dy[r] = (T)0 + g * (y[r] - t[r]);
	for (p = 0; p < in; p++) {
		T s = 0;

		for (r = 0; r < batch; r++)
			s = s + x[r * in + p] * dy[r];
		da[p] = s;
	}
	if (bias) {
		T s = 0;

		for (r = 0; r < batch; r++)
			s = s + dy[r];
		da[in] = s;
	}
	np = in + bias;
	for (p = 0; p < np; p++)
		SGD_UPDATE(T, a[p], da[p], buf[p]);
}

#ifdef KML_SIZE_OPT
/* Size profile: one instance, K and batch read at run time: same bits. */
static void FN(linreg_any)(struct kml_optim *o)
{
	FN(linreg)(o, 0, false);
}

void (*const FN(kml_optim_linreg)[2][5])(struct kml_optim *o) = {
	{ FN(linreg_any), FN(linreg_any), FN(linreg_any), FN(linreg_any),
	  FN(linreg_any) },
	{ FN(linreg_any), FN(linreg_any), FN(linreg_any), FN(linreg_any),
	  FN(linreg_any) },
};
#else
#define LINREG(k)                                                              \
	static void FN(linreg_##k)(struct kml_optim * o)                       \
	{                                                                      \
		FN(linreg)(o, k, false);                                       \
	}                                                                      \
	static void FN(linreg_##k##_one)(struct kml_optim * o)                 \
	{                                                                      \
		FN(linreg)(o, k, true);                                        \
	}
LINREG(0)
LINREG(1)
LINREG(2)
LINREG(3)
LINREG(4)
#undef LINREG

/* [batch == 1][inputs, 0 for > 4]; optim.c picks the row and column */
void (*const FN(kml_optim_linreg)[2][5])(struct kml_optim *o) = {
	{ FN(linreg_0), FN(linreg_1), FN(linreg_2), FN(linreg_3),
	  FN(linreg_4) },
	{ FN(linreg_0_one), FN(linreg_1_one), FN(linreg_2_one),
	  FN(linreg_3_one), FN(linreg_4_one) },
};
#endif

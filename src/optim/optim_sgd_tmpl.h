/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * optim_sgd_tmpl.h - the SGD loop for one vector width, included by
 * optim_tmpl.h once with 16-byte vectors and, where kml_simd.h offers
 * them, once with 32-byte AVX vectors. Elementwise only: every width
 * rounds each element the same way. The includer defines:
 *   OV, OVLN   the vector type and its number of lanes
 *   OSFX(x)    this width's function names
 *   OFN        the function attribute selecting the ISA (or nothing)
 */

/*
 * The SGD loop with its choices as compile-time constants: each instance
 * is branch-free, written with vectors (-O2 does not vectorise).
 * mode: 0 no momentum, 1 first step (buf = g), 2 buf = mom buf + damp g.
 */
static OFN __attribute__((__always_inline__)) inline void
OSFX(sgd_loop)(T *p, const T *grad, T *buf, size_t n, T lr, T wd, T mom, T damp,
	       const bool decay, const int mode, const bool nesterov)
{
	size_t i = 0;

	for (; i + OVLN <= n; i += OVLN) {
		OV *pv = (OV *)(p + i), *bv = (OV *)(buf + i);

		SGD_UPDATE(OV, *pv, *(const OV *)(grad + i), *bv);
	}
	for (; i < n; i++)
		SGD_UPDATE(T, p[i], grad[i], buf[i]);
}

#define SGD_CASE(decay, mode, nest)                                            \
	OSFX(sgd_loop)(p, grad, buf, n, lr, wd, mom, damp, decay, mode, nest)

static OFN void OSFX(sgd)(struct kml_optim *o, T *p, const T *grad, size_t n)
{
	const struct kml_optim_cfg *c = &o->cfg;
	T lr = (T)c->lr, wd = (T)c->weight_decay, mom = (T)c->momentum;
	T damp = (T)(1 - c->dampening);
	T *buf = o->state[0];
	int mode = c->momentum == 0 ? 0 : o->steps == 0 ? 1 : 2;
	bool decay = c->weight_decay != 0;

#ifdef KML_SIZE_OPT
	/* Size profile: one instance, the choices tested per element. */
	SGD_CASE(decay, mode, c->nesterov);
#else
	if (mode == 0) {
		if (decay)
			SGD_CASE(true, 0, false);
		else
			SGD_CASE(false, 0, false);
	} else if (c->nesterov) {
		if (mode == 1)
			SGD_CASE(decay, 1, true);
		else if (decay)
			SGD_CASE(true, 2, true);
		else
			SGD_CASE(false, 2, true);
	} else {
		if (mode == 1)
			SGD_CASE(decay, 1, false);
		else if (decay)
			SGD_CASE(true, 2, false);
		else
			SGD_CASE(false, 2, false);
	}
#endif
}

#undef SGD_CASE

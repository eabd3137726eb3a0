// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* optim_f64.c - the optimizer update loops for double (FPU code). */
#include "optim_impl.h"
#include "kmlib/kmath.h"
#include "kmlib/kml_simd.h"

/* Size: the double update loops stay SSE2 (no goal measures them; wider
 * vectors never change the bits, see kml_simd.h). */
#undef KML_SIMD_WIDE

#define T double
#define FN(name) name##_f64
#define KSQRT kml_sqrt
#include "optim_tmpl.h"

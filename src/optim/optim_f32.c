// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* optim_f32.c - the optimizer update loops for float (FPU code). */
#include "optim_impl.h"
#include "kmlib/kmath.h"
#include "kmlib/kml_simd.h"

#define T float
#define FN(name) name##_f32
#define KSQRT kml_sqrtf
#include "optim_tmpl.h"

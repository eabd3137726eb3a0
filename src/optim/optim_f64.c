// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* optim_f64.c - the optimizer update loops for double (FPU code). */
#include "optim_impl.h"
#include "kmlib/kmath.h"

#define T double
#define FN(name) name##_f64
#define KSQRT kml_sqrt
#include "optim_tmpl.h"

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* linalg_f64.c - float64 matmul and vector helpers (fpu). */
#include "kmlib/kml_deps.h"
#include "kmlib/platform.h"
#include "kmlib/linalg.h"

typedef double kml_v2d __attribute__((vector_size(16)));

#define LT double
#define LV kml_v2d
#define LVL 2
#define LSUF(x) x##_f64
#define LGATHER(p, s) ((LV){ (p)[0], (p)[(s)] })
#include "linalg_tmpl.h"

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* linalg_f32.c - float32 matmul and vector helpers (fpu). */
#include "kmlib/kml_deps.h"
#include "kmlib/platform.h"
#include "kmlib/linalg.h"

typedef float kml_v4f __attribute__((vector_size(16)));

#define LT float
#define LV kml_v4f
#define LVL 4
#define LSUF(x) x##_f32
#define LGATHER(p, s) \
	((LV){ (p)[0], (p)[(s)], (p)[2 * (s)], (p)[3 * (s)] })
#include "linalg_tmpl.h"

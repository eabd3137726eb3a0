// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* linalg_f32.c - float32 matmul and vector helpers (fpu). */
#include "kmlib/kml_deps.h"
#include "kmlib/kml_simd.h"
#include "kmlib/platform.h"
#include "kmlib/linalg.h"

typedef float kml_v4f __attribute__((vector_size(16)));
typedef float kml_v8f __attribute__((vector_size(32)));
typedef float kml_v16f __attribute__((vector_size(64)));

#define LT float
#define LV16 kml_v4f
#define LV32 kml_v8f
#define LV64 kml_v16f
#define LSUF(x) x##_f32
#define LGATHER(p, s) ((LV){ (p)[0], (p)[(s)], (p)[2 * (s)], (p)[3 * (s)] })
#define LMI int32_t
#define LMLOAD_AVX(p, m) kml_simd_maskload_f32x8(p, m)
#define LMSTORE_AVX(p, m, v) kml_simd_maskstore_f32x8(p, m, v)
#include "linalg_tmpl.h"

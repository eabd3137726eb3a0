// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* linalg_f64.c - float64 matmul and vector helpers (fpu). */
#include "kmlib/kml_deps.h"
#include "kmlib/kml_simd.h"
#include "kmlib/platform.h"
#include "kmlib/linalg.h"

/*
 * Size: double matmul runs the SSE2 kernel only. No goal measures it
 * (double is for gradient checks and reference paths), and the AVX and
 * AVX-512 instantiations cost ~28 KB of text in each target. Wider vectors
 * never change the bits (kml_simd.h), so results stay the same.
 */
#undef KML_SIMD_WIDE

typedef double kml_v2d __attribute__((vector_size(16)));
typedef double kml_v4d __attribute__((vector_size(32)));
typedef double kml_v8d __attribute__((vector_size(64)));

#define LT double
#define LV16 kml_v2d
#define LV32 kml_v4d
#define LV64 kml_v8d
#define LSUF(x) x##_f64
#define LGATHER(p, s) ((LV){ (p)[0], (p)[(s)] })
#define LMI int64_t
#define LMLOAD_AVX(p, m) kml_simd_maskload_f64x4(p, m)
#define LMSTORE_AVX(p, m, v) kml_simd_maskstore_f64x4(p, m, v)
#include "linalg_tmpl.h"

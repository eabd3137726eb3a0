// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* kernels_f32.c - the built-in layer kernels for float (FPU code). */
#include "kmlib/kmath.h"
#include "kmlib/linalg.h"
#include "kernels.h"

#define T float
#define FN(name) name##_f32
#define KM(name) kml_##name##f
#define MATMUL kml_matmul_f32
#define KVL 4 /* lanes of a 16-byte vector */
#define KLOG kml_logf
#define KM_SIGMOID_VEC kml_sigmoidf_vec
#include "kernels_tmpl.h"
#include "kernels_conv_tmpl.h"
#include "kernels_seq_tmpl.h"

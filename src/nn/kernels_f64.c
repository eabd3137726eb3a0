// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* kernels_f64.c - the built-in layer kernels for double (FPU code). */
#include "kmlib/kmath.h"
#include "kmlib/linalg.h"
#include "kernels.h"

#define T double
#define FN(name) name##_f64
#define KM(name) kml_##name
#define MATMUL kml_matmul_f64
#define KVL 2 /* lanes of a 16-byte vector */
#define KLOG kml_log
#include "kernels_tmpl.h"
#include "kernels_conv_tmpl.h"
#include "kernels_seq_tmpl.h"

/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qmatmul_isa.h - a test hook of kml_matmul_i8(), private to src/fixed/
 * and the tests (not installed, not exported by kmlib.ko): the
 * instruction-set paths, every one giving bit-identical outputs.
 * kml_matmul_i8() takes the widest the CPU has (AUTO); kmlib.ko has only
 * PORTABLE.
 */
#ifndef KMLIB_QMATMUL_ISA_H
#define KMLIB_QMATMUL_ISA_H

#include "kmlib/fixed.h"

enum kml_qmm_isa {
	KML_QMM_ISA_AUTO = 0,
	KML_QMM_ISA_PORTABLE, /* SWAR tiles in 64-bit registers */
	KML_QMM_ISA_SSE2, /* PMADDWD tiles, k <= 512 */
	KML_QMM_ISA_AVX2, /* VPMADDWD on widened panels, k <= 256 */
	KML_QMM_ISA_VNNI, /* AVX-512 VPDPBUSD, k <= 256 */
};

/*
 * kml_matmul_i8() forced onto path @isa: KML_ENOSYS where this build or
 * CPU lacks it or it does not take this k, KML_EINVAL for an unknown @isa
 * (after the arguments' own checks).
 */
int kml_matmul_i8_isa(const int8_t *a, const int8_t *b, const int32_t *bias,
		      int8_t *c, size_t m, size_t k, size_t n,
		      unsigned int flags, const struct kml_qmm *q, int isa);

#endif /* KMLIB_QMATMUL_ISA_H */

/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qnn_isa.h - a test hook of kml_qnn_run(), private to src/qnn/ and the
 * tests (not installed, not exported by kmlib.ko): the instruction-set
 * paths, every one giving bit-identical outputs. kml_qnn_run() takes the
 * widest the CPU has (AUTO); kmlib.ko has only PORTABLE.
 */
#ifndef KMLIB_QNN_ISA_H
#define KMLIB_QNN_ISA_H

#include "kmlib/qnn.h"

enum kml_qnn_isa {
	KML_QNN_ISA_AUTO = 0,
	KML_QNN_ISA_PORTABLE, /* plain C loops, scalar output stage */
	KML_QNN_ISA_SSE2, /* PMADDWD on 8 lanes, 4-channel output stage */
	KML_QNN_ISA_AVX2, /* VPMOVSXBW + VPMADDWD, 8 channels per pass */
	KML_QNN_ISA_AVX512, /* the same on 32 lanes (AVX-512BW) */
};

/*
 * kml_qnn_run() forced onto path @isa: KML_ENOSYS where this build or CPU
 * lacks it, KML_EINVAL for an unknown @isa.
 */
int kml_qnn_run_isa(struct kml_qnn *q, const int8_t *in, size_t batch,
		    int8_t *out, int isa);

#endif /* KMLIB_QNN_ISA_H */

/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qseq_model_impl.h - quantized sequential models in model files: the
 * "\x89KMQ" frame of qnn_model.h at version 2 (docs/model-format.md).
 */
#ifndef KMLIB_QSEQ_MODEL_IMPL_H
#define KMLIB_QSEQ_MODEL_IMPL_H

#include "kmlib/qseq.h"
#include "../qnn/qseq_impl.h"

extern const uint8_t kml_qnn_magic[8];

#define QSEQ_FORMAT_VERSION 2u
#define QSEQ_HEADER_BYTES 40u
#define QSEQ_REC_HEAD_BYTES 68u /* 13 geometry u32, 4 quantization i32 */

#endif /* KMLIB_QSEQ_MODEL_IMPL_H */

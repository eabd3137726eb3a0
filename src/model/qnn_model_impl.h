/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/* qnn_model_impl.h - the quantized model format, shared by saver and loader. */
#ifndef KMLIB_QNN_MODEL_IMPL_H
#define KMLIB_QNN_MODEL_IMPL_H

#include "kmlib/qnn_model.h"
#include "../qnn/qnn_impl.h"

extern const uint8_t kml_qnn_magic[8];

#define QNN_FORMAT_VERSION 1u
#define QNN_HEADER_BYTES 40u
#define QNN_REC_HEAD_BYTES 8u /* kind u16, zero u16, payload bytes u32 */
#define QNN_LINEAR_HEAD_BYTES 24u /* in, out, in_zp, out_zp, min, max */

/*
 * Layer kind ids: stable, never renumbered or reused. A new quantized
 * kind takes the next id; older loaders reject it with KML_ENOSYS.
 */
#define QNN_KIND_LINEAR_I8 1u

size_t kml_qnn_rec_linear_bytes(uint32_t in, uint32_t out);

#endif /* KMLIB_QNN_MODEL_IMPL_H */

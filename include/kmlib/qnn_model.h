/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * qnn_model.h - quantized networks (struct kml_qnn, qnn.h) in model files:
 * a byte format of its own (magic "\x89KMQ\r\n\x1a\n", docs/model-format.md
 * "Quantized models"), integer-only (nofpu) like the rest of src/model/,
 * so it runs in the kernel outside FPU sections. Each layer record names
 * its kind with a stable id, so new quantized layer kinds add ids without
 * changing the version.
 */
#ifndef KMLIB_QNN_MODEL_H
#define KMLIB_QNN_MODEL_H

#include "qnn.h"

/* Exact bytes kml_qnn_model_save() writes for @q. */
int kml_qnn_model_size(const struct kml_qnn *q, size_t *size);

/*
 * Write @q (which must pass kml_qnn_check(), else KML_EINVAL) into @buf
 * of @cap bytes; KML_ENOSPC if cap < size. *written = bytes written.
 * Never allocates.
 */
int kml_qnn_model_save(const struct kml_qnn *q, uint8_t *buf, size_t cap,
		       size_t *written);

/*
 * Build a new network for batches of up to @max_batch from the @len
 * bytes at @buf, all memory from @mem (its cap applies; KML_MEM_SLEEP).
 * Untrusted input: every size, count and field is checked before use
 * (KML_EBADMSG, KML_EILSEQ for a bad CRC, KML_ENOSYS for an unknown
 * version or layer kind, KML_EOVERFLOW, KML_ENOMEM); on failure nothing
 * stays allocated and *out is NULL. The loaded network passes
 * kml_qnn_check() and saves back to the same bytes.
 */
int kml_qnn_model_load(struct kml_mem *mem, const uint8_t *buf, size_t len,
		       size_t max_batch, struct kml_qnn **out);

#endif /* KMLIB_QNN_MODEL_H */

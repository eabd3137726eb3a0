/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * model.h - model files: a network's graph, parameters and (optionally)
 * its optimizer's state as one versioned, little-endian, CRC32-checked
 * byte string (layout: docs/model-format.md).
 *
 * Both targets share this buffer API: the caller owns the bytes (the
 * kernel gets them from its own caller). User space also has file
 * helpers in model_file.h. Nothing here computes with floats: reals are
 * moved as IEEE bit patterns, so every function is nofpu and may be
 * called outside an FPU section. Loading allocates from its memory
 * owner: inside an FPU section only if that owner is an arena.
 *
 * The loader treats its input as untrusted: every malformed file gives a
 * status and leaves nothing allocated.
 */
#ifndef KMLIB_MODEL_H
#define KMLIB_MODEL_H

#include "nn.h"
#include "optim.h"

#define KML_MODEL_VERSION 1
/* The most nodes a model file may hold. */
#define KML_MODEL_MAX_NODES 65536u

/*
 * Bytes kml_model_save() writes for the prepared @net and, if @opt is
 * not NULL, its optimizer (which must belong to @net). KML_ENOSYS if a
 * node's kind cannot be saved (custom kinds).
 */
int kml_model_size(const struct kml_nn *net, const struct kml_optim *opt,
		   size_t *size);
/*
 * Write the model into @buf (@cap bytes); *@written receives the size.
 * KML_ENOSPC if @cap is smaller than kml_model_size() (nothing useful is
 * written then).
 */
int kml_model_save(const struct kml_nn *net, const struct kml_optim *opt,
		   void *buf, size_t cap, size_t *written);
/*
 * Rebuild a network from @len bytes at @buf, prepared for up to
 * @max_batch samples, all memory from @mem. If @opt is not NULL it
 * receives the saved optimizer with its state (NULL when the file has
 * none); with @opt NULL a saved optimizer is checked and dropped.
 * Statuses: KML_EBADMSG malformed (bad magic, truncated, trailing bytes,
 * inconsistent graph, shapes or sizes), KML_EILSEQ CRC mismatch,
 * KML_ENOSYS unknown format version, dtype or layer kind,
 * KML_EOVERFLOW sizes that overflow, KML_ENOMEM the memory cap,
 * KML_EINVAL bad arguments. On failure *@net and *@opt are NULL and
 * nothing stays allocated.
 */
int kml_model_load(struct kml_mem *mem, const void *buf, size_t len,
		   size_t max_batch, struct kml_nn **net,
		   struct kml_optim **opt);

/*
 * CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320, as zlib's
 * crc32()): *@crc is the running value, 0 to start; it is updated over
 * @len bytes at @buf.
 */
int kml_crc32(uint32_t *crc, const void *buf, size_t len);

#endif /* KMLIB_MODEL_H */

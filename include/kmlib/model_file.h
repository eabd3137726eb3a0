/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * model_file.h - user space only (platform/user/model_file.c): model
 * files on disk, on top of the buffer API of model.h. The kernel module
 * has no file I/O; its callers hand it the bytes.
 */
#ifndef KMLIB_MODEL_FILE_H
#define KMLIB_MODEL_FILE_H

#include "model.h"

/* Save to @path (created or truncated). KML_EIO if writing fails. */
int kml_model_save_file(const char *path, const struct kml_nn *net,
			const struct kml_optim *opt);
/*
 * Load from @path as kml_model_load() does. The file's bytes are read
 * into a buffer taken from @mem, so its cap bounds the file size too;
 * KML_EIO if the file cannot be read.
 */
int kml_model_load_file(const char *path, struct kml_mem *mem, size_t max_batch,
			struct kml_nn **net, struct kml_optim **opt);

#endif /* KMLIB_MODEL_FILE_H */

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * model_file.c - model files on disk (user space only): the buffer API of
 * src/model/ plus stdio. Loading reads the file into a buffer from the
 * caller's memory owner, so its cap bounds the file size as well; saving
 * uses a transient malloc() buffer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "kmlib/model_file.h"

int kml_model_save_file(const char *path, const struct kml_nn *net,
			const struct kml_optim *opt)
{
	void *buf;
	size_t size, w;
	FILE *f;
	int ret;

	if (!path || !net)
		return KML_EINVAL;
	ret = kml_model_size(net, opt, &size);
	if (ret)
		return ret;
	buf = malloc(size);
	if (!buf)
		return KML_ENOMEM;
	ret = kml_model_save(net, opt, buf, size, &w);
	if (!ret) {
		f = fopen(path, "wb");
		if (!f) {
			ret = KML_EIO;
		} else {
			if (fwrite(buf, 1, w, f) != w)
				ret = KML_EIO;
			if (fclose(f))
				ret = KML_EIO;
		}
	}
	free(buf);
	return ret;
}

int kml_model_load_file(const char *path, struct kml_mem *mem, size_t max_batch,
			struct kml_nn **net, struct kml_optim **opt)
{
	void *buf = NULL;
	long end;
	size_t len;
	FILE *f;
	int ret;

	if (opt)
		*opt = NULL;
	if (!net)
		return KML_EINVAL;
	*net = NULL;
	if (!path || !mem)
		return KML_EINVAL;
	f = fopen(path, "rb");
	if (!f)
		return errno == ENOENT ? KML_ENOENT : KML_EIO;
	if (fseek(f, 0, SEEK_END) || (end = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET)) {
		fclose(f);
		return KML_EIO;
	}
	len = (size_t)end;
	/* an empty file still gets a buffer: the loader reports it */
	ret = kml_alloc(mem, len ? len : 1, 0, &buf);
	if (!ret && fread(buf, 1, len, f) != len)
		ret = KML_EIO;
	fclose(f);
	if (!ret)
		ret = kml_model_load(mem, buf, len, max_batch, net, opt);
	kml_free(mem, buf);
	return ret;
}

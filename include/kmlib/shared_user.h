/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * shared_user.h - shared mode, the user-space side (libkmlib on Linux;
 * docs/shared-mode.md): attach to a channel of /dev/kmlib, read the
 * sample records a kernel client pushes, send parameters back.
 * One handle is used by one thread at a time.
 */
#ifndef KMLIB_SHARED_USER_H
#define KMLIB_SHARED_USER_H

#include "kml_deps.h"
#include "shared.h"

struct kml_shu;

/*
 * Open @dev (KML_SHM_DEVICE if NULL), attach to channel @name and map
 * the ring and the consumer page. Negative errno-style status on failure
 * (KML_ENOENT: no such channel, KML_EBUSY: another trainer is attached).
 */
int kml_shu_open(struct kml_shu **out, const char *dev, const char *name);
/* Detach and unmap; NULL is a no-op. */
void kml_shu_close(struct kml_shu *s);

/* What ATTACH returned: sizes, parameter dtype and shape, meta. */
const struct kml_shm_attach *kml_shu_info(const struct kml_shu *s);
/* The file descriptor, for poll/epoll (readable: records waiting). */
int kml_shu_fd(const struct kml_shu *s);

/*
 * Copy up to @max records (record_size bytes each, back to back) to
 * @recs; *@n gets how many. KML_EAGAIN with *@n = 0 when none is ready.
 */
int kml_shu_read(struct kml_shu *s, void *recs, size_t max, size_t *n);
/*
 * Wait up to @timeout_ns for a record. KML_OK when one is ready,
 * KML_ETIMEDOUT, KML_EAGAIN (timeout 0), KML_ENOENT once the kernel
 * client destroyed the channel.
 */
int kml_shu_wait(struct kml_shu *s, uint64_t timeout_ns);
/*
 * Send @len bytes of parameters as @version (greater than the last one
 * accepted), dtype and shape from the channel. The kernel's answer as a
 * negative errno (e.g. -ERANGE for NaN/inf, -ESTALE for an old version).
 */
int kml_shu_publish(struct kml_shu *s, const void *params, size_t len,
		    uint64_t version);
/*
 * The mapped parameter area (mapped on the first call, read-write,
 * unmapped by kml_shu_close): *@area, *@len = param_bytes. Write the
 * parameters there, then kml_shu_publish_area(). KML_EINVAL on NULL.
 */
int kml_shu_param_area(struct kml_shu *s, void **area, size_t *len);
/*
 * Publish what the parameter area holds now as @version: the kernel
 * copies it, then validates its copy (errors as kml_shu_publish; -ENXIO
 * if the area was never mapped).
 */
int kml_shu_publish_area(struct kml_shu *s, uint64_t version);
/*
 * The same as kml_shu_params() without a system call: from the read-only
 * mapping of the channel's current parameters (mapped on the first call).
 * @len must be param_bytes. KML_EAGAIN if publications kept overtaking
 * the copy.
 */
int kml_shu_weights(struct kml_shu *s, void *dst, size_t len,
		    uint64_t *version);
/* Copy the parameters the kernel uses now; *@version their version. */
int kml_shu_params(struct kml_shu *s, void *dst, size_t len, uint64_t *version);
int kml_shu_stats(struct kml_shu *s, struct kml_shm_stats *st);

#endif /* KMLIB_SHARED_USER_H */

/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * chan.h - shared mode, the kernel client's side (kmlib.ko only;
 * docs/shared-mode.md). A client (e.g. an I/O scheduler) creates a named
 * channel, pushes sample records into it from any context, and reads the
 * parameters that a user-space trainer attached through /dev/kmlib
 * published last. Inference never waits for user space: if no trainer is
 * attached, or it died, pushes are dropped when the ring is full and the
 * last good parameters (or the initial ones) stay in use.
 */
#ifndef KMLIB_CHAN_H
#define KMLIB_CHAN_H

#include "kml_deps.h"
#include "shared.h"

struct kml_chan_cfg {
	const char *name; /* 1 .. KML_SHM_NAME_MAX - 1 bytes, unique */
	uint32_t record_size; /* bytes, 1 .. KML_SHM_MAX_RECORD */
	uint32_t
	    capacity; /* records, a power of two, 2 .. KML_SHM_MAX_CAPACITY */
	uint32_t dtype; /* of the parameters, enum kml_shm_dtype */
	uint32_t ndim; /* 1 .. KML_SHM_MAX_DIMS */
	uint32_t shape[KML_SHM_MAX_DIMS]; /* dims >= 1; unused ones 0 */
	const void *initial; /* initial parameters (zeros if NULL) */
	uint32_t meta[KML_SHM_META]; /* passed to user space as is */
};

struct kml_chan;

/*
 * Create and register a channel (process context, may sleep). The
 * parameter size is the product of the shape times the dtype's size.
 * KML_EBUSY if the name is taken, KML_EINVAL/KML_ERANGE on a bad config.
 */
int kml_chan_create(struct kml_chan **out, const struct kml_chan_cfg *cfg);
/*
 * Unregister and drop the client's reference (may sleep). No push or
 * params call may run or follow. An attached trainer sees the channel as
 * dead; memory it has mapped stays valid until it closes.
 */
void kml_chan_destroy(struct kml_chan *c);

/*
 * Copy one record (record_size bytes) into the ring. Any context (hard
 * IRQ and NMI included), never sleeps, lock-free. KML_EAGAIN when the
 * ring is full: the record is dropped and counted.
 */
int kml_chan_push(struct kml_chan *c, const void *rec);

/*
 * Copy the current parameters (@size must be the parameter size) to @dst
 * without locks; *@version (may be NULL) gets the user version that
 * published them (0: the initial ones). Any context. KML_EAGAIN if a
 * publish overtook every attempt (rare; keep the previous copy).
 */
int kml_chan_params(struct kml_chan *c, void *dst, size_t size,
		    uint64_t *version);

int kml_chan_stats(struct kml_chan *c, struct kml_shm_stats *st);
size_t kml_chan_param_bytes(const struct kml_chan *c);

#endif /* KMLIB_CHAN_H */

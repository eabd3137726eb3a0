/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * publish.h - lock-free publication of a parameter snapshot: one writer
 * (the trainer) publishes new bytes, readers on the hot path get a
 * consistent version without blocking (docs/runtime.md has the protocol).
 *
 * The object keeps 2 or 3 buffers of the same size. The writer fills a
 * buffer that is neither the current one nor pinned by a reader, then
 * makes it current. Readers either
 *  - copy (kml_pub_read): a per-buffer sequence counter tells whether the
 *    buffer was rewritten during the copy; a few retries at most, then
 *    KML_EAGAIN (keep using the previous copy). Best for small models.
 *  - pin (kml_pub_pin / kml_pub_unpin): read the current buffer in place;
 *    the writer never rewrites a pinned buffer. Two atomic read-modify-
 *    writes per read, no copy. Best for large models. With 2 buffers a
 *    pin on the non-current buffer makes kml_pub_publish return KML_EBUSY
 *    until it is released; 3 buffers avoid that for one old pin.
 *
 * Versions start at 0 (the initial contents) and grow by one per publish.
 * Readers and pins never sleep, never allocate, use no FPU: callable from
 * hard IRQ. kml_pub_publish does not sleep either. Create/destroy may
 * sleep and must not race with use.
 */
#ifndef KMLIB_PUBLISH_H
#define KMLIB_PUBLISH_H

#include "kml_deps.h"
#include "platform.h"

#define KML_PUB_MIN_BUFFERS 2u
#define KML_PUB_MAX_BUFFERS 3u
/* Copies a reader attempts before KML_EAGAIN. */
#define KML_PUB_READ_TRIES 4
/* Largest snapshot: 1 GiB. */
#define KML_PUB_MAX_SIZE ((size_t)1 << 30)

struct kml_pub;

/*
 * kml_pub_create_flags: KML_PUB_COMPACT packs the writer's state, each
 * buffer's generation/version and each pin count together instead of
 * giving each its own cache line (36-byte snapshot, 2 buffers: 256 bytes
 * instead of 544, as kml_mem counts them). The price is false
 * sharing: a publish, or a pin on another buffer, invalidates the line
 * every copying reader needs, so readers on other CPUs take more cache
 * misses while the writer or pinners are busy. Use it for small objects
 * with rare publishes and copying readers.
 */
enum kml_pub_flags {
	KML_PUB_COMPACT = 1 << 0,
};

/* What a pinned reader holds; pass it back to kml_pub_unpin. */
struct kml_pub_view {
	const void *data; /* size bytes, valid until kml_pub_unpin */
	uint64_t version;
	unsigned int buf; /* internal: which buffer is pinned */
};

/*
 * Create with @n_buffers (2 or 3) buffers of @size bytes, version 0
 * holding a copy of @initial (zeros if NULL). Memory from @mem; may sleep.
 */
int kml_pub_create(struct kml_pub **out, struct kml_mem *mem, size_t size,
		   unsigned int n_buffers, const void *initial);
/* The same with @flags (0 or KML_PUB_COMPACT); kml_pub_create passes 0. */
int kml_pub_create_flags(struct kml_pub **out, struct kml_mem *mem, size_t size,
			 unsigned int n_buffers, const void *initial,
			 unsigned int flags);
/* Free; NULL is a no-op. No reader, pin or writer may be active. */
void kml_pub_destroy(struct kml_pub *p);

/*
 * Writer: copy @size bytes (the object's size) from @src into a free
 * buffer and make it the current version; *@version (if not NULL) gets
 * its number. KML_EBUSY if every other buffer is pinned, or if another
 * publish is running at the same time (one writer at a time).
 */
int kml_pub_publish(struct kml_pub *p, const void *src, size_t size,
		    uint64_t *version);

/*
 * Reader: copy the current version (@size bytes, the object's size) to
 * @dst; *@version (if not NULL) gets its number. Never blocks; KML_EAGAIN
 * if the writer overtook every attempt (then @dst holds garbage).
 */
int kml_pub_read(const struct kml_pub *p, void *dst, size_t size,
		 uint64_t *version);

/* Reader: pin the current version in place. KML_EAGAIN as for read. */
int kml_pub_pin(struct kml_pub *p, struct kml_pub_view *view);
/* Release a pin; clears @view. */
int kml_pub_unpin(struct kml_pub *p, struct kml_pub_view *view);

/* The latest published version number. */
int kml_pub_version(const struct kml_pub *p, uint64_t *version);
size_t kml_pub_size(const struct kml_pub *p);

#endif /* KMLIB_PUBLISH_H */

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
 *  - read in place (kml_pub_begin / kml_pub_retry, inline): run the model
 *    on the current buffer, then check that it was not rewritten meanwhile
 *    and run again if it was. ~10 instructions, no write to shared memory;
 *    the model must tolerate torn input (see below).
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

/*
 * ABI-internal: the object's layout is in this header only so that the
 * in-place readers below (kml_pub_begin / kml_pub_retry) can be static
 * inline (a function call would cost more than their whole budget).
 * None of these fields is API: use the functions, never the fields; the
 * layout may change with any release (rebuild, never mix object files).
 * publish.c has the layout's description.
 */
struct kml_pub_buf {
	kml_atomic64_t gen; /* odd while the writer fills the buffer */
	kml_atomic64_t version; /* written while gen is odd */
	uint64_t *data;
};

struct kml_pub {
	/* read-only after creation: bytes 0-63 */
	size_t size;
	struct kml_pub_buf *buf[KML_PUB_MAX_BUFFERS];
	/* pins bounce between readers: by default off the line copiers read */
	kml_atomic_t *pins[KML_PUB_MAX_BUFFERS];
	unsigned int n_bufs;
	unsigned int unused; /* keeps the writer's state at 64 */

	/* the writer's state: byte 64 */
	kml_atomic_t cur_buf;
	kml_atomic_t writing; /* one publish at a time */
	kml_atomic64_t published; /* latest version */
	/* read-only, only for kml_pub_destroy */
	struct kml_mem *mem;
	void *block;
};

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

/*
 * In-place optimistic reader (a seqlock without the copy): run the model
 * directly on the current buffer, then ask whether the buffer was
 * rewritten meanwhile; if so throw the result away and run again:
 *
 *	struct kml_pub_seq s;
 *	do {
 *		if (kml_pub_begin(p, &s))
 *			return KML_EINVAL;
 *		y = model(s.data, x);	(reads s.data, writes only y)
 *	} while (kml_pub_retry(&s));
 *
 * About 10 instructions on top of the model (docs/performance.md); no
 * atomic read-modify-write, no copy, no write to shared memory. The data
 * may change while the model reads it: the model must be pure arithmetic
 * on the size bytes it is given (no pointers, indices or loop bounds
 * taken from the buffer), so that a torn mix only gives a wrong result,
 * which kml_pub_retry then rejects; it must not act on its result before
 * kml_pub_retry said KML_OK. Under ThreadSanitizer (and KCSAN) the
 * model's plain loads race with the writer's stores: read the buffer
 * with kml_load_relaxed64 to stay report-free (the stress test does), or
 * accept the reports, which are benign by this protocol (as for the
 * kernel's seqlock readers). The writer never refills the current
 * buffer, so a retry only happens if a whole publish completes and the
 * next one starts into this buffer while the model runs. Never blocks;
 * callable from hard IRQ; a retry loop is unbounded only if publishes
 * never stop.
 */
struct kml_pub_seq {
	const void *data; /* the current buffer, size bytes, read in place */
	/* ABI-internal: the buffer and its generation at begin (even) */
	const struct kml_pub_buf *buf_;
	int64_t gen_;
};

/*
 * Begin a read: @s->data is the current buffer. KML_EINVAL if @p or @s is
 * NULL (then @s, if given, is cleared and kml_pub_retry refuses it).
 */
static KML_ALWAYS_INLINE int kml_pub_begin(const struct kml_pub *p,
					   struct kml_pub_seq *s)
{
	const struct kml_pub_buf *b;

	if (KML_UNLIKELY(!s))
		return KML_EINVAL;
	if (KML_UNLIKELY(!p)) {
		s->data = NULL; /* kml_pub_retry refuses it too */
		s->buf_ = NULL;
		s->gen_ = 0;
		return KML_EINVAL;
	}
	/* acquire: the buffer's contents come after its publication */
	b = p->buf[(unsigned int)kml_atomic_load_acquire(&p->cur_buf)];
	if (!b) /* never, for an object kml_pub_create made */
		__builtin_unreachable();
	/*
	 * Acquire: data loads come after it. An odd generation (the buffer
	 * is being refilled already) becomes the even one before it, which
	 * kml_pub_retry can never see again: the read is retried.
	 */
	s->gen_ = kml_atomic64_load_acquire(&b->gen) & ~(int64_t)1;
	s->buf_ = b;
	s->data = b->data;
	return KML_OK;
}

/*
 * End a read begun by kml_pub_begin: KML_OK if the buffer held one
 * version throughout (keep the result), KML_EAGAIN if it was rewritten
 * (discard it, begin again), KML_EINVAL for a NULL or unused @s.
 */
static KML_ALWAYS_INLINE int kml_pub_retry(const struct kml_pub_seq *s)
{
	if (KML_UNLIKELY(!s || !s->buf_))
		return KML_EINVAL;
	/*
	 * Read barrier: the model's loads of the buffer happen before the
	 * generation is read again (a compiler barrier on x86). If one of
	 * them saw a byte of a refill, this load sees the odd generation
	 * the writer stored before that byte (the writer's data stores are
	 * releases), or a later one.
	 */
	kml_smp_rmb();
	if (KML_LIKELY(kml_atomic64_read(&s->buf_->gen) == s->gen_))
		return KML_OK;
	return KML_EAGAIN;
}

/* The latest published version number. */
int kml_pub_version(const struct kml_pub *p, uint64_t *version);
/* Bytes per version (0 for NULL). Inline: hot-path readers choose by it. */
static inline size_t kml_pub_size(const struct kml_pub *p)
{
	return p ? p->size : 0;
}

#endif /* KMLIB_PUBLISH_H */

/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * shared_copy.h - copy bytes into and out of memory that another CPU may
 * write at the same moment (ring slots under drop-oldest, seqlock-style
 * snapshot buffers). The shared side is accessed in aligned 64-bit words
 * with single-copy-atomic relaxed loads and stores, so a concurrent write
 * is a defined race (no torn word, nothing for TSan to report); whether
 * the copy as a whole is consistent is decided by the caller's protocol.
 * The private side may be unaligned and is accessed with memcpy.
 *
 * Shared buffers are 8-byte aligned and sized to a whole number of words.
 */
#ifndef KMLIB_SHARED_COPY_H
#define KMLIB_SHARED_COPY_H

#include "kmlib/kml_deps.h"

/* Round @n up to whole 64-bit words (callers bound @n well below SIZE_MAX). */
static inline size_t kml_words_for(size_t n)
{
	return (n + 7) / 8;
}

/*
 * The last 1..7 bytes of a record as one word, and back, with fixed-size
 * copies (4, 2, 1 bytes) at computed offsets instead of a variable-length
 * memcpy, which compilers turn into a byte loop or a libc call. The byte
 * layout in memory is kept, so this is endian-neutral.
 */
static inline uint64_t kml_tail_word(const uint8_t *s, size_t rest)
{
	uint64_t w = 0;
	uint8_t *b = (uint8_t *)&w;
	size_t at = 0;

	if (rest & 4) {
		kml_memcpy(b, s, 4);
		at = 4;
	}
	if (rest & 2) {
		kml_memcpy(b + at, s + at, 2);
		at += 2;
	}
	if (rest & 1)
		b[at] = s[at];
	return w;
}

static inline void kml_tail_store(uint8_t *d, uint64_t w, size_t rest)
{
	const uint8_t *b = (const uint8_t *)&w;
	size_t at = 0;

	if (rest & 4) {
		kml_memcpy(d, b, 4);
		at = 4;
	}
	if (rest & 2) {
		kml_memcpy(d + at, b + at, 2);
		at += 2;
	}
	if (rest & 1)
		d[at] = b[at];
}

static inline void kml_shared_copy_in(uint64_t *dst, const void *src, size_t n)
{
	const uint8_t *s = src;
	size_t i, words = n / 8, rest = n % 8;

	for (i = 0; i < words; i++) {
		uint64_t w;

		kml_memcpy(&w, s + 8 * i, 8);
		kml_store_relaxed64(&dst[i], w);
	}
	if (rest)
		kml_store_relaxed64(&dst[words],
				    kml_tail_word(s + 8 * words, rest));
}

static inline void kml_shared_copy_out(void *dst, const uint64_t *src, size_t n)
{
	uint8_t *d = dst;
	size_t i, words = n / 8, rest = n % 8;

	for (i = 0; i < words; i++) {
		uint64_t w = kml_load_relaxed64(&src[i]);

		kml_memcpy(d + 8 * i, &w, 8);
	}
	if (rest)
		kml_tail_store(d + 8 * words, kml_load_relaxed64(&src[words]),
			       rest);
}

/*
 * Seqlock halves: every word stored with release order (so the writer's
 * earlier "being written" mark is visible to anyone who sees a new word)
 * and loaded with acquire order (so the reader's later re-check of the
 * mark comes after every word). No standalone fence: TSan can follow it.
 */
static inline void kml_shared_copy_in_release(uint64_t *dst, const void *src,
					      size_t n)
{
	const uint8_t *s = src;
	size_t i, words = n / 8, rest = n % 8;

	for (i = 0; i < words; i++) {
		uint64_t w;

		kml_memcpy(&w, s + 8 * i, 8);
		kml_store_release64(&dst[i], w);
	}
	if (rest)
		kml_store_release64(&dst[words],
				    kml_tail_word(s + 8 * words, rest));
}

static inline void kml_shared_copy_out_acquire(void *dst, const uint64_t *src,
					       size_t n)
{
	uint8_t *d = dst;
	size_t i, words = n / 8, rest = n % 8;

	for (i = 0; i < words; i++) {
		uint64_t w = kml_load_acquire64(&src[i]);

		kml_memcpy(d + 8 * i, &w, 8);
	}
	if (rest)
		kml_tail_store(d + 8 * words, kml_load_acquire64(&src[words]),
			       rest);
}

#endif /* KMLIB_SHARED_COPY_H */

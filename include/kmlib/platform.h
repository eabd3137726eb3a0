/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * platform.h - what the core needs from its host, with one implementation
 * per target (platform/user/ with libc and pthreads, platform/kernel/ with
 * kmalloc and kthreads).
 *
 * Memory accounting itself (owners, caps, arenas) is target-independent
 * and lives in src/core/mem.c on top of kml_plat_alloc()/kml_plat_free().
 *
 * Kernel rules that every caller must respect:
 *  - KML_MEM_SLEEP allocations may sleep: never between kml_fpu_begin()
 *    and kml_fpu_end(), never under a spinlock or in IRQ.
 *  - Anything that computes with float or double runs between
 *    kml_fpu_begin() returning true and kml_fpu_end().
 */
#ifndef KMLIB_PLATFORM_H
#define KMLIB_PLATFORM_H

#include "kml_deps.h"
#include "status.h"

/* ---- Memory ------------------------------------------------------------ */

/* Allocation context: KML_MEM_SLEEP may block, KML_MEM_ATOMIC never does. */
enum kml_mem_flags {
	KML_MEM_SLEEP = 0,
	KML_MEM_ATOMIC = 1 << 0,
	KML_MEM_ZERO = 1 << 1,
};

/*
 * An accounting owner. Every allocation names one; it tracks current and
 * peak bytes and refuses allocations that would exceed its cap. With an
 * arena (kml_mem_init_arena) it hands out memory from a caller-owned
 * buffer instead of the heap: no allocation in the system allocator at
 * all, which is what FPU sections and atomic contexts need.
 * The counters are updated atomically: one owner may serve several threads.
 */
struct kml_mem {
	const char *name;
	size_t cap; /* 0 = no cap */
	kml_atomic64_t cur; /* bytes in use, headers included */
	kml_atomic64_t peak;
	kml_atomic64_t n_allocs; /* successful allocations */
	kml_atomic64_t n_frees;
	kml_atomic64_t n_failed; /* refused or failed allocations */
	/* arena mode: a bump allocator over [arena, arena + arena_size) */
	uint8_t *arena;
	size_t arena_size;
	kml_atomic64_t arena_used;
};

int kml_mem_init(struct kml_mem *m, const char *name, size_t cap);
int kml_mem_init_arena(struct kml_mem *m, const char *name, void *buf,
		       size_t size);
/* Allocate @size bytes (16-byte aligned) accounted to @m into *@out. */
int kml_alloc(struct kml_mem *m, size_t size, unsigned int flags, void **out);
/* Allocate @n * @size bytes with an overflow check. */
int kml_alloc_array(struct kml_mem *m, size_t n, size_t size,
		    unsigned int flags, void **out);
/* Free memory from kml_alloc*(); NULL is a no-op. */
void kml_free(struct kml_mem *m, void *p);
size_t kml_mem_current(const struct kml_mem *m);
size_t kml_mem_peak(const struct kml_mem *m);
uint64_t kml_mem_alloc_count(const struct kml_mem *m);
uint64_t kml_mem_failed_count(const struct kml_mem *m);

/* Overflow-checked size arithmetic: return false on overflow. */
static inline bool kml_size_mul(size_t a, size_t b, size_t *out)
{
	return !__builtin_mul_overflow(a, b, out);
}

static inline bool kml_size_add(size_t a, size_t b, size_t *out)
{
	return !__builtin_add_overflow(a, b, out);
}

/* Raw host allocator (platform/): NULL on failure, never sleeps if atomic. */
void *kml_plat_alloc(size_t size, bool atomic);
void kml_plat_free(void *p);

/* ---- Threads ----------------------------------------------------------- */

struct kml_thread;
/* A thread body; it should return when kml_thread_should_stop() is true. */
typedef int (*kml_thread_fn)(struct kml_thread *self, void *arg);

/* Start a thread running @fn(self, @arg). May sleep. */
int kml_thread_start(struct kml_thread **out, kml_thread_fn fn, void *arg,
		     const char *name);
/*
 * Ask the thread to stop, wake it, wait for it to return and free it.
 * Returns the thread's return value (or a negative status). May sleep.
 */
int kml_thread_stop(struct kml_thread *t);
bool kml_thread_should_stop(struct kml_thread *self);
/*
 * Sleep until woken by kml_thread_wake(), until @timeout_ns passed, or
 * until a stop is requested. A wake that happened before the call is not
 * lost. Returns 0 if woken or stopping, KML_ETIMEDOUT on timeout.
 * Call only from @self's own thread.
 */
int kml_thread_sleep(struct kml_thread *self, uint64_t timeout_ns);
/* Wake a sleeping thread. Safe from any context, IRQ included. */
void kml_thread_wake(struct kml_thread *t);

/* ---- FPU guard ----------------------------------------------------------- */

/*
 * Enter a section in which float and double may be used. Returns false
 * if the FPU may not be used here (kernel: !irq_fpu_usable()); then the
 * caller must not call float code and must not call kml_fpu_end().
 * Sections nest by counting. Inside a section: no sleeping, no
 * KML_MEM_SLEEP allocation, no I/O.
 */
bool kml_fpu_begin(void);
void kml_fpu_end(void);
/* True between a successful kml_fpu_begin() and its kml_fpu_end(). */
bool kml_fpu_active(void);
/* Misuse seen so far (kml_fpu_end without begin); for debug and tests. */
uint64_t kml_fpu_misuse_count(void);

/* ---- Logging and time -------------------------------------------------- */

enum kml_log_level {
	KML_LOG_ERR = 3,
	KML_LOG_WARN = 4,
	KML_LOG_INFO = 6,
	KML_LOG_DEBUG = 7,
};

/* printf-style log line; no float conversions (the kernel has none). */
/* clang-format off */
void kml_log_msg(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* clang-format on */
void kml_log_set_level(int level);
int kml_log_get_level(void);

/* Monotonic clock in nanoseconds. */
uint64_t kml_time_ns(void);
/*
 * CPU time the calling thread has run, in nanoseconds: stands still while
 * it sleeps or waits for a CPU. Only differences between reads on one
 * thread mean anything. User: CLOCK_THREAD_CPUTIME_ID. Kernel: the task's
 * scheduler runtime plus its current slice (platform/kernel/thread.c),
 * kept from going back in kml threads; in other kernel threads an
 * estimate that can step back by a few ms across a sleep.
 */
uint64_t kml_thread_cpu_ns(void);

#endif /* KMLIB_PLATFORM_H */

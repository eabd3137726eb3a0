/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * kml_deps.h - the one header that knows which target it is built for.
 *
 * Everything in src/ includes this instead of <stdint.h>, <string.h> or
 * <linux/...>: fixed-width integers, bool, size limits, memcpy/memset and
 * the atomics. Only this file and platform/ may test __KERNEL__.
 */
#ifndef KMLIB_KML_DEPS_H
#define KMLIB_KML_DEPS_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/limits.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/kernel.h>
#include <linux/stdarg.h>
#include <linux/atomic.h>
#include <asm/barrier.h>
#else
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>
#include <stdio.h>
#include <stdarg.h>
#include <limits.h>
#endif

#ifndef INT8_MAX
#define INT8_MIN S8_MIN
#define INT8_MAX S8_MAX
#define INT16_MIN S16_MIN
#define INT16_MAX S16_MAX
#define INT32_MIN S32_MIN
#define INT32_MAX S32_MAX
#define INT64_MIN S64_MIN
#define INT64_MAX S64_MAX
#define UINT8_MAX U8_MAX
#define UINT16_MAX U16_MAX
#define UINT32_MAX U32_MAX
#define UINT64_MAX U64_MAX
#endif

#define kml_memcpy(d, s, n) memcpy((d), (s), (n))
#define kml_memmove(d, s, n) memmove((d), (s), (n))
#define kml_memset(d, c, n) memset((d), (c), (n))
#define kml_memcmp(a, b, n) memcmp((a), (b), (n))
#define kml_strlen(s) strlen(s)
#define kml_snprintf(...) snprintf(__VA_ARGS__)
#define kml_vsnprintf(b, n, f, ap) vsnprintf((b), (n), (f), (ap))

#define KML_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define KML_LIKELY(x) __builtin_expect(!!(x), 1)
#define KML_UNLIKELY(x) __builtin_expect(!!(x), 0)
/* Spelled with underscores: the kernel defines "noinline" as a macro. */
#define KML_NOINLINE __attribute__((__noinline__))
#define KML_ALWAYS_INLINE inline __attribute__((__always_inline__))

/*
 * Atomics with the same semantics on both targets: relaxed plain
 * read/set, acquire loads, release stores, and full-barrier
 * read-modify-write operations (what both C11 seq_cst and the kernel's
 * value-returning atomic_*() give).
 *
 * kml_atomic*_load_seqcst: a load ordered after every earlier fully
 * ordered operation (RMW or kml_smp_mb) of the same thread, so that the
 * store->load pair "RMW on X, then load Y" cannot be reordered (Dekker).
 * C11: a seq_cst load. Kernel: an acquire load; the preceding
 * value-returning atomic or smp_mb() already orders it (LKMM).
 *
 * kml_load_relaxed64/kml_store_relaxed64: single-copy-atomic 64-bit access
 * to plain memory that another CPU may write at the same time (seqlock
 * data, validated afterwards). No ordering. Kernel: READ_ONCE/WRITE_ONCE.
 * kml_load_acquire64/kml_store_release64: the same with acquire/release
 * order (seqlock data without standalone fences, which ThreadSanitizer
 * does not model). On x86 all four are plain moves.
 */
#ifdef __KERNEL__
typedef atomic_t kml_atomic_t;
typedef atomic64_t kml_atomic64_t;
#define KML_ATOMIC_INIT(v) ATOMIC_INIT(v)
#define kml_atomic_read(a) atomic_read(a)
#define kml_atomic_set(a, v) atomic_set((a), (v))
#define kml_atomic_load_acquire(a) atomic_read_acquire(a)
#define kml_atomic_store_release(a, v) atomic_set_release((a), (v))
#define kml_atomic_fetch_add(a, v) atomic_fetch_add((v), (a))
#define kml_atomic_cmpxchg(a, old, new) atomic_cmpxchg((a), (old), (new))
#define kml_atomic64_read(a) atomic64_read(a)
#define kml_atomic64_set(a, v) atomic64_set((a), (v))
#define kml_atomic64_load_acquire(a) atomic64_read_acquire(a)
#define kml_atomic64_store_release(a, v) atomic64_set_release((a), (v))
#define kml_atomic64_fetch_add(a, v) atomic64_fetch_add((v), (a))
#define kml_atomic64_cmpxchg(a, old, new) atomic64_cmpxchg((a), (old), (new))
#define kml_smp_mb() smp_mb()
#define kml_smp_rmb() smp_rmb()
#define kml_smp_wmb() smp_wmb()
/*
 * A spin-wait step. Debian's kernel preempts kernel code only at explicit
 * points (PREEMPT_VOLUNTARY): a thread spinning in preemptible context
 * must offer the CPU, or a thread it waits for may never run (user space
 * gets this from the scheduler). Atomic contexts, FPU sections included,
 * just spin. Out of line (platform/kernel/relax.c) so that src/ does not
 * see <linux/sched.h> and its many names (rb_add, ...).
 */
void kml_plat_cpu_relax(void);
#define kml_cpu_relax() kml_plat_cpu_relax()
#define kml_atomic_load_seqcst(a) atomic_read_acquire(a)
#define kml_atomic64_load_seqcst(a) atomic64_read_acquire(a)
#define kml_load_relaxed64(p) READ_ONCE(*(p))
#define kml_store_relaxed64(p, v) WRITE_ONCE(*(p), (v))
#define kml_load_acquire64(p) smp_load_acquire(p)
#define kml_store_release64(p, v) smp_store_release((p), (v))
#else
typedef struct {
	int32_t counter;
} kml_atomic_t;
typedef struct {
	int64_t counter;
} kml_atomic64_t;
/* clang-format off */
#define KML_ATOMIC_INIT(v) { (v) }
/* clang-format on */
#define kml_atomic_read(a) __atomic_load_n(&(a)->counter, __ATOMIC_RELAXED)
#define kml_atomic_set(a, v)                                                   \
	__atomic_store_n(&(a)->counter, (v), __ATOMIC_RELAXED)
#define kml_atomic_load_acquire(a)                                             \
	__atomic_load_n(&(a)->counter, __ATOMIC_ACQUIRE)
#define kml_atomic_store_release(a, v)                                         \
	__atomic_store_n(&(a)->counter, (v), __ATOMIC_RELEASE)
#define kml_atomic_fetch_add(a, v)                                             \
	__atomic_fetch_add(&(a)->counter, (v), __ATOMIC_SEQ_CST)
#define kml_atomic_cmpxchg(a, old, new)                                        \
	kml_user_cmpxchg32(&(a)->counter, (old), (new))
#define kml_atomic64_read(a) __atomic_load_n(&(a)->counter, __ATOMIC_RELAXED)
#define kml_atomic64_set(a, v)                                                 \
	__atomic_store_n(&(a)->counter, (v), __ATOMIC_RELAXED)
#define kml_atomic64_load_acquire(a)                                           \
	__atomic_load_n(&(a)->counter, __ATOMIC_ACQUIRE)
#define kml_atomic64_store_release(a, v)                                       \
	__atomic_store_n(&(a)->counter, (v), __ATOMIC_RELEASE)
#define kml_atomic64_fetch_add(a, v)                                           \
	__atomic_fetch_add(&(a)->counter, (v), __ATOMIC_SEQ_CST)
#define kml_atomic64_cmpxchg(a, old, new)                                      \
	kml_user_cmpxchg64(&(a)->counter, (old), (new))
#define kml_smp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#ifdef __SANITIZE_THREAD__
/*
 * TSan does not model fences (GCC rejects them, -Wtsan) and reports races
 * on plain accesses, not ordering: a compiler barrier there (only
 * kml_pub_retry uses it, after relaxed loads when race-free).
 */
#define kml_smp_rmb() __atomic_signal_fence(__ATOMIC_SEQ_CST)
#else
#define kml_smp_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#endif
#define kml_smp_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define kml_atomic_load_seqcst(a)                                              \
	__atomic_load_n(&(a)->counter, __ATOMIC_SEQ_CST)
#define kml_atomic64_load_seqcst(a)                                            \
	__atomic_load_n(&(a)->counter, __ATOMIC_SEQ_CST)
#define kml_load_relaxed64(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define kml_store_relaxed64(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)
#define kml_load_acquire64(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define kml_store_release64(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#if defined(__x86_64__) || defined(__i386__)
#define kml_cpu_relax() __builtin_ia32_pause()
#else
#define kml_cpu_relax() __atomic_signal_fence(__ATOMIC_SEQ_CST)
#endif

/* Kernel cmpxchg semantics: returns the value that was there before. */
static inline int32_t kml_user_cmpxchg32(int32_t *p, int32_t old, int32_t new)
{
	__atomic_compare_exchange_n(p, &old, new, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return old;
}

static inline int64_t kml_user_cmpxchg64(int64_t *p, int64_t old, int64_t new)
{
	__atomic_compare_exchange_n(p, &old, new, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return old;
}
#endif /* __KERNEL__ */

/*
 * CPU feature tests for kml_simd.h's run-time choice of vector width
 * (x86-64): the kernel's boot_cpu_has() bits (cleared for state the kernel
 * does not manage), user space's libgcc CPUID cache (which also checks that
 * the OS saves the state).
 */
#if defined(__x86_64__)
#ifdef __KERNEL__
/* platform/kernel/cpu.c: keeps <asm/cpufeature.h> out of src/ */
bool kml_plat_cpu_has_avx(void);
bool kml_plat_cpu_has_avx512(void);
bool kml_plat_cpu_has_avx512_vnni(void);
#define kml_cpu_supports_avx() kml_plat_cpu_has_avx()
#define kml_cpu_supports_avx512() kml_plat_cpu_has_avx512()
#define kml_cpu_supports_avx512_vnni() kml_plat_cpu_has_avx512_vnni()
/* no kernel object asks yet (qnn's AVX2 path is user-space only) */
#define kml_cpu_supports_avx2() false
#define kml_cpu_supports_avx512_bw() false
#else
#define kml_cpu_supports_avx() __builtin_cpu_supports("avx")
#define kml_cpu_supports_avx2() __builtin_cpu_supports("avx2")
#define kml_cpu_supports_avx512() __builtin_cpu_supports("avx512f")
#define kml_cpu_supports_avx512_bw()                                           \
	(__builtin_cpu_supports("avx512f") &&                                  \
	 __builtin_cpu_supports("avx512bw"))
#define kml_cpu_supports_avx512_vnni()                                         \
	(__builtin_cpu_supports("avx512f") &&                                  \
	 __builtin_cpu_supports("avx512bw") &&                                 \
	 __builtin_cpu_supports("avx512dq") &&                                 \
	 __builtin_cpu_supports("avx512vnni"))
#endif
#endif /* __x86_64__ */

#endif /* KMLIB_KML_DEPS_H */

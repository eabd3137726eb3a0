/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * kml_simd.h - the one header that knows the instruction sets (for src/;
 * applications have no use for it).
 *
 * src/ never names an ISA macro (__SSE2__, __AVX__ ...), an
 * __builtin_ia32_* or a CPU feature itself: it asks here.
 *
 * KML_SIMD_SSE2     the current object is compiled for SSE2 (x86-64 user
 *                   space, and kernel "fpu" objects). Kernel "nofpu"
 *                   objects have no SSE at all, so code under this macro
 *                   is simply not built there.
 * KML_SIMD_WIDE     run-time selectable wider vectors exist for this
 *                   object: functions marked KML_TARGET_AVX / _AVX512
 *                   are compiled for that ISA only, and may only be
 *                   called after kml_cpu_has_avx() / _avx512() said yes.
 *                   User space: everywhere on x86-64. Kernel: only in
 *                   "fpu" objects, which run between kml_fpu_begin() and
 *                   kml_fpu_end(); kernel_fpu_begin() saves the whole
 *                   xstate (YMM/ZMM/opmask included), the way the
 *                   kernel's own AVX-512 crypto code relies on.
 *                   Never with KML_SIMD_NO_WIDE (-Dsimd=sse2, a size
 *                   build): then every path is the SSE2 one.
 *
 * Wider vectors never change results of float code: they only run more
 * independent sums side by side, each with its own sequence of roundings;
 * -ffp-contract=off keeps FMA out (no AVX-512F or AVX instruction fuses a
 * multiply and an add unless asked to).
 *
 * The feature tests are cheap (user space: libgcc's cached CPUID bits,
 * which also check that the OS saves the state; kernel: boot_cpu_has(),
 * whose bits the kernel clears for state it does not manage).
 */
#ifndef KMLIB_KML_SIMD_H
#define KMLIB_KML_SIMD_H

#include "kml_deps.h"

#if defined(__x86_64__) && defined(__SSE2__)
#define KML_SIMD_SSE2 1
#define KML_SIMD_WIDE 1
#endif

#ifdef KML_SIMD_WIDE
/* the CPU tests themselves are target knowledge: kml_deps.h has them */
#if defined(KML_SIMD_NO_WIDE)
/* Meson's -Dsimd=sse2 (kbuild: KMLIB_SIMD=sse2): no AVX path is taken,
 * and KML_SIMD_WIDE is undefined below, so no wide kernel is even
 * instantiated (docs/performance.md, Footprint) */
#define kml_cpu_has_avx() 0
#define kml_cpu_has_avx2() 0
#define kml_cpu_has_avx512() 0
#define kml_cpu_has_avx512_vnni() 0
#define kml_cpu_has_avx512_bw() 0
#elif defined(KML_SIMD_NO_AVX512)
/* Meson's -Dsimd=avx (kbuild: KMLIB_SIMD=avx): the AVX-512 paths are
 * never taken, so the compiler can drop their static kernels (it does for
 * int8 VNNI; see docs/performance.md, Footprint) */
#define kml_cpu_has_avx() kml_cpu_supports_avx()
#define kml_cpu_has_avx2() kml_cpu_supports_avx2()
#define kml_cpu_has_avx512() 0
#define kml_cpu_has_avx512_vnni() 0
#define kml_cpu_has_avx512_bw() 0
#else
#define kml_cpu_has_avx() kml_cpu_supports_avx()
#define kml_cpu_has_avx2() kml_cpu_supports_avx2()
#define kml_cpu_has_avx512() kml_cpu_supports_avx512()
#define kml_cpu_has_avx512_vnni() kml_cpu_supports_avx512_vnni()
#define kml_cpu_has_avx512_bw() kml_cpu_supports_avx512_bw()
#endif
#define KML_TARGET_AVX __attribute__((__target__("avx")))
#define KML_TARGET_AVX2 __attribute__((__target__("avx2")))
#define KML_TARGET_AVX512_BW __attribute__((__target__("avx512f,avx512bw")))
#define KML_TARGET_AVX512 __attribute__((__target__("avx512f")))
/* integer dot products: VPDPBUSD, plus BW/DQ byte and 64-bit lanes */
#define KML_TARGET_AVX512_VNNI                                                 \
	__attribute__((__target__("avx512f,avx512bw,avx512dq,avx512vnni")))

typedef int32_t kml_v16si __attribute__((vector_size(64)));

/*
 * VMASKMOVPS / VMASKMOVPD (AVX): move the lanes whose mask lane has its
 * sign bit set; the other lanes read as 0 and are not written, and never
 * fault. Only inside KML_TARGET_AVX functions.
 */
typedef float kml_v8sf __attribute__((vector_size(32)));
typedef int32_t kml_v8si __attribute__((vector_size(32)));
typedef double kml_v4df __attribute__((vector_size(32)));
typedef long long kml_v4dll __attribute__((vector_size(32))); /* GCC's */
#define kml_simd_maskload_f32x8(p, m)                                          \
	__builtin_ia32_maskloadps256((const kml_v8sf *)(p), (kml_v8si)(m))
#define kml_simd_maskstore_f32x8(p, m, v)                                      \
	__builtin_ia32_maskstoreps256((kml_v8sf *)(p), (kml_v8si)(m), (v))
#define kml_simd_maskload_f64x4(p, m)                                          \
	__builtin_ia32_maskloadpd256((const kml_v4df *)(p), (kml_v4dll)(m))
#define kml_simd_maskstore_f64x4(p, m, v)                                      \
	__builtin_ia32_maskstorepd256((kml_v4df *)(p), (kml_v4dll)(m), (v))

/*
 * @dst = lanes of a and b (b's numbered from @n on) picked by the index
 * vector @m. GCC: one two-source shuffle. Clang has no shuffle with an
 * index vector that is only constant after unrolling: lane by lane, the
 * same moves.
 */
#ifdef __clang__
#define kml_simd_shuffle2(dst, a, b, m, n)                                     \
	do {                                                                   \
		int l_;                                                        \
		for (l_ = 0; l_ < (n); l_++)                                   \
			(dst)[l_] =                                            \
			    (m)[l_] < (n) ? (a)[(m)[l_]] : (b)[(m)[l_] - (n)]; \
	} while (0)
#else
#define kml_simd_shuffle2(dst, a, b, m, n)                                     \
	((dst) = __builtin_shuffle((a), (b), (m)))
#endif

/*
 * VPDPBUSD: each int32 lane of acc plus the four products of its bytes,
 * u unsigned and s signed; wrapping, exact while the sum fits.
 * Only inside KML_TARGET_AVX512_VNNI functions.
 */
typedef int64_t kml_v8di __attribute__((vector_size(64)));
typedef long long kml_v8dll __attribute__((vector_size(64))); /* GCC's */
typedef char kml_v64qc __attribute__((vector_size(64)));
/*
 * VPMULDQ: signed 64-bit products of the even int32 lanes.
 * VPSADBW: per 8-byte group, the sum of |a - b| as unsigned bytes.
 */
#ifdef __clang__
#define kml_simd_dpbusd(acc, u, s) __builtin_ia32_vpdpbusd512((acc), (u), (s))
#define kml_simd_mul_even_i32x16(a, b)                                         \
	((kml_v8di)__builtin_ia32_pmuldq512((a), (b)))
#else
#define kml_simd_dpbusd(acc, u, s)                                             \
	__builtin_ia32_vpdpbusd_v16si((acc), (u), (s))
#define kml_simd_mul_even_i32x16(a, b)                                         \
	((kml_v8di)__builtin_ia32_pmuldq512_mask((a), (b), (kml_v8dll){ 0 },   \
						 (unsigned char)0xff))
#endif
/* VPMAXSD / VPMINSD on 16 int32 lanes */
#ifdef __clang__
#define kml_simd_max_i32x16(a, b) __builtin_elementwise_max((a), (b))
#define kml_simd_min_i32x16(a, b) __builtin_elementwise_min((a), (b))
#else
#define kml_simd_max_i32x16(a, b)                                              \
	__builtin_ia32_pmaxsd512_mask((a), (b), (kml_v16si){ 0 },              \
				      (unsigned short)0xffff)
#define kml_simd_min_i32x16(a, b)                                              \
	__builtin_ia32_pminsd512_mask((a), (b), (kml_v16si){ 0 },              \
				      (unsigned short)0xffff)
#endif
#define kml_simd_sad_u8x64(a, b)                                               \
	((kml_v8di)__builtin_ia32_psadbw512((kml_v64qc)(a), (kml_v64qc)(b)))

/*
 * VPMADDWD on 16 (AVX2) or 32 (AVX-512BW) int16 lanes: products of pairs,
 * adjacent ones summed into int32 (exact but for -32768 x -32768 twice).
 * Only inside KML_TARGET_AVX2 / KML_TARGET_AVX512_BW functions.
 */
typedef int16_t kml_v16hi __attribute__((vector_size(32)));
typedef int16_t kml_v32hi __attribute__((vector_size(64)));
typedef short kml_v16hs __attribute__((vector_size(32))); /* GCC's */
typedef short kml_v32hs __attribute__((vector_size(64)));
typedef int kml_v8sg __attribute__((vector_size(32)));
typedef int kml_v16sg __attribute__((vector_size(64)));
#define kml_simd_madd_i16x16(a, b)                                             \
	((kml_v8si)__builtin_ia32_pmaddwd256((kml_v16hs)(a), (kml_v16hs)(b)))
/* VPMOVSXBW: 16 int8 (a 16-byte vector) to 16 int16 lanes (AVX2) */
typedef char kml_v16qc __attribute__((vector_size(16))); /* GCC's */
#ifdef __clang__
#define kml_simd_widen_i8x16(b) __builtin_convertvector((b), kml_v16hi)
#else
#define kml_simd_widen_i8x16(b)                                                \
	((kml_v16hi)__builtin_ia32_pmovsxbw256((kml_v16qc)(b)))
#endif
#ifdef __clang__
#define kml_simd_madd_i16x32(a, b)                                             \
	((kml_v16si)__builtin_ia32_pmaddwd512((kml_v32hs)(a), (kml_v32hs)(b)))
#else
#define kml_simd_madd_i16x32(a, b)                                             \
	((kml_v16si)__builtin_ia32_pmaddwd512_mask(                            \
	    (kml_v32hs)(a), (kml_v32hs)(b), (kml_v16sg){ 0 },                  \
	    (unsigned short)0xffff))
#endif
/*
 * On 8 int32 lanes (AVX2; also inside AVX-512 functions): VPHADDD (sums
 * of adjacent pairs, a's then b's, per 128-bit half), VPMULDQ (signed
 * 64-bit products of the even lanes), VMOVMSKPS, VPMAXSD / VPMINSD.
 */
typedef int64_t kml_v4di __attribute__((vector_size(32)));
#define kml_simd_hadd_i32x8(a, b)                                              \
	((kml_v8si)__builtin_ia32_phaddd256((kml_v8sg)(a), (kml_v8sg)(b)))
#define kml_simd_mul_even_i32x8(a, b)                                          \
	((kml_v4di)__builtin_ia32_pmuldq256((kml_v8sg)(a), (kml_v8sg)(b)))
/* VMOVMSKPS: the sign bits of 8 int32 lanes as a bit mask */
#define kml_simd_signs_i32x8(a) __builtin_ia32_movmskps256((kml_v8sf)(a))
#ifdef __clang__
#define kml_simd_max_i32x8(a, b) __builtin_elementwise_max((a), (b))
#define kml_simd_min_i32x8(a, b) __builtin_elementwise_min((a), (b))
#else
#define kml_simd_max_i32x8(a, b)                                               \
	((kml_v8si)__builtin_ia32_pmaxsd256((kml_v8sg)(a), (kml_v8sg)(b)))
#define kml_simd_min_i32x8(a, b)                                               \
	((kml_v8si)__builtin_ia32_pminsd256((kml_v8sg)(a), (kml_v8sg)(b)))
#endif
#else
#define kml_cpu_has_avx() 0
#define kml_cpu_has_avx512() 0
#define kml_cpu_has_avx512_vnni() 0
#define KML_TARGET_AVX
#define KML_TARGET_AVX512
#define KML_TARGET_AVX512_VNNI
#define kml_cpu_has_avx2() 0
#define kml_cpu_has_avx512_bw() 0
#define KML_TARGET_AVX2
#define KML_TARGET_AVX512_BW
#endif

#ifdef KML_SIMD_NO_WIDE
/* the types above stay: SSE2-guarded int8 code for VNNI and AVX2 still
 * compiles, and is dropped as dead since the kml_cpu_has_*() are 0 */
#undef KML_SIMD_WIDE
#endif

#ifdef KML_SIMD_SSE2
/* 16-byte integer vectors and the SSE2 operations C cannot spell. */
typedef int8_t kml_v16qi __attribute__((vector_size(16)));
typedef int16_t kml_v8hi __attribute__((vector_size(16)));
typedef int32_t kml_v4si __attribute__((vector_size(16)));
typedef uint64_t kml_v2du __attribute__((vector_size(16)));

/* PMULUDQ: unsigned 64-bit products of the even 32-bit lanes. */
static inline kml_v2du kml_simd_mul_even_u32(kml_v4si a, kml_v4si b)
{
	return (kml_v2du)__builtin_ia32_pmuludq128(a, b);
}

/* PMADDWD: int16 products, adjacent pairs summed into int32 (exact). */
static inline kml_v4si kml_simd_madd_i16(kml_v8hi a, kml_v8hi b)
{
	return __builtin_ia32_pmaddwd128(a, b);
}

/* PSADBW: per 8-byte half, the sum of |a - b| as unsigned bytes. */
static inline kml_v2du kml_simd_sad_u8(kml_v16qi a, kml_v16qi b)
{
	typedef char v16c __attribute__((vector_size(16))); /* GCC's type */

	return (kml_v2du)__builtin_ia32_psadbw128((v16c)a, (v16c)b);
}

/* PACKSSDW / PACKSSWB: saturating narrowings, a's lanes first. */
static inline kml_v8hi kml_simd_packs_i32(kml_v4si a, kml_v4si b)
{
	return __builtin_ia32_packssdw128(a, b);
}

static inline kml_v16qi kml_simd_packs_i16(kml_v8hi a, kml_v8hi b)
{
	return (kml_v16qi)__builtin_ia32_packsswb128(a, b);
}
#endif /* KML_SIMD_SSE2 */

#endif /* KMLIB_KML_SIMD_H */

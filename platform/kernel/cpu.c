// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * cpu.c - the CPU feature tests behind kml_simd.h's run-time choice of
 * vector width, out of line so that <asm/cpufeature.h> (and the kernel
 * names it drags in) stays out of src/. boot_cpu_has() bits are cleared by
 * the kernel for state it does not save, so "has" also means "usable
 * between kernel_fpu_begin() and kernel_fpu_end()".
 */
#include <asm/cpufeature.h>
#include "kmlib/kml_deps.h"

bool kml_plat_cpu_has_avx(void)
{
	return boot_cpu_has(X86_FEATURE_AVX);
}

bool kml_plat_cpu_has_avx512(void)
{
	return boot_cpu_has(X86_FEATURE_AVX512F);
}

bool kml_plat_cpu_has_avx512_vnni(void)
{
	return boot_cpu_has(X86_FEATURE_AVX512F) &&
	       boot_cpu_has(X86_FEATURE_AVX512BW) &&
	       boot_cpu_has(X86_FEATURE_AVX512DQ) &&
	       boot_cpu_has(X86_FEATURE_AVX512_VNNI);
}

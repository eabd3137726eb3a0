// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/* prng_float.c - float draws (FPU object: call inside kml_fpu_begin/end). */
#include "kmlib/prng.h"

float kml_prng_float(struct kml_prng *r)
{
	/* 24 random bits scaled by 2^-24: exact, identical on every target */
	return (float)(kml_prng_u32(r) >> 8) * 0x1p-24f;
}

double kml_prng_double(struct kml_prng *r)
{
	return (double)(kml_prng_u64(r) >> 11) * 0x1p-53;
}

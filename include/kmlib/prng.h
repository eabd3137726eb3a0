/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * prng.h - a deterministic, seeded pseudo-random generator (xoshiro256**,
 * seeded through splitmix64). It lives in src/, not the platform, so that
 * user space and the kernel draw exactly the same numbers. There is no
 * global state: each user owns a struct kml_prng.
 */
#ifndef KMLIB_PRNG_H
#define KMLIB_PRNG_H

#include "kml_deps.h"

struct kml_prng {
	uint64_t s[4];
};

void kml_prng_seed(struct kml_prng *r, uint64_t seed);
uint64_t kml_prng_u64(struct kml_prng *r);
uint32_t kml_prng_u32(struct kml_prng *r);
/* Uniform integer in [0, n) without modulo bias; 0 when n == 0. */
uint32_t kml_prng_below(struct kml_prng *r, uint32_t n);

/* FPU: uniform in [0, 1) with 24 (float) or 53 (double) random bits. */
float kml_prng_float(struct kml_prng *r);
double kml_prng_double(struct kml_prng *r);

#endif /* KMLIB_PRNG_H */

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * prng.c - integer part of the deterministic generator (no FPU).
 * xoshiro256** (Blackman and Vigna), state filled by splitmix64 so any
 * 64-bit seed, zero included, gives a valid non-zero state.
 */
#include "kmlib/prng.h"

static uint64_t splitmix64_next(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline uint64_t rotl64(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void kml_prng_seed(struct kml_prng *r, uint64_t seed)
{
	int i;

	if (!r)
		return;
	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64_next(&seed);
}

uint64_t kml_prng_u64(struct kml_prng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl64(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl64(s[3], 45);
	return out;
}

uint32_t kml_prng_u32(struct kml_prng *r)
{
	return (uint32_t)(kml_prng_u64(r) >> 32);
}

uint32_t kml_prng_below(struct kml_prng *r, uint32_t n)
{
	/* Lemire's multiply-and-reject: unbiased, one multiply usually */
	uint64_t m;
	uint32_t low, threshold;

	if (n == 0)
		return 0;
	m = (uint64_t)kml_prng_u32(r) * n;
	low = (uint32_t)m;
	if (low < n) {
		threshold = (uint32_t)(-n) % n;
		while (low < threshold) {
			m = (uint64_t)kml_prng_u32(r) * n;
			low = (uint32_t)m;
		}
	}
	return (uint32_t)(m >> 32);
}

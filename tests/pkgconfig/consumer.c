// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * consumer.c - a program outside the tree, built only with
 * `pkg-config --cflags --libs kmlib` against the installed library.
 * Exits non-zero unless the library answers as documented.
 */
#include <stdio.h>
#include <kmlib/platform.h>
#include <kmlib/prng.h>
#include <kmlib/status.h>

int main(void)
{
	struct kml_mem mem;
	struct kml_prng rng;
	void *p;
	int ok = 1;

	kml_mem_init(&mem, "consumer", 4096);
	ok &= kml_alloc(&mem, 1000, KML_MEM_SLEEP, &p) == KML_OK;
	ok &= kml_alloc(&mem, 8192, KML_MEM_SLEEP, &(void *){ NULL }) ==
	      KML_ENOMEM;
	kml_free(&mem, p);
	ok &= kml_mem_current(&mem) == 0;
	kml_prng_seed(&rng, 42);
	/* first xoshiro256** draw for seed 42 (see tests/cases/prng_cases.c) */
	ok &= kml_prng_u64(&rng) == 0x15780b2e0c2ec716ull;
	printf("kmlib consumer: %s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}

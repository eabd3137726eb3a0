// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_isa_check.c - every path of kml_qnn_run() (portable, SSE2, AVX2,
 * AVX-512BW, forced through kml_qnn_run_isa()) gives the same bytes on
 * random networks with odd widths (1 .. 129), batches, extreme zero
 * points and weights, shared and per-channel shifts; a path the CPU lacks
 * must answer KML_ENOSYS (then it is skipped). Every fourth trial also
 * has channels whose bias + sum saturates int32, per-channel shifts over
 * all of -31..30, and (every eighth) a few channels kml_qnn_check() would
 * refuse, which each path must still treat alike (the scalar stage).
 */
#include <stdio.h>
#include <string.h>
#include "kmlib/qnn.h"
#include "kmlib/prng.h"
#include "../../src/qnn/qnn_isa.h"

static const uint32_t widths[] = { 1, 3, 15, 17, 63, 65, 129, 16, 64, 128 };
#define NW (sizeof(widths) / sizeof(widths[0]))

/*
 * Layer @l: a quarter of the channels with a bias at an int32 limit and
 * a scale (mult ~2^30, shift -24..-27) that maps the saturated sum to a
 * visible int8 (wrapping would flip its sign); the rest with any shift
 * in -31..30; if @bad, one channel in 16 with a negative mult or a shift
 * outside that range.
 */
static void harden(struct kml_qnn *q, uint32_t l, struct kml_prng *r, bool bad)
{
	struct kml_qnn_layer *ly;
	uint32_t o;

	kml_qnn_layer(q, l, &ly);
	for (o = 0; o < ly->out; o++) {
		if (kml_prng_below(r, 4) == 0) {
			int32_t d = (int32_t)kml_prng_below(r, 1 << 22);

			ly->bias[o] = kml_prng_below(r, 2) ? INT32_MAX - d
							   : INT32_MIN + d;
			ly->mult[o] = (int32_t)(kml_prng_u32(r) >> 2) | 1 << 30;
			ly->shift[o] = -24 - (int32_t)kml_prng_below(r, 4);
		} else {
			ly->shift[o] = (int32_t)kml_prng_below(r, 62) - 31;
		}
		if (bad && kml_prng_below(r, 16) == 0) {
			if (kml_prng_below(r, 2))
				ly->mult[o] = -1 - ly->mult[o];
			else
				ly->shift[o] = kml_prng_below(r, 2) ? 31 : -32;
		}
	}
}

int main(void)
{
	static int8_t in[4 * 129], out[5][4 * 129];
	const int zps[] = { -128, 127, 0, -1 };
	struct kml_mem mem;
	struct kml_prng r;
	int trial, bad = 0, ran[5] = { 0 };

	kml_mem_init(&mem, "qnn_isa_check", 0);
	kml_prng_seed(&r, 42);
	for (trial = 0; trial < 300; trial++) {
		uint32_t sizes[4], nl = 1 + kml_prng_below(&r, 3), l, i, o;
		size_t batch = 1 + kml_prng_below(&r, 4), nout;
		struct kml_qnn *q;
		int isa, err, zp;

		for (l = 0; l <= nl; l++)
			sizes[l] = widths[kml_prng_below(&r, NW)];
		if (kml_qnn_create(&q, &mem, sizes, nl, 4))
			return 1;
		zp = zps[kml_prng_below(&r, 4)];
		for (l = 0; l < nl; l++) {
			struct kml_qnn_layer *ly;
			bool shared = kml_prng_below(&r, 2);
			int32_t s0 = -(int32_t)kml_prng_below(&r, 12);

			kml_qnn_layer(q, l, &ly);
			ly->in_zp = zp;
			zp = zps[kml_prng_below(&r, 4)];
			ly->out_zp = zp;
			/* odd trials: small weights and scales 2^-5..2^-9,
			 * so outputs rarely clamp and a sum off by one shows */
			/* clang-format off */
			for (i = 0; i < ly->in * ly->out; i++)
				ly->weight[i] = trial & 1 ?
					(int8_t)((int)kml_prng_below(&r, 7) - 3) :
					trial % 7 == 0 ?
					(int8_t)(kml_prng_below(&r, 2) ? -128 : 127) :
					(int8_t)kml_prng_u32(&r);
			/* clang-format on */
			for (o = 0; o < ly->out; o++) {
				ly->bias[o] = (int32_t)kml_prng_u32(&r) >> 12;
				ly->mult[o] = (int32_t)(kml_prng_u32(&r) >> 1);
				ly->shift[o] =
				    shared
					? s0 - 6
					: (int32_t)kml_prng_below(&r, 20) - 16;
				if (trial & 1) {
					ly->bias[o] >>= 8;
					ly->mult[o] |= 1 << 30;
					ly->shift[o] =
					    -4 - (int32_t)kml_prng_below(&r, 5);
				}
			}
		}
		if (trial % 4 == 2)
			for (l = 0; l < nl; l++)
				harden(q, l, &r, trial % 8 == 6);
		if (trial % 8 != 6 && kml_qnn_check(q))
			return 1;
		for (i = 0; i < batch * sizes[0]; i++)
			in[i] = trial % 5 == 0 ? (int8_t)(i & 1 ? 127 : -128)
					       : (int8_t)kml_prng_u32(&r);
		nout = batch * sizes[nl];
		for (isa = KML_QNN_ISA_PORTABLE; isa <= KML_QNN_ISA_AVX512;
		     isa++) {
			memset(out[isa - 1], 0x55, nout);
			err = kml_qnn_run_isa(q, in, batch, out[isa - 1], isa);
			if (err == KML_ENOSYS && isa > KML_QNN_ISA_SSE2)
				memcpy(out[isa - 1], out[0], nout);
			else if (err)
				return printf("FAIL isa %d: %d\n", isa, err), 1;
			else
				ran[isa - 1]++;
			if (memcmp(out[isa - 1], out[0], nout)) {
				printf(
				    "FAIL trial %d isa %d differs (%u-%u-%u-%u, %u layers)\n",
				    trial, isa, sizes[0], sizes[1], sizes[2],
				    sizes[3], nl);
				bad++;
			}
		}
		kml_qnn_destroy(q);
	}
	printf("paths run: portable %d sse2 %d avx2 %d avx512 %d\n", ran[0],
	       ran[1], ran[2], ran[3]);
	if (kml_qnn_run_isa(NULL, in, 1, out[0], 1) != KML_EINVAL)
		bad++;
	printf("%d passed, %d failed\n", bad ? 0 : 1, bad ? 1 : 0);
	return bad != 0;
}

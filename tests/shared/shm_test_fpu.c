// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * shm_test_fpu.c - float side of the shared-mode test module (compiled
 * with SSE, called only inside an FPU section): sample generation for a
 * known linear function and the prediction error of published weights.
 */
#include "shm_test.h"

/* y = sum_i w_i x_i + b with w_i = 0.25 * ((i * 7) % 9) - 1, b = 0.3 */
static float true_w(u32 i)
{
	return 0.25f * (float)((i * 7u) % 9u) - 1.0f;
}

#define TRUE_B 0.3f

static float next_feature(u32 *rng)
{
	*rng = *rng * 1664525u + 1013904223u;
	return (float)((*rng >> 8) & 0xffffu) / 32768.0f - 1.0f;
}

void shm_gen_records(u32 *rng, void *recs, u32 n, u32 n_feat)
{
	float *r = recs;
	u32 k, i;

	for (k = 0; k < n; k++, r += n_feat + 1) {
		float y = TRUE_B;

		for (i = 0; i < n_feat; i++) {
			r[i] = next_feature(rng);
			y += true_w(i) * r[i];
		}
		r[n_feat] = y;
	}
}

u32 shm_eval_err_ppm(const void *params, u32 n_feat)
{
	const float *p = params;
	u32 rng = 12345u, k, i;
	float sum = 0.0f;

	for (k = 0; k < 64; k++) {
		float y = TRUE_B, pred = p[n_feat], d;

		for (i = 0; i < n_feat; i++) {
			float x = next_feature(&rng);

			y += true_w(i) * x;
			pred += p[i] * x;
		}
		d = pred - y;
		sum += d < 0 ? -d : d;
	}
	sum = sum / 64.0f * 1e6f;
	/* NaN fails the comparison: report the worst error */
	return sum < 4e9f ? (u32)sum : 0xffffffffu;
}

/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * shm_test.h - the shared-mode test module: the float side (shm_test_fpu.c,
 * FPU-compiled, called only inside kml_fpu_begin/end) seen from the
 * nofpu side (shm_test_main.c) through integers and pointers only.
 */
#ifndef KMLIB_SHM_TEST_H
#define KMLIB_SHM_TEST_H

#include <linux/types.h>

/* "lin": 4 features, 1 target; parameters W (1 x 4) then b, float32 */
#define SHM_LIN_FEATURES 4u
#define SHM_LIN_PARAMS (SHM_LIN_FEATURES + 1u)
/* "flood": 15 features, 1 target: 64-byte records */
#define SHM_FLOOD_FEATURES 15u
#define SHM_FLOOD_PARAMS (SHM_FLOOD_FEATURES + 1u)

/*
 * Fill @n records of @n_feat float32 features in [-1, 1) from the LCG
 * state *@rng and the target of the test's known linear function.
 */
void shm_gen_records(u32 *rng, void *recs, u32 n, u32 n_feat);
/*
 * Mean absolute error, in millionths, of the model @params (n_feat
 * weights then the bias) against the known function on fixed points.
 */
u32 shm_eval_err_ppm(const void *params, u32 n_feat);

#endif /* KMLIB_SHM_TEST_H */

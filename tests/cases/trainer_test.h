/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * trainer_test.h - helpers of the trainer cases. The cases themselves
 * (trainer_cases.c) hold no float code; whatever computes with floats is
 * in trainer_test_fpu.c and runs between kml_fpu_begin and kml_fpu_end.
 *
 * The task: learn y = 2 x0 - 3 x1 + 0.5 online from x uniform in
 * [-1, 1)^2, records of three floats (x0, x1, y).
 */
#ifndef KMLIB_TESTS_TRAINER_TEST_H
#define KMLIB_TESTS_TRAINER_TEST_H

#include "../ktest.h"
#include "kmlib/trainer.h"
#include "kmlib/prng.h"

#define TT_RECORD_BYTES 12

/* FPU: the test configuration (SGD lr 0.1, batch 4, gate on y >= 0.5). */
void tt_defaults(struct kml_trainer_cfg *cfg, struct kml_optim_cfg *opt);
/* FPU: @n records from @r into @recs. */
void tt_make_records(struct kml_prng *r, void *recs, uint32_t n);
/*
 * FPU: predict 8 fixed points with reader @reader; *@err_ppm gets the
 * largest absolute error in millionths, *@bits the predictions' bits.
 */
int tt_check(struct kml_trainer *tr, uint32_t reader, uint32_t *err_ppm,
	     uint32_t bits[8], uint64_t *version);
/* FPU: the same error for 8 answered requests' outputs (points 0..7). */
uint32_t tt_result_err_ppm(const struct kml_trainer_result *res,
			   uint32_t point);
/* FPU: the features of fixed point @i (two floats). */
void tt_point(uint32_t i, void *features);

/*
 * Classification: label 1 iff x0 + x1 > 0.25, records of two floats and
 * an int32 label (12 bytes too).
 */
void tt_make_class_records(struct kml_prng *r, void *recs, uint32_t n);
/* FPU: how many of the 8 fixed points reader 0 classifies right (-1 on
 * error). */
int tt_class_correct(struct kml_trainer *tr);

#endif /* KMLIB_TESTS_TRAINER_TEST_H */

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The module's float training code, sched/mq-kmlib/mqk_model.c, compiled
 * as it is for kmlib-trainer --format mqk (its mqk.h include is replaced
 * by mqk_kernel_model.h): the same normalised LMS, running feature
 * statistics and Q16.16 export as the in-kernel training thread.
 */
#include "mqk_kernel_model.h"
#include "mqk_model.c"

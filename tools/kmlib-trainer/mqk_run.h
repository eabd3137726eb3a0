/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * mqk_run.h - the loop of kmlib-trainer --format mqk on an mq-kmlib
 * channel ("mq-kmlib-<disk>", sysfs train_mode = shared).
 */
#ifndef KMLIB_TRAINER_MQK_RUN_H
#define KMLIB_TRAINER_MQK_RUN_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include "kmlib/shared_user.h"

struct mqk_run_opts {
	const char *chan;
	uint32_t interval_ms, duration_s;
	bool quiet, progress;
	/* tests: publish the negated weights (predictions turned around) */
	bool invert;
};

/*
 * Train on the channel's struct mqk_sample records until *@stop, the
 * duration, or the channel's end (then 0); publish the Q16.16 weights
 * every interval. Prints a summary line "mqk: samples N steps S version V
 * own_acc_ppm A kernel_predicted P kernel_acc_ppm K kernel_majority_ppm M
 * dropped D" (kernel_*: the module's own predictions, recorded in the
 * samples).
 */
int mqk_run(struct kml_shu *s, const struct mqk_run_opts *o,
	    volatile sig_atomic_t *stop);

#endif /* KMLIB_TRAINER_MQK_RUN_H */

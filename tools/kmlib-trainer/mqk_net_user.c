// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * The module's network building, sched/mq-kmlib/mqk_net.c, compiled as
 * it is for kmlib-trainer --format mqk (mqk_kernel_model.h stands in for
 * mqk.h, as in mqk_model_user.c).
 */
#include "mqk_kernel_model.h"
#include "mqk_net.c"

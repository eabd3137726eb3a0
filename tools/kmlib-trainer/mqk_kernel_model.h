/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * mqk_kernel_model.h - mq-kmlib's own model code (sched/mq-kmlib/
 * mqk_model.h and mqk_model.c, built into kmlib-trainer by
 * mqk_model_user.c) in user space. Those files take their constants from
 * mqk.h, which needs Linux's block headers: this header stands in for it
 * with the values of mqk_shared_abi.h, which mqk_shared.c checks against
 * mqk.h at the module's build time (BUILD_BUG_ON), so the two builds
 * cannot drift apart silently.
 */
#ifndef KMLIB_TRAINER_MQK_KERNEL_MODEL_H
#define KMLIB_TRAINER_MQK_KERNEL_MODEL_H

#include "mqk_shared_abi.h"

#define MQK_H /* mqk.h is not included: the definitions below replace it */
enum mqk_model_kind { MQK_MODEL_LINEAR = 0, MQK_MODEL_MLP = 1, MQK_NR_MODELS };
#define MQK_NW MQK_SHARED_NW
#define MQK_BATCH MQK_SHARED_BATCH
#define MQK_HIDDEN MQK_SHARED_HIDDEN
#define MQK_MLP_NW MQK_SHARED_MLP_NW

#include "mqk_model.h"

#endif /* KMLIB_TRAINER_MQK_KERNEL_MODEL_H */

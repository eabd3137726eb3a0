/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * mqk_shared_abi.h - what mq-kmlib's shared-mode channel carries, for the
 * module and for kmlib-trainer --format mqk (target-neutral: kmlib headers
 * only). Records are struct mqk_sample; parameters are int32 Q16.16, the
 * MQK_NFEAT weights then the bias, as the in-kernel training publishes.
 * The module checks at build time that these equal its own MQK_NW,
 * MQK_BATCH, ... (mqk_shared.c).
 */
#ifndef MQK_SHARED_ABI_H
#define MQK_SHARED_ABI_H

#include "mqk_sample.h"

#define MQK_SHARED_NW (MQK_NFEAT + 1) /* parameters: int32 Q16.16 */
#define MQK_SHARED_BATCH 8 /* samples per training step, as in the kernel */
/* the constants of mqk.h that mqk_model.c uses, for its user-space build */
#define MQK_SHARED_HIDDEN 16
#define MQK_SHARED_MLP_NW                                                      \
	(MQK_NFEAT * MQK_SHARED_HIDDEN + 2 * MQK_SHARED_HIDDEN + 1)
#define MQK_SHARED_CAPACITY 1024 /* records in the channel's ring */
#define MQK_SHARED_PREFIX "mq-kmlib-" /* channel name: prefix + disk name */

/* the channel's meta words */
#define MQK_SHARED_META_FEATURES 0 /* MQK_NFEAT */
#define MQK_SHARED_META_TARGETS 1 /* 1 */
#define MQK_SHARED_META_FORMAT 2 /* MQK_SHARED_FORMAT */
#define MQK_SHARED_FORMAT 1 /* struct mqk_sample of trace format v1 */

#endif /* MQK_SHARED_ABI_H */

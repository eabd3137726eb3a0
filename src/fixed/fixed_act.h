/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/* fixed_act.h - the activation tables shared by activation.c (private). */
#ifndef KMLIB_FIXED_ACT_H
#define KMLIB_FIXED_ACT_H

#include "kmlib/kml_deps.h"

#define KML_ACT_TABLE_N 512 /* intervals over [0, 8]: step 1/64 */

extern const uint16_t kml_sigmoid_q15_table[KML_ACT_TABLE_N + 1];
extern const uint16_t kml_tanh_q15_table[KML_ACT_TABLE_N + 1];

#endif /* KMLIB_FIXED_ACT_H */

/* SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause */
/*
 * trace_read.h - reading an mq-kmlib trace (text format v1, see
 * sched/mq-kmlib/mqk_sample.h and docs/sched.md "Trace") into samples.
 *
 * The input is untrusted: every malformed line is an error naming its
 * line number, never a crash; lines, columns and samples are capped.
 */
#ifndef MQK_TRACE_READ_H
#define MQK_TRACE_READ_H

#include <stdio.h>
#include "mqk_sample.h"

#define MQK_TRACE_MAX_LINE 4096 /* bytes, newline excluded */
#define MQK_TRACE_MAX_COLUMNS 64
#define MQK_TRACE_MAX_SAMPLES (1u << 22)

struct mqk_trace {
	struct mqk_sample *s;
	size_t n;
	size_t cap;
	bool has_predicted; /* the trace has a predicted_us column */
	bool has_flags; /* and a flags column (MQK_SF_*) */
};

struct mqk_trace_err {
	unsigned long line; /* 1-based; 0 if not about a line */
	char msg[160];
};

/*
 * Read a whole trace from @f into @t (zeroed by the caller or fresh).
 * Returns 0, or a negative kml_status with @err filled: KML_EBADMSG for
 * malformed input, KML_ENOMEM, KML_ERANGE (too many samples), KML_EIO.
 * On error @t is freed.
 */
int mqk_trace_read(FILE *f, struct mqk_trace *t, struct mqk_trace_err *err);
void mqk_trace_free(struct mqk_trace *t);

#endif /* MQK_TRACE_READ_H */

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * trace_read.c - a strict reader of mq-kmlib's text trace v1: the version
 * line, a "# columns:" line, then one line of decimal integers per sample,
 * single spaces between them. Columns are found by name; unknown ones must
 * still hold integers and are ignored. Any other "#" line is a comment.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "kmlib/status.h"
#include "trace_read.h"

#define MQK_TRACE_MAGIC "# mq-kmlib trace v1"
#define MQK_TRACE_MAGIC_PREFIX "# mq-kmlib trace v"
#define MQK_TRACE_COLUMNS "# columns:"

enum col_kind { COL_U64, COL_U32, COL_I32 };

struct col_def {
	const char *name;
	size_t offset;
	enum col_kind kind;
	bool required;
};

/* clang-format off */
#define COL(f, k, r) { #f, offsetof(struct mqk_sample, f), k, r }
/* clang-format on */

static const struct col_def col_defs[] = {
	COL(sector, COL_U64, true),
	COL(capacity, COL_U64, true),
	COL(op, COL_U32, true),
	COL(sectors, COL_U32, true),
	COL(queued_same, COL_U32, true),
	COL(queued_other, COL_U32, true),
	COL(inflight, COL_U32, true),
	COL(recent_wait_us, COL_U32, true),
	COL(since_last_us, COL_U32, true),
	COL(deadline_us, COL_U32, true),
	COL(predicted_us, COL_I32, false),
	COL(slack_us, COL_I32, true),
	COL(flags, COL_U32, false),
	COL(wait_us, COL_U32, false),
};

#define N_DEFS (sizeof(col_defs) / sizeof(col_defs[0]))

struct reader {
	FILE *f;
	struct mqk_trace_err *err;
	unsigned long line_no;
	bool have_magic;
	unsigned int n_cols; /* 0 until the columns line */
	int col_map[MQK_TRACE_MAX_COLUMNS]; /* index into col_defs or -1 */
	char *columns; /* the columns line, to recognise a repeated header */
	char line[MQK_TRACE_MAX_LINE + 1];
	size_t len;
};

static int fail(struct reader *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct reader *r, int status, const char *fmt, ...)
{
	va_list ap;

	r->err->line = r->line_no;
	va_start(ap, fmt);
	vsnprintf(r->err->msg, sizeof(r->err->msg), fmt, ap);
	va_end(ap);
	return status;
}

/* 1: a line in r->line, 0: end of file, < 0: error */
static int read_line(struct reader *r)
{
	int c;

	r->len = 0;
	c = getc(r->f);
	if (c == EOF)
		return ferror(r->f) ? fail(r, KML_EIO, "read error") : 0;
	r->line_no++;
	for (; c != EOF && c != '\n'; c = getc(r->f)) {
		if (c == '\0')
			return fail(r, KML_EBADMSG, "NUL byte");
		if (r->len == MQK_TRACE_MAX_LINE)
			return fail(r, KML_EBADMSG, "line longer than %d bytes",
				    MQK_TRACE_MAX_LINE);
		r->line[r->len++] = (char)c;
	}
	if (c == EOF && ferror(r->f))
		return fail(r, KML_EIO, "read error");
	r->line[r->len] = '\0';
	return 1;
}

/* Parse [-]digits at *p up to a space or the end; *neg, *mag receive it. */
static bool parse_int(const char **p, bool *neg, uint64_t *mag)
{
	const char *s = *p;
	uint64_t v = 0;
	int digits = 0;

	*neg = *s == '-';
	if (*neg)
		s++;
	for (; *s >= '0' && *s <= '9'; s++, digits++) {
		uint64_t d = (uint64_t)(*s - '0');

		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (!digits || (*s != ' ' && *s != '\0'))
		return false;
	*mag = v;
	*p = s;
	return true;
}

static bool store(struct mqk_sample *s, const struct col_def *d, bool neg,
		  uint64_t mag)
{
	char *field = (char *)s + d->offset;

	switch (d->kind) {
	case COL_U64:
		if (neg && mag)
			return false;
		*(uint64_t *)field = mag;
		return true;
	case COL_U32:
		if ((neg && mag) || mag > UINT32_MAX)
			return false;
		*(uint32_t *)field = (uint32_t)mag;
		return true;
	case COL_I32:
		if (mag > (neg ? (uint64_t)INT32_MAX + 1 : (uint64_t)INT32_MAX))
			return false;
		*(int32_t *)field = neg ? (int32_t)(0 - mag) : (int32_t)mag;
		return true;
	}
	return false;
}

static int parse_columns(struct reader *r)
{
	bool seen[N_DEFS] = { false };
	char *p = r->line + strlen(MQK_TRACE_COLUMNS);
	unsigned int i;

	if (*p != ' ' || p[1] == '\0')
		return fail(r, KML_EBADMSG, "no column names");
	while (*p == ' ') {
		char *name = ++p;
		size_t len;
		int idx = -1;

		while (*p && *p != ' ')
			p++;
		len = (size_t)(p - name);
		if (!len)
			return fail(r, KML_EBADMSG, "empty column name");
		if (r->n_cols == MQK_TRACE_MAX_COLUMNS)
			return fail(r, KML_EBADMSG, "more than %d columns",
				    MQK_TRACE_MAX_COLUMNS);
		for (i = 0; i < N_DEFS; i++) {
			if (strlen(col_defs[i].name) == len &&
			    !memcmp(col_defs[i].name, name, len))
				idx = (int)i;
		}
		if (idx >= 0) {
			if (seen[idx])
				return fail(r, KML_EBADMSG,
					    "column %s named twice",
					    col_defs[idx].name);
			seen[idx] = true;
		}
		r->col_map[r->n_cols++] = idx;
	}
	for (i = 0; i < N_DEFS; i++) {
		if (col_defs[i].required && !seen[i])
			return fail(r, KML_EBADMSG, "no column %s",
				    col_defs[i].name);
	}
	return 0;
}

static int parse_sample(struct reader *r, struct mqk_sample *s)
{
	const char *p = r->line;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < r->n_cols; i++) {
		const struct col_def *d;
		uint64_t mag;
		bool neg;

		if (i && *p++ != ' ')
			return fail(r, KML_EBADMSG,
				    "%u fields, the columns line names %u", i,
				    r->n_cols);
		if (!parse_int(&p, &neg, &mag))
			return fail(r, KML_EBADMSG,
				    "field %u is not a decimal integer", i + 1);
		if (r->col_map[i] < 0)
			continue;
		d = &col_defs[r->col_map[i]];
		if (!store(s, d, neg, mag))
			return fail(r, KML_EBADMSG, "%s out of range", d->name);
	}
	if (*p != '\0')
		return fail(r, KML_EBADMSG, "more fields than the %u columns",
			    r->n_cols);
	if (s->op != MQK_OP_READ && s->op != MQK_OP_WRITE)
		return fail(r, KML_EBADMSG, "op %u is neither 0 nor 1", s->op);
	return 0;
}

static int push(struct reader *r, struct mqk_trace *t,
		const struct mqk_sample *s)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		void *p;

		if (cap > MQK_TRACE_MAX_SAMPLES)
			cap = MQK_TRACE_MAX_SAMPLES;
		if (t->n == cap)
			return fail(r, KML_ERANGE, "more than %u samples",
				    MQK_TRACE_MAX_SAMPLES);
		p = realloc(t->s, cap * sizeof(*t->s));
		if (!p)
			return fail(r, KML_ENOMEM, "out of memory");
		t->s = p;
		t->cap = cap;
	}
	t->s[t->n++] = *s;
	return 0;
}

static int read_lines(struct reader *r, struct mqk_trace *t)
{
	struct mqk_sample s;
	int ret;

	while ((ret = read_line(r)) > 0) {
		if (!r->have_magic) {
			if (!strncmp(r->line, MQK_TRACE_MAGIC_PREFIX,
				     strlen(MQK_TRACE_MAGIC_PREFIX)) &&
			    strcmp(r->line, MQK_TRACE_MAGIC))
				return fail(r, KML_EBADMSG,
					    "unsupported trace version");
			if (strcmp(r->line, MQK_TRACE_MAGIC))
				return fail(r, KML_EBADMSG,
					    "not an mq-kmlib trace (first line "
					    "must be \"" MQK_TRACE_MAGIC "\")");
			r->have_magic = true;
		} else if (!strncmp(r->line, MQK_TRACE_COLUMNS,
				    strlen(MQK_TRACE_COLUMNS))) {
			/* concatenated reads of the debugfs file repeat
			 * the header: the same columns are fine */
			if (r->n_cols && strcmp(r->line, r->columns))
				return fail(r, KML_EBADMSG,
					    "columns line differs from the "
					    "first one");
			if (r->n_cols)
				continue;
			r->columns = strdup(r->line);
			if (!r->columns)
				return fail(r, KML_ENOMEM, "out of memory");
			ret = parse_columns(r);
			if (ret)
				return ret;
		} else if (r->line[0] == '#') {
			continue; /* comment */
		} else if (!r->n_cols) {
			return fail(r, KML_EBADMSG,
				    "sample before the columns line");
		} else {
			ret = parse_sample(r, &s);
			ret = ret ?: push(r, t, &s);
			if (ret)
				return ret;
		}
	}
	if (ret)
		return ret;
	if (!r->have_magic)
		return fail(r, KML_EBADMSG, "empty file");
	if (!r->n_cols)
		return fail(r, KML_EBADMSG, "no columns line");
	return 0;
}

int mqk_trace_read(FILE *f, struct mqk_trace *t, struct mqk_trace_err *err)
{
	struct reader *r;
	unsigned int i;
	int ret;

	if (!f || !t || !err)
		return KML_EINVAL;
	memset(t, 0, sizeof(*t));
	memset(err, 0, sizeof(*err));
	r = calloc(1, sizeof(*r));
	if (!r) {
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return KML_ENOMEM;
	}
	r->f = f;
	r->err = err;
	ret = read_lines(r, t);
	for (i = 0; !ret && i < r->n_cols; i++) {
		const char *name =
		    r->col_map[i] >= 0 ? col_defs[r->col_map[i]].name : "";

		if (!strcmp(name, "predicted_us"))
			t->has_predicted = true;
		if (!strcmp(name, "flags"))
			t->has_flags = true;
	}
	free(r->columns);
	free(r);
	if (ret)
		mqk_trace_free(t);
	return ret;
}

void mqk_trace_free(struct mqk_trace *t)
{
	if (!t)
		return;
	free(t->s);
	memset(t, 0, sizeof(*t));
}

// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * mqk_trace_parse.c - the mq-kmlib trace reader (tools/mqk-trace) on good
 * traces (columns in any order, unknown columns and comments ignored,
 * every field at its type's limits) and on malformed ones: each must fail
 * with KML_EBADMSG and the number of the offending line, and leave
 * nothing allocated. Random byte mutations of a good trace must never
 * crash (valgrind runs this too).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kmlib/status.h"
#include "trace_read.h"
#include "test_util.h"

#define MAGIC "# mq-kmlib trace v1\n"
#define COLS                                                                   \
	"# columns: sector capacity op sectors queued_same queued_other "      \
	"inflight recent_wait_us since_last_us deadline_us predicted_us "      \
	"slack_us\n"
#define ROW "8 100 0 8 1 2 3 4 5 500000 -7 -1000\n"

static int parse(const char *text, size_t len, struct mqk_trace *t,
		 struct mqk_trace_err *err)
{
	FILE *f = fmemopen((void *)text, len, "r");
	int ret;

	if (!f)
		return KML_EIO;
	ret = mqk_trace_read(f, t, err);
	fclose(f);
	return ret;
}

static int parse_str(const char *text, struct mqk_trace *t,
		     struct mqk_trace_err *err)
{
	return parse(text, strlen(text), t, err);
}

static void good_in_struct_order(void)
{
	struct mqk_trace_err err;
	struct mqk_trace t;
	const struct mqk_sample *s;

	CHECK(parse_str(MAGIC COLS ROW
			"18446744073709551615 18446744073709551615 1 "
			"4294967295 0 0 0 4294967295 0 1 2147483647 "
			"-2147483648",
			&t, &err) == 0);
	CHECK(t.n == 2 && t.has_predicted);
	if (t.n != 2)
		return;
	s = &t.s[0];
	CHECK(s->sector == 8 && s->capacity == 100 && s->op == MQK_OP_READ);
	CHECK(s->sectors == 8 && s->queued_same == 1 && s->queued_other == 2);
	CHECK(s->inflight == 3 && s->recent_wait_us == 4);
	CHECK(s->since_last_us == 5 && s->deadline_us == 500000);
	CHECK(s->predicted_us == -7 && s->slack_us == -1000);
	s = &t.s[1]; /* the last line has no newline */
	CHECK(s->sector == UINT64_MAX && s->capacity == UINT64_MAX);
	CHECK(s->op == MQK_OP_WRITE && s->sectors == UINT32_MAX);
	CHECK(s->recent_wait_us == UINT32_MAX && s->deadline_us == 1);
	CHECK(s->predicted_us == INT32_MAX && s->slack_us == INT32_MIN);
	mqk_trace_free(&t);
}

static void good_by_name(void)
{
	struct mqk_trace_err err;
	struct mqk_trace t;
	const struct mqk_sample *s;

	/* other order, an unknown column, no predicted_us, comments */
	CHECK(parse_str(MAGIC "# from a test\n"
			      "# columns: slack_us future_col deadline_us op "
			      "sector capacity sectors queued_same "
			      "queued_other inflight recent_wait_us "
			      "since_last_us\n"
			      "-5 -99 1000 1 10 20 30 40 50 60 70 80\n"
			      "# a comment between samples\n"
			      "0 7 2000 0 1 2 3 4 5 6 7 8\n",
			&t, &err) == 0);
	CHECK(t.n == 2 && !t.has_predicted);
	if (t.n != 2)
		return;
	s = &t.s[0];
	CHECK(s->slack_us == -5 && s->deadline_us == 1000 && s->op == 1);
	CHECK(s->sector == 10 && s->capacity == 20 && s->sectors == 30);
	CHECK(s->queued_same == 40 && s->queued_other == 50);
	CHECK(s->inflight == 60 && s->recent_wait_us == 70);
	CHECK(s->since_last_us == 80 && s->predicted_us == 0);
	CHECK(t.s[1].deadline_us == 2000 && t.s[1].since_last_us == 8);
	mqk_trace_free(&t);

	/* two reads of the debugfs file, concatenated; flags and wait_us */
	CHECK(
	    parse_str(MAGIC COLS ROW MAGIC COLS ROW MAGIC
		      "# columns: op slack_us sector capacity sectors "
		      "queued_same queued_other inflight recent_wait_us "
		      "since_last_us deadline_us predicted_us flags wait_us\n",
		      &t, &err) == KML_EBADMSG);
	CHECK(err.line == 8 && strstr(err.msg, "differs"));
	CHECK(parse_str(MAGIC "# columns: op slack_us sector capacity sectors "
			      "queued_same queued_other inflight "
			      "recent_wait_us since_last_us deadline_us "
			      "predicted_us flags wait_us\n"
			      "1 -3 4 5 6 7 8 9 10 11 12 13 3 15\n" MAGIC
			      "# columns: op slack_us sector capacity sectors "
			      "queued_same queued_other inflight "
			      "recent_wait_us since_last_us deadline_us "
			      "predicted_us flags wait_us\n"
			      "0 2 4 5 6 7 8 9 10 11 12 13 0 1\n",
			&t, &err) == 0);
	CHECK(t.n == 2 && t.has_predicted && t.has_flags);
	if (t.n == 2) {
		CHECK(t.s[0].flags == (MQK_SF_PREDICTED | MQK_SF_PRED_MISS));
		CHECK(t.s[0].wait_us == 15 && t.s[0].slack_us == -3);
		CHECK(t.s[1].flags == 0 && t.s[1].wait_us == 1);
	}
	mqk_trace_free(&t);

	/* a header and no samples is a valid, empty trace */
	CHECK(parse_str(MAGIC COLS, &t, &err) == 0 && t.n == 0);
	mqk_trace_free(&t);
}

struct bad_case {
	const char *text;
	unsigned long line;
	const char *msg; /* a part of the message */
};

static const struct bad_case bad_cases[] = {
	{ "", 0, "empty file" },
	{ "# mq-kmlib trace v2\n" COLS ROW, 1, "unsupported trace version" },
	{ "mq-kmlib trace v1\n", 1, "not an mq-kmlib trace" },
	{ "# mq-kmlib trace v1 \n", 1, "unsupported trace version" },
	{ MAGIC, 1, "no columns line" },
	{ MAGIC ROW, 2, "sample before the columns line" },
	{ MAGIC COLS ROW MAGIC "# columns: sector capacity\n", 5,
	  "differs from the first" },
	{ MAGIC "# columns:\n", 2, "no column names" },
	{ MAGIC "# columns: sector  op\n", 2, "empty column name" },
	{ MAGIC "# columns: sector op\n", 2, "no column capacity" },
	{ MAGIC "# columns: slack_us slack_us\n", 2, "named twice" },
	{ MAGIC COLS ROW "\n", 4, "not a decimal integer" },
	{ MAGIC COLS ROW "8 100 0 8 1 2 3 4 5 500000 -7\n", 4, "11 fields" },
	{ MAGIC COLS ROW ROW "8 100 0 8 1 2 3 4 5 500000 -7 -1 0\n", 5,
	  "more fields" },
	{ MAGIC COLS "8 100 0 8 1 2 3 4 5 500000 -7 -1000 \n", 3,
	  "more fields" },
	{ MAGIC COLS "8  100 0 8 1 2 3 4 5 500000 -7 -1000\n", 3,
	  "not a decimal integer" },
	{ MAGIC COLS " 8 100 0 8 1 2 3 4 5 500000 -7 -1000\n", 3,
	  "field 1 is not" },
	{ MAGIC COLS "8 100 0 8 1 2 3 4 5 500000 -7 -1000\r\n", 3,
	  "field 12 is not" },
	{ MAGIC COLS "8 100 0 8 1 2 3 4 5 5e5 -7 -1000\n", 3, "field 10" },
	{ MAGIC COLS "8 100 0 +8 1 2 3 4 5 500000 -7 -1000\n", 3, "field 4" },
	{ MAGIC COLS "8 100 0 8 1 2 3 4 5 500000 - -1000\n", 3, "field 11" },
	{ MAGIC COLS "-1 100 0 8 1 2 3 4 5 500000 -7 -1000\n", 3,
	  "sector out of range" },
	{ MAGIC COLS "18446744073709551616 1 0 8 1 2 3 4 5 1 -7 -1000\n", 3,
	  "field 1 is not" },
	{ MAGIC COLS "8 100 0 4294967296 1 2 3 4 5 500000 -7 -1000\n", 3,
	  "sectors out of range" },
	{ MAGIC COLS "8 100 0 8 1 2 3 4 5 500000 -7 2147483648\n", 3,
	  "slack_us out of range" },
	{ MAGIC COLS "8 100 0 8 1 2 3 4 5 500000 -2147483649 0\n", 3,
	  "predicted_us out of range" },
	{ MAGIC COLS "8 100 2 8 1 2 3 4 5 500000 -7 -1000\n", 3,
	  "op 2 is neither" },
};

static void bad_files(void)
{
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct mqk_trace_err err;
		struct mqk_trace t;
		int ret = parse_str(c->text, &t, &err);

		if (ret != KML_EBADMSG || err.line != c->line ||
		    !strstr(err.msg, c->msg)) {
			fprintf(stderr, "bad case %zu: ret %d line %lu: %s\n",
				i, ret, err.line, err.msg);
			test_failures++;
		}
		CHECK(t.s == NULL && t.n == 0);
	}
}

static void bad_bytes(void)
{
	static const char nul[] = MAGIC COLS "8 100 0 8 1\0 2 3\n";
	struct mqk_trace_err err;
	struct mqk_trace t;
	char *big;
	size_t n = sizeof(MAGIC COLS) - 1 + MQK_TRACE_MAX_LINE + 1;

	CHECK(parse(nul, sizeof(nul) - 1, &t, &err) == KML_EBADMSG);
	CHECK(err.line == 3 && strstr(err.msg, "NUL"));

	big = malloc(n);
	CHECK(big != NULL);
	if (!big)
		return;
	memcpy(big, MAGIC COLS, sizeof(MAGIC COLS) - 1);
	memset(big + sizeof(MAGIC COLS) - 1, '1', n - (sizeof(MAGIC COLS) - 1));
	CHECK(parse(big, n, &t, &err) == KML_EBADMSG);
	CHECK(err.line == 3 && strstr(err.msg, "longer than"));
	/* exactly the limit is one (bad) field, not an overlong line */
	CHECK(parse(big, n - 1, &t, &err) == KML_EBADMSG);
	CHECK(err.line == 3 && strstr(err.msg, "field 1 is not"));
	free(big);

	CHECK(mqk_trace_read(NULL, &t, &err) == KML_EINVAL);
}

/* Random single-byte changes: any result, but no crash and no leak. */
static void mutations(void)
{
	static const char good[] = MAGIC COLS ROW ROW ROW;
	char buf[sizeof(good)];
	uint64_t x = 0x9e3779b97f4a7c15ull;
	int i, ok = 0;

	for (i = 0; i < 3000; i++) {
		struct mqk_trace_err err;
		struct mqk_trace t;
		size_t pos;

		memcpy(buf, good, sizeof(good));
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		pos = (size_t)(x % (sizeof(good) - 1));
		buf[pos] = (char)(x >> 32);
		if (parse(buf, sizeof(good) - 1, &t, &err) == 0) {
			ok++;
			CHECK(t.n <= 3);
			mqk_trace_free(&t);
		} else {
			CHECK(t.s == NULL && err.msg[0] != '\0');
		}
	}
	/* some mutations keep a valid trace (a digit for a digit) */
	CHECK(ok > 0 && ok < 3000);
}

int main(void)
{
	good_in_struct_order();
	good_by_name();
	bad_files();
	bad_bytes();
	mutations();
	if (test_failures)
		fprintf(stderr, "%d failures\n", test_failures);
	else
		printf("mqk trace parser: all checks passed\n");
	return test_exit_status();
}

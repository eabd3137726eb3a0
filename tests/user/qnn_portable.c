// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * qnn_portable.c - the int8 MLP exactly as kmlib.ko builds it: meson
 * compiles src/qnn/qnn.c into this test with -mgeneral-regs-only (no SSE,
 * like the kernel's nofpu objects), so the portable dot products and
 * scalar output stage run instead of qnn_dot_sse2.h / qnn_rq4, and the
 * shared nofpu suites qnn and qnn_model (golden vectors from
 * tools/gen_qnn_vectors.py, round trips) must pass on them, with the
 * digests the SSE2 build gives (tests/user-digests.txt of the same build,
 * when given as the argument).
 */
#include <stdio.h>
#include <string.h>
#include "../ktest.h"

extern const struct kt_suite kt_suite_qnn;
extern const struct kt_suite kt_suite_qnn_model;

/* The digest of @name in the runner's "suite.case hex" file, or 0. */
static unsigned long long digest_of(FILE *f, const char *name)
{
	char line[256], n[200];
	unsigned long long d;

	if (!f)
		return 0;
	rewind(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%199s %llx", n, &d) == 2 && !strcmp(n, name))
			return d;
	return 0;
}

int main(int argc, char **argv)
{
	const struct kt_suite *suites[] = { &kt_suite_qnn,
					    &kt_suite_qnn_model };
	FILE *f = argc > 1 ? fopen(argv[1], "r") : NULL;
	int bad = 0, compared = 0;
	size_t s, c;

	for (s = 0; s < 2; s++) {
		for (c = 0; c < suites[s]->n_cases; c++) {
			struct kml_mem mem;
			struct kt_ctx t;
			char name[200];
			unsigned long long want;

			kml_mem_init(&mem, "qnn_portable", 0);
			kt_ctx_init(&t, suites[s]->cases[c].name, &mem);
			suites[s]->cases[c].run(&t);
			snprintf(name, sizeof(name), "%s.%s", suites[s]->name,
				 suites[s]->cases[c].name);
			want = digest_of(f, name);
			if (t.failed) {
				printf("FAIL %s: %s\n", name, t.msg);
				bad++;
			} else if (want && want != t.digest) {
				printf(
				    "FAIL %s: digest %016llx, SSE2 build %016llx\n",
				    name, (unsigned long long)t.digest, want);
				bad++;
			}
			compared += want != 0;
		}
	}
	printf("qnn portable: %s (%d digests compared)\n",
	       bad ? "FAILED" : "ok", compared);
	if (f)
		fclose(f);
	return bad ? 1 : 0;
}

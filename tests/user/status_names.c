// SPDX-License-Identifier: GPL-2.0-only OR BSD-3-Clause
/*
 * status_names.c - every "KML_X = -N," line of include/kmlib/status.h
 * (path in argv[1]) must be named "KML_X" by kml_status_name(-N), and the
 * values must be distinct: a status added to the header without a name
 * fails here, which a table in a test could not notice.
 */
#include <stdio.h>
#include <string.h>
#include "kmlib/status.h"

#define MAX_STATUS 64

int main(int argc, char **argv)
{
	char line[256], name[64], seen[MAX_STATUS][64];
	int value, values[MAX_STATUS], n = 0, bad = 0, i;
	FILE *f;

	if (argc != 2 || !(f = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: status_names include/kmlib/status.h\n");
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %63[A-Z_0-9] = %d ,", name, &value) != 2 ||
		    strncmp(name, "KML_", 4) != 0)
			continue;
		if (n == MAX_STATUS) {
			fprintf(stderr, "more than %d statuses\n", MAX_STATUS);
			return 1;
		}
		for (i = 0; i < n; i++) {
			if (values[i] == value) {
				printf("%s and %s are both %d\n", seen[i], name,
				       value);
				bad++;
			}
		}
		if (strcmp(kml_status_name(value), name) != 0) {
			printf("%d: kml_status_name gives %s, status.h %s\n",
			       value, kml_status_name(value), name);
			bad++;
		}
		values[n] = value;
		snprintf(seen[n], sizeof(seen[n]), "%s", name);
		n++;
	}
	fclose(f);
	/* KML_OK and the 16 errors status.h has as this test is written */
	if (n < 17) {
		printf("only %d statuses parsed from %s\n", n, argv[1]);
		bad++;
	}
	printf("%d statuses, %d problems\n", n, bad);
	return bad != 0;
}
